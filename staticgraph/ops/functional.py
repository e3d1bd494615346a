"""The functional API: each function checks and converts its arguments, then adds one op node.

Python scalars and arrays become constants in the inputs' graph; a scalar takes
the dtype of the node next to it (``x * 2`` keeps float64). Inputs of different
dtypes are cast to the promoted dtype first, so every op receives inputs of one dtype.
"""

import collections

import numpy as np

from .. import dtypes
from ..errors import DTypeError, GradientError
from ..graph import common_graph, get_default_graph
from ..node import Node, as_node, check_not_module
from . import elementwise as E
from . import linalg, reductions, shape_ops
from .base import normalize_axes, normalize_axis, shape_error

MaxResult = collections.namedtuple("max", ["values", "indices"])
MinResult = collections.namedtuple("min", ["values", "indices"])


def apply(op, inputs, name=None, **attributes):
    """Infer the output of ``op`` on the input Nodes and add the op node to their graph."""
    graph = common_graph(inputs, op.name) if inputs else get_default_graph()
    shape, dtype = op.infer(inputs)
    return graph.add_node(
        "op", op=op, inputs=[node.name for node in inputs], shape=shape, dtype=dtype, name=name, **attributes
    )


def dtype_error(op_name, inputs, detail, fix):
    """Return a DTypeError naming the op, every input and a fix."""
    lines = [f"{op_name}: {detail}"]
    lines += [f"  input {position}: {node.describe()}" for position, node in enumerate(inputs)]
    lines.append(f"  fix: {fix}")
    return DTypeError("\n".join(lines))


def _to_nodes(op_name, values):
    """Convert values to Nodes of one graph; Python scalars take the nodes' promoted dtype."""
    nodes = [value for value in values if isinstance(value, Node)]
    if nodes and len(nodes) == len(values):
        common_graph(nodes, op_name)
        return nodes
    for value in values:
        check_not_module(value, op_name)
    graph = common_graph(nodes, op_name) if nodes else get_default_graph()
    partner = dtypes.promote_operands([(node.dtype, node.ndim) for node in nodes]) if nodes else None
    return [as_node(value, graph, partner, op_name) for value in values]


def _unify(op_name, nodes, dtype=None):
    """Cast nodes to ``dtype`` (default: their promoted dtype)."""
    if dtype is None:
        dtype = dtypes.promote_operands([(node.dtype, node.ndim) for node in nodes])
    return [node if node.dtype == dtype else cast(node, dtype) for node in nodes]


class _CastView:
    """A node seen with another dtype, so an op's rule can be checked before any cast node is added."""

    def __init__(self, node, dtype):
        self.node, self.dtype = node, np.dtype(dtype)
        self.name, self.shape, self.ndim = node.name, node.shape, node.ndim

    def describe(self):
        return self.node.describe()


def _binary(op, a, b, dtype=None):
    a, b = _to_nodes(op.name, [a, b])
    target = dtype if dtype is not None else dtypes.promote_operands([(a.dtype, a.ndim), (b.dtype, b.ndim)])
    if a.dtype != target or b.dtype != target:
        op.infer([_CastView(a, target), _CastView(b, target)])  # raises before the casts exist
        a, b = _unify(op.name, [a, b], target)
    return apply(op, [a, b])


def _floating(op_name, node):
    """Return ``node`` cast to float32 when it is an integer or bool node (as PyTorch's math ops do)."""
    return node if node.dtype.kind == "f" else cast(node, dtypes.float32)


# --- arithmetic ------------------------------------------------------------------------


def add(a, b):
    """a + b with broadcasting."""
    return _binary(E.Add(), a, b)


def sub(a, b):
    """a - b with broadcasting."""
    return _binary(E.Sub(), a, b)


def mul(a, b):
    """a * b with broadcasting."""
    return _binary(E.Mul(), a, b)


