"""Shape ops and indexing: forward kernels and vector-Jacobian products side by side.

Ops whose NumPy result is a view (transpose, permute, expand, basic
indexing, and reshape when no copy is needed) share the input's version
counter, so an in-place change through either tensor is seen by both.
"""

import numpy as np

from eager.autograd.function import Node, make_node_class
from eager.autograd.grad_mode import GradMode
from eager.errors import IndexOutOfRangeError, InvalidArgumentError, InvalidTypeError, ShapeError
from eager.ops.core import as_tensor, normalize_dim, record
from eager.tensor import Tensor


class ShapeNode(Node):
    """Node of a one-input shape op; ``attrs`` is what the rule needs to undo the op."""


    def apply(self, ops, grad):
        return (self.vjp(ops, grad, self.attrs),)


def _make(name, vjp):
    return make_node_class(name, ShapeNode, vjp=staticmethod(vjp))


#  grad_fn                               vjp(ops, grad, attrs)
ViewBackward0 = _make("ViewBackward0", lambda ops, g, shape: ops.reshape(g, shape))
SqueezeBackward0 = _make("SqueezeBackward0", lambda ops, g, shape: ops.reshape(g, shape))
UnsqueezeBackward0 = _make("UnsqueezeBackward0", lambda ops, g, shape: ops.reshape(g, shape))
TransposeBackward0 = _make("TransposeBackward0", lambda ops, g, dims: ops.transpose(g, *dims))
PermuteBackward0 = _make("PermuteBackward0",
                         lambda ops, g, dims: ops.permute(g, tuple(np.argsort(dims).tolist())))
ExpandBackward0 = _make("ExpandBackward0", lambda ops, g, shape: ops.unbroadcast(g, shape))
SumToSizeBackward0 = _make("SumToSizeBackward0", lambda ops, g, shape: ops.expand_to(g, shape))
ToCopyBackward0 = _make("ToCopyBackward0", lambda ops, g, dtype: ops.cast(g, dtype))
CloneBackward0 = _make("CloneBackward0", lambda ops, g, attrs: g)
IndexBackward0 = _make("IndexBackward0",
                       lambda ops, g, attrs: ops.index_scatter(g, attrs[0], attrs[1], True))
SliceBackward0 = _make("SliceBackward0",
                       lambda ops, g, attrs: ops.index_scatter(g, attrs[0], attrs[1], False))
SelectBackward0 = _make("SelectBackward0",
                        lambda ops, g, attrs: ops.index_scatter(g, attrs[0], attrs[1], False))
IndexScatterBackward0 = _make("IndexScatterBackward0", lambda ops, g, index: ops.getitem(g, index))


def _unary_shape_op(node_class, input, out, attrs, is_view):
    result = Tensor._wrap(out)
    if is_view:
        result._version_counter = input.version_counter()
    if input._requires_grad and GradMode.enabled:
        record(node_class, result, (input,), (), attrs)
    return result


def _shape_arg(shape):
    if len(shape) == 1 and isinstance(shape[0], list | tuple):
        return tuple(shape[0])
    return tuple(shape)


def reshape(input, *shape):
    """Return ``input`` with a new shape (one dimension may be -1); a view when possible."""
    input = as_tensor(input)
    shape = _shape_arg(shape)
    data = input._data
    try:
        out = np.reshape(data, shape)
    except ValueError:
        raise ShapeError(
            f"reshape: cannot reshape a tensor of shape {data.shape} ({data.size} elements) to "
            f"{shape}. The new shape must have the same number of elements; use -1 for one "
            f"dimension to infer it.") from None
    return _unary_shape_op(ViewBackward0, input, out, data.shape, out.base is not None)


