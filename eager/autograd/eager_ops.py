"""The array namespace backward rules use with ``create_graph=True``: eager ops.

Every function records its own ``grad_fn``, so the gradients that the rules
compute can themselves be differentiated.
"""

import numpy as np

from eager.ops import elementwise, reduction, shape
from eager.tensor import Tensor

CREATES_GRAPH = True

unbroadcast = shape.sum_to_size
sum_to = shape.sum_to_size
expand_to = shape.expand
reshape = shape.reshape
transpose = shape.transpose
permute = shape.permute
getitem = shape.getitem
index_scatter = shape.index_scatter
cast = shape.to_dtype
where = elementwise.where
maximum = elementwise.maximum
exp = elementwise.exp
log = elementwise.log
sqrt = elementwise.sqrt
tanh = elementwise.tanh
sin = elementwise.sin
cos = elementwise.cos
sigmoid = elementwise.sigmoid


def sum(x, dim=None, keepdim=False):  # noqa: A001 - mirrors the op name
    return reduction.sum(x, dim, keepdim)


def matmul(a, b):
    from eager.ops.linalg import matmul as eager_matmul

    return eager_matmul(a, b)


def value(x):
    """Return the plain array behind ``x`` (for masks, which are constants of a rule)."""
    return x._data if isinstance(x, Tensor) else np.asarray(x)


def saved_value(node, item):
    """Return a saved item as a tensor connected to the graph.

    A saved output becomes a tensor whose ``grad_fn`` is ``node`` itself, so
    second derivatives flow through the op that produced it.
    """
    from eager.autograd.function import SavedOutput

    if type(item) is SavedOutput:
        output = Tensor._wrap(item.array)
        if any(next_node is not None for next_node, _ in node.next_functions):
            output._grad_fn = node
            output._requires_grad = True
        return output
    return item
