"""Layered layout of a ``Diagram``, inputs first and outputs last.

The steps follow Sugiyama's method. ``ordering`` assigns layers and orders
each layer to reduce crossings. This module then sizes the nodes and places
the nodes of each layer as close to their neighbours as the spacing allows
(isotonic regression). Last, it routes edges through the layers they cross.
All lengths are in inches, with ``y`` growing downwards in ``"TB"`` direction.
"""

import logging
from dataclasses import dataclass, field

from .diagram import Diagram, check_direction
from .ordering import Layered, assign_layers, cluster_membership, insert_dummies, order_layers, unique_pairs
from .styles import NODE_STYLES

logger = logging.getLogger(__name__)

# Size estimate of a 10 pt DejaVu Sans label; the renderer draws at this size.
FONT_SIZE = 10.0
CHAR_WIDTH = 0.072
LINE_HEIGHT = 0.17
PAD_X = 0.13
PAD_Y = 0.08
MIN_WIDTH = 0.5
ELLIPSE_GROWTH = (1.25, 1.3)

LAYER_GAP = 0.45
NODE_GAP = 0.3
DUMMY_GAP = 0.12
DUMMY_SIZE = 0.02
MARGIN = 0.15
CLUSTER_PAD = 0.09
CLUSTER_LABEL_SPACE = 0.18

PLACEMENT_SWEEPS = 6
# Pull of a link on placement, by how many of its two ends are dummy points.
LINK_WEIGHTS = (1.0, 2.0, 8.0)


@dataclass
class Layout:
    """Node centres and sizes, and one polyline per diagram edge (in the diagram's edge order)."""

    centers: dict[str, tuple[float, float]]
    sizes: dict[str, tuple[float, float]]
    edge_points: list[list[tuple[float, float]]]
    layers: list[list[str]]
    width: float
    height: float
    direction: str = "TB"
    dummy_count: int = 0
    crossings: int = 0
    cluster_outlines: dict[str, list[tuple[float, float]]] = field(default_factory=dict)


def estimate_line_width(line: str) -> float:
    """Return a rough width in inches of ``line`` at ``FONT_SIZE``, for use without matplotlib."""
    return len(line) * CHAR_WIDTH


def label_size(label: str, shape: str, line_width=estimate_line_width) -> tuple[float, float]:
    """Return the ``(width, height)`` in inches of a node showing ``label``; ``line_width`` measures one line."""
    lines = label.split("\n")
    text_width = max(line_width(line) for line in lines)
    text_height = len(lines) * LINE_HEIGHT
    if shape == "ellipse":
        # The text block's corners are narrower than its middle line, so an
        # ellipse a little less than sqrt(2) times the block still encloses it.
        return max(MIN_WIDTH, text_width * ELLIPSE_GROWTH[0] + PAD_X), text_height * ELLIPSE_GROWTH[1] + PAD_Y
    return max(MIN_WIDTH, text_width + 2 * PAD_X), text_height + 2 * PAD_Y


def compute_layout(diagram: Diagram, direction: str = "TB", line_width=estimate_line_width) -> Layout:
    """Place every node of ``diagram`` and route every edge; raise ``DiagramError`` on a cycle.

    ``line_width(text)`` returns the width in inches of one label line; the
    renderer passes a measurement from matplotlib's font metrics.
    """
    check_direction(direction)
    diagram.validate()
    ids = diagram.node_ids()
    index = {node_id: i for i, node_id in enumerate(ids)}
    pairs = unique_pairs(diagram, index)

    layers_of = assign_layers(len(ids), pairs, ids)
    layered = insert_dummies(layers_of, pairs, len(ids))
    cluster_of = cluster_membership(diagram, index, layered)
    order, crossings = order_layers(layered, cluster_of)

    sizes = [label_size(node.label, NODE_STYLES[node.kind].shape, line_width) for node in diagram.nodes]
    if direction == "LR":
        sizes = [(height, width) for width, height in sizes]
    sizes += [(DUMMY_SIZE, DUMMY_SIZE)] * (len(layered.layer) - len(ids))

    cross = _place_across(order, layered, sizes, len(ids))
    along, thicknesses = _place_along(order, sizes)
    layout = _assemble(diagram, index, layered, order, sizes, cross, along, direction)
    _route_through_layers(layout, diagram, index, layered, thicknesses)
    layout.crossings = crossings
    logger.debug(
        "laid out %d nodes in %d layers with %d dummy points and %d crossings",
        len(ids), len(order), layout.dummy_count, crossings,
    )
    return layout


