"""Result tables and the command line that prints them."""

import subprocess
import sys

import numpy as np
import pytest

from examples import EXAMPLES, cli
from examples.report import AtMost, NotCompared, Report, SameDigits, WithinOf, format_report, format_sweep
from examples.training import TrainResult, max_difference


def sample_report(quick=False, agreement=0.0):
    report = Report("sample", "a setup", "some data", agreement=agreement, quick=quick)
    report.add("accuracy", 0.95, "~0.95", {"eager": 0.94, "static": 0.94}, WithinOf(0.03), seed=3)
    report.add("test MSE", 9.6, "9.6000", {"eager": 13.0, "static": 13.0}, AtMost(12.0))
    report.add("other", 0.9, "0.9000", {"eager": 0.1}, NotCompared("n/a: other data"))
    return report


def test_checks_compare_with_book():
    assert WithinOf(0.03).holds(0.93, 0.95)
    assert not WithinOf(0.03).holds(0.91, 0.95)
    assert AtMost(12.0).holds(11.9, 9.6)
    assert not AtMost(12.0).holds(12.1, 9.6)
    assert SameDigits(4).holds(-0.56000006, -0.56)
    assert not SameDigits(4).holds(-0.5601, -0.56)


def test_report_lists_rows_outside_margin():
    failures = sample_report().failures()
    assert len(failures) == 1
    assert "test MSE" in failures[0]


def test_quick_report_has_no_failures():
    assert sample_report(quick=True).failures() == []


def test_table_shows_book_and_both_modes():
    text = format_report(sample_report())
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("result"))
    assert header.split()[:5] == ["result", "seed", "book", "eager", "static"]
    accuracy = next(line for line in lines if line.startswith("accuracy"))
    assert accuracy.split()[:5] == ["accuracy", "3", "~0.95", "0.9400", "0.9400"]
    assert "OUT OF MARGIN" in next(line for line in lines if line.startswith("test MSE"))
    assert "data:  some data" in lines
    assert "identical" in lines[-1]


def test_table_marks_missing_mode():
    other = next(line for line in format_report(sample_report()).splitlines() if line.startswith("other"))
    assert other.split()[1:5] == ["-", "0.9000", "0.1000", "-"]


def test_table_reports_difference():
    assert "differ by at most 1e-07" in format_report(sample_report(agreement=1e-7))


def test_listing_names_every_example(capsys):
    assert cli.main([]) == 0
    output = capsys.readouterr().out
    for name in EXAMPLES:
        assert f"  {name} " in output


def test_unknown_example_exits_with_error(capsys):
    assert cli.main(["nonexistent"]) == 2
    assert "unknown example 'nonexistent'" in capsys.readouterr().err


def test_invalid_mode_rejected(capsys):
    with pytest.raises(SystemExit):
        cli.main(["xor", "--mode", "graph"])


def test_missing_mnist_file_exits_with_error(capsys, tmp_path):
    status = cli.main(["digits", "--quick", "--mnist-dir", str(tmp_path)])
    assert status == 2
    assert "train-images-idx3-ubyte" in capsys.readouterr().err


def test_run_example_rejects_unknown_name():
    with pytest.raises(KeyError, match="choose one of gradients"):
        cli.run_example("nonexistent", None)


def test_module_entry_point_lists_examples():
    completed = subprocess.run([sys.executable, "-m", "examples"], capture_output=True, text=True, check=False)
    assert completed.returncode == 0
    assert "gradients" in completed.stdout
    assert completed.stderr == ""


def test_sweep_counts_seeds_within_margin():
    reports = []
    for seed, accuracy in enumerate([0.94, 0.80, 0.96]):
        report = Report("sample", "a setup", "some data")
        report.add("accuracy", 0.95, "~0.95", {"static": accuracy}, WithinOf(0.03), seed=seed)
        reports.append(report)

    lines = format_sweep("sample", reports).splitlines()

    assert lines[0] == "== sample: 3 seeds =="
    assert [line.split()[:3] for line in lines[3:6]] == [["0", "-", "0.9400"], ["1", "-", "0.8000"], ["2", "-", "0.9600"]]
    assert lines[-1] == "accuracy: 2 of 3 seeds within |diff| <= 0.03 of the book's ~0.95"


def test_cli_sweep_prints_each_seed(capsys):
    assert cli.main(["gradients", "--sweep", "2"]) == 0
    output = capsys.readouterr().out
    assert "== gradients: 2 seeds ==" in output
    assert "dL/dw: 2 of 2 seeds within exact, 4 decimals of the book's -0.5600" in output


def test_disagreeing_modes_fail():
    assert sample_report(quick=True, agreement=1e-3).failures() == [
        "sample: eager and static differ by 0.001, more than 0"
    ]
    assert len(sample_report(quick=True, agreement=float("nan")).failures()) == 1
    assert "NaN" in format_report(sample_report(agreement=float("nan")))


def test_non_finite_loss_reported():
    report = Report("sample", "a setup", "some data", quick=True)
    result = TrainResult(np.array([0.5, np.inf, np.nan]), np.zeros(2), {}, 0.1)
    report.add_results({"static": result}, "model A")

    assert report.failures() == ["sample: model A, static mode: the training loss is not finite from step 1 on"]
    assert "warning: model A, static mode" in format_report(report)
    assert report.seconds == {"static": 0.1}


def test_max_difference_propagates_nan():
    first = TrainResult(np.array([1.0, np.nan]), np.zeros(2), {"w": np.ones(3)}, 0.0)
    second = TrainResult(np.array([1.0, 2.0]), np.ones(2), {"w": np.ones(3)}, 0.0)
    assert np.isnan(max_difference(first, second))
    assert max_difference(second, second) == 0.0
