"""Layered layout of a ``Diagram``, inputs first and outputs last.

The steps follow Sugiyama's method. Each node gets a layer: sinks take
their longest distance from a source, and every other node sits one layer
above its nearest consumer. Long edges become chains of invisible dummy points. Barycenter
sweeps reorder each layer, and the order with the fewest edge crossings is
kept. Finally, isotonic regression places the nodes of each layer as close to
their neighbours as the spacing allows. All lengths are in
inches, with ``y`` growing downwards in ``"TB"`` direction.
"""

import heapq
import logging
from dataclasses import dataclass, field

from .diagram import Diagram
from .errors import DiagramError
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

ORDER_SWEEPS = 8
PLACEMENT_SWEEPS = 6
# Edges that span many layers get dummy points only while the total stays
# under this many per node; the rest are drawn as straight lines.
DUMMIES_PER_NODE = 6


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


@dataclass
class _Layered:
    """The working graph: real nodes ``0..n-1`` followed by dummy points."""

    layer: list[int]
    upper: list[list[int]]
    lower: list[list[int]]
    chains: dict[tuple[int, int], list[int]] = field(default_factory=dict)

    def add_point(self, layer: int) -> int:
        self.layer.append(layer)
        self.upper.append([])
        self.lower.append([])
        return len(self.layer) - 1

    def link(self, source: int, target: int) -> None:
        self.lower[source].append(target)
        self.upper[target].append(source)


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
    diagram.validate()
    ids = diagram.node_ids()
    index = {node_id: i for i, node_id in enumerate(ids)}
    pairs = _unique_pairs(diagram, index)

    layers_of = assign_layers(len(ids), pairs, ids)
    layered = _insert_dummies(layers_of, pairs, len(ids))
    cluster_of = _cluster_membership(diagram, index, layered)
    order, crossings = _order_layers(layered, cluster_of)

    sizes = [label_size(node.label, NODE_STYLES[node.kind].shape, line_width) for node in diagram.nodes]
    if direction == "LR":
        sizes = [(height, width) for width, height in sizes]
    sizes += [(DUMMY_SIZE, DUMMY_SIZE)] * (len(layered.layer) - len(ids))

    cross = _place_across(order, layered, sizes, len(ids))
    along, thicknesses = _place_along(order, sizes)
    layout = _assemble(diagram, index, layered, order, sizes, cross, along, direction)
    _straighten_dummies(layout, diagram, index, layered, thicknesses)
    layout.crossings = crossings
    logger.debug(
        "laid out %d nodes in %d layers with %d dummy points and %d crossings",
        len(ids), len(order), layout.dummy_count, crossings,
    )
    return layout


def _unique_pairs(diagram: Diagram, index: dict[str, int]) -> list[tuple[int, int]]:
    """Return the distinct (source, target) index pairs, in first-seen order."""
    seen: dict[tuple[int, int], None] = {}
    for edge in diagram.edges:
        seen.setdefault((index[edge.source], index[edge.target]), None)
    return list(seen)


def assign_layers(count: int, pairs: list[tuple[int, int]], ids: list[str]) -> list[int]:
    """Return each node's layer: one above its nearest consumer, or the longest path from a source for sinks."""
    successors: list[list[int]] = [[] for _ in range(count)]
    indegree = [0] * count
    for source, target in pairs:
        successors[source].append(target)
        indegree[target] += 1

    layer = [0] * count
    ready = [i for i in range(count) if indegree[i] == 0]
    heapq.heapify(ready)
    visited = 0
    while ready:
        node = heapq.heappop(ready)
        visited += 1
        for successor in successors[node]:
            layer[successor] = max(layer[successor], layer[node] + 1)
            indegree[successor] -= 1
            if indegree[successor] == 0:
                heapq.heappush(ready, successor)

    if visited < count:
        stuck = [ids[i] for i in range(count) if indegree[i] > 0][:5]
        raise DiagramError(f"the diagram has a cycle through nodes such as {stuck}; only acyclic graphs can be drawn")

    # Move every node with consumers down to just above its nearest consumer,
    # consumers first, so that inputs, constants and values computed early for
    # a distant consumer (gradient helpers, for example) sit next to their use.
    for node in sorted(range(count), key=lambda n: layer[n], reverse=True):
        if successors[node]:
            layer[node] = min(layer[s] for s in successors[node]) - 1
    return layer


def _insert_dummies(layers_of: list[int], pairs: list[tuple[int, int]], count: int) -> _Layered:
    """Link adjacent-layer pairs directly and chain longer ones through dummy points, shortest spans first."""
    layered = _Layered(list(layers_of), [[] for _ in range(count)], [[] for _ in range(count)])
    budget = DUMMIES_PER_NODE * max(count, 1)

    by_span = sorted(pairs, key=lambda pair: layers_of[pair[1]] - layers_of[pair[0]])
    for source, target in by_span:
        needed = layers_of[target] - layers_of[source] - 1
        if needed > budget:
            continue  # drawn as one straight segment, left out of the crossing reduction
        budget -= needed
        previous = source
        chain = []
        for step in range(needed):
            point = layered.add_point(layers_of[source] + step + 1)
            layered.link(previous, point)
            chain.append(point)
            previous = point
        layered.link(previous, target)
        layered.chains[(source, target)] = chain

    for node_links in layered.upper + layered.lower:
        node_links.sort()
    return layered


