"""The speed and memory targets for ``staticgraph`` and ``eager``, checked against one run's results.

Every target is a ratio within the same run, so it holds on any machine
where the run itself is steady.  A target whose cases were not run is
reported as not measured.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from benchmarks.results import OK

MLP_BACKWARD = "forward+backward"
SGD_STEP = "sgd step"
# Growth of n log n between 10,000 and 100,000 as an exponent of n: 1 + log10(ln(1e5) / ln(1e4)).
N_LOG_N_EXPONENT = 1 + math.log10(math.log(1e5) / math.log(1e4))


@dataclass
class Verdict:
    target: str
    measured: str
    met: bool | None

    @property
    def status(self) -> str:
        return {True: "met", False: "missed", None: "not measured"}[self.met]


def evaluate(cases, records) -> list[Verdict]:
    lookup = {(c.workload, c.variant, c.size): c for c in cases}
    verdicts = []
    verdicts += _ratio_targets(lookup)
    verdicts += _faster_than_torch(lookup)
    verdicts.append(_memory_target(lookup))
    verdicts += _compile_targets(records)
    return verdicts


def _ratio(lookup, workload, variant, size, implementation):
    case = lookup.get((workload, variant, size))
    result = case.result(implementation) if case else None
    return result.ratio if result is not None and result.status == OK else None


def _at_most(label: str, value, limit: float) -> Verdict:
    if value is None:
        return Verdict(f"{label} <= {limit:g}x NumPy", "-", None)
    return Verdict(f"{label} <= {limit:g}x NumPy", f"{value:.2f}x", value <= limit)


def _ratio_targets(lookup) -> list[Verdict]:
    checks = [("static", "mlp", 1, 1.3), ("static", "mlp", 150, 1.0), ("static", "mlp", 4096, 1.0),
              ("static", "mlp784", 1, 1.3), ("static", "mlp784", 150, 1.0), ("static", "mlp784", 1024, 1.0),
              ("eager", "mlp", 1, 3.0), ("eager", "mlp", 4096, 1.3)]
    verdicts = [_at_most(f"{impl} {workload} fwd+bwd batch {size}", _ratio(lookup, workload, MLP_BACKWARD, size, impl),
                         limit) for impl, workload, size, limit in checks]
    verdicts.append(_at_most("static compute_z value+grad 0-d", _ratio(lookup, "compute_z", "value+grad", 0, "static"),
                             1.5))
    return verdicts


def _faster_than_torch(lookup) -> list[Verdict]:
    verdicts = []
    for (workload, variant, size), case in lookup.items():
        if not workload.startswith("mlp") or size > 150:
            continue
        static, torch = case.result("static"), case.result("torch")
        label = f"static faster than torch: {workload} {variant} batch {size}"
        if static is None or torch is None or static.status != OK or torch.status != OK:
            verdicts.append(Verdict(label, "-", None))
            continue
        verdicts.append(Verdict(label, f"{static.median_s / torch.median_s:.2g}x torch", static.median_s < torch.median_s))
    return verdicts


def _memory_target(lookup) -> Verdict:
    label = "static mlp784 sgd step batch 1024 memory (step + kept) <= 0.7x eager"
    case = lookup.get(("mlp784", SGD_STEP, 1024))
    results = [case.result(name) if case else None for name in ("static", "eager")]
    if any(r is None or r.memory_step is None or r.memory_retained is None for r in results):
        return Verdict(label, "-", None)
    static, eager = (r.memory_step + r.memory_retained for r in results)
    return Verdict(label, f"{static / eager:.2f}x", static <= 0.7 * eager)


def _compile_targets(records) -> list[Verdict]:
    static = [r for r in records if r.implementation == "static" and r.status == OK and r.node_count]
    small, large = (_near_node_count(static, nodes) for nodes in (10_000, 100_000))
    verdicts = [Verdict("static compile of a 10,000-node graph (build, gradients, passes) < 1 s",
                        f"{small.total_s:.2f} s, {small.node_count:,} nodes" if small else "-",
                        small.total_s < 1.0 if small else None)]
    growth = None
    if small and large:
        growth = math.log(large.total_s / small.total_s) / math.log(large.node_count / small.node_count)
    verdicts.append(Verdict(f"static compile growth 10,000 -> 100,000 nodes <= n log n (exponent {N_LOG_N_EXPONENT:.2f})",
                            f"n^{growth:.2f}" if growth is not None else "-",
                            growth <= N_LOG_N_EXPONENT if growth is not None else None))
    return verdicts


def _near_node_count(records, nodes: int, within: float = 0.05):
    """Return the record whose graph has within 5 % of ``nodes`` nodes, or None."""
    near = [r for r in records if abs(r.node_count - nodes) <= within * nodes]
    return min(near, key=lambda r: abs(r.node_count - nodes), default=None)


def rows(verdicts: list[Verdict]) -> list[list[str]]:
    return [[v.target, v.measured, v.status] for v in verdicts]


HEADERS = ["target", "measured", "status"]
