"""Matrix product with NumPy's ``matmul`` rules (1-D operands, broadcast batch dims)."""

from . import functional as F
from .base import Op, broadcast_dim, same_dtype, shape_error


def _swap_last(node):
    return F.transpose(node, -1, -2)


def _reduce_batch(grad, own, other):
    """Sum ``grad`` over batch dims that ``own`` was broadcast along; plain matrices need nothing."""
    if own.ndim == 2 and other.ndim <= 2:
        return grad
    return F.sum_like(grad, own)


class MatMul(Op):
    name = "matmul"

    def infer(self, inputs):
        a, b = inputs
        dtype = same_dtype(self.name, inputs)
        if a.ndim == 0 or b.ndim == 0:
            raise shape_error(self.name, inputs, "matmul needs inputs of at least 1 dim", "use mul for scalars")
        a_shape = (1,) + a.shape if a.ndim == 1 else a.shape
        b_shape = b.shape + (1,) if b.ndim == 1 else b.shape
        inner_a, inner_b = a_shape[-1], b_shape[-2]
        if inner_a is not None and inner_b is not None and inner_a != inner_b:
            raise shape_error(
                self.name,
                inputs,
                f"inner dims differ: {inner_a} (last dim of input 0) vs {inner_b} (dim -2 of input 1)",
                "transpose one input or fix the layer sizes so the inner dims match",
            )
        batch = self._batch_shape(inputs, a_shape[:-2], b_shape[:-2])
        shape = batch + (a_shape[-2], b_shape[-1])
        if a.ndim == 1:
            shape = shape[:-2] + shape[-1:]
        if b.ndim == 1:
            shape = shape[:-1]
        return shape, dtype

    def _batch_shape(self, inputs, a_batch, b_batch):
        rank = max(len(a_batch), len(b_batch))
        a_batch = (1,) * (rank - len(a_batch)) + a_batch
        b_batch = (1,) * (rank - len(b_batch)) + b_batch
        try:
            return tuple(broadcast_dim(x, y) for x, y in zip(a_batch, b_batch))
        except ValueError:
            raise shape_error(self.name, inputs, "batch dims do not broadcast", "make the leading dims equal or 1") from None

    def compute(self, a, b):
        return a @ b

    def emit(self, args, bind):
        return f"{args[0]} @ {args[1]}"

    def gradient(self, node, grad, needed):
        a, b = node.inputs
        if a.ndim == 1 and b.ndim == 1:
            return (grad * b if needed[0] else None, grad * a if needed[1] else None)
        if a.ndim == 1:
            return self._gradient_vector_left(a, b, grad, needed)
        if b.ndim == 1:
            return self._gradient_vector_right(a, b, grad, needed)
        # b's gradient is built first: it is often a weight gradient, the last reader of
        # an activation, and the memory scheduler keeps this order among equals.
        grad_b = _reduce_batch(_swap_last(a) @ grad, b, a) if needed[1] else None
        grad_a = _reduce_batch(grad @ _swap_last(b), a, b) if needed[0] else None
        return grad_a, grad_b

    def _gradient_vector_left(self, a, b, grad, needed):
        """a (k,) @ b (..., k, n) -> (..., n)."""
        row = F.unsqueeze(grad, -2)
        grad_a = F.sum_like(F.squeeze(row @ _swap_last(b), -2), a) if needed[0] else None
        grad_b = F.sum_like(F.unsqueeze(a, -1) @ row, b) if needed[1] else None
        return grad_a, grad_b

    def _gradient_vector_right(self, a, b, grad, needed):
        """a (..., m, k) @ b (k,) -> (..., m)."""
        column = F.unsqueeze(grad, -1)
        grad_a = F.sum_like(column @ F.unsqueeze(b, 0), a) if needed[0] else None
        grad_b = F.sum_like(F.squeeze(_swap_last(a) @ column, -1), b) if needed[1] else None
        return grad_a, grad_b
