"""``Op``: the value object behind every op node, and helpers the op families share.

An op declares its attributes by name; equality, hashing and the printed form come
from them, so two nodes with equal ops and equal inputs compute the same value
(the compiler's common-subexpression elimination relies on that). Each op family
module keeps, per op, the shape/dtype rule (``infer``), the NumPy kernel
(``compute``), the generated-code form (``emit``) and the gradient rule
(``gradient``) side by side.
"""

import numpy as np

from ..errors import ShapeError, UnsupportedOperationError
from ..node import format_shape


class Op:
    """Base class: subclasses set ``name``, ``attributes`` and the four methods."""

    name = "op"
    attributes = ()
    pure = True  # False for random ops: the compiler never folds or merges them.

    def __new__(cls, *args, **kwargs):
        """Return a new op, or for a class without attributes its one shared instance.

        Such ops are immutable and all equal, so sharing one instance changes
        nothing but saves an object per node for the garbage collector to scan.
        """
        if cls.attributes or args or kwargs:
            return super().__new__(cls)
        shared = cls.__dict__.get("_shared_instance")
        if shared is None:
            shared = super().__new__(cls)
            type.__setattr__(cls, "_shared_instance", shared)
        return shared

    def __init__(self, *args, **kwargs):
        if not args and not kwargs:
            self._set_attributes({})
            return
        names = list(self.attributes)
        if len(args) > len(names):
            raise TypeError(f"{self.name} takes {len(names)} attributes, got {len(args)}")
        values = dict(zip(names, args))
        values.update(kwargs)
        unknown = sorted(set(values) - set(names))
        if unknown:
            raise TypeError(f"{self.name} has no attribute(s) {unknown}; declared: {names}")
        self._set_attributes(values)

    def _set_attributes(self, values):
        """Set every declared attribute from ``values`` (None where missing)."""
        for attribute in self.attributes:
            object.__setattr__(self, attribute, values.get(attribute))

    def __setattr__(self, key, value):
        raise AttributeError(f"ops are immutable; cannot set {key!r} on {self.name}")

    def key(self):
        return (type(self),) + tuple(getattr(self, attribute) for attribute in self.attributes)

    def __eq__(self, other):
        return isinstance(other, Op) and self._identity() == other._identity()

    def __hash__(self):
        return hash(self._identity())

    def _identity(self):
        """Return ``key()``, built on first use and then kept, because an op never changes."""
        key = self.__dict__.get("_key")
        if key is None:
            key = self.key()
            object.__setattr__(self, "_key", key)
        return key

    def __repr__(self):
        if not self.attributes:
            return self.name
        parts = ", ".join(f"{attribute}={_format_attribute(getattr(self, attribute))}" for attribute in self.attributes)
        return f"{self.name}[{parts}]"

    # --- the four rules ---------------------------------------------------------

    def infer(self, inputs):
        """Return ``(shape, dtype)`` of the output from the input nodes; raise on mismatch."""
        raise NotImplementedError

    def compute(self, *arrays):
        """Return the output for NumPy input arrays (the reference kernel)."""
        raise NotImplementedError

    def emit(self, args, bind):
        """Return a Python expression computing the output from argument names.

        ``bind(obj, hint)`` places ``obj`` in the generated module's namespace and
        returns its name. The default calls ``compute`` bound to this op.
        """
        return f"{bind(self.compute, self.name)}({', '.join(args)})"

    def gradient(self, node, grad, needed):
        """Return one gradient node (or None) per input, given the output gradient ``grad``.

        ``needed[i]`` is True when input ``i`` needs a gradient; rules skip the others.
        """
        raise UnsupportedOperationError(
            f"op {self.name} has no gradient rule; wrap its input in staticgraph.stop_gradient "
            "or express the computation with differentiable ops"
        )


def _format_attribute(value):
    return value.name if isinstance(value, np.dtype) else repr(value)


# --- shape helpers -------------------------------------------------------------


