"""JAX on the CPU: every step is a ``jax.jit``-compiled function; steps wait for their results."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from benchmarks.workloads import compute_z, iris, mlp, op_chain
from benchmarks.workloads.base import Case, Unsupported


def versions() -> dict[str, str]:
    import jaxlib

    return {"jax": jax.__version__, "jaxlib": jaxlib.__version__}


def to_numpy(outputs) -> list[np.ndarray]:
    return [np.asarray(value) for value in jax.tree_util.tree_leaves(outputs)]


def build(case: Case):
    builders = {"compute_z": _compute_z, "mlp": _mlp, "mlp784": _mlp, "iris_epoch": _iris,
                "iris_train": _iris, "op_chain": _op_chain}
    if case.workload not in builders:
        raise Unsupported(case.workload)
    return builders[case.workload](case)


def _blocking(function, *args):
    """Return a step that calls ``function(*args)`` and waits until its results are computed."""
    return lambda: jax.block_until_ready(function(*args))


class _Namespace:
    """The functional names ``compute_z`` and ``op_chain`` call, mapped onto ``jax.numpy``."""

    add = staticmethod(jnp.add)
    sub = staticmethod(jnp.subtract)
    mul = staticmethod(jnp.multiply)
    abs = staticmethod(jnp.abs)


def _compute_z(case: Case):
    a, b, c = (jnp.asarray(case.inputs[name]) for name in "abc")
    if case.variant == "value":
        return _blocking(jax.jit(lambda a, b, c: compute_z.compute_z(_Namespace, a, b, c)), a, b, c)

    def summed(a, b, c):
        return jnp.sum(compute_z.compute_z(_Namespace, a, b, c))

    value_and_grad = jax.jit(jax.value_and_grad(summed, argnums=(0, 1, 2)))
    return _blocking(value_and_grad, a, b, c)


def mlp_forward(weights, x, final_relu: bool):
    layer_count = len(weights) // 2
    for index in range(layer_count):
        x = x @ weights[2 * index].T + weights[2 * index + 1]
        if index < layer_count - 1 or final_relu:
            x = jax.nn.relu(x)
    return x


def cross_entropy(logits, targets):
    log_probs = jax.nn.log_softmax(logits, axis=1)
    return -jnp.mean(jnp.take_along_axis(log_probs, targets[:, None], axis=1))


def _mlp(case: Case):
    if case.variant == mlp.SGD_STEP:
        return mlp.build_sgd_step(case, JaxTrainer(case.params["lr"]))
    weights = [jnp.asarray(value) for value in case.inputs["state"].values()]
    x = jnp.asarray(case.inputs["x"])
    final_relu = case.params["final_relu"]
    if case.variant == "forward":
        return _blocking(jax.jit(lambda w, x: mlp_forward(w, x, final_relu)), weights, x)

    y = jnp.asarray(case.inputs["y"]) if "y" in case.inputs else None

    def loss(weights, x):
        out = mlp_forward(weights, x, final_relu)
        return jnp.sum(out) if y is None else cross_entropy(out, y)

    return _blocking(jax.jit(jax.value_and_grad(loss)), weights, x)


class JaxTrainer:
    """SGD as a pure jitted function from (weights, batch) to (new weights, loss)."""

    def __init__(self, lr: float):
        def sgd_step(weights, x, y):
            loss, grads = jax.value_and_grad(lambda w: cross_entropy(mlp_forward(w, x, False), y))(weights)
            return [w - lr * g for w, g in zip(weights, grads)], loss

        self._step = jax.jit(sgd_step)
        self._predict = jax.jit(lambda w, x: mlp_forward(w, x, False))
        self.weights = []

    def load(self, state):
        self.weights = [jnp.asarray(value) for value in state.values()]

    def train_batch(self, x, y) -> float:
        self.weights, loss = self._step(self.weights, x, y)
        return float(loss)

    def parameters(self):
        return [np.asarray(w) for w in self.weights]

    def predict(self, x):
        return np.asarray(self._predict(self.weights, x))


def _iris(case: Case):
    return iris.build_step(case, JaxTrainer(case.params["lr"]))


def _op_chain(case: Case):
    length = case.params["length"]

    def summed(x):
        return jnp.sum(op_chain.apply_chain(_Namespace, x, length))

    return _blocking(jax.jit(jax.value_and_grad(summed)), jnp.asarray(case.inputs["x"]))


def compile_chain(length: int, shape: tuple[int, ...]):
    """Trace and lower an op chain with its gradient, then compile it with XLA.

    Returns the phase times, the compiled function and the number of
    equations in the traced program.
    """
    import time

    times = {}
    start = time.perf_counter()

    def summed(x):
        return jnp.sum(op_chain.apply_chain(_Namespace, x, length))

    lowered = jax.jit(jax.value_and_grad(summed)).lower(jnp.zeros(shape, dtype=jnp.float32))
    times["build"] = time.perf_counter() - start

    start = time.perf_counter()
    compiled = lowered.compile()
    times["compile"] = time.perf_counter() - start
    equations = len(jax.make_jaxpr(jax.value_and_grad(summed))(jnp.zeros(shape, dtype=jnp.float32)).eqns)
    return times, lambda x: jax.block_until_ready(compiled(x)), equations
