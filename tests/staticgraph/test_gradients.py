import sys

import numpy as np
import pytest

import staticgraph as sg
from staticgraph.errors import GradientError

from .helpers import numerical_gradient


def test_square_gradient_at_three(graph):
    x = sg.placeholder(sg.float64, (), name="x")
    (grad,) = sg.gradients(x * x, [x])
    assert float(sg.compile([x], grad)(3.0)) == 6.0


@pytest.mark.parametrize("value", [-2.5, 0.0, 3.0, 7.25])
def test_repeated_input_sums_contributions(graph, value):
    x = sg.placeholder(sg.float64, (), name="x")
    y = x * x * x + x
    (grad,) = sg.gradients(y, [x])
    assert float(sg.compile([x], grad)(value)) == pytest.approx(3 * value**2 + 1)


@pytest.mark.parametrize("optimize", [False, True])
def test_distinct_placeholders_equal_values(graph, optimize):
    a = sg.placeholder(sg.float64, (), name="a")
    b = sg.placeholder(sg.float64, (), name="b")
    grads = sg.gradients(a + b, [a, b])
    executable = sg.compile([a, b], grads, optimize=optimize)
    assert [float(value) for value in executable(3.0, 3.0)] == [1.0, 1.0]


def test_distinct_variables_equal_values_not_merged(graph):
    v = sg.variable(np.float64(2.0), name="w")
    w = sg.variable(np.float64(2.0), name="w")
    assert v.name != w.name
    y = v * 3.0 + w * 5.0
    grads = sg.gradients(y, [v, w])
    executable = sg.compile([], grads)
    assert [float(value) for value in executable()] == [3.0, 5.0]


def test_unreachable_input_gives_none(graph):
    x = sg.placeholder(sg.float64, (), name="x")
    z = sg.placeholder(sg.float64, (), name="z")
    assert sg.gradients(x * 2.0, [x, z])[1] is None


def test_nonscalar_output_uses_ones(graph):
    x = sg.placeholder(sg.float64, (3,), name="x")
    (grad,) = sg.gradients(x * x, [x])
    np.testing.assert_allclose(sg.compile([x], grad)(np.array([1.0, 2.0, 3.0])), [2.0, 4.0, 6.0])


def test_grad_ys_weights_outputs(graph):
    x = sg.placeholder(sg.float64, (2,), name="x")
    (grad,) = sg.gradients(x * 3.0, [x], grad_ys=[np.array([1.0, -2.0])])
    np.testing.assert_allclose(sg.compile([x], grad)(np.ones(2)), [3.0, -6.0])


@pytest.mark.parametrize("batch", [1, 4, 150])
def test_broadcast_gradient_with_none_batch(graph, batch):
    x = sg.placeholder(sg.float64, (None, 5), name="x")
    b = sg.variable(np.zeros(5), name="b")
    (grad,) = sg.gradients(sg.sum(x + b), [b])
    assert grad.shape == (5,)
    value = sg.compile([x], grad)(np.ones((batch, 5)))
    assert value.shape == (5,)
    np.testing.assert_array_equal(value, np.full(5, float(batch)))


