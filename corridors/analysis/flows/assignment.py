"""Capacity-constrained path-size logit assignment of freight demand on the expanded graph.

The assignment network is the scenario's :class:`~corridors.routing.graph.RoutingGraph` (links,
transfers, transshipments, breaks of gauge and border crossings are all edges) plus one origin
and one destination vertex per zone, joined to the start and end vertices of the zone's member
nodes. Flow is therefore conserved through every transfer and border by construction.

Route sets are generated per origin by shortest-path trees (:func:`scipy.sparse.csgraph.dijkstra`
from every origin at once): for every mode combination (all modes, rail only, road only), with
the edges of earlier trees penalised to find alternatives, and again at the congested costs of
each equilibrium iteration (column generation). A route is kept when its cost is within
``cutoff`` of the best route of its pair when found (a binary-logit cut-off).

Route choice is a path-size logit per commodity: ``P(k) ~ PS_k exp(-theta_c C_k)`` with
``PS_k = sum_a (l_a / L_k) / N_a`` (``N_a`` the routes of the pair using edge ``a``; lengths in
km), ``C_k`` the generalised cost in US$/t (tariffs and steps plus the value of time times the
hours, congestion delay included) and ``theta_c`` the commodity's scale (US$ -1). The
equilibrium is a fixed point: route flows are averaged toward the logit loading at the current
costs, with self-regulated step sizes (the method of successive averages with the step reset
by the gap's trend), until the relative gap ``sum |y - f| / sum f`` falls below ``tolerance``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse.csgraph import dijkstra

from corridors.analysis.flows.capacity import CapacityModel
from corridors.data.schema import Mode, Status
from corridors.errors import InvalidArgument
from corridors.routing.graph import EdgeKind, Query, RoutingGraph

__all__ = [
    "CONNECTOR",
    "MODE_SETS",
    "AssignmentSettings",
    "FlowResult",
    "assign",
]

#: The kind of the edges joining a zone to its member nodes.
CONNECTOR = -1

#: The mode combinations route sets are generated for.
MODE_SETS: tuple[frozenset[str], ...] = (
    frozenset(m.value for m in Mode),
    frozenset({Mode.RAIL.value}),
    frozenset({Mode.ROAD.value}),
)


@dataclass(frozen=True)
class AssignmentSettings:
    """How the equilibrium is computed (defaults documented in README.md).

    Attributes
    ----------
    tolerance
        Relative gap at which the equilibrium stops.
    max_iterations
        Iterations at most.
    penalty
        Factor applied to the edges of earlier trees when searching for alternatives.
    penalised_rounds
        Penalised searches per mode combination.
    cutoff
        A generated route is kept when its cost is at most ``(1 + cutoff)`` times the best.
    generation_iterations
        Iterations in which routes are generated at congested costs (column generation).
    """

    tolerance: float = 1e-4
    max_iterations: int = 500
    penalty: float = 1.5
    penalised_rounds: int = 2
    cutoff: float = 0.5
    generation_iterations: int = 10


@dataclass
class FlowResult:
    """The assigned flows of one scenario and demand.

    Attributes
    ----------
    graph
        The routing graph assigned on.
    demand
        The demand table (one row per cell) with ``od`` (pair index) and ``routed``.
    zones
        Zone ids, in the order of the zone vertices.
    commodities
        Commodity ids, in the order of the flow columns.
    edge_src, edge_dst
        The vertices of every edge of the assignment network.
    edge_flow
        Tonnes a year on every edge of the assignment network (graph edges first, then
        connectors), by commodity (edges x commodities).
    edge_by_origin
        Tonnes a year on every graph edge by origin zone (edges x zones, sparse).
    paths, path_od, path_flow
        The route set (edge indices of each route), each route's pair, and its flow by
        commodity (routes x commodities).
    od_pairs
        ``(origin zone index, destination zone index)`` of each pair.
    capacity
        The capacity model.
    edge_delay_h
        Congestion delay on every graph edge at the final flows.
    gaps
        The relative gap after each iteration.
    seconds
        Wall time of the assignment.
    tolerance
        The relative gap it was run to.
    """

    graph: RoutingGraph
    demand: pd.DataFrame
    zones: list[str]
    commodities: list[str]
    edge_src: NDArray[np.int64]
    edge_dst: NDArray[np.int64]
    edge_flow: NDArray[np.float64]
    edge_by_origin: sparse.csr_matrix
    paths: list[NDArray[np.int64]]
    path_od: NDArray[np.int64]
    path_flow: NDArray[np.float64]
    od_pairs: list[tuple[int, int]]
    capacity: CapacityModel
    edge_delay_h: NDArray[np.float64]
    gaps: list[float] = field(default_factory=list)
    seconds: float = 0.0
    tolerance: float = 1e-4

    @property
    def converged(self) -> bool:
        """Whether the last relative gap is below the tolerance it was run with."""
        return bool(self.gaps) and self.gaps[-1] <= self.tolerance

    @property
    def relative_gap(self) -> float:
        """The last relative gap."""
        return self.gaps[-1] if self.gaps else float("nan")

    @property
    def graph_edge_flow(self) -> NDArray[np.float64]:
        """Total tonnes a year on every edge of the routing graph (connectors left out)."""
        return np.asarray(self.edge_flow[: self.graph.edge_count].sum(axis=1), dtype=float)

    def vertex_balance(self) -> NDArray[np.float64]:
        """Inflow minus outflow at every vertex of the assignment network.

        Zero at every vertex of the routing graph; minus the zone's demand at a zone's origin
        vertex and plus it at its destination vertex.

        Returns
        -------
        numpy.ndarray
            One value per vertex (graph vertices, then zone origins, then zone destinations).
        """
        total = self.edge_flow.sum(axis=1)
        size = self.graph.vertex_count + 2 * len(self.zones)
        inflow = np.bincount(self.edge_dst, weights=total, minlength=size)
        outflow = np.bincount(self.edge_src, weights=total, minlength=size)
        return np.asarray(inflow - outflow, dtype=float)


@dataclass
class _Network:
    src: NDArray[np.int64]
    dst: NDArray[np.int64]
    cost: NDArray[np.float64]
    time_h: NDArray[np.float64]
    length_km: NDArray[np.float64]
    allowed: list[NDArray[np.bool_]]
    size: int


def _network(
    graph: RoutingGraph,
    zone_nodes: Sequence[Sequence[str]],
    extra_cost: NDArray[np.float64],
) -> _Network:
    """Join the graph's edges and the zone connectors; find the allowed edges of each mode set."""
    edges = graph.edges
    zones = len(zone_nodes)
    base = graph.vertex_count
    src, dst = [edges["src"]], [edges["dst"]]
    connectors_src: list[int] = []
    connectors_dst: list[int] = []
    for z, members in enumerate(zone_nodes):
        for node in members:
            start = graph.place_vertices(node, "start")
            end = graph.place_vertices(node, "end")
            if start is not None:
                connectors_src.append(base + z)
                connectors_dst.append(start)
            if end is not None:
                connectors_src.append(end)
                connectors_dst.append(base + zones + z)
    count = len(connectors_src)
    src.append(np.asarray(connectors_src, dtype=np.int64))
    dst.append(np.asarray(connectors_dst, dtype=np.int64))
    pad = np.zeros(count)
    statuses = frozenset({Status.OPERATIONAL.value})
    allowed = []
    for modes in MODE_SETS:
        mask = graph.mask(Query(modes, statuses, frozenset(), frozenset(), frozenset()))
        allowed.append(np.concatenate([mask, np.ones(count, dtype=bool)]))
    return _Network(
        src=np.concatenate(src),
        dst=np.concatenate(dst),
        cost=np.concatenate([edges["cost"] + extra_cost, pad]),
        time_h=np.concatenate([edges["time_h"], pad]),
        length_km=np.concatenate([edges["length_km"], pad]),
        allowed=allowed,
        size=base + 2 * zones,
    )


