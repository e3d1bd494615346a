"""The study text's first examples, in staticgraph alone: compute_z and the small MLP."""

import numpy as np
import pytest

import staticgraph as sg
from staticgraph import nn

from .helpers import numerical_gradient


def compute_z(ops, a, b, c):
    return ops.add(ops.mul(ops.sub(a, b), 2), c)


@pytest.mark.parametrize("values, expected", [(1, 1), ([1], [1]), ([[1]], [[1]])])
def test_compute_z_integers(graph, values, expected):
    a, b, c = (np.array(values) * k for k in (1, 2, 3))
    inputs = [sg.placeholder(sg.int64, np.shape(a), name=name) for name in "abc"]
    result = sg.compile(inputs, compute_z(sg, *inputs))(a, b, c)
    np.testing.assert_array_equal(result, np.array(expected))
    assert result.dtype == np.int64
    assert result.shape == np.shape(expected)


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_compute_z_gradients(graph, shape):
    inputs = [sg.placeholder(sg.float64, shape, name=name) for name in "abc"]
    z = compute_z(sg, *inputs)
    grads = sg.compile(inputs, sg.gradients(sg.sum(z), inputs))(*(np.full(shape, v) for v in (1.0, 2.0, 3.0)))
    for grad, expected in zip(grads, (2.0, -2.0, 1.0)):
        np.testing.assert_array_equal(grad, np.full(shape, expected))


def test_mlp_gradients_match_finite_differences(graph):
    sg.manual_seed(1)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 32), nn.ReLU()).double()
    x = sg.placeholder(sg.float64, (None, 4), name="x")
    weights = [sg.placeholder(sg.float64, parameter.shape, name=f"p{i}") for i, parameter in enumerate(model.parameters())]
    hidden = sg.relu(sg.linear(x, weights[0], weights[1]))
    output = sg.relu(sg.linear(hidden, weights[2], weights[3]))
    total = sg.sum(output)
    compiled_total = sg.compile([x] + weights, total)
    gradients = sg.compile([x] + weights, sg.gradients(total, [x] + weights))

    data = np.random.default_rng(0).normal(size=(3, 4))
    values = [data] + [parameter.numpy() for parameter in model.parameters()]
    for position, analytic in enumerate(gradients(*values)):
        numeric = numerical_gradient(lambda *arrays: compiled_total(*arrays), values, position)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-7)
