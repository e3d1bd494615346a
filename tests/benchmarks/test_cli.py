"""Argument parsing and workload selection of ``python -m benchmarks``."""

import pytest

from benchmarks import cli, workloads
from benchmarks.workloads import compile_cost


def test_sizes_plain_list_applies_to_all():
    args = cli.parse_args(["--sizes", "1,150"])
    assert cli.sizes_for("mlp", args) == (1, 150)
    assert cli.sizes_for("compute_z", args) == (1, 150)


def test_sizes_per_workload_override():
    args = cli.parse_args(["--sizes", "mlp=4096", "--sizes", "compute_z=0"])
    assert cli.sizes_for("mlp", args) == (4096,)
    assert cli.sizes_for("compute_z", args) == (0,)
    assert cli.sizes_for("mlp784", args) == workloads.default_sizes("mlp784", quick=False)


@pytest.mark.parametrize("entry", ["mlp=", "mlp=a,b", "nosuch=1", "mlp=-1"])
def test_sizes_invalid_exit(entry):
    with pytest.raises(SystemExit):
        cli.parse_args(["--sizes", entry])


def test_only_rejects_unknown_workload():
    with pytest.raises(SystemExit):
        cli.parse_args(["--only", "mlp,nosuch"])


def test_impl_rejects_unknown_implementation():
    with pytest.raises(SystemExit):
        cli.parse_args(["--impl", "tensorflow"])


def test_repeat_must_be_positive():
    with pytest.raises(SystemExit):
        cli.parse_args(["--repeat", "0"])


def test_only_keeps_canonical_order():
    args = cli.parse_args(["--only", "compile,mlp,demo"])
    assert cli.selected_workloads(args) == ["demo", "mlp", "compile"]


def test_default_runs_demo_first_and_everything():
    args = cli.parse_args([])
    selected = cli.selected_workloads(args)
    assert selected[0] == "demo"
    assert set(selected) == set(workloads.ALL)


def test_quick_uses_fewer_sizes_and_repeats():
    quick = cli.parse_args(["--quick"])
    full = cli.parse_args([])
    assert cli.timing_settings(quick).repeat < cli.timing_settings(full).repeat
    assert len(cli.sizes_for("mlp", quick)) < len(cli.sizes_for("mlp", full))
    assert cli.sizes_for("compile", quick) == compile_cost.QUICK_SIZES
    assert "iris_train" not in cli.selected_workloads(quick)


def test_timing_options_override_settings():
    settings = cli.timing_settings(cli.parse_args(["--repeat", "7", "--pause", "0", "--chunk", "0.5"]))
    assert (settings.repeat, settings.pause_s, settings.chunk_s) == (7, 0.0, 0.5)


def test_threads_sets_library_variables(monkeypatch):
    from benchmarks import threads

    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("XLA_FLAGS", "")
    threads.limit_before_imports(2)
    assert threads.os.environ["OMP_NUM_THREADS"] == "2"
    assert threads.os.environ["OPENBLAS_NUM_THREADS"] == "2"
    assert threads.os.environ["MKL_NUM_THREADS"] == "2"
    assert cli.parse_args(["--threads", "1"]).threads == 1


def test_threads_default_to_one():
    assert cli.parse_args([]).threads == 1
    assert cli.parse_args(["--threads", "0"]).threads == 0  # each library's own choice
    with pytest.raises(SystemExit):
        cli.parse_args(["--threads", "-1"])
