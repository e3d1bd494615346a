"""The graph: a networkx DiGraph owned by ``Graph``, and the default-graph stack.

Layout (shared by ``Graph`` and the compiler IR in ``staticgraph.compiler.ir``)
-------------------------------------------------------------------------------
Each node is keyed by its unique name (a ``str`` such as ``"layer1/matmul_2"``) in
``graph.nx``, a ``networkx.DiGraph``. Its attribute dict holds:

``kind``
    ``"placeholder"``, ``"variable"``, ``"constant"`` or ``"op"``.
``op``
    The ``staticgraph.ops.base.Op`` value object for op nodes, else ``None``. Ops
    compare and hash by their type and declared attributes.
``inputs``
    Tuple of input node names, in argument order. A name may repeat (``x * x``
    has ``inputs == ("x", "x")``), so the order lives here, not in the edges.
``shape``
    Tuple of ints, with ``None`` for dims known only at run time.
``dtype``
    ``numpy.dtype``.
``source``
    ``staticgraph.source.SourceLocation`` of the user's line that created the
    node, or ``None``.
``index``
    Creation counter. A node's inputs always have smaller indices, so sorting by
    ``index`` gives a topological order without a graph traversal.
``value``
    ndarray: the fixed value of a constant, the current value of a variable.
``trainable``
    Variables only: whether ``nn`` modules and optimizers treat it as a parameter.
``generator``
    Random ops built with ``seed=`` or ``generator=`` only: the
    ``numpy.random.Generator`` they draw from, shared by every executable
    compiled from the graph. Random ops without it draw from the global generator.

Edges run from each distinct input to its consumer and carry no attributes;
``graph.nx.successors(name)`` lists consumers, ``inputs`` lists producers in order.
"""

import contextlib
import logging

import networkx as nx
import numpy as np

from .errors import GraphMismatchError
from .source import user_location

logger = logging.getLogger(__name__)

NODE_KINDS = ("placeholder", "variable", "constant", "op")


# NOTE: node_table and adjacency_tables read private networkx attributes (_node, _succ,
# _pred), checked with networkx 3.6.1; a release that renames them breaks only these two.


def node_table(nxgraph):
    """Return ``{name: attribute dict}`` for every node of ``nxgraph``.

    This is networkx's own mapping behind ``nxgraph.nodes``, so it never goes
    stale, and indexing it skips the view's per-lookup checks, which matters in
    loops over every node. Add and remove nodes through networkx, not through it.
    """
    return nxgraph._node


def adjacency_tables(nxgraph):
    """Return ``(successors, predecessors)``: ``{name: {neighbour name: edge data}}`` of a DiGraph.

    These are networkx's own dicts behind ``nxgraph.succ`` and ``nxgraph.pred``,
    which build a view object on every lookup. Change edges through networkx only.
    """
    return nxgraph._succ, nxgraph._pred


