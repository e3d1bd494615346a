"""Ops that move or select elements: reshape, permute, squeeze, unsqueeze, expand, cat, stack, indexing."""

import numpy as np

from . import functional as F
from .base import Op, broadcast_dim, shape_error, sum_to_shape

# Two sizes stand in for unknown dims when NumPy itself infers an output shape:
# a dim that comes out different under the two sizes depends on an unknown dim.
# The sizes shrink with the number of unknown dims so the element count fits in an intp.
_PROBE_SIZES = ((1009, 1013), (11, 13))


def probe_shape(shape, function):
    """Return the shape ``function`` gives for an array of ``shape`` whose None dims are unknown.

    ``function`` runs twice on zero-memory arrays (all strides 0), with different
    sizes for the None dims; output dims that differ become None.
    """
    unknown = sum(dim is None for dim in shape)
    sizes = _PROBE_SIZES[0] if unknown <= 5 else _PROBE_SIZES[1]
    results = []
    for size in sizes:
        concrete = tuple(size if dim is None else dim for dim in shape)
        dummy = np.lib.stride_tricks.as_strided(np.zeros(1), concrete, (0,) * len(concrete), writeable=False)
        results.append(function(dummy).shape)
    return tuple(a if a == b else None for a, b in zip(*results))


class Reshape(Op):
    name = "reshape"
    attributes = ("shape",)

    def infer(self, inputs):
        x = inputs[0]
        try:
            return probe_shape(x.shape, lambda array: array.reshape(self.shape)), x.dtype
        except ValueError:
            if None in x.shape and self.shape.count(-1) <= 1:
                # The probe sizes may not divide evenly where the run-time sizes do.
                return tuple(None if dim == -1 else dim for dim in self.shape), x.dtype
            raise shape_error(
                self.name, inputs, f"cannot reshape to {self.shape}", "keep the number of elements the same; use -1 for one inferred dim"
            ) from None

    def compute(self, x):
        return np.reshape(x, self.shape)

    def emit(self, args, bind):
        return f"np.reshape({args[0]}, {self.shape!r})"

    def gradient(self, node, grad, needed):
        return (F.reshape_like(grad, node.inputs[0]),)


class ReshapeLike(Op):
    """reshape_like(g, x): ``g`` reshaped to ``x``'s run-time shape."""

    name = "reshape_like"

    def infer(self, inputs):
        return inputs[1].shape, inputs[0].dtype

    def compute(self, value, like):
        return np.reshape(value, np.shape(like))

    def emit(self, args, bind):
        return f"np.reshape({args[0]}, {args[1]}.shape)"

    def gradient(self, node, grad, needed):
        return (F.reshape_like(grad, node.inputs[0]), None)


class Permute(Op):
    name = "permute"
    attributes = ("dims",)

    def infer(self, inputs):
        x = inputs[0]
        return tuple(x.shape[axis] for axis in self.dims), x.dtype

    def compute(self, x):
        return np.transpose(x, self.dims)

    def emit(self, args, bind):
        return f"np.transpose({args[0]}, {self.dims!r})"

    def gradient(self, node, grad, needed):
        inverse = tuple(int(axis) for axis in np.argsort(self.dims))
        return (F.permute(grad, inverse),)


class Squeeze(Op):
    """Remove the size-1 axes ``dims`` (chosen from the static shape by ``functional.squeeze``)."""

    name = "squeeze"
    attributes = ("dims",)

    def infer(self, inputs):
        x = inputs[0]
        return tuple(dim for axis, dim in enumerate(x.shape) if axis not in self.dims), x.dtype

    def compute(self, x):
        return np.squeeze(x, axis=self.dims)

    def emit(self, args, bind):
        return f"np.squeeze({args[0]}, axis={self.dims!r})"

    def gradient(self, node, grad, needed):
        return (F.reshape_like(grad, node.inputs[0]),)


class Unsqueeze(Op):
    name = "unsqueeze"
    attributes = ("dim",)

    def infer(self, inputs):
        shape = list(inputs[0].shape)
        shape.insert(self.dim, 1)
        return tuple(shape), inputs[0].dtype

    def compute(self, x):
        return np.expand_dims(x, self.dim)

    def emit(self, args, bind):
        return f"np.expand_dims({args[0]}, {self.dim})"

    def gradient(self, node, grad, needed):
        # A gradient built by matmul may not know statically that this dim is 1.
        # squeeze needs that to be known, but reshaping to the input's run-time shape does not.
        if grad.shape[self.dim] is None:
            return (F.reshape_like(grad, node.inputs[0]),)
        return (F.squeeze(grad, self.dim),)


