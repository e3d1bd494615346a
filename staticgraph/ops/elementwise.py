"""Elementwise ops with NumPy broadcasting: arithmetic, unary math, comparisons, where, cast.

Gradient conventions: relu'(0) = 0, abs'(0) = 0 (sign(0) = 0), and maximum/minimum
give each of two tied inputs half of the gradient.
"""

import operator

import numpy as np

from . import functional as F
from .base import Op, broadcast_shapes, needs_reduction, same_dtype


def unbroadcast(grad, input_node, other_node):
    """Return ``grad`` summed back to ``input_node``'s shape when broadcasting may have grown it."""
    if other_node is not None and not needs_reduction(input_node.shape, other_node.shape):
        return grad
    if other_node is None and grad.shape == input_node.shape and None not in grad.shape:
        return grad
    return F.sum_like(grad, input_node)


class BinaryOp(Op):
    """An elementwise op of two inputs of one dtype (functional code casts them first)."""

    symbol = None

    def infer(self, inputs):
        return broadcast_shapes(self.name, inputs), same_dtype(self.name, inputs)

    def emit(self, args, bind):
        return f"{args[0]} {self.symbol} {args[1]}"


class Add(BinaryOp):
    name = "add"
    symbol = "+"

    def compute(self, a, b):
        return a + b

    def gradient(self, node, grad, needed):
        a, b = node.inputs
        return (unbroadcast(grad, a, b) if needed[0] else None, unbroadcast(grad, b, a) if needed[1] else None)


class Sub(BinaryOp):
    name = "sub"
    symbol = "-"

    def compute(self, a, b):
        return a - b

    def gradient(self, node, grad, needed):
        a, b = node.inputs
        return (unbroadcast(grad, a, b) if needed[0] else None, unbroadcast(-grad, b, a) if needed[1] else None)


class Mul(BinaryOp):
    name = "mul"
    symbol = "*"

    def compute(self, a, b):
        return a * b

    def gradient(self, node, grad, needed):
        a, b = node.inputs
        return (
            unbroadcast(grad * b, a, b) if needed[0] else None,
            unbroadcast(grad * a, b, a) if needed[1] else None,
        )


class Div(BinaryOp):
    name = "div"
    symbol = "/"

    def compute(self, a, b):
        return a / b

    def gradient(self, node, grad, needed):
        a, b = node.inputs
        return (
            unbroadcast(grad / b, a, b) if needed[0] else None,
            unbroadcast(-grad * a / (b * b), b, a) if needed[1] else None,
        )


class Pow(BinaryOp):
    """a ** b; the gradient for the exponent uses log(a), so it is NaN where a < 0."""

    name = "pow"
    symbol = "**"

    def compute(self, a, b):
        return a**b

    def gradient(self, node, grad, needed):
        a, b = node.inputs
        grad_a = grad_b = None
        if needed[0]:
            grad_a = unbroadcast(grad * b * a ** (b - 1), a, b)
        if needed[1]:
            grad_b = unbroadcast(grad * node * F.log(a), b, a)
        return grad_a, grad_b


def _tie_mask(winner, loser):
    """1 where ``winner`` wins, 0.5 on ties, 0 elsewhere, in the inputs' dtype."""
    dtype = winner.dtype
    return F.cast(F.gt(winner, loser), dtype) + 0.5 * F.cast(F.eq(winner, loser), dtype)


class Maximum(BinaryOp):
    """Elementwise maximum; tied inputs each get half of the gradient."""

    name = "maximum"

    def compute(self, a, b):
        return np.maximum(a, b)

    def emit(self, args, bind):
        return f"np.maximum({args[0]}, {args[1]})"

    def gradient(self, node, grad, needed):
        a, b = node.inputs
        return (
            unbroadcast(grad * _tie_mask(a, b), a, b) if needed[0] else None,
            unbroadcast(grad * _tie_mask(b, a), b, a) if needed[1] else None,
        )


class Minimum(BinaryOp):
    """Elementwise minimum; tied inputs each get half of the gradient."""

    name = "minimum"

    def compute(self, a, b):
        return np.minimum(a, b)

    def emit(self, args, bind):
        return f"np.minimum({args[0]}, {args[1]})"

    def gradient(self, node, grad, needed):
        a, b = node.inputs
        return (
            unbroadcast(grad * _tie_mask(b, a), a, b) if needed[0] else None,
            unbroadcast(grad * _tie_mask(a, b), b, a) if needed[1] else None,
        )


class Compare(BinaryOp):
    """A comparison: bool output, no gradient."""

    def infer(self, inputs):
        return broadcast_shapes(self.name, inputs), np.dtype(bool)

    def compute(self, a, b):
        return _COMPARISONS[self.symbol](a, b)

    def gradient(self, node, grad, needed):
        return (None, None)


_COMPARISONS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne}


