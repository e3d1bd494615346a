"""``eager``: define-by-run autograd, written the way a PyTorch user writes the same step.

Inputs are wrapped with ``from_numpy`` (no copy), as the PyTorch peer does.
"""

from __future__ import annotations

import numpy as np

import eager
from benchmarks.workloads import compute_z, iris, mlp, op_chain
from benchmarks.workloads.base import Case, Unsupported


def versions() -> dict[str, str]:
    # The package version is the distribution's, which the environment report already lists.
    version = getattr(eager, "__version__", None)
    return {"eager": version} if version else {}


def to_numpy(outputs) -> list[np.ndarray]:
    if not isinstance(outputs, (tuple, list)):
        outputs = [outputs]
    return [value.detach().numpy() if isinstance(value, eager.Tensor) else np.asarray(value) for value in outputs]


def build(case: Case):
    builders = {"compute_z": _compute_z, "mlp": _mlp, "mlp784": _mlp, "iris_epoch": _iris,
                "iris_train": _iris, "op_chain": _op_chain}
    if case.workload not in builders:
        raise Unsupported(case.workload)
    return builders[case.workload](case)


def _compute_z(case: Case):
    wants_grad = case.variant != "value"
    a, b, c = (eager.from_numpy(case.inputs[name]).requires_grad_(wants_grad) for name in "abc")
    if not wants_grad:
        return lambda: compute_z.compute_z(eager, a, b, c)

    def step():
        s = eager.sum(compute_z.compute_z(eager, a, b, c))
        return (s, *eager.autograd.grad(s, [a, b, c]))

    return step


def make_sequential(widths, final_relu: bool):
    layers = []
    for index, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
        layers.append(eager.nn.Linear(fan_in, fan_out))
        if index < len(widths) - 2 or final_relu:
            layers.append(eager.nn.ReLU())
    return eager.nn.Sequential(*layers)


def _mlp(case: Case):
    if case.variant == mlp.SGD_STEP:
        return mlp.build_sgd_step(case, EagerTrainer(case.params["widths"], case.params["lr"]))
    model = make_sequential(case.params["widths"], case.params["final_relu"])
    model.load_state_dict(case.inputs["state"])
    x = eager.from_numpy(case.inputs["x"])
    if case.variant == "forward":
        def forward():
            with eager.no_grad():
                return model(x)
        return forward

    params = list(model.parameters())
    y = eager.from_numpy(case.inputs["y"]) if "y" in case.inputs else None

    def step():
        out = model(x)
        loss = eager.sum(out) if y is None else eager.nn.functional.cross_entropy(out, y)
        return (loss, *eager.autograd.grad(loss, params))

    return step


class EagerTrainer:
    def __init__(self, widths, lr):
        self.model = make_sequential(widths, final_relu=False)
        self.optimizer = eager.optim.SGD(self.model.parameters(), lr=lr)

    def load(self, state):
        self.model.load_state_dict(state)

    def train_batch(self, x, y) -> float:
        self.optimizer.zero_grad()
        loss = eager.nn.functional.cross_entropy(self.model(eager.from_numpy(x)), eager.from_numpy(y))
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def parameters(self):
        return [np.array(p.detach().numpy(), copy=True) for p in self.model.parameters()]

    def predict(self, x):
        with eager.no_grad():
            return self.model(eager.from_numpy(x)).numpy()


def _iris(case: Case):
    return iris.build_step(case, EagerTrainer(case.params["widths"], case.params["lr"]))


def _op_chain(case: Case):
    x = eager.from_numpy(case.inputs["x"]).requires_grad_(True)
    length = case.params["length"]

    def step():
        s = eager.sum(op_chain.apply_chain(eager, x, length))
        return (s, *eager.autograd.grad(s, [x]))

    return step
