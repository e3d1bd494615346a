import numpy as np
import pytest

import staticgraph as sg
from staticgraph.errors import DTypeError, ExecutionError, FeedError, NumericsError, ShapeError, UpdateError


# Tests of the generated code's layout run only the basic passes, so later
# optimizations (fusion, memory planning) do not change what they inspect.
BASIC = ["validate", "prune", "fold_constants", "eliminate_common_subexpressions", "prune"]


def _mlp_graph():
    x = sg.placeholder(sg.float64, (None, 4), name="x")
    w = sg.variable(np.arange(8.0).reshape(4, 2) / 10, name="w")
    return x, w, sg.relu(x @ w)


@pytest.mark.parametrize("batch", [1, 7, 150])
def test_one_executable_any_batch(graph, batch):
    x, w, out = _mlp_graph()
    executable = sg.compile([x], out)
    source = executable.source
    data = np.random.default_rng(batch).normal(size=(batch, 4))
    np.testing.assert_allclose(executable(data), np.maximum(data @ w.numpy(), 0))
    assert executable.source == source


def test_inputs_by_name_and_position(graph):
    a = sg.placeholder(sg.float64, (2,), name="a")
    b = sg.placeholder(sg.float64, (2,), name="b")
    executable = sg.compile([a, b], a - b)
    np.testing.assert_array_equal(executable(np.ones(2), b=np.full(2, 3.0)), [-2.0, -2.0])
    np.testing.assert_array_equal(executable(b=np.ones(2), a=np.zeros(2)), [-1.0, -1.0])


def test_list_outputs_give_list_single_gives_array(graph):
    x = sg.placeholder(sg.float64, (), name="x")
    assert isinstance(sg.compile([x], x * 2.0)(1.0), np.ndarray)
    assert isinstance(sg.compile([x], [x * 2.0])(1.0), list)
    assert isinstance(sg.compile([x], (x * 2.0, x))(1.0), list)


def test_pruning_drops_unneeded_nodes(graph):
    x = sg.placeholder(sg.float64, (3,), name="x")
    needed = sg.exp(x)
    sg.log(x) * 7.0  # built but not requested
    executable = sg.compile([x], needed, optimize=BASIC)
    assert "log" not in executable.source
    assert "np.exp" in executable.source


def test_constant_folding(graph):
    x = sg.placeholder(sg.float64, (2,), name="x")
    folded = sg.exp(sg.constant(np.array([0.0, 1.0]))) * 2.0
    executable = sg.compile([x], x + folded, optimize=BASIC)
    assert "exp" not in executable.source
    np.testing.assert_allclose(executable(np.zeros(2)), [2.0, 2 * np.e])
    record = [r for r in executable.pass_records if r.name == "fold_constants"][0]
    assert record.changed


def test_cse_merges_equal_ops(graph):
    x = sg.placeholder(sg.float64, (2,), name="x")
    first, second = sg.exp(x), sg.exp(x)
    executable = sg.compile([x], first + second, optimize=BASIC)
    assert executable.source.count("np.exp") == 1
    np.testing.assert_allclose(executable(np.ones(2)), 2 * np.exp(np.ones(2)))


def test_cse_keeps_distinct_placeholders(graph):
    a = sg.placeholder(sg.float64, (), name="same")
    b = sg.placeholder(sg.float64, (), name="same")
    executable = sg.compile([a, b], [sg.exp(a), sg.exp(b)], optimize=BASIC)
    assert executable.source.count("np.exp") == 2
    assert [float(v) for v in executable(0.0, 1.0)] == [1.0, pytest.approx(np.e)]


def test_cse_keeps_distinct_random_ops(graph):
    first = sg.random_normal((3,), seed=1)
    second = sg.random_normal((3,), seed=1)
    executable = sg.compile([], [first, second])
    assert executable.source.count("draw_normal(") == 2


def test_optimize_false_keeps_duplicates(graph):
    x = sg.placeholder(sg.float64, (2,), name="x")
    executable = sg.compile([x], sg.exp(x) + sg.exp(x), optimize=False)
    assert executable.source.count("np.exp") == 2


def test_optimize_list_of_passes(graph):
    x = sg.placeholder(sg.float64, (2,), name="x")
    calls = []

    def count_nodes(ir):
        """Record the node count; changes nothing."""
        calls.append(len(ir))
        return False

    executable = sg.compile([x], sg.exp(x) + sg.exp(x), optimize=["validate", count_nodes, "eliminate_common_subexpressions"])
    assert calls == [4]
    assert [record.name for record in executable.pass_records] == ["validate", "count_nodes", "eliminate_common_subexpressions"]
    with pytest.raises(ValueError, match="unknown pass 'nope'"):
        sg.compile([x], x, optimize=["nope"])
    with pytest.raises(ValueError, match="optimize level 9"):
        sg.compile([x], x, optimize=9)


