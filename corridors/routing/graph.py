"""The expanded routing graph of one scenario.

The network is expanded so that every change a route makes is an edge with its own time and
cost: each node has one vertex per (mode, gauge) of the links that meet there, joined by transfer
and break-of-gauge edges; a link whose end nodes lie in different countries carries the border
dwell of its direction. The edges are exposed read-only (:attr:`RoutingGraph.edges`) for the
searches in :mod:`corridors.routing.search`.

Once built, a graph holds everything a route is made of as arrays and plain records: the time,
cost and source of every link, border and step, the links' names, lines and sources, and the
place index. It can be stored on its own (:mod:`corridors.routing.store`) and routed on without
the network it was built from; that network and the scenario's parameters are read again only
when something asks for them (:attr:`RoutingGraph.scenario`).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np
from numpy.typing import NDArray

from corridors.data.vocabulary import Mode
from corridors.routing.places import PlaceIndex
from corridors.routing.terms import LinkTerms, StepTerms

if TYPE_CHECKING:
    import pandas as pd

    from corridors.data.schema import Parameters
    from corridors.routing.costs import CostModel
    from corridors.routing.scenarios import ScenarioNetwork

__all__ = [
    "MEMO_SIZES",
    "MODE_COMBINATIONS",
    "NO_GAUGE",
    "UNKNOWN_GAUGE",
    "WEIGHTS",
    "EdgeKind",
    "Query",
    "RoutingGraph",
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

NO_GAUGE = -1
UNKNOWN_GAUGE = 0

_SEA, _RAIL = Mode.SEA.value, Mode.RAIL.value

#: How many derived values of each kind one routing graph keeps (least recently used first
#: out): edge masks per query, edge orders per weight, and search graphs per mask and weight.
MEMO_SIZES = {"mask": 32, "order": 4, "search": 4}

_T = TypeVar("_T")


class EdgeKind(IntEnum):
    """What an edge of the expanded graph stands for."""

    LINK = 0
    TRANSFER = 1
    BREAK_OF_GAUGE = 2
    GAUGE_UNKNOWN = 3
    ACCESS = 4
    EGRESS = 5
    CONTINUE = 6
    TRANSSHIPMENT = 7


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
class Query:
    """What a routing query may use: modes and statuses, and what it avoids (resolved ids)."""

    modes: frozenset[str]
    statuses: frozenset[str]
    avoid_nodes: frozenset[str]
    avoid_links: frozenset[str]
    avoid_countries: frozenset[str]


#: Place indexes by scenario: graphs of one scenario for other cargo units share them.
_PLACES: OrderedDict[tuple[str, str], PlaceIndex] = OrderedDict()
_PLACES_SIZE = 16


def _places_of(scenario: ScenarioNetwork, links: pd.DataFrame) -> PlaceIndex:
    """Return the place index of a scenario's travelled links, built once per scenario."""
    from corridors.routing.places import place_index  # noqa: PLC0415

    key = scenario.key
    found = _PLACES.get(key)
    if found is None:
        found = place_index(scenario.network, links)
        _PLACES[key] = found
        while len(_PLACES) > _PLACES_SIZE:
            _PLACES.popitem(last=False)
    _PLACES.move_to_end(key)
    return found


