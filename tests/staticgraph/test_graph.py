import numpy as np
import pytest

import staticgraph as sg
from staticgraph.errors import GraphMismatchError, GraphValidationError


def test_default_graph_and_as_default():
    root = sg.get_default_graph()
    inner = sg.Graph()
    with inner.as_default():
        assert sg.get_default_graph() is inner
        node = sg.placeholder(sg.float32, (2,), name="x")
    assert sg.get_default_graph() is root
    assert node.graph is inner


def test_reset_default_graph():
    before = sg.get_default_graph()
    sg.constant(1.0)
    fresh = sg.reset_default_graph()
    assert fresh is sg.get_default_graph()
    assert fresh is not before
    assert len(fresh) == 0


def test_reset_inside_as_default_raises(graph):
    with pytest.raises(RuntimeError, match="outside every as_default block"):
        sg.reset_default_graph()


def test_name_scopes_and_unique_names(graph):
    with sg.name_scope("layer1"):
        x = sg.placeholder(sg.float32, (None, 2), name="x")
        first = x * 2.0
        second = x * 3.0
        with sg.name_scope("inner"):
            third = sg.relu(x)
    unscoped = sg.exp(x)
    assert x.name == "layer1/x"
    assert (first.name, second.name) == ("layer1/mul", "layer1/mul_1")
    assert third.name == "layer1/inner/relu"
    assert unscoped.name == "exp"


def test_repeated_user_names_get_suffixes(graph):
    names = [sg.placeholder(sg.float32, (), name="x").name for _ in range(3)]
    assert names == ["x", "x_1", "x_2"]


def test_nodes_of_two_graphs_in_one_op():
    first, second = sg.Graph(), sg.Graph()
    with first.as_default():
        a = sg.placeholder(sg.float32, (2,), name="a")
    with second.as_default():
        b = sg.placeholder(sg.float32, (2,), name="b")
    for operation in (lambda: a + b, lambda: sg.matmul(a, b), lambda: sg.cat([a, b]), lambda: sg.gradients(b, [a])):
        with pytest.raises(GraphMismatchError, match="input '[ab]' belongs to a different graph than input '[ab]'"):
            operation()


def test_every_node_records_user_line(graph):
    x = sg.placeholder(sg.float32, (2,), name="x")
    y = sg.relu(x) + 1.0  # marker line
    for node in (x, y, y.inputs[0], y.inputs[1]):
        assert node.source.filename == __file__
    assert y.source.code() == "y = sg.relu(x) + 1.0  # marker line"


def test_nodes_of_one_line_share_location(graph):
    x = sg.placeholder(sg.float32, (2,), name="x")
    nodes = [x * 2.0 for _ in range(3)]  # one line, three nodes
    assert nodes[0].source == nodes[2].source
    assert nodes[0].source is nodes[2].source
    assert nodes[0].source.code() == "nodes = [x * 2.0 for _ in range(3)]  # one line, three nodes"


def test_module_nodes_record_forward_line(graph):
    layer = sg.nn.Linear(2, 3)
    x = sg.placeholder(sg.float32, (None, 2), name="x")
    out = layer(x)  # applied here
    assert out.source.code() == "out = layer(x)  # applied here"
    assert layer.weight.source.code() == "layer = sg.nn.Linear(2, 3)"


def test_str_graph_one_line_per_node(graph):
    x = sg.placeholder(sg.float32, (None, 4), name="x")
    w = sg.variable(np.ones((4, 2), dtype=np.float32), name="w")
    sg.sum(x @ w, 1)
    lines = str(graph).splitlines()
    assert lines == [
        "%x : (?, 4) float32 = placeholder",
        "%w : (4, 2) float32 = variable",
        "%matmul : (?, 2) float32 = matmul(%x, %w)",
        "%sum : (?,) float32 = sum[dim=(1,), keepdim=False](%matmul)",
    ]
    assert graph.print_tabular() == str(graph)


def test_same_program_same_graph_text():
    def build():
        graph = sg.Graph()
        with graph.as_default():
            x = sg.placeholder(sg.float64, (None, 3), name="x")
            y = sg.softmax(x * 2.0) + sg.exp(x)
            sg.gradients(sg.mean(y), [x])
        return str(graph)

    assert build() == build()


def test_validate_accepts_built_graph(graph):
    x = sg.placeholder(sg.float64, (None, 3), name="x")
    sg.gradients(sg.sum(sg.tanh(x) * x), [x])
    graph.validate()


def test_validate_reports_missing_input(graph):
    x = sg.placeholder(sg.float64, (3,), name="x")
    y = sg.exp(x)
    graph.nx.nodes[y.name]["inputs"] = ("ghost",)
    with pytest.raises(GraphValidationError, match="'exp' has inputs \\['ghost'\\] that are not in the graph"):
        graph.validate()


