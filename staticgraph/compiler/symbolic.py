"""Symbolic shapes: each ``None`` dim of a placeholder becomes a symbol, and op rules propagate them.

A symbolic dim is an ``int`` (known when the graph is built), a ``Symbol``
(the size of one placeholder's dim, known when the executable is called) or
``UNKNOWN`` (depends on run-time values in a way the rules below do not
track, such as the broadcast of two different symbols). Two nodes whose
symbolic shapes are equal and free of ``UNKNOWN`` have equal run-time shapes
in every successful run, which the simplification and memory-planning passes
rely on. ``evaluate`` turns a symbolic shape into ints from the fed arrays'
shapes.
"""

from typing import NamedTuple

from ..ops import elementwise as E
from ..ops import linalg, nn_ops, reductions, shape_ops
from ..ops.base import all_axes


class Symbol(NamedTuple):
    """The run-time size of dim ``axis`` of placeholder ``placeholder``."""

    placeholder: str
    axis: int

    def __repr__(self):
        return f"{self.placeholder}.shape[{self.axis}]"


UNKNOWN = "?"


def is_concrete(shape):
    """Return whether every dim of a symbolic shape is an int or a Symbol."""
    return shape is not None and UNKNOWN not in shape  # ints and Symbols never compare equal to the string UNKNOWN


def broadcast_symbolic(first, second):
    """Return the symbolic broadcast of two dims (see the module docstring)."""
    if first == second:
        return first
    if first == 1:
        return second
    if second == 1:
        return first
    if isinstance(first, int):
        return first
    if isinstance(second, int):
        return second
    return UNKNOWN


def _broadcast_all(shapes):
    rank = max(len(shape) for shape in shapes)
    result = []
    for axis in range(rank):
        dim = 1
        for shape in shapes:
            offset = axis - (rank - len(shape))
            if offset >= 0:
                dim = broadcast_symbolic(dim, shape[offset])
        result.append(dim)
    return tuple(result)


def _static(data):
    return tuple(UNKNOWN if dim is None else dim for dim in data["shape"])


def _matmul(shapes, data):
    a, b = shapes
    if len(a) == 2 and len(b) == 2:
        return (a[0], b[1])
    return _static(data)


def _reshape(op, shapes, data):
    target = _static(data)
    unknown_axes = [axis for axis, dim in enumerate(target) if dim is UNKNOWN]
    if len(unknown_axes) != 1:
        return target
    source = shapes[0]
    symbols = [dim for dim in source if not isinstance(dim, int)]
    if len(symbols) != 1 or symbols[0] is UNKNOWN:
        return target
    source_known = 1
    for dim in source:
        source_known *= dim if isinstance(dim, int) else 1
    target_known = 1
    for dim in target:
        target_known *= dim if isinstance(dim, int) else 1
    if source_known != target_known:
        return target
    result = list(target)
    result[unknown_axes[0]] = symbols[0]
    return tuple(result)


def _reduced(op, shapes):
    shape = shapes[0]
    axes = all_axes(len(shape), op.dim)
    if op.keepdim:
        return tuple(1 if axis in axes else dim for axis, dim in enumerate(shape))
    return tuple(dim for axis, dim in enumerate(shape) if axis not in axes)


def _rule(op, shapes, data):
    """Return the symbolic output shape of ``op`` from its inputs' symbolic shapes."""
    if isinstance(op, (E.BinaryOp, E.Where)) or getattr(op, "broadcasts_inputs", False):
        return _broadcast_all(shapes)
    if isinstance(op, (E.UnaryOp, nn_ops.Softmax, nn_ops.LogSoftmax)):
        return shapes[0]
    if isinstance(op, (reductions.SumLike, reductions.BroadcastLike, reductions.ExpandReduced)):
        return shapes[1]
    if isinstance(op, (shape_ops.ReshapeLike, shape_ops.ScatterLike, nn_ops.NLLLossBackward)):
        return shapes[1]
    if isinstance(op, reductions.Reduction):
        return _reduced(op, shapes)
    if isinstance(op, linalg.MatMul):
        return _matmul(shapes, data)
    if isinstance(op, shape_ops.Permute):
        return tuple(shapes[0][axis] for axis in op.dims)
    if isinstance(op, shape_ops.Reshape):
        return _reshape(op, shapes, data)
    if isinstance(op, shape_ops.Unsqueeze):
        shape = list(shapes[0])
        shape.insert(op.dim, 1)
        return tuple(shape)
    if isinstance(op, shape_ops.Squeeze):
        return tuple(dim for axis, dim in enumerate(shapes[0]) if axis not in op.dims)
    return _static(data)


def symbolic_shapes(ir):
    """Return ``{name: symbolic shape}`` covering every node of ``ir``.

    The result is cached on the IR and only new nodes are computed. That is
    sound because no pass changes a node's value in place: a node keeps its
    name only while it computes the same value (constant folding and fusion
    change how), and ``IRGraph`` drops the entry of every node it adds or
    removes, so a reused name is computed afresh.
    """
    nodes = ir.node_data
    cache = ir.symbolic_shape_cache
    missing = [name for name in nodes if name not in cache]
    if missing:
        missing.sort(key=lambda name: nodes[name]["index"])
        for name in missing:
            cache[name] = node_shape(name, nodes[name], cache)
    return cache


def node_shape(name, data, shapes):
    """Return the symbolic shape of one node, given ``shapes`` of its inputs."""
    if None not in data["shape"]:
        return tuple(data["shape"])  # every dim is known at build time, and ``_checked`` keeps known dims
    kind = data["kind"]
    if kind == "placeholder":
        return tuple(Symbol(name, axis) if dim is None else dim for axis, dim in enumerate(data["shape"]))
    if kind != "op":
        return _static(data)
    inputs = [shapes[input_name] for input_name in data["inputs"]]
    return _checked(_rule(data["op"], inputs, data), data)


def _checked(shape, data):
    """Keep the rule's result only where it agrees with the stored static shape."""
    static = data["shape"]
    if len(shape) != len(static):
        return _static(data)
    return tuple(
        dim if known is None or dim == known else known
        for dim, known in zip(shape, static)
    )


def evaluate(shape, feed_shapes):
    """Return the int shape for a concrete symbolic ``shape``, given ``{placeholder: shape}`` of the feeds."""
    return tuple(dim if isinstance(dim, int) else feed_shapes[dim.placeholder][dim.axis] for dim in shape)
