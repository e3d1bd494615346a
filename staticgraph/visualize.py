"""Pictures and DOT text of a graph, a subgraph or a compiled executable.

``draw(target, path=None)`` renders with matplotlib (PNG, SVG or PDF by the
suffix of ``path``); ``to_dot(target)`` returns Graphviz DOT text and needs no
extra package. ``target`` is one of:

- a ``Graph``: every node, with the nodes that have no consumers drawn as outputs;
- a ``Node`` or a list of Nodes: those nodes and everything they depend on;
- an ``Executable``: the graph after the compiler's passes, with its
  numbered outputs and its variable updates. A node that elementwise fusion
  made from several ops is drawn as those ops, framed as one fused kernel.

Placeholders are blue ellipses, variables green boxes, constants grey boxes
and ops rounded boxes labelled with the op and its shape. Nodes that
``gradients`` built (those in its ``gradients`` name scope) are orange, and
so are the edges into them.
"""

import logging

import numpy as np

import _graphdraw
from _graphdraw import Cluster, Diagram, DiagramEdge, DiagramNode

from .errors import GraphMismatchError
from .graph import Graph
from .node import Node, format_shape

logger = logging.getLogger(__name__)

GRADIENT_SCOPE = "gradients"
# Jupyter shows larger graphs as text, because their drawings are too big to read inline.
MAX_DISPLAY_NODES = 400
MAX_VALUE_CHARS = 20
MAX_OP_LINE_CHARS = 30

LEGEND = {
    "input": "placeholder",
    "parameter": "variable",
    "constant": "constant",
    "operation": "op",
    "gradient": "gradient op",
    "edge:gradient": "input of a gradient op",
    "cluster": "fused kernel",
}
KIND_OF = {"placeholder": "input", "variable": "parameter", "constant": "constant"}


def to_diagram(target, *, title: str = "") -> Diagram:
    """Return the ``_graphdraw.Diagram`` of a Graph, Node, list of Nodes or Executable."""
    if isinstance(target, Graph):
        nxgraph = target.nx
        outputs = [name for name in nxgraph.nodes if nxgraph.out_degree(name) == 0]
        builder = _Builder(nxgraph, outputs, numbered=False)
        return builder.build(list(nxgraph.nodes), [], title)

    ir = getattr(target, "ir", None)
    if ir is not None and hasattr(ir, "nx"):
        builder = _Builder(ir.nx, ir.outputs, gradient=_gradient_names_after_passes(ir),
                           source_nx=ir.source_graph.nx)
        return builder.build(_topological(ir.nx, ir.nx.nodes), ir.updates, title)

    nodes = _as_nodes(target)
    nxgraph = nodes[0].graph.nx
    names = _ancestors(nxgraph, [node.name for node in nodes])
    return _Builder(nxgraph, [node.name for node in nodes]).build(_topological(nxgraph, names), [], title)


def to_dot(target, *, direction: str = "TB") -> str:
    """Return Graphviz DOT text of ``target``; see the module docstring for what ``target`` may be."""
    return _graphdraw.to_dot(to_diagram(target), name="staticgraph", direction=direction)


def draw(target, path=None, *, direction: str = "TB", title: str = "", legend: bool = True):
    """Draw ``target`` with matplotlib and return the ``Figure``; also save it when ``path`` is given.

    ``path`` ends in ``.png``, ``.svg`` or ``.pdf``. ``direction`` is ``"TB"``
    (inputs at the top) or ``"LR"`` (inputs on the left). Raises
    ``MissingDependencyError`` when matplotlib is not installed.
    """
    diagram = to_diagram(target, title=title)
    logger.debug("drawing %d nodes and %d edges to %s", len(diagram.nodes), len(diagram.edges), path)
    return _graphdraw.draw(diagram, path, direction=direction, legend=legend)


def repr_svg(target):
    """Return SVG text for Jupyter, or None (plain text display) when matplotlib is absent or the graph is large."""
    diagram = to_diagram(target)
    if len(diagram.nodes) > MAX_DISPLAY_NODES:
        return None
    try:
        return _graphdraw.svg_text(diagram)
    except _graphdraw.MissingDependencyError:
        return None


