"""Algebraic simplification: small named rewrites, each with its formula as the docstring.

A rewrite takes a ``Match`` (the IR, the node's name and the symbolic shapes)
and returns the name of a node that computes the same value, or None. The
pass makes every use of the node use the replacement instead and leaves the
old node to dead-code elimination. Rewrites never change an output's dtype or
its run-time shape: where the shape depends on ``None`` dims, they compare
symbolic shapes (``staticgraph.compiler.symbolic``).
"""

import collections
import logging

import numpy as np

from ...graph import adjacency_tables
from ...ops import elementwise as E
from ...ops import linalg, nn_ops, reductions, shape_ops
from ..symbolic import is_concrete, node_shape, symbolic_shapes

logger = logging.getLogger(__name__)


class Match:
    """The node a rewrite looks at, with helpers to read its inputs and add nodes."""

    def __init__(self, ir, name, shapes, nodes):
        self.ir = ir
        self.name = name
        self.shapes = shapes
        self.nodes = nodes  # ``ir.node_data``, so nodes added here appear in it
        self.data = nodes[name]
        self.op = self.data["op"]
        self.inputs = self.data["inputs"]

    def node(self, name):
        return self.nodes[name]

    def op_of(self, name):
        """Return the op of node ``name``, or None for placeholders, variables and constants."""
        return self.node(name)["op"]

    def constant_value(self, name):
        data = self.node(name)
        return data["value"] if data["kind"] == "constant" else None

    def same_shape(self, first, second):
        """Return whether two nodes certainly have equal run-time shapes."""
        shape = self.shapes[first]
        return is_concrete(shape) and shape == self.shapes[second]

    def static_shape(self, name):
        """Return the node's shape if every dim is known at build time, else None."""
        shape = self.node(name)["shape"]
        return None if None in shape else shape

    def add(self, op, inputs, hint=None):
        """Add an op node in place of the matched one (same index and source line) and return its name."""
        from ...validate import NodeView

        views = [NodeView(self.ir.nx, name) for name in inputs]
        shape, dtype = op.infer(views)
        name = self.ir.add_node(hint or op.name, replaces=self.name, kind="op", op=op, inputs=tuple(inputs),
                                shape=shape, dtype=dtype)
        self.shapes[name] = node_shape(name, self.nodes[name], self.shapes)
        return name

    def add_constant(self, value, hint="const"):
        value = np.asarray(value)
        value.setflags(write=False)
        name = self.ir.add_node(hint, replaces=self.name, kind="constant", value=value, shape=value.shape,
                                dtype=value.dtype)
        self.shapes[name] = value.shape
        return name

    def keeps_node(self, candidate):
        """Return whether ``candidate`` can stand in for the matched node: same dtype and run-time shape."""
        if self.node(candidate)["dtype"] != self.data["dtype"]:
            return False
        if self.same_shape(candidate, self.name):
            return True
        static = self.static_shape(self.name)
        return static is not None and self.node(candidate)["shape"] == static


def _is_constant_filled(match, name, fill):
    value = match.constant_value(name)
    if value is None or value.size == 0:
        return False
    if value.size == 1:
        return value.item() == fill
    return bool(np.all(value == fill))


# --- arithmetic identities -------------------------------------------------------


def mul_by_one(match):
    """x * 1 -> x, 1 * x -> x."""
    if not isinstance(match.op, E.Mul):
        return None
    for kept, other in (match.inputs, match.inputs[::-1]):
        if _is_constant_filled(match, other, 1) and match.keeps_node(kept):
            return kept
    return None


def add_zero(match):
    """x + 0 -> x, 0 + x -> x, x - 0 -> x.

    For x = -0.0 the sum is +0.0 and the rewrite keeps -0.0; the two compare equal.
    """
    if isinstance(match.op, E.Add):
        pairs = (match.inputs, match.inputs[::-1])
    elif isinstance(match.op, E.Sub):
        pairs = (match.inputs,)
    else:
        return None
    for kept, other in pairs:
        if _is_constant_filled(match, other, 0) and match.keeps_node(kept):
            return kept
    return None


