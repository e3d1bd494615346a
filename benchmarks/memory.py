"""Peak memory of one step, measured with tracemalloc.

NumPy reports its array buffers to tracemalloc, so the numbers cover
NumPy-based implementations.  PyTorch, XLA and Numba allocate outside
Python's tracking and are left out.
"""

from __future__ import annotations

import gc
import tracemalloc


def measure_step_memory(build, warm_calls: int = 2) -> tuple[int, int]:
    """Build a fresh step under tracemalloc; return ``(peak of one warm step, bytes retained)``.

    The retained bytes are those still allocated after building and
    ``warm_calls`` calls, above what was in use before building: weights,
    graphs, compiled code, buffers kept for the next call.  The step peak is the
    highest allocation during one more call above what was in use just before it.
    """
    gc.collect()
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        step = build()
        for _ in range(warm_calls):
            step()
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        step()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - before, before - baseline
