"""Gradients of a squared error with respect to a weight and a bias.

The book sets ``w = 1.0``, ``b = 0.5``, ``x = [1.4]``, ``y = [2.1]`` and
differentiates ``loss = ((y - (w x + b)) ** 2).sum()``. It records
``dL/dw = -0.5600`` and ``dL/db = -0.4000``, which are
``-2 x (y - w x - b)`` and ``-2 (y - w x - b)``.
"""

import numpy as np

import eager
import staticgraph
from examples.report import Report, SameDigits

W, B = 1.0, 0.5
X, Y = np.array([1.4], dtype=np.float32), np.array([2.1], dtype=np.float32)
BOOK = {"dL/dw": -0.5600, "dL/db": -0.4000}


def squared_error(ops, w, b, x, y):
    """Return ``sum((y - (w x + b)) ** 2)`` built with the namespace ``ops``."""
    z = ops.add(ops.mul(w, x), b)
    return ops.sum(ops.pow(ops.sub(y, z), 2))


def gradients_eager():
    """Return ``(dL/dw, dL/db)`` computed by eager's backward pass."""
    w = eager.tensor(W, requires_grad=True)
    b = eager.tensor(B, requires_grad=True)
    loss = squared_error(eager, w, b, eager.tensor(X), eager.tensor(Y))
    loss.backward()
    return w.grad.item(), b.grad.item()


def gradients_static():
    """Return ``(dL/dw, dL/db)`` from a compiled graph holding the gradient nodes."""
    sg = staticgraph
    with sg.Graph().as_default():
        w = sg.variable(np.float32(W), name="w")
        b = sg.variable(np.float32(B), name="b")
        x = sg.placeholder(sg.float32, shape=X.shape, name="x")
        y = sg.placeholder(sg.float32, shape=Y.shape, name="y")
        loss = squared_error(sg, w, b, x, y)
        compute = sg.compile([x, y], sg.gradients(loss, [w, b]))
    dw, db = compute(X, Y)
    return float(dw), float(db)


def run(config):
    """Compute the two gradients in each requested mode and compare them with the book."""
    runners = {"eager": gradients_eager, "static": gradients_static}
    values = {mode: runners[mode]() for mode in config.modes}
    report = Report(
        "gradients",
        "w = 1.0, b = 0.5, x = [1.4], y = [2.1], loss = ((y - (w x + b)) ** 2).sum()",
        "none (single scalar example)",
        quick=False,
        compared="gradients",
    )
    for index, (label, book) in enumerate(BOOK.items()):
        report.add(label, book, f"{book:.4f}", {mode: grads[index] for mode, grads in values.items()}, SameDigits(4))
    if len(values) > 1:
        report.agreement = float(np.max(np.abs(np.subtract(values["eager"], values["static"]))))
    return report
