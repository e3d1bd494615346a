"""``matmul`` and the fused ``linear`` (``x @ W.T + b``) with their backward rules."""

import numpy as np

from eager.autograd.function import Node, make_node_class
from eager.autograd.grad_mode import GradMode
from eager.errors import ShapeError
from eager.ops.core import as_tensor, record_saving_tensors
from eager.ops.elementwise import fit_gradient
from eager.tensor import Tensor


def _matmul_vjp(ops, g, a, b, shape_a, shape_b):
    """Gradients of ``a @ b`` for every rank combination NumPy's matmul accepts."""
    if len(shape_a) == 1 and len(shape_b) == 1:
        return g * b, g * a
    if len(shape_a) == 1:
        a = ops.reshape(a, (1,) + shape_a)
        g = ops.reshape(g, g.shape[:-1] + (1, g.shape[-1]))
    if len(shape_b) == 1:
        b = ops.reshape(b, shape_b + (1,))
        g = ops.reshape(g, g.shape + (1,))
    grad_a = g @ ops.transpose(b, -1, -2)
    grad_b = ops.transpose(a, -1, -2) @ g
    if len(shape_a) == 1:
        grad_a = ops.reshape(grad_a, grad_a.shape[:-2] + shape_a)
    if len(shape_b) == 1:
        grad_b = ops.reshape(grad_b, grad_b.shape[:-1])
    # Batch dimensions that broadcasting added are summed by fit_gradient.
    return grad_a, grad_b


class MatmulNode(Node):
    """Node of ``matmul``; ``attrs`` contains both input shapes and dtypes."""


    def apply(self, ops, grad):
        a, b = self.unpack(ops)
        shape_a, dtype_a, shape_b, dtype_b = self.attrs
        grad_a, grad_b = _matmul_vjp(ops, grad, a, b, shape_a, shape_b)
        (node_a, _), (node_b, _) = self.next_functions
        return (fit_gradient(ops, grad_a, shape_a, dtype_a) if node_a is not None else None,
                fit_gradient(ops, grad_b, shape_b, dtype_b) if node_b is not None else None)


MmBackward0 = make_node_class("MmBackward0", MatmulNode)
MvBackward0 = make_node_class("MvBackward0", MatmulNode)
DotBackward0 = make_node_class("DotBackward0", MatmulNode)
BmmBackward0 = make_node_class("BmmBackward0", MatmulNode)


def _matmul_node_class(ndim_a, ndim_b):
    if ndim_a == 1 and ndim_b == 1:
        return DotBackward0
    if ndim_a == 2 and ndim_b == 1:
        return MvBackward0
    if ndim_a == 2 and ndim_b == 2:
        return MmBackward0
    return BmmBackward0


def matmul_shape_error(shape_a, shape_b, op_name="matmul"):
    return ShapeError(
        f"{op_name}: cannot multiply shapes {shape_a} and {shape_b}: the last dimension of the "
        f"first ({shape_a[-1] if shape_a else 'none, it is 0-d'}) must equal the "
        f"{'only' if len(shape_b) == 1 else 'second-to-last'} dimension of the second "
        f"({shape_b[-2 if len(shape_b) > 1 else 0] if shape_b else 'none, it is 0-d'}). "
        f"Transpose or reshape one operand.")


def matmul(input, other):
    """Matrix product with NumPy's ``matmul`` rules (1-d operands, batch broadcasting)."""
    input = as_tensor(input)
    other = as_tensor(other)
    a, b = input._data, other._data
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError(
            f"matmul: both operands need at least 1 dimension, got shapes {a.shape} and "
            f"{b.shape}. Use mul (*) to scale by a 0-d tensor.")
    try:
        out = np.matmul(a, b)
    except ValueError:
        raise matmul_shape_error(a.shape, b.shape) from None
    result = Tensor._wrap(np.asarray(out))
    if GradMode.enabled and (input._requires_grad or other._requires_grad):
        attrs = (a.shape, a.dtype, b.shape, b.dtype)
        record_saving_tensors(_matmul_node_class(a.ndim, b.ndim), result, (input, other),
                              (input, other), attrs)
    return result


mm = matmul


class LinearNode(Node):
    """Node of ``linear(x, weight, bias)``; gradients only for inputs that need them."""


    def apply(self, ops, grad):
        x, weight = self.unpack(ops)
        (node_x, _), (node_w, _), (node_b, _) = self.next_functions
        x_shape = self.attrs
        grad_x = grad_w = grad_b = None
        if node_x is not None:
            grad_x = grad @ weight
        if node_w is not None or node_b is not None:
            grad_2d = ops.reshape(grad, (-1, grad.shape[-1])) if grad.ndim != 2 else grad
            if node_w is not None:
                x_2d = ops.reshape(x, (-1, x_shape[-1])) if len(x_shape) != 2 else x
                grad_w = grad_2d.T @ x_2d
            if node_b is not None:
                grad_b = ops.sum(grad_2d, 0)
        return grad_x, grad_w, grad_b


AddmmBackward0 = make_node_class("AddmmBackward0", LinearNode)
LinearMmBackward0 = make_node_class("MmBackward0", LinearNode)


def linear(input, weight, bias=None):
    """Return ``input @ weight.T + bias`` for ``weight`` of shape (out_features, in_features)."""
    if not isinstance(input, Tensor):
        input = as_tensor(input, "linear")
    x, w = input._data, weight._data
    if x.ndim == 0 or x.shape[-1] != w.shape[-1]:
        raise ShapeError(
            f"linear: input of shape {x.shape} has {x.shape[-1] if x.ndim else 'no'} features in "
            f"its last dimension but the weight of shape {w.shape} expects {w.shape[-1]} "
            f"(in_features). Reshape the input to (batch, {w.shape[-1]}) or build the layer "
            f"with in_features={x.shape[-1] if x.ndim else '...'}.")
    out = np.matmul(x, w.T)
    if bias is not None:
        out += bias._data
    result = Tensor._wrap(out)
    if GradMode.enabled and (input._requires_grad or weight._requires_grad
                             or (bias is not None and bias._requires_grad)):
        node_class = AddmmBackward0 if bias is not None else LinearMmBackward0
        record_saving_tensors(node_class, result, (input, weight, bias), (input, weight), x.shape)
    return result
