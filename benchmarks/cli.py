"""``python -m benchmarks``: the Iris demo in both modes, then the comparison tables."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from dataclasses import asdict
from pathlib import Path

from benchmarks import demo as iris_demo
from benchmarks import drawings, environment, harness, markdown, peers, plots, report, targets, threads, workloads
from benchmarks.results import DISAGREE, ERROR
from benchmarks.timing import TimingSettings
from benchmarks.workloads import compile_cost

def default_results_dir() -> Path:
    """Return ``benchmarks/results`` in a source checkout, else ``benchmark-results`` in the working directory."""
    package = Path(__file__).resolve().parent
    if (package.parent / "pyproject.toml").is_file():
        return package / "results"
    return Path.cwd() / "benchmark-results"


DEFAULT_RESULTS = default_results_dir()
FULL_SETTINGS = TimingSettings(repeat=5, chunk_s=0.05, pause_s=0.2, warmup_s=0.05)
QUICK_SETTINGS = TimingSettings(repeat=3, chunk_s=0.02, pause_s=0.2, warmup_s=0.02)
# The demo must show both modes training to the same curve and a usable classifier.
DEMO_MIN_ACCURACY = 0.9
DEMO_MAX_LOSS_DIFFERENCE = 1e-4
OWN_IMPLEMENTATIONS = ("eager", "static", "static-noopt")


def parse_args(argv=None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.size_map = parse_sizes(args.sizes, parser)
    args.command = " ".join(["python -m benchmarks", *(sys.argv[1:] if argv is None else argv)])
    return args


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Train the Iris classifier in eager and static mode, then time eager, compiled static, "
                    "hand-written NumPy and the installed peers (PyTorch, JAX, PyTensor) on each workload.")
    parser.add_argument("--quick", action="store_true",
                        help="fewer sizes and repeats, about a minute without the optional peers")
    parser.add_argument("--only", type=_names(workloads.ALL), default=None, metavar="LIST",
                        help=f"comma-separated workloads to run, from: {','.join(workloads.ALL)}")
    parser.add_argument("--impl", type=_names(peers.NAMES), default=None, metavar="LIST",
                        help=f"comma-separated implementations (numpy is always included), from: {','.join(peers.NAMES)}")
    parser.add_argument("--sizes", action="append", default=[], metavar="[WORKLOAD=]N,N",
                        help="sizes to run: batch sizes, element counts (0 means 0-d) or op counts; "
                             "without WORKLOAD= they apply to every sized workload; repeatable")
    parser.add_argument("--repeat", type=_positive_int, default=None, help="timed chunks per implementation")
    parser.add_argument("--chunk", type=float, default=None, metavar="SECONDS",
                        help="target duration of one timed chunk")
    parser.add_argument("--pause", type=float, default=None, metavar="SECONDS",
                        help="sleep before each chunk so thread pools go idle (default 0.2)")
    parser.add_argument("--budget", type=float, default=None, metavar="SECONDS",
                        help="compile workload: skip a size whose time, extrapolated from the previous size, exceeds this")
    parser.add_argument("--threads", type=_non_negative_int, default=1, metavar="N",
                        help="limit the BLAS, PyTorch and XLA to N threads; 0 leaves each library its own choice "
                             "(default 1, which keeps the timings steady on a shared machine)")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc measurements")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="write the results as JSON")
    parser.add_argument("--markdown", type=Path, default=None, metavar="PATH", help="write the results as Markdown")
    parser.add_argument("--results-dir", type=Path, default=DEFAULT_RESULTS, metavar="DIR",
                        help="directory for results.json, results.md and the PNG plots (default %(default)s)")
    parser.add_argument("--no-files", action="store_true", help="write nothing unless --json or --markdown is given")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress and failures")
    return parser


def _names(allowed):
    def parse(text: str) -> list[str]:
        names = [name.strip() for name in text.split(",") if name.strip()]
        unknown = [name for name in names if name not in allowed]
        if unknown:
            raise argparse.ArgumentTypeError(f"unknown name(s) {', '.join(unknown)}; choose from {', '.join(allowed)}")
        return names
    return parse


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text}")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or a positive integer, got {text}")
    return value


def parse_sizes(entries: list[str], parser: argparse.ArgumentParser) -> dict[str, tuple[int, ...]]:
    """Turn ``--sizes`` entries into ``{workload or '*': sizes}``."""
    sizes = {}
    for entry in entries:
        workload, _, values = entry.rpartition("=")
        workload = workload or "*"
        if workload != "*" and workload not in workloads.ALL:
            parser.error(f"--sizes {entry}: unknown workload {workload!r}; choose from {', '.join(workloads.ALL)}")
        try:
            sizes[workload] = tuple(int(value) for value in values.split(",") if value.strip())
        except ValueError:
            parser.error(f"--sizes {entry}: expected comma-separated integers such as 1,150,4096")
        if not sizes[workload] or min(sizes[workload]) < 0:
            parser.error(f"--sizes {entry}: expected at least one size, none negative")
    return sizes


def timing_settings(args) -> TimingSettings:
    base = QUICK_SETTINGS if args.quick else FULL_SETTINGS
    changes = {name: value for name, value in (("repeat", args.repeat), ("chunk_s", args.chunk),
                                               ("pause_s", args.pause)) if value is not None}
    return TimingSettings(**{**asdict(base), **changes})


def selected_workloads(args) -> list[str]:
    if args.only is not None:
        return [name for name in workloads.ALL if name in args.only]
    skipped = workloads.QUICK_SKIPS if args.quick else ()
    return [name for name in workloads.ALL if name not in skipped]


def sizes_for(workload: str, args) -> tuple[int, ...]:
    if workload in args.size_map:
        return args.size_map[workload]
    if "*" in args.size_map:
        return args.size_map["*"]
    if workload == workloads.COMPILE:
        return compile_cost.QUICK_SIZES if args.quick else compile_cost.DEFAULT_SIZES
    if workload in workloads.FIXED_SIZE:
        return ()
    return workloads.default_sizes(workload, args.quick)


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.threads:
        threads.limit_before_imports(args.threads)
    run = Run(args)
    return run.execute()


class Run:
    """One invocation: what to run, in which order, and where the results go."""

    def __init__(self, args):
        self.args = args
        self.settings = timing_settings(args)
        self.implementations = peers.select(args.impl)
        self.workloads = selected_workloads(args)
        self.cases, self.records, self.demo = [], [], None
        self.failed = False

    def execute(self) -> int:
        started = time.perf_counter()
        payload = {"command": self.args.command, "settings": asdict(self.settings)}
        peer_versions = self._peer_versions()
        if self.args.threads:
            threads.limit_loaded(self.args.threads)
        payload["environment"] = environment.describe(peer_versions)
        print("\n".join(environment.summary_lines(payload["environment"])), flush=True)
        busy = environment.busy_warning(payload["environment"]) if self.args.threads != 1 else None
        if busy:
            print(busy, flush=True)

        if workloads.DEMO in self.workloads:
            self._run_demo()
        for workload in self.workloads:
            if workload in workloads.TIMED:
                self._run_timed(workload)
        if workloads.COMPILE in self.workloads:
            self._run_compile()

        payload["environment"]["threads"] = environment.thread_counts()
        self._print_summary()
        payload.update(self._records_dict())
        payload["targets"] = [vars(v) for v in targets.evaluate(self.cases, self.records)]
        payload["elapsed_s"] = time.perf_counter() - started
        self._write(payload)
        print(f"\nfinished in {payload['elapsed_s']:.0f} s")
        return 1 if self.failed else 0

    def _print_summary(self) -> None:
        if self.cases:
            print("\n" + _summary(self.cases))
        verdicts = [v for v in targets.evaluate(self.cases, self.records) if v.met is not None]
        if verdicts:
            print("\n== targets ==\n" + report.fmt.text_table(targets.HEADERS, targets.rows(verdicts)))

    def _peer_versions(self) -> dict[str, str]:
        """Import the selected peers (none when only the demo runs) and collect their versions."""
        versions = {}
        if not any(name in self.workloads for name in (*workloads.TIMED, workloads.COMPILE)):
            return versions
        for impl in self.implementations:
            module, _ = peers.load(impl)
            if module is not None:
                versions.update(module.versions())
        return versions

    def _run_demo(self) -> None:
        print("\n== Iris classifier, eager and static ==", flush=True)
        try:
            self.demo = iris_demo.run()
        except Exception as error:  # the rest of the comparison still runs
            logging.getLogger(__name__).debug("demo failed", exc_info=True)
            print(f"FAILED: {type(error).__name__}: {error}")
            self.failed = True
            return
        print("\n".join(iris_demo.report_lines(self.demo)), flush=True)
        if min(self.demo.eager_accuracy, self.demo.static_accuracy) < DEMO_MIN_ACCURACY:
            print(f"FAILED: test accuracy below {DEMO_MIN_ACCURACY}")
            self.failed = True
        if self.demo.max_loss_difference > DEMO_MAX_LOSS_DIFFERENCE:
            print(f"FAILED: the loss curves differ by more than {DEMO_MAX_LOSS_DIFFERENCE:g}")
            self.failed = True

    def _run_timed(self, workload: str) -> None:
        group = []
        for case in workloads.make_cases(workload, sizes_for(workload, self.args)):
            started = time.perf_counter()
            result = harness.run_case(case, self.implementations, self.settings, not self.args.no_memory)
            print(f"  {case.key}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
            group.append(result)
            self.failed |= any(r.status in (DISAGREE, ERROR) for r in result.results
                               if r.implementation in OWN_IMPLEMENTATIONS)
        self.cases.extend(group)
        print(f"\n== {workload} ==\n" + report.fmt.text_table(report.DETAIL_HEADERS, report.detail_rows(group)),
              flush=True)

    def _run_compile(self) -> None:
        budget = self.args.budget or (compile_cost.QUICK_BUDGET_S if self.args.quick else compile_cost.DEFAULT_BUDGET_S)
        caps = compile_cost.QUICK_SIZE_CAPS if self.args.quick else compile_cost.SIZE_CAPS
        self.records = compile_cost.run(self.implementations, sizes_for(workloads.COMPILE, self.args), budget,
                                        not self.args.no_memory, caps)
        self.failed |= any(r.status in (DISAGREE, ERROR) for r in self.records if r.implementation in OWN_IMPLEMENTATIONS)
        print("\n== compile: build, differentiate and compile an op chain ==\n"
              + report.fmt.text_table(report.COMPILE_HEADERS, report.compile_rows(self.records)), flush=True)

    def _records_dict(self) -> dict:
        return {"demo": self.demo.to_dict() if self.demo else None,
                "cases": [case.to_dict() for case in self.cases],
                "compile": [record.to_dict() for record in self.records]}

    def _write(self, payload: dict) -> None:
        json_path, markdown_path = self.args.json, self.args.markdown
        plot_dir = None
        if not self.args.no_files:
            json_path = json_path or self.args.results_dir / "results.json"
            markdown_path = markdown_path or self.args.results_dir / "results.md"
            plot_dir = self.args.results_dir
        written = []
        if json_path:
            report.write_json(json_path, payload)
            written.append(json_path)
        if markdown_path:
            markdown_path.parent.mkdir(parents=True, exist_ok=True)
            markdown_path.write_text(markdown.render(payload, self.cases, self.records, self.demo))
            written.append(markdown_path)
        if plot_dir:
            written += plots.write_plots(plot_dir, self.cases, self.records)
            written += drawings.write_drawings(plot_dir)
        if written:
            print("\nwrote " + ", ".join(str(path) for path in written))


def _summary(cases) -> str:
    headers, rows = report.ratio_rows(cases)
    text = "== median time / hand-written NumPy (lower is faster) ==\n" + report.fmt.text_table(headers, rows)
    absent = report.absent_implementations(cases)
    if absent:
        text += "\nabsent: " + "; ".join(f"{name} ({reason})" for name, reason in absent.items())
    return text