def view(input, *shape):
    return reshape(input, *shape)


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dimensions ``start_dim`` through ``end_dim`` into one."""
    input = as_tensor(input)
    shape = input.shape
    if not shape:
        return reshape(input, (1,))
    start = normalize_dim(start_dim, len(shape), "flatten")
    end = normalize_dim(end_dim, len(shape), "flatten")
    merged = int(np.prod(shape[start:end + 1], dtype=np.int64))
    return reshape(input, shape[:start] + (merged,) + shape[end + 1:])


def transpose(input, dim0, dim1):
    """Swap dimensions ``dim0`` and ``dim1`` (a view)."""
    input = as_tensor(input)
    ndim = input.ndim
    d0 = normalize_dim(dim0, ndim, "transpose")
    d1 = normalize_dim(dim1, ndim, "transpose")
    out = np.swapaxes(input._data, d0, d1)
    return _unary_shape_op(TransposeBackward0, input, out, (d0, d1), True)


def t(input):
    """Transpose a tensor of at most 2 dimensions."""
    input = as_tensor(input)
    if input.ndim > 2:
        raise ShapeError(f"t() expects a tensor with at most 2 dimensions, got shape {input.shape}; "
                         f"use transpose(dim0, dim1) or permute(dims).")
    return transpose(input, 0, 1) if input.ndim == 2 else input


def permute(input, *dims):
    """Reorder the dimensions: output dimension i is input dimension ``dims[i]`` (a view)."""
    input = as_tensor(input)
    dims = _shape_arg(dims)
    ndim = input.ndim
    axes = tuple(normalize_dim(d, ndim, "permute") for d in dims)
    if sorted(axes) != list(range(ndim)):
        raise ShapeError(f"permute: dims {dims} is not a permutation of the {ndim} dimensions of "
                         f"a tensor of shape {input.shape}.")
    out = np.transpose(input._data, axes)
    return _unary_shape_op(PermuteBackward0, input, out, axes, True)


def squeeze(input, dim=None):
    """Remove dimensions of size 1 (only ``dim`` when given, if its size is 1)."""
    input = as_tensor(input)
    data = input._data
    if dim is None:
        out = np.squeeze(data)
    else:
        axis = normalize_dim(dim, data.ndim, "squeeze")
        out = np.squeeze(data, axis) if data.ndim and data.shape[axis] == 1 else data.view()
    return _unary_shape_op(SqueezeBackward0, input, out, data.shape, True)


def unsqueeze(input, dim):
    """Insert a dimension of size 1 at ``dim`` (negative values count from the end)."""
    input = as_tensor(input)
    data = input._data
    axis = normalize_dim(dim, data.ndim + 1, "unsqueeze")
    out = np.expand_dims(data, axis)
    return _unary_shape_op(UnsqueezeBackward0, input, out, data.shape, True)


def expand(input, *sizes):
    """Broadcast ``input`` to ``sizes`` without copying; -1 keeps a dimension's size."""
    input = as_tensor(input)
    sizes = _shape_arg(sizes)
    data = input._data
    lead = len(sizes) - data.ndim
    if lead < 0:
        raise ShapeError(f"expand: the target {sizes} has fewer dimensions than the tensor's "
                         f"shape {data.shape}.")
    target = tuple(data.shape[i - lead] if size == -1 and i >= lead else size
                   for i, size in enumerate(sizes))
    try:
        out = np.broadcast_to(data, target)
    except ValueError:
        raise ShapeError(
            f"expand: cannot expand shape {data.shape} to {sizes}; only dimensions of size 1 can "
            f"be expanded (or new leading dimensions added).") from None
    return _unary_shape_op(ExpandBackward0, input, out, data.shape, True)


def expand_as(input, other):
    return expand(input, as_tensor(other).shape)


broadcast_to = expand


def sum_to_size(input, *shape):
    """Sum a broadcast tensor back to ``shape`` (the inverse of ``expand``)."""
    from eager.autograd import numpy_ops

    input = as_tensor(input)
    shape = _shape_arg(shape)
    out = np.asarray(numpy_ops.unbroadcast(input._data, shape))
    return _unary_shape_op(SumToSizeBackward0, input, out, input.shape, False)


def to_dtype(input, dtype):
    """Return ``input`` converted to ``dtype`` (the input itself when it already has it)."""
    input = as_tensor(input)
    dtype = np.dtype(dtype)
    if input._data.dtype == dtype:
        return input
    out = input._data.astype(dtype)
    result = Tensor._wrap(out)
    if input._requires_grad and GradMode.enabled and dtype.kind == "f":
        record(ToCopyBackward0, result, (input,), (), input._data.dtype)
    return result


def clone(input):
    """Return a copy that is still connected to the graph."""
    input = as_tensor(input)
    return _unary_shape_op(CloneBackward0, input, input._data.copy(), None, False)


def contiguous(input):
    return input


# ----- concatenation -------------------------------------------------------------------------


