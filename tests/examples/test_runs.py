"""Every example, run in quick mode in both modes: the modes agree and the tables print."""

import importlib

import numpy as np
import pytest

from examples import EXAMPLES, RunConfig, cli
from examples.report import AGREEMENT_TOLERANCE, format_report

BOTH = RunConfig(modes=("eager", "static"), quick=True)
NEEDS = {"auto_mpg": "vega_datasets", "digits": "sklearn"}


def run_example(name, config):
    if name in NEEDS:
        pytest.importorskip(NEEDS[name])
    return importlib.import_module(EXAMPLES[name][0]).run(config)


def run_quick(name):
    return run_example(name, BOTH)


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
    assert line.split()[1:5] == ["-", "-0.5600", "-0.5600", "-0.5600"]


@pytest.mark.parametrize("name", [name for name in EXAMPLES if name != "gradients"])
def test_full_static_run_reaches_book_level(name):
    # Full training, in static mode only because it is the faster of the two.
    report = run_example(name, RunConfig(modes=("static",)))

    assert not report.quick
    assert report.failures() == []
    for row in report.rows:
        assert row.status(report.quick) in ("ok", "n/a")


@pytest.mark.parametrize("name", ["auto_mpg", "digits"])
def test_relu_models_agree_exactly(name):
    # No sigmoid or binary cross-entropy in these models, so both modes compute bit for bit the same.
    assert run_quick(name).agreement == 0.0


def test_static_alone_starts_from_same_weights():
    # Alone, static mode initializes its own weights; they must equal the ones eager draws.
    alone = run_example("auto_mpg", RunConfig(modes=("static",), quick=True))
    both = run_quick("auto_mpg")
    for row_alone, row_both in zip(alone.rows, both.rows):
        assert row_alone.values["static"] == row_both.values["static"]


def write_idx(path, array):
    header = bytes([0, 0, 0x08, array.ndim]) + np.array(array.shape, dtype=">u4").tobytes()
    path.write_bytes(header + array.astype(np.uint8).tobytes())


def test_digits_reads_mnist_dir(tmp_path):
    rng = np.random.default_rng(0)
    for prefix, count in (("train", 128), ("t10k", 32)):
        write_idx(tmp_path / f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, size=(count, 28, 28)))
        write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte", rng.integers(0, 10, size=count))

    report = run_example("digits", RunConfig(quick=True, mnist_dir=str(tmp_path)))

    assert report.setup.startswith("784-32-16-10")
    assert "MNIST" in report.data
    assert "not MNIST" not in report.data
    assert report.rows[0].check.describe() == "|diff| <= 0.03"
    assert report.agreement <= AGREEMENT_TOLERANCE
