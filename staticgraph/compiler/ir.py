"""The compiler IR: a copy of the part of a ``Graph`` that the outputs and updates need.

``IRGraph.nx`` is a networkx DiGraph with the same node layout as ``Graph.nx``
(documented in ``staticgraph.graph``); attribute dicts are shallow copies, so
passes may rewrite them without touching the user's graph. On top of that:

- ``inputs``: placeholder names in the order the executable takes them;
- ``outputs``: node names returned by the executable (may repeat);
- ``updates``: ``(variable_name, value_name)`` pairs, applied atomically after a run;
- ``variables``: names of variables whose values the executable reads at run time.

Passes keep the invariant that inputs have smaller ``index`` than consumers. A
node a pass creates with ``add_node(..., replaces=name)`` gets an index between
its inputs' and the replaced node's (a float; ``renumber()`` restores integers),
and ``topological_order()`` sorts by index.
"""

import collections

import networkx as nx

from ..graph import node_table
from ..validate import NodeView


class IRGraph:
    """The graph a compiler pipeline rewrites; see the module docstring for the layout."""

    def __init__(self, source_graph, inputs, outputs, updates):
        self.source_graph = source_graph
        self.nx = nx.DiGraph()
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.updates = list(updates)
        self._created = 0
        # Counts of each named rewrite, added to by the passes; the report shows them per pass.
        self.rewrite_counts = collections.Counter()
        # Set by the memory-planning pass; codegen allocates every value afresh without it.
        self.memory_plan = None
        # Symbolic shapes by node name, filled in by ``symbolic.symbolic_shapes``.
        self.symbolic_shape_cache = {}
        self._order = None  # cached topological order
        self._order_has_removed = False  # the cached order may still list removed nodes

    @property
    def variables(self):
        """Variable names the executable reads: those in the IR, then updated-only ones."""
        names = [name for name, data in self.node_data.items() if data["kind"] == "variable"]
        known = set(names)
        for variable, _ in self.updates:
            if variable not in known:
                known.add(variable)
                names.append(variable)
        return names

    @property
    def node_data(self):
        """``{name: attribute dict}`` of every node (``staticgraph.graph.node_table``); passes index it in their loops."""
        return node_table(self.nx)

    def node(self, name):
        return NodeView(self.nx, name)

    def __len__(self):
        return self.nx.number_of_nodes()

    def topological_order(self):
        """Return node names sorted by ``index`` (inputs always come first); callers must not modify the list.

        The order is cached until ``add_node`` or ``renumber`` runs, or the node
        count changes (a direct edit of ``nx``). After ``remove_node`` the cached
        list is filtered instead of sorted again.
        """
        nodes = self.node_data
        if self._order is not None and self._order_has_removed:
            self._order = [name for name in self._order if name in nodes]
        if self._order is None or len(self._order) != len(nodes):
            self._order = sorted(nodes, key=lambda name: nodes[name]["index"])
        self._order_has_removed = False
        return self._order

    def consumers(self, name):
        return list(self.nx.successors(name))

    def roots(self):
        """Names that must be computed: outputs and update values."""
        return list(self.outputs) + [value for _, value in self.updates]

    def add_node(self, name, replaces=None, **attributes):
        """Add a node named like ``name`` (made unique) and return its name.

        With ``replaces``, the new node takes that node's ``source`` and an index
        between its inputs' and the replaced node's, so index order stays topological.
        """
        unique = name
        while unique in self.nx:
            self._created += 1
            unique = f"{name}_ir{self._created}"
        attributes.setdefault("inputs", ())
        if replaces is not None:
            old = self.nx.nodes[replaces]
            attributes.setdefault("index", self._index_before(replaces, attributes["inputs"]))
            attributes.setdefault("source", old["source"])
        attributes.setdefault("op", None)
        self.symbolic_shape_cache.pop(unique, None)
        self._order = None
        self.nx.add_node(unique, **attributes)
        for input_name in attributes["inputs"]:
            self.nx.add_edge(input_name, unique)
        return unique

    def _index_before(self, replaces, inputs):
        """Return an index above every input's and below the replaced node's.

        The midpoint halves the gap each time; when floats run out of room, every
        node is renumbered 0, 1, 2, ... in topological order first.
        """
        nodes = self.node_data
        limit = nodes[replaces]["index"]
        low = max((nodes[name]["index"] for name in inputs), default=-1)
        index = (low + limit) / 2
        if low < index < limit:
            return index
        self.renumber()
        return self._index_before(replaces, inputs)

    def renumber(self):
        """Give the nodes consecutive integer indices in their current topological order."""
        nodes = self.node_data
        for position, name in enumerate(self.topological_order()):
            nodes[name]["index"] = position
        self._order = None

    def reorder(self, names):
        """Give the nodes indices 0, 1, 2, ... in the order of ``names``, which must be topological."""
        nodes = self.nx.nodes
        for position, name in enumerate(names):
            nodes[name]["index"] = position
        self._order = None

    def set_inputs(self, name, inputs):
        """Replace a node's inputs, keeping the edges in step."""
        data = self.node_data[name]
        old_inputs = set(data["inputs"])
        data["inputs"] = tuple(inputs)
        new_inputs = dict.fromkeys(data["inputs"])  # keeps the argument order, so edges are added in it
        for input_name in old_inputs:
            if input_name not in new_inputs:
                self.nx.remove_edge(input_name, name)
        for input_name in new_inputs:
            if input_name not in old_inputs:
                self.nx.add_edge(input_name, name)

    def replace_all_uses(self, old, new):
        """Make every consumer, output and update of ``old`` use ``new`` instead."""
        nodes = self.node_data
        for consumer in list(self.nx.successors(old)):
            inputs = tuple(new if input_name == old else input_name for input_name in nodes[consumer]["inputs"])
            self.set_inputs(consumer, inputs)
        if old in self.outputs:
            self.outputs = [new if name == old else name for name in self.outputs]
        if any(value == old for _, value in self.updates):
            self.updates = [(variable, new if value == old else value) for variable, value in self.updates]

    def remove_node(self, name):
        self.symbolic_shape_cache.pop(name, None)
        self._order_has_removed = self._order is not None
        self.nx.remove_node(name)

    def __str__(self):
        from ..printing import format_graph

        lines = [format_graph(self.nx)]
        lines.append("outputs: " + ", ".join(f"%{name}" for name in self.outputs))
        if self.updates:
            lines.append("updates: " + ", ".join(f"%{variable} <- %{value}" for variable, value in self.updates))
        return "\n".join(lines)