def sub_self(match):
    """x - x -> zeros_like(x).

    Where x contains inf or NaN the original gives NaN and the rewrite gives 0.
    """
    if not isinstance(match.op, E.Sub) or match.inputs[0] != match.inputs[1]:
        return None
    return match.add(E.ZerosLike(), [match.inputs[0]])


def double_negation(match):
    """-(-x) -> x."""
    if not isinstance(match.op, E.Neg):
        return None
    (inner,) = match.inputs
    if isinstance(match.op_of(inner), E.Neg):
        return match.node(inner)["inputs"][0]
    return None


# --- shapes ------------------------------------------------------------------------


def double_transpose(match):
    """permute(permute(x, p), q) -> permute(x, [p[i] for i in q]), or x when that is the identity."""
    if not isinstance(match.op, shape_ops.Permute):
        return None
    (inner,) = match.inputs
    inner_op = match.op_of(inner)
    if not isinstance(inner_op, shape_ops.Permute):
        return None
    source = match.node(inner)["inputs"][0]
    dims = tuple(inner_op.dims[axis] for axis in match.op.dims)
    if dims == tuple(range(len(dims))):
        return source
    return match.add(shape_ops.Permute(dims), [source])


def reshape_same_shape(match):
    """reshape(x, shape(x)) -> x; reshape_like(x, y) -> x when x and y have one shape."""
    if isinstance(match.op, shape_ops.Reshape):
        source = match.inputs[0]
        static = match.static_shape(source)
        return source if static is not None and static == match.op.shape else None
    if isinstance(match.op, shape_ops.ReshapeLike) and match.same_shape(*match.inputs):
        return match.inputs[0]
    return None


def transpose_of_matmul(match):
    """(a @ b).T -> b.T @ a.T for matrices, when a or b is itself a transpose (which then cancels)."""
    if not isinstance(match.op, shape_ops.Permute) or match.op.dims != (1, 0):
        return None
    (product,) = match.inputs
    if not isinstance(match.op_of(product), linalg.MatMul):
        return None
    a, b = match.node(product)["inputs"]
    if len(match.node(a)["shape"]) != 2 or len(match.node(b)["shape"]) != 2:
        return None
    if not any(isinstance(match.op_of(name), shape_ops.Permute) for name in (a, b)):
        return None
    b_t = _transposed(match, b)
    a_t = _transposed(match, a)
    return match.add(linalg.MatMul(), [b_t, a_t])


def _transposed(match, name):
    op = match.op_of(name)
    if isinstance(op, shape_ops.Permute) and op.dims == (1, 0):
        return match.node(name)["inputs"][0]
    return match.add(shape_ops.Permute((1, 0)), [name])


# --- exp, log and softmax --------------------------------------------------------


def log_exp(match):
    """log(exp(x)) -> x.

    Where exp(x) overflows, the original gives inf and the rewrite the exact x.
    """
    if isinstance(match.op, E.Log) and isinstance(match.op_of(match.inputs[0]), E.Exp):
        return match.node(match.inputs[0])["inputs"][0]
    return None


_NON_NEGATIVE_OPS = (E.Exp, E.Sqrt, E.Abs, E.Relu, E.Sigmoid, E.Softplus, nn_ops.Softmax)


def exp_log(match):
    """exp(log(x)) -> x, only where x >= 0 is known (exp, sqrt, abs, relu, sigmoid, softplus, softmax).

    For negative x the original is NaN, so the rewrite would change the value.
    """
    if not isinstance(match.op, E.Exp) or not isinstance(match.op_of(match.inputs[0]), E.Log):
        return None
    source = match.node(match.inputs[0])["inputs"][0]
    if isinstance(match.op_of(source), _NON_NEGATIVE_OPS):
        return source
    value = match.constant_value(source)
    if value is not None and bool(np.all(value >= 0)):
        return source
    return None


