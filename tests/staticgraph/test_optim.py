import numpy as np
import pytest

import staticgraph as sg
from staticgraph.errors import ModuleUsageError

TARGET = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])


def _static_run(optimizer_factory, steps, start):
    graph = sg.Graph()
    with graph.as_default():
        w = sg.variable(start.copy(), name="w")
        loss = sg.sum((w - TARGET) ** 2 * sg.constant(np.array([1.0, 2.0, 3.0])))
        optimizer = optimizer_factory([w])
        step = sg.compile([], loss, updates=optimizer.updates(loss))
        losses = [float(step()) for _ in range(steps)]
    return np.array(losses), w.numpy()


def _loss_and_grad(w):
    weights = np.array([1.0, 2.0, 3.0])
    return float(np.sum((w - TARGET) ** 2 * weights)), 2 * (w - TARGET) * weights


def _numpy_sgd(start, steps, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
    w, buffer, losses = start.copy(), None, []
    for _ in range(steps):
        loss, grad = _loss_and_grad(w)
        losses.append(loss)
        grad = grad + weight_decay * w
        if momentum:
            buffer = grad.copy() if buffer is None else momentum * buffer + (1 - dampening) * grad
            grad = grad + momentum * buffer if nesterov else buffer
        w = w - lr * grad
    return np.array(losses), w


def _numpy_adam(start, steps, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    w, m, v, losses = start.copy(), np.zeros_like(start), np.zeros_like(start), []
    for t in range(1, steps + 1):
        loss, grad = _loss_and_grad(w)
        losses.append(loss)
        grad = grad + weight_decay * w
        m = betas[0] * m + (1 - betas[0]) * grad
        v = betas[1] * v + (1 - betas[1]) * grad * grad
        denominator = np.sqrt(v) / np.sqrt(1 - betas[1] ** t) + eps
        w = w - lr / (1 - betas[0] ** t) * m / denominator
    return np.array(losses), w


START = np.array([[0.0, 0.1, -0.2], [0.3, 0.0, 1.0]])


@pytest.mark.parametrize("options", [
    {},
    {"momentum": 0.9},
    {"momentum": 0.9, "dampening": 0.3},
    {"momentum": 0.8, "nesterov": True},
    {"weight_decay": 0.1},
    {"momentum": 0.5, "weight_decay": 0.01},
])
def test_sgd_matches_numpy_reference(options):
    losses, final = _static_run(lambda params: sg.optim.SGD(params, lr=0.05, **options), 12, START)
    expected_losses, expected_final = _numpy_sgd(START, 12, 0.05, **options)
    np.testing.assert_allclose(losses, expected_losses, rtol=1e-12)
    np.testing.assert_allclose(final, expected_final, rtol=1e-12)


@pytest.mark.parametrize("options", [{}, {"betas": (0.8, 0.99), "eps": 1e-6}, {"weight_decay": 0.05}])
def test_adam_matches_numpy_reference(options):
    losses, final = _static_run(lambda params: sg.optim.Adam(params, lr=0.01, **options), 15, START)
    expected_losses, expected_final = _numpy_adam(START, 15, 0.01, **options)
    np.testing.assert_allclose(losses, expected_losses, rtol=1e-12)
    np.testing.assert_allclose(final, expected_final, rtol=1e-12)


@pytest.mark.parametrize("name, options", [
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.2}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("Adam", {"lr": 0.01}),
])
def test_optimizers_match_torch(name, options):
    torch = pytest.importorskip("torch")
    weight = torch.tensor(START.copy(), requires_grad=True)
    reference = getattr(torch.optim, name)([weight], **options)
    scale = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    target = torch.tensor(TARGET)
    for _ in range(10):
        reference.zero_grad()
        torch.sum((weight - target) ** 2 * scale).backward()
        reference.step()
    _, final = _static_run(lambda params: getattr(sg.optim, name)(params, **options), 10, START)
    np.testing.assert_allclose(final, weight.detach().numpy(), rtol=1e-10)


def test_optimizer_state_variables_are_not_trainable(graph):
    w = sg.variable(np.ones(2), name="w")
    updates = sg.optim.Adam([w]).updates(sg.sum(w * w))
    state = [variable for variable in updates if variable != w]
    assert len(state) == 3
    assert not any(variable in graph.trainable_variables() for variable in state)


def test_optimizer_rejects_empty_params(graph):
    with pytest.raises(ModuleUsageError, match="empty parameter list"):
        sg.optim.SGD([], lr=0.1)


def test_optimizer_rejects_non_variable(graph):
    x = sg.placeholder(sg.float64, (2,), name="x")
    with pytest.raises(ModuleUsageError, match="can only optimize variables, got 'mul'"):
        sg.optim.SGD([x * 2.0], lr=0.1)


def test_unreachable_parameter_left_alone(graph):
    used = sg.variable(np.ones(2), name="used")
    unused = sg.variable(np.ones(2), name="unused")
    updates = sg.optim.SGD([used, unused], lr=0.1).updates(sg.sum(used))
    assert used in updates
    assert unused not in updates


@pytest.mark.parametrize("name, options", [
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "betas": (0.8, 0.95), "weight_decay": 0.01}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.1}),
])
def test_optimizers_match_eager(name, options):
    eager = pytest.importorskip("eager")
    rng = np.random.default_rng(0)
    features, labels = rng.normal(size=(20, 4)), rng.integers(0, 3, 20)

    eager.manual_seed(0)
    eager_model = eager.nn.Sequential(eager.nn.Linear(4, 8), eager.nn.ReLU(), eager.nn.Linear(8, 3)).double()
    initial = eager_model.state_dict()
    eager_optimizer = getattr(eager.optim, name)(eager_model.parameters(), **options)
    eager_losses = []
    for _ in range(10):
        eager_optimizer.zero_grad()
        loss = eager.nn.functional.cross_entropy(eager_model(eager.tensor(features)), eager.tensor(labels))
        loss.backward()
        eager_optimizer.step()
        eager_losses.append(loss.item())

    with sg.Graph().as_default():
        model = sg.nn.Sequential(sg.nn.Linear(4, 8), sg.nn.ReLU(), sg.nn.Linear(8, 3)).double()
        model.load_state_dict(initial)
        x = sg.placeholder(sg.float64, (None, 4), name="x")
        y = sg.placeholder(sg.int64, (None,), name="y")
        loss = sg.cross_entropy(model(x), y)
        step = sg.compile([x, y], loss, updates=getattr(sg.optim, name)(model.parameters(), **options).updates(loss))
        static_losses = [float(step(features, labels)) for _ in range(10)]

    np.testing.assert_allclose(static_losses, eager_losses, rtol=0, atol=1e-10)
    for key, value in model.state_dict().items():
        np.testing.assert_allclose(value, eager_model.state_dict()[key], rtol=0, atol=1e-10)
