"""Command line: ``python -m examples [NAME|all] [--mode eager|static|both] [--quick]``."""

import argparse
import dataclasses
import importlib
import logging
import sys

from examples import EXAMPLES, RunConfig
from examples.errors import ExampleError, UnknownExampleError
from examples.report import format_report, format_sweep

MODE_CHOICES = {"eager": ("eager",), "static": ("static",), "both": ("eager", "static")}


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m examples",
        description="Run the textbook's examples in eager and static mode and compare with the book's results.",
    )
    parser.add_argument("name", nargs="?", help="example to run, or 'all'; omit to list the examples")
    parser.add_argument("--mode", choices=sorted(MODE_CHOICES), default="both", help="which package trains the model (default: both)")
    parser.add_argument("--quick", action="store_true", help="train for a few epochs only, to check that everything runs")
    parser.add_argument(
        "--seed", type=int, help="seed of the initial weights, the mini-batch order and the noise (default: each model's own, shown in its table)"
    )
    parser.add_argument(
        "--sweep", type=int, metavar="N", help="run seeds 0 to N-1 and print each seed's results instead of the tables"
    )
    parser.add_argument("--mnist-dir", help="folder with the four MNIST IDX files; the digits example then trains on MNIST")
    parser.add_argument("--verbose", action="store_true", help="log progress at INFO level")
    return parser


def list_examples():
    """Return the help text listing every example."""
    width = max(len(name) for name in EXAMPLES)
    lines = ["examples (run one with: python -m examples NAME [--mode eager|static|both] [--quick]):"]
    lines += [f"  {name.ljust(width)}  {summary}" for name, (_, summary) in EXAMPLES.items()]
    lines.append(f"  {'all'.ljust(width)}  every example in turn")
    lines.append("auto_mpg needs vega_datasets and digits needs scikit-learn: pip install '.[examples]' in the repository root")
    return "\n".join(lines)


def run_example(name, config):
    """Run the example ``name`` and return its :class:`~examples.report.Report`."""
    if name not in EXAMPLES:
        raise UnknownExampleError(name, EXAMPLES)
    module = importlib.import_module(EXAMPLES[name][0])
    return module.run(config)


def main(argv=None):
    """Parse ``argv``, run the requested examples, print their tables and return the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(name)s: %(message)s")
    if args.name is None:
        print(list_examples())
        return 0

    if args.name != "all" and args.name not in EXAMPLES:
        print(f"error: {UnknownExampleError(args.name, EXAMPLES)}", file=sys.stderr)
        return 2

    config = RunConfig(modes=MODE_CHOICES[args.mode], quick=args.quick, seed=args.seed, mnist_dir=args.mnist_dir)
    names = list(EXAMPLES) if args.name == "all" else [args.name]
    failures, errors = [], []
    for name in names:
        try:
            if args.sweep:
                reports = [run_example(name, dataclasses.replace(config, seed=seed)) for seed in range(args.sweep)]
                print(format_sweep(name, reports), end="\n\n", flush=True)
                continue
            report = run_example(name, config)
        except ExampleError as error:
            # One example's missing data or package does not stop the others.
            errors.append(f"{name}: {error}")
            print(f"error: {name}: {error}", file=sys.stderr, flush=True)
            continue
        print(format_report(report), end="\n\n", flush=True)
        failures += report.failures()

    for failure in failures:
        print(f"outside the book's margin: {failure}", file=sys.stderr)
    if errors:
        return 2
    return 1 if failures else 0
