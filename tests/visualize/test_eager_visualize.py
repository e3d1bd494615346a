"""eager.visualize: the autograd graph behind a tensor as DOT text and as pictures."""

import xml.etree.ElementTree as ElementTree

import pytest

import eager
from eager import visualize
from eager.errors import NotATensorError
from tests.visualize.dotparse import parse_dot

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def compute_z(ops, a, b, c):
    return ops.add(ops.mul(ops.sub(a, b), 2), c)


def leaves(shape=(3,)):
    return [eager.tensor(eager.randn(*shape).numpy(), requires_grad=True) for _ in range(3)]


def labelled_edges(graph):
    """Return edges as (source label, target label) pairs, the first line of each label."""
    first_line = {node: data["label"].split("\n")[0] for node, data in graph.nodes(data=True)}
    return sorted((first_line[source], first_line[target]) for source, target in graph.edges())


def test_compute_z_nodes_and_edges():
    a, b, c = leaves()
    z = compute_z(eager, a, b, c)

    graph = parse_dot(visualize.to_dot(z, params={"a": a, "b": b, "c": c}))

    labels = sorted(data["label"].split("\n")[0] for _, data in graph.nodes(data=True))
    assert labels == ["AddBackward0", "MulBackward0", "SubBackward0", "a", "b", "c", "output"]
    assert labelled_edges(graph) == sorted([
        ("a", "SubBackward0"),
        ("b", "SubBackward0"),
        ("SubBackward0", "MulBackward0"),
        ("MulBackward0", "AddBackward0"),
        ("c", "AddBackward0"),
        ("AddBackward0", "output"),
    ])


def test_leaf_label_shows_shape_and_requires_grad():
    a, b, c = leaves((2, 3))
    z = compute_z(eager, a, b, c)

    graph = parse_dot(visualize.to_dot(z, params={"a": a}))

    labels = [data["label"] for _, data in graph.nodes(data=True)]
    assert "a\n(2, 3) float32\nrequires_grad=True" in labels
    assert labels.count("leaf\n(2, 3) float32\nrequires_grad=True") == 2


def test_output_named_and_highlighted():
    a, b, c = leaves()
    z = compute_z(eager, a, b, c)

    graph = parse_dot(visualize.to_dot(z, params={"z": z}))

    outputs = [node for node, data in graph.nodes(data=True) if data.get("penwidth")]
    assert len(outputs) == 1
    assert graph.nodes[outputs[0]]["label"] == "z\n(3,) float32"


def test_inputs_without_grad_not_drawn():
    a = eager.tensor([1.0, 2.0], requires_grad=True)
    constant = eager.tensor([3.0, 4.0])

    graph = parse_dot(visualize.to_dot(a * constant))

    assert graph.number_of_nodes() == 3
    assert labelled_edges(graph) == [("MulBackward0", "output"), ("leaf", "MulBackward0")]


def test_repeated_input_gives_two_edges():
    x = eager.tensor([1.0, 2.0], requires_grad=True)

    graph = parse_dot(visualize.to_dot(x * x, params={"x": x}))

    mul = [node for node, data in graph.nodes(data=True) if data["label"] == "MulBackward0"][0]
    leaf = [node for node, data in graph.nodes(data=True) if data["label"].startswith("x\n")][0]
    assert graph.number_of_edges(leaf, mul) == 2


def test_shared_subgraph_drawn_once():
    a, b, c = leaves()
    shared = a * b
    first, second = shared + c, shared - c

    graph = parse_dot(visualize.to_dot([first, second]))

    labels = [data["label"].split("\n")[0] for _, data in graph.nodes(data=True)]
    assert labels.count("MulBackward0") == 1
    assert labels.count("output") == 1
    assert labels.count("output 1") == 1
    assert graph.number_of_edges() == 8


def test_same_root_twice_adds_no_edges():
    a, b, c = leaves()
    z = compute_z(eager, a, b, c)

    once = parse_dot(visualize.to_dot(z))
    twice = parse_dot(visualize.to_dot([z, z]))

    assert twice.number_of_edges() == once.number_of_edges() + 1


@pytest.mark.parametrize("requires_grad, kind_fill", [(True, "#cfe2f3"), (False, "#eeeeee")])
def test_leaf_root_alone(requires_grad, kind_fill):
    leaf = eager.tensor([1.0, 2.0], requires_grad=requires_grad)

    graph = parse_dot(visualize.to_dot(leaf))

    assert graph.number_of_nodes() == 1
    (data,) = [data for _, data in graph.nodes(data=True)]
    assert data["label"] == f"output\n(2,) float32\nrequires_grad={requires_grad}"
    assert data["fillcolor"] == kind_fill


def test_dot_text_is_deterministic():
    a, b, c = leaves()
    z = compute_z(eager, a, b, c)

    first = visualize.to_dot(z, params={"a": a})
    second = visualize.to_dot(z, params={"a": a})

    assert first == second


def test_long_chain_walked_without_recursion():
    x = eager.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(5000):
        y = y * 1.0

    graph = parse_dot(visualize.to_dot(y))

    assert graph.number_of_nodes() == 5002
    assert graph.number_of_edges() == 5001


def test_mlp_parameter_names():
    eager.manual_seed(0)
    model = eager.nn.Sequential(eager.nn.Linear(4, 8), eager.nn.ReLU(), eager.nn.Linear(8, 3))
    loss = model(eager.randn(5, 4)).sum()

    graph = parse_dot(visualize.to_dot(loss, params=dict(model.named_parameters())))

    first_lines = {data["label"].split("\n")[0] for _, data in graph.nodes(data=True)}
    for name in ("0.weight", "0.bias", "2.weight", "2.bias"):
        assert name in first_lines


def test_rejects_non_tensor():
    with pytest.raises(NotATensorError, match="expects eager tensors"):
        visualize.to_dot([1.0, 2.0])


def test_rejects_params_that_are_not_a_mapping():
    x = eager.tensor([1.0], requires_grad=True)

    with pytest.raises(NotATensorError, match="named_parameters"):
        visualize.to_dot(x * 2, params=[x])


def test_rejects_empty_list():
    with pytest.raises(NotATensorError, match="empty list"):
        visualize.to_dot([])


def test_draw_png_and_svg(tmp_path):
    pytest.importorskip("matplotlib")
    a, b, c = leaves()
    z = compute_z(eager, a, b, c)

    visualize.draw(z, tmp_path / "z.png", params={"a": a})
    visualize.draw(z, tmp_path / "z.svg")

    assert (tmp_path / "z.png").read_bytes()[:8] == PNG_MAGIC
    root = ElementTree.parse(tmp_path / "z.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = "".join(root.itertext())
    for name in ("SubBackward0", "MulBackward0", "AddBackward0"):
        assert name in texts
