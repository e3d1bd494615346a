"""Elementwise ops: forward kernels and vector-Jacobian products side by side.

A binary op has one rule ``vjp(ops, grad, a, b, out)`` per input and a
unary op one rule ``vjp(ops, grad, a, out, attrs)``. A rule returns its
input's gradient at the broadcast shape, and ``unbroadcast`` in the node
reduces it to the input's shape. ``ops`` is NumPy, or ``eager`` itself when the backward pass builds a
graph (``create_graph=True``), so the rules are written with operators and
``ops.*`` calls that both provide. Masks are computed on plain arrays
(``ops.value``) because they are constants of the rule.

Conventions at kinks and ties: ``relu'(0) = 0``, ``abs'(0) = 0``,
``clamp`` passes the gradient where ``min <= x <= max``, and
``maximum``/``minimum`` give each input half of the gradient where they tie.
"""

import numpy as np

from eager import dtypes
from eager.autograd.function import Node, make_node_class
from eager.autograd.grad_mode import GradMode
from eager.errors import InvalidArgumentError
from eager.ops.core import NO_EDGE, attach, edge, operand, record, save_output, shape_error
from eager.tensor import Tensor

_FLOAT64 = dtypes.float64


def fit_gradient(ops, grad, shape, dtype):
    """Reduce a broadcast gradient to ``shape`` and cast it to ``dtype``."""
    if grad.shape != shape:
        grad = ops.unbroadcast(grad, shape)
    if grad.dtype != dtype:
        grad = ops.cast(grad, dtype)
    return grad


# ----- binary ops ------------------------------------------------------------------------


def _tie_split(a, b, first_wins):
    """Return the share of the gradient that goes to ``a``: 1, 0, or 0.5 where a == b."""
    share = first_wins(a, b).astype(np.result_type(a, b, np.float32))
    share += 0.5 * (a == b)
    return share


def _maximum_input_grad(ops, g, a, b, out):
    return g * _tie_split(ops.value(a), ops.value(b), np.greater)


def _maximum_other_grad(ops, g, a, b, out):
    return g * (1.0 - _tie_split(ops.value(a), ops.value(b), np.greater))


def _minimum_input_grad(ops, g, a, b, out):
    return g * _tie_split(ops.value(a), ops.value(b), np.less)


def _minimum_other_grad(ops, g, a, b, out):
    return g * (1.0 - _tie_split(ops.value(a), ops.value(b), np.less))


def _pow_exponent_grad(ops, g, a, b, out):
    """d(a**b)/db = a**b * log(a), taken as 0 where a <= 0."""
    positive = ops.value(a) > 0
    log_a = ops.log(ops.where(positive, a, 1.0))
    return ops.where(positive, g * out * log_a, 0.0)


def _divide(a, b):
    out = np.true_divide(a, b)
    if out.dtype == _FLOAT64 and np.result_type(a, b).kind != "f":
        out = out.astype(dtypes.float32)
    return out


# Each input has its own rule ``vjp(ops, g, a, b, out)`` and the saved values it reads
# ("a" input, "b" other, "o" output). Only the rules of inputs that require grad run,
# and only the values they read are saved, as PyTorch does.
#  name  grad_fn  forward  gradient of input, reads
#                          gradient of other, reads
BINARY = [
    ("add", "AddBackward0", np.add, lambda ops, g, a, b, out: g, "",
     lambda ops, g, a, b, out: g, ""),
    ("sub", "SubBackward0", np.subtract, lambda ops, g, a, b, out: g, "",
     lambda ops, g, a, b, out: -g, ""),
    ("mul", "MulBackward0", np.multiply, lambda ops, g, a, b, out: g * b, "b",
     lambda ops, g, a, b, out: g * a, "a"),
    ("div", "DivBackward0", _divide, lambda ops, g, a, b, out: g / b, "b",
     lambda ops, g, a, b, out: -g * a / (b * b), "ab"),
    ("pow", "PowBackward1", np.power, lambda ops, g, a, b, out: g * b * a ** (b - 1), "ab",
     _pow_exponent_grad, "ao"),
    ("maximum", "MaximumBackward0", np.maximum, _maximum_input_grad, "ab", _maximum_other_grad, "ab"),
    ("minimum", "MinimumBackward0", np.minimum, _minimum_input_grad, "ab", _minimum_other_grad, "ab"),
]


_NOTHING_SAVED = (None, None, None)
_NO_GRADIENT = ((), None)