def _gradient_names_after_passes(ir) -> set[str]:
    """Return the compiled graph's nodes that belong to the gradient part.

    A node keeps its name through most passes. A node that a pass created in
    place of another gets a new name but an ``index`` between its inputs' and
    the replaced node's, so it cannot be traced back. Such a node counts as
    gradient when one of its inputs does, because no forward value depends on
    a gradient value.
    """
    source_nx = ir.source_graph.nx
    gradient = set()
    for name in _topological(ir.nx, ir.nx.nodes):
        if name in source_nx:
            if _is_gradient(name):
                gradient.add(name)
        elif any(input_name in gradient for input_name in ir.nx.nodes[name]["inputs"]):
            gradient.add(name)
    return gradient


def _as_nodes(target) -> list[Node]:
    nodes = list(target) if isinstance(target, (list, tuple)) else [target]
    if not nodes:
        raise ValueError("draw/to_dot received an empty list; pass a Graph, an Executable or at least one Node")
    for node in nodes:
        if not isinstance(node, Node):
            raise TypeError(
                f"draw/to_dot expects a Graph, an Executable, a Node or a list of Nodes, "
                f"got {type(node).__name__} {node!r}"
            )
    graphs = {id(node.graph) for node in nodes}
    if len(graphs) > 1:
        raise GraphMismatchError(
            f"draw/to_dot received nodes from {len(graphs)} different graphs "
            f"({', '.join(repr(node.name) for node in nodes)}); draw each graph separately"
        )
    return nodes


def _ancestors(nxgraph, names: list[str]) -> set[str]:
    seen = set(names)
    stack = list(names)
    while stack:
        for input_name in nxgraph.nodes[stack.pop()]["inputs"]:
            if input_name not in seen:
                seen.add(input_name)
                stack.append(input_name)
    return seen


def _topological(nxgraph, names) -> list[str]:
    """Return ``names`` in creation order, which puts every input before its consumers."""
    return sorted(names, key=lambda name: nxgraph.nodes[name]["index"])


class _Builder:
    """Diagram nodes, edges and fused-group clusters of one graph, in topological order.

    ``gradient`` names the nodes drawn as the gradient part (by default those in
    the ``gradients`` name scope). ``source_nx`` is the user's graph behind a
    compiled graph; it gives the original ops of the steps of a fused group.
    With ``numbered``, each output's label ends with its position in ``outputs``.
    """

    def __init__(self, nxgraph, outputs, *, numbered=True, gradient=None, source_nx=None):
        self.nxgraph = nxgraph
        self.gradient = gradient
        self.source_nx = source_nx
        self.positions: dict[str, list[str]] = {}
        if numbered:
            for position, name in enumerate(outputs):
                self.positions.setdefault(name, []).append(str(position))
        self.highlighted = set(outputs)
        self.nodes: list[DiagramNode] = []
        self.edges: list[DiagramEdge] = []
        self.clusters: list[Cluster] = []

    def build(self, names: list[str], updates, title: str) -> Diagram:
        if self.gradient is None:
            self.gradient = {name for name in names if _is_gradient(name)}
        for name in names:
            data = self.nxgraph.nodes[name]
            steps = getattr(data["op"], "steps", None) if data["kind"] == "op" else None
            if steps is not None and len(steps) > 1:
                self._add_fused_group(name, data, steps)
            else:
                self._add_node(name, data, steps)

        for variable, value in updates:
            update_id = f"update:{variable}"
            self.nodes.append(DiagramNode(update_id, f"assign\n{variable}", "parameter", highlight=True))
            self.edges.append(DiagramEdge(value, update_id))
        return Diagram(nodes=self.nodes, edges=self.edges, clusters=self.clusters, title=title, legend=dict(LEGEND))

    def _add_node(self, name: str, data: dict, steps) -> None:
        """Add one node; a fused group of one step is drawn as the op it computes."""
        in_gradient = name in self.gradient
        if steps:
            label = f"{self._step_text(steps[0])}\n{format_shape(data['shape'])}"
            node = DiagramNode(name, label, "gradient" if in_gradient else "operation")
        else:
            node = _node(name, data, in_gradient)
        self.nodes.append(self._finish(node))
        kind = "gradient" if in_gradient else "data"
        for input_name in data["inputs"]:
            self.edges.append(DiagramEdge(input_name, name, kind=kind))

    def _add_fused_group(self, name: str, data: dict, steps) -> None:
        """Draw each step of a fused node as its own node, framed as one kernel; the last step keeps ``name``."""
        step_ids = [name if index == len(steps) - 1 else self._step_id(name, step) for index, step in enumerate(steps)]
        shape = format_shape(data["shape"])
        for step, step_id in zip(steps, step_ids):
            producers = [data["inputs"][position] if source == "input" else step_ids[position]
                         for source, position in step.arguments]
            if self.source_nx is not None and step.node in self.source_nx:
                in_gradient = _is_gradient(step.node)
            else:
                in_gradient = any(producer in self.gradient for producer in producers)
            if in_gradient:
                self.gradient.add(step_id)

            label = f"{self._step_text(step)}\n{shape}"
            node = DiagramNode(step_id, label, "gradient" if in_gradient else "operation")
            self.nodes.append(self._finish(node) if step_id == name else node)
            kind = "gradient" if in_gradient else "data"
            for producer in producers:
                self.edges.append(DiagramEdge(producer, step_id, kind=kind))
        self.clusters.append(Cluster(f"fused:{name}", "fused kernel", tuple(step_ids)))

    def _step_id(self, name: str, step) -> str:
        if step.node in self.nxgraph:
            return f"{name}/{step.node}"
        return step.node

    def _step_text(self, step) -> str:
        """Return the original op of a fused step from the user's graph, else the step's NumPy function."""
        if self.source_nx is not None and step.node in self.source_nx:
            op = self.source_nx.nodes[step.node]["op"]
            if op is not None:
                return _op_text(op)
        if step.cast is not None:
            return f"cast[dtype={np.dtype(step.cast).name}]"
        return step.ufunc

    def _finish(self, node: DiagramNode) -> DiagramNode:
        """Mark outputs: a thick border and, when numbered, their positions on a last line."""
        if node.id not in self.highlighted:
            return node
        label = node.label
        if node.id in self.positions:
            word = "output" if len(self.positions[node.id]) == 1 else "outputs"
            label = f"{label}\n{word} {', '.join(self.positions[node.id])}"
        return DiagramNode(node.id, label, node.kind, highlight=True)


