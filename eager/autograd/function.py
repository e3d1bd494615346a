"""Graph nodes: the ``grad_fn`` objects that backward walks.

Each op records one node per output tensor. A node keeps the edges to the
nodes of its inputs (``next_functions``, as in PyTorch), the values its
backward rule needs, and the version each saved tensor had when it was saved,
so that an in-place change made afterwards is detected instead of silently
giving a wrong gradient.
"""

from eager.errors import BackwardError, InplaceError


class SavedOutput:
    """An op's own output saved for backward, stored without a reference cycle.

    The node keeps the output's array and version counter, not the tensor,
    because the tensor refers to the node through ``grad_fn``.
    """

    __slots__ = ("array", "version_counter")

    def __init__(self, array, version_counter):
        self.array = array
        self.version_counter = version_counter


class Node:
    """Base class of every ``grad_fn``; subclasses carry PyTorch's names.

    ``apply(ops, grad)`` returns one gradient per entry of ``next_functions``
    (``None`` where the input needs none). ``ops`` is the array namespace
    the rule computes with: plain NumPy normally, ``eager`` itself when the
    caller asked for ``create_graph=True`` so that the gradient is
    differentiable.
    """

    __slots__ = ("next_functions", "_saved", "_checks", "attrs", "_pre_hooks", "_freed", "trace",
                 "__weakref__")

    def __init__(self, next_functions, saved=(), checks=(), attrs=None):
        self.next_functions = next_functions
        self._saved = saved
        self._checks = checks
        self.attrs = attrs
        self._pre_hooks = None
        self._freed = False
        self.trace = None

    def name(self):
        """Return the class name, e.g. ``MulBackward0``."""
        return type(self).__name__

    def __repr__(self):
        return f"<{type(self).__name__} object at {id(self):#x}>"

    def apply(self, ops, grad):
        raise NotImplementedError(f"{type(self).__name__} has no backward rule")

    def unpack(self, ops):
        """Return the saved values as arrays (NumPy ops) or tensors (eager ops).

        Raises when the graph was already freed by an earlier backward, or
        when a saved tensor was changed in place after it was saved.
        """
        if self._freed:
            raise BackwardError(
                f"{self.name()}: the values saved for backward were freed by an earlier "
                f"backward() or autograd.grad() call, so this graph cannot be differentiated "
                f"again. Pass retain_graph=True to the first call to keep them.")
        for counter, version, label in self._checks:
            if counter[0] != version:
                raise InplaceError(
                    f"a tensor saved by {self.name()} for backward ({label}) was modified by "
                    f"an in-place operation: it is at version {counter[0]}, expected version "
                    f"{version}. Replace the in-place op (x += 1, x.add_(1), x[i] = v) with its "
                    f"out-of-place form (x = x + 1) or call .clone() before modifying.")
        if ops.CREATES_GRAPH:
            return tuple(ops.saved_value(self, item) for item in self._saved)
        return tuple(_array_of(item) for item in self._saved)

    def release(self):
        """Drop the saved values; a later backward through this node raises."""
        if self._saved:
            self._saved = ()
            self._freed = True

    def register_prehook(self, hook):
        """Call ``hook(grad)`` on the gradient of this node's output before the rule runs."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._pre_hooks.append(hook)


def _array_of(item):
    data = getattr(item, "_data", None)
    if data is not None:
        return data
    if type(item) is SavedOutput:
        return item.array
    return item


class AccumulateGrad(Node):
    """The node of a leaf tensor that requires grad: it adds into ``variable.grad``."""

    __slots__ = ("variable",)

    def __init__(self, variable):
        super().__init__(())
        self.variable = variable


def make_node_class(node_name, base, **members):
    """Create a ``Node`` subclass named ``node_name`` (``MulBackward0``) from ``base``."""
    members.setdefault("__slots__", ())
    return type(node_name, (base,), members)
