"""The array namespace backward rules use when no graph is built: plain NumPy.

Its functions have the same names and arguments as those in ``eager_ops``,
so one rule serves first-order and higher-order differentiation.
"""

import math

import numpy as np

CREATES_GRAPH = False


def unbroadcast(grad, shape):
    """Sum ``grad`` over the dimensions broadcasting added or stretched, giving ``shape``.

    This is the only place where a broadcast gradient is reduced.
    """
    shape = tuple(shape)
    grad_shape = np.shape(grad)
    if grad_shape == shape:
        return grad
    lead = len(grad_shape) - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, size in enumerate(shape) if size == 1 and grad_shape[lead + i] != 1)
    if axes:
        grad = np.add.reduce(grad, axis=axes, keepdims=True)
    return np.reshape(grad, shape)


sum_to = unbroadcast


# Above this many elements expand_to returns a read-only broadcast view instead of
# filling a new array: the view costs a few microseconds more to create, but
# writing a large array costs more than that.
_MATERIALIZE_LIMIT = 4096


def expand_to(x, shape):
    """Return ``x`` broadcast to ``shape``: a new array when small, else a read-only view."""
    if math.prod(shape) > _MATERIALIZE_LIMIT:
        return np.broadcast_to(x, shape)
    out = np.empty(shape, dtype=np.result_type(x))
    out[...] = x
    return out


def sum(x, dim=None, keepdim=False):  # noqa: A001 - mirrors the op name
    return np.add.reduce(x, axis=dim, keepdims=keepdim)


def reshape(x, shape):
    return np.reshape(x, shape)


def transpose(x, dim0, dim1):
    return np.swapaxes(x, dim0, dim1)


def permute(x, dims):
    return np.transpose(x, dims)


def where(condition, x, y):
    return np.where(condition, x, y)


def matmul(a, b):
    return np.matmul(a, b)


def cast(x, dtype):
    return np.asarray(x).astype(dtype, copy=False)


def getitem(x, index):
    return x[index]


def index_scatter(grad, shape, index, accumulate):
    """Return zeros of ``shape`` with ``grad`` added at ``index`` (repeats add up)."""
    out = np.zeros(shape, dtype=np.result_type(grad))
    if accumulate:
        np.add.at(out, index, grad)
    else:
        out[index] = grad
    return out


def value(x):
    return x


exp = np.exp
log = np.log
sqrt = np.sqrt
tanh = np.tanh
maximum = np.maximum
sin = np.sin
cos = np.cos


def sigmoid(x):
    from eager.ops.elementwise import sigmoid_kernel

    return sigmoid_kernel(np.asarray(x))
