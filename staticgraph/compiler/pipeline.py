"""The pass pipeline: which passes run at each optimization level, and the report they produce.

A pass is a function ``pass(ir) -> bool`` (whether it changed the IR) in its own
module under ``staticgraph.compiler.passes``. To add a pass, import it here and
list it in ``LEVELS``; ``compile(..., optimize=[...])`` also takes passes or their
names directly.
"""

import logging
import time
from typing import NamedTuple

from .passes.constant_folding import fold_constants
from .passes.cse import eliminate_common_subexpressions
from .passes.pruning import prune
from .passes.validation import validate, validate_shapes

logger = logging.getLogger(__name__)

PASSES = {
    "validate": validate,
    "validate_shapes": validate_shapes,
    "prune": prune,
    "fold_constants": fold_constants,
    "eliminate_common_subexpressions": eliminate_common_subexpressions,
}

LEVELS = {
    0: ["validate", "prune"],
    1: ["validate", "prune", "fold_constants", "eliminate_common_subexpressions", "prune", "validate"],
}

DEFAULT_LEVEL = 1


class PassRecord(NamedTuple):
    """One line of ``Executable.report()``."""

    name: str
    nodes_before: int
    nodes_after: int
    changed: bool
    seconds: float


def resolve(optimize):
    """Return the list of pass functions that ``optimize`` selects.

    ``optimize`` is True (the default level), False (level 0), an int level, or a
    list of pass functions or names from ``PASSES``.
    """
    if optimize is True:
        optimize = DEFAULT_LEVEL
    elif optimize is False:
        optimize = 0
    if isinstance(optimize, int):
        if optimize not in LEVELS:
            raise ValueError(f"optimize level {optimize} is unknown; use one of {sorted(LEVELS)}, True or False")
        return [PASSES[name] for name in LEVELS[optimize]]
    passes = []
    for item in optimize:
        if callable(item):
            passes.append(item)
        elif item in PASSES:
            passes.append(PASSES[item])
        else:
            raise ValueError(f"unknown pass {item!r}; known passes: {sorted(PASSES)}, or pass a function ir -> bool")
    return passes


def run_passes(ir, passes):
    """Run ``passes`` in order on ``ir`` and return one PassRecord per pass."""
    records = []
    for compiler_pass in passes:
        before = len(ir)
        start = time.perf_counter()
        changed = bool(compiler_pass(ir))
        seconds = time.perf_counter() - start
        name = getattr(compiler_pass, "__name__", repr(compiler_pass))
        records.append(PassRecord(name, before, len(ir), changed, seconds))
        logger.debug("pass %s: %d -> %d nodes in %.4f s", name, before, len(ir), seconds)
    return records


def format_report(records, codegen_seconds=None):
    """Return the pass records as an aligned text table."""
    lines = [f"{'pass':<34} {'before':>7} {'after':>7} {'changed':>8} {'ms':>9}"]
    for record in records:
        lines.append(
            f"{record.name:<34} {record.nodes_before:>7} {record.nodes_after:>7} "
            f"{'yes' if record.changed else 'no':>8} {record.seconds * 1000:>9.2f}"
        )
    if codegen_seconds is not None:
        lines.append(f"{'codegen':<34} {'':>7} {'':>7} {'':>8} {codegen_seconds * 1000:>9.2f}")
    return "\n".join(lines)
