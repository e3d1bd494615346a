"""Multilayer perceptrons: ``4 -> 16 -> 32`` with a sum loss and ``784 -> 256 -> 256 -> 10`` with cross-entropy.

``mlp`` is ``Linear(4,16) -> ReLU -> Linear(16,32) -> ReLU``; its scalar loss is
the sum of the output.  ``mlp784`` is ``Linear(784,256) -> ReLU ->
Linear(256,256) -> ReLU -> Linear(256,10)`` with mean cross-entropy against
integer class targets.  The forward variant returns the network output
(the logits for ``mlp784``); the backward variant returns the loss and the
gradient of every weight and bias, in ``state_dict`` order.  The ``sgd step``
variant of ``mlp784`` is one training step with plain SGD, written with each
implementation's trainer (see ``iris``): it returns the loss before the
update, and the weights carry over to the next call.
"""

from __future__ import annotations

import numpy as np

from benchmarks.workloads.base import FLOAT, Case, uniform_linear_weights

SMALL = "mlp"
WIDE = "mlp784"
WIDTHS = {SMALL: (4, 16, 32), WIDE: (784, 256, 256, 10)}
LOSSES = {SMALL: "sum", WIDE: "cross_entropy"}
DEFAULT_SIZES = {SMALL: (1, 150, 4096), WIDE: (1, 150, 1024)}
QUICK_SIZES = {SMALL: (1, 150), WIDE: (150,)}
SGD_STEP = "sgd step"
VARIANTS = {SMALL: ("forward", "forward+backward"), WIDE: ("forward+backward", SGD_STEP)}
# The learning rate of the sgd step variant.
SGD_LEARNING_RATE = 0.01


def make_cases(workload: str, sizes, seed: int = 0) -> list[Case]:
    widths = WIDTHS[workload]
    cases = []
    for batch in sizes:
        rng = np.random.default_rng(seed)
        inputs = {"state": uniform_linear_weights(rng, widths)}
        inputs["x"] = rng.normal(size=(batch, widths[0])).astype(FLOAT)
        if LOSSES[workload] == "cross_entropy":
            inputs["y"] = rng.integers(0, widths[-1], size=batch).astype(np.int64)
        for variant in VARIANTS[workload]:
            outputs = {"forward": ("out",), SGD_STEP: ("loss",)}.get(variant, ("loss", *inputs["state"]))
            params = {"widths": widths, "loss": LOSSES[workload], "final_relu": workload == SMALL,
                      "lr": SGD_LEARNING_RATE}
            cases.append(Case(workload, variant, batch, f"batch={batch}", inputs, outputs, params))
    return cases


def numpy_cross_entropy(logits: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the mean cross-entropy and its gradient with respect to the logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    rows = np.arange(len(targets))
    loss = np.mean(np.log(total[:, 0]) - shifted[rows, targets])
    grad = exp / total
    grad[rows, targets] -= 1
    grad /= len(targets)
    return loss, grad


def numpy_forward(weights: list[np.ndarray], x: np.ndarray, final_relu: bool):
    """Run the layers and return the output with the list of (input, pre-activation) per layer."""
    saved = []
    h = x
    layer_count = len(weights) // 2
    for index in range(layer_count):
        w, b = weights[2 * index], weights[2 * index + 1]
        pre = h @ w.T + b
        saved.append((h, pre))
        is_last = index == layer_count - 1
        h = pre if is_last and not final_relu else np.maximum(pre, 0)
    return h, saved


def numpy_backward(weights, saved, grad_out, final_relu: bool) -> list[np.ndarray]:
    """Return the gradients of weights and biases, in the order of ``weights``."""
    grads = [None] * len(weights)
    grad = grad_out
    layer_count = len(saved)
    for index in reversed(range(layer_count)):
        h, pre = saved[index]
        if index < layer_count - 1 or final_relu:
            grad = grad * (pre > 0)
        grads[2 * index] = grad.T @ h
        grads[2 * index + 1] = grad.sum(axis=0)
        if index > 0:
            grad = grad @ weights[2 * index]
    return grads


def build_sgd_step(case: Case, trainer):
    """Return one training step of ``trainer`` on the case's batch, from the case's weights."""
    trainer.load(case.inputs["state"])
    x, y = case.inputs["x"], case.inputs["y"]
    return lambda: trainer.train_batch(x, y)


class NumpyTrainer:
    """Hand-written forward, backward and SGD update."""

    def __init__(self, lr: float):
        self.lr = lr
        self.weights: list[np.ndarray] = []

    def load(self, state: dict) -> None:
        self.weights = [np.array(value, copy=True) for value in state.values()]

    def train_batch(self, x, y) -> float:
        logits, saved = numpy_forward(self.weights, x, final_relu=False)
        loss, grad_logits = numpy_cross_entropy(logits, y)
        grads = numpy_backward(self.weights, saved, grad_logits, final_relu=False)
        for weight, grad in zip(self.weights, grads):
            weight -= self.lr * grad
        return float(loss)

    def parameters(self) -> list[np.ndarray]:
        return [w.copy() for w in self.weights]

    def predict(self, x):
        return numpy_forward(self.weights, x, final_relu=False)[0]


def build_numpy(case: Case):
    if case.variant == SGD_STEP:
        return build_sgd_step(case, NumpyTrainer(case.params["lr"]))
    weights = [w.copy() for w in case.inputs["state"].values()]
    x = case.inputs["x"]
    final_relu = case.params["final_relu"]
    if case.variant == "forward":
        return lambda: numpy_forward(weights, x, final_relu)[0]

    def step():
        out, saved = numpy_forward(weights, x, final_relu)
        if case.params["loss"] == "sum":
            loss, grad_out = out.sum(), np.ones_like(out)
        else:
            loss, grad_out = numpy_cross_entropy(out, case.inputs["y"])
        return (loss, *numpy_backward(weights, saved, grad_out, final_relu))

    return step
