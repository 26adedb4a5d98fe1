"""Shortest paths and alternatives on the expanded graph.

Shortest paths run on a compressed sparse graph (:mod:`corridors.routing.engine`: SciPy's
Dijkstra, or a binary heap on small graphs). Alternatives are via-node
paths (Abraham et al., "Alternative routes in road networks", 2013): one Dijkstra tree from the
origin and one to the destination give, for every vertex v, the best path through v; these are
taken in order of their weight, loops are rejected, and a path sharing more than ``max_overlap``
of its length with a better one is dropped as a near-duplicate. Two tree searches replace Yen's
hundreds of spur searches, so the cost stays that of two Dijkstras as the network grows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from corridors.data.vocabulary import Mode
from corridors.routing.engine import SparseGraph, depth_first_order, shortest_tree
from corridors.routing.graph import EdgeKind, Query, RoutingGraph

__all__ = [
    "Layered",
    "alternatives",
    "best_with_sea",
    "compress",
    "connected",
    "reachable",
    "search_graph",
]

_EPSILON = 1e-9


@dataclass(frozen=True)
class _EdgeLookup:
    """Find the kept edge between two vertices (keys sorted by source, then target).

    ``kept`` holds, for each key, the edge's index in the arrays given to :func:`compress`, or
    (in a search graph) in the routing graph's edges, -1 for a via edge.
    """

    keys: NDArray[np.int64]
    kept: NDArray[np.int64]
    size: int

    def __getitem__(self, pair: tuple[int, int]) -> int:
        return int(self.many(np.asarray([pair[0]]), np.asarray([pair[1]]))[0])

    def many(self, sources: NDArray[np.int64], targets: NDArray[np.int64]) -> NDArray[np.int64]:
        """Kept edges between many pairs of vertices at once (the pairs must be edges)."""
        keys = np.asarray(sources, dtype=np.int64) * self.size + targets
        kept: NDArray[np.int64] = self.kept[np.searchsorted(self.keys, keys)]
        return kept


def compress(
    src: NDArray[np.int64],
    dst: NDArray[np.int64],
    weight: NDArray[np.float64],
    size: int,
    order: NDArray[np.int64] | None = None,
) -> tuple[SparseGraph, _EdgeLookup, NDArray[np.int64]]:
    """Keep the lightest of parallel edges and build a compressed sparse graph of the rest.

    ``order``, when given, is the edges sorted by source, target and weight (ties by position),
    so that no sort is needed here.
    """
    if order is None:
        order = np.lexsort((weight, dst, src))
    src_sorted, dst_sorted = src[order], dst[order]
    first = np.ones(order.size, dtype=bool)
    first[1:] = (src_sorted[1:] != src_sorted[:-1]) | (dst_sorted[1:] != dst_sorted[:-1])
    kept = order[first]
    kept_src, kept_dst = src_sorted[first], dst_sorted[first]
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(kept_src, minlength=size), out=indptr[1:])
    matrix = SparseGraph(indptr, kept_dst.astype(np.int64), weight[kept] + _EPSILON, size)
    edge_of = _EdgeLookup(kept_src * size + kept_dst, kept, size)
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


EdgeList = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.int64]]


@dataclass(frozen=True)
class _SearchGraph:
    """The compressed graph of one mask, weight and chain of via places (shared by queries)."""

    size: int
    matrix: SparseGraph
    edge_of: _EdgeLookup
    listing: Callable[[], EdgeList] = field(repr=False)

    @property
    def matrix_t(self) -> SparseGraph:
        """The reversed graph, for trees towards a destination."""
        return self.matrix.transposed()

    @cached_property
    def edge_list(self) -> EdgeList:
        """Sources, targets, weights and routing-graph edge (-1 for via) of every edge."""
        return self.listing()


def search_graph(
    graph: RoutingGraph,
    mask: NDArray[np.bool_],
    weight: str,
    vias: Sequence[str] = (),
    *,
    value_of_time: float | None = None,
) -> _SearchGraph:
    """Return the compressed graph a query searches, built once per mask, weight and vias.

    Parameters
    ----------
    graph
        The routing graph.
    mask
        The edges the query may use (:meth:`RoutingGraph.mask`).
    weight
        What is minimised.
    vias
        Via places in order: the graph is copied once per leg between them.
    value_of_time
        For ``generalised`` (default: the scenario's).

    Returns
    -------
    _SearchGraph
        Kept in the graph's memo (a few per scenario), so repeated queries skip the build.
    """
    digest = hashlib.blake2b(np.packbits(mask).tobytes(), digest_size=16).hexdigest()
    key = (digest, weight, value_of_time, tuple(vias))
    return graph.memo(
        "search", key, lambda: _build_search(graph, mask, weight, vias, value_of_time)
    )


def _edge_order(graph: RoutingGraph, weight: str, value_of_time: float | None) -> NDArray[Any]:
    """All edges sorted by source, target and weight (ties by position), once per weight."""

    def make() -> NDArray[np.int64]:
        edges = graph.edges
        order: NDArray[np.int64] = np.lexsort(
            (graph.weights(weight, value_of_time), edges["dst"], edges["src"])
        )
        return order

    return graph.memo("order", (weight, value_of_time), make)


def _build_search(
    graph: RoutingGraph,
    mask: NDArray[np.bool_],
    weight: str,
    vias: Sequence[str],
    value_of_time: float | None,
) -> _SearchGraph:
    edges = graph.edges
    base_count = graph.vertex_count
    weights = graph.weights(weight, value_of_time)
    if not vias:
        order = _edge_order(graph, weight, value_of_time)
        order = order[mask[order]]
        matrix, edge_of, _ = compress(edges["src"], edges["dst"], weights, base_count, order)

        def listing() -> EdgeList:
            keep = np.flatnonzero(mask)
            return edges["src"][keep], edges["dst"][keep], weights[keep], keep

        return _SearchGraph(base_count, matrix, edge_of, listing)
    keep = np.flatnonzero(mask)
    layers = len(vias) + 1
    src_parts, dst_parts, weight_parts, origin_parts = [], [], [], []
    for layer in range(layers):
        offset = layer * base_count
        src_parts.append(edges["src"][keep] + offset)
        dst_parts.append(edges["dst"][keep] + offset)
        weight_parts.append(weights[keep])
        origin_parts.append(keep)
    for layer, stop in enumerate(vias):
        position = graph.place_pos[stop]
        ports = np.flatnonzero(graph.port_vertices & (graph.vertex_place == position))
        src_parts.append(layer * base_count + ports)
        dst_parts.append((layer + 1) * base_count + ports)
        weight_parts.append(np.zeros(ports.size))
        origin_parts.append(np.full(ports.size, -1, dtype=np.int64))
    size = base_count * layers
    src = np.concatenate(src_parts)
    dst = np.concatenate(dst_parts)
    weight_all = np.concatenate(weight_parts)
    origin = np.concatenate(origin_parts)
    matrix, edge_of, kept = compress(src, dst, weight_all, size)
    edge_of = _EdgeLookup(edge_of.keys, origin[kept], size)
    return _SearchGraph(size, matrix, edge_of, lambda: (src, dst, weight_all, origin))


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
        searched = search_graph(graph, mask, weight, stops[1:-1], value_of_time=value_of_time)
        layers = len(stops) - 1
        self.graph = graph
        self.searched = searched
        self.base_count = graph.vertex_count
        self.size = searched.size
        self.matrix = searched.matrix
        self.edge_of = searched.edge_of
        start = graph.place_vertices(stops[0], "start")
        end = graph.place_vertices(stops[-1], "end")
        self.source = -1 if start is None else start
        self.target = -1 if end is None else end + (layers - 1) * self.base_count
        self._trees: (
            tuple[NDArray[np.float64], NDArray[np.int32], NDArray[np.float64], NDArray[np.int32]]
            | None
        ) = None

    @property
    def matrix_t(self) -> SparseGraph:
        """The reversed graph."""
        return self.searched.matrix_t

    @property
    def edge_list(self) -> EdgeList:
        """Source, target, weight and routing-graph edge (-1 for via) of every edge."""
        return self.searched.edge_list

    def trees(
        self,
    ) -> tuple[NDArray[np.float64], NDArray[np.int32], NDArray[np.float64], NDArray[np.int32]]:
        """Shortest-path trees from the origin and, on the reversed graph, to the destination.

        Computed once per query graph.
        """
        if self._trees is None:
            forward_dist, forward_pred = shortest_tree(self.matrix, self.source)
            backward_dist, backward_pred = shortest_tree(self.matrix_t, self.target)
            self._trees = (forward_dist, forward_pred, backward_dist, backward_pred)
        return self._trees

    def edge_indices(self, vertices: Sequence[int]) -> NDArray[np.int64]:
        """Original edge indices along a vertex path (-1 for via edges), as an array."""
        path = np.asarray(vertices, dtype=np.int64)
        if path.size < 2:
            return np.zeros(0, dtype=np.int64)
        return self.edge_of.many(path[:-1], path[1:])

    def edges_of(self, vertices: Sequence[int]) -> list[int]:
        """Original edge indices along a vertex path (-1 for via edges)."""
        return [int(index) for index in self.edge_indices(vertices)]

    def place_sequence(self, vertices: Sequence[int]) -> list[int]:
        """Positions of the places a vertex path passes, without repeats in a row."""
        return [int(place) for place in self._places(vertices)]

    def _places(self, vertices: Sequence[int]) -> NDArray[np.int64]:
        places = self.graph.vertex_place[np.asarray(vertices, dtype=np.int64) % self.base_count]
        if places.size < 2:
            return places
        keep = np.ones(places.size, dtype=bool)
        keep[1:] = places[1:] != places[:-1]
        result: NDArray[np.int64] = places[keep]
        return result

    def is_loopless(self, vertices: Sequence[int]) -> bool:
        """Whether a vertex path passes no place twice."""
        places = self._places(vertices)
        return bool(np.unique(places).size == places.size)


def _is_loopless(layered: Layered, vertices: Sequence[int]) -> bool:
    return layered.is_loopless(vertices)


def _link_km(layered: Layered, vertices: Sequence[int]) -> dict[int, float]:
    """Kilometres of each link a path travels, in the order travelled."""
    edges = layered.graph.edges
    indices = layered.edge_indices(vertices)
    indices = indices[indices >= 0]
    indices = indices[edges["kind"][indices] == EdgeKind.LINK]
    return dict(
        zip(edges["link"][indices].tolist(), edges["length_km"][indices].tolist(), strict=True)
    )


def _overlap(candidate: dict[int, float], accepted: dict[int, float]) -> float:
    total = sum(candidate.values())
    if total <= 0:
        return 1.0
    return sum(km for link, km in candidate.items() if link in accepted) / total


class _Tree:
    """A shortest-path tree as nested intervals of its depth-first order.

    A vertex ``u`` lies on the tree path of ``v`` (is an ancestor of ``v``, or ``v`` itself)
    exactly when ``first[u] <= first[v] < after[u]``; unreached vertices have empty intervals.
    Sums along every tree path at once are then one cumulative sum.
    """

    def __init__(self, pred: NDArray[np.int32], root: int, edge_at: NDArray[np.int64]) -> None:
        size = pred.size
        order = depth_first_order(pred, root)
        self.count = int(order.size)
        first = np.zeros(size, dtype=np.int64)
        first[order] = np.arange(self.count)
        after = np.zeros(size, dtype=np.int64)
        after[order] = first[order] + _subtree_sizes(pred, order)
        self.first, self.after = first, after
        self.order = order
        self.after_in_order = after[order]
        #: The edge joining each vertex to its parent (-1 at the root and where unreached).
        self.edge_at = edge_at

    def path_sums(self, values: NDArray[np.float64]) -> NDArray[np.float64]:
        """For every vertex, the sum of ``values`` (one per vertex) along its tree path."""
        weights = values[self.order]
        events = np.zeros(self.count + 1)
        events[: self.count] = weights
        events -= np.bincount(self.after_in_order, weights, minlength=self.count + 1)
        sums: NDArray[np.float64] = np.cumsum(events)[self.first]
        return sums

    def on_paths_of(self, vertices: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Which vertices lie on the tree path of any of ``vertices``."""
        marks = np.zeros(self.count + 1, dtype=np.int64)
        np.add.at(marks, self.first[vertices] + 1, 1)
        below = np.cumsum(marks)
        hit: NDArray[np.bool_] = below[self.after] > below[self.first]
        return hit


def _subtree_sizes(pred: NDArray[np.int32], order: NDArray[np.int32]) -> NDArray[np.float64]:
    """Count the vertices in the subtree of each vertex of ``order`` (by doubling)."""
    size = pred.size
    up = np.full(size + 1, size, dtype=np.int64)
    reached = order[1:]
    up[reached] = pred[reached]
    counts = np.zeros(size + 1)
    counts[order] = 1.0
    while (up[order] != size).any():
        counts += np.bincount(up, weights=counts, minlength=size + 1)
        counts[size] = 0.0
        up = up[up]
    sizes: NDArray[np.float64] = counts[order]
    return sizes


class _Scan:
    """The via-node scan of :func:`alternatives`, on arrays over the two trees."""

    def __init__(self, layered: Layered, max_overlap: float) -> None:
        self.layered = layered
        self.max_overlap = max_overlap
        _, forward_pred, _, backward_pred = layered.trees()
        self.forward_pred, self.backward_pred = forward_pred, backward_pred
        edges = layered.graph.edges
        size = layered.size
        self.trees: list[_Tree] = []
        self.km: list[NDArray[np.float64]] = []
        self.link: list[NDArray[np.int64]] = []
        for pred, root, backward in (
            (forward_pred, layered.source, False),
            (backward_pred, layered.target, True),
        ):
            joined = np.flatnonzero(pred >= 0)
            ends = pred[joined].astype(np.int64)
            pairs = (joined, ends) if backward else (ends, joined)
            edge_at = np.full(size, -1, dtype=np.int64)
            edge_at[joined] = layered.edge_of.many(*pairs)
            is_link = np.zeros(size, dtype=bool)
            valid = edge_at >= 0
            is_link[valid] = edges["kind"][edge_at[valid]] == EdgeKind.LINK
            km = np.where(is_link, edges["length_km"][np.where(is_link, edge_at, 0)], 0.0)
            self.km.append(km)
            self.link.append(np.where(is_link, edges["link"][np.where(is_link, edge_at, 0)], -1))
            self.trees.append(_Tree(pred, root, edge_at))
        self.total_km = self.trees[0].path_sums(self.km[0]) + self.trees[1].path_sums(self.km[1])
        self.shared: list[NDArray[np.float64]] = []
        self.accepted_km: list[dict[int, float]] = []
        self.link_count = len(layered.graph.link_ids)

    def path(self, vertex: int) -> list[int]:
        """Return the via path of a vertex: the tree path to it, then the tree path on from it."""
        layered = self.layered
        head = _walk(self.forward_pred, layered.source, vertex)
        tail = _walk_back(self.backward_pred, vertex, layered.target)
        return head + tail[1:]

    def accept(self, vertices: list[int]) -> None:
        """Record an accepted path: its links' shared kilometres along every tree path."""
        km = _link_km(self.layered, vertices)
        self.accepted_km.append(km)
        on = np.zeros(self.link_count + 1, dtype=bool)
        on[list(km)] = True
        shared = np.zeros(self.layered.size)
        for tree, tree_km, tree_link in zip(self.trees, self.km, self.link, strict=True):
            shared += tree.path_sums(np.where(on[tree_link], tree_km, 0.0))
        self.shared.append(shared)

    def too_close(self, vertex: int) -> bool:
        """Whether the via path of a vertex overlaps an accepted path by more than allowed."""
        total = float(self.total_km[vertex])
        limit = self.max_overlap
        for shared, accepted in zip(self.shared, self.accepted_km, strict=True):
            share = float(shared[vertex]) / total if total > _EPSILON else 1.0
            if abs(share - limit) <= _NEAR * max(1.0, abs(limit)) or total <= _EPSILON:
                share = _overlap(_link_km(self.layered, self.path(vertex)), accepted)
            if share > limit:
                return True
        return False

    def covering(self, chunk: NDArray[np.int64]) -> NDArray[np.bool_]:
        """``result[i, j]``: vertex ``chunk[i]`` lies on the via path of ``chunk[j]``."""
        within = np.zeros((chunk.size, chunk.size), dtype=bool)
        for tree in self.trees:
            first, after = tree.first[chunk], tree.after[chunk]
            within |= (first[:, None] <= first[None, :]) & (first[None, :] < after[:, None])
        return within

    def cover(self, walked: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Which vertices lie on the via path of any walked vertex."""
        hit = self.trees[0].on_paths_of(walked)
        hit |= self.trees[1].on_paths_of(walked)
        return hit


#: Overlaps this close to ``max_overlap`` are decided on the path itself, not the tree sums.
_NEAR = 1e-6

#: Candidates taken at once by the scan, at first (the batch doubles up to the cap).
_FIRST_BATCH, _MAX_BATCH = 16, 512


def alternatives(
    layered: Layered, k: int, max_overlap: float, max_stretch: float
) -> list[list[int]]:
    """Up to ``k`` loopless via-node paths in order of weight, near-duplicates dropped.

    Candidates (vertices within the stretch) are taken in order of the weight of the best path
    through them. A candidate on the path of one already taken is skipped; the others are
    dropped when they share more than ``max_overlap`` of their length with an accepted path
    (measured for all candidates at once from sums along the two trees) or pass a place twice.

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
    # The first candidate in order of weight (the lowest index among equals), found without
    # sorting them all: often the only one a single route needs.
    first = int(np.argmin(total))
    vertices = (
        _walk(forward_pred, layered.source, first)
        + _walk_back(backward_pred, first, layered.target)[1:]
    )
    accepted: list[list[int]] = []
    if layered.is_loopless(vertices):
        accepted.append(vertices)
        if k <= 1:
            return accepted
    limit = best * (1.0 + max_stretch) + _EPSILON * layered.size
    candidates = np.flatnonzero(np.isfinite(total) & (total <= limit))
    candidates = candidates[np.argsort(total[candidates], kind="stable")]
    scan = _Scan(layered, max_overlap)
    if accepted:
        scan.accept(vertices)
    covered = scan.cover(candidates[:1])
    position, batch = 1, _FIRST_BATCH
    while position < candidates.size and len(accepted) < k:
        rest = candidates[position:]
        free = np.flatnonzero(~covered[rest])
        if free.size == 0:
            break
        chunk = rest[free[:batch]]
        position += int(free[:batch][-1]) + 1
        within = scan.covering(chunk)
        walked: list[int] = []
        blocked = np.zeros(chunk.size, dtype=bool)
        for index, vertex in enumerate(chunk.tolist()):
            if blocked[index]:
                continue
            walked.append(index)
            blocked |= within[:, index]
            if scan.too_close(vertex):
                continue
            path = scan.path(vertex)
            if not layered.is_loopless(path):
                continue
            accepted.append(path)
            if len(accepted) >= k:
                break
            scan.accept(path)
        covered |= scan.cover(chunk[walked])
        batch = min(2 * batch, _MAX_BATCH)
    return accepted


def best_with_sea(layered: Layered) -> list[int]:
    """Find the best loopless path that uses at least one sea link, or return an empty list."""
    forward_dist, forward_pred, backward_dist, backward_pred = layered.trees()
    graph = layered.graph
    edges = graph.edges
    src, dst, weight, original = layered.edge_list
    is_sea = np.zeros(src.size, dtype=bool)
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
    totals = forward_dist[src[sea]] + weight[sea] + backward_dist[dst[sea]]
    for position in np.argsort(totals, kind="stable"):
        if not np.isfinite(totals[position]):
            break
        edge = sea[position]
        head = _walk(forward_pred, layered.source, int(src[edge]))
        tail = _walk_back(backward_pred, int(dst[edge]), layered.target)
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
    distances, _ = shortest_tree(layered.matrix, layered.source)
    return bool(np.isfinite(distances[layered.target]))
