"""Reductions: forward kernels and vector-Jacobian products side by side.

``max``/``min`` give every tied element an equal share of the gradient,
with and without ``dim``, so the gradient of a reduction sums to one.
(PyTorch does this only without ``dim``; with ``dim`` it sends the whole
gradient to the returned index.)
"""

import collections

import numpy as np

from eager import dtypes
from eager.autograd.function import Node, make_node_class
from eager.autograd.grad_mode import GradMode
from eager.errors import DTypeError, InvalidArgumentError
from eager.ops.core import as_tensor, normalize_dims, record, save_output
from eager.tensor import Tensor

ReductionResult = collections.namedtuple("ReductionResult", ["values", "indices"])


def kept_shape(shape, axes):
    """Return ``shape`` with the reduced ``axes`` set to 1 (all of them when ``axes`` is None)."""
    if axes is None:
        return (1,) * len(shape)
    return tuple(1 if i in axes else size for i, size in enumerate(shape))


def expand_back(ops, grad, shape, axes, keepdim):
    """Broadcast the gradient of a reduction back to the input ``shape``."""
    if not keepdim and axes is not None:
        grad = ops.reshape(grad, kept_shape(shape, axes))
    return ops.expand_to(grad, shape)


def _count(shape, axes):
    if axes is None:
        return int(np.prod(shape, dtype=np.int64))
    return int(np.prod([shape[i] for i in axes], dtype=np.int64))


def _tie_share(a, out, axes, keepdim):
    """Return the fraction of the gradient each element receives: 1/k for k tied extremes."""
    extremes = out if keepdim else np.reshape(out, kept_shape(a.shape, axes))
    mask = (a == extremes).astype(np.result_type(a.dtype, np.float32))
    mask /= np.sum(mask, axis=axes, keepdims=True)
    return mask


def _sum_vjp(ops, g, a, out, attrs):
    shape, axes, keepdim = attrs
    return expand_back(ops, g, shape, axes, keepdim)


def _mean_vjp(ops, g, a, out, attrs):
    shape, axes, keepdim = attrs
    return expand_back(ops, g, shape, axes, keepdim) / _count(shape, axes)


def _extreme_vjp(ops, g, a, out, attrs):
    shape, axes, keepdim = attrs
    share = _tie_share(ops.value(a), ops.value(out), axes, keepdim)
    return expand_back(ops, g, shape, axes, keepdim) * share


def _logsumexp_vjp(ops, g, a, out, attrs):
    shape, axes, keepdim = attrs
    out_kept = out if keepdim else ops.reshape(out, kept_shape(shape, axes))
    return expand_back(ops, g, shape, axes, keepdim) * ops.exp(a - out_kept)


def _logsumexp_kernel(a, axis, keepdims):
    """Return log(sum(exp(a))) computed as m + log(sum(exp(a - m))), m the finite max."""
    peak = np.max(a, axis=axis, keepdims=True)
    peak = np.where(np.isfinite(peak), peak, 0.0).astype(a.dtype, copy=False)
    total = np.sum(np.exp(a - peak), axis=axis, keepdims=True)
    out = np.log(total) + peak
    if not keepdims:
        out = np.squeeze(out, axis=axis) if axis is not None else out.reshape(())
    return out


class ReductionNode(Node):
    """Node of a reduction; ``attrs`` is (input shape, reduced axes or None, keepdim)."""

    SAVES = ""

    def apply(self, ops, grad):
        a, out = self.unpack(ops) if self.SAVES else (None, None)
        return (self.vjp(ops, grad, a, out, self.attrs),)


#  grad_fn                forward kernel(a, axis, keepdims)       vjp                 saves
REDUCTIONS = {
    "SumBackward0": (np.add.reduce, _sum_vjp, ""),
    "SumBackward1": (np.add.reduce, _sum_vjp, ""),
    "MeanBackward0": (np.mean, _mean_vjp, ""),
    "MeanBackward1": (np.mean, _mean_vjp, ""),
    "MaxBackward1": (np.maximum.reduce, _extreme_vjp, "ao"),
    "MaxBackward0": (np.maximum.reduce, _extreme_vjp, "ao"),
    "MinBackward1": (np.minimum.reduce, _extreme_vjp, "ao"),
    "MinBackward0": (np.minimum.reduce, _extreme_vjp, "ao"),
    "LogsumexpBackward0": (_logsumexp_kernel, _logsumexp_vjp, "ao"),
}
KERNELS = {name: kernel for name, (kernel, _, _) in REDUCTIONS.items()}
NODE_CLASSES = {
    name: make_node_class(name, ReductionNode, vjp=staticmethod(vjp), SAVES=saves)
    for name, (_, vjp, saves) in REDUCTIONS.items()
}


def _reduce(node_name, input, dim, keepdim, op_name):
    if not isinstance(input, Tensor):
        input = as_tensor(input, op_name)
    data = input._data
    axes = None if dim is None else normalize_dims(dim, data.ndim, op_name)
    kernel = KERNELS[node_name]
    out = kernel(data, axis=axes, keepdims=keepdim)
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    result = Tensor._wrap(out)
    if input._requires_grad and GradMode.enabled:
        node_class = NODE_CLASSES[node_name]
        saved = (input, save_output(result)) if node_class.SAVES else ()
        record(node_class, result, (input,), saved, (data.shape, axes, keepdim))
    return result


