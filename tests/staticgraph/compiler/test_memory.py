"""Memory planning: buffers shared by values that do not overlap, in-place kernels, reuse across calls."""

import numpy as np
import pytest

import staticgraph as sg
from staticgraph.compiler.passes.memory import planned_peak_bytes
from tests.staticgraph.compiler.helpers import assert_same_results, compile_both

RNG = np.random.default_rng(2)
PASSES = ["fold_merge_simplify", "fuse_elementwise", "plan_memory"]


def _mlp(graph, widths=(4, 8, 8, 3)):
    x = sg.placeholder(sg.float64, (None, widths[0]), name="x")
    h = x
    weights = []
    for index, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
        w = sg.variable(RNG.normal(size=(fan_out, fan_in)), name=f"w{index}")
        b = sg.variable(RNG.normal(size=fan_out), name=f"b{index}")
        weights += [w, b]
        h = sg.relu(h @ sg.transpose(w, 0, 1) + b)
    loss = sg.sum(h * h)
    return x, weights, [loss, *sg.gradients(loss, weights)]


def test_mlp_gradients_match_unplanned(graph):
    x, _, outputs = _mlp(graph)
    plain, optimized = compile_both([x], outputs, PASSES)
    assert optimized.ir.memory_plan.slots
    assert optimized.ir.memory_plan.in_place
    for batch in (5, 5, 1, 7):
        assert_same_results(plain, optimized, RNG.normal(size=(batch, 4)))


def test_outputs_are_fresh_arrays(graph):
    x, _, outputs = _mlp(graph)
    _, optimized = compile_both([x], outputs, PASSES)
    first = optimized(RNG.normal(size=(3, 4)))
    kept = [array.copy() for array in first]
    optimized(RNG.normal(size=(3, 4)))
    for before, after in zip(kept, first):
        np.testing.assert_array_equal(before, after)


def test_outputs_never_in_slots(graph):
    x, weights, outputs = _mlp(graph)
    _, optimized = compile_both([x], outputs, PASSES)
    plan = optimized.ir.memory_plan
    for name in optimized.ir.roots():
        assert name not in plan.slots


def test_buffers_kept_until_shape_changes(graph):
    x, _, outputs = _mlp(graph)
    _, optimized = compile_both([x], outputs, PASSES)
    optimized(RNG.normal(size=(3, 4)))
    buffers = list(optimized._buffers)
    optimized(RNG.normal(size=(3, 4)))
    assert all(a is b for a, b in zip(buffers, optimized._buffers))
    optimized(RNG.normal(size=(6, 4)))
    assert not any(a is b for a, b in zip(buffers, optimized._buffers))
    assert all(buffer.shape[0] == 6 for buffer in optimized._buffers if buffer.ndim == 2 and buffer.shape[1] == 8)


def test_slots_shared_between_disjoint_lifetimes(graph):
    x = sg.placeholder(sg.float64, (None, 4), name="x")
    a = sg.exp(x @ sg.constant(RNG.normal(size=(4, 4))))
    b = sg.tanh(a @ sg.constant(RNG.normal(size=(4, 4))))
    c = sg.sum(b @ sg.constant(RNG.normal(size=(4, 4))))
    plain, optimized = compile_both([x], c, PASSES)
    plan = optimized.ir.memory_plan
    assert plan.slot_count < len(plan.slots) + len(plan.in_place)
    assert_same_results(plain, optimized, RNG.normal(size=(3, 4)))


