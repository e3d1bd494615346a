"""PyTensor, the maintained successor of Theano: ``pytensor.function`` in its default mode.

Weights are shared variables held by the compiled function, as a static
graph holds its variables.  ``trust_input=True`` skips the function's
checks and conversions of its inputs.
"""

from __future__ import annotations

import contextlib
import sys

import numpy as np
import pytensor
import pytensor.tensor as pt
from pytensor.tensor.special import log_softmax

from benchmarks.workloads import compute_z, iris, mlp, op_chain
from benchmarks.workloads.base import Case, Unsupported


def versions() -> dict[str, str]:
    from pytensor.compile.mode import get_default_mode

    return {"pytensor": pytensor.__version__, "pytensor linker": type(get_default_mode().linker).__name__}


def to_numpy(outputs) -> list[np.ndarray]:
    if not isinstance(outputs, (tuple, list)):
        outputs = [outputs]
    return [np.asarray(value) for value in outputs]


def build(case: Case, trust_input: bool = False):
    builders = {"compute_z": _compute_z, "mlp": _mlp, "mlp784": _mlp, "iris_epoch": _iris,
                "iris_train": _iris, "op_chain": _op_chain}
    if case.workload not in builders:
        raise Unsupported(case.workload)
    return builders[case.workload](case, trust_input)


def _function(inputs, outputs, trust_input: bool, updates=None):
    return pytensor.function(inputs, outputs, updates=updates, trust_input=trust_input)


def _symbol_like(array: np.ndarray, name: str):
    return pt.tensor(name, dtype=str(array.dtype), shape=array.shape)


class _Namespace:
    """The functional names ``compute_z`` and ``op_chain`` call, mapped onto ``pytensor.tensor``."""

    add = staticmethod(pt.add)
    sub = staticmethod(pt.sub)
    mul = staticmethod(pt.mul)
    abs = staticmethod(pt.abs)


def _compute_z(case: Case, trust_input: bool):
    arrays = [case.inputs[name] for name in "abc"]
    symbols = [_symbol_like(array, name) for array, name in zip(arrays, "abc")]
    z = compute_z.compute_z(_Namespace, *symbols)
    if case.variant == "value":
        function = _function(symbols, z, trust_input)
    else:
        s = pt.sum(z)
        function = _function(symbols, [s, *pytensor.grad(s, symbols)], trust_input)
    return lambda: function(*arrays)


def mlp_forward(weights, x, final_relu: bool):
    layer_count = len(weights) // 2
    for index in range(layer_count):
        x = pt.dot(x, weights[2 * index].T) + weights[2 * index + 1]
        if index < layer_count - 1 or final_relu:
            x = pt.maximum(x, 0)
    return x


def cross_entropy(logits, targets):
    log_probs = log_softmax(logits, axis=1)
    return -pt.mean(log_probs[pt.arange(targets.shape[0]), targets])


def _shared_weights(state: dict):
    return [pytensor.shared(value.copy(), name=key) for key, value in state.items()]


def _mlp(case: Case, trust_input: bool):
    if case.variant == mlp.SGD_STEP:
        return mlp.build_sgd_step(case, PytensorTrainer(case.inputs["state"], case.params["lr"], trust_input))
    weights = _shared_weights(case.inputs["state"])
    x_value = case.inputs["x"]
    x = pt.matrix("x", dtype="float32", shape=(None, x_value.shape[1]))
    out = mlp_forward(weights, x, case.params["final_relu"])
    if case.variant == "forward":
        function = _function([x], out, trust_input)
        return lambda: function(x_value)

    if "y" not in case.inputs:
        loss = pt.sum(out)
        function = _function([x], [loss, *pytensor.grad(loss, weights)], trust_input)
        return lambda: function(x_value)

    y_value = case.inputs["y"]
    y = pt.vector("y", dtype="int64")
    loss = cross_entropy(out, y)
    function = _function([x, y], [loss, *pytensor.grad(loss, weights)], trust_input)
    return lambda: function(x_value, y_value)


class PytensorTrainer:
    """One compiled function per SGD step, with the weight updates as the function's updates."""

    def __init__(self, state: dict, lr: float, trust_input: bool):
        self.weights = _shared_weights(state)
        first_weight = next(iter(state.values()))
        x = pt.matrix("x", dtype="float32", shape=(None, first_weight.shape[1]))
        y = pt.vector("y", dtype="int64")
        logits = mlp_forward(self.weights, x, final_relu=False)
        loss = cross_entropy(logits, y)
        grads = pytensor.grad(loss, self.weights)
        updates = [(w, w - np.float32(lr) * g) for w, g in zip(self.weights, grads)]
        self._step = _function([x, y], loss, trust_input, updates=updates)
        self._predict = _function([x], logits, trust_input)

    def load(self, state):
        for weight, value in zip(self.weights, state.values()):
            weight.set_value(value.copy())

    def train_batch(self, x, y) -> float:
        return float(self._step(x, y))

    def parameters(self):
        return [weight.get_value() for weight in self.weights]

    def predict(self, x):
        return self._predict(x)


def _iris(case: Case, trust_input: bool):
    trainer = PytensorTrainer(case.inputs["state"], case.params["lr"], trust_input)
    return iris.build_step(case, trainer)


@contextlib.contextmanager
def _recursion_limit(limit: int):
    """Raise Python's recursion limit for a block: ``pytensor.grad`` recurses once per op of a chain."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def _op_chain(case: Case, trust_input: bool):
    x_value = case.inputs["x"]
    length = case.params["length"]
    x = _symbol_like(x_value, "x")
    s = pt.sum(op_chain.apply_chain(_Namespace, x, length))
    # Measured with pytensor 3.0.7: a 1,000-op chain exceeds the default limit of 1,000 frames.
    with _recursion_limit(20 * length + 1000):
        function = _function([x], [s, pytensor.grad(s, x)], trust_input)
    return lambda: function(x_value)


def compile_chain(length: int, shape: tuple[int, ...], trust_input: bool = False):
    """Build an op chain, differentiate it and compile it with ``pytensor.function``.

    Returns the phase times, the function and the number of nodes left in the
    compiled graph after PyTensor's rewrites.
    """
    import time

    times = {}
    start = time.perf_counter()
    x = pt.tensor("x", dtype="float32", shape=shape)
    s = pt.sum(op_chain.apply_chain(_Namespace, x, length))
    times["build"] = time.perf_counter() - start

    with _recursion_limit(20 * length + 1000):
        start = time.perf_counter()
        grad = pytensor.grad(s, x)
        times["gradients"] = time.perf_counter() - start

        start = time.perf_counter()
        function = _function([x], [s, grad], trust_input)
        times["compile"] = time.perf_counter() - start
    return times, function, len(function.maker.fgraph.apply_nodes)
