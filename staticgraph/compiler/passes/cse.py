"""Common-subexpression elimination pass."""

import logging

logger = logging.getLogger(__name__)

# Constants larger than this are compared by identity only, to keep hashing cheap.
MAX_HASHED_CONSTANT_BYTES = 1 << 16


def _key(data):
    kind = data["kind"]
    if kind == "op":
        if not data["op"].pure:
            return None
        return ("op", data["op"], data["inputs"])
    if kind == "constant":
        value = data["value"]
        if value.nbytes > MAX_HASHED_CONSTANT_BYTES:
            return None
        return ("constant", value.dtype.str, value.shape, value.tobytes())
    return None  # placeholders and variables are distinct even with equal names or values


def eliminate_common_subexpressions(ir):
    """op(a, b) twice -> one node; equal small constants -> one constant.

    Placeholders, variables and random ops are never merged. Nodes are visited in
    topological order, so inputs are already canonical when a node's key is built.
    """
    nodes = ir.node_data
    seen = {}
    merged = 0
    for name in ir.topological_order():
        key = _key(nodes[name])
        if key is None:
            continue
        original = seen.get(key)
        if original is None:
            seen[key] = name
            continue
        ir.replace_all_uses(name, original)
        ir.remove_node(name)
        merged += 1
    if merged:
        logger.debug("eliminate_common_subexpressions: merged %d nodes", merged)
    return merged > 0
