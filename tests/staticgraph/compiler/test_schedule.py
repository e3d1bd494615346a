"""Memory-aware scheduling: the order stays topological, values match, and the planned buffers shrink."""

import numpy as np

import staticgraph as sg
from staticgraph.compiler.passes.memory import planned_peak_bytes
from staticgraph.compiler.passes.schedule import schedule_for_memory
from tests.staticgraph.compiler.helpers import assert_same_results, compile_both, rewrite_counts

RNG = np.random.default_rng(4)
BEFORE_PLAN = ["fold_merge_simplify", "fuse_elementwise"]


def _training_step(widths=(8, 32, 32, 4)):
    x = sg.placeholder(sg.float64, (None, widths[0]), name="x")
    h = x
    weights = []
    for index, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
        w = sg.variable(RNG.normal(size=(fan_out, fan_in)) * 0.3, name=f"w{index}")
        b = sg.variable(RNG.normal(size=fan_out) * 0.1, name=f"b{index}")
        weights += [w, b]
        h = h @ sg.transpose(w, 0, 1) + b
        if index < len(widths) - 2:
            h = sg.relu(h)
    loss = sg.mean(h * h)
    return x, weights, loss, sg.gradients(loss, weights)


def _is_topological(ir):
    nodes = ir.nx.nodes
    return all(nodes[source]["index"] < nodes[target]["index"] for source, target in ir.nx.edges)


def test_schedule_keeps_values_and_order(graph):
    x, _, loss, grads = _training_step()
    plain, scheduled = compile_both([x], [loss, *grads], [*BEFORE_PLAN, "schedule_for_memory", "plan_memory"])
    assert _is_topological(scheduled.ir)
    assert rewrite_counts(scheduled)["nodes_moved"] > 0
    assert_same_results(plain, scheduled, RNG.normal(size=(16, 8)))


def test_schedule_shrinks_planned_buffers(graph):
    x, weights, loss, grads = _training_step()
    updates = {w: w - 0.01 * g for w, g in zip(weights, grads)}
    unscheduled = sg.compile([x], loss, updates=updates, optimize=["validate", *BEFORE_PLAN, "plan_memory"])
    scheduled = sg.compile([x], loss, updates=updates,
                           optimize=["validate", *BEFORE_PLAN, "schedule_for_memory", "plan_memory"])
    slots_before, _ = planned_peak_bytes(unscheduled.ir, 1024)
    slots_after, _ = planned_peak_bytes(scheduled.ir, 1024)
    assert slots_after < slots_before


def test_relu_mask_precedes_reusing_product(graph):
    x, weights, loss, grads = _training_step()
    updates = {w: w - 0.01 * g for w, g in zip(weights, grads)}
    step = sg.compile([x], loss, updates=updates)
    lines = step.source.splitlines()
    masks = [index for index, line in enumerate(lines) if "np.greater(relu" in line]
    assert masks, step.source
    for mask in masks:
        relu = lines[mask].split("np.greater(")[1].split(",")[0]
        later_reads = [line for line in lines[mask + 1:] if f"{relu}," in line or f"{relu})" in line]
        assert not later_reads, f"{relu} is read after its mask:\n{step.source}"


def test_chain_in_order_is_left_alone(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    y = sg.sum(sg.tanh(sg.exp(x) @ sg.constant(RNG.normal(size=(3, 3)))))
    executable = sg.compile([x], y, optimize=["validate", "fuse_elementwise", "plan_memory"])
    order = list(executable.ir.topological_order())
    assert schedule_for_memory(executable.ir) is False
    assert list(executable.ir.topological_order()) == order


def test_random_ops_keep_their_draw_order(graph):
    x = sg.placeholder(sg.float64, (1000,), name="x")
    wide = sg.exp(x)
    first = sg.random_normal((3,), dtype=sg.float64)
    second = sg.sum(sg.random_normal(wide))  # it frees ``wide``, which would rank it before ``first``
    outputs = [first, second]
    results = []
    for optimize in (False, ["validate", "schedule_for_memory", "plan_memory"]):
        executable = sg.compile([x], outputs, optimize=optimize)
        sg.manual_seed(7)
        results.append(executable(np.zeros(1000)))
    for got, want in zip(results[1], results[0]):
        np.testing.assert_array_equal(got, want)
