"""Result tables: the book's recorded value beside eager's and static's."""

import math
from dataclasses import dataclass, field

import numpy as np

MODES = ("eager", "static")
# Largest difference between eager's and static's losses, outputs and final
# weights that still counts as agreement: none, because both packages use the
# same kernels and gradient formulas and start from the same weights.
AGREEMENT_TOLERANCE = 0.0


@dataclass(frozen=True)
class WithinOf:
    """Passes when ``|value - book| <= tolerance``."""

    tolerance: float

    def holds(self, value, book):
        return abs(value - book) <= self.tolerance

    def describe(self):
        return f"|diff| <= {self.tolerance:g}"


@dataclass(frozen=True)
class AtMost:
    """Passes when ``value <= limit``, for losses where lower is better."""

    limit: float

    def holds(self, value, book):
        return value <= self.limit

    def describe(self):
        return f"<= {self.limit:g}"


@dataclass(frozen=True)
class SameDigits:
    """Passes when the value printed with ``decimals`` decimals equals the book's."""

    decimals: int = 4

    def holds(self, value, book):
        return f"{value:.{self.decimals}f}" == f"{book:.{self.decimals}f}"

    def describe(self):
        return f"exact, {self.decimals} decimals"


@dataclass(frozen=True)
class NotCompared:
    """Shown for values measured on other data than the book's."""

    reason: str

    def holds(self, value, book):
        return True

    def describe(self):
        return self.reason


@dataclass(frozen=True)
class Row:
    """One measured quantity: the book's value, each mode's value, how they are compared and the seed used."""

    label: str
    book: float
    book_text: str
    values: dict
    check: object
    seed: int = None

    def status(self, quick):
        if isinstance(self.check, NotCompared):
            return "n/a"
        if quick:
            return "quick run"
        return "ok" if all(self.check.holds(v, self.book) for v in self.values.values()) else "OUT OF MARGIN"


@dataclass
class Report:
    """Everything printed for one example run."""

    name: str
    setup: str
    data: str
    rows: list = field(default_factory=list)
    agreement: float = None
    quick: bool = False
    seconds: dict = field(default_factory=dict)
    compared: str = "losses, outputs and final weights"
    problems: list = field(default_factory=list)

    def add_results(self, results, label=None):
        """Record each mode's training time and any non-finite loss from :class:`~examples.training.TrainResult` by mode."""
        for mode, result in results.items():
            self.seconds[mode] = self.seconds.get(mode, 0.0) + result.seconds
            diverged = np.flatnonzero(~np.isfinite(result.losses))
            if diverged.size:
                model = f"{label}, " if label else ""
                self.problems.append(f"{model}{mode} mode: the training loss is not finite from step {diverged[0]} on")

    def add(self, label, book, book_text, values, check, seed=None):
        self.rows.append(Row(label, book, book_text, dict(values), check, seed))

    def failures(self):
        """Return one line per problem: non-finite losses, disagreeing modes, results outside the book's margin.

        Quick runs are not compared with the book.
        """
        failures = [f"{self.name}: {problem}" for problem in self.problems]
        if self.agreement is not None and not self.agreement <= AGREEMENT_TOLERANCE:
            failures.append(f"{self.name}: eager and static differ by {self.agreement:.3g}, more than {AGREEMENT_TOLERANCE:g}")
        if not self.quick:
            failures += [f"{self.name}: {row.label} is outside {row.check.describe()} of the book's {row.book_text}"
                         for row in self.rows if row.status(self.quick) == "OUT OF MARGIN"]
        return failures


def format_report(report):
    """Return the report as a plain-text table with a header and an agreement line."""
    header = ["result", "seed", "book", *MODES, "margin", "status"]
    lines = [
        [row.label, _format_seed(row.seed), row.book_text, *(_format_value(row.values.get(mode)) for mode in MODES),
         row.check.describe(), row.status(report.quick)]
        for row in report.rows
    ]
    text = [f"== {report.name}{' (quick run)' if report.quick else ''} ==", f"setup: {report.setup}", f"data:  {report.data}", ""]
    text += _align([header, *lines])
    text.append("")
    text.append(_agreement_line(report.agreement, report.compared))
    text += [f"warning: {problem}" for problem in report.problems]
    if report.seconds:
        text.append("time:  " + ", ".join(f"{mode} {seconds:.1f} s" for mode, seconds in report.seconds.items()))
    return "\n".join(text)


def format_sweep(name, reports):
    """Return one line per seed and result of ``reports`` (one report per seed), then a count within margin."""
    rows_by_label = {}
    for report in reports:
        for row in report.rows:
            rows_by_label.setdefault(row.label, []).append(row)

    quick = reports[0].quick
    text = [f"== {name}: {len(reports)} seeds{' (quick runs)' if quick else ''} =="]
    for label, rows in rows_by_label.items():
        text.append("")
        text += _align([["seed", *MODES, "status"]] + [
            [_format_seed(row.seed), *(_format_value(row.values.get(mode)) for mode in MODES), row.status(quick)]
            for row in rows
        ])
        within = sum(row.status(quick) == "ok" for row in rows)
        text.append(f"{label}: {within} of {len(rows)} seeds within {rows[0].check.describe()} of the book's {rows[0].book_text}")
    return "\n".join(text)


def _align(table):
    widths = [max(len(cells[i]) for cells in table) for i in range(len(table[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip() for cells in table]


def _format_value(value):
    return "-" if value is None else f"{value:.4f}"


def _format_seed(seed):
    return "-" if seed is None else str(seed)


def _agreement_line(agreement, compared):
    if agreement is None:
        return "eager vs static: not compared (run with --mode both)"
    if math.isnan(agreement):
        return f"eager vs static: {compared} differ, with NaN in at least one mode"
    if agreement == 0.0:
        return f"eager vs static: identical {compared} from the same initial weights"
    return f"eager vs static: {compared} differ by at most {agreement:.3g} from the same initial weights"