def log_of_softmax(match):
    """log(softmax(x, dim)) -> log_softmax(x, dim)."""
    if not isinstance(match.op, E.Log):
        return None
    softmax = match.op_of(match.inputs[0])
    if not isinstance(softmax, nn_ops.Softmax):
        return None
    return match.add(nn_ops.LogSoftmax(softmax.dim), [match.node(match.inputs[0])["inputs"][0]])


# --- reductions and broadcasts ------------------------------------------------------


def _size(shape):
    return int(np.prod(shape, dtype=np.int64))


def _broadcast_source(match, name):
    """Return the value that node ``name`` only broadcasts (no mean scaling, no new axes to insert), or None."""
    op = match.op_of(name)
    inputs = match.node(name)["inputs"]
    if isinstance(op, (reductions.BroadcastLike, shape_ops.Expand)):
        return inputs[0]
    if isinstance(op, reductions.ExpandReduced) and not op.mean and (op.keepdim or op.dim is None):
        return inputs[0]
    return None


def sum_of_broadcast(match):
    """sum(broadcast(v, shape)) -> sum(v) * (size(shape) / size(v)), for a sum over all axes of static shapes.

    The two agree up to floating-point rounding, because the original adds the copies one by one.
    """
    if not isinstance(match.op, reductions.Sum) or match.op.dim is not None:
        return None
    (spread,) = match.inputs
    source = _broadcast_source(match, spread)
    if source is None or match.static_shape(spread) is None or match.static_shape(source) is None:
        return None
    count = _size(match.static_shape(spread)) // max(_size(match.static_shape(source)), 1)
    total = match.add(reductions.Sum(None, False), [source])
    dtype = match.data["dtype"]
    return match.add(E.Mul(), [total, match.add_constant(np.asarray(count, dtype=dtype), "count")])


def reduce_scalar(match):
    """sum(x) -> x, and likewise mean, max and min, when x is 0-d."""
    if type(match.op) not in (reductions.Sum, reductions.Mean, reductions.Max, reductions.Min):
        return None
    (source,) = match.inputs
    if match.node(source)["shape"] == () and match.keeps_node(source):
        return source
    return None


def broadcast_to_same_shape(match):
    """broadcast_like(v, x) -> v and sum_like(g, x) -> g when v (or g) already has x's shape."""
    if not isinstance(match.op, (reductions.BroadcastLike, reductions.SumLike)):
        return None
    value, like = match.inputs
    return value if match.same_shape(value, like) else None


def sum_like_static(match):
    """sum_like(g, x) -> reshape(sum(g, axes), shape(x)) when shape(x) is static, with the broadcast axes."""
    if not isinstance(match.op, reductions.SumLike):
        return None
    grad, like = match.inputs
    target = match.static_shape(like)
    grad_shape = match.node(grad)["shape"]
    if target is None or len(grad_shape) < len(target):
        return None
    lead = len(grad_shape) - len(target)
    axes = tuple(range(lead)) + tuple(
        lead + axis for axis, dim in enumerate(target) if dim == 1 and grad_shape[lead + axis] != 1
    )
    if not axes:
        return None
    total = match.add(reductions.Sum(axes, False), [grad])
    if match.node(total)["shape"] == target:
        return total
    return match.add(shape_ops.Reshape(target), [total])


def expand_reduced_static(match):
    """expand_reduced(g, x) -> expand(g, shape(x)) (divided by the count for a mean) when shape(x) is static."""
    op = match.op
    if not isinstance(op, reductions.ExpandReduced) or not (op.keepdim or op.dim is None):
        return None
    grad, like = match.inputs
    target = match.static_shape(like)
    if target is None:
        return None
    spread = match.add(shape_ops.Expand(target), [grad])
    if not op.mean:
        return spread
    count = _size([target[axis] for axis in (range(len(target)) if op.dim is None else op.dim)])
    dtype = match.data["dtype"]
    return match.add(E.Div(), [spread, match.add_constant(np.asarray(count, dtype=dtype), "count")])


