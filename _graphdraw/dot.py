"""Graphviz DOT text for a ``Diagram``; writing the text needs no Graphviz install."""

from .diagram import Diagram, DiagramEdge, DiagramNode, check_direction
from .styles import CLUSTER_COLOR, EDGE_STYLES, FONT_FAMILY, HIGHLIGHT_WIDTH, NODE_STYLES

def quote(text: str) -> str:
    """Return ``text`` as a double-quoted DOT string; newlines become Graphviz's ``\\n`` line breaks."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(diagram: Diagram, *, name: str = "G", direction: str = "TB") -> str:
    """Return DOT text with one statement per node, edge and cluster, in the diagram's order."""
    check_direction(direction)
    diagram.validate()

    lines = [f"digraph {quote(name)} {{", f"  rankdir={direction};"]
    lines.append(f"  node [fontname={quote(FONT_FAMILY)}, fontsize=10];")
    lines.append(f"  edge [fontname={quote(FONT_FAMILY)}, fontsize=8];")
    if diagram.title:
        lines.append(f"  label={quote(diagram.title)};")
        lines.append("  labelloc=t;")

    lines.extend(_node_statement(node) for node in diagram.nodes)
    lines.extend(_edge_statement(edge) for edge in diagram.edges)
    for index, cluster in enumerate(diagram.clusters):
        lines.append(f"  subgraph {quote(f'cluster_{index}')} {{")
        lines.append(f"    label={quote(cluster.label)};")
        lines.append(f'    style="dashed,rounded"; color={quote(CLUSTER_COLOR)};')
        lines.extend(f"    {quote(member)};" for member in cluster.members)
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node_statement(node: DiagramNode) -> str:
    style = NODE_STYLES[node.kind]
    shape = "ellipse" if style.shape == "ellipse" else "box"
    fill_style = "rounded,filled" if style.shape == "round" else "filled"
    attributes = [
        f"label={quote(node.label)}",
        f"shape={shape}",
        f"style={quote(fill_style)}",
        f"fillcolor={quote(style.fill)}",
        f"color={quote(style.border)}",
    ]
    if node.highlight:
        attributes.append(f"penwidth={HIGHLIGHT_WIDTH}")
    return f"  {quote(node.id)} [{', '.join(attributes)}];"


def _edge_statement(edge: DiagramEdge) -> str:
    style = EDGE_STYLES[edge.kind]
    attributes = [f"color={quote(style.color)}"]
    if style.dashed:
        attributes.append("style=dashed")
    if edge.label:
        attributes.append(f"label={quote(edge.label)}")
    return f"  {quote(edge.source)} -> {quote(edge.target)} [{', '.join(attributes)}];"
