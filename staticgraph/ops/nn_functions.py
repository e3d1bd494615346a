"""Neural-network functions: softmax, log-softmax and the losses.

cross_entropy is log_softmax followed by nll_loss; the other losses are built
from elementwise ops and reductions, so their gradients come from those ops.
"""

from ..node import as_node
from . import elementwise as E
from . import nn_ops
from .base import normalize_axis, shape_error
from .functional import _floating, _to_nodes, _unify, apply, cast, clamp, log, mean, softplus, sum


def softmax(x, dim=-1):
    (x,) = _to_nodes("softmax", [x])
    x = _floating("softmax", x)
    return apply(nn_ops.Softmax(normalize_axis("softmax", x, dim)), [x])


def log_softmax(x, dim=-1, _check_probabilities=False):
    (x,) = _to_nodes("log_softmax", [x])
    x = _floating("log_softmax", x)
    return apply(nn_ops.LogSoftmax(normalize_axis("log_softmax", x, dim), bool(_check_probabilities)), [x])


def _check_reduction(op_name, reduction):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{op_name}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _reduce(loss, reduction):
    if reduction == "mean":
        return mean(loss)
    if reduction == "sum":
        return sum(loss)
    return loss


def nll_loss(input, target, weight=None, reduction="mean"):  # noqa: A002 - PyTorch's argument names
    """Negative log-likelihood of integer class ``target`` under log-probabilities ``input``.

    With a ``weight`` per class, each row's loss is scaled by its class's weight and
    the mean divides by the sum of those weights, as in PyTorch.
    """
    _check_reduction("nll_loss", reduction)
    input, target = _to_nodes("nll_loss", [input, target])
    if weight is None:
        return apply(nn_ops.NLLLoss(reduction), [input, target])
    one_hot, row_weights = _class_weights("nll_loss", input, target, weight)
    losses = -sum(one_hot * input, -1) * row_weights
    if reduction == "mean":
        return sum(losses) / sum(row_weights)
    return _reduce(losses, reduction)


def _class_weights(op_name, input, target, weight):  # noqa: A002
    """Return the one-hot targets and each row's class weight."""
    classes = input.shape[-1]
    if classes is None:
        raise shape_error(op_name, [input], "class weights need a known number of classes", "give the class dim a fixed size")
    (weight,) = _to_nodes(op_name, [weight])
    weight = cast(weight, input.dtype)
    if weight.shape != (classes,):
        raise shape_error(op_name, [input, weight], f"weight must have shape ({classes},), one entry per class", "pass one weight per class")
    one_hot = apply(nn_ops.OneHot(classes, input.dtype), [target])
    return one_hot, sum(one_hot * weight, -1)


def _probabilities_at_build_time(node):
    """Return True, False, or None when only the run-time values can tell."""
    if node.op is not None and isinstance(node.op, (nn_ops.Softmax, E.Sigmoid)):
        return True
    if node.kind in ("constant", "variable") and node.ndim >= 1:
        return nn_ops.rows_look_like_probabilities(node.data["value"], -1)
    return None


def _check_probabilities(node):
    """Warn now if ``node`` is known to hold probabilities; return whether to check when it runs."""
    if nn_ops.probability_warning["issued"]:
        return False
    known = _probabilities_at_build_time(node)
    if known:
        nn_ops.warn_probabilities_once(f"input {node.name!r}", stacklevel=4)
    return known is None


