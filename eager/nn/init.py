"""Weight initializers with PyTorch's formulas and an explicit random generator.

Every function takes ``generator=None`` (a ``numpy.random.Generator``; None
means ``eager.random.default_generator()``), draws with exactly one
``generator.uniform(low, high, size=shape)`` or
``generator.normal(mean, std, size=shape)`` call, casts to the tensor's
dtype and writes the values in place without recording a graph.
"""

import math

import numpy as np

from eager import random
from eager.autograd.grad_mode import no_grad
from eager.errors import InvalidArgumentError, ShapeError
from eager.ops.inplace import _write

_LINEAR_GAINS = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                 "conv_transpose3d", "sigmoid")


def calculate_gain(nonlinearity, param=None):
    """Return the recommended gain for ``nonlinearity`` (PyTorch's table).

    linear, conv and sigmoid: 1; tanh: 5/3; relu: sqrt(2);
    leaky_relu: sqrt(2 / (1 + slope**2)) with slope ``param`` (default 0.01);
    selu: 3/4.
    """
    if nonlinearity in _LINEAR_GAINS:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, bool) or not isinstance(param, int | float):
            raise InvalidArgumentError(f"calculate_gain: negative_slope {param!r} is not a number")
        else:
            slope = param
        return math.sqrt(2.0 / (1.0 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4.0
    raise InvalidArgumentError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}; expected one "
                     f"of linear, conv*, sigmoid, tanh, relu, leaky_relu, selu")


def _calculate_fan_in_and_fan_out(tensor):
    shape = tensor.shape
    if len(shape) < 2:
        raise ShapeError(
            f"fan in and fan out need a tensor with at least 2 dimensions, got shape {shape}; "
            f"use uniform_ or normal_ for biases.")
    receptive_field = int(np.prod(shape[2:], dtype=np.int64)) if len(shape) > 2 else 1
    return shape[1] * receptive_field, shape[0] * receptive_field


def _fan(tensor, mode):
    if mode not in ("fan_in", "fan_out"):
        raise InvalidArgumentError(f"mode {mode!r} is not supported; use 'fan_in' or 'fan_out'")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _fill(tensor, values, name):
    with no_grad():
        _write(tensor, np.asarray(values).astype(tensor.dtype), name)
    return tensor


def _rng(generator):
    return generator if generator is not None else random.default_generator()


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill ``tensor`` with samples from U(a, b)."""
    return _fill(tensor, _rng(generator).uniform(a, b, size=tensor.shape), "uniform_")


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill ``tensor`` with samples from N(mean, std**2)."""
    return _fill(tensor, _rng(generator).normal(mean, std, size=tensor.shape), "normal_")


def constant_(tensor, val):
    return _fill(tensor, np.full(tensor.shape, val), "constant_")


def zeros_(tensor):
    return _fill(tensor, np.zeros(tensor.shape), "zeros_")


def ones_(tensor):
    return _fill(tensor, np.ones(tensor.shape), "ones_")


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Fill with U(-bound, bound), bound = gain * sqrt(6 / (fan_in + fan_out)) (Glorot)."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / float(fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Fill with N(0, std**2), std = gain * sqrt(2 / (fan_in + fan_out)) (Glorot)."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def kaiming_uniform_(tensor, a=0.0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """Fill with U(-bound, bound), bound = gain * sqrt(3 / fan), gain = calculate_gain(nonlinearity, a) (He)."""
    fan = _fan(tensor, mode)
    if fan == 0:
        return tensor
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / fan)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0.0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """Fill with N(0, std**2), std = gain / sqrt(fan), gain = calculate_gain(nonlinearity, a) (He)."""
    fan = _fan(tensor, mode)
    if fan == 0:
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return normal_(tensor, 0.0, std, generator)
