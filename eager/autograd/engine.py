"""The backward engine: an iterative walk of the graph in dependency order.

The walk never recurses, so a chain of any length (100,000 ops and more)
differentiates without ``RecursionError``. Gradients flowing into one node
from several consumers are summed before the node's rule runs.
"""

import numpy as np

import eager.tensor as tensor_module  # a partly initialized module while eager.tensor loads

from eager.autograd import anomaly, numpy_ops
from eager.autograd.function import AccumulateGrad
from eager.autograd.grad_mode import GradMode
from eager.errors import AnomalyError, BackwardError


def count_dependencies(roots):
    """Return ``{node: number of edges into it}`` for every node reachable from ``roots``.

    Roots that no other node reaches have count 0. Leaves' ``AccumulateGrad``
    nodes are left out, because the walk sums their gradients without
    scheduling them.
    """
    dependencies = dict.fromkeys(roots, 0)
    stack = list(roots)
    while stack:
        node = stack.pop()
        for next_node, _ in node.next_functions:
            if next_node is None or type(next_node) is AccumulateGrad:
                continue
            count = dependencies.get(next_node)
            if count is None:
                dependencies[next_node] = 1
                stack.append(next_node)
            else:
                dependencies[next_node] = count + 1
    return dependencies


def run_backward(roots, root_grads, retain_graph, create_graph, capture=None):
    """Propagate ``root_grads`` from the ``roots`` nodes back through the graph.

    Without ``capture`` the gradients reaching leaves are added into their
    ``.grad``. With ``capture`` (``{node: None}``) nothing is accumulated and
    the gradient arriving at each captured node is stored in the dict.
    The walk computes every gradient before it changes any ``.grad`` or frees
    any saved value, so a backward that raises leaves all state as it was.
    """
    ops = numpy_ops
    if create_graph:
        from eager.autograd import eager_ops

        ops = eager_ops
    buffers = {}
    leaf_buffers = {}
    for node, grad in zip(roots, root_grads):
        _add_to_buffer(leaf_buffers if type(node) is AccumulateGrad else buffers, node, grad)
    dependencies = count_dependencies(list(buffers))
    ready = [node for node in buffers if dependencies[node] == 0]
    walk = _Walk(ops, capture)

    previous_mode = GradMode.enabled
    GradMode.enabled = create_graph
    try:
        _walk_graph(walk, ready, buffers, leaf_buffers, dependencies)
        for node, grad in leaf_buffers.items():
            if node._pre_hooks:
                grad = walk.run_hooks(node._pre_hooks, grad)
            walk.reach_leaf(node, grad)
        walk.commit(retain_graph)
    finally:
        GradMode.enabled = previous_mode


def _walk_graph(walk, ready, buffers, leaf_buffers, dependencies):
    """Run every node once all of its consumers have contributed their gradients.

    Gradients for leaves are summed into ``leaf_buffers``.
    """
    ops = walk.ops
    capture = walk.capture
    mark_processed = walk.processed.append
    check_finite = anomaly.AnomalyMode.enabled
    while ready:
        node = ready.pop()
        grad = buffers.pop(node, None)
        next_functions = node.next_functions
        if grad is None:
            input_grads = (None,) * len(next_functions)
        else:
            if node._pre_hooks:
                grad = walk.run_hooks(node._pre_hooks, grad)
            if capture is not None and node in capture:
                capture[node] = grad
            input_grads = node.apply(ops, grad)
            if check_finite:
                _check_finite(node, input_grads, ops)
            mark_processed(node)
        for (next_node, _), input_grad in zip(next_functions, input_grads):
            if next_node is None:
                continue
            if type(next_node) is AccumulateGrad:
                if input_grad is not None:
                    previous = leaf_buffers.get(next_node)
                    leaf_buffers[next_node] = (input_grad if previous is None
                                               else previous + input_grad)
                continue
            if input_grad is not None:
                previous = buffers.get(next_node)
                buffers[next_node] = input_grad if previous is None else previous + input_grad
            remaining = dependencies[next_node] - 1
            if remaining:
                dependencies[next_node] = remaining
            else:
                ready.append(next_node)


