"""Attach the op methods and operators to ``Tensor`` (``x + y``, ``x.sum()``, ``x.add_(y)``)."""

import numpy as np

from eager import dtypes
from eager.ops import elementwise as ew
from eager.ops import functional as F
from eager.ops import inplace
from eager.ops.core import as_tensor
from eager.tensor import Tensor
from eager.errors import InvalidArgumentError


def _reversed(op):
    def method(self, other):
        return op(other, self)

    return method


def _to(self, *args, **kwargs):
    """Return the tensor converted to a dtype (devices other than "cpu" are rejected)."""
    dtype = kwargs.get("dtype")
    for arg in args:
        if isinstance(arg, Tensor):
            dtype = arg.dtype
        elif isinstance(arg, str):
            if arg != "cpu":
                raise InvalidArgumentError(f"to({arg!r}): eager runs on NumPy and only supports device 'cpu'")
        elif arg is not None:
            dtype = arg
    return self if dtype is None else F.to_dtype(self, dtype)


def _max(self, dim=None, keepdim=False):
    return F.max(self, dim, keepdim)


def _min(self, dim=None, keepdim=False):
    return F.min(self, dim, keepdim)


def _view_shape(self, *shape):
    return F.reshape(self, *shape)


def _expand(self, *sizes):
    return F.expand(self, *sizes)


def _permute(self, *dims):
    return F.permute(self, *dims)


def _matrix_transpose(self):
    return F.permute(self, tuple(range(self.ndim))[::-1]) if self.ndim != 2 else F.transpose(self, 0, 1)


METHODS = {
    # arithmetic
    "add": F.add, "sub": F.sub, "mul": F.mul, "div": F.div, "pow": F.pow, "neg": F.neg,
    "exp": F.exp, "log": F.log, "sqrt": F.sqrt, "abs": F.abs, "tanh": F.tanh,
    "sigmoid": F.sigmoid, "relu": F.relu, "sin": F.sin, "cos": F.cos, "log1p": F.log1p,
    "clamp": F.clamp, "clip": F.clamp, "maximum": F.maximum, "minimum": F.minimum,
    "matmul": F.matmul, "mm": F.matmul,
    "where": lambda self, condition, other: F.where(condition, self, other),
    # reductions
    "sum": F.sum, "mean": F.mean, "max": _max, "min": _min, "amax": F.amax, "amin": F.amin,
    "argmax": F.argmax, "argmin": F.argmin, "logsumexp": F.logsumexp, "all": F.all, "any": F.any,
    "var": F.var, "std": F.std,
    "softmax": F.softmax, "log_softmax": F.log_softmax,
    # shapes
    "reshape": _view_shape, "view": _view_shape, "flatten": F.flatten, "transpose": F.transpose,
    "permute": _permute, "squeeze": F.squeeze, "unsqueeze": F.unsqueeze, "expand": _expand,
    "expand_as": F.expand_as, "sum_to_size": F.sum_to_size, "t": F.t, "clone": F.clone,
    "contiguous": lambda self: self,
    "view_as": lambda self, other: F.reshape(self, as_tensor(other).shape),
    "reshape_as": lambda self, other: F.reshape(self, as_tensor(other).shape),
    # dtypes
    "to": _to, "type_as": lambda self, other: F.to_dtype(self, other.dtype),
    "double": lambda self: F.to_dtype(self, dtypes.float64),
    "float": lambda self: F.to_dtype(self, dtypes.float32),
    "long": lambda self: F.to_dtype(self, dtypes.int64),
    "int": lambda self: F.to_dtype(self, dtypes.int32),
    "bool": lambda self: F.to_dtype(self, dtypes.bool),
    "is_floating_point": lambda self: dtypes.is_floating(self.dtype),
    # comparisons
    "eq": F.eq, "ne": F.ne, "lt": F.lt, "le": F.le, "gt": F.gt, "ge": F.ge,
    "equal": lambda self, other: bool(np.array_equal(self._data, as_tensor(other)._data)),
    "allclose": lambda self, other, rtol=1e-5, atol=1e-8: bool(
        np.allclose(self._data, as_tensor(other)._data, rtol=rtol, atol=atol)),
    # in place
    "add_": inplace._binary_inplace(F.add, "add_"), "sub_": inplace._binary_inplace(F.sub, "sub_"),
    "mul_": inplace._binary_inplace(F.mul, "mul_"), "div_": inplace._binary_inplace(F.div, "div_"),
    "pow_": inplace._binary_inplace(F.pow, "pow_"),
    "neg_": inplace._unary_inplace(F.neg, "neg_"), "exp_": inplace._unary_inplace(F.exp, "exp_"),
    "log_": inplace._unary_inplace(F.log, "log_"), "sqrt_": inplace._unary_inplace(F.sqrt, "sqrt_"),
    "abs_": inplace._unary_inplace(F.abs, "abs_"), "tanh_": inplace._unary_inplace(F.tanh, "tanh_"),
    "sigmoid_": inplace._unary_inplace(F.sigmoid, "sigmoid_"),
    "relu_": inplace._unary_inplace(F.relu, "relu_"),
    "clamp_": inplace._unary_inplace(F.clamp, "clamp_"),
    "zero_": inplace.zero_, "fill_": inplace.fill_, "copy_": inplace.copy_,
    "uniform_": inplace.uniform_, "normal_": inplace.normal_,
}

OPERATORS = {
    "__add__": F.add, "__radd__": _reversed(F.add),
    "__sub__": F.sub, "__rsub__": _reversed(F.sub),
    "__mul__": F.mul, "__rmul__": _reversed(F.mul),
    "__truediv__": F.div, "__rtruediv__": _reversed(F.div),
    "__matmul__": F.matmul, "__rmatmul__": _reversed(F.matmul),
    "__pow__": F.pow, "__rpow__": _reversed(ew._pow_tensor),
    "__neg__": F.neg, "__abs__": F.abs, "__pos__": lambda self: self,
    "__eq__": F.eq, "__ne__": F.ne, "__lt__": F.lt, "__le__": F.le, "__gt__": F.gt,
    "__ge__": F.ge,
    "__and__": F.logical_and, "__or__": F.logical_or,
    "__invert__": lambda self: Tensor._wrap(np.logical_not(self._data)),
    "__getitem__": F.getitem, "__setitem__": inplace.setitem,
    "__iadd__": METHODS["add_"], "__isub__": METHODS["sub_"], "__imul__": METHODS["mul_"],
    "__itruediv__": METHODS["div_"],
}


def install():
    """Set every entry of ``METHODS`` and ``OPERATORS`` on ``Tensor``."""
    for name, function in {**METHODS, **OPERATORS}.items():
        setattr(Tensor, name, function)
    Tensor.T = property(_matrix_transpose)
    Tensor.mT = property(lambda self: F.transpose(self, -2, -1))
    Tensor.__hash__ = lambda self: id(self)


install()
