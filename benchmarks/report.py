"""Tables of results for the terminal and for Markdown, and the JSON record."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import formatting as fmt
from benchmarks.results import ABSENT, OK, CaseResult, CompileRecord

DETAIL_HEADERS = ["case", "implementation", "median", "spread", "x numpy", "build", "first call",
                  "step memory", "kept memory", "status"]
COMPILE_HEADERS = ["implementation", "ops", "nodes", "build", "gradients", "compile", "first call", "total",
                   "per op", "growth", "peak memory", "status"]


def _status(result, width: int | None) -> str:
    if result.status == OK:
        return "ok"
    text = f"{result.status}: {result.message}" if result.message else result.status
    return text if width is None or len(text) <= width else text[: width - 3] + "..."


def absent_implementations(cases: list[CaseResult]) -> dict[str, str]:
    """Return the implementations absent in every case, with the reason."""
    absent = {}
    for case in cases:
        for result in case.results:
            if result.status == ABSENT:
                absent.setdefault(result.implementation, result.message)
    return absent


def detail_rows(cases: list[CaseResult], status_width: int | None = 60) -> list[list[str]]:
    rows = []
    for case in cases:
        label = f"{case.variant} {case.size_label}"
        for result in case.results:
            if result.status == ABSENT:
                continue
            rows.append([label, result.implementation, fmt.seconds(result.median_s), fmt.percent(result.spread),
                         fmt.ratio(result.ratio), fmt.seconds(result.build_s), fmt.seconds(result.first_call_s),
                         fmt.size_in_bytes(result.memory_step), fmt.size_in_bytes(result.memory_retained),
                         _status(result, status_width)])
            label = ""
    return rows


def ratio_columns(cases: list[CaseResult]) -> list[str]:
    absent = absent_implementations(cases)
    names = []
    for case in cases:
        for result in case.results:
            if result.implementation not in names and result.implementation not in absent:
                names.append(result.implementation)
    return names


def ratio_rows(cases: list[CaseResult]) -> tuple[list[str], list[list[str]]]:
    """Return headers and rows of the summary: each case's median time as a ratio to NumPy."""
    names = ratio_columns(cases)
    rows = []
    for case in cases:
        row = [f"{case.workload} {case.variant} {case.size_label}"]
        for name in names:
            result = case.result(name)
            if result is None or result.status == ABSENT:
                row.append("-")
            elif result.status != OK:
                row.append(result.status)
            else:
                row.append(fmt.ratio(result.ratio))
        rows.append(row)
    return ["case", *names], rows


def compile_rows(records: list[CompileRecord]) -> list[list[str]]:
    rows = []
    for record in records:
        if record.status == ABSENT:
            continue
        per_op = record.total_s / record.length if record.total_s is not None else None
        growth = "-" if record.growth is None else f"n^{record.growth:.2f}"
        nodes = "-" if record.node_count is None else f"{record.node_count:,}"
        phases = [fmt.seconds(record.phases.get(name)) for name in ("build", "gradients", "compile")]
        rows.append([record.implementation, f"{record.length:,}", nodes, *phases, fmt.seconds(record.first_call_s),
                     fmt.seconds(record.total_s), fmt.seconds(per_op), growth,
                     fmt.size_in_bytes(record.peak_memory),
                     record.status if not record.message else f"{record.status}: {record.message}"[:60]])
    return rows


def group_by_workload(cases: list[CaseResult]) -> dict[str, list[CaseResult]]:
    groups: dict[str, list[CaseResult]] = {}
    for case in cases:
        groups.setdefault(case.workload, []).append(case)
    return groups


def write_json(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, default=_json_default) + "\n")


def _json_default(value):
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")