def div(a, b):
    """True division; integer inputs give float32, as in PyTorch."""
    a, b = _to_nodes("div", [a, b])
    dtype = dtypes.promote_operands([(a.dtype, a.ndim), (b.dtype, b.ndim)])
    if dtype.kind != "f":
        dtype = dtypes.float32
    return _binary(E.Div(), a, b, dtype)


def pow(a, b):  # noqa: A001 - the public name mirrors torch.pow
    """a ** b with broadcasting; the exponent's gradient is NaN where a < 0."""
    return _binary(E.Pow(), a, b)


def maximum(a, b):
    """Elementwise maximum; tied elements split the gradient evenly."""
    return _binary(E.Maximum(), a, b)


def minimum(a, b):
    """Elementwise minimum; tied elements split the gradient evenly."""
    return _binary(E.Minimum(), a, b)


def matmul(a, b):
    """Matrix product with NumPy's rules for 1-D inputs and broadcast batch dims."""
    return _binary(linalg.MatMul(), a, b)


def lt(a, b):
    return _binary(E.Lt(), a, b)


def le(a, b):
    return _binary(E.Le(), a, b)


def gt(a, b):
    return _binary(E.Gt(), a, b)


def ge(a, b):
    return _binary(E.Ge(), a, b)


def eq(a, b):
    """Elementwise ``a == b`` as a bool node (``==`` on Nodes compares identity)."""
    return _binary(E.Eq(), a, b)


def ne(a, b):
    return _binary(E.Ne(), a, b)


def where(cond, a, b):
    """``a`` where ``cond`` is true, else ``b``; ``cond`` must be bool."""
    cond, a, b = _to_nodes("where", [cond, a, b])
    if cond.dtype != np.dtype(bool):
        raise dtype_error("where", [cond, a, b], "the condition must be bool", "compare first, e.g. where(x > 0, a, b)")
    a, b = _unify("where", [a, b])
    return apply(E.Where(), [cond, a, b])


# --- unary -----------------------------------------------------------------------------


def _unary(op, x, floating=True):
    (x,) = _to_nodes(op.name, [x])
    if floating:
        x = _floating(op.name, x)
    return apply(op, [x])


def neg(x):
    return _unary(E.Neg(), x, floating=False)


def exp(x):
    return _unary(E.Exp(), x)


def log(x):
    return _unary(E.Log(), x)


def sqrt(x):
    return _unary(E.Sqrt(), x)


def abs(x):  # noqa: A001 - the public name mirrors torch.abs
    """|x|, with gradient 0 at x = 0."""
    return _unary(E.Abs(), x, floating=False)


def sign(x):
    return _unary(E.Sign(), x, floating=False)


def tanh(x):
    return _unary(E.Tanh(), x)


def cos(x):
    return _unary(E.Cos(), x)


def sin(x):
    return _unary(E.Sin(), x)


def log1p(x):
    """log(1 + x), accurate for small x."""
    return _unary(E.Log1p(), x)


def sigmoid(x):
    return _unary(E.Sigmoid(), x)


def softplus(x):
    """log(1 + exp(x)) without overflow."""
    return _unary(E.Softplus(), x)


def relu(x):
    """max(x, 0), with gradient 0 at x = 0."""
    return _unary(E.Relu(), x, floating=False)


def clamp(x, min=None, max=None):  # noqa: A002 - PyTorch's argument names
    """Limit ``x`` to [min, max]; the gradient passes where min <= x <= max."""
    if min is None and max is None:
        raise ValueError("clamp: give at least one of min and max")
    (x,) = _to_nodes("clamp", [x])
    kind = float if x.dtype.kind == "f" else int
    return apply(E.Clamp(None if min is None else kind(min), None if max is None else kind(max)), [x])


def cast(x, dtype):
    """Convert ``x`` to ``dtype``."""
    (x,) = _to_nodes("cast", [x])
    dtype = np.dtype(dtype)
    if x.dtype == dtype:
        return x
    return apply(E.Cast(dtype), [x])


def stop_gradient(x):
    """Identity whose gradient is treated as zero."""
    return _unary(E.StopGradient(), x, floating=False)


