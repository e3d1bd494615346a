"""Softmax family and losses: forward kernels and vector-Jacobian products side by side.

Every form here is numerically stable: softmax and log-softmax subtract the
row maximum, and the logits losses never exponentiate a positive number,
so inputs of any magnitude give finite values and gradients.
"""

import logging
import warnings

import numpy as np

from eager import dtypes
from eager.autograd.function import Node, make_node_class
from eager.autograd.grad_mode import GradMode
from eager.errors import DTypeError, IndexOutOfRangeError, InvalidArgumentError, ShapeError
from eager.ops.core import as_tensor, normalize_dim, record, save_output
from eager.tensor import Tensor

logger = logging.getLogger(__name__)

REDUCTIONS = ("mean", "sum", "none")


def _softmax_kernel(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    e /= np.sum(e, axis=axis, keepdims=True)
    return e


def _log_softmax_kernel(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    shifted -= np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    return shifted


def _softmax_vjp(ops, g, out, axis):
    """Softmax: dx = y * (g - sum(g * y))."""
    return out * (g - ops.sum(g * out, axis, True))


def _log_softmax_vjp(ops, g, out, axis):
    """Log-softmax: dx = g - exp(y) * sum(g)."""
    return g - ops.exp(out) * ops.sum(g, axis, True)


class SoftmaxNode(Node):
    """Node of softmax or log-softmax; the rule uses the saved output and ``attrs`` = dim."""


    def apply(self, ops, grad):
        (out,) = self.unpack(ops)
        return (self.vjp(ops, grad, out, self.attrs),)


#  grad_fn                                 forward                vjp(ops, g, out, dim)
SoftmaxBackward0 = make_node_class("SoftmaxBackward0", SoftmaxNode, vjp=staticmethod(_softmax_vjp))
LogSoftmaxBackward0 = make_node_class("LogSoftmaxBackward0", SoftmaxNode,
                                      vjp=staticmethod(_log_softmax_vjp))
SOFTMAX = {"softmax": (SoftmaxBackward0, _softmax_kernel),
           "log_softmax": (LogSoftmaxBackward0, _log_softmax_kernel)}


def _softmax_family(name, input, dim):
    node_class, kernel = SOFTMAX[name]
    input = as_tensor(input)
    data = input._data
    if data.dtype.kind != "f":
        data = data.astype(dtypes.float32)
    axis = normalize_dim(dim, data.ndim, name)
    result = Tensor._wrap(kernel(data, axis))
    if input._requires_grad and GradMode.enabled:
        record(node_class, result, (input,), (save_output(result),), axis)
    return result


def softmax(input, dim=-1):
    """Return exp(x) / sum(exp(x)) along ``dim``, computed after subtracting the maximum."""
    return _softmax_family("softmax", input, dim)


def log_softmax(input, dim=-1):
    """Return x - logsumexp(x) along ``dim``; finite for logits of any magnitude."""
    return _softmax_family("log_softmax", input, dim)


# ----- losses ----------------------------------------------------------------------------------


def _check_reduction(reduction, name):
    if reduction not in REDUCTIONS:
        raise InvalidArgumentError(f"{name}: reduction={reduction!r} is not one of {REDUCTIONS}")


def _reduce_loss(values, reduction):
    if reduction == "mean":
        return np.asarray(np.mean(values))
    if reduction == "sum":
        return np.asarray(np.sum(values))
    return values


def _loss_seed(ops, g, reduction, count):
    """Return the per-element weight of the upstream gradient for ``reduction``."""
    if reduction == "mean":
        return g / count
    return g


class LossNode(Node):
    """Node of an elementwise loss; ``attrs`` is (reduction, number of elements, input shapes)."""


    def apply(self, ops, grad):
        input, target = self.unpack(ops)
        reduction, count, shape = self.attrs
        seed = _loss_seed(ops, grad, reduction, count)
        grad_input, grad_target = self.vjp(ops, seed, input, target)
        (node_input, _), (node_target, _) = self.next_functions
        return (_cast_like(ops, grad_input, input) if node_input is not None else None,
                _cast_like(ops, grad_target, target) if node_target is not None else None)


def _cast_like(ops, grad, value):
    dtype = ops.value(value).dtype
    return grad if grad.dtype == dtype else ops.cast(grad, dtype)


def _mse_vjp(ops, seed, input, target):
    diff = (input - target) * 2.0
    return diff * seed, -diff * seed


def _bce_vjp(ops, seed, input, target):
    """d/dp of -(t log p + (1-t) log(1-p)) = (p - t) / (p (1 - p)), with p(1-p) >= 1e-12."""
    denominator = ops.maximum(input * (1.0 - input), 1e-12)
    grad_target = ops.log(1.0 - input) - ops.log(input)
    return seed * (input - target) / denominator, seed * grad_target


def _bce_logits_vjp(ops, seed, input, target):
    return seed * (ops.sigmoid(input) - target), -seed * input


#  grad_fn                                       vjp(ops, seed, input, target)
MseLossBackward0 = make_node_class("MseLossBackward0", LossNode, vjp=staticmethod(_mse_vjp))
BinaryCrossEntropyBackward0 = make_node_class("BinaryCrossEntropyBackward0", LossNode,
                                              vjp=staticmethod(_bce_vjp))
BinaryCrossEntropyWithLogitsBackward0 = make_node_class(
    "BinaryCrossEntropyWithLogitsBackward0", LossNode, vjp=staticmethod(_bce_logits_vjp))


def _mse_kernel(x, t):
    diff = x - t
    return diff * diff


def _bce_kernel(p, t):
    # PyTorch clamps each log term at -100 so that p = 0 or 1 gives a finite loss.
    log_p = np.maximum(np.log(p), -100.0)
    log_q = np.maximum(np.log1p(-p), -100.0)
    return -(t * log_p + (1.0 - t) * log_q)


def _bce_logits_kernel(x, t):
    # max(x, 0) - x t + log(1 + exp(-|x|)) never exponentiates a positive number.
    return np.maximum(x, 0) - x * t + np.log1p(np.exp(-np.abs(x)))


LOSSES = {
    "mse_loss": (MseLossBackward0, _mse_kernel),
    "binary_cross_entropy": (BinaryCrossEntropyBackward0, _bce_kernel),
    "binary_cross_entropy_with_logits": (BinaryCrossEntropyWithLogitsBackward0, _bce_logits_kernel),
}


def _elementwise_loss(name, input, target, reduction):
    _check_reduction(reduction, name)
    input = as_tensor(input, f"{name} input")
    target = as_tensor(target, f"{name} target")
    if input.shape != target.shape:
        raise ShapeError(
            f"{name}: input shape {input.shape} and target shape {target.shape} differ; they "
            f"must be equal. Reshape the target (for example target.reshape({input.shape})) or "
            f"squeeze the model output.")
    if not dtypes.is_floating(input.dtype):
        raise DTypeError(f"{name}: input must be floating point, got dtype {input.dtype.name}")
    node_class, kernel = LOSSES[name]
    dtype = _loss_dtype(input._data, target._data)
    input_data = input._data.astype(dtype, copy=False)
    target_data = target._data.astype(dtype, copy=False)
    if name == "binary_cross_entropy":
        _check_probabilities(input_data, name)
    values = kernel(input_data, target_data)
    result = Tensor._wrap(_reduce_loss(values, reduction))
    if GradMode.enabled and (input._requires_grad or target._requires_grad):
        attrs = (reduction, values.size, input.shape)
        record(node_class, result, (input, target), (input, target), attrs)
    return result


def _loss_dtype(input, target):
    """Return the dtype a loss computes in: the wider of two float dtypes, else the input's."""
    if dtypes.is_floating(target.dtype):
        return np.promote_types(input.dtype, target.dtype)
    return input.dtype


def _check_probabilities(p, name):
    if p.size and (np.min(p) < 0 or np.max(p) > 1):
        raise InvalidArgumentError(
            f"{name}: input values must be probabilities in [0, 1], got values from "
            f"{np.min(p):.4g} to {np.max(p):.4g}. Apply sigmoid first, or use "
            f"binary_cross_entropy_with_logits on the raw scores.")


def mse_loss(input, target, reduction="mean"):
    """Mean squared error ``(input - target) ** 2`` with ``reduction`` mean, sum or none."""
    return _elementwise_loss("mse_loss", input, target, reduction)


def binary_cross_entropy(input, target, reduction="mean"):
    """Binary cross-entropy of probabilities ``input`` in [0, 1]; log terms clamped at -100."""
    return _elementwise_loss("binary_cross_entropy", input, target, reduction)


def binary_cross_entropy_with_logits(input, target, reduction="mean"):
    """Binary cross-entropy of ``sigmoid(input)``, computed stably from the logits."""
    return _elementwise_loss("binary_cross_entropy_with_logits", input, target, reduction)


# ----- negative log-likelihood and cross-entropy -------------------------------------------------


class NllLossBackward0(Node):
    """Node of ``nll_loss``; ``attrs`` is (rows, classes, reduction, count, weights per row)."""


    def apply(self, ops, grad):
        shape, rows, classes, reduction, weights, total = self.attrs
        if reduction == "none":
            seed = grad * weights
        elif reduction == "mean":
            seed = ops.expand_to(grad, rows[0].shape) * (weights / total)
        else:
            seed = ops.expand_to(grad, rows[0].shape) * weights
        flat = ops.index_scatter(-seed, (rows[0].size, shape[1]), (np.arange(rows[0].size),
                                                                    classes), False)
        return (ops.reshape(flat, shape),)


def _class_targets(target, input_shape, name):
    """Return (row-major class index array, number of classes) after checking the target."""
    target_data = target._data
    if target_data.dtype.kind not in "iu":
        raise DTypeError(
            f"{name}: class-index targets must be integers (eager.int64), got dtype "
            f"{target_data.dtype.name}. Pass targets like eager.tensor([0, 2, 1]), or for class "
            f"probabilities use a float target of the input's shape.")
    expected = input_shape[:1] + input_shape[2:] if len(input_shape) > 1 else ()
    if target_data.shape != expected:
        raise ShapeError(
            f"{name}: input of shape {input_shape} needs a target of shape {expected} (one class "
            f"index per row), got {target_data.shape}.")
    classes = input_shape[1] if len(input_shape) > 1 else input_shape[0]
    if target_data.size and (target_data.min() < 0 or target_data.max() >= classes):
        raise IndexOutOfRangeError(
            f"{name}: target values must be class indices in [0, {classes - 1}], got values from "
            f"{target_data.min()} to {target_data.max()}.")
    return target_data


def nll_loss(input, target, weight=None, reduction="mean"):
    """Negative log-likelihood of log-probabilities ``input`` (N, C) at class indices ``target``."""
    _check_reduction(reduction, "nll_loss")
    input = as_tensor(input, "nll_loss input")
    target = as_tensor(target, "nll_loss target")
    if input.ndim == 1:
        losses = nll_loss(input.reshape(1, -1), target.reshape(1), weight, reduction)
        return losses.reshape(()) if reduction == "none" else losses
    if input.ndim > 2:
        moved = input.transpose(1, -1).reshape(-1, input.shape[1])
        losses = nll_loss(moved, target.reshape(-1), weight, "none")
        if reduction == "none":
            return losses.reshape(target.shape)
        return _reduce_weighted(losses, target, weight, reduction)
    classes = _class_targets(target, input.shape, "nll_loss")
    data = input._data
    rows = np.arange(data.shape[0])
    weights = np.ones(data.shape[0], dtype=data.dtype) if weight is None else \
        np.asarray(as_tensor(weight)._data, dtype=data.dtype)[classes]
    picked = -data[rows, classes] * weights
    total = float(np.sum(weights))
    if reduction == "mean":
        out = np.asarray(np.sum(picked) / total, dtype=data.dtype)
    else:
        out = _reduce_loss(picked, reduction)
    result = Tensor._wrap(np.asarray(out))
    if input._requires_grad and GradMode.enabled:
        attrs = (data.shape, (rows,), classes, reduction, weights, total)
        record(NllLossBackward0, result, (input,), (), attrs)
    return result


def _reduce_weighted(losses, target, weight, reduction):
    if reduction == "sum" or weight is None:
        return losses.sum() if reduction == "sum" else losses.mean()
    total = np.sum(as_tensor(weight)._data[target._data.reshape(-1)])
    return losses.sum() / float(total)


_warned_probabilities = [False]


def _warn_if_probabilities(data):
    """Warn once per process when every row of ``data`` looks like a probability vector."""
    if _warned_probabilities[0] or data.ndim < 2 or data.shape[1] < 2 or data.size == 0:
        return
    if data.min() < 0 or data.max() > 1:
        return
    if np.allclose(data.sum(axis=1), 1.0, atol=1e-3):
        _warned_probabilities[0] = True
        warnings.warn(
            "cross_entropy expects unnormalized logits, but every row of its input is a "
            "probability distribution (for example softmax output). It applies log_softmax "
            "itself, so softmax followed by cross_entropy squashes the gradients. Pass the scores "
            "before softmax, or use nll_loss(log(probabilities), target).",
            UserWarning, stacklevel=3)


def cross_entropy(input, target, weight=None, reduction="mean", label_smoothing=0.0):
    """Cross-entropy of logits ``input`` (N, C) with class indices or class probabilities.

    Computed as ``nll_loss(log_softmax(input, 1), target)``, so logits of any
    magnitude give a finite loss and gradient. A float ``target`` of the
    input's shape is read as class probabilities.
    """
    _check_reduction(reduction, "cross_entropy")
    input = as_tensor(input, "cross_entropy input")
    target = as_tensor(target, "cross_entropy target")
    if not dtypes.is_floating(input.dtype):
        raise DTypeError(f"cross_entropy: input must be floating-point logits, got dtype "
                         f"{input.dtype.name}. Convert with .float().")
    _warn_if_probabilities(input._data)
    class_dim = 1 if input.ndim > 1 else 0
    log_probs = log_softmax(input, class_dim)
    if dtypes.is_floating(target.dtype):
        return _soft_target_loss(log_probs, target, class_dim, reduction, label_smoothing)
    if label_smoothing:
        hard = nll_loss(log_probs, target, weight, reduction)
        smooth = -log_probs.mean(class_dim)
        smooth = smooth if reduction == "none" else smooth.sum() if reduction == "sum" \
            else smooth.mean()
        return hard * (1.0 - label_smoothing) + smooth * label_smoothing
    return nll_loss(log_probs, target, weight, reduction)


def _soft_target_loss(log_probs, target, class_dim, reduction, label_smoothing):
    if target.shape != log_probs.shape:
        raise ShapeError(
            f"cross_entropy: a floating target is read as class probabilities and must have the "
            f"input's shape {log_probs.shape}, got {target.shape}. For class indices pass an "
            f"integer tensor.")
    if label_smoothing:
        classes = log_probs.shape[class_dim]
        target = target * (1.0 - label_smoothing) + label_smoothing / classes
    losses = -(log_probs * target).sum(class_dim)
    if reduction == "none":
        return losses
    return losses.sum() if reduction == "sum" else losses.mean()


# ----- dropout -----------------------------------------------------------------------------------


def dropout(input, p=0.5, training=True, generator=None):
    """Zero each element with probability ``p`` and scale the rest by 1 / (1 - p) in training."""
    from eager import random

    if not 0.0 <= p <= 1.0:
        raise InvalidArgumentError(f"dropout: p={p} must be a probability in [0, 1]")
    input = as_tensor(input)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    rng = generator if generator is not None else random.default_generator()
    keep = (rng.random(input.shape) >= p).astype(input.dtype) / (1.0 - p)
    return input * keep