def copy_needed(graph, inputs, outputs, updates):
    """Return an IRGraph holding the nodes that ``outputs`` and the update values depend on."""
    ir = IRGraph(graph, inputs, outputs, updates)
    nodes = node_table(graph.nx)
    stack = list(ir.roots())
    needed = set(stack)
    while stack:
        for input_name in nodes[stack.pop()]["inputs"]:
            if input_name not in needed:
                needed.add(input_name)
                stack.append(input_name)
    if 2 * len(needed) >= len(nodes):
        # Graph.add_node inserts nodes in index order, so one pass in table order avoids the sort.
        ordered = [name for name in nodes if name in needed]
    else:
        ordered = sorted(needed, key=lambda name: nodes[name]["index"])
    ir.nx.add_nodes_from(ordered)
    ir_nodes = node_table(ir.nx)
    for name in ordered:
        ir_nodes[name].update(nodes[name])
    _drop_variable_values(ir_nodes, ordered)
    ir.nx.add_edges_from((input_name, name) for name in ordered for input_name in nodes[name]["inputs"])
    return ir


def _drop_variable_values(ir_nodes, names):
    """Leave variables' values out of the IR's attribute copies.

    The executable reads variables from the user's graph at every call, so a
    value held here would only keep an old array alive.
    """
    for name in names:
        data = ir_nodes[name]
        if data["kind"] == "variable":
            data.pop("value", None)
