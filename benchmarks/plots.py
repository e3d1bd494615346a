"""PNG plots of time against batch size and compile time against graph size, when matplotlib is installed."""

from __future__ import annotations

import logging
from pathlib import Path

from benchmarks.results import OK

logger = logging.getLogger(__name__)


def write_plots(directory: Path, cases, records) -> list[Path]:
    """Write the plots that the results allow; return their paths (none without matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        logger.info("matplotlib is not installed; no plots written")
        return []
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for workload in ("mlp", "mlp784", "compute_z"):
        for variant in sorted({case.variant for case in cases if case.workload == workload}):
            selected = [case for case in cases if case.workload == workload and case.variant == variant]
            if len(selected) > 1:
                written.append(_plot_cases(plt, directory, workload, variant, selected))
    if any(record.status == OK for record in records):
        written.append(_plot_compile(plt, directory, records))
    return written


def _plot_cases(plt, directory: Path, workload: str, variant: str, cases) -> Path:
    figure, axes = plt.subplots(figsize=(7, 4.5))
    names = []
    for case in cases:
        names += [r.implementation for r in case.results if r.implementation not in names]
    for name in names:
        points = [(max(case.size, 1), case.result(name).median_s) for case in cases
                  if case.result(name) is not None and case.result(name).median_s is not None]
        if points:
            axes.plot(*zip(*points), marker="o", label=name)
    axes.set(xscale="log", yscale="log", xlabel="batch size" if workload.startswith("mlp") else "elements (0-d plotted at 1)",
             ylabel="median seconds per call", title=f"{workload} {variant}")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize="small")
    path = directory / f"{workload}_{variant.replace('+', '_').replace(' ', '_')}.png"
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path


def _plot_compile(plt, directory: Path, records) -> Path:
    figure, axes = plt.subplots(figsize=(7, 4.5))
    names = []
    for record in records:
        if record.implementation not in names:
            names.append(record.implementation)
    for name in names:
        points = [(r.length, r.total_s) for r in records if r.implementation == name and r.status == OK]
        if points:
            axes.plot(*zip(*points), marker="o", label=name)
    axes.set(xscale="log", yscale="log", xlabel="ops in the chain", ylabel="build + gradients + compile (s)",
             title="compile cost")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize="small")
    path = directory / "compile_cost.png"
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path
