"""The Markdown version of a run: machine, method, summary ratios, details, compile cost, Iris demo."""

from __future__ import annotations

from benchmarks import environment, report, targets
from benchmarks import formatting as fmt
from benchmarks.peers import IMPLEMENTATIONS


def render(payload: dict, cases, records, demo) -> str:
    settings = payload["settings"]
    parts = ["# Benchmark results", "", f"Command: `{payload['command']}`", ""]
    parts += [f"- {line}" for line in environment.summary_lines(payload["environment"])]
    parts += ["", "Method: " + method_sentence(settings), ""]

    if demo is not None:
        parts += ["## Iris classifier in both modes", "", *demo_summary(demo), ""]
    if cases:
        headers, rows = report.ratio_rows(cases)
        parts += ["## Median time / hand-written NumPy", "", "Lower is faster; 1.00 is NumPy's speed.", "",
                  fmt.markdown_table(headers, rows), ""]
        verdicts = targets.evaluate(cases, records)
        parts += ["## Targets", "", fmt.markdown_table(targets.HEADERS, targets.rows(verdicts)), ""]
        parts += ["## Details", ""]
        for workload, group in report.group_by_workload(cases).items():
            parts += [f"### {workload}", "", fmt.markdown_table(report.DETAIL_HEADERS,
                                                                 report.detail_rows(group, None)), ""]
    if records:
        parts += ["## Compile cost", "", fmt.markdown_table(report.COMPILE_HEADERS, report.compile_rows(records)), ""]
    absent = report.absent_implementations(cases)
    if absent:
        parts += ["Absent: " + "; ".join(f"{name} ({reason})" for name, reason in absent.items()), ""]
    parts += ["Implementations: " + "; ".join(f"`{impl.name}`: {impl.description}" for impl in IMPLEMENTATIONS), ""]
    return "\n".join(parts)


def method_sentence(settings: dict) -> str:
    return (f"every implementation first returns the same values and gradients as NumPy (relative error at most "
            f"1e-4), then {settings['repeat']} chunks of about {settings['chunk_s'] * 1000:g} ms are timed per "
            f"implementation, interleaved round-robin in one process with a {settings['pause_s']:g} s pause "
            "whenever the next chunk belongs to another library; the median of the chunk means is reported, and the spread is half their "
            "interquartile range.")


def demo_summary(demo) -> list[str]:
    return [f"- epochs: {len(demo.eager_losses)}; final loss: eager {demo.eager_losses[-1]:.6f}, "
            f"static {demo.static_losses[-1]:.6f}",
            f"- largest difference between the loss curves: {demo.max_loss_difference:.3e}",
            f"- test accuracy: eager {demo.eager_accuracy:.3f}, static {demo.static_accuracy:.3f}"]
