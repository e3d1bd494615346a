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
from ..ops.functional import (  # noqa: F401 - re-exported
    abs, add, argmax, cat, clamp, div, eq, exp, expand, ge, getitem, gt, le, log, lt, matmul, max, maximum, mean,
    min, minimum, mul, ne, neg, permute, pow, reshape, sqrt, squeeze, stack, sub, sum, transpose, unsqueeze, where,
)
from ..ops.compat import (  # noqa: F401 - re-exported
    all, amax, amin, any, argmin, broadcast_to, clip, clone, concatenate, cos, divide, dropout, expand_as, flatten,
    leaky_relu, linear, log1p, logical_and, logical_or, mm, multiply, negative, sin, subtract, sum_to_size, t,
    true_divide, view,
)
