"""Modules: registration, state dicts, modes, dtype conversion and PyTorch's initialization."""

import math

import numpy as np
import pytest

import eager
from eager import nn
from eager.errors import ModuleError, StateDictError


def mlp():
    return nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 32), nn.ReLU())


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer1 = nn.Linear(3, 5)
        self.act = nn.Tanh()
        self.layer2 = nn.Linear(5, 2)

    def forward(self, x):
        return self.layer2(self.act(self.layer1(x)))


def test_state_dict_keys_follow_torch():
    assert list(mlp().state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert list(Net().state_dict()) == ["layer1.weight", "layer1.bias", "layer2.weight",
                                        "layer2.bias"]


def test_state_dict_values_are_numpy_copies():
    model = Net()
    state = model.state_dict()
    assert all(isinstance(value, np.ndarray) for value in state.values())
    before = state["layer1.weight"].copy()
    with eager.no_grad():
        model.layer1.weight.add_(1.0)
    np.testing.assert_array_equal(state["layer1.weight"], before)


def test_load_state_dict_roundtrip():
    source, target = Net(), Net()
    target.load_state_dict(source.state_dict())
    for key, value in source.state_dict().items():
        np.testing.assert_array_equal(target.state_dict()[key], value)


def test_named_parameters_and_children():
    model = Net()
    names = [name for name, _ in model.named_parameters()]
    assert names == ["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias"]
    assert [type(child).__name__ for child in model.children()] == ["Linear", "Tanh", "Linear"]
    assert [type(module).__name__ for module in model.modules()] == ["Net", "Linear", "Tanh",
                                                                      "Linear"]
    assert len(list(model.parameters())) == 4


def test_shared_parameter_listed_once():
    layer = nn.Linear(2, 2)
    model = nn.Sequential(layer, nn.ReLU(), layer)
    assert len(list(model.parameters())) == 2


def test_train_eval_propagate():
    model = nn.Sequential(Net(), nn.Dropout(0.5))
    model.eval()
    assert all(not module.training for module in model.modules())
    model.train()
    assert all(module.training for module in model.modules())


def test_dropout_is_identity_in_eval():
    layer = nn.Dropout(0.5).eval()
    x = eager.ones(10, 10)
    np.testing.assert_array_equal(layer(x).numpy(), x.numpy())


@pytest.mark.parametrize("convert, dtype", [
    (lambda m: m.double(), eager.float64),
    (lambda m: m.double().float(), eager.float32),
    (lambda m: m.to(eager.float64), eager.float64),
])
def test_module_dtype_conversion(convert, dtype):
    model = convert(Net())
    assert all(p.dtype == dtype for p in model.parameters())
    out = model(eager.ones(2, 3, dtype=dtype))
    assert out.dtype == dtype


def test_sequential_indexing_len_iteration():
    model = mlp()
    assert len(model) == 4
    assert isinstance(model[0], nn.Linear)
    assert isinstance(model[-1], nn.ReLU)
    assert len(model[1:3]) == 2
    assert [type(m).__name__ for m in model] == ["Linear", "ReLU", "Linear", "ReLU"]


def test_module_list_registers_parameters():
    class Stack(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(2, 4), nn.Linear(4, 1)])

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

    model = Stack()
    assert list(model.state_dict()) == ["layers.0.weight", "layers.0.bias", "layers.1.weight",
                                        "layers.1.bias"]
    assert model(eager.ones(3, 2)).shape == (3, 1)


