"""Implementations compared by the benchmarks, and which of them can run here.

Each peer module exposes ``build(case, **options)`` returning a step
callable, ``to_numpy(outputs)`` converting what a step returns into a list
of NumPy arrays, and ``versions()``.  A module whose framework is not
installed fails to import; its implementations are then reported as absent.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Implementation:
    """One row of every table: a peer module and the options passed to its builders."""

    name: str
    module: str
    options: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    # tracemalloc tracks NumPy's allocations but not PyTorch's, XLA's or Numba's.
    tracemalloc_visible: bool = True
    # The library whose kernels and thread pools run the step. The harness pauses between chunks of
    # different runtimes, so one runtime's busy threads do not slow the next.
    runtime: str = "numpy"


IMPLEMENTATIONS = (
    Implementation("numpy", "benchmarks.peers.numpy_peer", description="hand-written NumPy forward and backward"),
    Implementation("eager", "benchmarks.peers.eager_peer", description="eager, define-by-run autograd"),
    Implementation("static", "benchmarks.peers.static_peer", {"optimize": True},
                   "staticgraph.compile with all optimizations"),
    Implementation("static-noopt", "benchmarks.peers.static_peer", {"optimize": False},
                   "staticgraph.compile with optimize=False"),
    Implementation("torch", "benchmarks.peers.torch_peer", description="PyTorch CPU eager",
                   tracemalloc_visible=False, runtime="torch"),
    Implementation("jax-jit", "benchmarks.peers.jax_peer", description="JAX jax.jit on CPU",
                   tracemalloc_visible=False, runtime="xla"),
    Implementation("pytensor", "benchmarks.peers.pytensor_peer", {"trust_input": False},
                   "pytensor.function, default mode", tracemalloc_visible=False, runtime="numba"),
    Implementation("pytensor-trust", "benchmarks.peers.pytensor_peer", {"trust_input": True},
                   "pytensor.function, default mode, trust_input=True", tracemalloc_visible=False,
                   runtime="numba"),
)
NAMES = tuple(impl.name for impl in IMPLEMENTATIONS)
REFERENCE = "numpy"


def load(impl: Implementation):
    """Import the peer module of an implementation; return ``(module, None)`` or ``(None, reason)``."""
    try:
        return importlib.import_module(impl.module), None
    except ImportError as error:
        logger.info("%s is absent: %s", impl.name, error)
        return None, f"not installed ({error})"


def select(names=None) -> list[Implementation]:
    """Return the implementations named in ``names`` (all when None), in table order."""
    if names is None:
        return list(IMPLEMENTATIONS)
    unknown = [name for name in names if name not in NAMES]
    if unknown:
        raise ValueError(f"unknown implementation(s) {', '.join(unknown)}; choose from {', '.join(NAMES)}")
    chosen = [impl for impl in IMPLEMENTATIONS if impl.name in names]
    if REFERENCE not in names:
        chosen.insert(0, IMPLEMENTATIONS[0])
    return chosen