def _is_gradient(name: str) -> bool:
    return GRADIENT_SCOPE in name.split("/")[:-1]


def _node(name: str, data: dict, in_gradient: bool) -> DiagramNode:
    kind = data["kind"]
    shape = format_shape(data["shape"])
    if kind == "op":
        drawn_kind = "gradient" if in_gradient else "operation"
        return DiagramNode(name, f"{_op_text(data['op'])}\n{shape}", drawn_kind)
    if kind == "constant":
        return DiagramNode(name, _constant_text(data), "constant")
    return DiagramNode(name, f"{name}\n{shape} {data['dtype']}", KIND_OF[kind])


def _op_text(op) -> str:
    """Return the op name and its attributes, leaving out those that are None or False.

    ``sum[dim=None, keepdim=False]`` becomes ``sum`` and ``sum[dim=1, keepdim=True]``
    becomes ``sum[dim=1, keepdim=True]``; a long attribute list moves to a second line.
    """
    shown = []
    for attribute in op.attributes:
        value = getattr(op, attribute)
        if value is None or value is False:
            continue
        shown.append(f"{attribute}={value.name if isinstance(value, np.dtype) else repr(value)}")
    if not shown:
        return op.name
    text = f"{op.name}[{', '.join(shown)}]"
    if len(text) <= MAX_OP_LINE_CHARS:
        return text
    return op.name + "\n" + ", ".join(shown)


def _constant_text(data: dict) -> str:
    value = np.asarray(data["value"])
    if value.ndim == 0:
        return _scalar_text(value)
    text = np.array2string(value, precision=4, separator=", ")
    if len(text) <= MAX_VALUE_CHARS and "\n" not in text:
        return text
    return f"constant\n{format_shape(data['shape'])} {data['dtype']}"


def _scalar_text(value: np.ndarray) -> str:
    if np.issubdtype(value.dtype, np.floating):
        return np.format_float_positional(value.item(), precision=4, trim="0")
    return str(value.item())


def _graph_to_dot(self, direction: str = "TB") -> str:
    """Return Graphviz DOT text of this graph, or of this executable after the passes."""
    return to_dot(self, direction=direction)


def _repr_svg_(self):
    return repr_svg(self)


def install_methods() -> None:
    """Give ``Graph`` and ``Executable`` a ``to_dot`` method and a Jupyter display (``_repr_svg_``)."""
    from .executable import Executable

    Graph.to_dot = _graph_to_dot
    Graph._repr_svg_ = _repr_svg_
    Executable.to_dot = _graph_to_dot
    Executable._repr_svg_ = _repr_svg_


install_methods()
