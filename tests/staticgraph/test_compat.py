"""PyTorch-named extras: values against NumPy, gradients against finite differences, factories."""

import numpy as np
import pytest

import staticgraph as sg
from staticgraph import nn

from .helpers import numerical_gradient

RNG = np.random.default_rng(11)
X = RNG.uniform(0.2, 2.0, size=(3, 4))

CASES = [
    ("cos", lambda x: sg.cos(x), np.cos),
    ("sin", lambda x: sg.sin(x), np.sin),
    ("log1p", lambda x: sg.log1p(x), np.log1p),
    ("leaky_relu", lambda x: sg.leaky_relu(x - 1.0, 0.2), lambda v: np.where(v - 1.0 > 0, v - 1.0, 0.2 * (v - 1.0))),
    ("flatten", lambda x: sg.flatten(sg.reshape(x, (3, 2, 2)), 1), lambda v: v.reshape(3, 4)),
    ("amax", lambda x: sg.amax(x, (0, 1)), lambda v: np.max(v)),
    ("amin", lambda x: sg.amin(x, 1, keepdim=True), lambda v: np.min(v, 1, keepdims=True)),
    ("t", lambda x: sg.t(x), lambda v: v.T),
    ("mm", lambda x: sg.mm(x, sg.t(x)), lambda v: v @ v.T),
    ("clone", lambda x: sg.clone(x) * 2.0, lambda v: v * 2.0),
    ("view", lambda x: sg.view(x, 2, 6), lambda v: v.reshape(2, 6)),
    ("sum_to_size", lambda x: sg.sum_to_size(x, 1, 4), lambda v: v.sum(0, keepdims=True)),
    ("broadcast_to", lambda x: sg.broadcast_to(sg.sum(x, 0), (2, 4)), lambda v: np.broadcast_to(v.sum(0), (2, 4))),
    ("multiply", lambda x: sg.multiply(x, x), lambda v: v * v),
    ("true_divide", lambda x: sg.true_divide(1.0, x), lambda v: 1.0 / v),
    ("clip", lambda x: sg.clip(x, 0.5, 1.5), lambda v: np.clip(v, 0.5, 1.5)),
    ("linear", lambda x: sg.linear(x, sg.constant(np.arange(8.0).reshape(2, 4)), sg.constant(np.ones(2))),
     lambda v: v @ np.arange(8.0).reshape(2, 4).T + 1),
]


@pytest.mark.parametrize("name, build, reference", CASES, ids=[case[0] for case in CASES])
def test_extra_op_value_and_gradient(graph, name, build, reference):
    x = sg.placeholder(sg.float64, (None, 4), name="x")
    output = build(x)
    weight = np.linspace(-1.0, 1.0, np.size(reference(X))).reshape(np.shape(reference(X)))
    (grad,) = sg.gradients(sg.sum(output * sg.constant(weight)), [x])
    value, gradient = sg.compile([x], [output, grad])(X)
    np.testing.assert_allclose(value, reference(X), rtol=1e-12)
    numeric = numerical_gradient(lambda v: np.sum(reference(v) * weight), [X], 0)
    np.testing.assert_allclose(gradient, numeric, rtol=1e-6, atol=1e-8)


def test_expand_as_uses_runtime_shape(graph):
    x = sg.placeholder(sg.float64, (None, 4), name="x")
    b = sg.placeholder(sg.float64, (4,), name="b")
    expanded = sg.expand_as(b, x)
    (grad,) = sg.gradients(sg.sum(expanded), [b])
    value, gradient = sg.compile([x, b], [expanded, grad])(np.zeros((5, 4)), np.arange(4.0))
    np.testing.assert_array_equal(value, np.broadcast_to(np.arange(4.0), (5, 4)))
    np.testing.assert_array_equal(gradient, np.full(4, 5.0))


def test_logical_and_bool_reductions(graph):
    a = sg.placeholder(sg.bool, (None,), name="a")
    b = sg.placeholder(sg.bool, (None,), name="b")
    outputs = [sg.logical_and(a, b), sg.logical_or(a, b), sg.logical_not(a), sg.all(a), sg.any(b)]
    left, right = np.array([True, True, False]), np.array([True, False, False])
    values = sg.compile([a, b], outputs)(left, right)
    expected = [left & right, left | right, ~left, np.all(left), np.any(right)]
    for value, wanted in zip(values, expected):
        np.testing.assert_array_equal(value, wanted)
        assert value.dtype == np.bool_


def test_factories(graph):
    np.testing.assert_array_equal(sg.compile([], sg.zeros(2, 3))(), np.zeros((2, 3), np.float32))
    assert sg.ones((2,), dtype=sg.float64).dtype == np.float64
    assert sg.full((2,), 7).dtype == np.int64
    np.testing.assert_array_equal(sg.compile([], sg.arange(5))(), np.arange(5))
    assert sg.arange(0.0, 1.0, 0.25).dtype == np.float32


def test_rand_and_randn_match_generator_calls(graph):
    executable = sg.compile([], [sg.rand(2, 3), sg.randn(4, dtype=sg.float64)])
    sg.manual_seed(9)
    uniform, normal = executable()
    generator = np.random.default_rng(9)
    np.testing.assert_array_equal(uniform, generator.random((2, 3)).astype(np.float32))
    np.testing.assert_array_equal(normal, generator.standard_normal((4,)))


def test_dropout_mask_matches_generator_call(graph):
    x = sg.placeholder(sg.float64, (None, 5), name="x")
    executable = sg.compile([x], sg.dropout(x, 0.4))
    sg.manual_seed(2)
    value = executable(np.ones((3, 5)))
    keep = np.random.default_rng(2).random((3, 5)) >= 0.4
    np.testing.assert_allclose(value, keep / 0.6)


def test_dropout_switch_and_gradient(graph):
    x = sg.placeholder(sg.float64, (None, 5), name="x")
    training = sg.placeholder(sg.bool, (), name="training")
    output = sg.dropout(x, 0.5, training=training, seed=4)
    (grad,) = sg.gradients(sg.sum(output), [x])
    executable = sg.compile([x, training], [output, grad])
    data = np.arange(10.0).reshape(2, 5)
    off, off_grad = executable(data, False)
    np.testing.assert_array_equal(off, data)
    np.testing.assert_array_equal(off_grad, np.ones_like(data))
    on, on_grad = executable(data, True)
    np.testing.assert_array_equal(on, data * on_grad)
    assert set(np.unique(on_grad)) <= {0.0, 2.0}


def test_dropout_module_follows_train_and_eval(graph):
    layer = nn.Dropout(0.5)
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    assert layer(x).op.name == "mul"
    layer.eval()
    assert layer(x) is x or layer(x) == x


def test_dtype_aliases():
    assert sg.float is sg.float32
    assert sg.double is sg.float64
    assert sg.long is sg.int64
