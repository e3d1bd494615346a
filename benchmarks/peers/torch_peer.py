"""PyTorch CPU eager: the framework ``eager`` imitates."""

from __future__ import annotations

import numpy as np
import torch

from benchmarks.workloads import compute_z, iris, mlp, op_chain
from benchmarks.workloads.base import Case, Unsupported


def versions() -> dict[str, str]:
    return {"torch": torch.__version__}


def to_numpy(outputs) -> list[np.ndarray]:
    if not isinstance(outputs, (tuple, list)):
        outputs = [outputs]
    return [value.detach().numpy() if isinstance(value, torch.Tensor) else np.asarray(value) for value in outputs]


def build(case: Case):
    builders = {"compute_z": _compute_z, "mlp": _mlp, "mlp784": _mlp, "iris_epoch": _iris,
                "iris_train": _iris, "op_chain": _op_chain}
    if case.workload not in builders:
        raise Unsupported(case.workload)
    return builders[case.workload](case)


def _compute_z(case: Case):
    wants_grad = case.variant != "value"
    a, b, c = (torch.from_numpy(case.inputs[name]).requires_grad_(wants_grad) for name in "abc")
    if not wants_grad:
        return lambda: compute_z.compute_z(torch, a, b, c)

    def step():
        s = compute_z.compute_z(torch, a, b, c).sum()
        return (s, *torch.autograd.grad(s, [a, b, c]))

    return step


def make_sequential(widths, final_relu: bool) -> torch.nn.Sequential:
    layers = []
    for index, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
        layers.append(torch.nn.Linear(fan_in, fan_out))
        if index < len(widths) - 2 or final_relu:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def _load(model: torch.nn.Module, state: dict) -> None:
    model.load_state_dict({key: torch.from_numpy(value.copy()) for key, value in state.items()})


def _mlp(case: Case):
    if case.variant == mlp.SGD_STEP:
        return mlp.build_sgd_step(case, TorchTrainer(case.params["widths"], case.params["lr"]))
    model = make_sequential(case.params["widths"], case.params["final_relu"])
    _load(model, case.inputs["state"])
    x = torch.from_numpy(case.inputs["x"])
    if case.variant == "forward":
        def forward():
            with torch.no_grad():
                return model(x)
        return forward

    params = list(model.parameters())
    y = torch.from_numpy(case.inputs["y"]) if "y" in case.inputs else None

    def step():
        out = model(x)
        loss = out.sum() if y is None else torch.nn.functional.cross_entropy(out, y)
        return (loss, *torch.autograd.grad(loss, params))

    return step


class TorchTrainer:
    def __init__(self, widths, lr):
        self.model = make_sequential(widths, final_relu=False)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=lr)

    def load(self, state):
        _load(self.model, state)

    def train_batch(self, x, y) -> float:
        self.optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(self.model(torch.from_numpy(x)), torch.from_numpy(y))
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def parameters(self):
        return [p.detach().numpy().copy() for p in self.model.parameters()]

    def predict(self, x):
        with torch.no_grad():
            return self.model(torch.from_numpy(x)).numpy()


def _iris(case: Case):
    return iris.build_step(case, TorchTrainer(case.params["widths"], case.params["lr"]))


def _op_chain(case: Case):
    x = torch.from_numpy(case.inputs["x"]).requires_grad_(True)
    length = case.params["length"]

    def step():
        s = op_chain.apply_chain(torch, x, length).sum()
        return (s, *torch.autograd.grad(s, [x]))

    return step