def _comparison(op_name, op_symbol):
    return type(op_name.capitalize(), (Compare,), {"name": op_name, "symbol": op_symbol, "__module__": __name__})


Lt = _comparison("lt", "<")
Le = _comparison("le", "<=")
Gt = _comparison("gt", ">")
Ge = _comparison("ge", ">=")
Eq = _comparison("eq", "==")
Ne = _comparison("ne", "!=")


class Where(Op):
    """where(cond, a, b): ``a`` where ``cond`` is true, else ``b``."""

    name = "where"

    def infer(self, inputs):
        return broadcast_shapes(self.name, inputs), same_dtype(self.name, inputs[1:])

    def compute(self, cond, a, b):
        return np.where(cond, a, b)

    def emit(self, args, bind):
        return f"np.where({args[0]}, {args[1]}, {args[2]})"

    def gradient(self, node, grad, needed):
        cond, a, b = node.inputs
        zero = F.zeros_like(grad)
        grad_a = F.sum_like(F.where(cond, grad, zero), a) if needed[1] else None
        grad_b = F.sum_like(F.where(cond, zero, grad), b) if needed[2] else None
        return None, grad_a, grad_b


# --- unary ---------------------------------------------------------------------


class UnaryOp(Op):
    numpy_name = None

    def infer(self, inputs):
        return inputs[0].shape, inputs[0].dtype

    def compute(self, x):
        return getattr(np, self.numpy_name)(x)

    def emit(self, args, bind):
        return f"np.{self.numpy_name}({args[0]})"


class Neg(UnaryOp):
    name = "neg"

    def compute(self, x):
        return -x

    def emit(self, args, bind):
        return f"-{args[0]}"

    def gradient(self, node, grad, needed):
        return (-grad,)


class Exp(UnaryOp):
    name = "exp"
    numpy_name = "exp"

    def gradient(self, node, grad, needed):
        return (grad * node,)


class Log(UnaryOp):
    name = "log"
    numpy_name = "log"

    def gradient(self, node, grad, needed):
        return (grad / node.inputs[0],)


class Sqrt(UnaryOp):
    name = "sqrt"
    numpy_name = "sqrt"

    def gradient(self, node, grad, needed):
        return (grad * 0.5 / node,)


class Sign(UnaryOp):
    """sign(x), with sign(0) = 0; its gradient is zero everywhere, so none is built."""

    name = "sign"
    numpy_name = "sign"

    def gradient(self, node, grad, needed):
        return (None,)


class Abs(UnaryOp):
    """|x|, with abs'(0) = 0."""

    name = "abs"
    numpy_name = "abs"

    def gradient(self, node, grad, needed):
        return (grad * F.sign(node.inputs[0]),)


class Tanh(UnaryOp):
    name = "tanh"
    numpy_name = "tanh"

    def gradient(self, node, grad, needed):
        return (grad * (1 - node * node),)


def _sigmoid(x):
    """Return 1 / (1 + exp(-x)) without overflow: exp is only taken of -|x|.

    eager uses the same formula, so both modes round alike.
    """
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype, copy=False)


class Sigmoid(UnaryOp):
    name = "sigmoid"

    def compute(self, x):
        return _sigmoid(x)

    def emit(self, args, bind):
        return f"{bind(_sigmoid, 'sigmoid')}({args[0]})"

    def gradient(self, node, grad, needed):
        return (grad * node * (1 - node),)


class Softplus(UnaryOp):
    """log(1 + exp(x)), computed without overflow; its derivative is sigmoid(x)."""

    name = "softplus"

    def compute(self, x):
        return np.logaddexp(0, x).astype(x.dtype, copy=False)

    def emit(self, args, bind):
        return f"np.logaddexp(0, {args[0]})"

    def gradient(self, node, grad, needed):
        return (grad * F.sigmoid(node.inputs[0]),)


class Relu(UnaryOp):
    """max(x, 0), with relu'(0) = 0."""

    name = "relu"

    def compute(self, x):
        return np.maximum(x, 0)

    def emit(self, args, bind):
        return f"np.maximum({args[0]}, 0)"

    def gradient(self, node, grad, needed):
        # relu(x) > 0 exactly where x > 0 (NaN compares false in both), and
        # reading the output lets the input's array die at the forward op.
        return (grad * F.cast(F.gt(node, 0), grad.dtype),)


class Clamp(UnaryOp):
    """clamp(x, min, max); the gradient passes where min <= x <= max, as in PyTorch."""

    name = "clamp"
    attributes = ("min", "max")

    def compute(self, x):
        return np.clip(x, self.min, self.max)

    def emit(self, args, bind):
        return f"np.clip({args[0]}, {self.min!r}, {self.max!r})"

    def gradient(self, node, grad, needed):
        x = node.inputs[0]
        mask = grad
        if self.min is not None:
            mask = mask * F.cast(F.ge(x, self.min), grad.dtype)
        if self.max is not None:
            mask = mask * F.cast(F.le(x, self.max), grad.dtype)
        return (mask,)


