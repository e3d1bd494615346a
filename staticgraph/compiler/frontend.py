"""``compile``: check the request, copy the needed subgraph, run the passes, generate code."""

import logging
import time

from ..errors import DTypeError, FeedError, UpdateError
from ..gcpause import cyclic_gc_paused
from ..graph import common_graph
from ..node import Node, check_not_module, format_shape
from . import codegen, ir as ir_module, pipeline

logger = logging.getLogger(__name__)


def _as_node_list(values, what):
    items = list(values) if isinstance(values, (list, tuple)) else [values]
    for item in items:
        check_not_module(item, "compile")
        if item is None:
            raise TypeError(
                f"compile: one of the {what} is None; gradients() returns None for an input that the "
                "output does not depend on, so leave that entry out"
            )
        if not isinstance(item, Node):
            raise TypeError(f"compile: {what} must be Nodes, got {type(item).__name__} {item!r}")
    return items


def _check_inputs(inputs):
    for node in inputs:
        if node.kind != "placeholder":
            raise FeedError(
                f"compile: input {node.describe()} is a {node.kind}, not a placeholder; only placeholders "
                "are fed. Make it a placeholder, or leave it out of inputs"
            )
    names = [node.name for node in inputs]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise FeedError(f"compile: placeholders {repeated} are listed more than once in inputs; list each once")


def _check_updates(updates):
    pairs = []
    for variable, value in updates.items():
        if not isinstance(variable, Node) or variable.kind != "variable":
            shown = variable.describe() if isinstance(variable, Node) else repr(variable)
            raise UpdateError(f"compile: updates key {shown} is not a variable; only variables can be updated")
        if not isinstance(value, Node):
            raise UpdateError(
                f"compile: the update of {variable.name!r} is {type(value).__name__}, not a Node; "
                "wrap a fixed value with staticgraph.constant(value)"
            )
        _check_update_fits(variable, value)
        pairs.append((variable, value))
    return pairs


def _check_update_fits(variable, value):
    rank_differs = len(value.shape) != len(variable.shape)
    if rank_differs or any(a is not None and a != b for a, b in zip(value.shape, variable.shape)):
        raise UpdateError(
            f"compile: update for variable {variable.name!r} of shape {format_shape(variable.shape)} has value "
            f"{value.describe()}; the new value must have the variable's shape, e.g. variable - lr * gradient"
        )
    if value.dtype != variable.dtype:
        raise DTypeError(
            f"compile: update for variable {variable.name!r} ({variable.dtype}) has dtype {value.dtype}; "
            f"cast it with staticgraph.cast(value, {variable.dtype.name!r})"
        )


def _check_all_fed(ir, inputs):
    fed = {node.name for node in inputs}
    nodes = ir.node_data
    missing = [name for name in ir.topological_order() if nodes[name]["kind"] == "placeholder" and name not in fed]
    if missing:
        details = "\n".join(f"  {ir.node(name).describe()}" for name in missing)
        error = FeedError(
            f"compile: the outputs need placeholders that are not inputs: {missing}\n{details}\n"
            "  fix: add them to inputs (compile([..., placeholder], outputs))"
        )
        error.missing, error.details = missing, details
        raise error


def compile(inputs, outputs, updates=None, optimize=True, check_numerics=False):  # noqa: A001 - the API's name
    """Compile the part of the graph that ``outputs`` and ``updates`` need into an Executable.

    ``inputs`` lists the placeholders in the order the executable takes them
    positionally (they may also be passed by name). ``outputs`` is a Node or a
    list/tuple of Nodes; the executable returns one array or a list accordingly.
    ``updates`` maps variables to new-value nodes, assigned atomically after each
    run. ``optimize`` is True (level 2), False (level 0), a level or a list of
    passes (see ``staticgraph.compiler.pipeline``): level 0 validates and
    prunes, level 1 adds constant folding and CSE, level 2 adds algebraic
    simplification, elementwise fusion and memory planning.
    ``check_numerics=True`` raises NumericsError at the first node whose value
    contains NaN or inf, and turns fusion off so that node is named.
    """
    from ..executable import Executable

    start = time.perf_counter()
    single = isinstance(outputs, Node)
    inputs = _as_node_list(inputs, "inputs") if inputs is not None else []
    outputs = _as_node_list(outputs, "outputs")
    update_pairs = _check_updates(dict(updates or {}))
    graph = common_graph(inputs + outputs + [node for pair in update_pairs for node in pair], "compile")
    _check_inputs(inputs)

    with cyclic_gc_paused():
        ir = ir_module.copy_needed(
            graph,
            [node.name for node in inputs],
            [node.name for node in outputs],
            [(variable.name, value.name) for variable, value in update_pairs],
        )
        for node in inputs:
            if node.name not in ir.nx:
                ir.nx.add_node(node.name, **graph.nx.nodes[node.name])
        _check_all_fed(ir, inputs)
        passes = pipeline.resolve(optimize)
        if check_numerics:
            passes = pipeline.without_fusion(passes)  # so the check names the first bad node, not its group
        records = pipeline.run_passes(ir, passes)
        executable = Executable(graph, ir, single, records, check_numerics)
    logger.debug("compile: %d outputs, %d nodes, %.4f s", len(outputs), len(ir), time.perf_counter() - start)
    return executable

