"""staticgraph.visualize: graphs, subgraphs and executables as DOT text and as pictures."""

import sys
import time
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest

import staticgraph as sg
from staticgraph import visualize
from staticgraph.errors import GraphMismatchError
from tests.visualize.dotparse import parse_dot

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
GRADIENT_FILL = "#f9d3c0"
FORWARD_FILL = "#fff2cc"


def compute_z(ops, a, b, c):
    return ops.add(ops.mul(ops.sub(a, b), 2), c)


def compute_z_graph(shape=(3,)):
    graph = sg.Graph()
    with graph.as_default():
        a, b, c = (sg.placeholder(sg.float32, shape=shape, name=name) for name in "abc")
        z = compute_z(sg, a, b, c)
    return graph, (a, b, c), z


def test_compute_z_nodes_and_edges():
    graph, _, _ = compute_z_graph()

    parsed = parse_dot(visualize.to_dot(graph))

    assert set(parsed.nodes) == {"a", "b", "c", "sub", "const", "mul", "add"}
    assert sorted(parsed.edges()) == sorted(
        [("a", "sub"), ("b", "sub"), ("sub", "mul"), ("const", "mul"), ("mul", "add"), ("c", "add")]
    )


def test_labels_and_shapes_by_kind():
    graph, _, _ = compute_z_graph((None, 3))

    parsed = parse_dot(visualize.to_dot(graph))

    assert parsed.nodes["a"]["label"] == "a\n(?, 3) float32"
    assert parsed.nodes["a"]["shape"] == "ellipse"
    assert parsed.nodes["sub"]["label"] == "sub\n(?, 3)"
    assert parsed.nodes["sub"]["style"] == "rounded,filled"
    assert parsed.nodes["const"]["label"] == "2.0"
    assert parsed.nodes["const"]["shape"] == "box"
    assert parsed.nodes["add"]["penwidth"] == "2.4"
    assert "penwidth" not in parsed.nodes["mul"]


def test_variable_drawn_as_parameter_box():
    graph = sg.Graph()
    with graph.as_default():
        w = sg.variable(np.ones((2, 2)), name="w")
        sg.sum(w * 3.0)

    parsed = parse_dot(visualize.to_dot(graph))

    assert parsed.nodes["w"]["label"] == "w\n(2, 2) float64"
    assert parsed.nodes["w"]["fillcolor"] == "#d9ead3"
    assert parsed.nodes["w"]["style"] == "filled"


def test_graph_to_dot_method():
    graph, _, _ = compute_z_graph()

    assert graph.to_dot() == visualize.to_dot(graph)
    assert graph.to_dot(direction="LR") == visualize.to_dot(graph, direction="LR")


def test_repeated_input_gives_two_edges():
    graph = sg.Graph()
    with graph.as_default():
        x = sg.placeholder(sg.float32, shape=(2,), name="x")
        square = x * x

    parsed = parse_dot(visualize.to_dot(graph))

    assert parsed.number_of_edges("x", square.name) == 2


def test_op_attributes_left_out_when_unset():
    graph = sg.Graph()
    with graph.as_default():
        x = sg.placeholder(sg.float32, shape=(4, 3), name="x")
        total = sg.sum(x)
        rows = sg.sum(x, dim=1, keepdim=True)

    parsed = parse_dot(visualize.to_dot(graph))

    assert parsed.nodes[total.name]["label"] == "sum\n()"
    rows_label = parsed.nodes[rows.name]["label"]
    assert rows_label.startswith("sum[dim=")
    assert rows_label.endswith(", keepdim=True]\n(4, 1)")


def test_gradient_part_told_apart():
    graph, inputs, z = compute_z_graph()
    with graph.as_default():
        grads = sg.gradients(sg.sum(z), list(inputs))

    parsed = parse_dot(visualize.to_dot(graph))

    gradient_ops = [grad.name for grad in grads]
    for name in gradient_ops:
        assert parsed.nodes[name]["fillcolor"] == GRADIENT_FILL, name
    for name in ("sub", "mul", "add"):
        assert parsed.nodes[name]["fillcolor"] == FORWARD_FILL, name
    for source, target, data in parsed.edges(data=True):
        into_gradient = target.startswith("gradients/")
        assert (data.get("style") == "dashed") == into_gradient, (source, target)


