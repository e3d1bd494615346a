"""The description of a drawing: nodes, directed edges and optional clusters.

Both ``eager`` and ``staticgraph`` translate their graphs into a
``Diagram``. The layout, the DOT writer and the matplotlib renderer read only
this description, so neither package depends on the other.
"""

from dataclasses import dataclass, field

from .errors import DiagramError
from .styles import NODE_STYLES, EDGE_STYLES

DIRECTIONS = ("TB", "LR")


@dataclass(frozen=True)
class DiagramNode:
    """One box of the drawing.

    ``label`` may contain newlines; ``kind`` picks the shape and colour (a key
    of ``NODE_STYLES``); ``highlight`` draws a thick border, used for outputs.
    """

    id: str
    label: str
    kind: str = "operation"
    highlight: bool = False


@dataclass(frozen=True)
class DiagramEdge:
    """One arrow from ``source`` to ``target``; ``kind`` is a key of ``EDGE_STYLES``."""

    source: str
    target: str
    label: str = ""
    kind: str = "data"


@dataclass(frozen=True)
class Cluster:
    """A labelled group of nodes drawn inside one frame (a fused kernel, for example)."""

    id: str
    label: str
    members: tuple[str, ...]


@dataclass
class Diagram:
    """Nodes and edges in a fixed order; that order decides ties in the layout.

    ``legend`` maps a node kind to the text shown for it in the legend, in
    place of the kind's default description.
    """

    nodes: list[DiagramNode] = field(default_factory=list)
    edges: list[DiagramEdge] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    title: str = ""
    legend: dict[str, str] = field(default_factory=dict)

    def node_ids(self) -> list[str]:
        return [node.id for node in self.nodes]

    def validate(self) -> None:
        """Raise ``DiagramError`` unless ids are unique, kinds known and every reference resolves."""
        known = self._check_nodes()
        for edge in self.edges:
            _check_edge(edge, known)

        clustered: dict[str, str] = {}
        for cluster in self.clusters:
            for member in cluster.members:
                if member not in known:
                    raise DiagramError(
                        f"cluster {cluster.id!r} lists node {member!r}, which is not in the diagram; "
                        "add the node or drop it from the cluster"
                    )
                if member in clustered:
                    raise DiagramError(
                        f"node {member!r} is in clusters {clustered[member]!r} and {cluster.id!r}; "
                        "a node may belong to at most one cluster"
                    )
                clustered[member] = cluster.id

    def _check_nodes(self) -> set[str]:
        known: set[str] = set()
        for node in self.nodes:
            if node.id in known:
                raise DiagramError(f"node id {node.id!r} appears twice; give every node a unique id")
            if node.kind not in NODE_STYLES:
                raise DiagramError(
                    f"node {node.id!r} has kind {node.kind!r}; expected one of {sorted(NODE_STYLES)}"
                )
            known.add(node.id)
        return known


def _check_edge(edge: DiagramEdge, known: set[str]) -> None:
    for end in (edge.source, edge.target):
        if end not in known:
            raise DiagramError(
                f"edge {edge.source!r} -> {edge.target!r} refers to node {end!r}, which is not in the diagram"
            )
    if edge.source == edge.target:
        raise DiagramError(f"edge {edge.source!r} -> {edge.target!r} is a self-loop; a diagram must be acyclic")
    if edge.kind not in EDGE_STYLES:
        raise DiagramError(
            f"edge {edge.source!r} -> {edge.target!r} has kind {edge.kind!r}; expected one of {sorted(EDGE_STYLES)}"
        )


def check_direction(direction: str) -> None:
    """Raise ``DiagramError`` unless ``direction`` is ``"TB"`` or ``"LR"``."""
    if direction not in DIRECTIONS:
        raise DiagramError(f"direction {direction!r} is not supported; use 'TB' (top to bottom) or 'LR' (left to right)")