def _place_across(order, layered: Layered, sizes, real_count: int) -> list[float]:
    """Return each point's coordinate across the layers: packed first, then pulled towards its neighbours."""
    cross = [0.0] * len(layered.layer)
    for layer in order:
        _pack(layer, sizes, real_count, [0.0] * len(layer), cross)
        centre = (cross[layer[0]] + cross[layer[-1]]) / 2 if layer else 0.0
        for node in layer:
            cross[node] -= centre

    for sweep in range(PLACEMENT_SWEEPS):
        both_sides = sweep == PLACEMENT_SWEEPS - 1
        downward = sweep % 2 == 0
        layer_indices = range(len(order)) if downward else range(len(order) - 1, -1, -1)
        for layer_index in layer_indices:
            layer = order[layer_index]
            if both_sides:
                linked = [layered.upper[node] + layered.lower[node] for node in layer]
            else:
                linked = [layered.upper[node] if downward else layered.lower[node] for node in layer]
            desired = [_weighted_mean(node, others, cross, real_count) for node, others in zip(layer, linked)]
            _pack(layer, sizes, real_count, desired, cross)
    return cross


def _weighted_mean(node: int, others: list[int], cross: list[float], real_count: int) -> float:
    """Return the mean position of ``others``, weighting links between dummy points most.

    Heavier links between the points of one long edge keep that edge straight,
    while nodes still settle between their neighbours.
    """
    if not others:
        return cross[node]
    total = 0.0
    weights = 0.0
    for other in others:
        dummies = (node >= real_count) + (other >= real_count)
        weight = LINK_WEIGHTS[dummies]
        total += weight * cross[other]
        weights += weight
    return total / weights


def _pack(layer: list[int], sizes, real_count: int, desired: list[float], cross: list[float]) -> None:
    """Set ``cross`` for one layer: the closest positions to ``desired`` (least squares) that keep order and gaps.

    With ``offset[i]`` the minimum distance from the first node to node ``i``,
    positions ``x = y + offset`` keep the gaps exactly when ``y`` is
    non-decreasing, so the best ``y`` is the isotonic regression of
    ``desired - offset`` (pool adjacent violators).
    """
    offsets = [0.0]
    for left, right in zip(layer, layer[1:]):
        gap = DUMMY_GAP if left >= real_count or right >= real_count else NODE_GAP
        offsets.append(offsets[-1] + (sizes[left][0] + sizes[right][0]) / 2 + gap)

    targets = [want - offset for want, offset in zip(desired, offsets)]
    fitted = _isotonic(targets)
    for node, value, offset in zip(layer, fitted, offsets):
        cross[node] = value + offset