class BinaryNode(Node):
    """Node of a two-input elementwise op.

    ``attrs`` is (shape, dtype) of each input, or ``((), None)`` for an input
    that needs no gradient.
    """

    INPUT_READS = ""
    OTHER_READS = ""
    SAVES = ""

    def apply(self, ops, grad):
        a, b, out = self.unpack(ops) if self.SAVES else _NOTHING_SAVED
        (node_a, _), (node_b, _) = self.next_functions
        shape_a, dtype_a, shape_b, dtype_b = self.attrs
        grad_a = grad_b = None
        if node_a is not None:
            grad_a = fit_gradient(ops, self.input_vjp(ops, grad, a, b, out), shape_a, dtype_a)
        if node_b is not None:
            grad_b = fit_gradient(ops, self.other_vjp(ops, grad, a, b, out), shape_b, dtype_b)
        return grad_a, grad_b


def _record_binary(node_class, result, input, other, a, b, input_needs_grad, other_needs_grad):
    """Record ``node_class`` for ``result``, saving only what the rules of the needed gradients read."""
    reads = node_class.INPUT_READS if input_needs_grad else ""
    if other_needs_grad:
        reads += node_class.OTHER_READS
    saved = ()
    if reads:
        first = input if isinstance(input, Tensor) else a
        second = other if isinstance(other, Tensor) else b
        saved = (first if "a" in reads else None,
                 second if "b" in reads else None,
                 save_output(result) if "o" in reads else None)
    next_functions = (edge(input) if input_needs_grad else NO_EDGE,
                      edge(other) if other_needs_grad else NO_EDGE)
    # Only an input that requires grad is a tensor whose shape and dtype the gradient must match.
    attrs = (((a.shape, a.dtype) if input_needs_grad else _NO_GRADIENT)
             + ((b.shape, b.dtype) if other_needs_grad else _NO_GRADIENT))
    attach(node_class(next_functions, saved, attrs), result)


def _shape_and_dtype(operand_value):
    """Return (shape, dtype) of an operand array; a Python scalar, which gets no gradient,
    gives ((), None)."""
    if type(operand_value) is np.ndarray:
        return operand_value.shape, operand_value.dtype
    return (), None


def _make_binary(name, node_name, forward, input_vjp, input_reads, other_vjp, other_reads):
    node_class = make_node_class(
        node_name, BinaryNode, input_vjp=staticmethod(input_vjp), INPUT_READS=input_reads,
        other_vjp=staticmethod(other_vjp), OTHER_READS=other_reads, SAVES=input_reads + other_reads)

    def op(input, other):
        input_needs_grad = other_needs_grad = False
        if isinstance(input, Tensor):
            a = input._data
            input_needs_grad = input._requires_grad
        else:
            a = operand(input, name)
        if isinstance(other, Tensor):
            b = other._data
            other_needs_grad = other._requires_grad
        else:
            b = operand(other, name)
        try:
            out = forward(a, b)
        except ValueError as error:
            raise shape_error(name, (np.shape(a), np.shape(b)), error) from None
        if type(out) is not np.ndarray:
            out = np.asarray(out)
        result = Tensor._wrap(_promote(out, a, b))
        if (input_needs_grad or other_needs_grad) and GradMode.enabled:
            _record_binary(node_class, result, input, other, a, b, input_needs_grad, other_needs_grad)
        return result

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Return ``{name}(input, other)`` elementwise with NumPy broadcasting."
    return op, node_class


_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}


def tensor_promotion(out, a, b):
    """Give ``out`` the dtype PyTorch picks for tensors of dtypes that differ.

    Between categories (bool < integer < floating) the higher one's dtype
    wins, so int64 with float32 is float32 where NumPy gives float64. A 0-d
    tensor does not widen a dimensioned tensor of the same category
    (float32 tensor * float64 0-d tensor is float32). Otherwise NumPy's
    promotion applies.
    """
    category_a = _CATEGORY[a.dtype.kind]
    category_b = _CATEGORY[b.dtype.kind]
    if category_a != category_b:
        target = a.dtype if category_a > category_b else b.dtype
    elif (a.ndim == 0) != (b.ndim == 0):
        target = b.dtype if a.ndim == 0 else a.dtype
    else:
        return out
    return out if out.dtype == target else out.astype(target)


def _scalar_promotion(out, a, b):
    """Give an integer tensor combined with a Python float float32, as PyTorch does."""
    array = a if type(b) is float else b
    if np.result_type(array).kind in "iub":
        return out.astype(dtypes.float32)
    return out


add, AddBackward0 = _make_binary(*BINARY[0])
sub, SubBackward0 = _make_binary(*BINARY[1])
mul, MulBackward0 = _make_binary(*BINARY[2])
div, DivBackward0 = _make_binary(*BINARY[3])
_pow_tensor, PowBackward1 = _make_binary(*BINARY[4])
maximum, MaximumBackward0 = _make_binary(*BINARY[5])
minimum, MinimumBackward0 = _make_binary(*BINARY[6])

subtract = sub
multiply = mul
divide = true_divide = div


