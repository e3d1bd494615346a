"""Run one drawn program in NumPy, eager, staticgraph and PyTorch.

Every runner returns a ``Result``: the sink values followed by the scalar
loss, and the gradient of the loss with respect to each input (zeros for an
input that the loss does not reach, where the modes report ``None``).
"""

from dataclasses import dataclass

import numpy as np

import eager
import staticgraph
from tests.strategies.numpy_ops import NUMPY

# Tolerances, all on float64.
# Eager against staticgraph, optimized against unoptimized, and both against
# the NumPy reference. The modes may sum or fuse in another order, which moves
# a result by a few ulps per op. The bound is far above that rounding and far
# below any real error.
MODE_RTOL = 1e-9
MODE_ATOL = 1e-10
# Against PyTorch: its float64 kernels (sigmoid, softmax, logsumexp, pow)
# take other paths than NumPy's.
TORCH_RTOL = 1e-8
TORCH_ATOL = 1e-10
# Central finite differences with step 1e-6: truncation error about 1e-12
# times the third derivative, rounding error about 1e-10 times the loss scale.
FD_STEP = 1e-6
FD_RTOL = 1e-5
FD_ATOL = 1e-6


@dataclass
class Result:
    outputs: list
    grads: list


class Namespace:
    """A package's functional names plus ``constant(array)``, for ``OpSpec.apply``."""

    def __init__(self, name, modules, constant, overrides=None):
        self.name = name
        self.constant = constant
        self._modules = modules
        self._overrides = overrides or {}

    def __getattr__(self, attribute):
        if attribute in self._overrides:
            return self._overrides[attribute]
        for module in self._modules:
            if hasattr(module, attribute):
                return getattr(module, attribute)
        raise AttributeError(f"{self.name} has no function {attribute!r}")


EAGER = Namespace("eager", [eager], lambda array: eager.tensor(array))
STATIC = Namespace("staticgraph", [staticgraph], lambda array: staticgraph.constant(array))


def _grad_or_zeros(grad, like):
    return np.zeros_like(like) if grad is None else np.asarray(grad)


def run_numpy(program, inputs=None):
    """Return the NumPy reference ``Result`` with no gradients."""
    inputs = program.inputs if inputs is None else inputs
    with np.errstate(all="ignore"):
        values, loss = program.run(NUMPY, inputs, program.weights)
    outputs = [np.asarray(values[i]) for i in program.sinks] + [np.asarray(loss)]
    return Result(outputs, [])


def run_eager(program):
    """Run in eager mode and call ``loss.backward()``."""
    leaves = [eager.tensor(x.copy(), requires_grad=True) for x in program.inputs]
    weights = [eager.tensor(w.copy()) for w in program.weights]
    values, loss = program.run(EAGER, leaves, weights)
    loss.backward()

    outputs = [values[i].detach().numpy() for i in program.sinks] + [loss.detach().numpy()]
    grads = [_grad_or_zeros(None if leaf.grad is None else leaf.grad.numpy(), x)
             for leaf, x in zip(leaves, program.inputs)]
    return Result(outputs, grads)


def run_static(program, optimize=True, constant_weights=False, unknown_dims=False):
    """Build the program and its ``gradients`` in a fresh graph, compile and run it.

    Inputs are placeholders of the exact input shapes, or with every dim
    ``None`` when ``unknown_dims`` is set. Weights are placeholders too, or
    constants with ``constant_weights``, which gives constant folding
    something to fold.
    """
    graph = staticgraph.Graph()
    with graph.as_default():
        inputs = [
            staticgraph.placeholder(
                x.dtype, shape=(None,) * x.ndim if unknown_dims else x.shape, name=f"x{i}"
            )
            for i, x in enumerate(program.inputs)
        ]
        if constant_weights:
            weights = [staticgraph.constant(w.copy()) for w in program.weights]
            feeds = inputs
        else:
            weights = [staticgraph.placeholder(staticgraph.float64, shape=w.shape, name=f"w{i}")
                       for i, w in enumerate(program.weights)]
            feeds = inputs + weights
        values, loss = program.run(STATIC, inputs, weights)
        grads = staticgraph.gradients(loss, inputs)
        reached = [grad for grad in grads if grad is not None]
        fetches = [values[i] for i in program.sinks] + [loss] + reached
        executable = staticgraph.compile(feeds, fetches, optimize=optimize)

    arrays = [x.copy() for x in program.inputs]
    if not constant_weights:
        arrays += [w.copy() for w in program.weights]
    results = [np.asarray(r) for r in executable(*arrays)]
    outputs = results[: len(program.sinks) + 1]
    computed = iter(results[len(program.sinks) + 1 :])
    grads = [_grad_or_zeros(None if grad is None else next(computed), x)
             for grad, x in zip(grads, program.inputs)]
    return Result(outputs, grads)


