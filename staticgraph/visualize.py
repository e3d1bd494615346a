"""Pictures and DOT text of a graph, a subgraph or a compiled executable.

``draw(target, path=None)`` renders with matplotlib (PNG, SVG or PDF by the
suffix of ``path``); ``to_dot(target)`` returns Graphviz DOT text and needs no
extra package. ``target`` is one of:

- a ``Graph``: every node, with the nodes that have no consumers drawn as outputs;
- a ``Node`` or a list of Nodes: those nodes and everything they depend on;
- an ``Executable``: the graph after the compiler's passes, with its
  numbered outputs and its variable updates. Nodes that a fusion pass marks
  with the same ``fused_group`` attribute (any label) are framed together as
  one fused kernel.

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
        return _diagram(nxgraph, list(nxgraph.nodes), outputs, [], title, numbered=False)

    ir = getattr(target, "ir", None)
    if ir is not None and hasattr(ir, "nx"):
        gradient = _gradient_names_after_passes(ir)
        return _diagram(ir.nx, _topological(ir.nx, ir.nx.nodes), ir.outputs, ir.updates, title, gradient=gradient)

    nodes = _as_nodes(target)
    nxgraph = nodes[0].graph.nx
    names = _ancestors(nxgraph, [node.name for node in nodes])
    return _diagram(nxgraph, _topological(nxgraph, names), [node.name for node in nodes], [], title)


def _gradient_names_after_passes(ir) -> set[str]:
    """Return the IR nodes that belong to the gradient part.

    A node that a pass created in place of another takes that node's
    ``index``, so the index finds the original in the user's graph even when
    the new node's name has lost the ``gradients/`` scope.
    """
    original_by_index = {data["index"]: name for name, data in ir.source_graph.nx.nodes(data=True)}
    gradient = set()
    for name, data in ir.nx.nodes(data=True):
        original = original_by_index.get(data["index"], name)
        if _is_gradient(name) or _is_gradient(original):
            gradient.add(name)
    return gradient


def to_dot(target, *, direction: str = "TB") -> str:
    """Return Graphviz DOT text of ``target``; see the module docstring for what ``target`` may be."""
    return _graphdraw.to_dot(to_diagram(target), name="staticgraph", direction=direction)


def draw(target, path=None, *, direction: str = "TB", title: str = "", legend: bool = True):
    """Draw ``target`` with matplotlib and return the ``Figure``; also save it when ``path`` is given.

    ``path`` ends in ``.png``, ``.svg`` or ``.pdf``. ``direction`` is ``"TB"``
    (inputs at the top) or ``"LR"`` (inputs on the left). Raises
    ``MissingDependencyError`` when matplotlib is not installed.
    """
    return _graphdraw.draw(to_diagram(target, title=title), path, direction=direction, legend=legend)


def repr_svg(target):
    """Return SVG text for Jupyter, or None (plain text display) when matplotlib is absent or the graph is large."""
    diagram = to_diagram(target)
    if len(diagram.nodes) > MAX_DISPLAY_NODES:
        return None
    try:
        return _graphdraw.svg_text(diagram)
    except _graphdraw.MissingDependencyError:
        return None


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


def _diagram(nxgraph, names: list[str], outputs, updates, title: str, numbered: bool = True,
             gradient: set[str] | None = None) -> Diagram:
    """Build the diagram; with ``numbered``, each output's label ends with its position in ``outputs``.

    ``gradient`` lists the nodes drawn as the gradient part; by default, those
    in the ``gradients`` name scope.
    """
    if gradient is None:
        gradient = {name for name in names if _is_gradient(name)}
    positions: dict[str, list[str]] = {}
    for position, name in enumerate(outputs):
        positions.setdefault(name, []).append(str(position))
    nodes = []
    for name in names:
        node = _node(name, nxgraph.nodes[name], name in positions, name in gradient)
        if numbered and name in positions:
            word = "output" if len(positions[name]) == 1 else "outputs"
            node = DiagramNode(node.id, f"{node.label}\n{word} {', '.join(positions[name])}", node.kind, True)
        nodes.append(node)
    edges = []
    for name in names:
        kind = "gradient" if name in gradient else "data"
        for input_name in nxgraph.nodes[name]["inputs"]:
            edges.append(DiagramEdge(input_name, name, kind=kind))

    for variable, value in updates:
        update_id = f"update:{variable}"
        nodes.append(DiagramNode(update_id, f"assign\n{variable}", "parameter", highlight=True))
        edges.append(DiagramEdge(value, update_id))

    clusters = _fused_clusters(nxgraph, names)
    return Diagram(nodes=nodes, edges=edges, clusters=clusters, title=title, legend=dict(LEGEND))


def _is_gradient(name: str) -> bool:
    return GRADIENT_SCOPE in name.split("/")[:-1]


def _node(name: str, data: dict, highlight: bool, in_gradient: bool) -> DiagramNode:
    kind = data["kind"]
    shape = format_shape(data["shape"])
    if kind == "op":
        drawn_kind = "gradient" if in_gradient else "operation"
        return DiagramNode(name, f"{_op_text(data['op'])}\n{shape}", drawn_kind, highlight)
    if kind == "constant":
        return DiagramNode(name, _constant_text(data), "constant", highlight)
    return DiagramNode(name, f"{name}\n{shape} {data['dtype']}", KIND_OF[kind], highlight)


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


def _fused_clusters(nxgraph, names: list[str]) -> list[Cluster]:
    """Return one cluster per fused group; nodes name their group in a ``fused_group`` attribute."""
    groups: dict[str, list[str]] = {}
    for name in names:
        group = nxgraph.nodes[name].get("fused_group")
        if group is not None:
            groups.setdefault(str(group), []).append(name)
    return [Cluster(f"fused:{group}", f"fused {group}", tuple(members)) for group, members in groups.items()]


def _graph_to_dot(self, direction: str = "TB") -> str:
    """Return Graphviz DOT text of every node in this graph."""
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