def _promote(out, a, b):
    """Return ``out`` in PyTorch's result dtype for operands ``a`` and ``b``, where NumPy's differs."""
    if type(a) is np.ndarray and type(b) is np.ndarray:
        if a.dtype is not b.dtype:
            return tensor_promotion(out, a, b)
    elif out.dtype == _FLOAT64 and (type(a) is float or type(b) is float):
        return _scalar_promotion(out, a, b)
    return out


# ----- unary ops ---------------------------------------------------------------------------


def relu_kernel(x):
    # A Python 0 does not promote (NumPy 2 treats it as weakly typed), so the dtype is kept.
    return np.maximum(x, 0)


def sigmoid_kernel(x):
    """Return 1 / (1 + exp(-x)) without overflow: exp is only taken of -|x|."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype, copy=False)


def _abs_vjp(ops, g, a, out, attrs):
    return g * np.sign(ops.value(a))


def _relu_vjp(ops, g, a, out, attrs):
    # ``out > 0`` is a constant mask for both backends (a bool tensor has no grad_fn).
    return g * (out > 0)


def _pow_scalar_vjp(ops, g, a, out, exponent):
    if exponent == 0:
        return g * 0.0
    return g * exponent * a ** (exponent - 1)


def _clamp_vjp(ops, g, a, out, bounds):
    low, high = bounds
    values = ops.value(a)
    inside = np.ones(values.shape, dtype=bool)
    if low is not None:
        inside &= values >= low
    if high is not None:
        inside &= values <= high
    return g * inside


#  name        grad_fn             forward          vjp(ops, g, a, out, attrs)            saves float
UNARY = [
    ("neg", "NegBackward0", np.negative, lambda ops, g, a, out, attrs: -g, "", False),
    ("exp", "ExpBackward0", np.exp, lambda ops, g, a, out, attrs: g * out, "o", True),
    ("log", "LogBackward0", np.log, lambda ops, g, a, out, attrs: g / a, "a", True),
    ("sqrt", "SqrtBackward0", np.sqrt, lambda ops, g, a, out, attrs: g / (2.0 * out), "o", True),
    ("abs", "AbsBackward0", np.abs, _abs_vjp, "a", False),
    ("tanh", "TanhBackward0", np.tanh, lambda ops, g, a, out, attrs: g * (1.0 - out * out), "o", True),
    ("sigmoid", "SigmoidBackward0", sigmoid_kernel,
     lambda ops, g, a, out, attrs: g * out * (1.0 - out), "o", True),
    ("relu", "ReluBackward0", relu_kernel, _relu_vjp, "o", False),
    ("sin", "SinBackward0", np.sin, lambda ops, g, a, out, attrs: g * ops.cos(a), "a", True),
    ("cos", "CosBackward0", np.cos, lambda ops, g, a, out, attrs: -g * ops.sin(a), "a", True),
    ("log1p", "Log1PBackward0", np.log1p, lambda ops, g, a, out, attrs: g / (1.0 + a), "a", True),
]


class UnaryNode(Node):
    """Node of a one-input elementwise op; ``attrs`` contains the op's parameters."""

    SAVES = ""

    def apply(self, ops, grad):
        a, out = self.unpack(ops) if self.SAVES else (None, None)
        return (self.vjp(ops, grad, a, out, self.attrs),)


def _record_unary(node_class, result, input, attrs):
    saves = node_class.SAVES
    edges = (edge(input),)
    if saves == "o":
        counter = result._version_counter = [0]
        node = node_class.with_saved_output(edges, result._data, counter, attrs)
    elif saves == "a":
        node = node_class.with_saved_input(edges, input, attrs)
    else:
        saved = (input if "a" in saves else None, save_output(result) if "o" in saves else None)
        node = node_class(edges, saved if saves else (), attrs)
    attach(node, result)


def _make_unary(name, node_name, forward, vjp, saves, needs_float):
    node_class = make_node_class(node_name, UnaryNode, vjp=staticmethod(vjp), SAVES=saves)

    def op(input):
        if not isinstance(input, Tensor):
            input = Tensor._wrap(operand_array(input, name))
        data = input._data
        if needs_float and data.dtype.kind != "f":
            data = data.astype(dtypes.float32)
        out = forward(data)
        if type(out) is not np.ndarray:
            out = np.asarray(out)
        result = Tensor._wrap(out)
        if input._requires_grad and GradMode.enabled:
            _record_unary(node_class, result, input, None)
        return result

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Return ``{name}(input)`` elementwise."
    return op, node_class


def operand_array(value, op_name="op"):
    data = operand(value, op_name)
    return data if isinstance(data, np.ndarray) else np.asarray(data, dtype=dtypes.infer_dtype(data))