def test_apply_and_zero_grad():
    model = Net()
    visited = []
    model.apply(lambda m: visited.append(type(m).__name__))
    assert visited == ["Linear", "Tanh", "Linear", "Net"]
    model(eager.ones(1, 3)).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad(set_to_none=False)
    assert all(np.all(p.grad.numpy() == 0) for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


# ----- initialization ----------------------------------------------------------------------------


def test_linear_init_draws_as_specified():
    eager.manual_seed(123)
    layer = nn.Linear(4, 3)
    rng = np.random.default_rng(123)
    bound = math.sqrt(2.0 / (1 + 5)) * math.sqrt(3.0 / 4)
    weight = rng.uniform(-bound, bound, size=(3, 4)).astype(np.float32)
    bias = rng.uniform(-0.5, 0.5, size=(3,)).astype(np.float32)
    np.testing.assert_array_equal(layer.weight.detach().numpy(), weight)
    np.testing.assert_array_equal(layer.bias.detach().numpy(), bias)


def test_manual_seed_reproduces_weights():
    eager.manual_seed(7)
    first = mlp().state_dict()
    eager.manual_seed(7)
    second = mlp().state_dict()
    for key in first:
        np.testing.assert_array_equal(first[key], second[key])


@pytest.mark.parametrize("name, call, bound_or_std", [
    ("xavier_uniform_", lambda t, g: nn.init.xavier_uniform_(t, gain=2.0, generator=g),
     ("uniform", 2.0 * math.sqrt(6.0 / (30 + 20)))),
    ("kaiming_uniform_", lambda t, g: nn.init.kaiming_uniform_(t, nonlinearity="relu", generator=g),
     ("uniform", math.sqrt(2.0) * math.sqrt(3.0 / 30))),
    ("kaiming_uniform_fan_out", lambda t, g: nn.init.kaiming_uniform_(t, a=0.2, mode="fan_out",
                                                                      generator=g),
     ("uniform", math.sqrt(2.0 / 1.04) * math.sqrt(3.0 / 20))),
    ("xavier_normal_", lambda t, g: nn.init.xavier_normal_(t, generator=g),
     ("normal", math.sqrt(2.0 / 50))),
    ("kaiming_normal_", lambda t, g: nn.init.kaiming_normal_(t, nonlinearity="tanh", generator=g),
     ("normal", (5.0 / 3.0) / math.sqrt(30))),
])
def test_init_formulas_and_generator(name, call, bound_or_std):
    weight = eager.empty(20, 30, dtype=eager.float64)
    call(weight, np.random.default_rng(5))
    kind, scale = bound_or_std
    rng = np.random.default_rng(5)
    expected = rng.uniform(-scale, scale, (20, 30)) if kind == "uniform" else \
        rng.normal(0.0, scale, (20, 30))
    np.testing.assert_allclose(weight.numpy(), expected, rtol=1e-12)


def test_calculate_gain_table():
    assert nn.init.calculate_gain("linear") == 1.0
    assert nn.init.calculate_gain("sigmoid") == 1.0
    assert nn.init.calculate_gain("tanh") == pytest.approx(5.0 / 3.0)
    assert nn.init.calculate_gain("relu") == pytest.approx(math.sqrt(2.0))
    assert nn.init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2.0 / (1 + 0.01 ** 2)))
    assert nn.init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2.0 / 1.04))
    assert nn.init.calculate_gain("selu") == 0.75
    with pytest.raises(ValueError, match="unsupported nonlinearity"):
        nn.init.calculate_gain("swish")


def test_simple_initializers():
    t = eager.empty(3, 2)
    assert np.all(nn.init.zeros_(t).numpy() == 0)
    assert np.all(nn.init.ones_(t).numpy() == 1)
    values = nn.init.uniform_(t, -0.1, 0.1, generator=np.random.default_rng(0)).numpy()
    assert values.min() >= -0.1
    assert values.max() <= 0.1
    assert nn.init.normal_(t, 3.0, 0.0).numpy().mean() == pytest.approx(3.0)


def test_linear_matches_torch_forward_backward():
    torch = pytest.importorskip("torch")
    eager.manual_seed(0)
    model = mlp().double()
    reference = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(),
                                    torch.nn.Linear(16, 32), torch.nn.ReLU()).double()
    reference.load_state_dict({k: torch.tensor(v) for k, v in model.state_dict().items()})
    xv = np.random.default_rng(1).normal(size=(7, 4))
    x = eager.tensor(xv, requires_grad=True)
    tx = torch.tensor(xv, requires_grad=True)
    model(x).sum().backward()
    reference(tx).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), atol=1e-12)
    for (name, p), (_, q) in zip(model.named_parameters(), reference.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), atol=1e-12, err_msg=name)


def test_mlp_gradcheck():
    eager.manual_seed(3)
    model = mlp().double()
    x = eager.tensor(np.random.default_rng(2).normal(size=(3, 4)), requires_grad=True)
    params = list(model.parameters())

    def fn(x, *weights):
        return model(x)

    assert eager.autograd.gradcheck(fn, [x] + params)


def test_attribute_reassignment_keeps_registries_in_step():
    model = Net()
    new_layer = nn.Linear(3, 5, bias=False)
    model.layer1 = new_layer
    assert model.layer1 is new_layer
    assert "layer1.bias" not in model.state_dict()
    model.layer1.weight = nn.Parameter(eager.zeros(5, 3))
    assert np.all(model.state_dict()["layer1.weight"] == 0)
    del model.act
    assert [name for name, _ in model.named_children()] == ["layer1", "layer2"]
    assert not hasattr(model, "act")
    with pytest.raises(ModuleError, match="is a parameter"):
        model.layer1.weight = eager.zeros(5, 3)


def test_module_list_setitem_and_insert():
    layers = nn.ModuleList([nn.Linear(1, 1), nn.Linear(1, 2)])
    replacement = nn.Linear(1, 3)
    layers[1] = replacement
    assert layers[1] is replacement
    layers.insert(0, nn.ReLU())
    assert [type(m).__name__ for m in layers] == ["ReLU", "Linear", "Linear"]
    assert list(layers.state_dict()) == ["1.weight", "1.bias", "2.weight", "2.bias"]
