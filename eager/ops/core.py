"""Shared machinery of all ops: operand conversion and recording of ``grad_fn`` nodes."""

import sys

import numpy as np

from eager.autograd.anomaly import AnomalyMode, capture_trace
from eager.autograd.function import SavedOutput
from eager.errors import IndexOutOfRangeError, NotATensorError, ShapeError
from eager.tensor import Tensor, module_message, to_array

_SCALARS = (int, float, bool)


def as_tensor(value, name=None):
    """Return ``value`` as a tensor; Python scalars and arrays become constants.

    ``name`` labels the argument in errors; by default the calling op's name.
    """
    if isinstance(value, Tensor):
        return value
    if getattr(type(value), "_is_eager_module", False):
        label = name if name is not None else sys._getframe(1).f_code.co_name
        raise NotATensorError(f"{label}: " + module_message(value))
    return Tensor._wrap(to_array(value, None))


def operand(value, op_name="op"):
    """Return the array or Python scalar an elementwise op computes with."""
    if isinstance(value, Tensor):
        return value._data
    if isinstance(value, _SCALARS):
        return value
    if getattr(type(value), "_is_eager_module", False):
        raise NotATensorError(f"{op_name}: " + module_message(value))
    return to_array(value, None)


def save_output(result):
    """Return a ``SavedOutput`` for an op's result tensor."""
    return SavedOutput(result._data, result.version_counter())


NO_EDGE = (None, 0)


def edge(tensor):
    """Return the ``next_functions`` entry of an input that requires grad."""
    node = tensor._grad_fn
    if node is None:
        node = tensor._accumulator or tensor.grad_accumulator()
    return (node, 0)


def attach(node, result):
    """Make ``node`` the ``grad_fn`` of the op's output ``result`` and return ``result``."""
    if AnomalyMode.enabled:
        node.trace = capture_trace()
    result._grad_fn = node
    result._requires_grad = True
    return result


def record(node_class, result, inputs, saved=(), attrs=None):
    """Attach a new ``node_class`` node to ``result`` and return ``result``."""
    next_functions = []
    for value in inputs:
        if isinstance(value, Tensor) and value._requires_grad:
            node = value._grad_fn or value._accumulator or value.grad_accumulator()
            next_functions.append((node, 0))
        else:
            next_functions.append(NO_EDGE)
    return attach(node_class(tuple(next_functions), saved, attrs), result)


def record_saving_tensors(node_class, result, inputs, tensors, attrs):
    """Like ``record`` for an op whose saved values are all input tensors (``None`` inputs allowed)."""
    next_functions = []
    for value in inputs:
        if value is not None and value._requires_grad:
            node = value._grad_fn or value._accumulator or value.grad_accumulator()
            next_functions.append((node, 0))
        else:
            next_functions.append(NO_EDGE)
    return attach(node_class.with_saved_tensors(tuple(next_functions), tensors, attrs), result)


def shape_error(op_name, shapes, error):
    """Return a ``ShapeError`` naming the op and every operand shape."""
    listed = " and ".join(str(tuple(shape)) for shape in shapes)
    return ShapeError(
        f"{op_name}: shapes {listed} cannot be broadcast together. Each dimension must match "
        f"or be 1 (compare from the right); reshape or unsqueeze an operand. ({error})")


def normalize_dim(dim, ndim, op_name):
    """Return ``dim`` as a non-negative axis for a tensor of ``ndim`` dimensions."""
    low = -ndim if ndim else -1
    high = ndim - 1 if ndim else 0
    if not low <= dim <= high:
        raise IndexOutOfRangeError(
            f"{op_name}: dim {dim} is out of range for a tensor with {ndim} dimensions "
            f"(expected a value in [{low}, {high}])")
    return dim % ndim if ndim else 0


def normalize_dims(dim, ndim, op_name):
    """Return ``dim`` (None, int or sequence) as a sorted tuple of axes, or None for all."""
    if dim is None:
        return None
    if isinstance(dim, int | np.integer):
        return (normalize_dim(int(dim), ndim, op_name),)
    return tuple(sorted(normalize_dim(int(d), ndim, op_name) for d in dim))
