"""``z = (a - b) * 2 + c`` on 0-d and 1-d float32 inputs, value only and with gradients.

The gradient variant returns ``s = sum(z)`` and ``ds/da, ds/db, ds/dc``.
Size 0 means 0-d inputs; any other size n means inputs of shape (n,).
"""

from __future__ import annotations

import numpy as np

from benchmarks.workloads.base import FLOAT, Case

NAME = "compute_z"
DEFAULT_SIZES = (0, 1000, 1_000_000)
QUICK_SIZES = (0, 1000)
VARIANTS = ("value", "value+grad")


def compute_z(ops, a, b, c):
    """Return ``(a - b) * 2 + c`` built from the functions of ``ops`` (a package namespace)."""
    return ops.add(ops.mul(ops.sub(a, b), 2), c)


def shape_of(size: int) -> tuple[int, ...]:
    return () if size == 0 else (size,)


def size_label(size: int) -> str:
    return "0-d" if size == 0 else f"({size:,},)"


def make_cases(sizes, seed: int = 0) -> list[Case]:
    cases = []
    for size in sizes:
        rng = np.random.default_rng(seed)
        shape = shape_of(size)
        inputs = {name: np.asarray(rng.normal(size=shape), dtype=FLOAT) for name in "abc"}
        for variant in VARIANTS:
            outputs = ("z",) if variant == "value" else ("s", "da", "db", "dc")
            cases.append(Case(NAME, variant, size, size_label(size), inputs, outputs))
    return cases


def build_numpy(case: Case):
    a, b, c = (case.inputs[name] for name in "abc")
    if case.variant == "value":
        return lambda: (a - b) * 2 + c

    def step():
        z = (a - b) * 2 + c
        s = z.sum()
        grad_z = np.ones_like(z)
        grad_diff = grad_z * 2
        return s, grad_diff, -grad_diff, grad_z

    return step