def sum(input, dim=None, keepdim=False):  # noqa: A001 - mirrors torch.sum
    """Sum over ``dim`` (an int, a tuple, or None for all elements)."""
    return _reduce("SumBackward0" if dim is None else "SumBackward1", input, dim, keepdim, "sum")


def mean(input, dim=None, keepdim=False):
    """Mean over ``dim``; integer tensors raise as in PyTorch."""
    input = as_tensor(input)
    if not dtypes.is_floating(input.dtype):
        raise DTypeError(
            f"mean needs a floating-point tensor, got dtype {input.dtype.name}. "
            f"Convert first with .float() or .double().")
    return _reduce("MeanBackward0" if dim is None else "MeanBackward1", input, dim, keepdim, "mean")


def _extreme(name, input, dim, keepdim, arg_kernel):
    input = as_tensor(input)
    if input._data.size == 0:
        raise InvalidArgumentError(f"{name}: the input is empty; {name} of zero elements is undefined")
    if dim is None:
        return _reduce(f"{name.capitalize()}Backward1", input, None, False, name)
    values = _reduce(f"{name.capitalize()}Backward0", input, dim, keepdim, name)
    axis = normalize_dims(dim, input.ndim, name)
    indices = arg_kernel(input._data, axis=axis[0] if axis else None, keepdims=keepdim)
    return ReductionResult(values, Tensor._wrap(np.asarray(indices, dtype=np.int64)))


def max(input, dim=None, keepdim=False):  # noqa: A001 - mirrors torch.max
    """Maximum of all elements, or ``(values, indices)`` along ``dim``; ties share the gradient.

    ``max(a, b)`` with a tensor second argument is ``maximum(a, b)``.
    """
    if isinstance(dim, Tensor):
        from eager.ops.elementwise import maximum

        return maximum(input, dim)
    return _extreme("max", input, dim, keepdim, np.argmax)


def min(input, dim=None, keepdim=False):  # noqa: A001 - mirrors torch.min
    """Minimum of all elements, or ``(values, indices)`` along ``dim``; ties share the gradient."""
    if isinstance(dim, Tensor):
        from eager.ops.elementwise import minimum

        return minimum(input, dim)
    return _extreme("min", input, dim, keepdim, np.argmin)


def amax(input, dim=None, keepdim=False):
    return _reduce("MaxBackward0", input, dim, keepdim, "amax") if dim is not None else max(input)


def amin(input, dim=None, keepdim=False):
    return _reduce("MinBackward0", input, dim, keepdim, "amin") if dim is not None else min(input)


def logsumexp(input, dim, keepdim=False):
    """Return ``log(sum(exp(input), dim))`` without overflow for inputs of any magnitude."""
    input = as_tensor(input)
    if not dtypes.is_floating(input.dtype):
        input = Tensor._wrap(input._data.astype(dtypes.float32))
    return _reduce("LogsumexpBackward0", input, dim, keepdim, "logsumexp")


def var(input, dim=None, correction=1, keepdim=False):
    """Variance over ``dim`` with ``correction`` (1: the unbiased estimate, PyTorch's default).

    Built from recorded ops, so its gradient and higher derivatives need no rule of their own.
    """
    input = as_tensor(input)
    axes = normalize_dims(dim, input.ndim, "var")
    count = _count(input.shape, axes)
    centered = input - mean(input, dim=axes, keepdim=True)
    squares = sum(centered * centered, dim=axes, keepdim=keepdim)
    degrees_of_freedom = count - correction
    if degrees_of_freedom < 0:
        degrees_of_freedom = 0
    return squares / degrees_of_freedom


def std(input, dim=None, correction=1, keepdim=False):
    """Standard deviation over ``dim``: the square root of ``var``."""
    from eager.ops.elementwise import sqrt

    return sqrt(var(input, dim, correction, keepdim))


def argmax(input, dim=None, keepdim=False):
    data = as_tensor(input)._data
    if dim is None:
        return Tensor._wrap(np.asarray(np.argmax(data), dtype=np.int64))
    return Tensor._wrap(np.asarray(np.argmax(data, axis=dim, keepdims=keepdim), dtype=np.int64))


def argmin(input, dim=None, keepdim=False):
    data = as_tensor(input)._data
    if dim is None:
        return Tensor._wrap(np.asarray(np.argmin(data), dtype=np.int64))
    return Tensor._wrap(np.asarray(np.argmin(data, axis=dim, keepdims=keepdim), dtype=np.int64))


def all(input, dim=None, keepdim=False):  # noqa: A001 - mirrors torch.all
    return Tensor._wrap(np.asarray(np.all(as_tensor(input)._data, axis=dim, keepdims=keepdim)))


def any(input, dim=None, keepdim=False):  # noqa: A001 - mirrors torch.any
    return Tensor._wrap(np.asarray(np.any(as_tensor(input)._data, axis=dim, keepdims=keepdim)))
