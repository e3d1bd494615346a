"""Pruning pass: remove nodes that no output or update value depends on."""

import logging

logger = logging.getLogger(__name__)


def prune(ir):
    """Remove every node that is not an ancestor of an output or an update value.

    Placeholders that are inputs of the executable stay, so its signature does not change.
    """
    nodes = ir.node_data
    stack = list(ir.roots())
    live = set(stack) | set(ir.inputs)
    while stack:
        for input_name in nodes[stack.pop()]["inputs"]:
            if input_name not in live:
                live.add(input_name)
                stack.append(input_name)
    dead_names = nodes.keys() - live
    dead = [name for name in ir.topological_order() if name in dead_names] if dead_names else []
    for name in dead:
        ir.remove_node(name)
    if dead:
        logger.debug("prune: removed %d nodes: %s", len(dead), dead[:5])
    return bool(dead)
