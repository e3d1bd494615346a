"""Validation pass: check the IR's invariants before and between rewrites."""

import logging

from ...errors import GraphValidationError
from ...validate import validate_graph

logger = logging.getLogger(__name__)


def validate(ir, check_shapes=False):
    """Raise GraphValidationError unless the IR is well formed; never rewrites (returns False).

    Checks the structural invariants (inputs exist and come first, edges match
    inputs), that outputs and update values exist, and that every placeholder in
    the IR is one of the executable's inputs. Shapes were checked when the user
    built each node; ``validate_shapes`` re-runs every shape rule, for use after
    passes that rewrite ops.
    """
    validate_graph(ir.nx, check_shapes)
    missing = [name for name in ir.roots() if name not in ir.nx]
    if missing:
        raise GraphValidationError(f"outputs or update values {missing} are not in the IR; a pass removed a needed node")
    fed = set(ir.inputs)
    unfed = [name for name, data in ir.nx.nodes(data=True) if data["kind"] == "placeholder" and name not in fed]
    if unfed:
        raise GraphValidationError(f"placeholders {unfed} are needed but not inputs of the executable")
    logger.debug("validate: %d nodes are valid", len(ir))
    return False


def validate_shapes(ir):
    """Run ``validate`` and also re-run every op's shape and dtype rule; returns False."""
    return validate(ir, check_shapes=True)
