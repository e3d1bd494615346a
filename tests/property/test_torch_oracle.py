"""Random programs and MLPs match PyTorch (float64) in both modes."""

import pytest
from hypothesis import given, note

from tests.property.budget import scaled
from tests.property.interpreter import (
    TORCH_ATOL,
    TORCH_RTOL,
    assert_results_close,
    run_eager,
    run_static,
    run_torch,
)
from tests.property import mlp
from tests.strategies import programs

torch = pytest.importorskip("torch")


@scaled(5)
@given(programs())
def test_programs_match_torch(program):
    note(program.describe())
    expected = run_torch(program, torch)

    assert_results_close(run_eager(program), expected, TORCH_RTOL, TORCH_ATOL, "eager against PyTorch")
    assert_results_close(run_static(program), expected, TORCH_RTOL, TORCH_ATOL, "staticgraph against PyTorch")


@scaled(2)
@given(mlp.mlp_cases())
def test_mlp_matches_torch(case):
    note(f"sizes={case.sizes} activation={case.activation} batch={len(case.x)}")
    eager_run = mlp.run_eager(case)
    expected = mlp.run_torch(case, torch, eager_run.initial)

    mlp.assert_runs_close(eager_run, expected, TORCH_RTOL, TORCH_ATOL, "eager against PyTorch")
    mlp.assert_runs_close(mlp.run_static(case), expected, TORCH_RTOL, TORCH_ATOL, "staticgraph against PyTorch")