def shape_error(op_name, inputs, detail, fix):
    """Return a ShapeError naming the op, every input's shape and creation line, and a fix."""
    lines = [f"{op_name}: {detail}"]
    for position, node in enumerate(inputs):
        lines.append(f"  input {position}: {node.describe()}")
    lines.append(f"  fix: {fix}")
    return ShapeError("\n".join(lines))


def broadcast_dim(a, b):
    """Return the broadcast of two dims (None = unknown until run time), or raise ValueError."""
    if a == b:
        return a
    if a == 1:
        return b
    if b == 1:
        return a
    if a is None:
        return b
    if b is None:
        return a
    raise ValueError(f"dims {a} and {b} differ and neither is 1")


def broadcast_shapes(op_name, inputs):
    """Return the NumPy broadcast of the inputs' shapes; raise ShapeError naming them."""
    shapes = [node.shape for node in inputs]
    dimensioned = [shape for shape in shapes if shape]
    if all(shape == dimensioned[0] for shape in dimensioned[1:]):
        return tuple(dimensioned[0]) if dimensioned else ()  # equal shapes and 0-d ones broadcast to themselves
    rank = max(len(shape) for shape in shapes)
    result = []
    for axis in range(rank):
        dim = 1
        for shape in shapes:
            offset = axis - (rank - len(shape))
            if offset < 0:
                continue
            try:
                dim = broadcast_dim(dim, shape[offset])
            except ValueError:
                raise shape_error(
                    op_name,
                    inputs,
                    f"cannot broadcast shapes {', '.join(format_shape(s) for s in shapes)} (axis {axis - rank})",
                    "make the shapes equal, or 1 where one input should repeat (reshape or unsqueeze it)",
                ) from None
        result.append(dim)
    return tuple(result)


def needs_reduction(own, other):
    """Return whether the gradient of a broadcast input of shape ``own`` may need summing.

    ``other`` is the other input's shape. The result is False only when, for every
    dim, this input's dim is certainly the output's dim at run time.
    """
    rank = max(len(own), len(other))
    if len(own) < rank:
        return True
    for axis in range(rank):
        mine = own[axis]
        offset = axis - (rank - len(other))
        theirs = 1 if offset < 0 else other[offset]
        if theirs == 1:
            continue
        if mine is None or theirs is None or mine != theirs:
            return True
    return False


def normalize_axis(op_name, node, axis):
    """Return ``axis`` as a non-negative int for ``node``; raise a ShapeError if out of range."""
    rank = node.ndim
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"{op_name}: dim must be an int, got {axis!r}")
    if not -max(rank, 1) <= axis < max(rank, 1):
        raise shape_error(
            op_name, [node], f"dim {axis} is out of range for a tensor of rank {rank}", f"use a dim in [{-rank}, {rank - 1}]"
        )
    return int(axis) % max(rank, 1)


def normalize_axes(op_name, node, dim):
    """Return ``dim`` (None, an int or a sequence) as a sorted tuple of axes, or None for all."""
    if dim is None:
        return None
    if isinstance(dim, (int, np.integer)):
        dim = (dim,)
    axes = sorted({normalize_axis(op_name, node, axis) for axis in dim})
    return tuple(axes)


def all_axes(rank, axes):
    return tuple(range(rank)) if axes is None else axes


def reduced_shape(shape, axes, keepdim):
    axes = all_axes(len(shape), axes)
    if keepdim:
        return tuple(1 if axis in axes else dim for axis, dim in enumerate(shape))
    return tuple(dim for axis, dim in enumerate(shape) if axis not in axes)


def same_dtype(op_name, inputs):
    """Return the inputs' common dtype; functional code casts them first, so this is an invariant."""
    dtype = inputs[0].dtype
    for node in inputs[1:]:
        assert node.dtype == dtype, (op_name, node.dtype, dtype)
    return dtype


def sum_to_shape(array, shape):
    """Sum ``array`` over broadcast dims so that it has ``shape`` (undoes NumPy broadcasting)."""
    if array.shape == tuple(shape):
        return array
    lead = array.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + axis for axis, dim in enumerate(shape) if dim == 1 and array.shape[lead + axis] != 1
    )
    return np.sum(array, axis=axes, keepdims=True).reshape(shape)