class CatBackward0(Node):
    """Node of ``cat``; ``attrs`` is (dim, sizes along dim)."""


    def apply(self, ops, grad):
        dim, sizes = self.attrs
        grads = []
        start = 0
        for size in sizes:
            index = (slice(None),) * dim + (slice(start, start + size),)
            grads.append(ops.getitem(grad, index))
            start += size
        return tuple(grads)


class StackBackward0(Node):
    """Node of ``stack``; ``attrs`` is the new dimension."""


    def apply(self, ops, grad):
        dim = self.attrs
        count = len(self.next_functions)
        return tuple(ops.getitem(grad, (slice(None),) * dim + (i,)) for i in range(count))


def _sequence(tensors, op_name):
    if isinstance(tensors, Tensor) or not isinstance(tensors, list | tuple):
        raise InvalidTypeError(f"{op_name} expects a list or tuple of tensors, got {type(tensors).__name__}")
    if not tensors:
        raise InvalidArgumentError(f"{op_name} expects a non-empty list of tensors")
    return [as_tensor(t, f"{op_name} element {i}") for i, t in enumerate(tensors)]


def cat(tensors, dim=0):
    """Concatenate tensors along an existing dimension ``dim``."""
    tensors = _sequence(tensors, "cat")
    axis = normalize_dim(dim, tensors[0].ndim, "cat")
    try:
        out = np.concatenate([t._data for t in tensors], axis=axis)
    except ValueError:
        shapes = ", ".join(str(t.shape) for t in tensors)
        raise ShapeError(f"cat: shapes {shapes} must match in every dimension except dim {dim}.") \
            from None
    result = Tensor._wrap(out)
    if GradMode.enabled and any(t._requires_grad for t in tensors):
        record(CatBackward0, result, tensors, (), (axis, [t.shape[axis] for t in tensors]))
    return result


concatenate = cat


def stack(tensors, dim=0):
    """Stack tensors of one shape along a new dimension ``dim``."""
    tensors = _sequence(tensors, "stack")
    axis = normalize_dim(dim, tensors[0].ndim + 1, "stack")
    shapes = {t.shape for t in tensors}
    if len(shapes) != 1:
        listed = ", ".join(str(t.shape) for t in tensors)
        raise ShapeError(f"stack: all tensors must have the same shape, got {listed}.")
    out = np.stack([t._data for t in tensors], axis=axis)
    result = Tensor._wrap(out)
    if GradMode.enabled and any(t._requires_grad for t in tensors):
        record(StackBackward0, result, tensors, (), axis)
    return result


# ----- indexing -------------------------------------------------------------------------------


def normalize_index(index):
    """Convert tensors inside an index to arrays; return (index, is_advanced, is_select)."""
    items = index if isinstance(index, tuple) else (index,)
    converted = []
    advanced = False
    for item in items:
        if isinstance(item, Tensor):
            item = item._data
        if isinstance(item, list):
            item = np.asarray(item)
        if isinstance(item, np.ndarray):
            advanced = True
            if item.dtype.kind not in "iub":
                raise IndexOutOfRangeError(f"tensors used as indices must be integer or bool, got "
                                 f"{item.dtype.name}")
        converted.append(item)
    is_select = all(isinstance(i, int | np.integer) for i in converted)
    return tuple(converted), advanced, is_select


def getitem(input, index):
    """Index like NumPy: ints, slices, None, Ellipsis, integer arrays and boolean masks.

    The gradient is scattered back to the indexed positions; an index that
    repeats a position adds its gradients together.
    """
    input = as_tensor(input)
    index, advanced, is_select = normalize_index(index)
    try:
        out = input._data[index]
    except IndexError as error:
        raise IndexOutOfRangeError(f"index {index} is invalid for a tensor of shape {input.shape}: {error}") \
            from None
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    if advanced:
        node_class = IndexBackward0
    elif is_select:
        node_class = SelectBackward0
    else:
        node_class = SliceBackward0
    return _unary_shape_op(node_class, input, out, (input.shape, index), not advanced)


def index_scatter(grad, shape, index, accumulate):
    """Return zeros of ``shape`` with ``grad`` added at ``index`` (differentiable in ``grad``)."""
    from eager.autograd import numpy_ops

    grad = as_tensor(grad)
    out = numpy_ops.index_scatter(grad._data, shape, index, accumulate)
    return _unary_shape_op(IndexScatterBackward0, grad, out, index, False)
