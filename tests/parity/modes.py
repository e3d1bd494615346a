"""Run one function body in both modes and return NumPy results.

Each runner takes ``fn(ops, *inputs)``, where ``ops`` is the package
namespace (``eager`` or ``staticgraph``), and NumPy arrays for the inputs.
"""

import numpy as np

import eager
import staticgraph as sg


def run_eager(fn, *arrays, grad=False):
    """Return ``(value, grads)`` of ``fn`` in eager mode; grads of ``sum(value)``."""
    inputs = [eager.tensor(a, requires_grad=grad) for a in arrays]
    value = fn(eager, *inputs)
    if not grad:
        return value.numpy(), None

    eager.sum(value).backward()
    return value.detach().numpy(), [t.grad.numpy() for t in inputs]


def run_static(fn, *arrays, grad=False, optimize=True):
    """Return ``(value, grads)`` of ``fn`` compiled as a static graph."""
    graph = sg.Graph()
    with graph.as_default():
        inputs = [sg.placeholder(np.asarray(a).dtype, shape=np.shape(a)) for a in arrays]
        value = fn(sg, *inputs)
        outputs = [value]
        if grad:
            outputs += sg.gradients(sg.sum(value), inputs)
        executable = sg.compile(inputs, outputs, optimize=optimize)

    results = executable(*arrays)
    if not grad:
        return results[0], None
    return results[0], list(results[1:])
