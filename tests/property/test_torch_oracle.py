"""Random programs match PyTorch (float64) in values and gradients, in both modes."""

import pytest
from hypothesis import given, note

from tests.property.interpreter import (
    TORCH_ATOL,
    TORCH_RTOL,
    assert_results_close,
    run_eager,
    run_static,
    run_torch,
)
from tests.strategies import programs

torch = pytest.importorskip("torch")


@given(programs())
def test_programs_match_torch(program):
    note(program.describe())
    expected = run_torch(program, torch)

    assert_results_close(run_eager(program), expected, TORCH_RTOL, TORCH_ATOL, "eager against PyTorch")
    assert_results_close(run_static(program), expected, TORCH_RTOL, TORCH_ATOL, "staticgraph against PyTorch")
