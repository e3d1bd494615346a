import math

import numpy as np
import pytest

import staticgraph as sg
from staticgraph import nn
from staticgraph.errors import ModuleUsageError, StateDictError


def _mlp():
    return nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 32), nn.ReLU())


def test_sequential_repr_matches_pytorch_text(graph):
    expected = (
        "Sequential(\n"
        "  (0): Linear(in_features=4, out_features=16, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Linear(in_features=16, out_features=32, bias=True)\n"
        "  (3): ReLU()\n"
        ")"
    )
    assert repr(_mlp()) == expected


def test_custom_module_repr(graph):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer1 = nn.Linear(2, 3, bias=False)
            self.layer2 = nn.Sequential(nn.Sigmoid(), nn.Tanh())

        def forward(self, x):
            return self.layer2(self.layer1(x))

    expected = (
        "Net(\n"
        "  (layer1): Linear(in_features=2, out_features=3, bias=False)\n"
        "  (layer2): Sequential(\n"
        "    (0): Sigmoid()\n"
        "    (1): Tanh()\n"
        "  )\n"
        ")"
    )
    assert repr(Net()) == expected


def test_repr_matches_torch(graph):
    torch = pytest.importorskip("torch")
    reference = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 32), torch.nn.ReLU())
    assert repr(_mlp()) == repr(reference)


def test_state_dict_keys_and_shapes(graph):
    state = _mlp().state_dict()
    assert list(state) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert state["0.weight"].shape == (16, 4)
    assert state["2.bias"].shape == (32,)
    assert all(isinstance(value, np.ndarray) for value in state.values())


def test_linear_init_draws_contract_sequence(graph):
    sg.manual_seed(123)
    layer = nn.Linear(4, 3)
    generator = np.random.default_rng(123)
    bound = math.sqrt(2.0 / (1 + 5)) * math.sqrt(3.0 / 4)
    weight = generator.uniform(-bound, bound, size=(3, 4)).astype(np.float32)
    bias = generator.uniform(-0.5, 0.5, size=(3,)).astype(np.float32)
    np.testing.assert_array_equal(layer.weight.numpy(), weight)
    np.testing.assert_array_equal(layer.bias.numpy(), bias)
    assert layer.weight.dtype == np.float32


def test_linear_forward_matches_numpy(graph):
    model = _mlp().double()
    x = sg.placeholder(sg.float64, (None, 4), name="x")
    output = sg.compile([x], model(x))
    data = np.random.default_rng(0).normal(size=(5, 4))
    state = model.state_dict()
    hidden = np.maximum(data @ state["0.weight"].T + state["0.bias"], 0)
    expected = np.maximum(hidden @ state["2.weight"].T + state["2.bias"], 0)
    np.testing.assert_allclose(output(data), expected, rtol=1e-12)


def test_load_state_dict_round_trip(graph):
    source, target = _mlp().double(), _mlp().double()
    target.load_state_dict(source.state_dict())
    for key, value in source.state_dict().items():
        np.testing.assert_array_equal(target.state_dict()[key], value)


def test_load_state_dict_bad_entries(graph):
    model = _mlp()
    before = model.state_dict()
    bad = dict(before)
    del bad["0.bias"]
    bad["extra.weight"] = np.zeros(2)
    bad["2.weight"] = np.zeros((3, 3))
    bad["0.weight"] = np.ones((16, 4))
    with pytest.raises(StateDictError) as caught:
        model.load_state_dict(bad)
    message = str(caught.value)
    assert "missing keys: ['0.bias']" in message
    assert "unexpected keys: ['extra.weight']" in message
    assert "2.weight: shape (3, 3) in the state dict, (32, 16) in the model" in message
    assert "no parameter was changed" in message
    for key, value in before.items():
        np.testing.assert_array_equal(model.state_dict()[key], value)


def test_parameters_registered_in_order(graph):
    model = _mlp()
    names = [name for name, _ in model.named_parameters()]
    assert names == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert all(parameter.kind == "variable" for parameter in model.parameters())


