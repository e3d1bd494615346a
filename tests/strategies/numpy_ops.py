"""NumPy reference implementations of the shared functional names.

``NUMPY`` is a namespace with the same functions, argument order and
PyTorch semantics as ``eager`` and ``staticgraph``, computed directly in
float64 NumPy. The op specs call it to get expected values and the program
strategy calls it to check domains while it draws a program.
"""

from collections import namedtuple

import numpy as np

ValuesIndices = namedtuple("ValuesIndices", ["values", "indices"])


def _reduce(function, x, dim, keepdim):
    return np.asarray(function(x, axis=dim, keepdims=keepdim))


def _select(reducer, arg_reducer, x, dim, keepdim):
    if dim is None:
        return np.asarray(reducer(x))
    values = reducer(x, axis=dim, keepdims=keepdim)
    indices = arg_reducer(x, axis=dim, keepdims=keepdim)
    return ValuesIndices(np.asarray(values), np.asarray(indices))


def _apply_reduction(loss, reduction):
    if reduction == "mean":
        return np.asarray(loss.mean())
    if reduction == "sum":
        return np.asarray(loss.sum())
    return loss


class NumpyOps:
    """The shared op set in NumPy; ``constant`` passes arrays through."""

    name = "numpy"
    float64 = np.dtype(np.float64)

    @staticmethod
    def constant(array):
        return np.asarray(array)

    add = staticmethod(np.add)
    sub = staticmethod(np.subtract)
    mul = staticmethod(np.multiply)
    div = staticmethod(np.true_divide)
    neg = staticmethod(np.negative)
    pow = staticmethod(np.power)
    matmul = staticmethod(np.matmul)
    exp = staticmethod(np.exp)
    log = staticmethod(np.log)
    sqrt = staticmethod(np.sqrt)
    abs = staticmethod(np.abs)
    tanh = staticmethod(np.tanh)
    maximum = staticmethod(np.maximum)
    minimum = staticmethod(np.minimum)
    where = staticmethod(np.where)
    reshape = staticmethod(np.reshape)
    transpose = staticmethod(np.swapaxes)
    permute = staticmethod(np.transpose)
    unsqueeze = staticmethod(np.expand_dims)

    @staticmethod
    def sigmoid(x):
        return 1.0 / (1.0 + np.exp(-x))

    @staticmethod
    def relu(x):
        return np.maximum(x, 0.0)

    @staticmethod
    def clamp(x, min=None, max=None):
        result = np.asarray(x)
        if min is not None:
            result = np.maximum(result, min)
        if max is not None:
            result = np.minimum(result, max)
        return result

    @staticmethod
    def sum(x, dim=None, keepdim=False):
        return _reduce(np.sum, x, dim, keepdim)

    @staticmethod
    def mean(x, dim=None, keepdim=False):
        return _reduce(np.mean, x, dim, keepdim)

    @staticmethod
    def max(x, dim=None, keepdim=False):
        return _select(np.max, np.argmax, x, dim, keepdim)

    @staticmethod
    def min(x, dim=None, keepdim=False):
        return _select(np.min, np.argmin, x, dim, keepdim)

    @staticmethod
    def squeeze(x, dim=None):
        """Drop size-1 dims; like PyTorch, a ``dim`` whose size is not 1 is left alone."""
        x = np.asarray(x)
        if dim is None:
            return np.squeeze(x)
        return np.squeeze(x, axis=dim) if x.ndim and x.shape[dim] == 1 else x

    @staticmethod
    def expand(x, *sizes):
        """Broadcast to ``sizes``; ``-1`` keeps the existing size of that dim."""
        x = np.asarray(x)
        offset = len(sizes) - x.ndim
        target = [x.shape[i - offset] if size == -1 else size for i, size in enumerate(sizes)]
        return np.broadcast_to(x, tuple(target))

    @staticmethod
    def cat(seq, dim=0):
        return np.concatenate(seq, axis=dim)

    @staticmethod
    def stack(seq, dim=0):
        return np.stack(seq, axis=dim)

    @staticmethod
    def logsumexp(x, dim, keepdim=False):
        shift = np.max(x, axis=dim, keepdims=True)
        result = np.log(np.sum(np.exp(x - shift), axis=dim, keepdims=True)) + shift
        return result if keepdim else np.squeeze(result, axis=dim)

    @staticmethod
    def log_softmax(x, dim=-1):
        return x - NumpyOps.logsumexp(x, dim, keepdim=True)

    @staticmethod
    def softmax(x, dim=-1):
        return np.exp(NumpyOps.log_softmax(x, dim))

    @staticmethod
    def mse_loss(input, target, reduction="mean"):
        return _apply_reduction((input - target) ** 2, reduction)

    @staticmethod
    def binary_cross_entropy(input, target, reduction="mean"):
        loss = -(target * np.log(input) + (1 - target) * np.log(1 - input))
        return _apply_reduction(loss, reduction)

    @staticmethod
    def binary_cross_entropy_with_logits(input, target, reduction="mean"):
        loss = np.maximum(input, 0) - input * target + np.log1p(np.exp(-np.abs(input)))
        return _apply_reduction(loss, reduction)

    @staticmethod
    def cross_entropy(input, target, reduction="mean"):
        """Class-index targets: ``input`` is (N, C), ``target`` is (N,) int64."""
        log_probs = NumpyOps.log_softmax(input, dim=1)
        loss = -log_probs[np.arange(len(target)), target]
        return _apply_reduction(loss, reduction)


NUMPY = NumpyOps()
