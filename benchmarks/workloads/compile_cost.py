"""Compile cost: time and peak memory to build, differentiate and compile an op chain of n ops.

The graph is the ``op_chain`` chain on a (16,) input.  Each size is measured
once per implementation, or as the median of three runs when one run takes
under a second.  The growth exponent between two sizes is
``log(t2 / t1) / log(n2 / n1)``, so 1.0 is linear.  An implementation skips a size when the previous size's time,
extrapolated with growth of at least n^1.25, exceeds the time budget; peers
with a size cap skip larger graphs.
"""

from __future__ import annotations

import gc
import logging
import math
import statistics
import time
import tracemalloc

import numpy as np

from benchmarks import agreement, peers
from benchmarks.results import ABSENT, DISAGREE, ERROR, OK, SKIPPED, CompileRecord
from benchmarks.workloads.op_chain import numpy_chain_with_grad

logger = logging.getLogger(__name__)

NAME = "compile"
# 3,636 and 36,364 ops make staticgraph graphs of about 10,000 and 100,000 nodes
# after differentiation, the sizes its compile-time targets name.
DEFAULT_SIZES = (100, 1000, 3636, 10_000, 36_364, 100_000)
QUICK_SIZES = (100, 1000)
SHAPE = (16,)
# Seconds: a size whose time, extrapolated from the previous size, exceeds this is skipped.
DEFAULT_BUDGET_S = 30.0
QUICK_BUDGET_S = 5.0
# Measured growth between small sizes is noisy and often below 1; XLA's compile
# time grew as n^1.6 from 1,000 to 10,000 ops here, so projections assume at least n^1.25.
MIN_PROJECTED_GROWTH = 1.25
# Largest chain tried per peer.  Measured here: PyTensor's Numba backend takes
# about 17 s for the first call of a 1,000-op chain; XLA compile time grows
# steeply with chain length.
SIZE_CAPS = {"jax-jit": 10_000, "pytensor": 1000}
QUICK_SIZE_CAPS = {"jax-jit": 1000, "pytensor": 100}
REPEAT_BELOW_S = 1.0
# These have no compile step to measure, except PyTensor's trust_input variant, which compiles like the default one.
WITHOUT_COMPILE_ROWS = ("numpy", "eager", "torch", "pytensor-trust")
TOLERANCE = 1e-3


def run(implementations, sizes, budget_s: float, measure_memory: bool = True,
        caps: dict[str, int] = SIZE_CAPS) -> list[CompileRecord]:
    records = []
    for impl in implementations:
        if impl.name in WITHOUT_COMPILE_ROWS:
            continue
        module, reason = peers.load(impl)
        if module is None:
            records.append(CompileRecord(impl.name, 0, ABSENT, reason))
            continue
        records.extend(_run_sizes(impl, module, sizes, budget_s, measure_memory, caps.get(impl.name)))
    _set_growth(records)
    return records


def _run_sizes(impl, module, sizes, budget_s, measure_memory, cap) -> list[CompileRecord]:
    records = []
    skip_reason = None
    previous = None
    for length in sorted(sizes):
        if cap is not None and length > cap:
            records.append(CompileRecord(impl.name, length, SKIPPED, f"capped at {cap:,} ops"))
            continue
        projected = _projected_seconds(previous, length)
        if skip_reason is None and projected is not None and projected > budget_s:
            skip_reason = f"projected {projected:.0f} s > {budget_s:g} s budget"
        if skip_reason is not None:
            records.append(CompileRecord(impl.name, length, SKIPPED, skip_reason))
            continue
        # The traced run costs about as much as the timed one, so it runs only below a quarter of the budget.
        record = measure(impl, module, length, measure_memory, budget_s / 4)
        records.append(record)
        _set_growth(records)
        if record.status != OK:
            skip_reason = f"after the failure at {length:,} ops"
        previous = record
    return records


def _projected_seconds(previous: CompileRecord | None, length: int) -> float | None:
    """Extrapolate the last measured size to ``length`` with growth of at least ``n ** MIN_PROJECTED_GROWTH``."""
    if previous is None or previous.total_s is None:
        return None
    exponent = max(MIN_PROJECTED_GROWTH, previous.growth or 0.0)
    return (previous.total_s + (previous.first_call_s or 0.0)) * (length / previous.length) ** exponent


def measure(impl, module, length: int, measure_memory: bool, memory_limit_s: float = math.inf) -> CompileRecord:
    record = CompileRecord(impl.name, length, OK)
    try:
        all_phases = []
        while len(all_phases) < 3:
            gc.collect()
            phases, executable, record.node_count = module.compile_chain(length, SHAPE, **impl.options)
            all_phases.append(phases)
            if sum(phases.values()) >= REPEAT_BELOW_S:
                break
        record.phases = {name: statistics.median(p[name] for p in all_phases) for name in all_phases[0]}
        _check_first_call(record, executable, length)
        if measure_memory and impl.tracemalloc_visible and record.status == OK and record.total_s < memory_limit_s:
            record.peak_memory = _peak_memory(module, impl, length)
    except Exception as error:  # a failure at one size is a result, not a crash
        logger.debug("%s failed at %d ops", impl.name, length, exc_info=True)
        record.status, record.message = ERROR, f"{type(error).__name__}: {error}"
    return record


def _check_first_call(record: CompileRecord, executable, length: int) -> None:
    x = np.random.default_rng(0).normal(size=SHAPE).astype(np.float32)
    start = time.perf_counter()
    outputs = executable(x)
    record.first_call_s = time.perf_counter() - start
    outputs = [np.asarray(value) for value in (outputs if isinstance(outputs, (tuple, list)) else [outputs])]
    agrees, _, message = agreement.compare(("s", "dx"), numpy_chain_with_grad(x, length), outputs, TOLERANCE)
    if not agrees:
        record.status, record.message = DISAGREE, message


def _peak_memory(module, impl, length: int) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        module.compile_chain(length, SHAPE, **impl.options)
        return tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()


def _set_growth(records: list[CompileRecord]) -> None:
    previous = None
    for record in records:
        if record.status != OK or record.total_s is None:
            continue
        if previous is not None and previous.implementation == record.implementation and previous.total_s > 0:
            record.growth = math.log(record.total_s / previous.total_s) / math.log(record.length / previous.length)
        previous = record
