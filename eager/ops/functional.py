"""Every op of ``eager`` under its PyTorch name, for ``eager.*`` and ``eager.nn.functional``."""

from eager.ops.elementwise import (  # noqa: F401
    abs, add, clamp, clip, cos, div, divide, eq, exp, ge, gt, le, log, log1p, logical_and,
    logical_or, lt, maximum, minimum, mul, multiply, ne, neg, negative, pow, relu, sigmoid, sin,
    sqrt, sub, subtract, tanh, true_divide, where)
from eager.ops.linalg import linear, matmul, mm  # noqa: F401
from eager.ops.nn_ops import (  # noqa: F401
    binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, dropout, log_softmax,
    mse_loss, nll_loss, softmax)
from eager.ops.reduction import (  # noqa: F401
    all, amax, amin, any, argmax, argmin, logsumexp, max, mean, min, std, sum, var)
from eager.ops.shape import (  # noqa: F401
    broadcast_to, cat, clone, concatenate, expand, expand_as, flatten, getitem, permute, reshape,
    squeeze, stack, sum_to_size, t, to_dtype, transpose, unsqueeze, view)
