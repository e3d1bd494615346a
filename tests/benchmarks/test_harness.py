"""The harness: agreement before timing, and how failures and absent peers are reported."""

import types

import numpy as np
import pytest

from benchmarks import harness, peers
from benchmarks.results import ABSENT, DISAGREE, ERROR, OK, UNSUPPORTED
from benchmarks.timing import TimingSettings
from benchmarks.workloads import compute_z
from benchmarks.workloads.base import Unsupported

FAST = TimingSettings(repeat=2, chunk_s=0.001, pause_s=0.0, warmup_s=0.0)


def fake_module(build):
    return types.SimpleNamespace(build=build, to_numpy=lambda outputs: [np.asarray(v) for v in outputs],
                                 versions=dict)


def correct_build(case):
    a, b, c = (case.inputs[name] for name in "abc")
    return lambda: ((a - b) * 2 + c,)


def wrong_build(case):
    a, b, c = (case.inputs[name] for name in "abc")
    return lambda: ((a - b) * 2 + c + 1,)


def failing_build(case):
    raise RuntimeError("kernel missing")


def unsupported_build(case):
    raise Unsupported(case.workload)


@pytest.fixture
def fake_peers(monkeypatch):
    modules = {"right": fake_module(correct_build), "wrong": fake_module(wrong_build),
               "broken": fake_module(failing_build), "missing": None, "none": fake_module(unsupported_build)}

    def load(impl):
        if impl.name == peers.REFERENCE:
            return peers.importlib.import_module(impl.module), None
        module = modules[impl.name]
        return (module, None) if module is not None else (None, "not installed (test)")

    monkeypatch.setattr(peers, "load", load)
    return [peers.IMPLEMENTATIONS[0]] + [peers.Implementation(name, "unused") for name in modules]


def run(fake_peers):
    case = compute_z.make_cases([10])[0]
    return harness.run_case(case, fake_peers, FAST, measure_memory=False)


def test_statuses_of_each_kind(fake_peers):
    result = run(fake_peers)
    statuses = {r.implementation: r.status for r in result.results}
    assert statuses == {"numpy": OK, "right": OK, "wrong": DISAGREE, "broken": ERROR, "missing": ABSENT,
                        "none": UNSUPPORTED}


def test_disagreeing_implementation_is_not_timed(fake_peers):
    wrong = run(fake_peers).result("wrong")
    assert wrong.chunk_times == []
    assert wrong.ratio is None
    assert wrong.message.startswith("z: relative error")


def test_error_message_names_exception(fake_peers):
    assert run(fake_peers).result("broken").message == "RuntimeError: kernel missing"


def test_agreeing_implementations_get_chunks_and_ratio(fake_peers):
    result = run(fake_peers)
    numpy_result, right = result.result("numpy"), result.result("right")
    assert len(numpy_result.chunk_times) == FAST.repeat
    assert len(right.chunk_times) == FAST.repeat
    assert numpy_result.ratio == pytest.approx(1.0)
    assert right.ratio == pytest.approx(right.median_s / numpy_result.median_s)


def test_memory_measured_for_numpy():
    case = compute_z.make_cases([1000])[0]
    result = harness.run_case(case, [peers.IMPLEMENTATIONS[0]], FAST, measure_memory=True).result("numpy")
    # The value step allocates at least the 4,000-byte float32 result.
    assert result.memory_step >= 4000


def flaky_build(case):
    calls = []

    def step():
        calls.append(1)
        if len(calls) > 3:
            raise FloatingPointError("overflow on call 4")
        return (case.inputs["a"] - case.inputs["b"]) * 2 + case.inputs["c"],

    return step


def test_failure_during_timing_is_reported(monkeypatch):
    flaky = fake_module(flaky_build)
    monkeypatch.setattr(peers, "load", lambda impl: (flaky, None) if impl.name == "flaky"
                        else (peers.importlib.import_module(impl.module), None))
    case = compute_z.make_cases([10])[0]
    implementations = [peers.IMPLEMENTATIONS[0], peers.Implementation("flaky", "unused")]
    result = harness.run_case(case, implementations, FAST, measure_memory=False).result("flaky")
    assert result.status == ERROR
    assert result.message == "FloatingPointError: overflow on call 4"
    assert result.chunk_times == []