def test_parameter_in_custom_module(graph):
    class Scale(nn.Module):
        def __init__(self):
            super().__init__()
            self.factor = nn.Parameter(np.ones(3))

        def forward(self, x):
            return x * self.factor

    module = Scale()
    assert list(module.state_dict()) == ["factor"]


def test_module_list_registers_children(graph):
    layers = nn.ModuleList([nn.Linear(2, 4), nn.Linear(4, 1)])
    assert len(layers) == 2
    assert [name for name, _ in layers.named_parameters()] == ["0.weight", "0.bias", "1.weight", "1.bias"]


def test_double_after_use_raises(graph):
    layer = nn.Linear(2, 2)
    x = sg.placeholder(sg.float32, (None, 2), name="x")
    layer(x)
    with pytest.raises(sg.errors.DTypeError, match="already use it"):
        layer.double()


# --- mistakes from the study material -------------------------------------------------


@pytest.mark.parametrize("layer, functional", [(nn.ReLU, "relu"), (nn.Sigmoid, "sigmoid"), (nn.Tanh, "tanh"), (nn.Softmax, "softmax")])
def test_layer_constructed_with_tensor(graph, layer, functional):
    x = sg.placeholder(sg.float32, (None, 4), name="x")
    name = layer.__name__
    with pytest.raises(ModuleUsageError, match=f"nn.{name} was constructed with the node 'x', but nn.{name} is a layer: construct it once and then call it on the node, e.g. nn.{name}\\(\\)\\(x\\).*nn.functional.{functional}\\(x\\)"):
        layer(x)


@pytest.mark.parametrize("loss", [nn.CrossEntropyLoss, nn.MSELoss, nn.BCELoss, nn.BCEWithLogitsLoss])
def test_loss_constructed_with_tensor(graph, loss):
    x = sg.placeholder(sg.float32, (None, 4), name="x")
    with pytest.raises(ModuleUsageError, match=f"nn.{loss.__name__} was constructed with the node 'x', but it is a loss module: construct it once"):
        loss(x)


def test_relu_in_forward_raises_at_that_line(graph):
    class Book(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer1 = nn.Linear(4, 3)

        def forward(self, x):
            x = self.layer1(x)
            x = nn.ReLU(x)
            return x

    x = sg.placeholder(sg.float32, (None, 4), name="x")
    with pytest.raises(ModuleUsageError) as caught:
        Book()(x)
    user_entries = [entry for entry in caught.traceback if str(entry.path) == __file__]
    assert user_entries[-1].statement.lines[0].strip() == "x = nn.ReLU(x)"


@pytest.mark.parametrize("operation", [
    lambda module, x: module + x,
    lambda module, x: x * module,
    lambda module, x: sg.matmul(module, x),
    lambda module, x: nn.Linear(4, 2)(module),
    lambda module, x: sg.relu(module),
])
def test_module_passed_as_data(graph, operation):
    x = sg.placeholder(sg.float32, (None, 4), name="x")
    module = nn.ReLU()
    with pytest.raises(ModuleUsageError, match="received the module ReLU\\(\\) where a node was expected. A module must be called on a node.*nn.functional.relu\\(x\\)"):
        operation(module, x)


def test_missing_super_init(graph):
    class Forgetful(nn.Module):
        def __init__(self):
            self.layer = nn.Linear(2, 2)

    with pytest.raises(ModuleUsageError, match="Forgetful.__init__ did not call super\\(\\).__init__\\(\\).*Add `super\\(\\).__init__\\(\\)` as the first line of Forgetful.__init__"):
        Forgetful()


def test_missing_super_init_without_attributes(graph):
    class Empty(nn.Module):
        def __init__(self):
            pass

        def forward(self, x):
            return x

    with pytest.raises(ModuleUsageError, match="Empty.__init__ did not call super"):
        Empty()(sg.placeholder(sg.float32, (2,), name="x"))


def test_double_failure_changes_no_parameter(graph):
    model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))
    x = sg.placeholder(sg.float32, (None, 2), name="x")
    model[1](x)
    with pytest.raises(sg.errors.DTypeError, match="already use it"):
        model.double()
    assert [parameter.dtype for parameter in model.parameters()] == [np.float32] * 4