class Expand(Op):
    """Broadcast to ``shape`` (a -1 keeps the input's dim), as ``Tensor.expand`` does."""

    name = "expand"
    attributes = ("shape",)

    def infer(self, inputs):
        x = inputs[0]
        lead = len(self.shape) - x.ndim
        if lead < 0:
            raise shape_error(self.name, inputs, f"cannot expand to fewer dims {self.shape}", "give at least as many sizes as the input has dims")
        result = []
        for axis, size in enumerate(self.shape):
            own = x.shape[axis - lead] if axis >= lead else 1
            if size == -1:
                result.append(own)
                continue
            try:
                result.append(broadcast_dim(own, size) if own != size else size)
            except ValueError:
                raise shape_error(self.name, inputs, f"cannot expand dim {own} to {size}", "only size-1 dims can be expanded") from None
        return tuple(result), x.dtype

    def compute(self, x):
        lead = len(self.shape) - np.ndim(x)
        target = tuple(np.shape(x)[axis - lead] if size == -1 else size for axis, size in enumerate(self.shape))
        return np.broadcast_to(x, target)

    def gradient(self, node, grad, needed):
        return (F.sum_like(grad, node.inputs[0]),)


class Concat(Op):
    name = "cat"
    attributes = ("dim",)

    def infer(self, inputs):
        first = inputs[0]
        shape = list(first.shape)
        for node in inputs[1:]:
            if node.ndim != first.ndim:
                raise shape_error(self.name, inputs, "inputs have different ranks", "give every input the same number of dims")
            for axis, dim in enumerate(node.shape):
                if axis == self.dim:
                    shape[axis] = None if shape[axis] is None or dim is None else shape[axis] + dim
                    continue
                if dim is not None and shape[axis] is not None and dim != shape[axis]:
                    raise shape_error(
                        self.name, inputs, f"sizes differ in dim {axis}", f"make every input's shape equal except in dim {self.dim}"
                    )
                shape[axis] = dim if shape[axis] is None else shape[axis]
        return tuple(shape), first.dtype

    def compute(self, *arrays):
        return np.concatenate(arrays, axis=self.dim)

    def emit(self, args, bind):
        return f"np.concatenate([{', '.join(args)}], axis={self.dim})"

    def gradient(self, node, grad, needed):
        inputs = node.inputs
        return tuple(
            F.apply(CatSlice(self.dim, position), [grad] + inputs) if needed[position] else None
            for position in range(len(inputs))
        )


class CatSlice(Op):
    """cat_slice(g, *parts): the piece of ``g`` that part ``index`` of a concatenation produced."""

    name = "cat_slice"
    attributes = ("dim", "index")

    def infer(self, inputs):
        return inputs[1 + self.index].shape, inputs[0].dtype

    def compute(self, grad, *parts):
        start = sum(np.shape(part)[self.dim] for part in parts[: self.index])
        stop = start + np.shape(parts[self.index])[self.dim]
        index = (slice(None),) * self.dim + (slice(start, stop),)
        return grad[index]

    def gradient(self, node, grad, needed):
        parts = node.inputs[1:]
        pieces = [grad if position == self.index else F.zeros_like(part) for position, part in enumerate(parts)]
        return (F.cat(pieces, self.dim),) + (None,) * len(parts)


class Stack(Op):
    name = "stack"
    attributes = ("dim",)

    def infer(self, inputs):
        shape = list(inputs[0].shape)
        for node in inputs[1:]:
            if node.ndim != len(shape):
                raise shape_error(self.name, inputs, "inputs have different ranks", "give every input the same shape")
            for axis, dim in enumerate(node.shape):
                if dim is not None and shape[axis] is not None and dim != shape[axis]:
                    raise shape_error(self.name, inputs, f"sizes differ in dim {axis}", "give every input the same shape")
                shape[axis] = dim if shape[axis] is None else shape[axis]
        shape.insert(self.dim, len(inputs))
        return tuple(shape), inputs[0].dtype

    def compute(self, *arrays):
        return np.stack(arrays, axis=self.dim)

    def emit(self, args, bind):
        return f"np.stack([{', '.join(args)}], axis={self.dim})"

    def gradient(self, node, grad, needed):
        return tuple(
            F.select(grad, self.dim, position) if needed[position] else None for position in range(len(node.inputs))
        )


