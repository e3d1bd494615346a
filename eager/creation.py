"""Tensor factories: ``zeros``, ``ones``, ``full``, ``arange``, ``rand``, ``randn`` ..."""

import numpy as np

from eager import dtypes, random
from eager.tensor import Tensor


def _shape(size):
    if len(size) == 1 and isinstance(size[0], list | tuple):
        return tuple(size[0])
    return tuple(size)


def _make(array, requires_grad):
    tensor = Tensor._wrap(array)
    if requires_grad:
        tensor.requires_grad_(True)
    return tensor


def zeros(*size, dtype=None, requires_grad=False):
    return _make(np.zeros(_shape(size), dtype=dtype or dtypes.float32), requires_grad)


def ones(*size, dtype=None, requires_grad=False):
    return _make(np.ones(_shape(size), dtype=dtype or dtypes.float32), requires_grad)


def empty(*size, dtype=None, requires_grad=False):
    return _make(np.empty(_shape(size), dtype=dtype or dtypes.float32), requires_grad)


def full(size, fill_value, dtype=None, requires_grad=False):
    dtype = dtype or dtypes.infer_dtype(fill_value)
    return _make(np.full(tuple(size), fill_value, dtype=dtype), requires_grad)


def zeros_like(input, dtype=None, requires_grad=False):
    return _make(np.zeros(input.shape, dtype=dtype or input.dtype), requires_grad)


def ones_like(input, dtype=None, requires_grad=False):
    return _make(np.ones(input.shape, dtype=dtype or input.dtype), requires_grad)


def arange(start, end=None, step=1, dtype=None, requires_grad=False):
    """Values from ``start`` (default 0) up to but excluding ``end``; ints give int64."""
    if end is None:
        start, end = 0, start
    if dtype is None:
        is_float = any(isinstance(v, float) for v in (start, end, step))
        dtype = dtypes.float32 if is_float else dtypes.int64
    return _make(np.arange(start, end, step).astype(dtype), requires_grad)


def rand(*size, dtype=None, requires_grad=False, generator=None):
    """Uniform samples in [0, 1) from ``generator`` or the global generator."""
    rng = generator or random.default_generator()
    return _make(rng.random(_shape(size)).astype(dtype or dtypes.float32), requires_grad)


def randn(*size, dtype=None, requires_grad=False, generator=None):
    """Standard normal samples from ``generator`` or the global generator."""
    rng = generator or random.default_generator()
    return _make(rng.standard_normal(_shape(size)).astype(dtype or dtypes.float32), requires_grad)
