"""The shared drawing package on hand-made diagrams: DOT text, layout, files and errors."""

import io
import sys
import time
import xml.etree.ElementTree as ElementTree

import pytest

from _graphdraw import (
    Cluster,
    Diagram,
    DiagramEdge,
    DiagramError,
    DiagramNode,
    MissingDependencyError,
    UnsupportedFormatError,
    compute_layout,
    draw,
    svg_text,
    to_dot,
)
from tests.visualize.dotparse import parse_dot

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def compute_z_diagram() -> Diagram:
    """(a - b) * 2 + c with one fused group, written out by hand."""
    return Diagram(
        nodes=[
            DiagramNode("a", "a\n(3,)", "input"),
            DiagramNode("b", "b\n(3,)", "input"),
            DiagramNode("c", "c\n(3,)", "input"),
            DiagramNode("two", "2", "constant"),
            DiagramNode("r1", "sub\n(3,)"),
            DiagramNode("r2", "mul\n(3,)"),
            DiagramNode("z", "add\n(3,)", highlight=True),
        ],
        edges=[
            DiagramEdge("a", "r1"),
            DiagramEdge("b", "r1"),
            DiagramEdge("r1", "r2"),
            DiagramEdge("two", "r2"),
            DiagramEdge("r2", "z"),
            DiagramEdge("c", "z"),
        ],
        clusters=[Cluster("fused", "fused kernel", ("r1", "r2", "z"))],
        title="compute_z",
    )


def gradient_diagram() -> Diagram:
    """compute_z followed by its gradient, where the constant 2 feeds an op four layers down."""
    forward = compute_z_diagram()
    nodes = forward.nodes + [
        DiagramNode("sum", "sum\n()"),
        DiagramNode("one", "1.0", "constant"),
        DiagramNode("expand", "expand_reduced\ndim=None, keepdim=False, mean=False\n(3,)", "gradient"),
        DiagramNode("gmul", "mul\n(3,)", "gradient"),
        DiagramNode("neg", "neg\n(3,)", "gradient"),
    ]
    edges = forward.edges + [
        DiagramEdge("z", "sum"),
        DiagramEdge("one", "expand", kind="gradient"),
        DiagramEdge("z", "expand", kind="gradient"),
        DiagramEdge("expand", "gmul", kind="gradient"),
        DiagramEdge("two", "gmul", kind="gradient"),
        DiagramEdge("gmul", "neg", kind="gradient"),
    ]
    return Diagram(nodes=nodes, edges=edges)


