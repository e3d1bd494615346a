"""Target verdicts computed from synthetic results."""

from benchmarks import targets
from benchmarks.results import OK, CaseResult, CompileRecord, ImplResult


def timed(name, median, memory=None):
    return ImplResult(name, OK, chunk_times=[median], ratio=None, memory_step=memory, memory_retained=0)


def case(workload, variant, size, **medians):
    results = [timed(name, value) for name, value in medians.items()]
    for result in results:
        result.ratio = result.median_s / medians["numpy"]
    return CaseResult(workload, variant, size, f"batch={size}", results)


def verdict(verdicts, prefix):
    return next(v for v in verdicts if v.target.startswith(prefix))


def test_ratio_target_met_and_missed():
    cases = [case("mlp", "forward+backward", 1, numpy=1.0, static=1.2, eager=3.5, torch=5.0)]
    verdicts = targets.evaluate(cases, [])
    assert verdict(verdicts, "static mlp fwd+bwd batch 1").met is True
    assert verdict(verdicts, "eager mlp fwd+bwd batch 1").met is False
    assert verdict(verdicts, "static mlp fwd+bwd batch 4096").met is None


def test_faster_than_torch_only_up_to_batch_150():
    cases = [case("mlp", "forward", 150, numpy=1.0, static=2.0, torch=1.0),
             case("mlp", "forward", 4096, numpy=1.0, static=2.0, torch=1.0)]
    labels = [v.target for v in targets.evaluate(cases, []) if "torch" in v.target]
    assert labels == ["static faster than torch: mlp forward batch 150"]
    assert verdict(targets.evaluate(cases, []), "static faster than torch").met is False


def test_memory_target_uses_step_plus_kept():
    result = CaseResult("mlp784", "sgd step", 1024, "batch=1024", [
        ImplResult("static", OK, memory_step=60, memory_retained=10),
        ImplResult("eager", OK, memory_step=90, memory_retained=10)])
    assert verdict(targets.evaluate([result], []), "static mlp784 sgd step batch 1024 memory").met is True
    result.results[0].memory_step = 80
    assert verdict(targets.evaluate([result], []), "static mlp784 sgd step batch 1024 memory").met is False


def test_compile_targets_use_node_counts():
    records = [CompileRecord("static", 10_000, OK, phases={"compile": 2.0}, node_count=27_504),
               CompileRecord("static", 3636, OK, phases={"compile": 0.5}, node_count=10_003),
               CompileRecord("static", 36_364, OK, phases={"compile": 6.0}, node_count=100_005)]
    verdicts = targets.evaluate([], records)
    assert verdict(verdicts, "static compile of a 10,000-node graph").met is True
    assert "10,003 nodes" in verdict(verdicts, "static compile of a 10,000-node graph").measured
    assert verdict(verdicts, "static compile growth").met is True  # 12 times the time for 10 times the nodes
    records[2].phases["compile"] = 8.0
    assert verdict(targets.evaluate([], records), "static compile growth").met is False
    records[1].phases["compile"] = 1.5
    assert verdict(targets.evaluate([], records), "static compile of a 10,000-node graph").met is False
