"""In-place ops (``add_``, ``mul_``, ``zero_``, ``x[i] = v`` ...) and their autograd rules.

An in-place op writes into the tensor's storage and bumps its version
counter, so a backward rule that saved the old value raises instead of
using the new one. While graphs are recorded, an in-place op on a leaf
that requires grad raises, and an in-place op on any other tensor that
takes part in the graph replaces its ``grad_fn`` with the new op's node.
"""

import numpy as np

from eager.autograd.function import Node
from eager.autograd.grad_mode import GradMode, no_grad
from eager.errors import DTypeError, InplaceError, ShapeError
from eager.ops.core import as_tensor, record
from eager.ops.elementwise import fit_gradient
from eager.ops.shape import normalize_index
from eager.tensor import Tensor


def _check_leaf(tensor, op_name):
    if tensor._requires_grad and tensor._grad_fn is None:
        raise InplaceError(
            f"{op_name}: a leaf tensor that requires grad (shape {tensor.shape}) cannot be "
            f"modified in place while gradients are recorded, because autograd needs its value. "
            f"Update it inside `with eager.no_grad():` (as optimizers do) or use the out-of-place "
            f"form (x = x + y).")


def _write(tensor, values, op_name):
    """Copy ``values`` into ``tensor``'s storage, keeping its shape and dtype."""
    target = tensor._data
    values = np.asarray(values)
    if not np.can_cast(values.dtype, target.dtype, "same_kind"):
        raise DTypeError(
            f"{op_name}: the result has dtype {values.dtype.name}, which cannot be stored in place "
            f"in a tensor of dtype {target.dtype.name}. Convert the tensor first (x = x.float()) "
            f"or use the out-of-place form.")
    try:
        np.copyto(target, values, casting="same_kind")
    except ValueError:
        raise ShapeError(
            f"{op_name}: a result of shape {values.shape} cannot be written in place into a "
            f"tensor of shape {target.shape}; the in-place form cannot change the shape. Use the "
            f"out-of-place form (x = x + y).") from None
    tensor.bump_version()


def apply_inplace(tensor, op_name, compute, *others):
    """Run ``compute(tensor)`` and store its result in ``tensor``; return ``tensor``.

    ``compute`` is the out-of-place op. When the result would require grad,
    it is computed on a snapshot of the old value and ``tensor`` takes over
    the result's ``grad_fn``.
    """
    # NOTE: when ``tensor`` is a view (x[0], x.T), only the view's history is
    # rewritten. The base tensor's grad_fn is not, so gradients through the base
    # miss the change (PyTorch records CopySlices on the base); the shared version
    # counter still makes backward raise if the base was saved for backward.
    tracked = GradMode.enabled and (
        tensor._requires_grad or any(isinstance(o, Tensor) and o._requires_grad for o in others))
    if not tracked:
        with no_grad():
            result = compute(tensor)
        _write(tensor, result._data, op_name)
        return tensor
    _check_leaf(tensor, op_name)
    old = Tensor._wrap(tensor._data.copy())
    old._grad_fn = tensor._grad_fn
    old._requires_grad = tensor._requires_grad
    result = compute(old)
    _write(tensor, result._data, op_name)
    tensor._grad_fn = result._grad_fn
    tensor._requires_grad = result._requires_grad
    return tensor


# ----- item assignment ----------------------------------------------------------------------------


class CopySlices(Node):
    """Node of ``x[index] = value``: the old values at ``index`` get no gradient."""


    def apply(self, ops, grad):
        index, value_shape, value_dtype = self.attrs
        (node_old, _), (node_value, _) = self.next_functions
        grad_old = grad_value = None
        if node_old is not None:
            mask = np.ones(grad.shape, dtype=bool)
            mask[index] = False
            grad_old = ops.where(mask, grad, 0.0)
        if node_value is not None:
            grad_value = fit_gradient(ops, ops.getitem(grad, index), value_shape, value_dtype)
        return grad_old, grad_value


def setitem(tensor, index, value):
    """``tensor[index] = value`` with broadcasting; recorded as ``CopySlices``."""
    index, _, _ = normalize_index(index)
    value_tensor = value if isinstance(value, Tensor) else None
    value_data = value._data if value_tensor is not None else np.asarray(value)
    tracked = GradMode.enabled and (tensor._requires_grad
                                    or (value_tensor is not None and value_tensor._requires_grad))
    if tracked:
        _check_leaf(tensor, "__setitem__")
        old = Tensor._wrap(tensor._data.copy())
        old._grad_fn = tensor._grad_fn
        old._requires_grad = tensor._requires_grad
    try:
        tensor._data[index] = value_data
    except ValueError:
        raise ShapeError(
            f"__setitem__: a value of shape {value_data.shape} cannot be assigned to "
            f"{index} of a tensor of shape {tensor.shape}; the shapes must broadcast.") from None
    tensor.bump_version()
    if tracked:
        stand_in = Tensor._wrap(tensor._data)
        attrs = (index, value_data.shape, value_data.dtype)
        record(CopySlices, stand_in, (old, value_tensor), (), attrs)
        tensor._grad_fn = stand_in._grad_fn
        tensor._requires_grad = True


# ----- methods ------------------------------------------------------------------------------------


def _binary_inplace(op, op_name):
    def method(self, other, alpha=None):
        if alpha is not None:
            other = as_tensor(other) * alpha
        return apply_inplace(self, op_name, lambda t: op(t, other), other)

    method.__name__ = op_name
    return method


def _unary_inplace(op, op_name):
    def method(self, *args, **kwargs):
        return apply_inplace(self, op_name, lambda t: op(t, *args, **kwargs))

    method.__name__ = op_name
    return method


def zero_(self):
    """Set every element to 0 in place."""
    return fill_(self, 0)


def fill_(self, value):
    """Set every element to ``value`` in place."""
    return apply_inplace(self, "fill_", lambda t: t * 0 + value, value)


def copy_(self, source):
    """Copy ``source`` (broadcast to this shape) into this tensor in place."""
    source = as_tensor(source)
    return apply_inplace(self, "copy_", lambda t: t * 0 + source.to(self.dtype), source)


def _raw_inplace_fill(self, values, op_name):
    """Store ``values`` (an array drawn by an initializer) without recording."""
    if GradMode.enabled:
        _check_leaf(self, op_name)
    _write(self, values, op_name)
    return self


def uniform_(self, low=0.0, high=1.0, generator=None):
    from eager import random

    rng = generator if generator is not None else random.default_generator()
    return _raw_inplace_fill(self, rng.uniform(low, high, size=self.shape), "uniform_")


def normal_(self, mean=0.0, std=1.0, generator=None):
    from eager import random

    rng = generator if generator is not None else random.default_generator()
    return _raw_inplace_fill(self, rng.normal(mean, std, size=self.shape), "normal_")
