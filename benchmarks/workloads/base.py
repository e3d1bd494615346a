"""The description of one benchmark case, shared by workloads, peers and the harness."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

FLOAT = np.float32

# Largest allowed error relative to the largest magnitude of the NumPy result.
# float32 arithmetic done in a different order (another BLAS kernel, a fused
# expression) differs by a few units in the last place, about 1e-7 relative.
FLOAT32_TOLERANCE = 1e-4


class Unsupported(Exception):
    """An implementation has no version of a workload; the case reports it as such."""


@dataclass
class Case:
    """One workload at one size: its inputs and what every implementation must return.

    ``inputs`` contains the NumPy arrays every implementation starts from (weights,
    data, targets).  ``params`` contains the workload's settings (layer widths,
    learning rate, number of epochs).  A step returns the arrays named by
    ``output_names``, in that order.
    """

    workload: str
    variant: str
    size: int
    size_label: str
    inputs: dict[str, Any]
    output_names: tuple[str, ...]
    params: dict[str, Any] = field(default_factory=dict)
    tolerance: float = FLOAT32_TOLERANCE

    @property
    def key(self) -> str:
        return f"{self.workload}/{self.variant}/{self.size_label}"


StepFactory = Callable[[Case], Callable[[], Any]]


def uniform_linear_weights(rng: np.random.Generator, widths: tuple[int, ...]) -> dict[str, np.ndarray]:
    """Draw weights for a stack of Linear layers with PyTorch's default bounds, 1/sqrt(fan_in).

    Keys follow ``nn.Sequential`` with a ReLU between layers: ``0.weight``,
    ``0.bias``, ``2.weight``, ...
    """
    state = {}
    for index, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
        bound = 1.0 / np.sqrt(fan_in)
        state[f"{2 * index}.weight"] = rng.uniform(-bound, bound, size=(fan_out, fan_in)).astype(FLOAT)
        state[f"{2 * index}.bias"] = rng.uniform(-bound, bound, size=(fan_out,)).astype(FLOAT)
    return state
