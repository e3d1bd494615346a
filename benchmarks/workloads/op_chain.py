"""Per-op overhead: a chain of 1,000 elementwise ops, forward and backward, on 0-d and 1-d inputs.

The chain repeats ``x * 1.001``, ``x + 0.001``, ``abs(x)``, ``x * 0.999``.  Every
op keeps the gradient's magnitude near one, so after 1,000 ops the values and
gradients are still of order one and a relative comparison is meaningful.
The step returns ``sum(chain(x))`` and its gradient with respect to ``x``.
Size 0 means a 0-d input; any other size n means shape (n,).
"""

from __future__ import annotations

import numpy as np

from benchmarks.workloads.base import FLOAT, Case
from benchmarks.workloads.compute_z import shape_of, size_label

NAME = "op_chain"
LENGTH = 1000
DEFAULT_SIZES = (0, 1000)
QUICK_SIZES = (0,)
CYCLE = (("mul", 1.001), ("add", 0.001), ("abs", None), ("mul", 0.999))


def chain_ops(length: int) -> list[tuple[str, float | None]]:
    return [CYCLE[index % len(CYCLE)] for index in range(length)]


def apply_chain(ops, x, length: int):
    """Build the chain with the functions of ``ops`` (a package namespace, or ``numpy``)."""
    for kind, constant in chain_ops(length):
        if kind == "mul":
            x = ops.multiply(x, constant) if ops is np else ops.mul(x, constant)
        elif kind == "add":
            x = ops.add(x, constant)
        else:
            x = ops.abs(x)
    return x


def make_cases(sizes, seed: int = 0, length: int = LENGTH) -> list[Case]:
    cases = []
    for size in sizes:
        rng = np.random.default_rng(seed)
        x = np.asarray(rng.normal(size=shape_of(size)), dtype=FLOAT)
        cases.append(Case(NAME, f"{length} ops fwd+bwd", size, size_label(size), {"x": x},
                          ("s", "dx"), {"length": length}))
    return cases


def numpy_chain_with_grad(x: np.ndarray, length: int):
    """Return ``sum(chain(x))`` and its gradient, saving only the signs that ``abs`` needs."""
    saved_signs = []
    ops = chain_ops(length)
    for kind, constant in ops:
        if kind == "mul":
            x = x * FLOAT(constant)
        elif kind == "add":
            x = x + FLOAT(constant)
        else:
            saved_signs.append(np.sign(x))
            x = np.abs(x)

    grad = np.ones_like(x)
    for kind, constant in reversed(ops):
        if kind == "mul":
            grad = grad * FLOAT(constant)
        elif kind == "abs":
            grad = grad * saved_signs.pop()
    return x.sum(), grad


def build_numpy(case: Case):
    x = case.inputs["x"]
    length = case.params["length"]
    return lambda: numpy_chain_with_grad(x, length)