def _cluster_membership(diagram: Diagram, index: dict[str, int], layered: _Layered) -> list[int]:
    """Return each point's cluster number, or -1; dummies of an edge inside a cluster belong to it."""
    cluster_of = [-1] * len(layered.layer)
    for number, cluster in enumerate(diagram.clusters):
        for member in cluster.members:
            cluster_of[index[member]] = number
    for (source, target), chain in layered.chains.items():
        if cluster_of[source] >= 0 and cluster_of[source] == cluster_of[target]:
            for point in chain:
                cluster_of[point] = cluster_of[source]
    return cluster_of


def _order_layers(layered: _Layered, cluster_of: list[int]) -> tuple[list[list[int]], int]:
    """Reorder each layer by barycenter sweeps; return the order with the fewest crossings and that count."""
    layer_count = max(layered.layer) + 1 if layered.layer else 0
    order: list[list[int]] = [[] for _ in range(layer_count)]
    for node, layer in enumerate(layered.layer):
        order[layer].append(node)
    order = [_group_clusters(layer, [float(rank) for rank in range(len(layer))], cluster_of) for layer in order]

    position = _positions(order)
    best = [list(layer) for layer in order]
    best_crossings = _count_crossings(order, layered, position)
    for sweep in range(ORDER_SWEEPS):
        downward = sweep % 2 == 0
        layer_indices = range(1, layer_count) if downward else range(layer_count - 2, -1, -1)
        for layer in layer_indices:
            neighbours = layered.upper if downward else layered.lower
            order[layer] = _sort_by_barycenter(order[layer], neighbours, position, cluster_of)
            for rank, node in enumerate(order[layer]):
                position[node] = rank

        crossings = _count_crossings(order, layered, position)
        if crossings < best_crossings:
            best, best_crossings = [list(layer) for layer in order], crossings
        if best_crossings == 0:
            break
    return best, best_crossings


def _positions(order: list[list[int]]) -> dict[int, int]:
    return {node: rank for layer in order for rank, node in enumerate(layer)}


def _sort_by_barycenter(layer: list[int], neighbours: list[list[int]], position: dict[int, int],
                        cluster_of: list[int]) -> list[int]:
    keys = []
    for rank, node in enumerate(layer):
        linked = neighbours[node]
        keys.append(sum(position[other] for other in linked) / len(linked) if linked else float(rank))
    return _group_clusters(layer, keys, cluster_of)


def _group_clusters(layer: list[int], keys: list[float], cluster_of: list[int]) -> list[int]:
    """Sort ``layer`` by ``keys``, except that members of one cluster sort together at their mean key."""
    totals: dict[int, list[float]] = {}
    for node, key in zip(layer, keys):
        if cluster_of[node] >= 0:
            total = totals.setdefault(cluster_of[node], [0.0, 0])
            total[0] += key
            total[1] += 1

    def sort_key(item: tuple[int, int]) -> tuple[float, int, float, int]:
        rank, node = item
        cluster = cluster_of[node]
        if cluster < 0:
            return (keys[rank], -1, keys[rank], rank)
        total, count = totals[cluster]
        return (total / count, cluster, keys[rank], rank)

    return [node for _, node in sorted(enumerate(layer), key=sort_key)]


def _count_crossings(order: list[list[int]], layered: _Layered, position: dict[int, int]) -> int:
    total = 0
    for layer in order[:-1]:
        ends = sorted((position[node], position[lower]) for node in layer for lower in layered.lower[node])
        total += _count_inversions([lower for _, lower in ends])
    return total


def _count_inversions(values: list[int]) -> int:
    """Count pairs ``i < j`` with ``values[i] > values[j]`` by merge sort."""
    if len(values) < 2:
        return 0
    middle = len(values) // 2
    left, right = values[:middle], values[middle:]
    inversions = _count_inversions(left) + _count_inversions(right)
    left.sort()
    right.sort()

    i = 0
    for value in right:
        while i < len(left) and left[i] <= value:
            i += 1
        inversions += len(left) - i
    return inversions


def _place_across(order, layered: _Layered, sizes, real_count: int) -> list[float]:
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
            desired = [
                sum(cross[other] for other in others) / len(others) if others else cross[node]
                for node, others in zip(layer, linked)
            ]
            _pack(layer, sizes, real_count, desired, cross)
    return cross


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


def _straighten_dummies(layout: Layout, diagram: Diagram, index, layered: _Layered, thicknesses) -> None:
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

    Members are contiguous within each layer (see ``_sort_by_barycenter``), so
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
