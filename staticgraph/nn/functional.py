"""Functional forms for ``staticgraph.nn``: the package's op functions plus ``linear``."""

from ..ops.functional import (  # noqa: F401 - re-exported
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    log_softmax,
    logsumexp,
    mse_loss,
    nll_loss,
    relu,
    sigmoid,
    softmax,
    softplus,
    tanh,
)
from .layers import linear  # noqa: F401 - re-exported