def _isotonic(values: list[float]) -> list[float]:
    """Return the non-decreasing sequence closest to ``values`` in least squares."""
    blocks: list[list[float]] = []  # [sum, count]
    for value in values:
        blocks.append([value, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count

    fitted: list[float] = []
    for total, count in blocks:
        fitted.extend([total / count] * int(count))
    return fitted


def _place_along(order: list[list[int]], sizes) -> tuple[list[float], list[float]]:
    """Return each layer's centre along the direction of the edges, and its thickness."""
    along = []
    thicknesses = []
    cursor = 0.0
    for layer in order:
        thickness = max((sizes[node][1] for node in layer if sizes[node][1] > DUMMY_SIZE), default=DUMMY_SIZE)
        along.append(cursor + thickness / 2)
        thicknesses.append(thickness)
        cursor += thickness + LAYER_GAP
    return along, thicknesses


def _assemble(diagram, index, layered, order, sizes, cross, along, direction) -> Layout:
    """Convert (across, along) coordinates to (x, y), shifted so the drawing starts at ``MARGIN``."""
    real_count = len(index)
    ids = diagram.node_ids()
    outlines = {cluster.id: _cluster_outline(cluster, index, layered, order, sizes, cross, along)
                for cluster in diagram.clusters}

    low_across = min([cross[n] - sizes[n][0] / 2 for n in range(len(cross))]
                     + [p[0] for outline in outlines.values() for p in outline], default=0.0)
    high_across = max([cross[n] + sizes[n][0] / 2 for n in range(len(cross))]
                      + [p[0] for outline in outlines.values() for p in outline], default=0.0)
    low_along = min([0.0] + [p[1] - CLUSTER_LABEL_SPACE for outline in outlines.values() for p in outline])
    last_layer = max((along[-1] + sizes[n][1] / 2 for n in order[-1]), default=0.0) if order else 0.0
    high_along = max([last_layer] + [p[1] for outline in outlines.values() for p in outline])

    def to_xy(across: float, down: float) -> tuple[float, float]:
        across, down = across - low_across + MARGIN, down - low_along + MARGIN
        return (across, down) if direction == "TB" else (down, across)

    def point(node: int, end: float = 0.0) -> tuple[float, float]:
        return to_xy(cross[node], along[layered.layer[node]] + end * sizes[node][1] / 2)

    centers = {ids[n]: point(n) for n in range(real_count)}
    node_sizes = {ids[n]: sizes[n] if direction == "TB" else sizes[n][::-1] for n in range(real_count)}
    edge_points = []
    for edge in diagram.edges:
        source, target = index[edge.source], index[edge.target]
        chain = layered.chains.get((source, target), [])
        edge_points.append([point(source, 1.0)] + [point(d) for d in chain] + [point(target, -1.0)])

    extent_across = high_across - low_across + 2 * MARGIN
    extent_along = high_along - low_along + 2 * MARGIN
    width, height = (extent_across, extent_along) if direction == "TB" else (extent_along, extent_across)
    layers = [[ids[n] for n in layer if n < real_count] for layer in order]
    return Layout(
        centers, node_sizes, edge_points, layers, width, height, direction, len(cross) - real_count,
        cluster_outlines={key: [to_xy(*p) for p in outline] for key, outline in outlines.items()},
    )


def _route_through_layers(layout: Layout, diagram: Diagram, index, layered: Layered, thicknesses) -> None:
    """Replace each dummy point by a segment across its whole layer, so long edges pass beside nodes, not through."""
    axis = 1 if layout.direction == "TB" else 0
    for edge_number, edge in enumerate(diagram.edges):
        chain = layered.chains.get((index[edge.source], index[edge.target]), [])
        if not chain:
            continue
        points = layout.edge_points[edge_number]
        routed = [points[0]]
        for dummy, point in zip(chain, points[1:-1]):
            half = thicknesses[layered.layer[dummy]] / 2
            for offset in (-half, half):
                moved = list(point)
                moved[axis] += offset
                routed.append(tuple(moved))
        routed.append(points[-1])
        layout.edge_points[edge_number] = routed


def _cluster_outline(cluster, index, layered, order, sizes, cross, along) -> list[tuple[float, float]]:
    """Return a polygon in (across, along) coordinates around the members, one band per layer.

    Members are contiguous within each layer (see ``ordering.group_clusters``), so
    each band covers members only; consecutive bands are joined by their corners.
    """
    members = {index[m] for m in cluster.members}
    members |= {d for (s, t), chain in layered.chains.items() if s in members and t in members for d in chain}
    bands = []
    for layer in order:
        inside = [n for n in layer if n in members]
        if not inside:
            continue
        left = min(cross[n] - sizes[n][0] / 2 for n in inside) - CLUSTER_PAD
        right = max(cross[n] + sizes[n][0] / 2 for n in inside) + CLUSTER_PAD
        top = min(along[layered.layer[n]] - sizes[n][1] / 2 for n in inside) - CLUSTER_PAD
        bottom = max(along[layered.layer[n]] + sizes[n][1] / 2 for n in inside) + CLUSTER_PAD
        bands.append((left, right, top, bottom))

    right_side = [corner for left, right, top, bottom in bands for corner in ((right, top), (right, bottom))]
    left_side = [corner for left, right, top, bottom in reversed(bands) for corner in ((left, bottom), (left, top))]
    return right_side + left_side
