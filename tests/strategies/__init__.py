"""Hypothesis strategies: shapes, float64 arrays, per-op specs and random programs."""

from tests.strategies.numpy_ops import NUMPY
from tests.strategies.op_specs import KINK_MARGIN, SPECS, SPECS_BY_NAME, OpSpec, op_calls
from tests.strategies.programs import Program, Step, programs
from tests.strategies.shapes import broadcast_shapes, float_arrays, matmul_shapes, shapes

__all__ = [
    "KINK_MARGIN",
    "NUMPY",
    "SPECS",
    "SPECS_BY_NAME",
    "OpSpec",
    "Program",
    "Step",
    "broadcast_shapes",
    "float_arrays",
    "matmul_shapes",
    "op_calls",
    "programs",
    "shapes",
]
