"""The rest of the op set shared with ``eager``: PyTorch's aliases, rarer ops and tensor factories.

Factories return constants (``zeros``, ``ones``, ``full``, ``arange``) or random
ops that draw anew on every run (``rand``, ``randn``), each with the same
generator call as ``eager``.
"""

import builtins

import numpy as np

from .. import dtypes
from ..graph import common_graph, get_default_graph
from ..node import Node
from ..variables import constant
from . import elementwise as E
from . import functional as F
from . import random_ops, reductions, shape_ops
from .base import normalize_axes, normalize_axis, shape_error

# --- aliases ------------------------------------------------------------------------------

cos = F.cos
sin = F.sin
log1p = F.log1p
multiply = F.mul
subtract = F.sub
divide = F.div
true_divide = F.div
negative = F.neg
clip = F.clamp
concatenate = F.cat


def view(input, *shape):  # noqa: A002 - PyTorch's argument names
    """Same as reshape (values are never shared with the input in a compiled graph)."""
    return F.reshape(input, shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape)


# --- elementwise ---------------------------------------------------------------------------


def clone(x):
    """Copy ``x``; gradients pass through unchanged."""
    return F._unary(E.Clone(), x, floating=False)


def logical_not(x):
    return F._unary(E.LogicalNot(), F.cast(x, dtypes.bool), floating=False)


def logical_and(a, b):
    return F._binary(E.LogicalAnd(), a, b, dtypes.bool)


def logical_or(a, b):
    return F._binary(E.LogicalOr(), a, b, dtypes.bool)


def leaky_relu(x, negative_slope=0.01):
    """x where x > 0, else negative_slope * x; the gradient at 0 is negative_slope, as in PyTorch."""
    (x,) = F._to_nodes("leaky_relu", [x])
    return F.where(F.gt(x, 0), x, x * negative_slope)


# --- reductions -----------------------------------------------------------------------------


def _bool_reduction(op_cls, x, dim, keepdim):
    (x,) = F._to_nodes(op_cls.name, [x])
    return F.apply(op_cls(normalize_axes(op_cls.name, x, dim), bool(keepdim)), [x])


def all(input, dim=None, keepdim=False):  # noqa: A001,A002 - mirrors torch.all
    return _bool_reduction(reductions.All, input, dim, keepdim)


def any(input, dim=None, keepdim=False):  # noqa: A001,A002 - mirrors torch.any
    return _bool_reduction(reductions.Any, input, dim, keepdim)


def amax(input, dim=None, keepdim=False):  # noqa: A002
    """Maximum over one or more dims (values only); tied maxima split the gradient evenly."""
    (x,) = F._to_nodes("amax", [input])
    return F.apply(reductions.Max(normalize_axes("amax", x, dim), bool(keepdim) and dim is not None), [x])


def amin(input, dim=None, keepdim=False):  # noqa: A002
    """Minimum over one or more dims (values only); tied minima split the gradient evenly."""
    (x,) = F._to_nodes("amin", [input])
    return F.apply(reductions.Min(normalize_axes("amin", x, dim), bool(keepdim) and dim is not None), [x])


def argmin(x, dim=None, keepdim=False):
    (x,) = F._to_nodes("argmin", [x])
    axis = None if dim is None else normalize_axis("argmin", x, dim)
    return F.apply(reductions.Argmin(axis, bool(keepdim) and axis is not None), [x])


# --- shapes ------------------------------------------------------------------------------


def flatten(input, start_dim=0, end_dim=-1):  # noqa: A002
    """Merge dims ``start_dim`` through ``end_dim`` into one (works with None dims)."""
    (x,) = F._to_nodes("flatten", [input])
    if x.ndim == 0:
        return F.reshape(x, (1,))
    start, end = normalize_axis("flatten", x, start_dim), normalize_axis("flatten", x, end_dim)
    if start > end:
        raise shape_error("flatten", [x], f"start_dim {start_dim} comes after end_dim {end_dim}", "pass start_dim <= end_dim")
    if start == end:
        return x
    return F.apply(shape_ops.Flatten(start, end), [x])


def t(input):  # noqa: A002
    """Transpose a node of at most 2 dims."""
    (x,) = F._to_nodes("t", [input])
    if x.ndim > 2:
        raise shape_error("t", [x], f"t() expects at most 2 dims, got {x.ndim}", "use transpose(x, dim0, dim1) or permute")
    return x if x.ndim < 2 else F.transpose(x, 0, 1)