class Cast(UnaryOp):
    """Convert to ``dtype``; gradients flow back only between floating dtypes."""

    name = "cast"
    attributes = ("dtype",)

    def infer(self, inputs):
        return inputs[0].shape, self.dtype

    def compute(self, x):
        return np.asarray(x).astype(self.dtype)

    def emit(self, args, bind):
        return f"{args[0]}.astype({bind(self.dtype, self.dtype.name)})"

    def gradient(self, node, grad, needed):
        source = node.inputs[0]
        if source.dtype.kind != "f":
            return (None,)
        return (F.cast(grad, source.dtype),)


class StopGradient(UnaryOp):
    """Identity whose gradient is never propagated."""

    name = "stop_gradient"

    def compute(self, x):
        return x

    def emit(self, args, bind):
        return args[0]

    def gradient(self, node, grad, needed):
        return (None,)


class ZerosLike(UnaryOp):
    """Zeros of the input's run-time shape and dtype."""

    name = "zeros_like"

    def compute(self, x):
        return np.zeros_like(x)

    def emit(self, args, bind):
        return f"np.zeros_like({args[0]})"

    def gradient(self, node, grad, needed):
        return (None,)


class OnesLike(UnaryOp):
    """Ones of the input's run-time shape and dtype."""

    name = "ones_like"

    def compute(self, x):
        return np.ones_like(x)

    def emit(self, args, bind):
        return f"np.ones_like({args[0]})"

    def gradient(self, node, grad, needed):
        return (None,)


class Cos(UnaryOp):
    name = "cos"
    numpy_name = "cos"

    def gradient(self, node, grad, needed):
        return (-grad * F.sin(node.inputs[0]),)


class Sin(UnaryOp):
    name = "sin"
    numpy_name = "sin"

    def gradient(self, node, grad, needed):
        return (grad * F.cos(node.inputs[0]),)


class Log1p(UnaryOp):
    """log(1 + x), accurate for small x."""

    name = "log1p"
    numpy_name = "log1p"

    def gradient(self, node, grad, needed):
        return (grad / (1 + node.inputs[0]),)


class Clone(UnaryOp):
    """A copy of the input; the gradient passes unchanged."""

    name = "clone"

    def compute(self, x):
        return np.array(x, copy=True)

    def emit(self, args, bind):
        return f"np.array({args[0]}, copy=True)"

    def gradient(self, node, grad, needed):
        return (grad,)


class LogicalNot(UnaryOp):
    name = "logical_not"
    numpy_name = "logical_not"

    def infer(self, inputs):
        return inputs[0].shape, np.dtype(bool)

    def gradient(self, node, grad, needed):
        return (None,)


class Logical(BinaryOp):
    """An elementwise logical op on bool inputs; no gradient."""

    numpy_name = None

    def infer(self, inputs):
        return broadcast_shapes(self.name, inputs), np.dtype(bool)

    def compute(self, a, b):
        return getattr(np, self.numpy_name)(a, b)

    def emit(self, args, bind):
        return f"np.{self.numpy_name}({args[0]}, {args[1]})"

    def gradient(self, node, grad, needed):
        return (None, None)


class LogicalAnd(Logical):
    name = "logical_and"
    numpy_name = "logical_and"


class LogicalOr(Logical):
    name = "logical_or"
    numpy_name = "logical_or"


def _binary_cross_entropy(p, t):
    # PyTorch clamps each log term at -100 so that p = 0 or 1 gives a finite loss.
    log_p = np.maximum(np.log(p), -100.0)
    log_not_p = np.maximum(np.log1p(-p), -100.0)
    return -(t * log_p + (1.0 - t) * log_not_p)


class BinaryCrossEntropy(BinaryOp):
    """Unreduced -(t log p + (1 - t) log(1 - p)), each log clamped at -100.

    The gradient (p - t) / max(p (1 - p), 1e-12) stays finite at p = 0 and p = 1,
    where differentiating the clamped logs would give 0 * inf = NaN. PyTorch and
    eager use the same bound.
    """

    name = "binary_cross_entropy"

    def compute(self, p, t):
        return _binary_cross_entropy(p, t)

    def emit(self, args, bind):
        return f"{bind(_binary_cross_entropy, 'binary_cross_entropy')}({args[0]}, {args[1]})"

    def gradient(self, node, grad, needed):
        p, t = node.inputs
        grad_p = grad * (p - t) / F.maximum(p * (1.0 - p), 1e-12) if needed[0] else None
        grad_t = grad * (F.log(1.0 - p) - F.log(p)) if needed[1] else None
        return (unbroadcast(grad_p, p, t) if needed[0] else None, unbroadcast(grad_t, t, p) if needed[1] else None)
