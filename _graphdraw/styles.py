"""Shapes and colours of node and edge kinds, shared by the DOT writer and the renderer.

The fills are light so black labels stay readable; the kinds also differ in
shape or line style, so they stay distinct in a greyscale print.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class NodeStyle:
    """Drawing style of one node kind. ``shape`` is ``"box"``, ``"round"`` (rounded box) or ``"ellipse"``."""

    shape: str
    fill: str
    border: str
    description: str


@dataclass(frozen=True)
class EdgeStyle:
    """Drawing style of one edge kind: its colour and whether the line is dashed."""

    color: str
    dashed: bool
    description: str


NODE_STYLES: dict[str, NodeStyle] = {
    "input": NodeStyle("ellipse", "#cfe2f3", "#3d6fa8", "input"),
    "parameter": NodeStyle("box", "#d9ead3", "#4e8a3e", "parameter"),
    "constant": NodeStyle("box", "#eeeeee", "#8a8a8a", "constant"),
    "operation": NodeStyle("round", "#fff2cc", "#a8841a", "operation"),
    "gradient": NodeStyle("round", "#f9d3c0", "#c2572b", "gradient operation"),
    "function": NodeStyle("round", "#ececec", "#5f5f5f", "backward function"),
    "output": NodeStyle("box", "#caf2b0", "#3b7d23", "output"),
}

EDGE_STYLES: dict[str, EdgeStyle] = {
    "data": EdgeStyle("#4d4d4d", False, "value flow"),
    "gradient": EdgeStyle("#c2572b", True, "input of a gradient operation"),
}

CLUSTER_COLOR = "#7b4ea3"
HIGHLIGHT_WIDTH = 2.4
BORDER_WIDTH = 1.0
FONT_FAMILY = "DejaVu Sans"
