"""Tensor-style methods of ``Node`` (``x.view(-1, 4)``, ``x.float()``, ...), installed from one table.

They mirror the methods of ``eager.Tensor`` so that one model body runs in either
package. In-place methods (``add_``, ``zero_``, ...) are absent because a graph
node's value never changes after it is computed; write ``x = x + y`` instead.
"""

import numpy as np

from . import dtypes
from .ops import compat as C
from .ops import functional as F


def _shape_arguments(shape):
    return shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape


def _reshape(self, *shape):
    return F.reshape(self, _shape_arguments(shape))


def _permute(self, *dims):
    return F.permute(self, _shape_arguments(dims))


def _expand(self, *sizes):
    return F.expand(self, *_shape_arguments(sizes))


def _to(self, dtype):
    return F.cast(self, np.dtype(dtype))


def _size(self, dim=None):
    """Return the static shape, or one dim of it (None where it is known only at run time)."""
    return self.shape if dim is None else self.shape[dim]


METHODS = {
    # arithmetic
    "add": F.add, "sub": F.sub, "mul": F.mul, "div": F.div, "pow": F.pow, "neg": F.neg,
    "exp": F.exp, "log": F.log, "sqrt": F.sqrt, "abs": F.abs, "tanh": F.tanh,
    "sigmoid": F.sigmoid, "relu": F.relu, "sin": F.sin, "cos": F.cos, "log1p": F.log1p,
    "clamp": F.clamp, "clip": F.clamp, "maximum": F.maximum, "minimum": F.minimum,
    "matmul": F.matmul, "mm": C.mm,
    "where": lambda self, condition, other: F.where(condition, self, other),
    # reductions
    "sum": F.sum, "mean": F.mean, "max": F.max, "min": F.min, "amax": C.amax, "amin": C.amin,
    "argmax": F.argmax, "argmin": C.argmin, "logsumexp": F.logsumexp, "all": C.all, "any": C.any,
    "softmax": F.softmax, "log_softmax": F.log_softmax,
    # shapes
    "reshape": _reshape, "view": _reshape, "flatten": C.flatten, "transpose": F.transpose,
    "permute": _permute, "squeeze": F.squeeze, "unsqueeze": F.unsqueeze, "expand": _expand,
    "expand_as": C.expand_as, "sum_to_size": C.sum_to_size, "t": C.t, "clone": C.clone,
    "contiguous": lambda self: self,
    "view_as": lambda self, other: F.reshape_like(self, other),
    "reshape_as": lambda self, other: F.reshape_like(self, other),
    "size": _size, "dim": lambda self: self.ndim,
    # dtypes
    "to": _to, "astype": _to, "type_as": lambda self, other: F.cast(self, other.dtype),
    "double": lambda self: F.cast(self, dtypes.float64),
    "float": lambda self: F.cast(self, dtypes.float32),
    "long": lambda self: F.cast(self, dtypes.int64),
    "int": lambda self: F.cast(self, dtypes.int32),
    "bool": lambda self: F.cast(self, dtypes.bool),
    "is_floating_point": lambda self: dtypes.is_floating(self.dtype),
    # comparisons and logic (== and != on nodes compare identity; use eq and ne)
    "eq": F.eq, "ne": F.ne, "lt": F.lt, "le": F.le, "gt": F.gt, "ge": F.ge,
    "__and__": C.logical_and, "__or__": C.logical_or, "__invert__": C.logical_not,
}


def install(node_class):
    """Set every entry of ``METHODS`` on ``node_class``, plus the ``mT`` property."""
    for name, function in METHODS.items():
        setattr(node_class, name, function)
    node_class.mT = property(lambda self: F.transpose(self, -2, -1))