class Graph:
    """A define-then-run computation: nodes are added, then compiled and run."""

    def __init__(self):
        self.nx = nx.DiGraph()
        self._name_counts = {}
        self._scopes = []
        self._next_index = 0

    # --- building -----------------------------------------------------------

    def add_node(self, kind, *, shape, dtype, name=None, op=None, inputs=(), **attributes):
        """Add a node and return its ``Node`` handle.

        ``name`` is a requested name; scopes are prefixed and a suffix ``_1``,
        ``_2``, ... makes it unique. Extra keyword attributes are stored as is.
        """
        assert kind in NODE_KINDS, kind
        base = name
        if base is None:
            base = op.name if op is not None else kind
        unique = self.unique_name(self._scoped(base))
        inputs = tuple(inputs)
        self.nx.add_node(
            unique,
            kind=kind,
            op=op,
            inputs=inputs,
            shape=tuple(shape),
            dtype=np.dtype(dtype),
            source=user_location(),
            index=self._next_index,
            **attributes,
        )
        self._next_index += 1
        for input_name in inputs:
            self.nx.add_edge(input_name, unique)
        return Node(self, unique)

    def unique_name(self, name):
        """Return ``name``, or ``name_1``, ``name_2``, ... when it is taken."""
        if name not in self.nx:
            self._name_counts.setdefault(name, 0)
            return name
        count = self._name_counts.get(name, 0)
        while True:
            count += 1
            candidate = f"{name}_{count}"
            if candidate not in self.nx:
                self._name_counts[name] = count
                return candidate

    def _scoped(self, name):
        if not self._scopes:
            return name
        return "/".join(self._scopes) + "/" + name

    @contextlib.contextmanager
    def name_scope(self, name):
        """Prefix the names of nodes created inside with ``name/``."""
        if not name or not isinstance(name, str):
            raise ValueError(f"name_scope expects a non-empty string, got {name!r}")
        self._scopes.append(name.strip("/"))
        try:
            yield "/".join(self._scopes) + "/"
        finally:
            self._scopes.pop()

    @contextlib.contextmanager
    def as_default(self):
        """Make this graph the default graph inside the ``with`` block."""
        _default_stack.append(self)
        try:
            yield self
        finally:
            _default_stack.pop()

    # --- reading ------------------------------------------------------------

    def node(self, name):
        """Return the ``Node`` handle named ``name``; raise KeyError if there is none."""
        if name not in self.nx:
            raise KeyError(f"graph has no node named {name!r}")
        return Node(self, name)

    def nodes(self, kind=None):
        """Return Node handles in creation order, optionally only of one ``kind``."""
        return [
            Node(self, name)
            for name, data in self.nx.nodes(data=True)
            if kind is None or data["kind"] == kind
        ]

    def placeholders(self):
        return self.nodes("placeholder")

    def variables(self):
        return self.nodes("variable")

    def trainable_variables(self):
        return [node for node in self.variables() if self.nx.nodes[node.name]["trainable"]]

    def __contains__(self, node):
        return isinstance(node, Node) and node.graph is self

    def __len__(self):
        return self.nx.number_of_nodes()

    def validate(self):
        """Check the invariants: acyclic, inputs exist, stored shapes match inference."""
        from .validate import validate_graph

        validate_graph(self.nx)

    def print_tabular(self):
        """Return the graph as text, one line per node (``%name : shape dtype = op(%a)``)."""
        from .printing import format_graph

        return format_graph(self.nx)

    def __str__(self):
        return self.print_tabular()

    def __repr__(self):
        return f"<staticgraph.Graph with {len(self)} nodes>"


_root_graph = Graph()
_default_stack = []


def get_default_graph():
    """Return the graph that new nodes go to: the innermost ``as_default()`` or the root."""
    return _default_stack[-1] if _default_stack else _root_graph


def reset_default_graph():
    """Replace the root default graph with a new, empty one and return it.

    Raises inside a ``with graph.as_default():`` block, as TensorFlow 1.x does,
    because nodes built there would go to a graph that is no longer the default.
    """
    global _root_graph
    if _default_stack:
        raise RuntimeError(
            "reset_default_graph() was called inside 'with graph.as_default():'; "
            "call it outside every as_default block"
        )
    _root_graph = Graph()
    return _root_graph


def name_scope(name):
    """Prefix the names of nodes created inside with ``name/`` in the default graph."""
    return get_default_graph().name_scope(name)


def common_graph(nodes, op_name):
    """Return the one graph all ``nodes`` belong to; raise GraphMismatchError otherwise."""
    graph = None
    first = None
    for node in nodes:
        if graph is None:
            graph, first = node.graph, node
        elif node.graph is not graph:
            raise GraphMismatchError(
                f"{op_name}: input {node.name!r} belongs to a different graph than input "
                f"{first.name!r}; build every input of one op in the same graph "
                "(check which graph is the default with get_default_graph())" + _variable_hint(first, node)
            )
    return graph


def _variable_hint(*nodes):
    variables = [node.name for node in nodes if node.data["kind"] == "variable"]
    if not variables:
        return ""
    return (
        f". Variable {variables[0]!r} was created when its module or optimizer was constructed, so construct "
        "the model inside the same 'with graph.as_default():' block as its inputs"
    )


from .node import Node  # noqa: E402  (node.py needs Graph defined first)
