"""The hand-written NumPy references, checked against central finite differences in float64."""

import numpy as np
import pytest

from benchmarks.workloads import compute_z, mlp, op_chain
from benchmarks.workloads.mlp import numpy_backward, numpy_cross_entropy, numpy_forward


def numerical_gradient(function, array, eps=1e-6):
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + eps
        upper = function()
        array[index] = saved - eps
        lower = function()
        array[index] = saved
        grad[index] = (upper - lower) / (2 * eps)
    return grad


@pytest.mark.parametrize("final_relu, loss", [(True, "sum"), (False, "cross_entropy")])
def test_mlp_backward_matches_finite_differences(final_relu, loss):
    rng = np.random.default_rng(3)
    weights = [rng.normal(size=shape) for shape in ((5, 4), (5,), (3, 5), (3,))]
    x = rng.normal(size=(6, 4))
    y = rng.integers(0, 3, size=6)

    def loss_value():
        out = numpy_forward(weights, x, final_relu)[0]
        return out.sum() if loss == "sum" else numpy_cross_entropy(out, y)[0]

    out, saved = numpy_forward(weights, x, final_relu)
    grad_out = np.ones_like(out) if loss == "sum" else numpy_cross_entropy(out, y)[1]
    grads = numpy_backward(weights, saved, grad_out, final_relu)
    for weight, grad in zip(weights, grads):
        np.testing.assert_allclose(grad, numerical_gradient(loss_value, weight), rtol=1e-6, atol=1e-8)


def test_cross_entropy_value_matches_definition():
    logits = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    targets = np.array([1, 2])
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    expected = -np.mean(np.log(probabilities[[0, 1], targets]))
    assert numpy_cross_entropy(logits, targets)[0] == pytest.approx(expected)


def test_compute_z_gradients_are_two_minus_two_one():
    case = compute_z.make_cases([5])[1]
    s, da, db, dc = compute_z.build_numpy(case)()
    a, b, c = (case.inputs[name] for name in "abc")
    assert s == pytest.approx(float(((a - b) * 2 + c).sum()), rel=1e-6)
    np.testing.assert_array_equal(da, np.full(5, 2.0))
    np.testing.assert_array_equal(db, np.full(5, -2.0))
    np.testing.assert_array_equal(dc, np.ones(5))


def test_op_chain_gradient_matches_finite_differences():
    x = np.array([0.3, -1.2, 2.0])
    _, grad = op_chain.numpy_chain_with_grad(x, 40)
    numeric = numerical_gradient(lambda: op_chain.numpy_chain_with_grad(x, 40)[0], x)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6)


def test_op_chain_keeps_gradient_near_one():
    case = op_chain.make_cases([1000])[0]
    _, grad = op_chain.build_numpy(case)()
    assert np.all(np.abs(grad) > 0.5)
    assert np.all(np.abs(grad) < 2.0)


def test_mlp_cases_share_weights_across_variants():
    forward, backward = mlp.make_cases("mlp", [3])
    assert forward.inputs["state"] is backward.inputs["state"]
    assert backward.output_names == ("loss", "0.weight", "0.bias", "2.weight", "2.bias")


def test_torch_agrees_with_mlp784_reference():
    torch_peer = pytest.importorskip("benchmarks.peers.torch_peer")
    case = mlp.make_cases("mlp784", [8])[0]
    reference = mlp.build_numpy(case)()
    outputs = torch_peer.to_numpy(torch_peer.build(case)())
    for expected, actual in zip(reference, outputs):
        np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-6)
