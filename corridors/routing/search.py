"""Shortest paths and alternatives on the expanded graph.

Shortest paths run on a compressed sparse graph with SciPy's Dijkstra. Alternatives are via-node
paths (Abraham et al., "Alternative routes in road networks", 2013): one Dijkstra tree from the
origin and one to the destination give, for every vertex v, the best path through v; these are
taken in order of their weight, loops are rejected, and a path sharing more than ``max_overlap``
of its length with a better one is dropped as a near-duplicate. Two tree searches replace Yen's
hundreds of spur searches, so the cost stays that of two Dijkstras as the network grows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from corridors.data.schema import Mode
from corridors.routing.graph import EdgeKind, Query, RoutingGraph

__all__ = ["Layered", "alternatives", "best_with_sea", "compress", "connected", "reachable"]

_EPSILON = 1e-9


@dataclass(frozen=True)
class _EdgeLookup:
    """Find the kept edge between two vertices (keys sorted by source, then target)."""

    keys: NDArray[np.int64]
    kept: NDArray[np.int64]
    size: int

    def __getitem__(self, pair: tuple[int, int]) -> int:
        key = pair[0] * self.size + pair[1]
        position = int(np.searchsorted(self.keys, key))
        return int(self.kept[position])


def compress(
    src: NDArray[np.int64], dst: NDArray[np.int64], weight: NDArray[np.float64], size: int
) -> tuple[csr_matrix, _EdgeLookup, NDArray[np.int64]]:
    """Keep the lightest of parallel edges and build a CSR matrix of the rest."""
    order = np.lexsort((weight, dst, src))
    src_sorted, dst_sorted = src[order], dst[order]
    first = np.ones(order.size, dtype=bool)
    first[1:] = (src_sorted[1:] != src_sorted[:-1]) | (dst_sorted[1:] != dst_sorted[:-1])
    kept = order[first]
    matrix = csr_matrix((weight[kept] + _EPSILON, (src[kept], dst[kept])), shape=(size, size))
    edge_of = _EdgeLookup(src[kept] * size + dst[kept], kept, size)
    return matrix, edge_of, kept


def _walk(pred: NDArray[np.int32], start: int, end: int) -> list[int]:
    """Vertices from ``start`` to ``end`` following a predecessor array rooted at ``start``."""
    path = [end]
    while path[-1] != start:
        previous = int(pred[path[-1]])
        if previous < 0:
            return []
        path.append(previous)
    return path[::-1]


def _walk_back(pred: NDArray[np.int32], start: int, root: int) -> list[int]:
    """Vertices from ``start`` to ``root`` in a tree built on the reversed graph."""
    path = [start]
    while path[-1] != root:
        following = int(pred[path[-1]])
        if following < 0:
            return []
        path.append(following)
    return path


class Layered:
    """A query's graph: the masked expanded graph, copied once per leg between via points."""

    def __init__(
        self,
        graph: RoutingGraph,
        mask: NDArray[np.bool_],
        weight: str,
        stops: Sequence[str],
        *,
        value_of_time: float | None = None,
    ) -> None:
        edges = graph.edges
        base_count = graph.vertex_count
        keep = np.flatnonzero(mask)
        layers = len(stops) - 1
        weights = graph.weights(weight, value_of_time)
        src_parts, dst_parts, weight_parts, origin_parts = [], [], [], []
        for layer in range(layers):
            offset = layer * base_count
            src_parts.append(edges["src"][keep] + offset)
            dst_parts.append(edges["dst"][keep] + offset)
            weight_parts.append(weights[keep])
            origin_parts.append(keep)
        via_edges = []
        for layer, stop in enumerate(stops[1:-1]):
            for index, (place, role, *_rest) in enumerate(graph.vertices):
                if place == stop and role in {"port", "in"}:
                    via_edges.append((layer * base_count + index, (layer + 1) * base_count + index))
        if via_edges:
            via = np.asarray(via_edges, dtype=np.int64)
            src_parts.append(via[:, 0])
            dst_parts.append(via[:, 1])
            weight_parts.append(np.zeros(len(via_edges)))
            origin_parts.append(np.full(len(via_edges), -1, dtype=np.int64))
        self.graph = graph
        self.base_count = base_count
        self.size = base_count * layers
        self.src = np.concatenate(src_parts)
        self.dst = np.concatenate(dst_parts)
        self.weight = np.concatenate(weight_parts)
        self.origin = np.concatenate(origin_parts)
        self.matrix, self.edge_of, _ = compress(self.src, self.dst, self.weight, self.size)
        self.matrix_t = self.matrix.transpose().tocsr()
        start = graph.place_vertices(stops[0], "start")
        end = graph.place_vertices(stops[-1], "end")
        self.source = -1 if start is None else start
        self.target = -1 if end is None else end + (layers - 1) * base_count

    def trees(
        self,
    ) -> tuple[NDArray[np.float64], NDArray[np.int32], NDArray[np.float64], NDArray[np.int32]]:
        """Shortest-path trees from the origin and, on the reversed graph, to the destination."""
        forward_dist, forward_pred = dijkstra(
            self.matrix, directed=True, indices=self.source, return_predecessors=True
        )
        backward_dist, backward_pred = dijkstra(
            self.matrix_t, directed=True, indices=self.target, return_predecessors=True
        )
        return forward_dist, forward_pred, backward_dist, backward_pred

    def edges_of(self, vertices: Sequence[int]) -> list[int]:
        """Original edge indices along a vertex path (-1 for via edges)."""
        return [int(self.origin[self.edge_of[(a, b)]]) for a, b in pairwise(vertices)]

    def place_sequence(self, vertices: Sequence[int]) -> list[int]:
        """Positions of the places a vertex path passes, without repeats in a row."""
        places: list[int] = []
        for vertex in vertices:
            place = int(self.graph.vertex_place[vertex % self.base_count])
            if not places or places[-1] != place:
                places.append(place)
        return places