def torch_namespace(torch):
    """Return the PyTorch namespace.

    ``expand`` is a method there, and the losses come from
    ``torch.nn.functional`` because ``torch`` has same-named functions with
    other signatures.
    """
    functional = torch.nn.functional
    overrides = {"expand": lambda x, *sizes: x.expand(*sizes)}
    for name in ("mse_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy"):
        overrides[name] = getattr(functional, name)
    return Namespace("torch", [torch, torch.nn.functional], torch.as_tensor, overrides)


def run_torch(program, torch):
    """Run in PyTorch and call ``loss.backward()``; arrays keep their dtypes."""
    leaves = [torch.tensor(x, requires_grad=True) for x in program.inputs]
    weights = [torch.tensor(w) for w in program.weights]
    values, loss = program.run(torch_namespace(torch), leaves, weights)
    loss.backward()

    outputs = [values[i].detach().numpy() for i in program.sinks] + [loss.detach().numpy()]
    grads = [_grad_or_zeros(None if leaf.grad is None else leaf.grad.numpy(), x)
             for leaf, x in zip(leaves, program.inputs)]
    return Result(outputs, grads)


def loss_scale(program):
    """Return ``sum |sink * weight|``: the size of the terms summed into the loss."""
    values, _ = program.run(NUMPY, program.inputs, program.weights)
    return float(sum(np.sum(np.abs(values[i] * w)) for i, w in zip(program.sinks, program.weights)))


def numeric_gradients(program):
    """Return central finite differences of the NumPy loss for every input."""
    inputs = [x.copy() for x in program.inputs]
    grads = []
    for x in inputs:
        grad = np.zeros_like(x)
        for index in np.ndindex(x.shape):
            saved = x[index]
            x[index] = saved + FD_STEP
            upper = float(run_numpy(program, inputs).outputs[-1])
            x[index] = saved - FD_STEP
            lower = float(run_numpy(program, inputs).outputs[-1])
            x[index] = saved
            grad[index] = (upper - lower) / (2 * FD_STEP)
        grads.append(grad)
    return grads


def assert_arrays_close(actual, expected, rtol, atol, label):
    """Check shape, dtype and values of each pair; ``label`` names the comparison."""
    assert len(actual) == len(expected), f"{label}: {len(actual)} arrays, expected {len(expected)}"
    for position, (a, e) in enumerate(zip(actual, expected)):
        where = f"{label}, array {position}"
        assert np.shape(a) == np.shape(e), f"{where}: shape {np.shape(a)}, expected {np.shape(e)}"
        dtype, expected_dtype = np.asarray(a).dtype, np.asarray(e).dtype
        assert dtype == expected_dtype, f"{where}: dtype {dtype}, expected {expected_dtype}"
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, err_msg=where)


def assert_results_close(actual, expected, rtol, atol, label):
    assert_arrays_close(actual.outputs, expected.outputs, rtol, atol, f"{label}: outputs")
    assert_arrays_close(actual.grads, expected.grads, rtol, atol, f"{label}: gradients")


def assert_gradients_match_numeric(grads, program, label):
    """Check ``grads`` against central finite differences of the NumPy loss."""
    numeric = numeric_gradients(program)
    rounding = 1e-15 * loss_scale(program) / FD_STEP
    for position, (analytic, expected) in enumerate(zip(grads, numeric)):
        scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
        np.testing.assert_allclose(
            analytic, expected, rtol=FD_RTOL, atol=FD_ATOL * scale + rounding,
            err_msg=f"{label}: gradient of input {position} against finite differences",
        )
