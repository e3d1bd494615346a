"""Disagreements the property tests found, kept as explicit examples.

Each test pins one minimal failing example. A bug that is still open gets
``xfail(strict=True)`` (on the failing mode only, through ``mode_params``),
so its test fails loudly once the bug is fixed and the marker can go.
"""

import numpy as np
import pytest

import eager
import staticgraph
from tests.property.interpreter import EAGER, STATIC, torch_namespace


def eager_result(function, *arrays):
    return function(EAGER, *(eager.tensor(array) for array in arrays)).detach().numpy()


def static_result(function, *arrays):
    with staticgraph.Graph().as_default():
        inputs = [staticgraph.placeholder(array.dtype, shape=array.shape) for array in arrays]
        executable = staticgraph.compile(inputs, [function(STATIC, *inputs)])
    return np.asarray(executable(*arrays)[0])


def torch_result(torch, function, *arrays):
    return function(torch_namespace(torch), *(torch.tensor(array) for array in arrays)).detach().numpy()


RUNNERS = {"eager": eager_result, "staticgraph": static_result}


def mode_params(xfail_modes, reason):
    """Return the two modes as pytest params, the ones in ``xfail_modes`` marked strict xfail."""
    mark = pytest.mark.xfail(strict=True, reason=reason)
    return [pytest.param(mode, marks=mark if mode in xfail_modes else ()) for mode in RUNNERS]


LOSSES = {
    "mse_loss": lambda ops, x, target: ops.mse_loss(x, target),
    "mse_loss_none": lambda ops, x, target: ops.mse_loss(x, target, reduction="none"),
    "bce_with_logits": lambda ops, x, target: ops.binary_cross_entropy_with_logits(x, target),
}


# Eager cast a float64 target to a float32 input's dtype.
@pytest.mark.parametrize("mode", mode_params(set(), ""))
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_promotes_float32_input_with_float64_target(name, mode):
    torch = pytest.importorskip("torch")
    x = np.array([1.0, 2.0], dtype=np.float32)
    target = np.array([0.5, 0.25])
    function = LOSSES[name]

    assert torch_result(torch, function, x, target).dtype == np.float64
    assert RUNNERS[mode](function, x, target).dtype == np.float64


ZERO_DIM_CASES = {
    "add": lambda ops, x, scalar: ops.add(x, scalar),
    "mul_operator": lambda ops, x, scalar: x * scalar,
    "maximum": lambda ops, x, scalar: ops.maximum(x, scalar),
}


# Both modes promoted to float64, NumPy's rule; PyTorch keeps the dimensioned float32.
@pytest.mark.parametrize("mode", mode_params(set(), ""))
@pytest.mark.parametrize("name", sorted(ZERO_DIM_CASES))
def test_zero_dim_float64_keeps_float32_dtype(name, mode):
    torch = pytest.importorskip("torch")
    x = np.array([1.0, -2.0], dtype=np.float32)
    scalar = np.array(0.5)
    function = ZERO_DIM_CASES[name]

    assert torch_result(torch, function, x, scalar).dtype == np.float32
    assert RUNNERS[mode](function, x, scalar).dtype == np.float32


def test_gradient_through_unsqueeze_with_unknown_dims():
    """``gradients`` of ``sum(y @ y)`` for ``y = unsqueeze(x, 0)`` where x has shape (None,)."""
    x = np.array([1.5])
    with staticgraph.Graph().as_default():
        placeholder = staticgraph.placeholder(staticgraph.float64, shape=(None,))
        y = staticgraph.unsqueeze(placeholder, 0)
        loss = staticgraph.sum(staticgraph.matmul(y, y))
        (grad,) = staticgraph.gradients(loss, [placeholder])
        executable = staticgraph.compile([placeholder], [grad])

    # d/dx of x * x is 2x; eager gives the same.
    np.testing.assert_allclose(executable(x)[0], 2 * x, rtol=1e-12)
    leaf = eager.tensor(x, requires_grad=True)
    eager.sum(eager.matmul(eager.unsqueeze(leaf, 0), eager.unsqueeze(leaf, 0))).backward()
    np.testing.assert_allclose(leaf.grad.numpy(), 2 * x, rtol=1e-12)
