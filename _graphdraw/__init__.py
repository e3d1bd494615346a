"""Drawings of computational graphs shared by ``eager`` and ``staticgraph``.

Each package turns its graph into a ``Diagram`` of nodes, edges and optional
clusters. This package lays a diagram out in layers from inputs to outputs,
writes it as Graphviz DOT text, or renders it with matplotlib to PNG, SVG or
PDF.
No Graphviz installation is needed, and matplotlib only for pictures.
"""

from .diagram import Cluster, Diagram, DiagramEdge, DiagramNode
from .dot import to_dot
from .errors import DiagramError, MissingDependencyError, UnsupportedFormatError
from .layout import Layout, compute_layout
from .render import draw, svg_text
from .styles import EDGE_STYLES, NODE_STYLES

__all__ = [
    "Cluster",
    "Diagram",
    "DiagramEdge",
    "DiagramError",
    "DiagramNode",
    "EDGE_STYLES",
    "Layout",
    "MissingDependencyError",
    "NODE_STYLES",
    "UnsupportedFormatError",
    "compute_layout",
    "draw",
    "svg_text",
    "to_dot",
]
