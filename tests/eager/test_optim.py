"""Optimizers against PyTorch's update rules."""

import numpy as np
import pytest

import eager
from eager import nn


def _train(make_optimizer, torch_optimizer, steps=5):
    torch = pytest.importorskip("torch")
    eager.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    reference = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(),
                                    torch.nn.Linear(4, 2)).double()
    reference.load_state_dict({k: torch.tensor(v) for k, v in model.state_dict().items()})
    optimizer = make_optimizer(model.parameters())
    reference_optimizer = torch_optimizer(torch, reference.parameters())
    rng = np.random.default_rng(4)
    for _ in range(steps):
        xv = rng.normal(size=(8, 3))
        yv = rng.integers(0, 2, size=8)
        optimizer.zero_grad()
        eager.cross_entropy(model(eager.tensor(xv)), eager.tensor(yv)).backward()
        optimizer.step()
        reference_optimizer.zero_grad()
        torch.nn.functional.cross_entropy(reference(torch.tensor(xv)), torch.tensor(yv)).backward()
        reference_optimizer.step()
    return model, reference


SGD_CASES = [
    dict(lr=0.1),
    dict(lr=0.1, momentum=0.9),
    dict(lr=0.1, momentum=0.9, dampening=0.5),
    dict(lr=0.1, momentum=0.9, nesterov=True),
    dict(lr=0.05, momentum=0.5, weight_decay=0.01),
]


@pytest.mark.parametrize("options", SGD_CASES)
def test_sgd_matches_torch(options):
    model, reference = _train(lambda p: eager.optim.SGD(p, **options),
                              lambda torch, p: torch.optim.SGD(p, **options))
    for key, value in reference.state_dict().items():
        np.testing.assert_allclose(model.state_dict()[key], value.numpy(), atol=1e-12)


ADAM_CASES = [dict(lr=0.01), dict(lr=0.01, amsgrad=True), dict(lr=0.01, weight_decay=0.1),
              dict(lr=0.02, betas=(0.8, 0.9), eps=1e-6)]


@pytest.mark.parametrize("options", ADAM_CASES)
def test_adam_matches_torch(options):
    model, reference = _train(lambda p: eager.optim.Adam(p, **options),
                              lambda torch, p: torch.optim.Adam(p, **options), steps=8)
    for key, value in reference.state_dict().items():
        np.testing.assert_allclose(model.state_dict()[key], value.numpy(), atol=1e-10)


def test_optimizer_state_dict_roundtrip():
    params = [eager.tensor([1.0, 2.0], requires_grad=True)]
    optimizer = eager.optim.Adam(params, lr=0.1, amsgrad=True)
    params[0].grad = eager.tensor([0.5, -0.5])
    optimizer.step()
    state = optimizer.state_dict()
    assert state["param_groups"][0]["params"] == [0]
    assert state["state"][0]["step"] == 1
    other = eager.optim.Adam([eager.tensor([1.0, 2.0], requires_grad=True)], lr=0.5)
    other.load_state_dict(state)
    assert other.param_groups[0]["lr"] == 0.1
    np.testing.assert_array_equal(other.state_dict()["state"][0]["exp_avg"],
                                  state["state"][0]["exp_avg"])


def test_zero_grad_set_to_none():
    param = eager.tensor([1.0], requires_grad=True)
    optimizer = eager.optim.SGD([param], lr=0.1)
    (param * 2).sum().backward()
    optimizer.zero_grad(set_to_none=False)
    assert param.grad.item() == 0.0
    optimizer.zero_grad()
    assert param.grad is None


def test_step_skips_parameters_without_grad():
    a = eager.tensor([1.0], requires_grad=True)
    b = eager.tensor([1.0], requires_grad=True)
    optimizer = eager.optim.SGD([a, b], lr=0.5)
    (a * 3).sum().backward()
    optimizer.step()
    assert a.item() == pytest.approx(-0.5)
    assert b.item() == 1.0
