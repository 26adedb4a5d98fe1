"""Routing across modes, gauges and borders, with alternatives and no-route explanations.

The network is expanded so that every change a route makes is an edge with its own time and
cost: each node has one vertex per (mode, gauge) of the links that meet there, joined by transfer
and break-of-gauge edges; a link whose end nodes lie in different countries carries the border
dwell of its direction. Shortest paths run on a compressed sparse graph with SciPy's Dijkstra.

Alternatives are via-node paths (Abraham et al., "Alternative routes in road networks", 2013):
one Dijkstra tree from the origin and one to the destination give, for every vertex v, the best
path through v; these are taken in order of their weight, loops are rejected, and a path sharing
more than ``max_overlap`` of its length with a better one is dropped as a near-duplicate. Two
tree searches replace Yen's hundreds of spur searches, so the cost stays that of two Dijkstras as
the network grows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from corridors import costs
from corridors.errors import CorridorsError
from corridors.places import Place, PlaceIndex
from corridors.routes import Leg, Route, RouteSet, Step
from corridors.scenarios import BASE_SCENARIO, ScenarioNetwork, apply_scenario
from corridors.schema import Mode, NodeKind, Parameters, Status

__all__ = [
    "MODE_COMBINATIONS",
    "WEIGHTS",
    "NoRoute",
    "RoutingGraph",
    "route",
    "route_matrix",
]

#: What a route can be optimised for.
WEIGHTS = ("distance", "time", "cost", "generalised")

#: The mode combinations reported as ``RouteSet.by_mode``.
MODE_COMBINATIONS = {
    "rail only": {"rail"},
    "road only": {"road"},
    "rail and road": {"rail", "road"},
}
WITH_SEA = "with a sea leg"

_EPSILON = 1e-9
_NO_GAUGE = -1
_UNKNOWN_GAUGE = 0


class NoRoute(CorridorsError):
    """No route joins the places under the given restrictions; the message says why."""


class EdgeKind(IntEnum):
    """What an edge of the expanded graph stands for."""

    LINK = 0
    TRANSFER = 1
    BREAK_OF_GAUGE = 2
    GAUGE_UNKNOWN = 3
    ACCESS = 4
    EGRESS = 5
    CONTINUE = 6


@dataclass
class _Edges:
    src: list[int] = field(default_factory=list)
    dst: list[int] = field(default_factory=list)
    kind: list[int] = field(default_factory=list)
    link: list[int] = field(default_factory=list)
    forward: list[bool] = field(default_factory=list)
    place: list[int] = field(default_factory=list)
    length_km: list[float] = field(default_factory=list)
    time_h: list[float] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)

    def add(self, src: int, dst: int, kind: EdgeKind, **values: Any) -> None:
        self.src.append(src)
        self.dst.append(dst)
        self.kind.append(int(kind))
        self.link.append(values.get("link", -1))
        self.forward.append(values.get("forward", True))
        self.place.append(values.get("place", -1))
        self.length_km.append(values.get("length_km", 0.0))
        self.time_h.append(values.get("time_h", 0.0))
        self.cost.append(values.get("cost", 0.0))


@dataclass(frozen=True)
class _Query:
    modes: frozenset[str]
    statuses: frozenset[str]
    avoid_nodes: frozenset[str]
    avoid_links: frozenset[str]
    avoid_countries: frozenset[str]


class RoutingGraph:
    """The expanded, routable graph of one scenario.

    Parameters
    ----------
    scenario
        The scenario's network and parameters (see :func:`corridors.scenarios.apply_scenario`).

    Notes
    -----
    Build it once per scenario and reuse it for many queries; :func:`route` caches one per
    scenario name.
    """

    def __init__(self, scenario: ScenarioNetwork) -> None:
        self.scenario = scenario
        self.parameters: Parameters = scenario.parameters
        nodes = scenario.network.nodes
        self.nodes = nodes[nodes["kind"] != NodeKind.POI.value]
        links = scenario.network.links
        self.links = links[links["status"] != "closed"]
        self._place_ids = list(self.nodes.index)
        self._place_pos = {node_id: i for i, node_id in enumerate(self._place_ids)}
        self._country = self.nodes["country"].to_dict()
        self.places = PlaceIndex(self.nodes)
        self._build()

    # ------------------------------------------------------------------ construction
    def _port(self, place: str, mode: str, gauge: int, *, arriving: bool) -> int:
        """Return the vertex where cargo arrives at, or leaves, a place by a mode and gauge.

        Rail of unknown gauge has separate arrival and departure vertices, so that a route can
        only pass from one known gauge to another through a break of gauge, never for free
        through a line of unknown gauge it does not travel on.
        """
        if gauge == _UNKNOWN_GAUGE:
            return self._vertex(place, "in" if arriving else "out", mode, gauge)
        return self._vertex(place, "port", mode, gauge)

    def _vertex(self, place: str, role: str, mode: str = "", gauge: int = _NO_GAUGE) -> int:
        key = (place, role, mode, gauge)
        index = self._vertex_index.get(key)
        if index is None:
            index = len(self._vertices)
            self._vertex_index[key] = index
            self._vertices.append(key)
        return index

    def _build(self) -> None:
        self._vertices: list[tuple[str, str, str, int]] = []
        self._vertex_index: dict[tuple[str, str, str, int], int] = {}
        edges = _Edges()
        links = self.links
        self._link_ids = [str(link_id) for link_id in links.index]
        self._link_mode = links["mode"].to_numpy()
        self._link_status = links["status"].to_numpy()
        self._link_countries = [frozenset(str(c).split(";")) for c in links["countries"]]
        self._link_gauge = [
            _NO_GAUGE
            if mode != Mode.RAIL.value
            else (_UNKNOWN_GAUGE if pd.isna(gauge) else int(gauge))
            for mode, gauge in zip(self._link_mode, links["gauge_mm"], strict=True)
        ]
        self._add_links(edges)
        self._add_steps(edges)
        self._edges: dict[str, NDArray[Any]] = {
            "src": np.asarray(edges.src, dtype=np.int64),
            "dst": np.asarray(edges.dst, dtype=np.int64),
            "kind": np.asarray(edges.kind, dtype=np.int8),
            "link": np.asarray(edges.link, dtype=np.int64),
            "forward": np.asarray(edges.forward, dtype=bool),
            "place": np.asarray(edges.place, dtype=np.int64),
            "length_km": np.asarray(edges.length_km, dtype=float),
            "time_h": np.asarray(edges.time_h, dtype=float),
            "cost": np.asarray(edges.cost, dtype=float),
        }
        self._vertex_place = np.asarray(
            [self._place_pos[place] for place, *_ in self._vertices], dtype=np.int64
        )

    def _add_links(self, edges: _Edges) -> None:
        """Two directed edges per link, carrying the border step of each direction."""
        parameters = self.parameters
        links = self.links
        speeds: dict[tuple[str, str], float] = {}
        tariffs: dict[tuple[str, str], float] = {}

        def speed(mode: str, status: str) -> float:
            if (mode, status) not in speeds:
                speeds[mode, status] = costs.speed_km_h(parameters, mode, status)
            return speeds[mode, status]

        def tariff(mode: str, country: str) -> float:
            if (mode, country) not in tariffs:
                tariffs[mode, country] = costs.tariff_usd_per_t_km(parameters, mode, country)
            return tariffs[mode, country]

        columns = zip(
            links.index,
            links["mode"].astype(str),
            links["route_length_km"].astype(float),
            links["km_by_country"].astype(str),
            links["seed_status"].astype(str),
            links["from"].astype(str),
            links["to"].astype(str),
            strict=True,
        )
        for position, (link_id, mode, route_km, km_by_country, status, start, end) in enumerate(
            columns
        ):
            gauge = self._link_gauge[position]
            shares = (
                [] if mode == Mode.SEA.value else costs.route_km_by_country(km_by_country, route_km)
            )
            covered = sum(km for _, km in shares)
            haul = sum(km * tariff(mode, iso2) for iso2, km in shares) + max(
                route_km - covered, 0.0
            ) * tariff(mode, "*")
            run_h = route_km / speed(mode, status)
            crosses = self._country[start] != self._country[end]
            for forward, (here, there) in ((True, (start, end)), (False, (end, start))):
                dwell = cost = 0.0
                if crosses:
                    terms = costs.border_terms(parameters, str(link_id), mode, forward=forward)
                    dwell, cost = terms.time_h, terms.cost_usd_per_t
                edges.add(
                    self._port(here, mode, gauge, arriving=False),
                    self._port(there, mode, gauge, arriving=True),
                    EdgeKind.LINK,
                    link=position,
                    forward=forward,
                    length_km=route_km,
                    time_h=run_h + dwell,
                    cost=haul + cost,
                )

    def _add_steps(self, edges: _Edges) -> None:
        """Access and egress at every place, and transfers and gauge steps between its ports."""
        ports: dict[str, list[tuple[str, int]]] = {}
        for place, role, mode, gauge in list(self._vertices):
            if role in {"port", "in"}:
                ports.setdefault(place, []).append((mode, gauge))
        for place, place_ports in ports.items():
            position = self._place_pos[place]
            start_vertex = self._vertex(place, "start")
            end_vertex = self._vertex(place, "end")
            for mode, gauge in place_ports:
                arrive = self._port(place, mode, gauge, arriving=True)
                leave = self._port(place, mode, gauge, arriving=False)
                edges.add(start_vertex, leave, EdgeKind.ACCESS, place=position)
                edges.add(arrive, end_vertex, EdgeKind.EGRESS, place=position)
                if arrive != leave:
                    edges.add(arrive, leave, EdgeKind.CONTINUE, place=position)
            for port_a in place_ports:
                for port_b in place_ports:
                    if port_a != port_b:
                        self._add_change(edges, place, position, port_a, port_b)

    def _add_change(
        self,
        edges: _Edges,
        place: str,
        position: int,
        port_a: tuple[str, int],
        port_b: tuple[str, int],
    ) -> None:
        """Add the edge for changing from one port of a place to another."""
        (mode_a, gauge_a), (mode_b, gauge_b) = port_a, port_b
        arrive = self._port(place, mode_a, gauge_a, arriving=True)
        leave = self._port(place, mode_b, gauge_b, arriving=False)
        if mode_a != mode_b:
            terms = costs.transfer_terms(self.parameters, mode_a, mode_b)
            kind = EdgeKind.TRANSFER
        elif _UNKNOWN_GAUGE in (gauge_a, gauge_b):
            terms = costs.StepTerms(0.0, 0.0, "assumption")
            kind = EdgeKind.GAUGE_UNKNOWN
        else:
            terms = costs.gauge_terms(self.parameters)
            kind = EdgeKind.BREAK_OF_GAUGE
        edges.add(
            arrive, leave, kind, place=position, time_h=terms.time_h, cost=terms.cost_usd_per_t
        )

    # ------------------------------------------------------------------ queries
    @property
    def vertex_count(self) -> int:
        """Number of vertices of the expanded graph."""
        return len(self._vertices)

    @property
    def edge_count(self) -> int:
        """Number of edges of the expanded graph."""
        return int(self._edges["src"].size)

    def weights(self, weight: str) -> NDArray[np.float64]:
        """Weight of every edge for ``distance``, ``time``, ``cost`` or ``generalised``."""
        edges = self._edges
        if weight == "distance":
            return edges["length_km"]
        if weight == "time":
            return edges["time_h"]
        if weight == "cost":
            return edges["cost"]
        value_of_time = self.parameters.value_of_time_usd_per_t_h.value
        return edges["cost"] + value_of_time * edges["time_h"]

    def _mask(self, query: _Query) -> NDArray[np.bool_]:
        edges = self._edges
        kind = edges["kind"]
        is_link = kind == EdgeKind.LINK
        link = np.where(is_link, edges["link"], 0)
        link_ok = np.array(
            [
                self._link_mode[i] in query.modes
                and self._link_status[i] in query.statuses
                and self._link_ids[i] not in query.avoid_links
                and not (self._link_countries[i] & query.avoid_countries)
                for i in range(len(self._link_ids))
            ],
            dtype=bool,
        )
        place_ok = np.array(
            [
                node not in query.avoid_nodes and self._country[node] not in query.avoid_countries
                for node in self._place_ids
            ],
            dtype=bool,
        )
        src_ok = place_ok[self._vertex_place[edges["src"]]]
        dst_ok = place_ok[self._vertex_place[edges["dst"]]]
        mask: NDArray[np.bool_] = np.where(is_link, link_ok[link], True) & src_ok & dst_ok
        return mask

    def place_vertices(self, place: str, role: str) -> int | None:
        """Index of a place's ``start`` or ``end`` vertex, or None when no link reaches it."""
        return self._vertex_index.get((place, role, "", _NO_GAUGE))

    def links_at(self, place: str) -> list[str]:
        """Ids of the links that start or end at a place."""
        links = self.links
        return list(links.index[(links["from"] == place) | (links["to"] == place)])


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