def _trees(
    net: _Network,
    weight: NDArray[np.float64],
    allowed: NDArray[np.bool_],
    origins: NDArray[np.int64],
    pairs: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Find the shortest routes of the pairs ``(origin row, destination vertex)``.

    Returns the index (into ``pairs``) of each pair a route was found for, and the route
    edges as flat arrays: the route (position in that index) of each step, and its edge.
    """
    # Of parallel edges between two vertices the cheapest is the one a tree uses.
    usable = np.flatnonzero(allowed)
    order = usable[np.lexsort((weight[usable], net.dst[usable], net.src[usable]))]
    keys = net.src[order] * net.size + net.dst[order]
    first = np.ones(order.size, dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    chosen, keys = order[first], keys[first]
    # A tiny floor keeps zero-weight edges (access, connectors) in the sparse matrix.
    matrix = sparse.csr_matrix(
        (np.maximum(weight[chosen], 1e-9), (net.src[chosen], net.dst[chosen])),
        shape=(net.size, net.size),
    )
    _, predecessors = dijkstra(matrix, indices=origins, return_predecessors=True)
    rows, targets = pairs[:, 0], pairs[:, 1]
    index = np.flatnonzero(predecessors[rows, targets] >= 0)
    current = targets[index].copy()
    row = rows[index]
    owners: list[NDArray[np.int64]] = []
    steps: list[NDArray[np.int64]] = []
    alive = np.arange(index.size)
    origin_vertex = origins[row]
    # Walk every route back to its origin at once, one step per pass.
    while alive.size:
        previous = predecessors[row[alive], current[alive]]
        owners.append(alive.copy())
        steps.append(chosen[np.searchsorted(keys, previous * net.size + current[alive])])
        current[alive] = previous
        alive = alive[previous != origin_vertex[alive]]
    empty = np.zeros(0, dtype=np.int64)
    owner = np.concatenate(owners) if owners else empty
    edges = np.concatenate(steps) if steps else empty
    order_by_route = np.argsort(owner, kind="stable")
    return index, owner[order_by_route], edges[order_by_route]


class _RouteSet:
    """Routes by pair, deduplicated by a hash of their edges."""

    def __init__(self, edge_count: int) -> None:
        rng = np.random.default_rng(20260101)
        self.signature_of_edge = rng.integers(1, 2**62, size=edge_count, dtype=np.int64)
        self.seen = np.zeros(0, dtype=np.int64)
        self.paths: list[NDArray[np.int64]] = []
        self.od: list[int] = []
        self.rows: list[NDArray[np.int64]] = []
        self.cols: list[NDArray[np.int64]] = []

    def add(self, od: NDArray[np.int64], owner: NDArray[np.int64], edges: NDArray[np.int64]) -> int:
        """Add the routes not yet known; ``owner`` (sorted) maps each edge to a route in ``od``."""
        if not od.size:
            return 0
        counts = np.bincount(owner, minlength=od.size)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        signature = np.zeros(od.size, dtype=np.int64)
        has = counts > 0
        signature[has] = np.bitwise_xor.reduceat(self.signature_of_edge[edges], starts[has])
        key = signature ^ (od.astype(np.int64) * np.int64(0x9E3779B97F4A7C15 - 2**64))
        _, unique_at = np.unique(key, return_index=True)
        fresh = np.zeros(od.size, dtype=bool)
        fresh[unique_at] = True
        fresh &= ~np.isin(key, self.seen)
        if not fresh.any():
            return 0
        self.seen = np.concatenate([self.seen, key[fresh]])
        keep = fresh[owner]
        new_index = np.cumsum(fresh) - 1 + len(self.od)
        self.rows.append(new_index[owner[keep]])
        self.cols.append(edges[keep])
        split = np.cumsum(counts[fresh])[:-1]
        self.paths.extend(np.split(edges[keep], split))
        self.od.extend(int(x) for x in od[fresh])
        return int(fresh.sum())

    def incidence(self, edge_count: int) -> sparse.csr_matrix:
        rows = np.concatenate(self.rows) if self.rows else np.zeros(0, dtype=np.int64)
        cols = np.concatenate(self.cols) if self.cols else np.zeros(0, dtype=np.int64)
        return sparse.csr_matrix(
            (np.ones(rows.size), (rows, cols)), shape=(len(self.od), edge_count)
        )


@dataclass
class _Pairs:
    """The origin-destination pairs of the demand, as the trees and the logit need them."""

    keys: list[tuple[int, int]]
    demand: NDArray[np.float64]
    origins: NDArray[np.int64]
    targets: NDArray[np.int64]
    best: NDArray[np.float64]

    @property
    def count(self) -> int:
        return len(self.keys)


def _generate(
    routes: _RouteSet,
    net: _Network,
    weight: NDArray[np.float64],
    allowed: NDArray[np.bool_],
    pairs: _Pairs,
    *,
    cutoff: float,
) -> tuple[int, NDArray[np.int64]]:
    """Add the shortest routes on ``weight`` within the cut-off; return how many and their edges."""
    index, owner, edges = _trees(net, weight, allowed, pairs.origins, pairs.targets)
    cost = np.bincount(owner, weights=weight[edges], minlength=index.size)
    best = pairs.best
    within = ~np.isfinite(best[index]) | (cost <= best[index] * (1 + cutoff) + 1e-9)
    np.minimum.at(best, index[within], cost[within])
    keep = within[owner]
    renumber = np.cumsum(within) - 1
    added = routes.add(index[within], renumber[owner[keep]], edges[keep])
    used = np.bincount(edges[keep], minlength=weight.size)
    return added, np.flatnonzero(used)


def _path_size(
    incidence: sparse.csr_matrix,
    path_od: NDArray[np.int64],
    pairs: int,
    length: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Return each route's path size ``sum_a (l_a / L_k) / N_a`` (1 for a route of no length)."""
    paths = incidence.shape[0]
    group = sparse.csr_matrix((np.ones(paths), (path_od, np.arange(paths))), shape=(pairs, paths))
    shared = (group @ incidence)[path_od]
    inverse = shared.copy()
    inverse.data = 1.0 / inverse.data
    weighted = incidence.multiply(inverse).tocsr()
    route_length = incidence @ length
    overlap = weighted @ length
    size = np.ones(paths)
    positive = route_length > 0
    size[positive] = overlap[positive] / route_length[positive]
    return np.clip(size, 1e-6, 1.0)


@dataclass
class _Choice:
    """The route set in matrix form, and what the logit needs of it."""

    incidence: sparse.csr_matrix
    path_od: NDArray[np.int64]
    log_size: NDArray[np.float64]

    @classmethod
    def of(cls, routes: _RouteSet, net: _Network, pairs: int) -> _Choice:
        incidence = routes.incidence(net.src.size)
        path_od = np.asarray(routes.od, dtype=np.int64)
        log_size = np.log(_path_size(incidence, path_od, pairs, net.length_km))
        return cls(incidence, path_od, log_size)

    def loading(
        self, weight: NDArray[np.float64], scales: NDArray[np.float64], pairs: _Pairs
    ) -> NDArray[np.float64]:
        """Route flows (routes x commodities) of a path-size logit loading at edge weights."""
        cost = self.incidence @ weight
        order = np.argsort(self.path_od, kind="stable")
        grouped = self.path_od[order]
        starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
        lowest = np.zeros(pairs.count)
        lowest[grouped[starts]] = np.minimum.reduceat(cost[order], starts)
        relative = cost - lowest[self.path_od]
        utility = self.log_size[:, None] - relative[:, None] * scales[None, :]
        share = np.exp(utility)
        total = np.column_stack(
            [
                np.bincount(self.path_od, weights=share[:, i], minlength=pairs.count)
                for i in range(scales.size)
            ]
        )
        return np.asarray(share / total[self.path_od] * pairs.demand[self.path_od], dtype=float)


def _extra_cost(graph: RoutingGraph, link_cost: Mapping[str, float] | None) -> NDArray[np.float64]:
    extra = np.zeros(graph.edge_count)
    link_pos = {link_id: i for i, link_id in enumerate(graph.link_ids)}
    on_links = graph.edges["kind"] == EdgeKind.LINK
    for link_id, value in (link_cost or {}).items():
        if link_id not in link_pos:
            message = f"link '{link_id}' is not in scenario '{graph.scenario.name}'"
            raise InvalidArgument(message)
        extra[on_links & (graph.edges["link"] == link_pos[link_id])] += value
    return extra


def _pairs(
    graph: RoutingGraph, table: pd.DataFrame, zones: list[str], commodities: list[str]
) -> _Pairs:
    """Index the demand by pair (adds ``o``, ``d`` and ``od`` to ``table``)."""
    zone_index = {z: i for i, z in enumerate(zones)}
    table["o"] = table["origin"].map(zone_index)
    table["d"] = table["destination"].map(zone_index)
    ends = list(zip(table["o"], table["d"], strict=True))
    keys = sorted(set(ends))
    od_index = {key: i for i, key in enumerate(keys)}
    table["od"] = [od_index[key] for key in ends]
    commodity_index = {c: i for i, c in enumerate(commodities)}
    demand = np.zeros((len(keys), len(commodities)))
    np.add.at(
        demand,
        (table["od"].to_numpy(), table["commodity"].map(commodity_index).to_numpy()),
        table["t_per_year"].to_numpy(dtype=float),
    )
    base = graph.vertex_count
    origin_zones = np.array(sorted({o for o, _ in keys}), dtype=np.int64)
    origin_row = {int(z): i for i, z in enumerate(origin_zones)}
    targets = np.array(
        [(origin_row[o], base + len(zones) + d) for o, d in keys], dtype=np.int64
    ).reshape(-1, 2)
    return _Pairs(keys, demand, base + origin_zones, targets, np.full(len(keys), np.inf))


def _check(
    demand: pd.DataFrame, zone_nodes: Mapping[str, Sequence[str]], scales: Mapping[str, float]
) -> None:
    for commodity in sorted(demand["commodity"].unique()):
        if commodity not in scales:
            message = f"commodity '{commodity}' has no logit scale"
            raise InvalidArgument(message)
    zones = set(demand["origin"]) | set(demand["destination"])
    missing = sorted(z for z in zones if not zone_nodes.get(z))
    if missing:
        message = f"zones without member nodes: {', '.join(missing)}"
        raise InvalidArgument(message)


def assign(
    graph: RoutingGraph,
    demand: pd.DataFrame,
    capacity: CapacityModel,
    zone_nodes: Mapping[str, Sequence[str]],
    scales: Mapping[str, float],
    *,
    settings: AssignmentSettings | None = None,
    link_cost_usd_per_t: Mapping[str, float] | None = None,
) -> FlowResult:
    """Assign demand on a scenario's graph: path-size logit with capacity-dependent delays.

    Parameters
    ----------
    graph
        The routing graph of the scenario.
    demand
        One row per cell: ``origin``, ``destination`` (zone ids), ``commodity``,
        ``t_per_year`` (see :func:`corridors.analysis.flows.demand.demand_table`).
    capacity
        Capacities on ``graph`` (see :func:`corridors.analysis.flows.capacity.capacity_model`).
    zone_nodes
        The member nodes of every zone named in ``demand``.
    scales
        Logit scale (per US$) of every commodity in ``demand``.
    settings
        Tolerance, iterations and route-generation settings.
    link_cost_usd_per_t
        Extra cost (US$/t) on links by id, both directions: a toll or a subsidy (negative).

    Returns
    -------
    FlowResult
        Flows on every edge, by commodity and origin; route flows; the gap of each iteration.
        Cells whose zones are not joined in the scenario are left unrouted (``routed`` False).

    Raises
    ------
    InvalidArgument
        For a commodity without a scale, a zone without members, or an unknown link id.
    """
    started = time.perf_counter()
    settings = settings or AssignmentSettings()
    _check(demand, zone_nodes, scales)
    commodities = sorted(demand["commodity"].unique())
    zones = sorted(set(demand["origin"]) | set(demand["destination"]))
    net = _network(graph, [zone_nodes[z] for z in zones], _extra_cost(graph, link_cost_usd_per_t))
    table = demand.copy()
    pairs = _pairs(graph, table, zones, commodities)
    value_of_time = graph.parameters.value_of_time_usd_per_t_h.value
    free_weight = net.cost + value_of_time * net.time_h
    routes = _RouteSet(net.src.size)
    for allowed in net.allowed:
        weight = free_weight.copy()
        for _ in range(settings.penalised_rounds + 1):
            _, used = _generate(routes, net, weight, allowed, pairs, cutoff=settings.cutoff)
            weight[used] *= settings.penalty
    scale = np.array([scales[c] for c in commodities], dtype=float)
    count = graph.edge_count

    def weights_at(edge_flow: NDArray[np.float64]) -> NDArray[np.float64]:
        weight = free_weight.copy()
        weight[:count] += value_of_time * capacity.edge_delay_h(edge_flow[:count])
        return weight

    choice = _Choice.of(routes, net, pairs.count)
    flow = choice.loading(free_weight, scale, pairs)
    gaps: list[float] = []
    step_base = 1.0
    total_demand = max(float(pairs.demand.sum()), 1e-12)
    for iteration in range(1, settings.max_iterations + 1):
        weight = weights_at(choice.incidence.T @ flow.sum(axis=1))
        if iteration <= settings.generation_iterations:
            added, _ = _generate(routes, net, weight, net.allowed[0], pairs, cutoff=settings.cutoff)
            if added:
                choice = _Choice.of(routes, net, pairs.count)
                flow = np.vstack([flow, np.zeros((added, len(commodities)))])
        target = choice.loading(weight, scale, pairs)
        gaps.append(float(np.abs(target - flow).sum()) / total_demand)
        if gaps[-1] <= settings.tolerance:
            break
        # Self-regulated averaging: the step shrinks fast when the gap grows, slowly otherwise.
        step_base += 1.0 if len(gaps) > 1 and gaps[-1] >= gaps[-2] else 0.05
        flow += (target - flow) / step_base
    return _result(
        graph,
        table,
        zones,
        commodities,
        net,
        routes,
        choice,
        flow,
        pairs,
        capacity,
        gaps=gaps,
        seconds=time.perf_counter() - started,
        tolerance=settings.tolerance,
    )


def _result(  # noqa: PLR0917
    graph: RoutingGraph,
    table: pd.DataFrame,
    zones: list[str],
    commodities: list[str],
    net: _Network,
    routes: _RouteSet,
    choice: _Choice,
    flow: NDArray[np.float64],
    pairs: _Pairs,
    capacity: CapacityModel,
    *,
    gaps: list[float],
    seconds: float,
    tolerance: float,
) -> FlowResult:
    count = graph.edge_count
    by_commodity = np.asarray(choice.incidence.T @ flow, dtype=float)
    delay = capacity.edge_delay_h(by_commodity[:count].sum(axis=1))
    path_od = choice.path_od
    origin_of_path = np.array([pairs.keys[od][0] for od in path_od], dtype=np.int64)
    by_origin_paths = sparse.csr_matrix(
        (flow.sum(axis=1), (np.arange(path_od.size), origin_of_path)),
        shape=(path_od.size, len(zones)),
    )
    edge_by_origin = (choice.incidence[:, :count].T @ by_origin_paths).tocsr()
    routed = np.zeros(pairs.count, dtype=bool)
    routed[path_od] = True
    table["routed"] = routed[table["od"].to_numpy()]
    return FlowResult(
        graph=graph,
        demand=table,
        zones=zones,
        commodities=commodities,
        edge_src=net.src,
        edge_dst=net.dst,
        edge_flow=by_commodity,
        edge_by_origin=edge_by_origin,
        paths=routes.paths,
        path_od=path_od,
        path_flow=flow,
        od_pairs=pairs.keys,
        capacity=capacity,
        edge_delay_h=delay,
        gaps=gaps,
        seconds=seconds,
        tolerance=tolerance,
    )