def cross_entropy(input, target, weight=None, reduction="mean", label_smoothing=0.0):  # noqa: A002 - PyTorch's names
    """log_softmax over the class dim followed by nll_loss.

    ``input`` contains logits, (N, C) or (C,). ``target`` contains int class indices
    ((N,) or a scalar) or, as a float array of ``input``'s shape, class
    probabilities. ``weight`` (one per class) and ``label_smoothing`` follow
    PyTorch. An input that looks like probabilities warns once per process. A
    softmax or sigmoid output, or a constant, is judged when the graph is built.
    Any other input is judged when the executable runs, by whether its rows lie in
    [0, 1] and sum to 1.
    """
    _check_reduction("cross_entropy", reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing={label_smoothing} must lie in [0, 1]")
    input, target = _to_nodes("cross_entropy", [input, target])
    check_at_run_time = _check_probabilities(input)
    class_dim = 0 if input.ndim == 1 else 1
    log_probabilities = log_softmax(input, class_dim, _check_probabilities=check_at_run_time)
    if target.dtype.kind == "f":
        return _soft_cross_entropy(log_probabilities, target, class_dim, weight, reduction, label_smoothing)
    loss = nll_loss(log_probabilities, target, weight, reduction)
    if not label_smoothing:
        return loss
    smooth = _smoothing_loss(log_probabilities, target, class_dim, weight, reduction)
    return loss * (1.0 - label_smoothing) + smooth * (label_smoothing / log_probabilities.shape[class_dim])


def _smoothing_loss(log_probabilities, target, class_dim, weight, reduction):
    """-sum over classes of (weighted) log-probabilities, reduced as PyTorch reduces label smoothing."""
    if weight is None:
        return _reduce(-sum(log_probabilities, class_dim), reduction)
    _, row_weights = _class_weights("cross_entropy", log_probabilities, target, weight)
    weighted = -sum(log_probabilities * cast(as_node(weight, log_probabilities.graph), log_probabilities.dtype), class_dim)
    if reduction == "mean":
        return sum(weighted) / sum(row_weights)
    return _reduce(weighted, reduction)


def _soft_cross_entropy(log_probabilities, target, class_dim, weight, reduction, label_smoothing):
    if target.ndim != log_probabilities.ndim:
        raise shape_error(
            "cross_entropy", [log_probabilities, target], "float targets must have the input's shape",
            "pass int64 class indices, or one probability row per input row",
        )
    target = cast(target, log_probabilities.dtype)
    if label_smoothing:
        target = target * (1.0 - label_smoothing) + label_smoothing / log_probabilities.shape[class_dim]
    products = target * log_probabilities
    if weight is not None:
        products = products * cast(as_node(weight, log_probabilities.graph), log_probabilities.dtype)
    return _reduce(-sum(products, class_dim), reduction)


def mse_loss(input, target, reduction="mean"):  # noqa: A002 - PyTorch's argument names
    """Mean (or sum) of squared differences."""
    _check_reduction("mse_loss", reduction)
    input, target = _unify("mse_loss", _to_nodes("mse_loss", [input, target]))
    difference = input - target
    return _reduce(difference * difference, reduction)


def binary_cross_entropy(input, target, reduction="mean"):  # noqa: A002 - PyTorch's argument names
    """-(t log p + (1 - t) log(1 - p)), each log clamped at -100 as PyTorch does."""
    _check_reduction("binary_cross_entropy", reduction)
    input, target = _unify("binary_cross_entropy", _to_nodes("binary_cross_entropy", [input, target]))
    _check_same_shape("binary_cross_entropy", input, target)
    return _reduce(apply(E.BinaryCrossEntropy(), [input, target]), reduction)


def binary_cross_entropy_with_logits(input, target, reduction="mean"):  # noqa: A002 - PyTorch's argument names
    """softplus(x) - x t: binary cross-entropy of sigmoid(x), stable for large |x|."""
    _check_reduction("binary_cross_entropy_with_logits", reduction)
    input, target = _unify("binary_cross_entropy_with_logits", _to_nodes("binary_cross_entropy_with_logits", [input, target]))
    _check_same_shape("binary_cross_entropy_with_logits", input, target)
    return _reduce(softplus(input) - input * target, reduction)


def _check_same_shape(op_name, input, target):  # noqa: A002
    for a, b in zip(input.shape, target.shape):
        if a is not None and b is not None and a != b:
            raise shape_error(op_name, [input, target], "input and target shapes differ", "give the target the input's shape")
    if input.ndim != target.ndim:
        raise shape_error(op_name, [input, target], "input and target ranks differ", "reshape the target to the input's shape")
