"""Random MLPs run in eager, staticgraph and PyTorch: forward, gradients, SGD steps.

Layer sizes, batch size (including 1), activation, seed, learning rate and
the number of SGD steps are drawn. Both modes build the model from the same
seed; PyTorch loads eager's initial weights. The loss is
``mse_loss(model(x), y)``.
"""

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

import eager
import staticgraph
from tests.strategies import float_arrays

ACTIVATIONS = ["ReLU", "Sigmoid", "Tanh"]


@dataclass
class MLPCase:
    sizes: list
    activation: str
    seed: int
    lr: float
    steps: int
    x: np.ndarray
    y: np.ndarray


@dataclass
class MLPRun:
    """Initial weights, forward output, loss, gradients and the weights after training."""

    initial: dict
    output: np.ndarray
    loss: np.ndarray
    grads: dict
    trained: dict


@st.composite
def mlp_cases(draw):
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=4))
    batch = draw(st.integers(1, 5))
    return MLPCase(
        sizes=sizes,
        activation=draw(st.sampled_from(ACTIVATIONS)),
        seed=draw(st.integers(0, 2**32 - 1)),
        lr=draw(st.sampled_from([0.01, 0.1, 0.5])),
        steps=draw(st.integers(1, 2)),
        x=draw(float_arrays((batch, sizes[0]))),
        y=draw(float_arrays((batch, sizes[-1]))),
    )


def build_mlp(nn, case, dtype):
    """Linear layers of ``case.sizes`` with the activation after every hidden layer."""
    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(case.sizes, case.sizes[1:])):
        if i:
            layers.append(getattr(nn, case.activation)())
        layers.append(nn.Linear(fan_in, fan_out, dtype=dtype))
    return nn.Sequential(*layers)


def copy_state(state):
    return {name: np.array(value, dtype=np.float64) for name, value in state.items()}


def run_eager(case):
    eager.manual_seed(case.seed)
    model = build_mlp(eager.nn, case, eager.float64)
    initial = copy_state(model.state_dict())
    optimizer = eager.optim.SGD(model.parameters(), lr=case.lr)

    x = eager.tensor(case.x.copy(), requires_grad=True)
    output = model(x)
    loss = eager.mse_loss(output, eager.tensor(case.y.copy()))
    loss.backward()
    grads = {name: p.grad.numpy().copy() for name, p in model.named_parameters()}
    grads["input"] = x.grad.numpy().copy()
    optimizer.step()

    for _ in range(case.steps - 1):
        optimizer.zero_grad()
        eager.mse_loss(model(eager.tensor(case.x.copy())), eager.tensor(case.y.copy())).backward()
        optimizer.step()
    return MLPRun(initial, output.detach().numpy(), loss.detach().numpy(), grads, copy_state(model.state_dict()))


def run_static(case):
    staticgraph.manual_seed(case.seed)
    with staticgraph.Graph().as_default():
        model = build_mlp(staticgraph.nn, case, staticgraph.float64)
        initial = copy_state(model.state_dict())
        x = staticgraph.placeholder(staticgraph.float64, shape=(None, case.sizes[0]), name="x")
        y = staticgraph.placeholder(staticgraph.float64, shape=(None, case.sizes[-1]), name="y")
        output = model(x)
        loss = staticgraph.mse_loss(output, y)
        names, params = zip(*model.named_parameters())
        grad_nodes = staticgraph.gradients(loss, list(params) + [x])
        evaluate = staticgraph.compile([x, y], [output, loss] + grad_nodes)
        updates = staticgraph.optim.SGD(list(params), lr=case.lr).updates(loss)
        train = staticgraph.compile([x, y], [loss], updates=updates)

    results = evaluate(case.x.copy(), case.y.copy())
    for _ in range(case.steps):
        train(case.x.copy(), case.y.copy())
    grads = dict(zip(list(names) + ["input"], results[2:]))
    return MLPRun(initial, results[0], results[1], grads, copy_state(model.state_dict()))


def run_torch(case, torch, initial):
    model = build_mlp(torch.nn, case, torch.float64)
    model.load_state_dict({name: torch.tensor(value) for name, value in initial.items()})
    optimizer = torch.optim.SGD(model.parameters(), lr=case.lr)

    x = torch.tensor(case.x, requires_grad=True)
    output = model(x)
    loss = torch.nn.functional.mse_loss(output, torch.tensor(case.y))
    loss.backward()
    grads = {name: p.grad.numpy().copy() for name, p in model.named_parameters()}
    grads["input"] = x.grad.numpy().copy()
    optimizer.step()

    for _ in range(case.steps - 1):
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(torch.tensor(case.x)), torch.tensor(case.y)).backward()
        optimizer.step()
    trained = {name: value.detach().numpy().copy() for name, value in model.state_dict().items()}
    return MLPRun(initial, output.detach().numpy(), loss.detach().numpy(), grads, trained)


def assert_dicts_close(actual, expected, rtol, atol, label):
    assert list(actual) == list(expected), f"{label}: keys {list(actual)}, expected {list(expected)}"
    for name in expected:
        assert np.shape(actual[name]) == np.shape(expected[name]), f"{label}: shape of {name}"
        np.testing.assert_allclose(actual[name], expected[name], rtol=rtol, atol=atol, err_msg=f"{label}: {name}")


def assert_runs_close(actual, expected, rtol, atol, label):
    np.testing.assert_allclose(actual.output, expected.output, rtol=rtol, atol=atol, err_msg=f"{label}: output")
    np.testing.assert_allclose(actual.loss, expected.loss, rtol=rtol, atol=atol, err_msg=f"{label}: loss")
    assert_dicts_close(actual.grads, expected.grads, rtol, atol, f"{label}: gradients")
    assert_dicts_close(actual.trained, expected.trained, rtol, atol, f"{label}: weights after SGD")
