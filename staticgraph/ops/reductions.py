"""Reductions (sum, mean, max, min, argmax, logsumexp) and the broadcast helpers of gradients.

``SumLike`` and ``ExpandReduced`` are each other's gradients: one sums a gradient
back to an input's run-time shape, the other spreads a reduced gradient over it.
Both read the shape of their second input when the executable runs, so they work
when dims are ``None`` at build time.
"""

import numpy as np

from . import functional as F
from .base import Op, all_axes, reduced_shape, sum_to_shape


class Reduction(Op):
    """A reduction over ``dim`` (a sorted tuple of axes, or None for all)."""

    attributes = ("dim", "keepdim")
    numpy_name = None

    def infer(self, inputs):
        return reduced_shape(inputs[0].shape, self.dim, self.keepdim), inputs[0].dtype

    def compute(self, x):
        return getattr(np, self.numpy_name)(x, axis=self.dim, keepdims=self.keepdim)

    def emit(self, args, bind):
        return f"np.{self.numpy_name}({args[0]}, axis={self.dim!r}, keepdims={self.keepdim!r})"


class Sum(Reduction):
    name = "sum"
    numpy_name = "sum"

    def gradient(self, node, grad, needed):
        return (F.expand_reduced(grad, node.inputs[0], self.dim, self.keepdim),)


class Mean(Reduction):
    name = "mean"
    numpy_name = "mean"

    def gradient(self, node, grad, needed):
        return (F.expand_reduced(grad, node.inputs[0], self.dim, self.keepdim, mean=True),)


class Max(Reduction):
    """Maximum over ``dim``; tied maxima share the gradient evenly."""

    name = "max"
    numpy_name = "max"

    def gradient(self, node, grad, needed):
        return (_extremum_gradient(node, grad, self.dim, self.keepdim),)


class Min(Reduction):
    """Minimum over ``dim``; tied minima share the gradient evenly."""

    name = "min"
    numpy_name = "min"

    def gradient(self, node, grad, needed):
        return (_extremum_gradient(node, grad, self.dim, self.keepdim),)


def _extremum_gradient(node, grad, dim, keepdim):
    x = node.inputs[0]
    spread_value = F.expand_reduced(node, x, dim, keepdim)
    mask = F.cast(F.eq(x, spread_value), grad.dtype)
    count = F.sum(mask, all_axes(x.ndim, dim), keepdim=True)
    return F.expand_reduced(grad, x, dim, keepdim) * (mask / count)


class ArgExtremum(Op):
    """Index of the max or min along one axis (int64); no gradient."""

    attributes = ("dim", "keepdim")
    numpy_name = None

    def infer(self, inputs):
        axes = None if self.dim is None else (self.dim,)
        return reduced_shape(inputs[0].shape, axes, self.keepdim), np.dtype("int64")

    def compute(self, x):
        return getattr(np, self.numpy_name)(x, axis=self.dim, keepdims=self.keepdim).astype(np.int64)

    def emit(self, args, bind):
        return f"np.{self.numpy_name}({args[0]}, axis={self.dim!r}, keepdims={self.keepdim!r})"

    def gradient(self, node, grad, needed):
        return (None,)


class Argmax(ArgExtremum):
    name = "argmax"
    numpy_name = "argmax"


class Argmin(ArgExtremum):
    name = "argmin"
    numpy_name = "argmin"


def _logsumexp(x, axis, keepdims):
    shift = np.max(x, axis=axis, keepdims=True)
    shift = np.where(np.isfinite(shift), shift, 0)
    total = np.log(np.sum(np.exp(x - shift), axis=axis, keepdims=True)) + shift
    return total if keepdims else np.squeeze(total, axis=axis)


class LogSumExp(Reduction):
    """log(sum(exp(x))) over ``dim``, shifted by the maximum so it does not overflow."""

    name = "logsumexp"

    def compute(self, x):
        return _logsumexp(x, self.dim, self.keepdim)

    def emit(self, args, bind):
        return f"{bind(_logsumexp, 'logsumexp')}({args[0]}, {self.dim!r}, {self.keepdim!r})"

    def gradient(self, node, grad, needed):
        x = node.inputs[0]
        weights = F.exp(x - F.expand_reduced(node, x, self.dim, self.keepdim))
        return (F.expand_reduced(grad, x, self.dim, self.keepdim) * weights,)


# --- broadcast helpers of gradients ----------------------------------------------


class SumLike(Op):
    """sum_like(g, x): ``g`` summed over the dims that broadcasting added to ``x``'s run-time shape."""

    name = "sum_like"

    def infer(self, inputs):
        return inputs[1].shape, inputs[0].dtype

    def compute(self, grad, like):
        return sum_to_shape(grad, np.shape(like))

    def emit(self, args, bind):
        return f"{bind(sum_to_shape, 'sum_to_shape')}({args[0]}, {args[1]}.shape)"

    def gradient(self, node, grad, needed):
        return (F.broadcast_like(grad, node.inputs[0]), None)


class BroadcastLike(Op):
    """broadcast_like(g, x): ``g`` broadcast to ``x``'s run-time shape (a read-only view)."""

    name = "broadcast_like"

    def infer(self, inputs):
        return inputs[1].shape, inputs[0].dtype

    def compute(self, value, like):
        return np.broadcast_to(value, np.shape(like))

    def emit(self, args, bind):
        return f"np.broadcast_to({args[0]}, {args[1]}.shape)"

    def gradient(self, node, grad, needed):
        return (F.sum_like(grad, node.inputs[0]), None)


def _expand_reduced(grad, shape, axes, keepdim, mean):
    axes = tuple(range(len(shape))) if axes is None else axes
    if not keepdim:
        grad = np.expand_dims(grad, axes)
    result = np.broadcast_to(grad, shape)
    if mean:
        count = 1
        for axis in axes:
            count *= shape[axis]
        result = result / np.asarray(count, dtype=result.dtype)
    return result


class ExpandReduced(Op):
    """expand_reduced(g, x): the gradient of a reduction of ``x`` spread back over ``x``'s shape.

    With ``mean=True`` it is divided by the number of reduced elements. It is the
    gradient of sum (or mean) over ``dim`` and has sum (or mean) as its own gradient.
    """

    name = "expand_reduced"
    attributes = ("dim", "keepdim", "mean")

    def infer(self, inputs):
        return inputs[1].shape, inputs[0].dtype

    def compute(self, grad, like):
        return _expand_reduced(grad, np.shape(like), self.dim, self.keepdim, self.mean)

    def emit(self, args, bind):
        function = bind(_expand_reduced, "expand_reduced")
        return f"{function}({args[0]}, {args[1]}.shape, {self.dim!r}, {self.keepdim!r}, {self.mean!r})"

    def gradient(self, node, grad, needed):
        reduce = F.mean if self.mean else F.sum
        return (reduce(grad, self.dim, self.keepdim), None)


class BoolReduction(Reduction):
    """all / any over ``dim``: a bool result with no gradient."""

    def infer(self, inputs):
        return reduced_shape(inputs[0].shape, self.dim, self.keepdim), np.dtype(bool)

    def gradient(self, node, grad, needed):
        return (None,)


class All(BoolReduction):
    name = "all"
    numpy_name = "all"


class Any(BoolReduction):
    name = "any"
    numpy_name = "any"
