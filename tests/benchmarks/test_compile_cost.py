"""The compile workload's size schedule: caps, projected budget, growth exponents."""

import types

import pytest

from benchmarks import peers
from benchmarks.results import DISAGREE, OK, SKIPPED
from benchmarks.workloads import compile_cost
from benchmarks.workloads.op_chain import numpy_chain_with_grad


def linear_module(seconds_per_op, wrong=False):
    def compile_chain(length, shape):
        def executable(x):
            s, dx = numpy_chain_with_grad(x, length)
            return s, dx + 1 if wrong else dx
        return {"build": seconds_per_op * length}, executable, 3 * length

    return types.SimpleNamespace(compile_chain=compile_chain)


@pytest.fixture
def fake(monkeypatch):
    modules = {}
    monkeypatch.setattr(peers, "load", lambda impl: (modules[impl.name], None))
    return modules


def test_projected_size_over_budget_is_skipped(fake):
    fake["static"] = linear_module(1e-3)
    impl = peers.Implementation("static", "unused")
    records = compile_cost.run([impl], (100, 1000, 10_000), budget_s=5.0, measure_memory=False)
    assert [(r.length, r.status) for r in records] == [(100, OK), (1000, OK), (10_000, SKIPPED)]
    assert records[2].message.startswith("projected 18 s > 5 s budget")
    assert records[1].growth == pytest.approx(1.0)
    assert records[1].node_count == 3000


def test_cap_skips_larger_sizes(fake):
    fake["jax-jit"] = linear_module(1e-6)
    impl = peers.Implementation("jax-jit", "unused")
    records = compile_cost.run([impl], (100, 1000), budget_s=5.0, measure_memory=False, caps={"jax-jit": 100})
    assert [(r.length, r.status) for r in records] == [(100, OK), (1000, SKIPPED)]


def test_wrong_gradient_is_disagreement(fake):
    fake["static"] = linear_module(1e-6, wrong=True)
    impl = peers.Implementation("static", "unused")
    records = compile_cost.run([impl], (10, 20), budget_s=5.0, measure_memory=False)
    assert records[0].status == DISAGREE
    assert records[1].message == "after the failure at 10 ops"


def test_eager_and_numpy_have_no_compile_rows(fake):
    records = compile_cost.run([peers.IMPLEMENTATIONS[0], peers.IMPLEMENTATIONS[1]], (10,), 5.0)
    assert records == []
