"""Weight initialization for ``staticgraph.nn``: each function assigns a variable's value in place.

Every function takes ``generator=None`` (a ``numpy.random.Generator``; None means
``staticgraph.random.default_generator()``) and draws with one call,
``generator.uniform(low, high, size=shape)`` or ``generator.normal(mean, std, size=shape)``,
then casts to the variable's dtype. ``eager.nn.init`` draws the same way, so one
seed gives the same weights in both packages.
"""

import math

import numpy as np

from ..errors import ModuleUsageError
from ..node import Node
from ..random import default_generator


def _check_variable(node, function_name):
    if not isinstance(node, Node) or node.kind != "variable":
        raise ModuleUsageError(f"nn.init.{function_name} expects a variable node, got {node!r}")


def _store(node, values):
    node.data["value"] = np.asarray(values).astype(node.dtype)
    node.data["value"].setflags(write=False)
    return node


def calculate_gain(nonlinearity, param=None):
    """Return the recommended gain for ``nonlinearity`` (PyTorch's table)."""
    linear = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid")
    if nonlinearity in linear:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, (int, float)):
            raise ValueError(f"negative_slope {slope!r} is not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"unsupported nonlinearity {nonlinearity!r}; use linear, sigmoid, tanh, relu, leaky_relu or selu")


def _fans(node):
    shape = node.shape
    if len(shape) < 2:
        raise ValueError(f"fan in and fan out need a variable of at least 2 dims, {node.name!r} has shape {shape}")
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill with U(a, b)."""
    _check_variable(tensor, "uniform_")
    generator = generator or default_generator()
    return _store(tensor, generator.uniform(a, b, size=tensor.shape))


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill with N(mean, std**2)."""
    _check_variable(tensor, "normal_")
    generator = generator or default_generator()
    return _store(tensor, generator.normal(mean, std, size=tensor.shape))


def constant_(tensor, val):
    _check_variable(tensor, "constant_")
    return _store(tensor, np.full(tensor.shape, val))


def zeros_(tensor):
    return constant_(tensor, 0)


def ones_(tensor):
    return constant_(tensor, 1)


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Fill with U(-bound, bound), bound = gain * sqrt(6 / (fan_in + fan_out))."""
    _check_variable(tensor, "xavier_uniform_")
    fan_in, fan_out = _fans(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Fill with N(0, std**2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    _check_variable(tensor, "xavier_normal_")
    fan_in, fan_out = _fans(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def _fan(tensor, mode):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = _fans(tensor)
    return fan_in if mode == "fan_in" else fan_out


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """Fill with U(-bound, bound), bound = gain * sqrt(3 / fan), gain = calculate_gain(nonlinearity, a)."""
    _check_variable(tensor, "kaiming_uniform_")
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / _fan(tensor, mode))
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """Fill with N(0, std**2), std = gain / sqrt(fan)."""
    _check_variable(tensor, "kaiming_normal_")
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    return normal_(tensor, 0.0, std, generator)
