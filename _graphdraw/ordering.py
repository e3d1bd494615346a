"""Layers and the order within each layer: the combinatorial half of the layout.

Each node gets a layer: sinks take their longest distance from a source, and
every other node sits one layer above its nearest consumer. Long edges become
chains of invisible dummy points, one per layer crossed. Barycenter sweeps
then reorder each layer, and the order with the fewest edge crossings is
kept. Members of a cluster stay contiguous within every layer.
"""

import heapq
from dataclasses import dataclass, field

from .diagram import Diagram
from .errors import DiagramError

ORDER_SWEEPS = 8
# Edges that span many layers get dummy points only while the total stays
# under this many per node; the rest are drawn as straight lines.
DUMMIES_PER_NODE = 6


@dataclass
class Layered:
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


def unique_pairs(diagram: Diagram, index: dict[str, int]) -> list[tuple[int, int]]:
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


def insert_dummies(layers_of: list[int], pairs: list[tuple[int, int]], count: int) -> Layered:
    """Link adjacent-layer pairs directly and chain longer ones through dummy points, shortest spans first."""
    layered = Layered(list(layers_of), [[] for _ in range(count)], [[] for _ in range(count)])
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


def cluster_membership(diagram: Diagram, index: dict[str, int], layered: Layered) -> list[int]:
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


def order_layers(layered: Layered, cluster_of: list[int]) -> tuple[list[list[int]], int]:
    """Reorder each layer by barycenter sweeps; return the order with the fewest crossings and that count."""
    layer_count = max(layered.layer) + 1 if layered.layer else 0
    order: list[list[int]] = [[] for _ in range(layer_count)]
    for node, layer in enumerate(layered.layer):
        order[layer].append(node)
    order = [group_clusters(layer, [float(rank) for rank in range(len(layer))], cluster_of) for layer in order]

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
    return group_clusters(layer, keys, cluster_of)


def group_clusters(layer: list[int], keys: list[float], cluster_of: list[int]) -> list[int]:
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


def _count_crossings(order: list[list[int]], layered: Layered, position: dict[int, int]) -> int:
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
