"""The pass pipeline: which passes run at each optimization level, and the report they produce.

A pass is a function ``pass(ir) -> bool`` (whether it changed the IR) in its own
module under ``staticgraph.compiler.passes``. To add a pass, import it here and
list it in ``LEVELS``; ``compile(..., optimize=[...])`` also takes passes or their
names directly.
"""

import collections
import logging
import time
from typing import NamedTuple

from .passes.constant_folding import fold_constants
from .passes.cse import eliminate_common_subexpressions
from .passes.fusion import fuse_elementwise
from .passes.memory import plan_memory
from .passes.pruning import prune
from .passes.schedule import schedule_for_memory
from .passes.simplify import simplify
from .passes.validation import validate, validate_shapes

logger = logging.getLogger(__name__)

# Passes that only check or clean up; a FixedPoint group runs no dead-code elimination after them.
_NOT_REWRITES = ("validate", "validate_shapes", "prune", "schedule_for_memory", "plan_memory")


def _pass_name(item):
    return item if isinstance(item, str) else getattr(item, "__name__", repr(item))


class FixedPoint:
    """A group of passes that the pipeline runs in turn until they stop changing the IR (at most ``max_rounds`` rounds)."""

    def __init__(self, *passes, max_rounds=10, name=None):
        self.passes = passes
        self.max_rounds = max_rounds
        self.__name__ = name or "fixed_point(" + ", ".join(_pass_name(item) for item in passes) + ")"

    def __repr__(self):
        return self.__name__


PASSES = {
    "validate": validate,
    "validate_shapes": validate_shapes,
    "prune": prune,
    "fold_constants": fold_constants,
    "eliminate_common_subexpressions": eliminate_common_subexpressions,
    "simplify": simplify,
    "fuse_elementwise": fuse_elementwise,
    "schedule_for_memory": schedule_for_memory,
    "plan_memory": plan_memory,
}
PASSES["fold_and_merge"] = FixedPoint(fold_constants, eliminate_common_subexpressions, name="fold_and_merge")
PASSES["fold_merge_simplify"] = FixedPoint(
    fold_constants, eliminate_common_subexpressions, simplify, name="fold_merge_simplify"
)

LEVELS = {
    0: ["validate", "prune"],
    1: ["validate", "prune", "fold_and_merge", "validate"],
    2: ["validate", "prune", "fold_merge_simplify", "fuse_elementwise", "schedule_for_memory", "plan_memory",
        "validate"],
}

DEFAULT_LEVEL = 2


class PassRecord(NamedTuple):
    """One line of ``Executable.report()``; ``rewrites`` counts each named rewrite the pass made."""

    name: str
    nodes_before: int
    nodes_after: int
    changed: bool
    seconds: float
    rewrites: dict = {}


def _resolve_item(item):
    if isinstance(item, FixedPoint):
        inner = [_resolve_item(inner) for inner in item.passes]
        return FixedPoint(*inner, max_rounds=item.max_rounds, name=item.__name__)
    if callable(item):
        return item
    if item in PASSES:
        return PASSES[item]
    raise ValueError(f"unknown pass {item!r}; known passes: {sorted(PASSES)}, or pass a function ir -> bool")


def resolve(optimize):
    """Return the list of passes that ``optimize`` selects.

    ``optimize`` is True (the default level), False (level 0), an int level, or a
    list of pass functions, names from ``PASSES`` and ``FixedPoint`` groups.
    """
    if optimize is True:
        optimize = DEFAULT_LEVEL
    elif optimize is False:
        optimize = 0
    if isinstance(optimize, int):
        if optimize not in LEVELS:
            raise ValueError(f"optimize level {optimize} is unknown; use one of {sorted(LEVELS)}, True or False")
        optimize = LEVELS[optimize]
    return [_resolve_item(item) for item in optimize]


def without_fusion(passes):
    """Return ``passes`` without elementwise fusion."""
    return [compiler_pass for compiler_pass in passes if compiler_pass is not fuse_elementwise]


def run_passes(ir, passes):
    """Run ``passes`` in order on ``ir`` and return one PassRecord per pass run.

    A ``FixedPoint`` group records each inner run, and inside it dead-code
    elimination (``prune``) runs after every pass that changed the IR.
    """
    records = []
    for compiler_pass in passes:
        if isinstance(compiler_pass, FixedPoint):
            _run_fixed_point(ir, compiler_pass, records)
        else:
            _run_one(ir, compiler_pass, records)
    return records


def _run_fixed_point(ir, group, records):
    """Run the group's passes in turn until every other pass has run since the last change.

    Each pass is assumed idempotent (running it again right after itself
    changes nothing), so the pass that made the last change is not run again.
    A last record sums up the group.
    """
    before = len(ir)
    start = time.perf_counter()
    first = len(records)
    unchanged_runs = 0
    runs = 0
    limit = group.max_rounds * len(group.passes)
    while (runs < len(group.passes) or unchanged_runs < len(group.passes) - 1) and runs < limit:
        compiler_pass = group.passes[runs % len(group.passes)]
        runs += 1
        if _run_one(ir, compiler_pass, records):
            unchanged_runs = 0
            if _pass_name(compiler_pass) not in _NOT_REWRITES:
                _run_one(ir, prune, records)
        else:
            unchanged_runs += 1
    if runs >= limit and unchanged_runs < len(group.passes) - 1:
        logger.warning("%s still changed the IR after %d rounds; continuing with the last IR",
                       group.__name__, group.max_rounds)
    inner = records[first:]
    rewrites = collections.Counter()
    for record in inner:
        rewrites.update(record.rewrites)
    changed = any(record.changed for record in inner)
    records.append(PassRecord(group.__name__, before, len(ir), changed, time.perf_counter() - start, dict(rewrites)))
    return changed


def _run_one(ir, compiler_pass, records):
    name = _pass_name(compiler_pass)
    before = len(ir)
    counts_before = dict(ir.rewrite_counts)
    start = time.perf_counter()
    changed = bool(compiler_pass(ir))
    seconds = time.perf_counter() - start
    rewrites = {key: count - counts_before.get(key, 0) for key, count in ir.rewrite_counts.items()
                if count != counts_before.get(key, 0)}
    records.append(PassRecord(name, before, len(ir), changed, seconds, rewrites))
    logger.debug("pass %s: %d -> %d nodes in %.4f s", name, before, len(ir), seconds)
    return changed


def format_report(records, codegen_seconds=None):
    """Return the pass records as an aligned text table, with each pass's rewrites after its line."""
    lines = [f"{'pass':<34} {'before':>7} {'after':>7} {'changed':>8} {'ms':>9}  rewrites"]
    for record in records:
        rewrites = ", ".join(f"{key} x{count}" for key, count in sorted(record.rewrites.items()))
        lines.append(
            f"{record.name:<34} {record.nodes_before:>7} {record.nodes_after:>7} "
            f"{'yes' if record.changed else 'no':>8} {record.seconds * 1000:>9.2f}  {rewrites}".rstrip()
        )
    if codegen_seconds is not None:
        lines.append(f"{'codegen':<34} {'':>7} {'':>7} {'':>8} {codegen_seconds * 1000:>9.2f}")
    return "\n".join(lines)