def test_report_lists_passes(graph):
    x = sg.placeholder(sg.float64, (2,), name="x")
    report = sg.compile([x], sg.exp(x) + sg.exp(x), optimize=BASIC).report()
    for name in BASIC:
        assert name in report
    for column in ("before", "after", "codegen"):
        assert column in report


def test_source_one_statement_per_op_with_comment(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    with sg.name_scope("layer1"):
        y = sg.tanh(x) * 2.0
    source = sg.compile([x], y, optimize=1).source
    assert source.startswith("def compiled(x, variables):")
    assert "# layer1/tanh" in source
    assert "# layer1/mul" in source
    assert "return [layer1_mul], []" in source


def test_values_freed_after_last_use(graph):
    x = sg.placeholder(sg.float64, (3,), name="x")
    a = sg.exp(x)
    b = sg.tanh(a)
    c = sg.log(b)
    lines = sg.compile([x], c, optimize=1).source.splitlines()
    position = {line.strip(): number for number, line in enumerate(lines)}
    assert position["del exp"] == position["tanh = np.tanh(exp)  # tanh"] + 1
    assert position["del tanh"] > position["del exp"]


def test_same_program_same_source():
    def build():
        graph = sg.Graph()
        with graph.as_default():
            x = sg.placeholder(sg.float64, (None, 2), name="x")
            w = sg.variable(np.ones((2, 2)), name="w")
            loss = sg.mean(sg.relu(x @ w))
            grads = sg.gradients(loss, [w])
            return str(graph), sg.compile([x], [loss] + grads, updates={w: w - 0.1 * grads[0]}).source

    assert build() == build()


def test_updates_apply_after_outputs(graph):
    w = sg.variable(np.array([1.0, 2.0]), name="w")
    executable = sg.compile([], [w * 10.0], updates={w: w + 1.0})
    np.testing.assert_array_equal(executable()[0], [10.0, 20.0])
    np.testing.assert_array_equal(w.numpy(), [2.0, 3.0])
    np.testing.assert_array_equal(executable()[0], [20.0, 30.0])


def test_updates_are_simultaneous(graph):
    a = sg.variable(np.float64(1.0), name="a")
    b = sg.variable(np.float64(2.0), name="b")
    swap = sg.compile([], [], updates={a: b + 0.0, b: a + 0.0})
    swap()
    assert (float(a.numpy()), float(b.numpy())) == (2.0, 1.0)


def test_failed_run_changes_no_variable(graph):
    x = sg.placeholder(sg.float64, (None,), name="x")
    y = sg.placeholder(sg.float64, (None,), name="y")
    a = sg.variable(np.float64(1.0), name="a")
    b = sg.variable(np.float64(1.0), name="b")
    step = sg.compile([x, y], sg.sum(x), updates={a: a + 1.0, b: b + sg.sum(x * y)})
    with pytest.raises(ExecutionError):
        step(np.ones(3), np.ones(4))
    assert (float(a.numpy()), float(b.numpy())) == (1.0, 1.0)


def test_update_with_runtime_wrong_shape_changes_nothing(graph):
    x = sg.placeholder(sg.float64, (None,), name="x")
    w = sg.variable(np.zeros(3), name="w")
    v = sg.variable(np.float64(0.0), name="v")
    step = sg.compile([x], [], updates={v: v + 1.0, w: x * 1.0})
    step(np.ones(3))
    with pytest.raises(UpdateError, match="'w'.*shape \\(5,\\).*expected \\(3,\\).*no variable was changed"):
        step(np.ones(5))
    np.testing.assert_array_equal(w.numpy(), np.ones(3))
    assert float(v.numpy()) == 1.0


def test_update_static_wrong_shape_raises(graph):
    w = sg.variable(np.zeros((3, 2)), name="w")
    with pytest.raises(UpdateError, match="'w'.*\\(3, 2\\).*must have the variable's shape"):
        sg.compile([], [], updates={w: sg.sum(w, 0)})


def test_update_wrong_dtype_raises(graph):
    w = sg.variable(np.zeros(2, dtype=np.float32), name="w")
    with pytest.raises(DTypeError, match="float32.*float64"):
        sg.compile([], [], updates={w: sg.constant(np.ones(2))})


def test_update_key_must_be_variable(graph):
    x = sg.placeholder(sg.float64, (), name="x")
    with pytest.raises(UpdateError, match="not a variable"):
        sg.compile([x], x, updates={x: x + 1.0})


def test_missing_placeholder_named_at_compile(graph):
    x = sg.placeholder(sg.float64, (), name="x")
    y = sg.placeholder(sg.float64, (), name="y")
    z = sg.placeholder(sg.float64, (), name="z")
    with pytest.raises(FeedError, match="(?s)\\[.y., .z.\\].*add them to inputs"):
        sg.compile([x], x + y + z)


def test_missing_feed_names_every_placeholder(graph):
    x = sg.placeholder(sg.float64, (), name="x")
    y = sg.placeholder(sg.float64, (), name="y")
    executable = sg.compile([x, y], x + y)
    with pytest.raises(FeedError, match="missing values for placeholders \\['x', 'y'\\]"):
        executable()


def test_feed_wrong_shape(graph):
    x = sg.placeholder(sg.float64, (None, 4), name="x")
    executable = sg.compile([x], x * 2.0)
    with pytest.raises(ShapeError, match="'x' has shape \\(2, 3\\), expected \\(\\?, 4\\)"):
        executable(np.ones((2, 3)))
    with pytest.raises(ShapeError, match="expected \\(\\?, 4\\)"):
        executable(np.ones(4))


def test_feed_wrong_dtype(graph):
    x = sg.placeholder(sg.float32, (2,), name="x")
    executable = sg.compile([x], x * 2.0)
    with pytest.raises(DTypeError, match="'x' has dtype float64, expected float32.*astype"):
        executable(np.ones(2))
    assert executable(np.ones(2, dtype=np.int8)).dtype == np.float32
    assert executable([1.0, 2.0]).dtype == np.float32


def test_feed_for_non_placeholder_rejected(graph):
    w = sg.variable(np.ones(2), name="w")
    with pytest.raises(FeedError, match="'w'.*variable, not a placeholder"):
        sg.compile([w], w * 2.0)


def test_unknown_input_name(graph):
    x = sg.placeholder(sg.float64, (), name="x")
    executable = sg.compile([x], x)
    with pytest.raises(FeedError, match="unknown input names \\['y'\\].*\\['x'\\]"):
        executable(y=1.0)


def test_runtime_error_names_node_and_line(graph):
    a = sg.placeholder(sg.float64, (None, 3), name="a")
    b = sg.placeholder(sg.float64, (None, 3), name="b")
    product = a * b  # the line the error must show
    executable = sg.compile([a, b], product)
    with pytest.raises(ExecutionError) as caught:
        executable(np.ones((2, 3)), np.ones((5, 3)))
    message = str(caught.value)
    assert "node 'mul'" in message
    assert "(2, 3)" in message
    assert "(5, 3)" in message
    assert "test_compile.py" in message
    assert "product = a * b" in message
    assert isinstance(caught.value.__cause__, ValueError)


def test_runtime_index_error_names_node(graph):
    logits = sg.placeholder(sg.float64, (None, 3), name="logits")
    target = sg.placeholder(sg.int64, (None,), name="target")
    loss = sg.cross_entropy(logits, target)
    executable = sg.compile([logits, target], loss)
    with pytest.raises(ExecutionError, match="nll_loss.*class index 7 is out of range"):
        executable(np.zeros((2, 3)), np.array([0, 7]))


def test_check_numerics_names_first_bad_node(graph):
    x = sg.placeholder(sg.float64, (2,), name="x")
    logged = sg.log(x)  # NaN for negative input
    result = sg.exp(logged) * 2.0
    executable = sg.compile([x], result, check_numerics=True)
    np.testing.assert_allclose(executable(np.array([1.0, 2.0])), [2.0, 4.0])
    with np.errstate(invalid="ignore"), pytest.raises(NumericsError, match="node 'log'.*NaN.*logged = sg.log"):
        executable(np.array([-1.0, 2.0]))


def test_check_numerics_off_by_default(graph):
    x = sg.placeholder(sg.float64, (1,), name="x")
    executable = sg.compile([x], sg.log(x))
    with np.errstate(invalid="ignore"):
        assert np.isnan(executable(np.array([-1.0]))[0])


def test_outputs_do_not_alias_variables_or_feeds(graph):
    x = sg.placeholder(sg.float64, (2,), name="x")
    w = sg.variable(np.ones(2), name="w")
    executable = sg.compile([x], [x, w, sg.reshape(x, (2, 1))])
    data = np.zeros(2)
    fed, weight, reshaped = executable(data)
    fed[0] = 5.0
    weight[0] = 5.0
    reshaped[1, 0] = 5.0
    np.testing.assert_array_equal(data, [0.0, 0.0])
    np.testing.assert_array_equal(w.numpy(), [1.0, 1.0])


def test_compile_mixed_graphs_raises():
    first, second = sg.Graph(), sg.Graph()
    with first.as_default():
        x = sg.placeholder(sg.float64, (), name="x")
    with second.as_default():
        y = sg.placeholder(sg.float64, (), name="y")
    with pytest.raises(sg.errors.GraphMismatchError, match="different graph"):
        sg.compile([x, y], x)


def test_none_output_explains_gradients(graph):
    x = sg.placeholder(sg.float64, (), name="x")
    z = sg.placeholder(sg.float64, (), name="z")
    grads = sg.gradients(x * 2.0, [x, z])
    with pytest.raises(TypeError, match="gradients\\(\\) returns None for an input that the output does not depend on"):
        sg.compile([x, z], grads)


def test_runtime_target_count_mismatch(graph):
    logits = sg.placeholder(sg.float64, (None, 3), name="logits")
    target = sg.placeholder(sg.int64, (None,), name="target")
    executable = sg.compile([logits, target], sg.cross_entropy(logits, target))
    with pytest.raises(ExecutionError, match="input has 2 rows but the targets have shape \\(3,\\); feed one class index per input row"):
        executable(np.zeros((2, 3)), np.array([0, 1, 2]))


def test_results_survive_later_calls(graph):
    x = sg.placeholder(sg.float64, (None, 4), name="x")
    model = sg.nn.Sequential(sg.nn.Linear(4, 8), sg.nn.ReLU(), sg.nn.Linear(8, 4)).double()
    hidden = model(x)
    loss = sg.sum(hidden * hidden)
    step = sg.compile([x], [hidden, loss], updates=sg.optim.SGD(model.parameters(), lr=0.01).updates(loss))
    first_hidden, first_loss = step(np.ones((3, 4)))
    kept_hidden, kept_loss = first_hidden.copy(), first_loss.copy()
    first_weights = {key: value.copy() for key, value in model.state_dict().items()}
    step(np.full((3, 4), 2.0))
    step(np.full((5, 4), -1.0))
    np.testing.assert_array_equal(first_hidden, kept_hidden)
    np.testing.assert_array_equal(first_loss, kept_loss)
    assert not np.array_equal(model.state_dict()["0.weight"], first_weights["0.weight"])
    for parameter in model.parameters():
        assert not parameter.data["value"].flags.writeable


@pytest.mark.parametrize("call, error, words", [
    (lambda step: step(np.ones((2, 4))), FeedError, "missing values for placeholders \\['y'\\]"),
    (lambda step: step(np.ones((2, 5)), np.array([0, 1])), ShapeError, "'x' has shape \\(2, 5\\)"),
    (lambda step: step(np.ones((2, 4), dtype=np.float32), np.array([0, 1.5])), DTypeError, "'y' has dtype float64, expected int64"),
    (lambda step: step(np.ones((2, 4)), np.array([0, 1]), labels=np.array([0, 1])), FeedError, "unknown input names \\['labels'\\]"),
    (lambda step: step(np.ones((2, 4)), np.array([0, 5])), ExecutionError, "class index 5 is out of range"),
    (lambda step: step(np.ones((2, 4)), np.array([0, 1, 2])), ExecutionError, "input has 2 rows"),
])
def test_bad_call_leaves_training_state(graph, call, error, words):
    model = sg.nn.Sequential(sg.nn.Linear(4, 3)).double()
    x = sg.placeholder(sg.float64, (None, 4), name="x")
    y = sg.placeholder(sg.int64, (None,), name="y")
    loss = sg.cross_entropy(model(x), y)
    optimizer = sg.optim.Adam(model.parameters(), lr=0.1)
    step = sg.compile([x, y], loss, updates=optimizer.updates(loss))
    step(np.ones((2, 4)), np.array([0, 1]))
    before = {variable.name: variable.numpy() for variable in graph.variables()}
    with pytest.raises(error, match=words):
        call(step)
    for variable in graph.variables():
        np.testing.assert_array_equal(variable.numpy(), before[variable.name])