def test_nodes_target_draws_their_ancestors():
    graph, _, z = compute_z_graph()
    mul = graph.node("mul")

    parsed = parse_dot(visualize.to_dot(mul))

    assert set(parsed.nodes) == {"a", "b", "sub", "const", "mul"}
    assert parsed.nodes["mul"]["label"] == "mul\n(3,)\noutput 0"


def test_nodes_from_two_graphs_rejected():
    _, _, first = compute_z_graph()
    _, _, second = compute_z_graph()

    with pytest.raises(GraphMismatchError, match="2 different graphs"):
        visualize.to_dot([first, second])


def test_wrong_target_rejected():
    with pytest.raises(TypeError, match="got int"):
        visualize.to_dot(3)
    with pytest.raises(ValueError, match="empty list"):
        visualize.to_dot([])


def test_executable_shows_optimized_graph():
    graph = sg.Graph()
    with graph.as_default():
        x = sg.placeholder(sg.float32, shape=(3,), name="x")
        y = x * (sg.constant(2.0) * sg.constant(3.0))
    executable = sg.compile([x], y)

    unoptimized = parse_dot(visualize.to_dot(graph))
    optimized = parse_dot(visualize.to_dot(executable))

    assert set(optimized.nodes) == set(executable.ir.nx.nodes)
    assert optimized.number_of_nodes() < unoptimized.number_of_nodes()
    constants = [data["label"] for _, data in optimized.nodes(data=True) if data["fillcolor"] == "#eeeeee"]
    assert constants == ["6.0"]


def test_executable_numbers_outputs():
    graph, inputs, z = compute_z_graph()
    with graph.as_default():
        grads = sg.gradients(sg.sum(z), list(inputs))
    executable = sg.compile(list(inputs), [z] + grads)

    parsed = parse_dot(visualize.to_dot(executable))

    for position, name in enumerate(executable.ir.outputs):
        assert parsed.nodes[name]["label"].endswith(f"output {position}"), name


def test_executable_shows_updates():
    graph = sg.Graph()
    with graph.as_default():
        x = sg.placeholder(sg.float64, shape=(None, 2), name="x")
        w = sg.variable(np.ones((2, 1)), name="w")
        loss = sg.mean((x @ w) ** 2)
        (grad_w,) = sg.gradients(loss, [w])
        new_w = w - 0.1 * grad_w
    executable = sg.compile([x], loss, updates={w: new_w})

    parsed = parse_dot(visualize.to_dot(executable))

    assert parsed.nodes["update:w"]["label"] == "assign\nw"
    value_name = dict(executable.ir.updates)["w"]
    assert parsed.has_edge(value_name, "update:w")


def test_fused_group_drawn_as_its_ops():
    graph, _, z = compute_z_graph()
    executable = sg.compile([graph.node(n) for n in "abc"], z)
    nodes = executable.ir.nx.nodes(data=True)
    fused = [name for name, data in nodes if data["op"] is not None and data["op"].name == "fused"]
    assert fused == ["add"], "the compiler is expected to fuse sub, mul and add into one node"

    parsed = parse_dot(visualize.to_dot(executable))

    assert parsed.graph["clusters"] == {"cluster_0": ["sub", "mul", "add"]}
    assert parsed.graph["cluster_attributes"]["cluster_0"]["label"] == "fused kernel"
    assert sorted(parsed.edges()) == sorted(
        [("a", "sub"), ("b", "sub"), ("sub", "mul"), ("const", "mul"), ("mul", "add"), ("c", "add")]
    )
    assert parsed.nodes["sub"]["label"] == "sub\n(3,)"
    assert parsed.nodes["add"]["label"] == "add\n(3,)\noutput 0"


