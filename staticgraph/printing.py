"""Text form of a graph: one line per node, ``%name : shape dtype = op[attrs](%a, %b)``."""

from .node import format_shape


def format_node(name, data):
    """Return the one-line form of a node."""
    head = f"%{name} : {format_shape(data['shape'])} {data['dtype']}"
    kind = data["kind"]
    if kind == "op":
        arguments = ", ".join(f"%{input_name}" for input_name in data["inputs"])
        return f"{head} = {data['op']!r}({arguments})"
    if kind == "constant" and data["value"].size <= 4:
        return f"{head} = constant({data['value'].tolist()!r})"
    return f"{head} = {kind}"


def format_graph(nxgraph):
    """Return every node's line in creation order."""
    return "\n".join(format_node(name, data) for name, data in nxgraph.nodes(data=True))