def _is_loopless(layered: Layered, vertices: Sequence[int]) -> bool:
    places = layered.place_sequence(vertices)
    return len(places) == len(set(places))


def _link_km(graph: RoutingGraph, edge_indices: Iterable[int]) -> dict[int, float]:
    edges = graph.edges
    shared: dict[int, float] = {}
    for index in edge_indices:
        if index >= 0 and edges["kind"][index] == EdgeKind.LINK:
            shared[int(edges["link"][index])] = float(edges["length_km"][index])
    return shared


def _overlap(candidate: dict[int, float], accepted: dict[int, float]) -> float:
    total = sum(candidate.values())
    if total <= 0:
        return 1.0
    return sum(km for link, km in candidate.items() if link in accepted) / total


def alternatives(
    layered: Layered, k: int, max_overlap: float, max_stretch: float
) -> list[list[int]]:
    """Up to ``k`` loopless via-node paths in order of weight, near-duplicates dropped.

    Parameters
    ----------
    layered
        The query's graph.
    k
        How many paths at most.
    max_overlap
        Drop a path sharing more than this fraction of its length with a better one.
    max_stretch
        Paths may weigh at most ``1 + max_stretch`` times the best.

    Returns
    -------
    list of list of int
        Vertex paths, the best first; empty when the destination cannot be reached.
    """
    forward_dist, forward_pred, backward_dist, backward_pred = layered.trees()
    best = forward_dist[layered.target]
    if not np.isfinite(best):
        return []
    total = forward_dist + backward_dist
    limit = best * (1.0 + max_stretch) + _EPSILON * layered.size
    candidates = np.flatnonzero(np.isfinite(total) & (total <= limit))
    candidates = candidates[np.argsort(total[candidates], kind="stable")]
    covered = np.zeros(layered.size, dtype=bool)
    accepted: list[list[int]] = []
    accepted_km: list[dict[int, float]] = []
    seen_paths: set[tuple[int, ...]] = set()
    for vertex in candidates:
        if covered[vertex]:
            continue
        head = _walk(forward_pred, layered.source, int(vertex))
        tail = _walk_back(backward_pred, int(vertex), layered.target)
        if not head or not tail:
            continue
        vertices = head + tail[1:]
        covered[vertices] = True
        key = tuple(vertices)
        if key in seen_paths or not _is_loopless(layered, vertices):
            continue
        seen_paths.add(key)
        km = _link_km(layered.graph, layered.edges_of(vertices))
        if any(_overlap(km, other) > max_overlap for other in accepted_km):
            continue
        accepted.append(vertices)
        accepted_km.append(km)
        if len(accepted) >= k:
            break
    return accepted


def best_with_sea(layered: Layered) -> list[int]:
    """Find the best loopless path that uses at least one sea link, or return an empty list."""
    forward_dist, forward_pred, backward_dist, backward_pred = layered.trees()
    graph = layered.graph
    edges = graph.edges
    is_sea = np.zeros(layered.src.size, dtype=bool)
    original = layered.origin
    valid = original >= 0
    is_sea[valid] = (edges["kind"][original[valid]] == EdgeKind.LINK) & (
        graph.link_modes[
            np.where(
                edges["link"][original[valid]] >= 0,
                edges["link"][original[valid]],
                0,
            )
        ]
        == Mode.SEA.value
    )
    sea = np.flatnonzero(is_sea)
    if sea.size == 0:
        return []
    totals = forward_dist[layered.src[sea]] + layered.weight[sea] + backward_dist[layered.dst[sea]]
    for position in np.argsort(totals, kind="stable"):
        if not np.isfinite(totals[position]):
            break
        edge = sea[position]
        head = _walk(forward_pred, layered.source, int(layered.src[edge]))
        tail = _walk_back(backward_pred, int(layered.dst[edge]), layered.target)
        if head and tail:
            vertices = head + tail
            if _is_loopless(layered, vertices):
                return vertices
    return []


def connected(graph: RoutingGraph, query: Query, stops: list[str]) -> bool:
    """Whether a route exists: the same test routing applies (a loopless path), not reachability.

    Parameters
    ----------
    graph
        The routing graph.
    query
        The restrictions.
    stops
        Origin, via places and destination.

    Returns
    -------
    bool
        True when :func:`alternatives` would find a route.
    """
    layered = Layered(graph, graph.mask(query), "distance", stops)
    if layered.source < 0 or layered.target < 0:
        return False
    return bool(alternatives(layered, 1, 1.0, 0.0))


def reachable(graph: RoutingGraph, query: Query, stops: list[str]) -> bool:
    """Whether the stops can be reached in order at all, loops allowed (unlike :func:`connected`).

    Parameters
    ----------
    graph, query, stops
        As for :func:`connected`.

    Returns
    -------
    bool
        True when a path exists that may pass a place more than once.
    """
    layered = Layered(graph, graph.mask(query), "distance", stops)
    if layered.source < 0 or layered.target < 0:
        return False
    distances = dijkstra(layered.matrix, directed=True, indices=layered.source)
    return bool(np.isfinite(distances[layered.target]))