def test_fused_steps_keep_their_part():
    graph, inputs, z = compute_z_graph()
    with graph.as_default():
        (grad_a,) = sg.gradients(sg.sum(sg.exp(z) * 3.0), [inputs[0]])
    executable = sg.compile(list(inputs), grad_a)

    parsed = parse_dot(visualize.to_dot(executable))

    clusters = parsed.graph.get("clusters", {})
    gradient_members = [m for members in clusters.values() for m in members if m.startswith("gradients/")]
    assert gradient_members, f"expected a fused group in the gradient part, got {clusters}"
    for member in gradient_members:
        assert parsed.nodes[member]["fillcolor"] == GRADIENT_FILL, member
    forward_members = [m for members in clusters.values() for m in members if not m.startswith("gradients/")]
    for member in forward_members:
        assert parsed.nodes[member]["fillcolor"] == FORWARD_FILL, member


@pytest.fixture
def matplotlib():
    return pytest.importorskip("matplotlib")


def test_draw_png_and_svg(matplotlib, tmp_path):
    graph, inputs, z = compute_z_graph()
    with graph.as_default():
        sg.gradients(sg.sum(z), list(inputs))

    visualize.draw(graph, tmp_path / "z.png")
    visualize.draw(graph, tmp_path / "z.svg", direction="LR", title="compute_z")

    assert (tmp_path / "z.png").read_bytes()[:8] == PNG_MAGIC
    root = ElementTree.parse(tmp_path / "z.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = "".join(root.itertext())
    for word in ("sub", "placeholder", "gradient op", "compute_z"):
        assert word in texts


def test_draw_executable_mlp(matplotlib, tmp_path):
    graph = sg.Graph()
    with graph.as_default():
        sg.manual_seed(0)
        model = sg.nn.Sequential(sg.nn.Linear(4, 8), sg.nn.ReLU(), sg.nn.Linear(8, 3))
        x = sg.placeholder(sg.float32, shape=(None, 4), name="x")
        y = sg.placeholder(sg.int64, shape=(None,), name="y")
        loss = sg.cross_entropy(model(x), y)
        params = list(model.parameters())
        grads = sg.gradients(loss, params)
        updates = {p: p - 0.1 * g for p, g in zip(params, grads)}
    executable = sg.compile([x, y], loss, updates=updates)

    visualize.draw(executable, tmp_path / "mlp.png")

    assert (tmp_path / "mlp.png").read_bytes()[:8] == PNG_MAGIC


def test_repr_svg_for_jupyter(matplotlib):
    graph, _, z = compute_z_graph()
    executable = sg.compile([graph.node(n) for n in "abc"], z)

    for target in (graph, executable):
        text = target._repr_svg_()
        root = ElementTree.fromstring(text)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_repr_svg_none_without_matplotlib(monkeypatch):
    graph, _, _ = compute_z_graph()
    monkeypatch.setitem(sys.modules, "matplotlib", None)

    assert graph._repr_svg_() is None


def chain_with_gradients(length):
    graph = sg.Graph()
    with graph.as_default():
        x = sg.placeholder(sg.float64, shape=(4,), name="x")
        y = x
        for i in range(length):
            y = sg.tanh(y) * 1.5 if i % 2 else y + x
        sg.gradients(sg.sum(y), [x])
    return graph


def test_repr_svg_none_for_large_graph():
    graph = chain_with_gradients(200)
    assert len(graph) > visualize.MAX_DISPLAY_NODES

    assert graph._repr_svg_() is None


def test_thousand_node_graph_draws_quickly(matplotlib, tmp_path):
    graph = chain_with_gradients(200)
    assert len(graph) >= 1000

    start = time.perf_counter()
    visualize.draw(graph, tmp_path / "big.png")
    elapsed = time.perf_counter() - start

    assert (tmp_path / "big.png").read_bytes()[:8] == PNG_MAGIC
    # Generous bound for a shared two-core machine; a typical run takes a few seconds.
    assert elapsed < 60
