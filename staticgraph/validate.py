"""Checks of the graph invariants, shared by ``Graph.validate`` and the compiler's validation pass.

Invariants: every input exists and was created before its consumer (so the graph is
acyclic and ``index`` order is topological), the edges match the ``inputs``
tuples, and every op node's stored shape and dtype agree with its op's rule.
"""

from .errors import GraphValidationError
from .graph import adjacency_tables, node_table
from .node import format_shape

MAX_LISTED_PROBLEMS = 10


class NodeView:
    """A read-only handle to a node of any networkx graph with the package's layout."""

    __slots__ = ("nx", "name")

    def __init__(self, nxgraph, name):
        self.nx = nxgraph
        self.name = name

    @property
    def data(self):
        return self.nx.nodes[self.name]

    @property
    def shape(self):
        return self.data["shape"]

    @property
    def dtype(self):
        return self.data["dtype"]

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def op(self):
        return self.data["op"]

    @property
    def kind(self):
        return self.data["kind"]

    @property
    def inputs(self):
        return [NodeView(self.nx, name) for name in self.data["inputs"]]

    def describe(self):
        from .source import describe_location

        return f"{self.name!r} (shape {format_shape(self.shape)}, {self.dtype}, {describe_location(self.data['source'])})"


def _compatible(stored, inferred):
    if len(stored) != len(inferred):
        return False
    return all(a is None or b is None or a == b for a, b in zip(stored, inferred))


def find_problems(nxgraph, check_shapes=True):
    """Return a list of problem descriptions (empty when the graph is valid).

    ``check_shapes=False`` skips re-running every op's shape rule, which is the
    slow part on large graphs.
    """
    problems = []
    nodes = node_table(nxgraph)
    _, predecessors = adjacency_tables(nxgraph)
    for name, data in nodes.items():
        inputs = data["inputs"]
        edges = predecessors[name]
        if not _inputs_agree(nodes, edges, inputs, data["index"]):
            problems.extend(_input_problems(nodes, edges, name, data))
            if any(input_name not in nodes for input_name in inputs):
                continue
        if data["kind"] == "op":
            if check_shapes:
                problems.extend(_check_inference(nxgraph, name, data))
        elif inputs:
            problems.append(f"{data['kind']} {name!r} has inputs {list(inputs)}; only op nodes have inputs")
    return problems


def _inputs_agree(nodes, edges, inputs, index):
    """Return whether every input exists, comes before the node and has an edge, with no other edges."""
    for input_name in inputs:
        input_data = nodes.get(input_name)
        if input_data is None or input_data["index"] >= index or input_name not in edges:
            return False
    return len(edges) <= len(inputs)


def _input_problems(nodes, edges, name, data):
    """Return what is wrong with a node's inputs: missing, created after it, or not matched by its edges."""
    inputs = data["inputs"]
    missing = [input_name for input_name in inputs if input_name not in nodes]
    if missing:
        return [f"node {name!r} has inputs {missing} that are not in the graph; add them or rewire the node"]
    problems = []
    index = data["index"]
    late = [input_name for input_name in inputs if nodes[input_name]["index"] >= index]
    if late:
        problems.append(f"node {name!r} has inputs {late} created after it, which can form a cycle; give inputs smaller indices")
    if len(edges) > len(inputs) or any(input_name not in edges for input_name in inputs):
        problems.append(f"edges into {name!r} do not match its inputs {list(inputs)}; add or remove edges to match")
    return problems


def _check_inference(nxgraph, name, data):
    try:
        shape, dtype = data["op"].infer([NodeView(nxgraph, input_name) for input_name in data["inputs"]])
    except (ValueError, TypeError) as error:
        return [f"op node {name!r} ({data['op']!r}) no longer accepts its inputs: {error}"]
    if not _compatible(data["shape"], shape) or dtype != data["dtype"]:
        return [
            f"op node {name!r} stores {format_shape(data['shape'])} {data['dtype']} but its op gives "
            f"{format_shape(shape)} {dtype}; update the stored shape and dtype"
        ]
    return []


def validate_graph(nxgraph, check_shapes=True):
    """Raise GraphValidationError listing the first problems, or return None when valid."""
    problems = find_problems(nxgraph, check_shapes)
    if not problems:
        return
    listed = problems[:MAX_LISTED_PROBLEMS]
    more = len(problems) - len(listed)
    text = "\n".join(f"  - {problem}" for problem in listed)
    suffix = f"\n  ... and {more} more" if more else ""
    raise GraphValidationError(f"graph is invalid ({len(problems)} problem(s)):\n{text}{suffix}")