def _add_to_buffer(buffers, node, grad):
    previous = buffers.get(node)
    buffers[node] = grad if previous is None else previous + grad


class _Walk:
    """State of one backward pass: what to write into ``.grad`` and free once it succeeds."""

    def __init__(self, ops, capture):
        self.ops = ops
        self.capture = capture
        self.leaf_grads = []
        self.stored_ids = set()
        self.retained = []
        self.processed = []

    def reach_leaf(self, node, grad):
        """Record the gradient arriving at a leaf's ``AccumulateGrad`` node."""
        variable = node.variable
        if variable._hooks:
            grad = self.run_hooks(variable._hooks, grad)
        if self.capture is None:
            self.leaf_grads.append((variable, self._owned(grad, variable)))
        elif node in self.capture:
            self.capture[node] = grad

    def _owned(self, grad, variable):
        """Return ``grad`` as an array that ``variable.grad`` may keep and change in place.

        A rule's fresh result is kept as it is. A view, an array already given
        to another leaf or a wrong dtype is copied. (A read-only array that is
        not a view is handled in ``accumulate_into_leaf``.)
        """
        if self.ops.CREATES_GRAPH:
            return grad
        if (type(grad) is not np.ndarray or grad.base is not None
                or id(grad) in self.stored_ids or grad.dtype != variable._data.dtype):
            grad = np.array(grad, dtype=variable._data.dtype)
        self.stored_ids.add(id(grad))
        return grad

    def run_hooks(self, hooks, grad):
        for hook in hooks:
            if getattr(hook, "stores_grad", False):
                self.retained.append((hook, grad))
            else:
                grad = _call_hook(hook, grad, self.ops)
        return grad

    def commit(self, retain_graph):
        ops = self.ops
        for variable, grad in self.leaf_grads:
            accumulate_into_leaf(variable, grad, ops)
        for hook, grad in self.retained:
            hook.store(grad, ops)
        if not retain_graph:
            for node in self.processed:
                node.release()


def _call_hook(hook, grad, ops):
    """Call a user hook with the gradient as a tensor; return its replacement or ``grad``."""
    result = hook(grad if ops.CREATES_GRAPH else tensor_module.Tensor._wrap(grad))
    if result is None:
        return grad
    return result if ops.CREATES_GRAPH else np.asarray(result._data)


def accumulate_into_leaf(variable, grad, ops):
    """Add ``grad`` into ``variable.grad`` (in place unless a graph is being built)."""
    if ops.CREATES_GRAPH:
        grad = ops.cast(ops.sum_to(grad, variable.shape), variable._data.dtype)
        variable.grad = grad if variable.grad is None else variable.grad + grad
        return
    current = variable.grad
    if current is None:
        variable.grad = tensor_module.Tensor._wrap(grad)
    elif current._data.flags.writeable:
        current._data += grad
    else:
        current._data = current._data + grad


def _check_finite(node, input_grads, ops):
    for index, grad in enumerate(input_grads):
        if grad is None:
            continue
        values = ops.value(grad)
        if not np.all(np.isfinite(values)):
            where = anomaly.format_trace(node.trace)
            raise AnomalyError(
                f"{node.name()} returned NaN or infinity in its gradient for input {index}. "
                f"The op was created at {where}")


def check_root(tensor):
    """Raise unless ``tensor`` is part of a graph that backward can walk."""
    if not tensor._requires_grad:
        raise BackwardError(
            f"backward() was called on a tensor of shape {tensor.shape} that does not require "
            f"grad and has no grad_fn. Create the inputs with requires_grad=True (or call "
            f".requires_grad_()) before computing it, and do not compute it under no_grad().")
