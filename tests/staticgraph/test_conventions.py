"""Gradient conventions at kinks and ties, and the cross-entropy probability warning."""

import warnings

import numpy as np
import pytest

import staticgraph as sg
from staticgraph.ops import nn_ops


def _grad(build, value):
    graph = sg.Graph()
    with graph.as_default():
        x = sg.placeholder(sg.float64, np.shape(value), name="x")
        (grad,) = sg.gradients(sg.sum(build(x)), [x])
        return sg.compile([x], grad)(value)


def test_relu_gradient_at_zero_is_zero():
    np.testing.assert_array_equal(_grad(sg.relu, np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 1.0])


def test_abs_gradient_at_zero_is_zero():
    np.testing.assert_array_equal(_grad(sg.abs, np.array([-1.0, 0.0, 2.0])), [-1.0, 0.0, 1.0])


@pytest.mark.parametrize("reduce", [sg.max, sg.min])
def test_reduction_ties_split_evenly(reduce):
    grad = _grad(reduce, np.array([3.0, 1.0, 3.0, 3.0]) if reduce is sg.max else np.array([1.0, 1.0, 5.0, 2.0]))
    expected = [1 / 3, 0, 1 / 3, 1 / 3] if reduce is sg.max else [0.5, 0.5, 0, 0]
    np.testing.assert_allclose(grad, expected)
    assert grad.sum() == pytest.approx(1.0)


def test_reduction_ties_along_dim():
    grad = _grad(lambda x: sg.max(x, 1).values, np.array([[2.0, 2.0], [1.0, 0.0]]))
    np.testing.assert_allclose(grad, [[0.5, 0.5], [1.0, 0.0]])


def test_max_with_dim_returns_values_and_indices(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    result = sg.max(x, dim=1)
    values, indices = sg.compile([x], [result.values, result.indices])(np.array([[1.0, 5.0, 2.0], [7.0, 0.0, 1.0]]))
    np.testing.assert_array_equal(values, [5.0, 7.0])
    np.testing.assert_array_equal(indices, [1, 0])
    assert result.indices.dtype == np.int64


@pytest.mark.parametrize("function", [sg.maximum, sg.minimum])
def test_elementwise_ties_split_evenly(graph, function):
    a = sg.placeholder(sg.float64, (3,), name="a")
    b = sg.placeholder(sg.float64, (3,), name="b")
    grads = sg.compile([a, b], sg.gradients(sg.sum(function(a, b)), [a, b]))(np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 4.0]))
    winner_a = [0.5, 1.0, 0.0] if function is sg.maximum else [0.5, 0.0, 1.0]
    np.testing.assert_allclose(grads[0], winner_a)
    np.testing.assert_allclose(grads[0] + grads[1], 1.0)


def test_clamp_gradient_passes_at_bounds():
    np.testing.assert_array_equal(_grad(lambda x: sg.clamp(x, 0.0, 1.0), np.array([-1.0, 0.0, 0.5, 1.0, 2.0])), [0, 1, 1, 1, 0])


@pytest.fixture
def fresh_warning(monkeypatch):
    monkeypatch.setitem(nn_ops.probability_warning, "issued", False)


def test_cross_entropy_warns_once_on_softmax_input(graph, fresh_warning):
    logits = sg.placeholder(sg.float32, (None, 3), name="logits")
    target = sg.placeholder(sg.int64, (None,), name="target")
    with pytest.warns(UserWarning, match="looks like probabilities.*expects logits"):
        sg.cross_entropy(sg.softmax(logits, 1), target)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sg.cross_entropy(sg.softmax(logits, 1), target)


def test_cross_entropy_warns_on_constant_probability_rows(graph, fresh_warning):
    with pytest.warns(UserWarning, match="looks like probabilities"):
        sg.cross_entropy(sg.constant(np.array([[0.2, 0.8], [0.5, 0.5]])), sg.constant(np.array([1, 0])))


def test_cross_entropy_silent_on_logits(graph, fresh_warning):
    logits = sg.placeholder(sg.float32, (None, 3), name="logits")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sg.cross_entropy(logits, sg.placeholder(sg.int64, (None,), name="t"))
        sg.cross_entropy(sg.constant(np.array([[2.0, -1.0]])), sg.constant(np.array([0])))


def test_cross_entropy_soft_targets_match_numpy(graph):
    logits = np.array([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]])
    soft = np.array([[0.2, 0.5, 0.3], [1.0, 0.0, 0.0]])
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    t = sg.placeholder(sg.float64, (None, 3), name="t")
    value = sg.compile([x, t], sg.cross_entropy(x, t))(logits, soft)
    log_probabilities = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    assert float(value) == pytest.approx(-(soft * log_probabilities).sum(1).mean())


@pytest.mark.parametrize("options", [
    {"weight": np.array([1.0, 2.0, 0.5])},
    {"label_smoothing": 0.1},
    {"weight": np.array([1.0, 2.0, 0.5]), "label_smoothing": 0.2},
    {"weight": np.array([0.3, 2.0, 1.5]), "reduction": "sum"},
    {"weight": np.array([0.3, 2.0, 1.5]), "reduction": "none", "label_smoothing": 0.3},
])
def test_cross_entropy_options_match_torch(graph, options):
    torch = pytest.importorskip("torch")
    logits = np.array([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0], [0.0, 0.2, -0.4]])
    labels = np.array([1, 2, 0])
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    t = sg.placeholder(sg.int64, (None,), name="t")
    loss = sg.cross_entropy(x, t, **options)
    (grad,) = sg.gradients(loss, [x])
    value, gradient = sg.compile([x, t], [loss, grad])(logits, labels)

    reference_input = torch.tensor(logits, requires_grad=True)
    torch_options = {key: torch.tensor(value) if key == "weight" else value for key, value in options.items()}
    reference = torch.nn.functional.cross_entropy(reference_input, torch.tensor(labels), **torch_options)
    reference.sum().backward()
    np.testing.assert_allclose(value, reference.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(gradient, reference_input.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_loss_module_passes_options(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    t = sg.placeholder(sg.int64, (None,), name="t")
    module_loss = sg.nn.CrossEntropyLoss(weight=np.array([1.0, 2.0, 3.0]), label_smoothing=0.1)(x, t)
    functional_loss = sg.cross_entropy(x, t, weight=np.array([1.0, 2.0, 3.0]), label_smoothing=0.1)
    executable = sg.compile([x, t], [module_loss, functional_loss])
    first, second = executable(np.array([[0.1, 0.2, 0.3]]), np.array([2]))
    assert float(first) == float(second)
    with pytest.raises(TypeError, match="unknown options \\['smoothing'\\]"):
        sg.nn.CrossEntropyLoss(smoothing=0.1)


def test_cross_entropy_runtime_probability_warning(graph, fresh_warning):
    scores = sg.placeholder(sg.float64, (None, 3), name="scores")
    target = sg.placeholder(sg.int64, (None,), name="target")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        executable = sg.compile([scores, target], sg.cross_entropy(scores, target))
        executable(np.array([[2.0, -1.0, 0.5]]), np.array([0]))
    with pytest.warns(UserWarning, match="the input fed at run time looks like probabilities"):
        executable(np.array([[0.2, 0.3, 0.5], [0.1, 0.8, 0.1]]), np.array([0, 1]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        executable(np.array([[0.2, 0.3, 0.5]]), np.array([0]))
