"""Elementwise fusion: groups form only where they are safe and compute the same values."""

import numpy as np

import staticgraph as sg
from staticgraph.compiler.passes.fusion import FusedElementwise
from tests.staticgraph.compiler.helpers import assert_same_results, compile_both

RNG = np.random.default_rng(1)


def _groups(executable):
    return [data["op"] for _, data in executable.ir.nx.nodes(data=True) if isinstance(data["op"], FusedElementwise)]


def test_chain_becomes_one_statement(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    b = sg.placeholder(sg.float64, (3,), name="b")
    y = sg.tanh(sg.relu(x + b) * 2.0)
    plain, optimized = compile_both([x, b], y, ["fuse_elementwise"])
    (group,) = _groups(optimized)
    assert len(group.steps) == 4
    assert optimized.source.count(" = ") == 1
    assert "# fused add, relu, mul, tanh" in optimized.source
    assert_same_results(plain, optimized, RNG.normal(size=(4, 3)), RNG.normal(size=3))


def test_shared_value_ends_a_group(graph):
    x = sg.placeholder(sg.float64, (4,), name="x")
    shared = sg.exp(x)
    y = sg.tanh(shared) + shared
    plain, optimized = compile_both([x], y, ["fuse_elementwise"])
    for group in _groups(optimized):
        assert "exp" not in group.node_names()[:-1]
    assert_same_results(plain, optimized, RNG.normal(size=4))


def test_output_is_not_fused_away(graph):
    x = sg.placeholder(sg.float64, (4,), name="x")
    inner = sg.exp(x)
    outer = sg.tanh(inner)
    plain, optimized = compile_both([x], [inner, outer], ["fuse_elementwise"])
    assert _groups(optimized) == []
    assert_same_results(plain, optimized, RNG.normal(size=4))


def test_broadcast_input_stays_outside(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    row = sg.placeholder(sg.float64, (3,), name="row")
    y = x * sg.exp(row)  # exp(row) has a smaller shape than the product
    plain, optimized = compile_both([x, row], y, ["fuse_elementwise"])
    assert _groups(optimized) == []
    assert_same_results(plain, optimized, RNG.normal(size=(2, 3)), RNG.normal(size=3))


def test_bool_mask_cast_fuses(graph):
    x = sg.placeholder(sg.float32, (None, 5), name="x")
    g = sg.exp(x)  # one placeholder's None dim, so the shapes are known to agree
    y = g * sg.cast(sg.gt(x, 0.0), sg.float32) * 3.0
    plain, optimized = compile_both([x], y, ["fuse_elementwise"])
    assert len(_groups(optimized)) == 1
    assert ".astype" not in optimized.source
    assert_same_results(plain, optimized, RNG.normal(size=(3, 5)).astype(np.float32))


def test_shapes_of_two_placeholders_not_fused(graph):
    x = sg.placeholder(sg.float32, (None, 5), name="x")
    g = sg.placeholder(sg.float32, (None, 5), name="g")
    y = sg.exp(g * x)  # g may be (1, 5) while x is (3, 5), so g * x may be larger than g
    plain, optimized = compile_both([x, g], y, ["fuse_elementwise"])
    assert _groups(optimized) == []
    arrays = [RNG.normal(size=(3, 5)).astype(np.float32), RNG.normal(size=(1, 5)).astype(np.float32)]
    assert_same_results(plain, optimized, *arrays)


def test_cast_of_other_dtype_fuses(graph):
    x = sg.placeholder(sg.float64, (6,), name="x")
    y = sg.exp(sg.cast(sg.tanh(x), sg.float32)) + 1.0
    plain, optimized = compile_both([x], y, ["fuse_elementwise"])
    assert len(_groups(optimized)) == 1
    assert_same_results(plain, optimized, RNG.normal(size=6))


def test_scalars_are_not_fused(graph):
    x = sg.placeholder(sg.float64, (), name="x")
    y = sg.tanh(sg.exp(x) * 2.0)
    plain, optimized = compile_both([x], y, ["fuse_elementwise"])
    assert _groups(optimized) == []
    assert_same_results(plain, optimized, np.asarray(0.5))


def test_fused_compute_matches_codegen(graph):
    x = sg.placeholder(sg.float64, (None, 2), name="x")
    y = sg.sqrt(sg.abs(-x) + 1.0) / 3.0
    _, optimized = compile_both([x], y, ["fuse_elementwise"])
    (group,) = _groups(optimized)
    x_value = RNG.normal(size=(3, 2))
    constants = [data["value"] for name, data in optimized.ir.nx.nodes(data=True) if data["kind"] == "constant"]
    node = optimized.ir.nx.nodes[optimized.ir.outputs[0]]
    values = {"x": x_value}
    values.update({name: data["value"] for name, data in optimized.ir.nx.nodes(data=True) if data["kind"] == "constant"})
    assert constants
    np.testing.assert_allclose(group.compute(*[values[name] for name in node["inputs"]]), optimized(x_value))


def test_mask_cast_writes_into_float_buffer(graph):
    x = sg.placeholder(sg.float32, (None, 5), name="x")
    w = sg.constant(np.ones((5, 5), np.float32))
    mask = sg.cast(sg.gt(sg.exp(x) @ w, 3.0), sg.float32)
    y = sg.sum(mask @ w) + sg.sum(mask)  # two uses keep the cast a node of its own
    plain, optimized = compile_both([x], y, ["fuse_elementwise", "plan_memory"])
    assert "np.greater(" in optimized.source
    assert ".astype" not in optimized.source
    assert_same_results(plain, optimized, RNG.normal(size=(3, 5)).astype(np.float32))


def test_mask_of_a_shared_value_stays_a_statement(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    h = sg.exp(x)
    masked = sg.tanh(x) * sg.cast(sg.gt(h, 0.5), sg.float64)
    y = sg.sum(masked) + sg.sum(h)  # h has a reader besides the mask
    plain, optimized = compile_both([x], y, ["fuse_elementwise"])
    (group,) = _groups(optimized)
    assert [step.ufunc for step in group.steps] == ["tanh", None, "multiply"]
    assert ".astype(" not in optimized.source, "NumPy's promotion multiplies by the bool mask directly"
    assert "gt = exp > const" in optimized.source
    assert_same_results(plain, optimized, RNG.normal(size=(4, 3)))