@pytest.mark.parametrize("shape_a, shape_b", [((None, 1), (1, None)), ((None, 3), (None, 1)), ((None,), (2, None))])
def test_broadcast_gradient_none_on_both_sides(graph, shape_a, shape_b):
    rng = np.random.default_rng(0)
    concrete = {((None, 1), (1, None)): ((4, 1), (1, 3)), ((None, 3), (None, 1)): ((5, 3), (5, 1)), ((None,), (2, None)): ((1,), (2, 6))}
    a_value, b_value = (rng.normal(size=shape) for shape in concrete[(shape_a, shape_b)])
    a = sg.placeholder(sg.float64, shape_a, name="a")
    b = sg.placeholder(sg.float64, shape_b, name="b")
    loss = sg.sum(a * b * b)
    executable = sg.compile([a, b], sg.gradients(loss, [a, b]))
    grad_a, grad_b = executable(a_value, b_value)

    def loss_value(x, y):
        return np.sum(x * y * y)

    np.testing.assert_allclose(grad_a, numerical_gradient(loss_value, [a_value, b_value], 0), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(grad_b, numerical_gradient(loss_value, [a_value, b_value], 1), rtol=1e-6, atol=1e-8)


@pytest.fixture
def low_recursion_limit():
    """Lower the recursion limit so that any recursive walk over a long chain fails."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(400)
    yield
    sys.setrecursionlimit(limit)


def test_long_chain_no_recursion_error(graph, low_recursion_limit):
    x = sg.placeholder(sg.float64, (), name="x")
    y = x
    for _ in range(10_000):
        y = y + x
    (grad,) = sg.gradients(y, [x])
    executable = sg.compile([x], [y, grad])
    value, gradient = executable(0.5)
    assert float(value) == pytest.approx(0.5 * 10_001)
    assert float(gradient) == 10_001.0


@pytest.mark.parametrize("optimize", [False, 1, True])
def test_long_mixed_chain_no_recursion_error(graph, low_recursion_limit, optimize):
    x = sg.placeholder(sg.float64, (None,), name="x")
    y = x
    for _ in range(2_000):
        y = sg.tanh(y) * 0.5 + x
    (grad,) = sg.gradients(sg.sum(y), [x])
    assert len(graph) > 10_000
    value, gradient = sg.compile([x], [y, grad], optimize=optimize)(np.array([0.1, -0.3]))

    reference, derivative = np.array([0.1, -0.3]), np.ones(2)
    for _ in range(2_000):
        derivative = 0.5 * (1 - np.tanh(reference) ** 2) * derivative + 1
        reference = np.tanh(reference) * 0.5 + np.array([0.1, -0.3])
    np.testing.assert_allclose(value, reference, rtol=1e-12)
    np.testing.assert_allclose(gradient, derivative, rtol=1e-10)


def test_second_derivative(graph):
    x = sg.placeholder(sg.float64, (), name="x")
    y = x * x * x
    (first,) = sg.gradients(y, [x])
    (second,) = sg.gradients(first, [x])
    (third,) = sg.gradients(second, [x])
    values = sg.compile([x], [first, second, third])(2.0)
    assert [float(value) for value in values] == [12.0, 12.0, 6.0]


@pytest.mark.parametrize("function, second_derivative", [
    (lambda x: sg.tanh(x), lambda v: -2 * np.tanh(v) * (1 - np.tanh(v) ** 2)),
    (lambda x: sg.sigmoid(x), lambda v: (lambda s: s * (1 - s) * (1 - 2 * s))(1 / (1 + np.exp(-v)))),
    (lambda x: sg.exp(x) * sg.log(x), lambda v: np.exp(v) * (np.log(v) + 2 / v - 1 / v**2)),
    (lambda x: sg.sum(sg.softmax(sg.stack([x, 2 * x, x * x]), 0) * sg.constant(np.array([1.0, 2.0, 3.0]))), None),
])
def test_second_derivative_elementwise(graph, function, second_derivative):
    x = sg.placeholder(sg.float64, (), name="x")
    (first,) = sg.gradients(function(x), [x])
    (second,) = sg.gradients(first, [x])
    first_fn = sg.compile([x], first)
    value = float(sg.compile([x], second)(0.7))
    numeric = numerical_gradient(lambda v: first_fn(v), [np.array(0.7)], 0)
    assert value == pytest.approx(float(numeric), rel=1e-5, abs=1e-7)
    if second_derivative is not None:
        assert value == pytest.approx(second_derivative(0.7), rel=1e-9)


def test_gradient_of_integer_output_raises(graph):
    x = sg.placeholder(sg.int64, (3,), name="counts")
    with pytest.raises(GradientError, match="output .sum.*int64.*floating"):
        sg.gradients(sg.sum(x), [x])


def test_gradient_nodes_live_in_same_graph(graph):
    x = sg.placeholder(sg.float64, (), name="x")
    before = len(graph)
    (grad,) = sg.gradients(x * x, [x])
    assert grad.graph is graph
    assert len(graph) > before
    assert grad.name.startswith("gradients/")


def test_single_x_still_gives_list(graph):
    x = sg.placeholder(sg.float64, (), name="x")
    result = sg.gradients(x * 3.0, x)
    assert isinstance(result, list)
    assert len(result) == 1