def zeros_like(x):
    return _unary(E.ZerosLike(), x, floating=False)


def ones_like(x):
    return _unary(E.OnesLike(), x, floating=False)


# --- reductions ----------------------------------------------------------------------


def sum(x, dim=None, keepdim=False):  # noqa: A001 - the public name mirrors torch.sum
    """Sum over ``dim`` (an int, a sequence, or None for all); bool and int inputs sum as int64."""
    (x,) = _to_nodes("sum", [x])
    if x.dtype.kind in "biu" and x.dtype != dtypes.int64:
        x = cast(x, dtypes.int64)
    return apply(reductions.Sum(normalize_axes("sum", x, dim), bool(keepdim)), [x])


def mean(x, dim=None, keepdim=False):
    """Mean over ``dim``; needs a floating input, as in PyTorch."""
    (x,) = _to_nodes("mean", [x])
    if x.dtype.kind != "f":
        raise dtype_error("mean", [x], f"mean needs a floating input, got {x.dtype}", "cast first: mean(cast(x, float32))")
    return apply(reductions.Mean(normalize_axes("mean", x, dim), bool(keepdim)), [x])


def _extremum(op_cls, arg_cls, result_cls, x, dim, keepdim):
    (x,) = _to_nodes(op_cls.name, [x])
    if dim is None:
        return apply(op_cls(None, False), [x])
    axis = normalize_axis(op_cls.name, x, dim)
    values = apply(op_cls((axis,), bool(keepdim)), [x])
    indices = apply(arg_cls(axis, bool(keepdim)), [x])
    return result_cls(values, indices)


def max(x, dim=None, keepdim=False):  # noqa: A001 - the public name mirrors torch.max
    """Maximum; with ``dim``, a named tuple (values, indices). Tied maxima split the gradient."""
    return _extremum(reductions.Max, reductions.Argmax, MaxResult, x, dim, keepdim)


def min(x, dim=None, keepdim=False):  # noqa: A001 - the public name mirrors torch.min
    """Minimum; with ``dim``, a named tuple (values, indices). Tied minima split the gradient."""
    return _extremum(reductions.Min, reductions.Argmin, MinResult, x, dim, keepdim)


def argmax(x, dim=None, keepdim=False):
    (x,) = _to_nodes("argmax", [x])
    axis = None if dim is None else normalize_axis("argmax", x, dim)
    return apply(reductions.Argmax(axis, bool(keepdim) and axis is not None), [x])


def logsumexp(x, dim, keepdim=False):
    (x,) = _to_nodes("logsumexp", [x])
    x = _floating("logsumexp", x)
    return apply(reductions.LogSumExp(normalize_axes("logsumexp", x, dim), bool(keepdim)), [x])


def sum_like(grad, like):
    """``grad`` summed over the dims that broadcasting added to ``like``'s run-time shape."""
    return apply(reductions.SumLike(), [grad, like])


def broadcast_like(value, like):
    """``value`` broadcast to ``like``'s run-time shape."""
    return apply(reductions.BroadcastLike(), [value, like])


def expand_reduced(grad, like, dim, keepdim, mean=False):
    """Spread a reduction's gradient back over ``like``'s shape (divided by the count if ``mean``)."""
    return apply(reductions.ExpandReduced(dim, bool(keepdim), bool(mean)), [grad, like])


# --- shapes ---------------------------------------------------------------------------


def reshape(x, *shape):
    """Reshape to ``shape``, given as one tuple or as separate ints; one dim may be -1."""
    (x,) = _to_nodes("reshape", [x])
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    shape = tuple(int(dim) for dim in shape)
    return apply(shape_ops.Reshape(shape), [x])


def reshape_like(x, like):
    return apply(shape_ops.ReshapeLike(), [x, like])


