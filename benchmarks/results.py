"""Result records: one per implementation and case, grouped per case; plain data for JSON."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field

OK = "ok"
ABSENT = "absent"
UNSUPPORTED = "unsupported"
SKIPPED = "skipped"
DISAGREE = "disagree"
ERROR = "error"


@dataclass
class ImplResult:
    """The outcome of one implementation on one case.

    Times are seconds per call; ``chunk_times`` contains one mean per timed chunk.
    ``spread`` is the interquartile range of the chunk means divided by their
    median.  Memory is in bytes as seen by tracemalloc: ``memory_step`` is the
    peak during one warm step above what was in use before it, and
    ``memory_retained`` is what the implementation keeps between steps
    (weights, graphs, preallocated buffers).
    """

    implementation: str
    status: str
    message: str = ""
    build_s: float | None = None
    first_call_s: float | None = None
    calls_per_chunk: int = 0
    chunk_times: list[float] = field(default_factory=list)
    max_error: float | None = None
    memory_step: int | None = None
    memory_retained: int | None = None
    ratio: float | None = None

    @property
    def median_s(self) -> float | None:
        return statistics.median(self.chunk_times) if self.chunk_times else None

    @property
    def spread(self) -> float | None:
        if len(self.chunk_times) < 2:
            return None
        quartiles = statistics.quantiles(self.chunk_times, n=4, method="inclusive")
        return (quartiles[2] - quartiles[0]) / statistics.median(self.chunk_times)

    def to_dict(self) -> dict:
        record = asdict(self)
        record["median_s"] = self.median_s
        record["spread"] = self.spread
        return record


@dataclass
class CaseResult:
    workload: str
    variant: str
    size: int
    size_label: str
    results: list[ImplResult]

    @property
    def key(self) -> str:
        return f"{self.workload}/{self.variant}/{self.size_label}"

    def result(self, implementation: str) -> ImplResult | None:
        for result in self.results:
            if result.implementation == implementation:
                return result
        return None

    def to_dict(self) -> dict:
        return {"workload": self.workload, "variant": self.variant, "size": self.size,
                "size_label": self.size_label, "results": [r.to_dict() for r in self.results]}


@dataclass
class CompileRecord:
    """Graph build, differentiation and compile cost of one implementation at one graph size."""

    implementation: str
    length: int
    status: str
    message: str = ""
    phases: dict[str, float] = field(default_factory=dict)
    first_call_s: float | None = None
    node_count: int | None = None
    peak_memory: int | None = None
    growth: float | None = None

    @property
    def total_s(self) -> float | None:
        return sum(self.phases.values()) if self.phases else None

    def to_dict(self) -> dict:
        record = asdict(self)
        record["total_s"] = self.total_s
        return record