def test_validate_reports_cycle_risk(graph):
    x = sg.placeholder(sg.float64, (3,), name="x")
    y = sg.exp(x)
    z = sg.log(y)
    graph.nx.nodes[y.name]["inputs"] = (z.name,)
    graph.nx.add_edge(z.name, y.name)
    with pytest.raises(GraphValidationError, match="created after it"):
        graph.validate()


def test_validate_reports_inconsistent_shape(graph):
    x = sg.placeholder(sg.float64, (3,), name="x")
    y = sg.exp(x)
    graph.nx.nodes[y.name]["shape"] = (4,)
    with pytest.raises(GraphValidationError, match="'exp' stores \\(4,\\) float64 but its op gives \\(3,\\) float64"):
        graph.validate()


def test_node_truth_value_and_iteration_raise(graph):
    x = sg.placeholder(sg.float64, (None,), name="x")
    with pytest.raises(TypeError, match="truth value of node 'x' is unknown"):
        bool(x)
    with pytest.raises(TypeError, match="cannot be iterated"):
        list(x)


def test_nodes_hash_by_identity(graph):
    a = sg.placeholder(sg.float64, (), name="a")
    same = graph.node("a")
    assert a == same
    assert hash(a) == hash(same)
    assert {a: 1}[same] == 1


def test_variable_dtype_rules(graph):
    assert sg.variable(1.5).dtype == np.float32
    assert sg.variable(2).dtype == np.int64
    assert sg.variable(True).dtype == np.bool_
    assert sg.variable([1.0, 2.0]).dtype == np.float32
    assert sg.variable(np.zeros(2)).dtype == np.float64
    assert sg.constant(np.zeros(2, dtype=np.float32)).dtype == np.float32


def test_scalar_operand_takes_node_dtype(graph):
    x = sg.placeholder(sg.float64, (2,), name="x")
    n = sg.placeholder(sg.int64, (2,), name="n")
    assert (x * 2).dtype == np.float64
    assert (n * 2).dtype == np.int64
    assert (n * 2.5).dtype == np.float32
    assert (n / 2).dtype == np.float32
    assert (x + n).dtype == np.float64
    assert (sg.placeholder(sg.float32, (), name="f") + n).dtype == np.float32


def test_variable_assign_checks(graph):
    w = sg.variable(np.zeros(3), name="w")
    w.assign(np.ones(3))
    np.testing.assert_array_equal(w.numpy(), np.ones(3))
    with pytest.raises(sg.errors.ShapeError, match="'w' has shape \\(3,\\)"):
        w.assign(np.ones(4))
    value = w.numpy()
    value[0] = 7.0
    assert w.numpy()[0] == 1.0


def test_model_from_other_graph_hint():
    with sg.Graph().as_default():
        layer = sg.nn.Linear(2, 2)
    with sg.Graph().as_default():
        x = sg.placeholder(sg.float32, (None, 2), name="x")
        with pytest.raises(GraphMismatchError, match="construct the model inside the same 'with graph.as_default\\(\\):' block"):
            layer(x)


@pytest.mark.parametrize("build", [lambda a, b: a * b, lambda a, b: b + a, lambda a, b: sg.maximum(a, b), lambda a, b: sg.div(a, b)])
def test_zero_dim_does_not_widen_same_category(graph, build):
    tensor = sg.placeholder(sg.float32, (None, 2), name="tensor")
    zero_dim = sg.placeholder(sg.float64, (), name="zero_dim")
    result = build(tensor, zero_dim)
    assert result.dtype == np.float32
    value = sg.compile([tensor, zero_dim], result)(np.ones((3, 2), np.float32), np.float64(0.5))
    assert value.dtype == np.float32


def test_zero_dim_of_higher_category_wins(graph):
    counts = sg.placeholder(sg.int64, (3,), name="counts")
    scale = sg.placeholder(sg.float64, (), name="scale")
    assert (counts * scale).dtype == np.float64
    both_zero_dim = sg.placeholder(sg.float32, (), name="f") + scale
    assert both_zero_dim.dtype == np.float64


def test_numpy_of_op_node_raises():
    with sg.Graph().as_default():
        x = sg.placeholder(sg.float32, shape=(None, 4), name="x")
        y = sg.relu(x)

        with pytest.raises(sg.errors.NoValueError, match="'relu' is an op node.*compile"):
            y.numpy()
        with pytest.raises(sg.errors.NoValueError, match="'x' is a placeholder node"):
            x.numpy()
