"""Graph nodes: the ``grad_fn`` objects that backward walks.

Each op records one node per output tensor. A node keeps the edges to the
nodes of its inputs (``next_functions``, as in PyTorch) and the values its
backward rule needs. It also keeps the version each saved tensor had when it
was saved, so an in-place change made afterwards raises instead of silently
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

    # Class-level defaults keep node creation to a few assignments per op.
    _saved = ()
    _arrays = ()
    _checks = ()
    _pre_hooks = None
    _freed = False
    trace = None

    def __init__(self, next_functions, saved=(), attrs=None):
        self.next_functions = next_functions
        self.attrs = attrs
        if saved:
            self.save(saved)

    @classmethod
    def with_saved_output(cls, next_functions, output, counter, attrs=None):
        """Create a node that saves only its op's output (``exp``, ``relu``, ``softmax`` ...).

        Equivalent to ``cls(next_functions, (None, SavedOutput(output, counter)), attrs)``
        without the generic loop over saved items.
        """
        node = cls.__new__(cls)
        node.next_functions = next_functions
        node.attrs = attrs
        node._saved = (None, SavedOutput(output, counter))
        node._arrays = (None, output)
        node._checks = ((counter, counter[0], 1),)
        return node

    @classmethod
    def with_saved_input(cls, next_functions, tensor, attrs=None):
        """Create a node of a one-input op that saves only its input (``abs``, ``log`` ...).

        Equivalent to ``cls(next_functions, (tensor, None), attrs)``.
        """
        node = cls.__new__(cls)
        node.next_functions = next_functions
        node.attrs = attrs
        counter = tensor._version_counter or tensor.version_counter()
        node._saved = (tensor, None)
        node._arrays = (tensor._data, None)
        node._checks = ((counter, counter[0], 0),)
        return node

    @classmethod
    def with_saved_tensors(cls, next_functions, tensors, attrs=None):
        """Create a node that saves the input tensors ``tensors`` (all of them tensors)."""
        node = cls.__new__(cls)
        node.next_functions = next_functions
        node.attrs = attrs
        node._saved = tensors
        node._arrays = [tensor._data for tensor in tensors]
        checks = []
        index = 0
        for tensor in tensors:
            counter = tensor._version_counter or tensor.version_counter()
            checks.append((counter, counter[0], index))
            index += 1
        node._checks = checks
        return node

    def save(self, saved):
        """Keep ``saved`` (tensors, ``SavedOutput``s and constants) and their current versions.

        The plain arrays are extracted once here, because the NumPy backward
        rules use them directly.
        """
        self._saved = saved
        arrays = list(saved)
        checks = []
        for index, item in enumerate(saved):
            if item is None:
                continue
            if type(item) is SavedOutput:
                counter = item.version_counter
                arrays[index] = item.array
            elif hasattr(item, "_version_counter"):
                counter = item._version_counter or item.version_counter()
                arrays[index] = item._data
            else:
                continue
            checks.append((counter, counter[0], index))
        self._arrays = arrays
        self._checks = checks

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
        for counter, version, index in self._checks:
            if counter[0] != version:
                raise self._inplace_error(counter[0], version, index)
        if ops.CREATES_GRAPH:
            return [ops.saved_value(self, item) for item in self._saved]
        return self._arrays

    def _inplace_error(self, current, expected, index):
        item = self._saved[index]
        if type(item) is SavedOutput:
            label = f"its output of shape {item.array.shape}"
        else:
            label = f"input {index} of shape {item.shape}"
        return InplaceError(
            f"a tensor saved by {self.name()} for backward ({label}) was modified by an in-place "
            f"operation: it is at version {current}, expected version {expected}. Replace the "
            f"in-place op (x += 1, x.add_(1), x[i] = v) with its out-of-place form (x = x + 1) "
            f"or call .clone() before modifying.")

    def release(self):
        """Drop the saved values; a later backward through this node raises."""
        if self._saved:
            self._saved = ()
            self._arrays = ()
            self._freed = True

    def register_prehook(self, hook):
        """Call ``hook(grad)`` on the gradient of this node's output before the rule runs."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._pre_hooks.append(hook)


class AccumulateGrad(Node):
    """The node of a leaf tensor that requires grad: it adds into ``variable.grad``."""

    def __init__(self, variable):
        super().__init__(())
        self.variable = variable


def make_node_class(node_name, base, **members):
    """Create a ``Node`` subclass named ``node_name`` (``MulBackward0``) from ``base``."""
    return type(node_name, (base,), members)