def test_input_feeds_never_written(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    y = sg.sum(sg.exp(x) * 2.0)
    _, optimized = compile_both([x], y, PASSES)
    value = RNG.normal(size=(2, 3))
    original = value.copy()
    optimized(value)
    np.testing.assert_array_equal(value, original)


def test_view_of_buffer_keeps_it_live(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    e = sg.exp(x)
    view = sg.transpose(e, 0, 1)
    later = sg.tanh(x) * 3.0  # may reuse a freed buffer of the same shape
    y = sg.sum(view @ later)
    plain, optimized = compile_both([x], y, PASSES)
    assert_same_results(plain, optimized, RNG.normal(size=(4, 3)))


def test_training_updates_match_unplanned(graph):
    x, weights, outputs = _mlp(graph)
    updates = {w: w - 0.1 * g for w, g in zip(weights, outputs[1:])}
    plain = sg.compile([x], outputs[0], updates=updates, optimize=False)
    optimized = sg.compile([x], outputs[0], updates=updates, optimize=["validate", *PASSES])
    feeds = [RNG.normal(size=(5, 4)) for _ in range(3)]
    start = [graph.nx.nodes[w.name]["value"].copy() for w in weights]
    plain_losses = [plain(feed) for feed in feeds]
    plain_end = [graph.nx.nodes[w.name]["value"].copy() for w in weights]
    for w, value in zip(weights, start):
        w.assign(value) if hasattr(w, "assign") else graph.nx.nodes[w.name].update(value=value)
    optimized_losses = [optimized(feed) for feed in feeds]
    np.testing.assert_allclose(optimized_losses, plain_losses)
    for w, value in zip(weights, plain_end):
        np.testing.assert_allclose(graph.nx.nodes[w.name]["value"], value)


@pytest.mark.parametrize("batch", [1, 64])
def test_planned_peak_below_unplanned(graph, batch):
    x, _, outputs = _mlp(graph, (16, 64, 64, 8))
    plain = sg.compile([x], outputs, optimize=["validate", "fold_merge_simplify"])
    optimized = sg.compile([x], outputs, optimize=["validate", *PASSES])
    _, plain_peak = planned_peak_bytes(plain.ir, batch)
    slots, peak = planned_peak_bytes(optimized.ir, batch)
    assert slots > 0
    assert peak < plain_peak


def test_report_shows_planned_memory(graph):
    x, _, outputs = _mlp(graph)
    report = sg.compile([x], outputs).report(batch_size=32)
    assert "planned memory at batch size 32" in report
    assert "plan_memory" in report


def test_output_also_update_stays_writable(graph):
    w = sg.variable(np.ones(3), name="w")
    x = sg.placeholder(sg.float64, (3,), name="x")
    new_w = w * x + 1.0
    executable = sg.compile([x], new_w, updates={w: new_w})
    result = executable(np.full(3, 2.0))
    result[0] = 7.0
    np.testing.assert_array_equal(graph.nx.nodes["w"]["value"], np.full(3, 3.0))


def test_no_in_place_write_under_a_view(graph):
    x = sg.placeholder(sg.float64, (2, 2), name="x")
    product = x @ x
    flipped = sg.transpose(product, 0, 1)  # a view of product, read in the same statement
    y = sg.exp(product * 2.0) + flipped
    plain, optimized = compile_both([x], sg.sum(y * 3.0), PASSES)
    assert_same_results(plain, optimized, RNG.normal(size=(2, 2)))
    elementwise = sg.compile([x], sg.sum((product + flipped) * 3.0), optimize=["validate", *PASSES])
    assert_same_results(sg.compile([x], sg.sum((product + flipped) * 3.0), optimize=False), elementwise,
                        RNG.normal(size=(2, 2)))


def test_slot_shared_across_shapes(graph):
    x = sg.placeholder(sg.float64, (None, 8), name="x")
    wide = sg.exp(x @ sg.constant(RNG.normal(size=(8, 8))))
    square = sg.transpose(wide, 0, 1) @ wide  # (8, 8): wide's slot is free once this is computed
    narrow = sg.tanh(square @ sg.constant(RNG.normal(size=(8, 3))))
    plain, optimized = compile_both([x], sg.sum(narrow * 2.0), PASSES)
    plan = optimized.ir.memory_plan
    slot_of_view = [slot for slot, _, _ in plan.views]
    assert len(plan.views) > plan.slot_count, plan.views
    assert len(set(slot_of_view)) == plan.slot_count
    assert_same_results(plain, optimized, RNG.normal(size=(32, 8)))
    assert_same_results(plain, optimized, RNG.normal(size=(2, 8)))  # the slots grow and shrink with the batch


def _sgd_step(graph, optimize):
    x, weights, outputs = _mlp(graph)
    updates = {w: w - 0.01 * g for w, g in zip(weights, outputs[1:])}
    return x, weights, sg.compile([x], outputs[0], updates=updates, optimize=optimize)


def test_buffered_updates_copy_into_variables(graph):
    x, weights, step = _sgd_step(graph, optimize=True)
    copied = [value for _, value in step.ir.updates if value in step.ir.memory_plan.copied_updates]
    assert copied
    feeds = [RNG.normal(size=(5, 4)) for _ in range(3)]
    step(feeds[0])
    arrays = [graph.nx.nodes[w.name]["value"] for w in weights]
    before = [w.numpy() for w in weights]
    step(feeds[1])
    after = [graph.nx.nodes[w.name]["value"] for w in weights]
    assert sum(a is b for a, b in zip(arrays, after)) == len(copied), "a copied update keeps the variable's array"
    assert all(not array.flags.writeable for array in after)
    assert all(not np.shares_memory(old, array) for old, array in zip(before, after))


def test_copied_updates_follow_an_assignment(graph):
    x, weights, step = _sgd_step(graph, optimize=True)
    feed = RNG.normal(size=(5, 4))
    step(feed)
    start = [w.numpy() for w in weights]
    first = step(feed)
    for w, value in zip(weights, start):
        w.assign(value)
    second = step(feed)
    assert second == first


def test_failed_call_keeps_copied_updates(graph):
    x, weights, step = _sgd_step(graph, optimize=True)
    step(RNG.normal(size=(5, 4)))
    before = [w.numpy() for w in weights]
    with pytest.raises(sg.errors.StaticGraphError):
        step(RNG.normal(size=(5, 3)))
    for w, value in zip(weights, before):
        np.testing.assert_array_equal(w.numpy(), value)


def test_ir_omits_variable_values(graph):
    x, _, step = _sgd_step(graph, optimize=True)
    variables = [data for _, data in step.ir.nx.nodes(data=True) if data["kind"] == "variable"]
    assert variables
    assert all("value" not in data for data in variables)