class RoutingGraph:
    """The expanded, routable graph of one scenario.

    Parameters
    ----------
    scenario
        The scenario's network and parameters (see :func:`corridors.scenarios.apply_scenario`).
    cargo
        The cargo unit whose tariffs, fares and handling apply (None: the seeds' default).

    Notes
    -----
    Build it once per scenario and reuse it for many queries; :func:`route` caches one per
    scenario name, and :func:`corridors.routing.store.load_routing_graph` one per seeds
    content on disk.
    """

    def __init__(self, scenario: ScenarioNetwork, cargo: str | None = None) -> None:
        from corridors.routing.costs import CostModel  # noqa: PLC0415

        self._scenario: ScenarioNetwork | None = scenario
        self._reload: Callable[[], ScenarioNetwork] | None = None
        self._costs: CostModel | None = CostModel(scenario.parameters, cargo)
        self.scenario_name = scenario.name
        self.cargo = self._costs.cargo.value
        self.payload_t = self._costs.payload_t
        self.cargo_units = [spec.unit.value for spec in scenario.parameters.cargo_units.units]
        self.value_of_time = float(scenario.parameters.value_of_time_usd_per_t_h.value)
        nodes = scenario.network.transport_nodes
        links = scenario.network.links
        links = links[links["status"] != "closed"]
        self.place_ids = [str(node_id) for node_id in nodes.index]
        self.place_pos = {node_id: i for i, node_id in enumerate(self.place_ids)}
        self.country_of = {str(k): str(v) for k, v in nodes["country"].to_dict().items()}
        self.places = _places_of(scenario, links)
        self.node_table = _node_table(nodes)
        self.link_table = _link_table(links)
        self._memo: dict[str, OrderedDict[Hashable, Any]] = {
            kind: OrderedDict() for kind in MEMO_SIZES
        }
        self._build(links)

    # ------------------------------------------------------------------ what it was built from
    @property
    def scenario(self) -> ScenarioNetwork:
        """The scenario network the graph was built from (read again for a stored graph)."""
        if self._scenario is None:
            if self._reload is None:
                message = "this routing graph was stored without a way to read its scenario"
                raise RuntimeError(message)
            self._scenario = self._reload()
        return self._scenario

    @property
    def parameters(self) -> Parameters:
        """The scenario's parameters."""
        return self.scenario.parameters

    @property
    def costs(self) -> CostModel:
        """The cost model the graph's times and costs come from."""
        if self._costs is None:
            from corridors.routing.costs import CostModel  # noqa: PLC0415

            self._costs = CostModel(self.parameters, self.cargo)
        return self._costs

    @property
    def nodes(self) -> pd.DataFrame:
        """The scenario's transport nodes."""
        nodes: pd.DataFrame = self.scenario.network.transport_nodes
        return nodes

    @property
    def links(self) -> pd.DataFrame:
        """The scenario's links that can be travelled (every status but ``closed``)."""
        links = self.scenario.network.links
        travelled: pd.DataFrame = links[links["status"] != "closed"]
        return travelled

    def detach(self, reload: Callable[[], ScenarioNetwork]) -> RoutingGraph:
        """Return a copy that holds no network, for storing; ``reload`` reads it back.

        Parameters
        ----------
        reload
            Returns the scenario network the graph was built from (picklable: a module-level
            function or a :func:`functools.partial` of one).

        Returns
        -------
        RoutingGraph
            The same graph, sharing its arrays and records.
        """
        copy = object.__new__(RoutingGraph)
        copy.__dict__.update(self.__dict__)
        copy._scenario = None
        copy._costs = None
        copy._reload = reload
        copy._memo = {kind: OrderedDict() for kind in MEMO_SIZES}
        copy.__dict__.pop("leg_items", None)  # legs may hold lines built for maps
        return copy

    def attach(self, scenario: ScenarioNetwork) -> None:
        """Give a stored graph the scenario network it was built from, so it is not read back.

        Parameters
        ----------
        scenario
            The applied scenario whose content the graph was built from.
        """
        self._scenario = scenario

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the graph without its network, cost model and memo (see :meth:`detach`)."""
        if self._reload is None:
            message = "store a routing graph with detach(reload) first"
            raise TypeError(message)
        state = dict(self.__dict__)
        state.update(_scenario=None, _costs=None, _memo=None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a stored graph, with an empty memo."""
        self.__dict__.update(state)
        self._memo = {kind: OrderedDict() for kind in MEMO_SIZES}

    # ------------------------------------------------------------------ construction
    def _port(self, place: str, mode: str, gauge: int, *, arriving: bool) -> int:
        """Return the vertex where cargo arrives at, or leaves, a place by a mode and gauge.

        Rail of unknown gauge has separate arrival and departure vertices, so that a route can
        only pass from one known gauge to another through a break of gauge, never for free
        through a line of unknown gauge it does not travel on. Sea lanes too: arriving by one
        lane and leaving by another is a change of vessel, a transshipment step.
        """
        if gauge == UNKNOWN_GAUGE or mode == _SEA:
            return self._vertex(place, "in" if arriving else "out", mode, gauge)
        return self._vertex(place, "port", mode, gauge)

    def _vertex(self, place: str, role: str, mode: str = "", gauge: int = NO_GAUGE) -> int:
        key = (place, role, mode, gauge)
        index = self.vertex_index.get(key)
        if index is None:
            index = len(self.vertices)
            self.vertex_index[key] = index
            self.vertices.append(key)
        return index

    def _build(self, links: pd.DataFrame) -> None:
        self.vertices: list[tuple[str, str, str, int]] = []
        self.vertex_index: dict[tuple[str, str, str, int], int] = {}
        #: The terms of each step edge (transfer, transshipment, gauge), by edge index.
        self.step_terms: dict[int, StepTerms] = {}
        #: The border step of each crossing link, by link position and direction.
        self.border_steps: dict[tuple[int, bool], StepTerms] = {}
        edges = _Edges()
        self.link_ids = [str(link_id) for link_id in links.index]
        self._link_ends = {
            link_id: (start, end)
            for link_id, start, end in zip(
                self.link_ids, self.link_table["from"], self.link_table["to"], strict=True
            )
        }
        self.link_modes = np.asarray(self.link_table["mode"], dtype=object)
        self.link_statuses = np.asarray(self.link_table["status"], dtype=object)
        self.link_countries = [frozenset(c) for c in self.link_table["countries"]]
        self.link_terms: list[LinkTerms] = []
        self.link_gauges = [
            NO_GAUGE if mode != _RAIL else (UNKNOWN_GAUGE if gauge is None else gauge)
            for mode, gauge in zip(self.link_modes, self.link_table["gauge_mm"], strict=True)
        ]
        self.carried_gauges = self._carried_gauges()
        self._add_links(edges, links)
        self._add_steps(edges)
        self.edges: dict[str, NDArray[Any]] = {
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
        for array in self.edges.values():
            array.flags.writeable = False
        self.vertex_place = np.asarray(
            [self.place_pos[place] for place, *_ in self.vertices], dtype=np.int64
        )

    def _carried_gauges(self) -> list[tuple[int, ...]]:
        """Return the gauges each link is travelled as.

        A rail line of unpublished gauge is travelled as each known gauge of the track at its
        ends (an assumption): a route cannot pass from 1520 mm to 1676 mm track over it without
        a break of gauge. With no known gauge at either end it stays of unknown gauge.
        """
        known: dict[str, set[int]] = {}
        ends = list(zip(self.link_table["from"], self.link_table["to"], strict=True))
        for gauge, (start, end) in zip(self.link_gauges, ends, strict=True):
            if gauge > 0:
                known.setdefault(start, set()).add(gauge)
                known.setdefault(end, set()).add(gauge)
        carried: list[tuple[int, ...]] = []
        for gauge, (start, end) in zip(self.link_gauges, ends, strict=True):
            if gauge != UNKNOWN_GAUGE:
                carried.append((gauge,))
                continue
            around = known.get(start, set()) | known.get(end, set())
            carried.append(tuple(sorted(around)) or (UNKNOWN_GAUGE,))
        return carried

    def _add_links(self, edges: _Edges, links: pd.DataFrame) -> None:
        """Two directed edges per link, carrying the border step of each direction."""
        table = self.link_table
        columns = zip(
            self.link_ids,
            table["mode"],
            table["route_length_km"],
            links["km_by_country"].tolist(),
            links["seed_status"].astype(str).tolist(),
            table["from"],
            table["to"],
            strict=True,
        )
        for position, (link_id, mode, route_km, km_by_country, status, start, end) in enumerate(
            columns
        ):
            terms = self.costs.link(str(link_id), mode, status, km_by_country, route_km)
            self.link_terms.append(terms)
            crosses = self.country_of[start] != self.country_of[end]
            for forward, (here, there) in ((True, (start, end)), (False, (end, start))):
                dwell = cost = 0.0
                if crosses:
                    border = self.border_terms(str(link_id), mode, forward=forward)
                    self.border_steps[position, forward] = border
                    dwell, cost = border.time_h, border.cost_usd_per_t
                for gauge in self.carried_gauges[position]:
                    edges.add(
                        self._port(here, mode, gauge, arriving=False),
                        self._port(there, mode, gauge, arriving=True),
                        EdgeKind.LINK,
                        link=position,
                        forward=forward,
                        length_km=route_km,
                        time_h=terms.time_h + dwell,
                        cost=terms.cost_usd_per_t + cost,
                    )

    def _add_steps(self, edges: _Edges) -> None:
        """Access and egress at every place, and transfers and gauge steps between its ports."""
        ports: dict[str, list[tuple[str, int]]] = {}
        for place, role, mode, gauge in list(self.vertices):
            if role in {"port", "in"}:
                ports.setdefault(place, []).append((mode, gauge))
        for place, place_ports in ports.items():
            position = self.place_pos[place]
            start_vertex = self._vertex(place, "start")
            end_vertex = self._vertex(place, "end")
            for mode, gauge in place_ports:
                arrive = self._port(place, mode, gauge, arriving=True)
                leave = self._port(place, mode, gauge, arriving=False)
                edges.add(start_vertex, leave, EdgeKind.ACCESS, place=position)
                edges.add(arrive, end_vertex, EdgeKind.EGRESS, place=position)
                if mode == _SEA:
                    terms = self.costs.transfer(place, mode, mode)
                    self.step_terms[len(edges.src)] = terms
                    edges.add(
                        arrive,
                        leave,
                        EdgeKind.TRANSSHIPMENT,
                        place=position,
                        time_h=terms.time_h,
                        cost=terms.cost_usd_per_t,
                    )
                elif arrive != leave:
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
            terms = self.costs.transfer(place, mode_a, mode_b)
            kind = EdgeKind.TRANSFER
        elif UNKNOWN_GAUGE in (gauge_a, gauge_b):
            terms = StepTerms(0.0, 0.0, "assumption")
            kind = EdgeKind.GAUGE_UNKNOWN
        else:
            terms = self.costs.gauge()
            kind = EdgeKind.BREAK_OF_GAUGE
        self.step_terms[len(edges.src)] = terms
        edges.add(
            arrive, leave, kind, place=position, time_h=terms.time_h, cost=terms.cost_usd_per_t
        )

    def border_terms(self, link_id: str, mode: str, *, forward: bool) -> StepTerms:
        """Dwell and cost of crossing the border on a link in one direction.

        Parameters
        ----------
        link_id
            The crossing link.
        mode
            Its mode.
        forward
            True in the link's written direction.

        Returns
        -------
        StepTerms
            See :meth:`corridors.routing.costs.CostModel.border`.
        """
        start, end = self._link_ends[link_id]
        if not forward:
            start, end = end, start
        return self.costs.border(
            link_id,
            mode,
            forward=forward,
            leaving=(self.country_of[start], start),
            entering=(self.country_of[end], end),
        )

    # ------------------------------------------------------------------ queries
    @property
    def vertex_count(self) -> int:
        """Number of vertices of the expanded graph."""
        return len(self.vertices)

    @property
    def edge_count(self) -> int:
        """Number of edges of the expanded graph."""
        return int(self.edges["src"].size)

    def weights(self, weight: str, value_of_time: float | None = None) -> NDArray[np.float64]:
        """Weight of every edge for ``distance``, ``time``, ``cost`` or ``generalised``.

        ``value_of_time`` (US$ per tonne-hour) overrides the scenario's for ``generalised``.
        """
        edges = self.edges
        if weight == "distance":
            return edges["length_km"]
        if weight == "time":
            return edges["time_h"]
        if weight == "cost":
            return edges["cost"]
        if value_of_time is None:
            value_of_time = self.value_of_time
        return edges["cost"] + value_of_time * edges["time_h"]

    def memo(self, kind: str, key: Hashable, make: Callable[[], _T]) -> _T:
        """Return what ``make`` builds for ``key``, built once while it stays in the memo.

        Parameters
        ----------
        kind
            One of :data:`MEMO_SIZES`: at most that many values of the kind are kept, least
            recently used first out. The graph is immutable, so a kept value stays valid.
        key
            What the value is built from.
        make
            Builds the value.

        Returns
        -------
        object
            The value.
        """
        memo = self._memo[kind]
        if key in memo:
            memo.move_to_end(key)
            return cast("_T", memo[key])
        value = make()
        memo[key] = value
        while len(memo) > MEMO_SIZES[kind]:
            memo.popitem(last=False)
        return value

    @cached_property
    def _link_arrays(self) -> dict[str, NDArray[Any]]:
        """Per-link ids, modes and statuses as arrays, and per-node countries."""
        return {
            "id": np.asarray(self.link_ids, dtype=object),
            "mode": np.asarray(self.link_modes, dtype=object),
            "status": np.asarray(self.link_statuses, dtype=object),
            "place": np.asarray(self.place_ids, dtype=object),
            "country": np.asarray([self.country_of[p] for p in self.place_ids], dtype=object),
        }

    def mask(self, query: Query) -> NDArray[np.bool_]:
        """Which edges a query may use: its modes and statuses, and nothing it avoids.

        The mask is read-only and kept in the graph's memo (:meth:`memo`).
        """
        return self.memo("mask", query, lambda: self._mask(query))

    def _mask(self, query: Query) -> NDArray[np.bool_]:
        edges = self.edges
        arrays = self._link_arrays
        link_ok = np.isin(arrays["mode"], list(query.modes)) & np.isin(
            arrays["status"], list(query.statuses)
        )
        if query.avoid_links:
            link_ok &= ~np.isin(arrays["id"], list(query.avoid_links))
        if query.avoid_countries:
            link_ok &= np.fromiter(
                (not (countries & query.avoid_countries) for countries in self.link_countries),
                dtype=bool,
                count=len(self.link_countries),
            )
        is_link = edges["kind"] == EdgeKind.LINK
        mask: NDArray[np.bool_] = ~is_link | link_ok[np.where(is_link, edges["link"], 0)]
        if query.avoid_nodes or query.avoid_countries:
            place_ok = ~np.isin(arrays["place"], list(query.avoid_nodes)) & ~np.isin(
                arrays["country"], list(query.avoid_countries)
            )
            mask &= place_ok[self.vertex_place[edges["src"]]]
            mask &= place_ok[self.vertex_place[edges["dst"]]]
        mask.flags.writeable = False
        return mask

    def place_vertices(self, place: str, role: str) -> int | None:
        """Index of a place's ``start`` or ``end`` vertex, or None when no link reaches it."""
        return self.vertex_index.get((place, role, "", NO_GAUGE))

    @cached_property
    def port_vertices(self) -> NDArray[np.bool_]:
        """Which vertices are where cargo arrives at a place by a mode (``port`` or ``in``)."""
        return np.fromiter(
            (role in {"port", "in"} for _, role, _, _ in self.vertices),
            dtype=bool,
            count=len(self.vertices),
        )

    @cached_property
    def leg_items(self) -> dict[tuple[int, bool], tuple[Any, ...]]:
        """What travelling a link in one direction gives a route (its leg, and border step),
        by link position and direction: built on first use, then shared by every route.
        """  # noqa: D205
        return {}

    def links_at(self, place: str) -> list[str]:
        """Ids of the links that start or end at a place."""
        table = self.link_table
        return [
            link_id
            for link_id, start, end in zip(self.link_ids, table["from"], table["to"], strict=True)
            if place in (start, end)
        ]


def _whole(value: object) -> int | None:
    """Return a whole number from a nullable column, or None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):  # pandas' missing value
        return None


def _node_table(nodes: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Name, kind and ``(lon, lat)`` of every transport node, by node id."""
    ids = [str(node_id) for node_id in nodes.index]
    return {
        "name": dict(zip(ids, (str(name) for name in nodes["name"]), strict=True)),
        "kind": dict(zip(ids, (str(kind) for kind in nodes["kind"]), strict=True)),
        "lonlat": dict(
            zip(
                ids,
                zip(nodes["lon"].astype(float), nodes["lat"].astype(float), strict=True),
                strict=True,
            )
        ),
    }


def _link_table(links: pd.DataFrame) -> dict[str, list[Any]]:
    """Return the columns of the links a leg reports, as lists by position; lines as points."""
    count = len(links)
    geometry = list(links["geometry"]) if "geometry" in links.columns else [None] * count

    def text(column: str) -> list[str]:
        return [str(value) for value in links[column].tolist()]

    return {
        "name": text("name"),
        "route_length_km": [float(value) for value in links["route_length_km"].tolist()],
        "from": text("from"),
        "to": text("to"),
        "mode": text("mode"),
        "status": text("status"),
        "gauge_mm": [_whole(value) for value in links["gauge_mm"].tolist()],
        "year": [_whole(value) for value in links["year"].tolist()],
        "alignment": text("alignment"),
        "sources": [tuple(value) for value in links["sources"]],
        "countries": [list(value) for value in links["countries"]],
        "coordinates": [
            None if line is None else tuple((float(x), float(y)) for x, y, *_ in line.coords)
            for line in geometry
        ],
    }