def mul_by_broadcast(match):
    """broadcast(v) * y -> v * y when the broadcast has y's shape, so v would be broadcast to it anyway."""
    if not isinstance(match.op, E.Mul):
        return None
    for spread, other in (match.inputs, match.inputs[::-1]):
        source = _broadcast_source(match, spread)
        if source is not None and match.same_shape(spread, other) and match.same_shape(spread, match.name):
            if len(match.node(source)["shape"]) <= len(match.node(other)["shape"]):
                return match.add(E.Mul(), [source, other] if spread == match.inputs[0] else [other, source])
    return None


# Each rewrite with the op types it can match, so the pass tries only those on a node.
REWRITES = (
    (mul_by_one, (E.Mul,)),
    (add_zero, (E.Add, E.Sub)),
    (sub_self, (E.Sub,)),
    (double_negation, (E.Neg,)),
    (double_transpose, (shape_ops.Permute,)),
    (reshape_same_shape, (shape_ops.Reshape, shape_ops.ReshapeLike)),
    (transpose_of_matmul, (shape_ops.Permute,)),
    (log_exp, (E.Log,)),
    (exp_log, (E.Exp,)),
    (log_of_softmax, (E.Log,)),
    (sum_of_broadcast, (reductions.Sum,)),
    (reduce_scalar, (reductions.Reduction,)),
    (broadcast_to_same_shape, (reductions.BroadcastLike, reductions.SumLike)),
    (sum_like_static, (reductions.SumLike,)),
    (expand_reduced_static, (reductions.ExpandReduced,)),
    (mul_by_broadcast, (E.Mul,)),
)

# A node that a rewrite creates is simplified again at once, at most this many times in a row.
MAX_REPEATS = 8


class _Rewriter:
    def __init__(self, ir, rewrites):
        self.ir = ir
        self.rewrites = rewrites
        self.by_type = {}
        self.nodes = ir.node_data
        self.shapes = symbolic_shapes(ir)
        self.counts = collections.Counter()

    def candidates(self, op_type):
        found = self.by_type.get(op_type)
        if found is None:
            found = [rewrite for rewrite, types in self.rewrites if issubclass(op_type, types)]
            self.by_type[op_type] = found
        return found

    def rewrite(self, name):
        """Return a node computing the same value as ``name``, or None."""
        data = self.nodes[name]
        if data["kind"] != "op" or not data["op"].pure:
            return None
        candidates = self.candidates(type(data["op"]))
        if not candidates:
            return None
        match = Match(self.ir, name, self.shapes, self.nodes)
        for rewrite in candidates:
            replacement = rewrite(match)
            if replacement is not None:
                assert replacement != name, rewrite.__name__
                self.counts[rewrite.__name__] += 1
                return replacement
        return None

    def replace(self, name, replacement):
        """Use ``replacement`` for ``name``, then simplify the replacement itself while that helps."""
        for _ in range(MAX_REPEATS):
            self.ir.replace_all_uses(name, replacement)
            further = self.rewrite(replacement)
            if further is None:
                return
            name, replacement = replacement, further
        self.ir.replace_all_uses(name, replacement)


def simplify(ir, rewrites=REWRITES):
    """Apply the algebraic rewrites to every op node, in topological order.

    ``rewrites`` pairs each rewrite with the op types it matches. Returns
    whether anything changed; the pipeline repeats the pass with constant
    folding, CSE and dead-code elimination until nothing changes. Counts per
    rewrite are added to ``ir.rewrite_counts``.
    """
    rewriter = _Rewriter(ir, rewrites)
    roots = set(ir.roots())
    successors, _ = adjacency_tables(ir.nx)
    for name in ir.topological_order():
        if not successors[name] and name not in roots:
            continue  # replaced earlier in this sweep; dead-code elimination removes it
        replacement = rewriter.rewrite(name)
        if replacement is not None:
            rewriter.replace(name, replacement)
    counts = rewriter.counts
    ir.rewrite_counts.update(counts)
    if counts:
        logger.debug("simplify: %s", dict(counts))
    return bool(counts)
