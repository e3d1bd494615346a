import math

import numpy as np
import pytest

import staticgraph as sg
from staticgraph import nn
from staticgraph.errors import ModuleUsageError


@pytest.mark.parametrize("nonlinearity, param", [
    ("linear", None), ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2),
    ("selu", None),
])
def test_calculate_gain_matches_torch(nonlinearity, param):
    torch = pytest.importorskip("torch")
    assert nn.init.calculate_gain(nonlinearity, param) == pytest.approx(torch.nn.init.calculate_gain(nonlinearity, param))


def test_calculate_gain_rejects_unknown():
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'"):
        nn.init.calculate_gain("swish")


@pytest.mark.parametrize("function, draw", [
    (lambda v, g: nn.init.xavier_uniform_(v, gain=2.0, generator=g),
     lambda g: g.uniform(-2.0 * math.sqrt(6 / 7), 2.0 * math.sqrt(6 / 7), size=(3, 4))),
    (lambda v, g: nn.init.xavier_normal_(v, generator=g), lambda g: g.normal(0.0, math.sqrt(2 / 7), size=(3, 4))),
    (lambda v, g: nn.init.kaiming_uniform_(v, a=0, nonlinearity="relu", generator=g),
     lambda g: g.uniform(-math.sqrt(2) * math.sqrt(3 / 4), math.sqrt(2) * math.sqrt(3 / 4), size=(3, 4))),
    (lambda v, g: nn.init.kaiming_normal_(v, mode="fan_out", nonlinearity="relu", generator=g),
     lambda g: g.normal(0.0, math.sqrt(2) / math.sqrt(3), size=(3, 4))),
    (lambda v, g: nn.init.uniform_(v, -0.5, 0.25, generator=g), lambda g: g.uniform(-0.5, 0.25, size=(3, 4))),
    (lambda v, g: nn.init.normal_(v, 1.0, 0.1, generator=g), lambda g: g.normal(1.0, 0.1, size=(3, 4))),
])
def test_init_draws_with_one_generator_call(graph, function, draw):
    weight = sg.variable(np.zeros((3, 4), dtype=np.float32), name="w")
    function(weight, np.random.default_rng(42))
    np.testing.assert_array_equal(weight.numpy(), draw(np.random.default_rng(42)).astype(np.float32))
    assert weight.dtype == np.float32


def test_init_uses_global_generator(graph):
    weight = sg.variable(np.zeros(5), name="w")
    sg.manual_seed(8)
    nn.init.uniform_(weight)
    np.testing.assert_array_equal(weight.numpy(), np.random.default_rng(8).uniform(0.0, 1.0, size=5))


def test_constant_inits(graph):
    weight = sg.variable(np.ones((2, 2)), name="w")
    nn.init.zeros_(weight)
    np.testing.assert_array_equal(weight.numpy(), np.zeros((2, 2)))
    nn.init.constant_(weight, 3.5)
    np.testing.assert_array_equal(weight.numpy(), np.full((2, 2), 3.5))


def test_init_rejects_non_variable(graph):
    x = sg.placeholder(sg.float32, (2, 2), name="x")
    with pytest.raises(ModuleUsageError, match="expects a variable node"):
        nn.init.xavier_uniform_(x)


def test_fans_need_two_dims(graph):
    bias = sg.variable(np.zeros(3), name="b")
    with pytest.raises(ValueError, match="at least 2 dims"):
        nn.init.xavier_uniform_(bias)


def test_linear_without_bias_and_with_dtype(graph):
    layer = nn.Linear(3, 2, bias=False, dtype=sg.float64)
    assert layer.bias is None
    assert [name for name, _ in layer.named_parameters()] == ["weight"]
    assert layer.weight.dtype == np.float64


def test_softmax_implicit_dim(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    out = sg.compile([x], nn.Softmax()(x))(np.array([[1.0, 2.0, 3.0]]))
    np.testing.assert_allclose(out.sum(1), [1.0])
    assert repr(nn.Softmax(dim=1)) == "Softmax(dim=1)"


def test_train_eval_propagate(graph):
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU()))
    model.eval()
    assert [module.training for module in model.modules()] == [False] * 4
    model.train()
    assert [module.training for module in model.modules()] == [True] * 4