def _compress(
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


class _Layered:
    """A query's graph: the masked expanded graph, copied once per leg between via points."""

    def __init__(
        self, graph: RoutingGraph, mask: NDArray[np.bool_], weight: str, stops: Sequence[str]
    ) -> None:
        edges = graph._edges
        base_count = graph.vertex_count
        keep = np.flatnonzero(mask)
        layers = len(stops) - 1
        weights = graph.weights(weight)
        src_parts, dst_parts, weight_parts, origin_parts = [], [], [], []
        for layer in range(layers):
            offset = layer * base_count
            src_parts.append(edges["src"][keep] + offset)
            dst_parts.append(edges["dst"][keep] + offset)
            weight_parts.append(weights[keep])
            origin_parts.append(keep)
        via_edges = []
        for layer, stop in enumerate(stops[1:-1]):
            for index, (place, role, *_rest) in enumerate(graph._vertices):
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
        self.matrix, self.edge_of, _ = _compress(self.src, self.dst, self.weight, self.size)
        self.matrix_t = self.matrix.transpose().tocsr()
        start = graph.place_vertices(stops[0], "start")
        end = graph.place_vertices(stops[-1], "end")
        self.source = -1 if start is None else start
        self.target = -1 if end is None else end + (layers - 1) * base_count

    def trees(
        self,
    ) -> tuple[NDArray[np.float64], NDArray[np.int32], NDArray[np.float64], NDArray[np.int32]]:
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
        places: list[int] = []
        for vertex in vertices:
            place = int(self.graph._vertex_place[vertex % self.base_count])
            if not places or places[-1] != place:
                places.append(place)
        return places


def _is_loopless(layered: _Layered, vertices: Sequence[int]) -> bool:
    places = layered.place_sequence(vertices)
    return len(places) == len(set(places))


def _link_km(graph: RoutingGraph, edge_indices: Iterable[int]) -> dict[int, float]:
    edges = graph._edges
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


def _alternatives(
    layered: _Layered, k: int, max_overlap: float, max_stretch: float
) -> list[list[int]]:
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


def _best_with_sea(layered: _Layered) -> list[int]:
    forward_dist, forward_pred, backward_dist, backward_pred = layered.trees()
    graph = layered.graph
    edges = graph._edges
    is_sea = np.zeros(layered.src.size, dtype=bool)
    original = layered.origin
    valid = original >= 0
    is_sea[valid] = (edges["kind"][original[valid]] == EdgeKind.LINK) & (
        graph._link_mode[
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


# ---------------------------------------------------------------------------- results


def _describe_place(graph: RoutingGraph, node_id: str) -> str:
    return str(graph.nodes.at[node_id, "name"])


def _route_from(
    layered: _Layered,
    vertices: Sequence[int],
    *,
    weight: str,
    stops: Sequence[str],
    rank: int = 1,
    label: str = "best",
) -> Route:
    graph = layered.graph
    edges = graph._edges
    parameters = graph.parameters
    links = graph.links
    items: list[Leg | Step] = []
    for index in layered.edges_of(vertices):
        if index < 0:
            continue
        kind = EdgeKind(int(edges["kind"][index]))
        place = graph._place_ids[int(edges["place"][index])] if edges["place"][index] >= 0 else ""
        src_vertex = graph._vertices[int(edges["src"][index])]
        dst_vertex = graph._vertices[int(edges["dst"][index])]
        if kind is EdgeKind.LINK:
            position = int(edges["link"][index])
            forward = bool(edges["forward"][index])
            link_id = graph._link_ids[position]
            row = links.loc[link_id]
            items.extend(_leg_and_border(graph, row, link_id, forward, parameters))
        elif kind is EdgeKind.TRANSFER:
            terms = costs.transfer_terms(parameters, src_vertex[2], dst_vertex[2])
            items.append(
                Step(
                    kind="transfer",
                    at=place,
                    description=(
                        f"{src_vertex[2]} to {dst_vertex[2]} at {_describe_place(graph, place)}"
                    ),
                    time_h=terms.time_h,
                    cost_usd_per_t=terms.cost_usd_per_t,
                    from_value=src_vertex[2],
                    to_value=dst_vertex[2],
                    source=terms.source,
                    note=terms.note,
                )
            )
        elif kind is EdgeKind.BREAK_OF_GAUGE:
            terms = costs.gauge_terms(parameters)
            items.append(
                Step(
                    kind="break_of_gauge",
                    at=place,
                    description=(
                        f"break of gauge {src_vertex[3]} to {dst_vertex[3]} mm at "
                        f"{_describe_place(graph, place)}"
                    ),
                    time_h=terms.time_h,
                    cost_usd_per_t=terms.cost_usd_per_t,
                    from_value=str(src_vertex[3]),
                    to_value=str(dst_vertex[3]),
                    source=terms.source,
                    note=terms.note,
                )
            )
        elif kind is EdgeKind.GAUGE_UNKNOWN:
            known = max(src_vertex[3], dst_vertex[3])
            items.append(
                Step(
                    kind="gauge_unknown",
                    at=place,
                    description=(
                        f"gauge change unknown at {_describe_place(graph, place)}: a line "
                        f"of unpublished gauge meets {known} mm; no break assumed"
                    ),
                    time_h=0.0,
                    cost_usd_per_t=0.0,
                    from_value=str(src_vertex[3] or "unknown"),
                    to_value=str(dst_vertex[3] or "unknown"),
                    source="assumption",
                )
            )
    return Route(
        origin=stops[0],
        destination=stops[-1],
        scenario=graph.scenario.name,
        weight=weight,
        items=tuple(items),
        value_of_time_usd_per_t_h=parameters.value_of_time_usd_per_t_h.value,
        rank=rank,
        label=label,
    )


def _leg_and_border(
    graph: RoutingGraph, row: pd.Series, link_id: str, forward: bool, parameters: Parameters
) -> list[Leg | Step]:
    mode = str(row["mode"])
    start, end = (
        (str(row["from"]), str(row["to"])) if forward else (str(row["to"]), str(row["from"]))
    )
    route_km = float(row["route_length_km"])
    shares = (
        []
        if mode == Mode.SEA.value
        else costs.route_km_by_country(str(row["km_by_country"]), route_km)
    )
    countries = [c for c in str(row["countries"]).split(";") if c]
    geometry = row.get("geometry")
    if not forward:
        shares = shares[::-1]
        countries = countries[::-1]
        geometry = geometry.reverse() if geometry is not None else None
    gauge = None if pd.isna(row["gauge_mm"]) else int(row["gauge_mm"])
    leg = Leg(
        link_id=link_id,
        name=str(row["name"]),
        from_id=start,
        to_id=end,
        mode=mode,
        status=str(row["status"]),
        gauge_mm=gauge,
        countries=tuple(countries),
        km_by_country=tuple(shares),
        length_km=route_km,
        time_h=costs.link_time_h(parameters, mode, str(row["seed_status"]), route_km),
        cost_usd_per_t=costs.link_cost_usd_per_t(parameters, mode, shares, route_km),
        alignment=str(row["alignment"]),
        sources=tuple(str(row["sources"]).split(";")),
        geometry=geometry,
    )
    items: list[Leg | Step] = [leg]
    from_country, to_country = graph._country[start], graph._country[end]
    if from_country != to_country:
        terms = costs.border_terms(parameters, link_id, mode, forward=forward)
        kinds = graph.nodes["kind"]
        at = (
            end
            if kinds[end] == NodeKind.BORDER_CROSSING.value
            or kinds[start] != NodeKind.BORDER_CROSSING.value
            else start
        )
        items.append(
            Step(
                kind="border",
                at=at,
                description=(
                    f"border {from_country} to {to_country} ({mode}) between "
                    f"{_describe_place(graph, start)} and {_describe_place(graph, end)}"
                ),
                time_h=terms.time_h,
                cost_usd_per_t=terms.cost_usd_per_t,
                from_value=from_country,
                to_value=to_country,
                source=terms.source,
                note=terms.note,
                link_id=link_id,
            )
        )
    return items


# ---------------------------------------------------------------------------- public API

_GRAPHS: dict[tuple[int, str], RoutingGraph] = {}


def _check_weight(weight: str) -> None:
    if weight not in WEIGHTS:
        message = f"unknown weight '{weight}'; use one of {', '.join(WEIGHTS)}"
        raise CorridorsError(message)


_BY_SCENARIO: dict[int, RoutingGraph] = {}


def _graph_for(network: Any, scenario: str | ScenarioNetwork) -> RoutingGraph:
    if isinstance(scenario, ScenarioNetwork):
        known = _BY_SCENARIO.get(id(scenario))
        if known is None or known.scenario is not scenario:
            known = RoutingGraph(scenario)
            _BY_SCENARIO.clear()  # keep one: scenarios built by hand are usually used in a row
            _BY_SCENARIO[id(scenario)] = known
        return known
    key = (id(network), scenario)
    cached = _GRAPHS.get(key)
    if cached is None or cached.scenario.network.seeds is not network.seeds:
        cached = RoutingGraph(apply_scenario(network, scenario))
        _GRAPHS[key] = cached
    return cached


def _resolve_all(graph: RoutingGraph, places: Sequence[str | tuple[float, float]]) -> list[Place]:
    return [graph.places.resolve(place) for place in places]


def route(
    origin: str | tuple[float, float],
    destination: str | tuple[float, float],
    *,
    network: Any = None,
    scenario: str | ScenarioNetwork = BASE_SCENARIO,
    weight: str = "generalised",
    alternatives: int = 3,
    modes: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    avoid: Iterable[str] = (),
    via: Iterable[str | tuple[float, float]] = (),
    max_overlap: float = 0.8,
    max_stretch: float = 1.0,
) -> RouteSet:
    """Find the best route between two places, its alternatives and the best per mode mix.

    Parameters
    ----------
    origin, destination
        A node id, an English or local name (``"Актау"``, case-insensitive), or a
        ``(lon, lat)`` pair snapped to the nearest node.
    network
        A built :class:`~corridors.network.Network` (default: built from ``seeds/``).
    scenario
        A scenario name from ``seeds/scenarios/`` or an applied scenario.
    weight
        ``distance`` (km), ``time`` (h), ``cost`` (US$/t) or ``generalised`` (cost plus value
        of time multiplied by hours).
    alternatives
        How many routes to return at most, the best included.
    modes
        Allowed modes (default all: rail, road, sea).
    statuses
        Allowed link statuses in the scenario (default: operational only).
    avoid
        Node ids or names, link ids, or ISO2 country codes to avoid.
    via
        Places to pass through, in order.
    max_overlap
        An alternative sharing more than this fraction of its length with a better route is
        dropped as a near-duplicate.
    max_stretch
        Alternatives may be at most ``1 + max_stretch`` times the best route's weight.

    Returns
    -------
    RouteSet
        Routes in order of the weight (the best first) and the best route per mode combination.

    Raises
    ------
    UnknownPlace
        For a place that matches no node (with a did-you-mean).
    NoRoute
        When nothing joins the places; the message says which restriction cuts the route and
        which scenario would connect it.

    Examples
    --------
    >>> routes = route("Aktau seaport", "Gorgan", weight="distance", modes=["rail"])
    >>> [step.kind for step in routes.best.steps]
    ['border', 'border', 'break_of_gauge']
    """
    _check_weight(weight)
    built = network if network is not None else _default_network()
    graph = _graph_for(built, scenario)
    origin_place, destination_place = _resolve_all(graph, [origin, destination])
    via_places = _resolve_all(graph, list(via))
    query = _make_query(graph, modes, statuses, avoid)
    for place in (origin_place, destination_place, *via_places):
        if place.node_id in query.avoid_nodes:
            message = f"'{place.node_id}' is both a stop and a place to avoid"
            raise CorridorsError(message)
    stops = [origin_place.node_id, *(p.node_id for p in via_places), destination_place.node_id]
    if len(set(stops)) != len(stops):
        message = "origin, destination and via places must all differ"
        raise CorridorsError(message)
    layered = _Layered(graph, graph._mask(query), weight, stops)
    if layered.source < 0 or layered.target < 0:
        raise NoRoute(_explain(graph, stops, query, built))
    paths = _alternatives(layered, max(alternatives, 1), max_overlap, max_stretch)
    if not paths:
        raise NoRoute(_explain(graph, stops, query, built))
    routes = tuple(
        _route_from(
            layered,
            path,
            weight=weight,
            stops=stops,
            rank=rank,
            label="best" if rank == 1 else "alternative",
        )
        for rank, path in enumerate(paths, start=1)
    )
    by_mode = _by_mode(graph, query, weight, stops)
    record = {
        "origin": origin_place.node_id,
        "destination": destination_place.node_id,
        "via": [p.node_id for p in via_places],
        "snap_km": {
            p.query: round(p.snap_km, 3)
            for p in (origin_place, destination_place, *via_places)
            if p.snap_km
        },
        "scenario": graph.scenario.name,
        "weight": weight,
        "alternatives": alternatives,
        "modes": sorted(query.modes),
        "statuses": sorted(query.statuses),
        "avoid": sorted(query.avoid_nodes | query.avoid_links | query.avoid_countries),
    }
    return RouteSet(routes=routes, by_mode=by_mode, query=record)


def route_matrix(
    origins: Sequence[str | tuple[float, float]],
    destinations: Sequence[str | tuple[float, float]] | None = None,
    *,
    network: Any = None,
    scenario: str | ScenarioNetwork = BASE_SCENARIO,
    weight: str = "generalised",
    modes: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    avoid: Iterable[str] = (),
) -> pd.DataFrame:
    """Best-route values between every origin and every destination.

    One Dijkstra search per origin covers all destinations, so a matrix costs as many searches
    as it has rows.

    Parameters
    ----------
    origins
        Places, as :func:`route` accepts them.
    destinations
        Places (default: the origins).
    network, scenario, weight, modes, statuses, avoid
        As for :func:`route`.

    Returns
    -------
    pandas.DataFrame
        Rows are origin node ids, columns destination node ids; values in the weight's unit,
        ``inf`` where no route exists and 0 on the diagonal.
    """
    _check_weight(weight)
    built = network if network is not None else _default_network()
    graph = _graph_for(built, scenario)
    rows = [p.node_id for p in _resolve_all(graph, list(origins))]
    columns = (
        rows
        if destinations is None
        else [p.node_id for p in _resolve_all(graph, list(destinations))]
    )
    query = _make_query(graph, modes, statuses, avoid)
    mask = graph._mask(query)
    keep = np.flatnonzero(mask)
    matrix, _, _ = _compress(
        graph._edges["src"][keep],
        graph._edges["dst"][keep],
        graph.weights(weight)[keep],
        graph.vertex_count,
    )
    sources = [graph.place_vertices(place, "start") for place in rows]
    targets = [graph.place_vertices(place, "end") for place in columns]
    values = np.full((len(rows), len(columns)), np.inf)
    valid_sources = [i for i, v in enumerate(sources) if v is not None]
    if valid_sources:
        distances = dijkstra(matrix, directed=True, indices=[sources[i] for i in valid_sources])
        for row_position, source_position in enumerate(valid_sources):
            for column, target in enumerate(targets):
                if target is not None:
                    values[source_position, column] = distances[row_position, target]
    frame = pd.DataFrame(values, index=rows, columns=columns)
    for place in set(rows) & set(columns):
        frame.loc[place, place] = 0.0
    return frame


def _by_mode(graph: RoutingGraph, query: _Query, weight: str, stops: list[str]) -> dict[str, Route]:
    found: dict[str, Route] = {}
    for label, modes in MODE_COMBINATIONS.items():
        allowed = modes & query.modes
        if allowed != modes:
            continue
        narrowed = _Query(
            frozenset(allowed),
            query.statuses,
            query.avoid_nodes,
            query.avoid_links,
            query.avoid_countries,
        )
        layered = _Layered(graph, graph._mask(narrowed), weight, stops)
        if layered.source < 0 or layered.target < 0:
            continue
        paths = _alternatives(layered, 1, 1.0, 0.0)
        if paths:
            found[label] = _route_from(layered, paths[0], weight=weight, stops=stops, label=label)
    if Mode.SEA.value in query.modes:
        layered = _Layered(graph, graph._mask(query), weight, stops)
        if layered.source >= 0 and layered.target >= 0:
            path = _best_with_sea(layered)
            if path:
                found[WITH_SEA] = _route_from(
                    layered, path, weight=weight, stops=stops, label=WITH_SEA
                )
    return found


def _make_query(
    graph: RoutingGraph,
    modes: Iterable[str] | None,
    statuses: Iterable[str] | None,
    avoid: Iterable[str],
) -> _Query:
    all_modes = {m.value for m in Mode}
    chosen_modes = set(modes) if modes is not None else all_modes
    unknown = chosen_modes - all_modes
    if unknown:
        message = f"unknown mode {sorted(unknown)}; use rail, road or sea"
        raise CorridorsError(message)
    all_statuses = {s.value for s in Status}
    chosen_statuses = set(statuses) if statuses is not None else {Status.OPERATIONAL.value}
    unknown = chosen_statuses - all_statuses
    if unknown:
        message = f"unknown status {sorted(unknown)}; use {', '.join(sorted(all_statuses))}"
        raise CorridorsError(message)
    countries = set(graph.nodes["country"])
    avoid_nodes, avoid_links, avoid_countries = set(), set(), set()
    for item in avoid:
        text = str(item).strip()
        if text in graph.links.index:
            avoid_links.add(text)
        elif text.upper() in countries and len(text) == 2:
            avoid_countries.add(text.upper())
        else:
            avoid_nodes.add(graph.places.resolve(text).node_id)
    return _Query(
        frozenset(chosen_modes),
        frozenset(chosen_statuses),
        frozenset(avoid_nodes),
        frozenset(avoid_links),
        frozenset(avoid_countries),
    )


def _connected(graph: RoutingGraph, query: _Query, stops: list[str]) -> bool:
    layered = _Layered(graph, graph._mask(query), "distance", stops)
    if layered.source < 0 or layered.target < 0:
        return False
    distances = dijkstra(layered.matrix, directed=True, indices=layered.source, limit=np.inf)
    return bool(np.isfinite(distances[layered.target]))


def _explain(graph: RoutingGraph, stops: list[str], query: _Query, network: Any) -> str:
    names = " to ".join(f"{_describe_place(graph, s)} ({s})" for s in stops)
    mode_text = "/".join(sorted(query.modes))
    head = f"no route from {names} by {mode_text} in scenario '{graph.scenario.name}'"
    for stop in stops:
        present = {str(graph.links.at[link, "mode"]) for link in graph.links_at(stop)}
        if not present & query.modes:
            return (
                f"{head}: {_describe_place(graph, stop)} has no {mode_text} link"
                + (f" (it has {', '.join(sorted(present))})" if present else "")
                + "; choose a node on that network or allow more modes"
            )
    unavoided = _Query(query.modes, query.statuses, frozenset(), frozenset(), frozenset())
    if (query.avoid_nodes or query.avoid_links or query.avoid_countries) and _connected(
        graph, unavoided, stops
    ):
        avoided = sorted(query.avoid_nodes | query.avoid_links | query.avoid_countries)
        return f"{head}: avoiding {', '.join(avoided)} cuts every route"
    reasons = []
    connecting = [
        name
        for name in sorted(graph.scenario.network.seeds.scenarios)
        if name != graph.scenario.name and _connected(_graph_for(network, name), query, stops)
    ]
    if connecting:
        reasons.append(
            f"by {mode_text} it connects in scenario {', '.join(repr(c) for c in connecting)}"
        )
    all_modes = frozenset(m.value for m in Mode)
    if query.modes != all_modes and _connected(
        graph,
        _Query(
            all_modes, query.statuses, query.avoid_nodes, query.avoid_links, query.avoid_countries
        ),
        stops,
    ):
        reasons.append(f"in '{graph.scenario.name}' it connects with all modes (rail, road, sea)")
    if not reasons:
        every_status = _Query(
            query.modes,
            frozenset(s.value for s in Status),
            query.avoid_nodes,
            query.avoid_links,
            query.avoid_countries,
        )
        if _connected(graph, every_status, stops):
            reasons.append("only links that are not operational would connect it")
    if not reasons:
        reasons.append("no chain of links joins them in any scenario")
    return f"{head}: " + "; ".join(reasons)


_DEFAULT: dict[str, Any] = {}


def _default_network() -> Any:
    from corridors.network import build_network  # noqa: PLC0415

    if "network" not in _DEFAULT:
        _DEFAULT["network"] = build_network()
    return _DEFAULT["network"]
