"""Every example, run in quick mode in both modes: the modes agree and the tables print."""

import importlib

import pytest

from examples import EXAMPLES, RunConfig, cli
from examples.report import format_report

BOTH = RunConfig(modes=("eager", "static"), quick=True)
# Largest difference allowed between eager's and static's outputs and final weights.
AGREEMENT_TOLERANCE = 1e-5
NEEDS = {"auto_mpg": "vega_datasets", "digits": "sklearn"}


def run_quick(name):
    if name in NEEDS:
        pytest.importorskip(NEEDS[name])
    return importlib.import_module(EXAMPLES[name][0]).run(BOTH)


def test_gradients_match_book_exactly():
    report = run_quick("gradients")
    rows = {row.label: row for row in report.rows}
    for label, book_text in (("dL/dw", "-0.5600"), ("dL/db", "-0.4000")):
        assert rows[label].book_text == book_text
        assert f"{rows[label].values['eager']:.4f}" == book_text
        assert f"{rows[label].values['static']:.4f}" == book_text
    assert report.failures() == []


@pytest.mark.parametrize("name", [name for name in EXAMPLES if name != "gradients"])
def test_quick_run_modes_agree(name):
    report = run_quick(name)

    assert report.quick
    assert report.agreement is not None
    assert report.agreement <= AGREEMENT_TOLERANCE
    for row in report.rows:
        assert set(row.values) == {"eager", "static"}
        assert row.values["eager"] == pytest.approx(row.values["static"], abs=AGREEMENT_TOLERANCE)


@pytest.mark.parametrize("mode", ["eager", "static"])
def test_single_mode_leaves_other_column_empty(mode):
    report = importlib.import_module("examples.xor").run(RunConfig(modes=(mode,), quick=True))
    assert report.agreement is None
    for row in report.rows:
        assert list(row.values) == [mode]
    assert "not compared" in format_report(report)


def test_cli_prints_gradients_table(capsys):
    assert cli.main(["gradients", "--mode", "both"]) == 0
    output = capsys.readouterr().out
    assert "== gradients ==" in output
    line = next(line for line in output.splitlines() if line.startswith("dL/dw"))
    assert line.split()[1:4] == ["-0.5600", "-0.5600", "-0.5600"]
