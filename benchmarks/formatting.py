"""Number formatting and plain-text and Markdown table rendering."""

from __future__ import annotations


def _three_digits(number: float) -> str:
    """Format with three significant digits, without switching to exponent notation at 1,000 and above."""
    return f"{number:.0f}" if abs(number) >= 100 else f"{number:.3g}"


def seconds(value: float | None) -> str:
    if value is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if value >= scale:
            return f"{_three_digits(value / scale)} {unit}"
    return f"{_three_digits(value / 1e-9)} ns"


def size_in_bytes(value: int | None) -> str:
    if value is None:
        return "-"
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if abs(value) >= scale:
            return f"{_three_digits(value / scale)} {unit}"
    return f"{value} B"


def ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def percent(value: float | None) -> str:
    return "-" if value is None else f"±{50 * value:.0f}%"


def text_table(headers: list[str], rows: list[list[str]]) -> str:
    """Render a table for the terminal: the first column left-aligned, the others right-aligned."""
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells):
        parts = [str(cell).ljust(w) if i == 0 else str(cell).rjust(w) for i, (cell, w) in enumerate(zip(cells, widths))]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    def line(cells):
        return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"

    alignment = "| " + " | ".join([":---"] + ["---:"] * (len(headers) - 1)) + " |"
    return "\n".join([line(headers), alignment, *(line(row) for row in rows)])
