"""``--threads N``: one thread-count limit for the BLAS, PyTorch and XLA.

By default every library keeps its own thread pools, sized to the cores.
On a machine shared with other work a library that splits a small matmul
across two threads waits for whichever thread is descheduled, so a limit of
one thread gives steadier numbers there.
"""

from __future__ import annotations

import logging
import os
import sys

logger = logging.getLogger(__name__)

_ENVIRONMENT = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
# Holds the threadpoolctl limiter so the limit stays referenced for the rest of the run.
_active_limits = []


def limit_before_imports(count: int) -> None:
    """Set the variables that libraries read when they load; call before importing torch or jax."""
    for variable in _ENVIRONMENT:
        os.environ[variable] = str(count)
    if count == 1 and "jax" not in sys.modules:
        flags = os.environ.get("XLA_FLAGS", "")
        os.environ["XLA_FLAGS"] = f"{flags} --xla_cpu_multi_thread_eigen=false".strip()


def limit_loaded(count: int) -> None:
    """Limit the pools of libraries already loaded: the BLAS through threadpoolctl, and PyTorch."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        logger.warning("threadpoolctl is not installed; the BLAS keeps its own thread count")
    else:
        _active_limits.append(threadpool_limits(limits=count))
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        torch.set_num_threads(count)