def permute(x, dims):
    (x,) = _to_nodes("permute", [x])
    axes = tuple(normalize_axis("permute", x, axis) for axis in dims)
    if sorted(axes) != list(range(x.ndim)):
        raise shape_error("permute", [x], f"dims {tuple(dims)} are not a permutation of {x.ndim} axes", "list every axis once")
    if axes == tuple(range(x.ndim)):
        return x
    return apply(shape_ops.Permute(axes), [x])


def transpose(x, dim0, dim1):
    (x,) = _to_nodes("transpose", [x])
    axes = list(range(x.ndim))
    first, second = normalize_axis("transpose", x, dim0), normalize_axis("transpose", x, dim1)
    axes[first], axes[second] = axes[second], axes[first]
    return permute(x, axes)


def squeeze(x, dim=None):
    """Remove size-1 dims: all of them when ``dim`` is None (sizes must be known), else ``dim`` if its size is 1."""
    (x,) = _to_nodes("squeeze", [x])
    if dim is None:
        if None in x.shape:
            raise shape_error(
                "squeeze", [x], "squeeze() without dim needs every size known, because the result's rank depends on them",
                "pass dim=..., or reshape to the shape you expect",
            )
        axes = tuple(axis for axis, size in enumerate(x.shape) if size == 1)
    else:
        axis = normalize_axis("squeeze", x, dim)
        if x.shape[axis] is None:
            raise shape_error("squeeze", [x], f"dim {dim} has unknown size", "squeeze only dims known to be 1, or reshape")
        axes = (axis,) if x.shape[axis] == 1 else ()
    return apply(shape_ops.Squeeze(axes), [x]) if axes else x


def unsqueeze(x, dim):
    (x,) = _to_nodes("unsqueeze", [x])
    rank = x.ndim + 1
    if not -rank <= dim < rank:
        raise shape_error("unsqueeze", [x], f"dim {dim} is out of range", f"use a dim in [{-rank}, {rank - 1}]")
    return apply(shape_ops.Unsqueeze(int(dim) % rank), [x])


def expand(x, *sizes):
    (x,) = _to_nodes("expand", [x])
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        sizes = sizes[0]
    return apply(shape_ops.Expand(tuple(int(size) for size in sizes)), [x])


def cat(seq, dim=0):
    nodes = _unify("cat", _to_nodes("cat", list(seq)))
    axis = normalize_axis("cat", nodes[0], dim)
    return apply(shape_ops.Concat(axis), nodes)


def stack(seq, dim=0):
    nodes = _unify("stack", _to_nodes("stack", list(seq)))
    rank = nodes[0].ndim + 1
    if not -rank <= dim < rank:
        raise shape_error("stack", nodes, f"dim {dim} is out of range", f"use a dim in [{-rank}, {rank - 1}]")
    return apply(shape_ops.Stack(int(dim) % rank), nodes)


def select(x, dim, index):
    """x[..., index, ...] along ``dim``."""
    axis = normalize_axis("select", x, dim)
    return getitem(x, (slice(None),) * axis + (int(index),))


def getitem(x, index):
    """x[index] for ints, slices, None, Ellipsis and constant int/bool arrays."""
    (x,) = _to_nodes("getitem", [x])
    if isinstance(index, Node) or isinstance(index, tuple) and any(isinstance(item, Node) for item in index):
        raise TypeError("indexing with a node is not supported; index with constants, or use where() or a one-hot matmul")
    return apply(shape_ops.GetItem(shape_ops.freeze_index(index)), [x])


def require_floating(node, role):
    """Raise GradientError unless ``node`` has a floating dtype."""
    if node.dtype.kind != "f":
        raise GradientError(
            f"gradients: {role} {node.describe()} has dtype {node.dtype}; gradients exist only for floating "
            "dtypes. Cast it with staticgraph.cast(node, staticgraph.float64) or differentiate a floating node"
        )


# The neural-network and random functions live in their own modules; they are
# re-exported here so that ``functional`` is the whole functional API.
from .nn_functions import (  # noqa: E402
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    log_softmax,
    mse_loss,
    nll_loss,
    softmax,
)
from .random_functions import normal, random_generator_attributes, random_normal  # noqa: E402