# --- indexing ------------------------------------------------------------------------


def freeze_index(index):
    """Return a hashable form of a NumPy basic or integer-array index."""
    if not isinstance(index, tuple):
        index = (index,)
    frozen = []
    for item in index:
        if isinstance(item, slice):
            frozen.append(("slice", item.start, item.stop, item.step))
        elif item is None or item is Ellipsis or isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            frozen.append(item if item is None or item is Ellipsis else int(item))
        elif isinstance(item, (list, np.ndarray)):
            array = np.asarray(item)
            if array.dtype.kind not in "iub":
                raise TypeError(f"index arrays must hold ints or bools, got dtype {array.dtype}")
            frozen.append(("array", array.dtype.str, array.shape, tuple(array.ravel().tolist())))
        else:
            raise TypeError(
                f"unsupported index {item!r}; use ints, slices, None, Ellipsis or arrays of ints/bools"
            )
    return tuple(frozen)


def thaw_index(frozen):
    """Return the NumPy index that ``freeze_index`` encoded."""
    items = []
    for item in frozen:
        if isinstance(item, tuple) and item[0] == "slice":
            items.append(slice(*item[1:]))
        elif isinstance(item, tuple) and item[0] == "array":
            items.append(np.array(item[3], dtype=np.dtype(item[1])).reshape(item[2]))
        else:
            items.append(item)
    return tuple(items)


class GetItem(Op):
    """x[index] with a constant index (frozen to be hashable)."""

    name = "getitem"
    attributes = ("index",)

    def infer(self, inputs):
        index = thaw_index(self.index)
        try:
            return probe_shape(inputs[0].shape, lambda array: array[index]), inputs[0].dtype
        except IndexError as error:
            raise shape_error(self.name, inputs, f"invalid index: {error}", "index within the node's shape") from None

    def compute(self, x):
        return x[thaw_index(self.index)]

    def emit(self, args, bind):
        return f"{args[0]}[{bind(thaw_index(self.index), 'index')}]"

    def gradient(self, node, grad, needed):
        return (F.apply(ScatterLike(self.index), [grad, node.inputs[0]]),)


class ScatterLike(Op):
    """scatter_like(g, x): zeros of ``x``'s shape with ``g`` added at ``index`` (repeats accumulate)."""

    name = "scatter_like"
    attributes = ("index",)

    def infer(self, inputs):
        return inputs[1].shape, inputs[0].dtype

    def compute(self, grad, like):
        result = np.zeros(np.shape(like), dtype=np.asarray(grad).dtype)
        np.add.at(result, thaw_index(self.index), grad)
        return result

    def gradient(self, node, grad, needed):
        return (F.apply(GetItem(self.index), [grad]), None)


class Flatten(Op):
    """Merge axes ``start`` through ``end`` (non-negative) into one."""

    name = "flatten"
    attributes = ("start", "end")

    def infer(self, inputs):
        shape = inputs[0].shape
        merged = shape[self.start:self.end + 1]
        size = None if None in merged else int(np.prod(merged, dtype=np.int64))
        return shape[:self.start] + (size,) + shape[self.end + 1:], inputs[0].dtype

    def compute(self, x):
        shape = np.shape(x)
        return np.reshape(x, shape[:self.start] + (-1,) + shape[self.end + 1:])

    def gradient(self, node, grad, needed):
        return (F.reshape_like(grad, node.inputs[0]),)


class SumToSize(Op):
    """Sum a broadcast value back to the static ``shape`` (the inverse of expand)."""

    name = "sum_to_size"
    attributes = ("shape",)

    def infer(self, inputs):
        x = inputs[0]
        lead = x.ndim - len(self.shape)
        if lead < 0 or any(
            dim != 1 and own is not None and own != dim for own, dim in zip(x.shape[lead:], self.shape)
        ):
            raise shape_error(self.name, inputs, f"cannot sum shape to {self.shape}", "give a shape that x was broadcast from")
        return self.shape, x.dtype

    def compute(self, x):
        return sum_to_shape(x, self.shape)

    def gradient(self, node, grad, needed):
        return (F.broadcast_like(grad, node.inputs[0]),)
