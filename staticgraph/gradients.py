"""Reverse-mode differentiation as a graph transformation.

``gradients`` adds gradient nodes to the same graph, so they are compiled and
optimized like any other node, and calling it again on gradient nodes gives
higher-order derivatives. The walk is iterative (no recursion), and it visits
nodes in decreasing creation index, which is a reverse topological order.
"""

import logging

import numpy as np

from .errors import ShapeError
from .gcpause import cyclic_gc_paused
from .graph import common_graph, node_table
from .node import Node, check_not_module, format_shape
from .ops import functional as F
from .variables import constant

logger = logging.getLogger(__name__)


def _as_list(value, what):
    if isinstance(value, (list, tuple)):
        items = list(value)
    else:
        items = [value]
    for item in items:
        check_not_module(item, "gradients")
        if not isinstance(item, Node):
            raise TypeError(f"gradients: {what} must be Nodes, got {type(item).__name__} {item!r}")
    return items


def _ancestors(graph, names):
    """Return the set of names that ``names`` depend on, themselves included."""
    seen = set(names)
    stack = list(names)
    nodes = node_table(graph.nx)
    while stack:
        for input_name in nodes[stack.pop()]["inputs"]:
            if input_name not in seen:
                seen.add(input_name)
                stack.append(input_name)
    return seen


def _relevant_nodes(graph, ys, xs):
    """Return names on a path from some x to some y, sorted by creation index."""
    nodes = node_table(graph.nx)
    upstream = sorted(_ancestors(graph, [y.name for y in ys]), key=lambda name: nodes[name]["index"])
    relevant = {x.name for x in xs}
    ordered = []
    for name in upstream:
        if name in relevant or any(input_name in relevant for input_name in nodes[name]["inputs"]):
            relevant.add(name)
            ordered.append(name)
    return ordered, relevant


def _initial_gradient(y, grad_y):
    if grad_y is None:
        if None in y.shape:
            return F.ones_like(y)
        return constant(np.ones(y.shape, dtype=y.dtype), graph=y.graph)
    if not isinstance(grad_y, Node):
        grad_y = constant(np.asarray(grad_y, dtype=y.dtype), graph=y.graph)
    for a, b in zip(grad_y.shape, y.shape):
        if a is not None and b is not None and a != b or len(grad_y.shape) != len(y.shape):
            raise ShapeError(
                f"gradients: grad_ys entry has shape {format_shape(grad_y.shape)} but its output {y.name!r} has "
                f"shape {format_shape(y.shape)}; pass a gradient of the output's shape"
            )
    return F.cast(grad_y, y.dtype)


def _total(contributions):
    total = contributions[0]
    for term in contributions[1:]:
        total = total + term
    return total


def gradients(ys, xs, grad_ys=None):
    """Return a list with d(sum of ys)/d(x) for each x in ``xs`` (None where x is unreachable).

    ``ys`` and ``xs`` are a Node or a list of Nodes; the result is a list either
    way, as in TensorFlow 1.x. ``grad_ys`` gives the gradient
    of each y; when it is None, each y gets ones of its shape, as TensorFlow 1.x
    does, so a non-scalar y is differentiated as if it were summed. A node used
    more than once receives the sum of all contributions.
    """
    ys, xs = _as_list(ys, "ys"), _as_list(xs, "xs")
    graph = common_graph(ys + xs, "gradients")
    for y in ys:
        F.require_floating(y, "output")
    for x in xs:
        F.require_floating(x, "input")
    if grad_ys is None:
        grad_ys = [None] * len(ys)
    elif not isinstance(grad_ys, (list, tuple)):
        grad_ys = [grad_ys]
    if len(grad_ys) != len(ys):
        raise ValueError(f"gradients: got {len(grad_ys)} grad_ys for {len(ys)} ys; pass one per output")

    with graph.name_scope("gradients"), cyclic_gc_paused():
        totals = _backward(graph, ys, xs, grad_ys)
    results = [totals.get(x.name) for x in xs]
    logger.debug("gradients: %d outputs, %d inputs, graph now has %d nodes", len(ys), len(xs), len(graph))
    return results


def _backward(graph, ys, xs, grad_ys):
    ordered, relevant = _relevant_nodes(graph, ys, xs)
    contributions = {}
    for y, grad_y in zip(ys, grad_ys):
        if y.name in relevant:
            contributions.setdefault(y.name, []).append(_initial_gradient(y, grad_y))
    wanted = {x.name for x in xs}
    totals = {}
    for name in reversed(ordered):
        pending = contributions.pop(name, None)
        if not pending:
            continue
        grad = _total(pending)
        if name in wanted:
            totals[name] = grad
        node = Node(graph, name)
        if node.kind != "op":
            continue
        input_names = node.data["inputs"]
        needed = [input_name in relevant for input_name in input_names]
        input_grads = node.op.gradient(node, grad, needed)
        for input_name, input_grad, is_needed in zip(input_names, input_grads, needed):
            if input_grad is not None and is_needed:
                contributions.setdefault(input_name, []).append(input_grad)
    return totals
