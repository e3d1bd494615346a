"""Softmax, log-softmax and the negative log-likelihood that cross-entropy is built from."""

import warnings

import numpy as np

from . import functional as F
from .base import Op, shape_error


def _softmax(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    exponentials = np.exp(shifted)
    return exponentials / np.sum(exponentials, axis=axis, keepdims=True)


def _log_softmax(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


# cross_entropy warns once per process when its input looks like probabilities,
# whether that shows when the graph is built or when it runs.
probability_warning = {"issued": False}


def warn_probabilities_once(description, stacklevel):
    """Issue the cross_entropy probability warning unless it was issued before."""
    if probability_warning["issued"]:
        return
    probability_warning["issued"] = True
    warnings.warn(
        f"cross_entropy: {description} looks like probabilities (softmax output or rows in [0, 1] summing "
        "to 1), but cross_entropy expects logits and applies log_softmax itself; pass the scores before "
        "softmax. This warning is shown once.",
        UserWarning,
        stacklevel=stacklevel,
    )


def rows_look_like_probabilities(values, axis):
    values = np.asarray(values)
    if values.size == 0 or values.dtype.kind != "f":
        return False
    in_range = values.min() >= 0 and values.max() <= 1
    return bool(in_range and np.allclose(np.sum(values, axis=axis), 1.0, atol=1e-4))


def _log_softmax_checking_probabilities(x, axis):
    """log_softmax of cross_entropy's input, warning once if the rows look like probabilities."""
    if not probability_warning["issued"] and rows_look_like_probabilities(x, axis):
        warn_probabilities_once("the input fed at run time", stacklevel=4)
    return _log_softmax(x, axis)


class Softmax(Op):
    """exp(x) / sum(exp(x)) along ``dim``, shifted by the maximum for stability."""

    name = "softmax"
    attributes = ("dim",)

    def infer(self, inputs):
        return inputs[0].shape, inputs[0].dtype

    def compute(self, x):
        return _softmax(x, self.dim)

    def emit(self, args, bind):
        return f"{bind(_softmax, 'softmax')}({args[0]}, {self.dim})"

    def gradient(self, node, grad, needed):
        inner = F.sum(grad * node, self.dim, keepdim=True)
        return (node * (grad - inner),)


class LogSoftmax(Op):
    """x - logsumexp(x) along ``dim``.

    cross_entropy sets ``check_probabilities`` when the input's producer does not
    show whether it contains logits. The kernel then warns once per process if the
    input rows look like probabilities.
    """

    name = "log_softmax"
    attributes = ("dim", "check_probabilities")

    def infer(self, inputs):
        return inputs[0].shape, inputs[0].dtype

    def compute(self, x):
        return self._kernel()(x, self.dim)

    def _kernel(self):
        return _log_softmax_checking_probabilities if self.check_probabilities else _log_softmax

    def emit(self, args, bind):
        kernel = self._kernel()
        return f"{bind(kernel, kernel.__name__.lstrip('_'))}({args[0]}, {self.dim})"

    def gradient(self, node, grad, needed):
        total = F.sum(grad, self.dim, keepdim=True)
        return (grad - F.exp(node) * total,)


def _check_targets(targets, classes):
    if targets.size and (targets.min() < 0 or targets.max() >= classes):
        bad = targets[(targets < 0) | (targets >= classes)]
        raise IndexError(f"class index {int(bad[0])} is out of range for {classes} classes; targets must lie in [0, {classes - 1}]")


def _nll_loss(log_probabilities, targets, reduction):
    """-log_probabilities[i, targets[i]], reduced; input (N, C) with targets (N,), or (C,) with ()."""
    if log_probabilities.ndim == 2 and np.shape(targets) != log_probabilities.shape[:1]:
        raise ValueError(
            f"the input has {log_probabilities.shape[0]} rows but the targets have shape {np.shape(targets)}; "
            "feed one class index per input row"
        )
    _check_targets(np.asarray(targets), log_probabilities.shape[-1])
    if log_probabilities.ndim == 1:
        return -log_probabilities[targets]
    picked = -log_probabilities[np.arange(log_probabilities.shape[0]), targets]
    if reduction == "mean":
        return np.mean(picked)
    if reduction == "sum":
        return np.sum(picked)
    return picked


def _nll_loss_backward(grad, log_probabilities, targets, reduction):
    result = np.zeros_like(log_probabilities)
    if log_probabilities.ndim == 1:
        result[targets] = -grad
        return result
    count = log_probabilities.shape[0]
    scale = -grad / count if reduction == "mean" else -grad
    result[np.arange(count), targets] = scale
    return result


def _nll_infer(op, inputs):
    log_probabilities, targets = inputs
    if targets.dtype.kind not in "iu":
        raise F.dtype_error(op.name, inputs, "class indices need an integer dtype", "pass targets as int64 class indices")
    if log_probabilities.ndim not in (1, 2) or targets.ndim != log_probabilities.ndim - 1:
        raise shape_error(
            op.name, inputs, "expected input (N, C) with targets (N,), or input (C,) with a scalar target",
            "reshape the logits to (batch, classes) and the targets to (batch,)",
        )
    if log_probabilities.ndim == 2:
        n_input, n_target = log_probabilities.shape[0], targets.shape[0]
        if n_input is not None and n_target is not None and n_input != n_target:
            raise shape_error(op.name, inputs, f"batch sizes differ: {n_input} vs {n_target}", "pass one target per row of the input")
    if log_probabilities.ndim == 1 or op.reduction != "none":
        return (), log_probabilities.dtype
    return (log_probabilities.shape[0],), log_probabilities.dtype


class NLLLoss(Op):
    """Negative log-likelihood of integer class targets; ``reduction`` is mean, sum or none."""

    name = "nll_loss"
    attributes = ("reduction",)

    def infer(self, inputs):
        return _nll_infer(self, inputs)

    def compute(self, log_probabilities, targets):
        return _nll_loss(log_probabilities, targets, self.reduction)

    def emit(self, args, bind):
        return f"{bind(_nll_loss, 'nll_loss')}({args[0]}, {args[1]}, {self.reduction!r})"

    def gradient(self, node, grad, needed):
        log_probabilities, targets = node.inputs
        backward = F.apply(NLLLossBackward(self.reduction), [grad, log_probabilities, targets])
        return (backward, None)


class NLLLossBackward(Op):
    """The gradient of ``nll_loss`` with respect to its input; linear in ``grad``."""

    name = "nll_loss_backward"
    attributes = ("reduction",)

    def infer(self, inputs):
        return inputs[1].shape, inputs[1].dtype

    def compute(self, grad, log_probabilities, targets):
        return _nll_loss_backward(grad, log_probabilities, targets, self.reduction)

    def emit(self, args, bind):
        return f"{bind(_nll_loss_backward, 'nll_loss_backward')}({args[0]}, {args[1]}, {args[2]}, {self.reduction!r})"

    def gradient(self, node, grad, needed):
        # The op is linear in its first input, and its adjoint is nll_loss itself.
        targets = node.inputs[2]
        return (F.apply(NLLLoss(self.reduction), [grad, targets]), None, None)



def _one_hot(targets, classes, dtype):
    _check_targets(np.asarray(targets), classes)
    return np.eye(classes, dtype=dtype)[targets]


class OneHot(Op):
    """Rows of the identity matrix picked by integer ``targets``: shape targets.shape + (classes,)."""

    name = "one_hot"
    attributes = ("classes", "dtype")

    def infer(self, inputs):
        targets = inputs[0]
        if targets.dtype.kind not in "iu":
            raise F.dtype_error(self.name, inputs, "class indices need an integer dtype", "pass int64 class indices")
        return targets.shape + (self.classes,), self.dtype

    def compute(self, targets):
        return _one_hot(targets, self.classes, self.dtype)

    def emit(self, args, bind):
        return f"{bind(_one_hot, 'one_hot')}({args[0]}, {self.classes}, {bind(self.dtype, self.dtype.name)})"

    def gradient(self, node, grad, needed):
        return (None,)
