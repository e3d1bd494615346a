"""Constant folding pass: evaluate op nodes whose inputs are all constants."""

import logging

import numpy as np

logger = logging.getLogger(__name__)


def fold_constants(ir):
    """op(c1, ..., cn) -> constant(op.compute(c1, ..., cn)) for pure ops on constants.

    Random ops are never folded. A kernel that fails is left in place so the error
    surfaces at run time with the node's details. The folded node keeps its name,
    index and source line.
    """
    nodes = ir.node_data
    folded = 0
    for name in ir.topological_order():
        data = nodes[name]
        if data["kind"] != "op" or not data["op"].pure:
            continue
        inputs = data["inputs"]
        if not all(nodes[input_name]["kind"] == "constant" for input_name in inputs):
            continue
        value = _evaluate(data, [nodes[input_name]["value"] for input_name in inputs], name)
        if value is None:
            continue
        ir.set_inputs(name, ())
        data.update(kind="constant", op=None, value=value, shape=value.shape)
        folded += 1
    if folded:
        logger.debug("fold_constants: folded %d nodes", folded)
    return folded > 0


def _evaluate(data, values, name):
    try:
        with np.errstate(all="ignore"):
            value = np.array(data["op"].compute(*values), dtype=data["dtype"])
    except Exception as error:  # noqa: BLE001 - any kernel failure means "do not fold"
        logger.debug("fold_constants: left %s unfolded because its kernel raised %r", name, error)
        return None
    value.setflags(write=False)
    return value