def chain_diagram(length: int, fan_in: int = 2) -> Diagram:
    """A chain of ``length`` ops where op ``i`` also reads op ``i - fan_in`` (long edges included)."""
    nodes = [DiagramNode("x", "x\n(8, 4)", "input")]
    edges = []
    for i in range(length):
        nodes.append(DiagramNode(f"op{i}", f"op{i}\n(8, 4)", "gradient" if i > length // 2 else "operation"))
        edges.append(DiagramEdge(nodes[-2].id, f"op{i}"))
        if i >= fan_in:
            edges.append(DiagramEdge(f"op{i - fan_in}", f"op{i}"))
    return Diagram(nodes=nodes, edges=edges)


def test_dot_round_trip_nodes_and_edges():
    diagram = compute_z_diagram()

    graph = parse_dot(to_dot(diagram))

    assert list(graph.nodes) == ["a", "b", "c", "two", "r1", "r2", "z"]
    assert sorted(graph.edges()) == sorted((e.source, e.target) for e in diagram.edges)
    assert graph.nodes["r1"]["label"] == "sub\n(3,)"
    assert graph.nodes["two"]["shape"] == "box"
    assert graph.nodes["a"]["shape"] == "ellipse"
    assert graph.nodes["z"]["penwidth"] == "2.4"
    assert "penwidth" not in graph.nodes["r2"]
    assert graph.graph["label"] == "compute_z"


def test_dot_cluster_membership():
    graph = parse_dot(to_dot(compute_z_diagram()))

    assert graph.graph["clusters"] == {"cluster_0": ["r1", "r2", "z"]}
    assert graph.graph["cluster_attributes"]["cluster_0"]["label"] == "fused kernel"


def test_dot_keeps_repeated_edges():
    diagram = Diagram(
        nodes=[DiagramNode("x", "x", "input"), DiagramNode("sq", "mul")],
        edges=[DiagramEdge("x", "sq", label="0"), DiagramEdge("x", "sq", label="1")],
    )

    graph = parse_dot(to_dot(diagram))

    assert graph.number_of_edges("x", "sq") == 2
    assert sorted(data["label"] for _, _, data in graph.edges(data=True)) == ["0", "1"]


def test_dot_escapes_quotes_backslashes_newlines():
    label = 'say "hi"\\n\nline two'
    diagram = Diagram(nodes=[DiagramNode('odd "id"', label, "constant")])

    graph = parse_dot(to_dot(diagram, name='my "graph"'))

    assert list(graph.nodes) == ['odd "id"']
    assert graph.nodes['odd "id"']["label"] == label
    assert graph.graph["name"] == 'my "graph"'


def test_dot_gradient_edges_dashed():
    diagram = Diagram(
        nodes=[DiagramNode("y", "y"), DiagramNode("g", "grad", "gradient")],
        edges=[DiagramEdge("y", "g", kind="gradient")],
    )

    graph = parse_dot(to_dot(diagram, direction="LR"))

    assert graph.edges["y", "g", 0]["style"] == "dashed"
    assert graph.graph["rankdir"] == "LR"


@pytest.mark.parametrize(
    "diagram, message",
    [
        (Diagram(nodes=[DiagramNode("a", "a"), DiagramNode("a", "b")]), "appears twice"),
        (Diagram(nodes=[DiagramNode("a", "a", "blob")]), "kind 'blob'"),
        (Diagram(nodes=[DiagramNode("a", "a")], edges=[DiagramEdge("a", "b")]), "refers to node 'b'"),
        (Diagram(nodes=[DiagramNode("a", "a")], edges=[DiagramEdge("a", "a")]), "self-loop"),
        (
            Diagram(nodes=[DiagramNode("a", "a"), DiagramNode("b", "b")], edges=[DiagramEdge("a", "b", kind="x")]),
            "kind 'x'",
        ),
        (Diagram(nodes=[DiagramNode("a", "a")], clusters=[Cluster("k", "k", ("a", "zz"))]), "'zz'"),
        (
            Diagram(nodes=[DiagramNode("a", "a")], clusters=[Cluster("k", "k", ("a",)), Cluster("m", "m", ("a",))]),
            "at most one cluster",
        ),
    ],
)
def test_invalid_diagram_rejected(diagram, message):
    with pytest.raises(DiagramError, match=message):
        to_dot(diagram)


def test_cycle_rejected_by_layout():
    diagram = Diagram(
        nodes=[DiagramNode("a", "a"), DiagramNode("b", "b"), DiagramNode("c", "c")],
        edges=[DiagramEdge("a", "b"), DiagramEdge("b", "c"), DiagramEdge("c", "b")],
    )

    with pytest.raises(DiagramError, match="cycle"):
        compute_layout(diagram)


def test_unknown_direction_rejected():
    with pytest.raises(DiagramError, match="'BT'"):
        to_dot(compute_z_diagram(), direction="BT")
    with pytest.raises(DiagramError, match="'RL'"):
        compute_layout(compute_z_diagram(), direction="RL")


def test_layout_edges_point_downwards():
    diagram = compute_z_diagram()

    layout = compute_layout(diagram)

    for edge in diagram.edges:
        assert layout.centers[edge.source][1] < layout.centers[edge.target][1], edge


def test_layout_layers_of_compute_z():
    layout = compute_layout(compute_z_diagram())

    assert sorted(layout.layers[0]) == ["a", "b"]
    assert sorted(layout.layers[1]) == ["r1", "two"]
    assert sorted(layout.layers[2]) == ["c", "r2"]
    assert layout.layers[3] == ["z"]


def test_layout_left_to_right():
    diagram = compute_z_diagram()

    layout = compute_layout(diagram, direction="LR")

    for edge in diagram.edges:
        assert layout.centers[edge.source][0] < layout.centers[edge.target][0], edge


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_layout_nodes_do_not_overlap(direction):
    diagram = chain_diagram(40, fan_in=3)

    layout = compute_layout(diagram, direction=direction)

    boxes = [(layout.centers[i], layout.sizes[i]) for i in diagram.node_ids()]
    for index, ((x1, y1), (w1, h1)) in enumerate(boxes):
        for (x2, y2), (w2, h2) in boxes[index + 1:]:
            apart_x = abs(x1 - x2) >= (w1 + w2) / 2
            apart_y = abs(y1 - y2) >= (h1 + h2) / 2
            assert apart_x or apart_y


def test_layout_inside_reported_extent():
    diagram = chain_diagram(30)

    layout = compute_layout(diagram)

    for node_id in diagram.node_ids():
        (x, y), (w, h) = layout.centers[node_id], layout.sizes[node_id]
        assert x - w / 2 >= 0
        assert x + w / 2 <= layout.width
        assert y - h / 2 >= 0
        assert y + h / 2 <= layout.height


def test_layout_removes_avoidable_crossing():
    # Listed so that the first-seen order crosses: a -> q, b -> p.
    diagram = Diagram(
        nodes=[DiagramNode(n, n) for n in ("a", "b", "p", "q")],
        edges=[DiagramEdge("a", "q"), DiagramEdge("b", "p")],
    )

    layout = compute_layout(diagram)

    assert layout.crossings == 0
    a_left_of_b = layout.centers["a"][0] < layout.centers["b"][0]
    q_left_of_p = layout.centers["q"][0] < layout.centers["p"][0]
    assert a_left_of_b == q_left_of_p


def test_layout_long_edge_routed_through_points():
    diagram = chain_diagram(6, fan_in=3)

    layout = compute_layout(diagram)

    long_edge = [i for i, e in enumerate(diagram.edges) if (e.source, e.target) == ("op0", "op3")][0]
    # Source port, then entry and exit of each of the two layers crossed, then target port.
    assert len(layout.edge_points[long_edge]) == 6
    assert layout.dummy_count >= 2


@pytest.mark.parametrize("direction", ["TB", "LR"])
@pytest.mark.parametrize("diagram", [gradient_diagram(), chain_diagram(30, fan_in=4)])
def test_layout_edges_avoid_other_nodes(diagram, direction):
    layout = compute_layout(diagram, direction=direction)

    for edge, points in zip(diagram.edges, layout.edge_points):
        others = [n for n in diagram.node_ids() if n not in (edge.source, edge.target)]
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            for step in range(21):
                x, y = x0 + (x1 - x0) * step / 20, y0 + (y1 - y0) * step / 20
                for other in others:
                    (cx, cy), (w, h) = layout.centers[other], layout.sizes[other]
                    inside = abs(x - cx) < w / 2 - 1e-9 and abs(y - cy) < h / 2 - 1e-9
                    assert not inside, (edge, other)


def test_layout_cluster_members_contiguous():
    nodes = [DiagramNode(f"n{i}", f"n{i}") for i in range(6)]
    edges = [DiagramEdge("n0", f"n{i}") for i in range(1, 6)]
    clusters = [Cluster("k", "group", ("n1", "n3", "n5"))]

    layout = compute_layout(Diagram(nodes=nodes, edges=edges, clusters=clusters))

    second = layout.layers[1]
    positions = sorted(second.index(m) for m in ("n1", "n3", "n5"))
    assert positions == list(range(positions[0], positions[0] + 3))
    assert len(layout.cluster_outlines["k"]) >= 4


def test_layout_is_deterministic():
    first = compute_layout(chain_diagram(50, fan_in=4))
    second = compute_layout(chain_diagram(50, fan_in=4))

    assert first.centers == second.centers
    assert first.edge_points == second.edge_points


def test_empty_diagram_lays_out():
    layout = compute_layout(Diagram())

    assert layout.centers == {}
    assert layout.width > 0


@pytest.fixture
def matplotlib():
    return pytest.importorskip("matplotlib")


def test_png_written(matplotlib, tmp_path):
    path = tmp_path / "z.png"

    draw(compute_z_diagram(), path)

    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC
    assert len(data) > 1000


def test_svg_written_with_text_labels(matplotlib, tmp_path):
    path = tmp_path / "z.svg"

    draw(compute_z_diagram(), path)

    root = ElementTree.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = "".join(root.itertext())
    for word in ("sub", "mul", "add", "compute_z", "fused kernel"):
        assert word in texts


def test_legend_names_kinds_used(matplotlib, tmp_path):
    diagram = compute_z_diagram()
    diagram.legend = {"input": "placeholder"}

    with_legend = "".join(ElementTree.fromstring(svg_text(diagram)).itertext())
    draw(diagram, tmp_path / "bare.svg", legend=False)
    without_legend = "".join(ElementTree.parse(tmp_path / "bare.svg").getroot().itertext())

    for entry in ("placeholder", "constant", "operation", "group"):
        assert entry in with_legend
        assert entry not in without_legend
    assert "gradient operation" not in with_legend


def test_pdf_written(matplotlib, tmp_path):
    path = tmp_path / "z.pdf"

    draw(compute_z_diagram(), path)

    assert path.read_bytes()[:5] == b"%PDF-"


def test_uppercase_suffix_accepted(matplotlib, tmp_path):
    path = tmp_path / "z.PNG"

    draw(compute_z_diagram(), path)

    assert path.read_bytes()[:8] == PNG_MAGIC


def test_svg_text_is_deterministic(matplotlib):
    assert svg_text(compute_z_diagram()) == svg_text(compute_z_diagram())


def test_draw_returns_figure_without_path(matplotlib):
    from matplotlib.figure import Figure

    figure = draw(compute_z_diagram())

    assert isinstance(figure, Figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    assert buffer.getvalue()[:8] == PNG_MAGIC


def test_unsupported_suffix_rejected(tmp_path):
    path = tmp_path / "z.jpg"

    with pytest.raises(UnsupportedFormatError, match=r"'\.jpg'.*\.png"):
        draw(compute_z_diagram(), path)
    assert not path.exists()


def test_missing_matplotlib_explained(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)

    with pytest.raises(MissingDependencyError, match="pip install matplotlib"):
        draw(compute_z_diagram())


def test_thousand_nodes_draw_quickly(matplotlib, tmp_path):
    diagram = chain_diagram(999, fan_in=7)
    assert len(diagram.nodes) == 1000
    path = tmp_path / "big.png"

    start = time.perf_counter()
    draw(diagram, path)
    elapsed = time.perf_counter() - start

    assert path.read_bytes()[:8] == PNG_MAGIC
    # Generous bound for a shared two-core machine; a typical run takes a few seconds.
    assert elapsed < 60
