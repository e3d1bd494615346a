"""Random MLPs agree between the modes: initial weights, forward, gradients, SGD steps.

Both modes build the model from the same seed, so their initial weights
must be identical; the rest agrees within the mode tolerances of
``tests.property.interpreter``.
"""

from hypothesis import given, note

from tests.property.budget import scaled
from tests.property.interpreter import MODE_ATOL, MODE_RTOL
from tests.property.mlp import assert_dicts_close, assert_runs_close, mlp_cases, run_eager, run_static


@scaled(3)
@given(mlp_cases())
def test_mlp_modes_agree(case):
    note(f"sizes={case.sizes} activation={case.activation} batch={len(case.x)}")
    eager_run = run_eager(case)
    static_run = run_static(case)

    assert_dicts_close(static_run.initial, eager_run.initial, 0, 0, "initial weights from one seed")
    assert_runs_close(static_run, eager_run, MODE_RTOL, MODE_ATOL, "staticgraph against eager")
