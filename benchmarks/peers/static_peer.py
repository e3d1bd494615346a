"""``staticgraph``: build a graph once, differentiate it, compile it, then call the executable.

Each case builds its own ``Graph`` so cases never share nodes.  The
``optimize`` option is passed to ``staticgraph.compile``.
"""

from __future__ import annotations

import time

import numpy as np

import staticgraph as sg
from benchmarks.workloads import compute_z, iris, mlp, op_chain
from benchmarks.workloads.base import Case, Unsupported


def versions() -> dict[str, str]:
    # The package version is the distribution's, which the environment report already lists.
    version = getattr(sg, "__version__", None)
    return {"staticgraph": version} if version else {}


def to_numpy(outputs) -> list[np.ndarray]:
    if not isinstance(outputs, (tuple, list)):
        outputs = [outputs]
    return [np.asarray(value) for value in outputs]


def build(case: Case, optimize: bool = True):
    builders = {"compute_z": _compute_z, "mlp": _mlp, "mlp784": _mlp, "iris_epoch": _iris,
                "iris_train": _iris, "op_chain": _op_chain}
    if case.workload not in builders:
        raise Unsupported(case.workload)
    with sg.Graph().as_default():
        return builders[case.workload](case, optimize)


def _compute_z(case: Case, optimize: bool):
    arrays = [case.inputs[name] for name in "abc"]
    symbols = [sg.placeholder(sg.float32, shape=array.shape, name=name) for array, name in zip(arrays, "abc")]
    z = compute_z.compute_z(sg, *symbols)
    if case.variant == "value":
        executable = sg.compile(symbols, z, optimize=optimize)
    else:
        s = sg.sum(z)
        executable = sg.compile(symbols, [s, *sg.gradients(s, symbols)], optimize=optimize)
    return lambda: executable(*arrays)


def make_sequential(widths, final_relu: bool):
    layers = []
    for index, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
        layers.append(sg.nn.Linear(fan_in, fan_out))
        if index < len(widths) - 2 or final_relu:
            layers.append(sg.nn.ReLU())
    return sg.nn.Sequential(*layers)


def _mlp(case: Case, optimize: bool):
    if case.variant == mlp.SGD_STEP:
        return mlp.build_sgd_step(case, StaticTrainer(case.params["widths"], case.params["lr"], optimize))
    model = make_sequential(case.params["widths"], case.params["final_relu"])
    model.load_state_dict(case.inputs["state"])
    x_value = case.inputs["x"]
    x = sg.placeholder(sg.float32, shape=(None, x_value.shape[1]), name="x")
    out = model(x)
    if case.variant == "forward":
        executable = sg.compile([x], out, optimize=optimize)
        return lambda: executable(x_value)

    params = list(model.parameters())
    if "y" not in case.inputs:
        loss = sg.sum(out)
        executable = sg.compile([x], [loss, *sg.gradients(loss, params)], optimize=optimize)
        return lambda: executable(x_value)

    y_value = case.inputs["y"]
    y = sg.placeholder(sg.int64, shape=(None,), name="y")
    loss = sg.nn.functional.cross_entropy(out, y)
    executable = sg.compile([x, y], [loss, *sg.gradients(loss, params)], optimize=optimize)
    return lambda: executable(x_value, y_value)


class StaticTrainer:
    """One executable per SGD step: the loss is its output, the weight updates its ``updates``."""

    def __init__(self, widths, lr, optimize: bool):
        self.model = make_sequential(widths, final_relu=False)
        x = sg.placeholder(sg.float32, shape=(None, widths[0]), name="x")
        y = sg.placeholder(sg.int64, shape=(None,), name="y")
        logits = self.model(x)
        loss = sg.nn.functional.cross_entropy(logits, y)
        optimizer = sg.optim.SGD(self.model.parameters(), lr=lr)
        self._step = sg.compile([x, y], loss, updates=optimizer.updates(loss), optimize=optimize)
        self._predict = sg.compile([x], logits, optimize=optimize)

    def load(self, state):
        self.model.load_state_dict(state)

    def train_batch(self, x, y) -> float:
        return float(self._step(x, y))

    def parameters(self):
        return [np.array(value, copy=True) for value in self.model.state_dict().values()]

    def predict(self, x):
        return self._predict(x)


def _iris(case: Case, optimize: bool):
    return iris.build_step(case, StaticTrainer(case.params["widths"], case.params["lr"], optimize))


def _op_chain(case: Case, optimize: bool):
    x_value = case.inputs["x"]
    x = sg.placeholder(sg.float32, shape=x_value.shape, name="x")
    s = sg.sum(op_chain.apply_chain(sg, x, case.params["length"]))
    executable = sg.compile([x], [s, *sg.gradients(s, [x])], optimize=optimize)
    return lambda: executable(x_value)


def compile_chain(length: int, shape: tuple[int, ...], optimize: bool):
    """Build, differentiate and compile an op chain of ``length`` ops.

    Returns the phase times, the executable and the number of nodes in the
    graph after differentiation.
    """
    times = {}
    with sg.Graph().as_default():
        start = time.perf_counter()
        x = sg.placeholder(sg.float32, shape=shape, name="x")
        s = sg.sum(op_chain.apply_chain(sg, x, length))
        times["build"] = time.perf_counter() - start

        start = time.perf_counter()
        grads = sg.gradients(s, [x])
        times["gradients"] = time.perf_counter() - start

        start = time.perf_counter()
        executable = sg.compile([x], [s, *grads], optimize=optimize)
        times["compile"] = time.perf_counter() - start
        node_count = len(sg.get_default_graph())
    return times, executable, node_count