def mm(a, b):
    """Matrix product of two 2-D nodes."""
    a, b = F._to_nodes("mm", [a, b])
    if a.ndim != 2 or b.ndim != 2:
        raise shape_error("mm", [a, b], "mm expects two 2-D inputs", "use matmul for other ranks")
    return F.matmul(a, b)


def broadcast_to(input, shape):  # noqa: A002
    return F.expand(input, tuple(shape))


def expand_as(input, other):  # noqa: A002
    """``input`` broadcast to ``other``'s run-time shape."""
    (x, like) = F._to_nodes("expand_as", [input, other])
    F.apply(shape_ops.Expand(tuple(-1 if dim is None else dim for dim in like.shape)), [x])  # checks shapes
    return F.broadcast_like(x, like)


def sum_to_size(input, *size):  # noqa: A002
    """Sum ``input`` back to ``size`` (the inverse of expand)."""
    (x,) = F._to_nodes("sum_to_size", [input])
    size = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else tuple(size)
    return F.apply(shape_ops.SumToSize(tuple(int(dim) for dim in size)), [x])


# --- neural-network functions ---------------------------------------------------------------------


def linear(input, weight, bias=None):  # noqa: A002 - PyTorch's argument names
    """input @ weight.T + bias, for weight of shape (out_features, in_features)."""
    (x,) = F._to_nodes("linear", [input])
    common_graph([x, weight] + ([bias] if isinstance(bias, Node) else []), "linear")
    result = F.matmul(x, F.transpose(weight, 0, 1))
    return result if bias is None else result + bias


def dropout(input, p=0.5, training=True, generator=None, seed=None):  # noqa: A002
    """Zero each element with probability ``p`` and scale the rest by 1 / (1 - p).

    ``training`` is a Python bool (decided when the graph is built) or a bool
    scalar node (decided on each run: fed False, nothing is drawn and the input
    passes unchanged). The mask is ``generator.random(shape) >= p``, as in eager,
    drawn from ``generator``, from ``default_rng(seed)``, or from the global generator.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: p={p} must be a probability in [0, 1]")
    (x,) = F._to_nodes("dropout", [input])
    if training is False or p == 0.0:
        return x
    if p == 1.0:
        return x * 0.0
    inputs = [x]
    if isinstance(training, Node):
        if training.dtype != np.dtype(bool) or training.shape != ():
            raise TypeError("dropout: training must be a Python bool or a bool scalar node")
        inputs.append(training)
    extra = F.random_generator_attributes(seed, generator)
    mask = F.apply(random_ops.DropoutMask(float(p), seed, len(inputs) == 2), inputs, **extra)
    return x * mask


# --- factories ----------------------------------------------------------------------------


def _size(size):
    if len(size) == 1 and isinstance(size[0], (list, tuple)):
        return tuple(int(dim) for dim in size[0])
    return tuple(int(dim) for dim in size)


def zeros(*size, dtype=None):
    return constant(np.zeros(_size(size), dtype=dtype or dtypes.float32))


def ones(*size, dtype=None):
    return constant(np.ones(_size(size), dtype=dtype or dtypes.float32))


def empty(*size, dtype=None):
    """Same as zeros: a constant's value must be defined."""
    return zeros(*size, dtype=dtype)


def full(size, fill_value, dtype=None):
    dtype = dtype or dtypes.python_scalar_dtype(fill_value)
    return constant(np.full(tuple(size), fill_value, dtype=dtype))


def arange(start, end=None, step=1, dtype=None):
    """Values from ``start`` (default 0) up to but excluding ``end``; ints give int64, floats float32."""
    if end is None:
        start, end = 0, start
    if dtype is None:
        dtype = dtypes.float32 if builtins.any(isinstance(value, float) for value in (start, end, step)) else dtypes.int64
    return constant(np.arange(start, end, step).astype(dtype))


def _random(op_cls, size, dtype, seed, generator):
    op = op_cls(_size(size), seed, np.dtype(dtype or dtypes.float32))
    extra = F.random_generator_attributes(seed, generator)
    return get_default_graph().add_node("op", op=op, shape=op.shape, dtype=op.dtype, **extra)


def rand(*size, dtype=None, generator=None, seed=None):
    """Uniform samples in [0, 1), drawn anew on every run (``generator.random``)."""
    return _random(random_ops.RandomUniform, size, dtype, seed, generator)


def randn(*size, dtype=None, generator=None, seed=None):
    """Standard normal samples, drawn anew on every run (``generator.standard_normal``)."""
    return _random(random_ops.RandomStandardNormal, size, dtype, seed, generator)
