"""Random ops: samples drawn each time the executable runs."""

import numpy as np

from .base import Op


def draw_normal(generator, shape, mean, std, dtype, enabled=True):
    """Return ``generator.normal(mean, std, size=shape)`` cast to ``dtype``, or zeros when disabled.

    When ``enabled`` is false nothing is drawn, so the generator's stream is the
    same as in an eager program that adds noise only in training.
    """
    if not enabled:
        return np.zeros(shape, dtype=dtype)
    return generator.normal(mean, std, size=shape).astype(dtype)


class RandomNormal(Op):
    """Normal samples of a static ``shape``, or of the run-time shape of a ``like`` input.

    Inputs, in order: the ``like`` node when ``has_like``, then the boolean scalar
    ``enabled`` node when ``has_enabled``. With ``seed=None`` the op draws from the
    package's global generator at run time, which ``staticgraph.manual_seed`` resets.
    With a seed it owns a generator stored on its graph node.
    """

    name = "random_normal"
    attributes = ("shape", "mean", "std", "seed", "dtype", "has_like", "has_enabled")
    pure = False

    def infer(self, inputs):
        shape = inputs[0].shape if self.has_like else self.shape
        return shape, self.dtype

    def compute(self, *arrays):
        raise AssertionError("random ops run only inside generated code, which passes their generator")

    def emit_random(self, args, generator_expression, bind):
        """Return the call that draws the sample, given the code that yields the generator."""
        shape = f"{args[0]}.shape" if self.has_like else repr(self.shape)
        enabled = args[-1] if self.has_enabled else "True"
        function = bind(draw_normal, "draw_normal")
        dtype = bind(self.dtype, self.dtype.name)
        return f"{function}({generator_expression}, {shape}, {self.mean!r}, {self.std!r}, {dtype}, {enabled})"

    def gradient(self, node, grad, needed):
        return (None,) * len(node.inputs)


def draw_keep_mask(generator, shape, p, dtype, enabled=True):
    """Return ``(generator.random(shape) >= p) / (1 - p)`` in ``dtype``, or ones when disabled.

    When ``enabled`` is false nothing is drawn.
    """
    if not enabled:
        return np.ones(shape, dtype=dtype)
    return (generator.random(shape) >= p).astype(dtype) / np.asarray(1.0 - p, dtype=dtype)


class DropoutMask(Op):
    """The scaled keep mask of dropout, of the run-time shape of its first input.

    Inputs: the ``like`` node, then the bool scalar ``enabled`` node when
    ``has_enabled``. Draws from the global generator unless a seed was given.
    """

    name = "dropout_mask"
    attributes = ("p", "seed", "has_enabled")
    pure = False

    def infer(self, inputs):
        return inputs[0].shape, inputs[0].dtype

    def compute(self, *arrays):
        raise AssertionError("random ops run only inside generated code, which passes their generator")

    def emit_random(self, args, generator_expression, bind):
        enabled = args[1] if self.has_enabled else "True"
        function = bind(draw_keep_mask, "draw_keep_mask")
        return f"{function}({generator_expression}, {args[0]}.shape, {self.p!r}, {args[0]}.dtype, {enabled})"

    def gradient(self, node, grad, needed):
        return (None,) * len(node.inputs)


class RandomUniform(Op):
    """Uniform samples in [0, 1) of a static ``shape``: ``generator.random(shape)``."""

    name = "random_uniform"
    attributes = ("shape", "seed", "dtype")
    pure = False

    def infer(self, inputs):
        return self.shape, self.dtype

    def compute(self, *arrays):
        raise AssertionError("random ops run only inside generated code, which passes their generator")

    def emit_random(self, args, generator_expression, bind):
        dtype = bind(self.dtype, self.dtype.name)
        return f"{generator_expression}.random({self.shape!r}).astype({dtype})"

    def gradient(self, node, grad, needed):
        return ()


class RandomStandardNormal(RandomUniform):
    """Standard normal samples of a static ``shape``: ``generator.standard_normal(shape)``."""

    name = "random_standard_normal"

    def emit_random(self, args, generator_expression, bind):
        dtype = bind(self.dtype, self.dtype.name)
        return f"{generator_expression}.standard_normal({self.shape!r}).astype({dtype})"
