"""Each pass on its own leaves the results of the parity and property programs unchanged."""

import numpy as np
import pytest
from hypothesis import given, note

import staticgraph as sg
from tests.parity import modes
from tests.parity.test_compute_z import compute_z
from tests.property.budget import scaled
from tests.property.interpreter import MODE_ATOL, MODE_RTOL, assert_results_close, run_static
from tests.property.test_programs import RANK_STATIC_SPECS
from tests.strategies import programs

# Each entry is compiled alone (after validation) and compared with optimize=False.
PASS_LISTS = {
    "fold_constants": ["validate", "fold_constants", "prune"],
    "eliminate_common_subexpressions": ["validate", "eliminate_common_subexpressions", "prune"],
    "simplify": ["validate", "simplify", "prune"],
    "fold_merge_simplify": ["validate", "fold_merge_simplify"],
    "fuse_elementwise": ["validate", "fuse_elementwise"],
    "schedule_for_memory": ["validate", "schedule_for_memory", "plan_memory"],
    "plan_memory": ["validate", "plan_memory"],
    "level 2": 2,
}


@pytest.mark.parametrize("passes", list(PASS_LISTS.values()), ids=list(PASS_LISTS))
@scaled(0.25)
@given(program=programs())
def test_programs_unchanged_by_pass(passes, program):
    note(program.describe())
    plain = run_static(program, optimize=False)

    optimized = run_static(program, optimize=passes)
    assert_results_close(optimized, plain, MODE_RTOL, MODE_ATOL, f"{passes} against unoptimized")
    folded = run_static(program, optimize=passes, constant_weights=True)
    assert_results_close(folded, plain, MODE_RTOL, MODE_ATOL, f"{passes} with constant weights")


@pytest.mark.parametrize("passes", list(PASS_LISTS.values()), ids=list(PASS_LISTS))
@scaled(0.25)
@given(program=programs(specs=RANK_STATIC_SPECS))
def test_unknown_dims_unchanged_by_pass(passes, program):
    note(program.describe())
    plain = run_static(program, optimize=False, unknown_dims=True)

    optimized = run_static(program, optimize=passes, unknown_dims=True)
    assert_results_close(optimized, plain, MODE_RTOL, MODE_ATOL, f"{passes} with None dims against unoptimized")


def _mlp(ops, x, w1, b1, w2, b2):
    hidden = ops.relu(ops.matmul(x, ops.transpose(w1, 0, 1)) + b1)
    return ops.relu(ops.matmul(hidden, ops.transpose(w2, 0, 1)) + b2)


@pytest.mark.parametrize("passes", list(PASS_LISTS.values()), ids=list(PASS_LISTS))
@pytest.mark.parametrize("shape", [(), (5,)])
def test_compute_z_unchanged_by_pass(passes, shape):
    rng = np.random.default_rng(3)
    arrays = [rng.normal(size=shape) for _ in range(3)]
    plain_value, plain_grads = modes.run_static(compute_z, *arrays, grad=True, optimize=False)
    value, grads = modes.run_static(compute_z, *arrays, grad=True, optimize=passes)
    np.testing.assert_allclose(value, plain_value, rtol=1e-12)
    for grad, plain_grad in zip(grads, plain_grads):
        np.testing.assert_allclose(grad, plain_grad, rtol=1e-12)
        assert np.shape(grad) == np.shape(plain_grad)


@pytest.mark.parametrize("passes", list(PASS_LISTS.values()), ids=list(PASS_LISTS))
@pytest.mark.parametrize("batch", [1, 7])
def test_mlp_unchanged_by_pass(passes, batch):
    rng = np.random.default_rng(4)
    arrays = [rng.normal(size=(batch, 4)), rng.normal(size=(16, 4)), rng.normal(size=16),
              rng.normal(size=(8, 16)), rng.normal(size=8)]
    plain_value, plain_grads = modes.run_static(_mlp, *arrays, grad=True, optimize=False)
    value, grads = modes.run_static(_mlp, *arrays, grad=True, optimize=passes)
    np.testing.assert_allclose(value, plain_value, rtol=1e-12)
    for grad, plain_grad in zip(grads, plain_grads):
        np.testing.assert_allclose(grad, plain_grad, rtol=1e-12, atol=1e-14)


def test_unknown_batch_dim_unchanged_by_level_2(graph):
    rng = np.random.default_rng(5)
    x = sg.placeholder(sg.float64, (None, 4), name="x")
    w = sg.constant(rng.normal(size=(4, 3)))
    loss = sg.nn.functional.cross_entropy(x @ w, sg.constant(np.array([0, 2, 1, 1, 0])))
    outputs = [loss, *sg.gradients(loss, [x])]
    plain = sg.compile([x], outputs, optimize=False)
    optimized = sg.compile([x], outputs)
    feed = rng.normal(size=(5, 4))
    for got, want in zip(optimized(feed), plain(feed)):
        np.testing.assert_allclose(got, want, rtol=1e-12)
