"""``Node``: a handle to one node of a ``Graph``, with NumPy-style operators.

A Node stores its graph, its name and a reference to its attribute dict in the
graph's networkx DiGraph; every property reads that dict, so the graph stays the
single source of truth.
"""

import numpy as np

from .dtypes import python_scalar_dtype
from .errors import ModuleUsageError, NoValueError
from .graph import node_table
from .source import describe_location


class NodeShape(tuple):
    """A node's static shape; a plain tuple that also keeps the ``node`` it was read from.

    Functions that take a size (``staticgraph.normal(size=x.shape)``) use the node's
    run-time shape when the static one has None dims.
    """

    def __new__(cls, dims, node):
        shape = super().__new__(cls, dims)
        shape.node = node
        return shape

    def __getnewargs__(self):
        return (tuple(self), self.node)


class Node:
    """A placeholder, variable, constant or op result in a ``Graph``."""

    __slots__ = ("graph", "name", "data")
    __array_priority__ = 1000  # makes ``ndarray + node`` call Node.__radd__

    def __init__(self, graph, name):
        self.graph = graph
        self.name = name
        # The node's attribute dict in ``graph.nx`` (layout in ``staticgraph.graph``).
        # networkx keeps the same dict object for the node's lifetime.
        self.data = node_table(graph.nx)[name]

    @property
    def kind(self):
        return self.data["kind"]

    @property
    def op(self):
        return self.data["op"]

    @property
    def shape(self):
        """The static shape: a tuple with None for run-time dims, remembering this node (``NodeShape``)."""
        return NodeShape(self.data["shape"], self)

    @property
    def dtype(self):
        return self.data["dtype"]

    @property
    def ndim(self):
        return len(self.data["shape"])

    @property
    def source(self):
        return self.data["source"]

    @property
    def inputs(self):
        return [Node(self.graph, name) for name in self.data["inputs"]]

    @property
    def T(self):
        return F.permute(self, tuple(reversed(range(self.ndim))))

    def describe(self):
        """Return 'name (shape, dtype, created at FILE:LINE)' for error messages."""
        return f"{self.name!r} (shape {format_shape(self.shape)}, {self.dtype}, {describe_location(self.source)})"

    # --- variables ----------------------------------------------------------

    def numpy(self):
        """Return a copy of the value of a variable or constant."""
        if self.kind not in ("variable", "constant"):
            raise NoValueError(
                f"node {self.name!r} is {_article(self.kind)} {self.kind} node, and only variables and constants "
                "hold a value; compute it with compile([...], node)() or Session(graph).run(node, feed_dict)"
            )
        return self.data["value"].copy()

    @property
    def value(self):
        return self.numpy()

    def assign(self, value):
        """Set a variable's value; shape and dtype must stay the same."""
        from .variables import assign_variable

        assign_variable(self, value)

    # --- identity and misuse ------------------------------------------------

    def __eq__(self, other):
        return isinstance(other, Node) and other.graph is self.graph and other.name == self.name

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash((id(self.graph), self.name))

    def __bool__(self):
        raise TypeError(
            f"the truth value of node {self.name!r} is unknown until the graph runs; "
            "use staticgraph.where(cond, a, b) in the graph, or run it and test the array"
        )

    def __iter__(self):
        raise TypeError(
            f"node {self.name!r} cannot be iterated; index it (node[i]) or use unstack-style ops"
        )

    def __len__(self):
        if not self.shape or self.shape[0] is None:
            raise TypeError(f"len() of node {self.name!r} with shape {format_shape(self.shape)} is unknown")
        return self.shape[0]

    def __repr__(self):
        return f"<staticgraph.Node {self.name!r} shape={format_shape(self.shape)} dtype={self.dtype}>"

    # --- operators ----------------------------------------------------------

    def __add__(self, other):
        return F.add(self, other)

    def __radd__(self, other):
        return F.add(other, self)

    def __sub__(self, other):
        return F.sub(self, other)

    def __rsub__(self, other):
        return F.sub(other, self)

    def __mul__(self, other):
        return F.mul(self, other)

    def __rmul__(self, other):
        return F.mul(other, self)

    def __truediv__(self, other):
        return F.div(self, other)

    def __rtruediv__(self, other):
        return F.div(other, self)

    def __matmul__(self, other):
        return F.matmul(self, other)

    def __rmatmul__(self, other):
        return F.matmul(other, self)

    def __pow__(self, other):
        return F.pow(self, other)

    def __rpow__(self, other):
        return F.pow(other, self)

    def __neg__(self):
        return F.neg(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return F.abs(self)

    def __lt__(self, other):
        return F.lt(self, other)

    def __le__(self, other):
        return F.le(self, other)

    def __gt__(self, other):
        return F.gt(self, other)

    def __ge__(self, other):
        return F.ge(self, other)

    def __getitem__(self, index):
        return F.getitem(self, index)


def format_shape(shape):
    """Return a shape as text, with '?' for None dims: (?, 4)."""
    dims = ", ".join("?" if dim is None else str(dim) for dim in shape)
    return f"({dims},)" if len(shape) == 1 else f"({dims})"


def check_not_module(value, op_name):
    """Raise ModuleUsageError when an ``nn`` module is passed where a node is expected."""
    if getattr(type(value), "_staticgraph_module", False):
        name = type(value).__name__
        functional_name = getattr(type(value), "functional_name", None)
        alternative = f", or use staticgraph.nn.functional.{functional_name}(x)" if functional_name else ""
        raise ModuleUsageError(
            f"{op_name}: received the module {name}() where a node was expected. A module must be called "
            f"on a node: write y = {name}()(x), or create layer = {name}() once in __init__ and write "
            f"y = layer(x) in forward{alternative}."
        )


def as_node(value, graph, dtype_partner=None, op_name="op"):
    """Return ``value`` as a Node of ``graph``: Nodes pass through, data becomes a constant."""
    if isinstance(value, Node):
        return value
    check_not_module(value, op_name)
    if isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)) and not isinstance(value, np.ndarray):
        dtype = python_scalar_dtype(value, dtype_partner)
        return variables.constant(value, dtype=dtype, graph=graph)
    try:
        return variables.constant(value, graph=graph)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{op_name}: cannot use {type(value).__name__} value {value!r} as an input; "
            "pass a Node, a number, a nested list of numbers or a NumPy array"
        ) from error


from .ops import functional as F  # noqa: E402  (functional builds Nodes)
from . import methods  # noqa: E402
from . import variables  # noqa: E402  (variables builds Nodes)

methods.install(Node)


def _article(word):
    return "an" if word[0] in "aeiou" else "a"
