"""The hand-written NumPy reference: every ratio is taken against it."""

from __future__ import annotations

import numpy as np

from benchmarks import workloads
from benchmarks.workloads.base import Case


def build(case: Case):
    return workloads.build_numpy(case)


def to_numpy(outputs) -> list[np.ndarray]:
    if isinstance(outputs, (tuple, list)):
        return [np.asarray(value) for value in outputs]
    return [np.asarray(outputs)]


def versions() -> dict[str, str]:
    return {"numpy": np.__version__}
