"""Pictures and DOT text of the autograd graph behind a tensor, in the style of torchviz.

``draw(tensor, path=None)`` renders with matplotlib (PNG, SVG or PDF by the
suffix of ``path``); ``to_dot(tensor)`` returns Graphviz DOT text and needs no
extra package. The graph is what ``backward()`` would walk: starting from
``tensor.grad_fn``, every ``grad_fn`` reachable through ``next_functions``,
drawn by its name (``SubBackward0``, ...), with an arrow from each input's
node to the node that consumes it.

Each ``AccumulateGrad`` node is drawn as its leaf tensor (shape, dtype and
``requires_grad=True``), because that tensor is what receives ``.grad``.
Inputs that need no gradient (constants, tensors with
``requires_grad=False``) have no node in the autograd graph, so they are not
drawn, as in torchviz. The tensor itself is drawn as the green output.
"""

import logging

import _graphdraw
from _graphdraw import Diagram, DiagramEdge, DiagramNode

from .autograd.function import AccumulateGrad
from .errors import NotATensorError
from .tensor import Tensor

logger = logging.getLogger(__name__)

LEGEND = {
    "input": "leaf tensor (requires_grad=True)",
    "function": "backward function (grad_fn)",
    "output": "output tensor",
    "constant": "tensor without grad_fn",
}


def to_diagram(tensors, params=None, *, title: str = "") -> Diagram:
    """Return the ``_graphdraw.Diagram`` of the autograd graph behind one tensor or a list of tensors.

    ``params`` maps names to tensors (``dict(model.named_parameters())``, or
    ``{"a": a, "b": b}``); leaves and outputs found in it are labelled with
    their names.
    """
    roots = _as_tensors(tensors)
    names = _names_by_id(params)
    builder = _Builder(names)
    for index, root in enumerate(roots):
        builder.add_root(root, index)
    return Diagram(nodes=builder.nodes, edges=builder.edges, title=title, legend=dict(LEGEND))


def to_dot(tensors, params=None, *, direction: str = "TB") -> str:
    """Return Graphviz DOT text of the autograd graph behind ``tensors``; see ``to_diagram``."""
    return _graphdraw.to_dot(to_diagram(tensors, params), name="autograd", direction=direction)


def draw(tensors, path=None, params=None, *, direction: str = "TB", title: str = "", legend: bool = True):
    """Draw the autograd graph behind ``tensors`` and return the matplotlib ``Figure``.

    The figure is also saved when ``path`` (ending in ``.png``, ``.svg`` or
    ``.pdf``) is given. ``params`` names tensors as in ``to_diagram``.
    Raises ``MissingDependencyError`` when matplotlib is not installed.
    """
    diagram = to_diagram(tensors, params, title=title)
    logger.debug("drawing %d nodes and %d edges to %s", len(diagram.nodes), len(diagram.edges), path)
    return _graphdraw.draw(diagram, path, direction=direction, legend=legend)


def _as_tensors(tensors) -> list[Tensor]:
    items = list(tensors) if isinstance(tensors, (list, tuple)) else [tensors]
    if not items:
        raise NotATensorError("draw/to_dot received an empty list; pass a tensor or a list of tensors")
    for item in items:
        if not isinstance(item, Tensor):
            raise NotATensorError(f"draw/to_dot expects eager tensors, got {type(item).__name__} {item!r}")
    return items


def _names_by_id(params) -> dict[int, str]:
    if params is None:
        return {}
    if not hasattr(params, "items"):
        raise NotATensorError(
            f"params must map names to tensors, e.g. dict(model.named_parameters()), got {type(params).__name__}"
        )
    names = {}
    for name, tensor in params.items():
        if not isinstance(tensor, Tensor):
            raise NotATensorError(f"params[{name!r}] is {type(tensor).__name__}, expected an eager tensor")
        names[id(tensor)] = str(name)
    return names


def _tensor_text(tensor: Tensor) -> str:
    shape = tuple(tensor.shape)
    return f"{shape} {tensor.dtype}"


class _Builder:
    """Diagram nodes and edges in discovery order, with ids numbered in that order so output is deterministic."""

    def __init__(self, names: dict[int, str]):
        self.names = names
        self.nodes: list[DiagramNode] = []
        self.edges: list[DiagramEdge] = []
        self.ids: dict[int, str] = {}
        self.alive: list[object] = []  # keeps walked objects alive so their id() values stay unique

    def add_root(self, tensor: Tensor, index: int) -> None:
        label = self.names.get(id(tensor), "output" if index == 0 else f"output {index}")
        root_id = f"tensor{index}"
        grad_fn = tensor.grad_fn
        if grad_fn is None:
            # A leaf: drawn once, as itself, with whether it requires grad.
            kind = "input" if tensor.requires_grad else "constant"
            text = f"{label}\n{_tensor_text(tensor)}\nrequires_grad={tensor.requires_grad}"
            self.nodes.append(DiagramNode(root_id, text, kind, highlight=True))
            return

        self.nodes.append(DiagramNode(root_id, f"{label}\n{_tensor_text(tensor)}", "output", highlight=True))
        self.edges.append(DiagramEdge(self._walk(grad_fn), root_id))

    def _walk(self, start) -> str:
        """Add ``start`` and every function reachable from it (iteratively); return the id of ``start``."""
        if id(start) in self.ids:
            return self.ids[id(start)]
        start_id = self._visit(start)
        stack = [start]
        while stack:
            function = stack.pop()
            consumer_id = self.ids[id(function)]
            for next_function, _ in function.next_functions:
                if next_function is None:
                    continue
                if id(next_function) not in self.ids:
                    self._visit(next_function)
                    stack.append(next_function)
                self.edges.append(DiagramEdge(self.ids[id(next_function)], consumer_id))
        return start_id

    def _visit(self, function) -> str:
        node_id = f"fn{len(self.ids)}"
        self.ids[id(function)] = node_id
        self.alive.append(function)
        self.nodes.append(self._function_node(function, node_id))
        return node_id

    def _function_node(self, function, node_id: str) -> DiagramNode:
        if isinstance(function, AccumulateGrad):
            leaf = function.variable
            name = self.names.get(id(leaf), "leaf")
            text = f"{name}\n{_tensor_text(leaf)}\nrequires_grad={leaf.requires_grad}"
            return DiagramNode(node_id, text, "input")
        return DiagramNode(node_id, function.name(), "function")
