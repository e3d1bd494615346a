"""The MLP Linear(4,16) -> ReLU -> Linear(16,32) -> ReLU agrees in both modes.

Both models contain the same float64 weights. Values and gradients of
``output.sum()`` must agree within 1e-12 and match central finite
differences of a plain NumPy forward pass.
"""

import numpy as np
import pytest

import eager
import staticgraph as sg

TOLERANCE = 1e-12
PYTORCH_REPR = """Sequential(
  (0): Linear(in_features=4, out_features=16, bias=True)
  (1): ReLU()
  (2): Linear(in_features=16, out_features=32, bias=True)
  (3): ReLU()
)"""


def build_mlp(ops, dtype):
    nn = ops.nn
    return nn.Sequential(
        nn.Linear(4, 16, dtype=dtype), nn.ReLU(), nn.Linear(16, 32, dtype=dtype), nn.ReLU()
    )


def numpy_forward(state, x):
    hidden = np.maximum(x @ state["0.weight"].T + state["0.bias"], 0.0)
    return np.maximum(hidden @ state["2.weight"].T + state["2.bias"], 0.0)


def eager_values_and_grads(state, x):
    model = build_mlp(eager, eager.float64)
    model.load_state_dict(state)
    inputs = eager.tensor(x, requires_grad=True)
    output = model(inputs)
    output.sum().backward()

    grads = {name: p.grad.numpy() for name, p in model.named_parameters()}
    grads["input"] = inputs.grad.numpy()
    return output.detach().numpy(), grads


def static_values_and_grads(state, x):
    graph = sg.Graph()
    with graph.as_default():
        model = build_mlp(sg, sg.float64)
        model.load_state_dict(state)
        inputs = sg.placeholder(sg.float64, shape=(None, 4), name="x")
        output = model(inputs)
        names, params = zip(*model.named_parameters())
        grad_nodes = sg.gradients(sg.sum(output), list(params) + [inputs])
        executable = sg.compile([inputs], [output] + grad_nodes)

    results = executable(x)
    grads = dict(zip(list(names) + ["input"], results[1:]))
    return results[0], grads


def finite_difference(f, array, step=1e-6):
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + step
        upper = f()
        array[index] = saved - step
        lower = f()
        array[index] = saved
        grad[index] = (upper - lower) / (2 * step)
    return grad


@pytest.fixture
def weights_and_input():
    eager.manual_seed(0)
    state = build_mlp(eager, eager.float64).state_dict()
    # Inputs away from the ReLU kinks, so finite differences are exact up to rounding.
    x = np.random.default_rng(3).uniform(0.5, 1.5, size=(5, 4))
    return state, x


def test_same_seed_gives_same_weights():
    eager.manual_seed(7)
    eager_state = build_mlp(eager, eager.float64).state_dict()
    sg.manual_seed(7)
    with sg.Graph().as_default():
        static_state = build_mlp(sg, sg.float64).state_dict()

    assert list(eager_state) == list(static_state)
    for name in eager_state:
        np.testing.assert_array_equal(static_state[name], eager_state[name], err_msg=name)


def test_values_and_gradients_agree(weights_and_input):
    state, x = weights_and_input

    eager_out, eager_grads = eager_values_and_grads(state, x)
    static_out, static_grads = static_values_and_grads(state, x)

    np.testing.assert_allclose(static_out, eager_out, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(eager_out, numpy_forward(state, x), rtol=0, atol=TOLERANCE)
    assert sorted(static_grads) == sorted(eager_grads)
    for name in eager_grads:
        np.testing.assert_allclose(static_grads[name], eager_grads[name], rtol=0, atol=TOLERANCE, err_msg=name)


def test_gradients_match_finite_differences(weights_and_input):
    state, x = weights_and_input
    state = {name: value.copy() for name, value in state.items()}
    _, eager_grads = eager_values_and_grads(state, x)
    arrays = dict(state, input=x.copy())

    def loss():
        return numpy_forward({k: v for k, v in arrays.items() if k != "input"}, arrays["input"]).sum()

    for name, array in arrays.items():
        numeric = finite_difference(loss, array)
        np.testing.assert_allclose(eager_grads[name], numeric, rtol=1e-6, atol=1e-7, err_msg=name)


@pytest.mark.parametrize("batch", [1, 150])
def test_one_executable_runs_any_batch(batch, weights_and_input):
    state, _ = weights_and_input
    x = np.random.default_rng(batch).standard_normal((batch, 4))

    static_out, _ = static_values_and_grads(state, x)

    assert static_out.shape == (batch, 32)
    np.testing.assert_allclose(static_out, numpy_forward(state, x), rtol=0, atol=TOLERANCE)


def test_repr_matches_pytorch_in_both_modes():
    with sg.Graph().as_default():
        static_text = repr(build_mlp(sg, sg.float32))

    assert repr(build_mlp(eager, eager.float32)) == PYTORCH_REPR
    assert static_text == PYTORCH_REPR


def test_matches_pytorch(weights_and_input):
    torch = pytest.importorskip("torch")
    state, x = weights_and_input
    model = torch.nn.Sequential(
        torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 32), torch.nn.ReLU()
    ).double()
    model.load_state_dict({name: torch.from_numpy(value) for name, value in state.items()})
    inputs = torch.tensor(x, requires_grad=True)
    output = model(inputs)
    output.sum().backward()

    assert repr(model) == PYTORCH_REPR
    eager_out, eager_grads = eager_values_and_grads(state, x)
    np.testing.assert_allclose(eager_out, output.detach().numpy(), rtol=0, atol=TOLERANCE)
    for name, param in model.named_parameters():
        np.testing.assert_allclose(eager_grads[name], param.grad.numpy(), rtol=0, atol=TOLERANCE, err_msg=name)
    np.testing.assert_allclose(eager_grads["input"], inputs.grad.numpy(), rtol=0, atol=TOLERANCE)


def make_two_layer_class(ops):
    nn = ops.nn

    class TwoLayer(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer1 = nn.Linear(4, 16)
            self.layer2 = nn.Linear(16, 3)

        def forward(self, x):
            return self.layer2(ops.relu(self.layer1(x)))

    return TwoLayer


def test_subclass_repr_names_attributes():
    expected = """TwoLayer(
  (layer1): Linear(in_features=4, out_features=16, bias=True)
  (layer2): Linear(in_features=16, out_features=3, bias=True)
)"""
    with sg.Graph().as_default():
        static_text = repr(make_two_layer_class(sg)())

    assert repr(make_two_layer_class(eager)()) == expected
    assert static_text == expected
