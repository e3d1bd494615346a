"""staticgraph: a define-then-run graph compiler over NumPy (TensorFlow 1.x / Theano style).

Build a graph of placeholders, variables, constants and ops; differentiate it with
``gradients``; ``compile`` it into an executable that runs many times::

    x = staticgraph.placeholder(staticgraph.float64, (None, 4), name="x")
    w = staticgraph.variable(np.ones((4, 1)), name="w")
    loss = staticgraph.mean((x @ w) ** 2)
    (grad_w,) = staticgraph.gradients(loss, [w])
    step = staticgraph.compile([x], loss, updates={w: w - 0.1 * grad_w})
    step(np.random.rand(8, 4))

Random ops (``normal``, ``random_normal``, ``rand``, ``randn``, ``dropout``) draw
anew on every run, from their own seeded generator or from the global one that
``manual_seed`` resets. Training-only noise can be switched in two ways:

- one executable: feed a bool placeholder as ``training``; fed False, the op
  draws nothing and adds no noise::

      training = staticgraph.placeholder(staticgraph.bool, (), name="training")
      noisy = x + staticgraph.normal(0.0, 0.1, size=x.shape, training=training)
      run = staticgraph.compile([x, training], noisy)
      run(batch, True)   # training step
      run(batch, False)  # evaluation

- two executables: build the forward pass twice over the same variables, once
  with the noise op and once without, and compile each.
"""

from . import random
from .compiler.frontend import compile  # noqa: A004 - the public name of the API
from .dtypes import bool, double, float, float16, float32, float64, int32, int64, long  # noqa: A004
from .executable import Executable
from .gradients import gradients
from .graph import Graph, get_default_graph, name_scope, reset_default_graph
from .node import Node
from .ops.functional import (
    abs,
    add,
    argmax,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cast,
    cat,
    clamp,
    cross_entropy,
    div,
    eq,
    exp,
    expand,
    ge,
    getitem,
    gt,
    le,
    log,
    log_softmax,
    logsumexp,
    lt,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mse_loss,
    mul,
    ne,
    neg,
    normal,
    nll_loss,
    ones_like,
    permute,
    pow,
    random_normal,
    relu,
    reshape,
    select,
    sigmoid,
    sign,
    softmax,
    softplus,
    sqrt,
    squeeze,
    stack,
    stop_gradient,
    sub,
    sum,
    tanh,
    transpose,
    unsqueeze,
    where,
    zeros_like,
)
from .ops.compat import (
    all,
    amax,
    amin,
    any,
    arange,
    argmin,
    broadcast_to,
    clip,
    clone,
    concatenate,
    cos,
    divide,
    dropout,
    empty,
    expand_as,
    flatten,
    full,
    leaky_relu,
    linear,
    log1p,
    logical_and,
    logical_not,
    logical_or,
    mm,
    multiply,
    negative,
    ones,
    rand,
    randn,
    sin,
    subtract,
    sum_to_size,
    t,
    true_divide,
    view,
    zeros,
)
from .random import default_generator, manual_seed
from .session import Session, Updates
from .variables import constant, placeholder, variable

from . import nn, optim  # noqa: E402  (they build on the names above)
from .visualize import draw, to_dot  # noqa: E402  (also adds Graph.to_dot and Jupyter display)

__all__ = [
    "all", "amax", "amin", "any", "arange", "argmin", "broadcast_to", "clip", "clone", "concatenate", "cos",
    "divide", "double", "dropout", "empty", "expand_as", "flatten", "float", "float16", "full", "leaky_relu",
    "linear", "log1p", "logical_and", "logical_not", "logical_or", "long", "mm", "multiply", "negative", "ones",
    "rand", "randn", "sin", "subtract", "sum_to_size", "t", "true_divide", "view", "zeros",
    "Executable", "Graph", "Node", "Session", "Updates", "abs", "add", "argmax", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "bool", "cast", "cat", "clamp", "compile", "constant", "cross_entropy",
    "default_generator", "div", "draw", "eq", "exp", "expand", "float32", "float64", "ge", "get_default_graph", "getitem",
    "gradients", "gt", "int32", "int64", "le", "log", "log_softmax", "logsumexp", "lt", "manual_seed", "matmul", "max",
    "maximum", "mean", "min", "minimum", "mse_loss", "mul", "name_scope", "ne", "neg", "nll_loss", "nn", "normal", "ones_like",
    "optim", "permute", "placeholder", "pow", "random", "random_normal", "relu", "reset_default_graph", "reshape",
    "select", "sigmoid", "sign", "softmax", "softplus", "sqrt", "squeeze", "stack", "stop_gradient", "sub", "sum",
    "tanh", "to_dot", "transpose", "unsqueeze", "variable", "where", "zeros_like",
]
