"""Functional forms of the layers and losses (``eager.nn.functional``)."""

from eager.ops.functional import *  # noqa: F401,F403
from eager.ops.functional import (  # noqa: F401
    binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, dropout, linear,
    log_softmax, mse_loss, nll_loss, relu, sigmoid, softmax, tanh, where)


def leaky_relu(input, negative_slope=0.01):
    """``input`` where positive, ``negative_slope * input`` elsewhere (slope at 0 is the left one)."""
    return where(input > 0, input, input * negative_slope)
