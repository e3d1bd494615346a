"""End-to-end runs of the command line on tiny subsets: tables on stdout, JSON and Markdown on disk."""

import json

import pytest

from benchmarks import cli

TINY = ["--quick", "--repeat", "2", "--pause", "0", "--chunk", "0.001", "--no-files"]


def test_numpy_only_run_writes_json_and_markdown(tmp_path, capsys):
    json_path, markdown_path = tmp_path / "r.json", tmp_path / "r.md"
    code = cli.main([*TINY, "--only", "compute_z,mlp", "--impl", "numpy", "--sizes", "0,3",
                     "--json", str(json_path), "--markdown", str(markdown_path)])
    output = capsys.readouterr().out

    assert code == 0
    assert "== compute_z ==" in output
    assert "median time / hand-written NumPy" in output
    payload = json.loads(json_path.read_text())
    keys = [(c["workload"], c["variant"], c["size"]) for c in payload["cases"]]
    assert ("compute_z", "value+grad", 3) in keys
    assert ("mlp", "forward", 0) in keys
    assert all(r["status"] == "ok" for c in payload["cases"] for r in c["results"])
    assert payload["environment"]["cores"] >= 1
    markdown = markdown_path.read_text()
    assert "| case | numpy |" in markdown


def test_eager_and_static_run_agree(tmp_path, capsys):
    pytest.importorskip("eager")
    pytest.importorskip("staticgraph")
    json_path = tmp_path / "r.json"
    code = cli.main([*TINY, "--only", "compute_z,mlp", "--impl", "eager,static,static-noopt", "--sizes", "0,4",
                     "--json", str(json_path)])
    capsys.readouterr()
    payload = json.loads(json_path.read_text())
    statuses = {(c["workload"], c["variant"], c["size"], r["implementation"]): (r["status"], r["message"])
                for c in payload["cases"] for r in c["results"]}
    failures = {key: value for key, value in statuses.items() if value[0] != "ok"}
    assert failures == {}
    assert code == 0


def test_compile_workload_records_growth(tmp_path, capsys):
    pytest.importorskip("staticgraph")
    json_path = tmp_path / "r.json"
    cli.main([*TINY, "--only", "compile", "--impl", "static", "--sizes", "compile=10,100", "--json", str(json_path)])
    capsys.readouterr()
    records = json.loads(json_path.read_text())["compile"]
    assert [(r["length"], r["status"]) for r in records] == [(10, "ok"), (100, "ok")]
    assert records[1]["growth"] is not None


def test_demo_reports_both_modes(tmp_path, capsys):
    pytest.importorskip("eager")
    pytest.importorskip("staticgraph")
    json_path = tmp_path / "r.json"
    code = cli.main([*TINY, "--only", "demo", "--json", str(json_path)])
    output = capsys.readouterr().out
    demo = json.loads(json_path.read_text())["demo"]
    assert "largest difference between the loss curves" in output
    assert len(demo["eager_losses"]) == len(demo["static_losses"]) > 0
    assert demo["max_loss_difference"] <= cli.DEMO_MAX_LOSS_DIFFERENCE
    assert min(demo["eager_accuracy"], demo["static_accuracy"]) >= cli.DEMO_MIN_ACCURACY
    assert code == 0