neg, NegBackward0 = _make_unary(*UNARY[0])
exp, ExpBackward0 = _make_unary(*UNARY[1])
log, LogBackward0 = _make_unary(*UNARY[2])
sqrt, SqrtBackward0 = _make_unary(*UNARY[3])
abs, AbsBackward0 = _make_unary(*UNARY[4])  # noqa: A001 - mirrors torch.abs
tanh, TanhBackward0 = _make_unary(*UNARY[5])
sigmoid, SigmoidBackward0 = _make_unary(*UNARY[6])
relu, ReluBackward0 = _make_unary(*UNARY[7])
sin, SinBackward0 = _make_unary(*UNARY[8])
cos, CosBackward0 = _make_unary(*UNARY[9])
log1p, Log1PBackward0 = _make_unary(*UNARY[10])
negative = neg

PowBackward0 = make_node_class("PowBackward0", UnaryNode, vjp=staticmethod(_pow_scalar_vjp), SAVES="a")
ClampBackward1 = make_node_class("ClampBackward1", UnaryNode, vjp=staticmethod(_clamp_vjp), SAVES="a")


def pow(input, exponent):  # noqa: A001 - mirrors torch.pow
    """Return ``input ** exponent``; a Python-number exponent records ``PowBackward0``."""
    if isinstance(exponent, int | float) and isinstance(input, Tensor):
        data = input._data
        if isinstance(exponent, float) and data.dtype.kind != "f":
            data = data.astype(dtypes.float32)
        result = Tensor._wrap(np.asarray(np.power(data, exponent)))
        if input._requires_grad and GradMode.enabled:
            _record_unary(PowBackward0, result, input, exponent)
        return result
    return _pow_tensor(input, exponent)


def clamp(input, min=None, max=None):  # noqa: A002 - PyTorch's argument names
    """Clamp ``input`` to ``[min, max]``; the gradient passes where ``min <= x <= max``."""
    if min is None and max is None:
        raise InvalidArgumentError("clamp: at least one of min and max must be given")
    if not isinstance(input, Tensor):
        input = Tensor._wrap(operand_array(input, "clamp"))
    out = np.clip(input._data, min, max)
    result = Tensor._wrap(np.asarray(out))
    if input._requires_grad and GradMode.enabled:
        _record_unary(ClampBackward1, result, input, (min, max))
    return result


clip = clamp


class WhereBackward0(BinaryNode):
    """Node of ``where(condition, a, b)``; the condition is a constant of the rule."""


    def apply(self, ops, grad):
        condition = self.attrs[4]
        grad_a = ops.where(condition, grad, 0.0)
        grad_b = ops.where(condition, 0.0, grad)
        (node_a, _), (node_b, _) = self.next_functions
        shape_a, dtype_a, shape_b, dtype_b = self.attrs[:4]
        return (fit_gradient(ops, grad_a, shape_a, dtype_a) if node_a is not None else None,
                fit_gradient(ops, grad_b, shape_b, dtype_b) if node_b is not None else None)


def where(condition, input, other):
    """Return elements of ``input`` where ``condition`` is true and of ``other`` elsewhere."""
    mask = np.asarray(condition._data if isinstance(condition, Tensor) else condition, dtype=bool)
    a = operand(input, "where")
    b = operand(other, "where")
    try:
        out = np.where(mask, a, b)
    except ValueError as error:
        raise shape_error("where", (mask.shape, np.shape(a), np.shape(b)), error) from None
    result = Tensor._wrap(_promote(out, a, b))
    if GradMode.enabled and (
            (isinstance(input, Tensor) and input._requires_grad)
            or (isinstance(other, Tensor) and other._requires_grad)):
        attrs = _shape_and_dtype(a) + _shape_and_dtype(b) + (mask,)
        record(WhereBackward0, result, (input, other), (), attrs)
    return result


# ----- comparisons (no gradient) -----------------------------------------------------------


def _make_comparison(name, forward):
    def op(input, other):
        if other is None:
            # ``x == None`` is an identity question in Python; answer it like object equality.
            return name == "ne"
        a = operand(input, name)
        b = operand(other, name)
        try:
            return Tensor._wrap(np.asarray(forward(a, b)))
        except ValueError as error:
            raise shape_error(name, (np.shape(a), np.shape(b)), error) from None

    op.__name__ = op.__qualname__ = name
    return op


eq = _make_comparison("eq", np.equal)
ne = _make_comparison("ne", np.not_equal)
lt = _make_comparison("lt", np.less)
le = _make_comparison("le", np.less_equal)
gt = _make_comparison("gt", np.greater)
ge = _make_comparison("ge", np.greater_equal)
logical_and = _make_comparison("logical_and", np.logical_and)
logical_or = _make_comparison("logical_or", np.logical_or)
