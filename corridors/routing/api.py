"""The routing API: :func:`route` and :func:`route_matrix` on an explicit network.

Both take the network first, as osmnx takes ``G``: a built
:class:`~corridors.network.Network` (the scenario is then applied once, memoised on the seeds'
content) or a :class:`~corridors.routing.scenarios.ScenarioNetwork` already applied. The routing
graph of each scenario network is cached by content in a small bounded cache.
"""

from __future__ import annotations

import math
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, cast

import numpy as np
from numpy.typing import NDArray

from corridors.data.suggest import did_you_mean
from corridors.data.vocabulary import Mode, Status
from corridors.errors import InvalidArgument, NoRoute
from corridors.routing import engine, search, store
from corridors.routing.explain import explain_no_route
from corridors.routing.graph import MODE_COMBINATIONS, WEIGHTS, WITH_SEA, Query, RoutingGraph
from corridors.routing.legs import route_from
from corridors.routing.places import Place, PlaceQuery
from corridors.routing.results import LazyRoutes, Route, RouteMatrix, RouteSet
from corridors.routing.search import Layered, best_with_sea, search_graph

if TYPE_CHECKING:
    import pandas as pd
    from scipy.sparse import csr_matrix

    from corridors.network.build import Network
    from corridors.routing.scenarios import ScenarioNetwork

__all__ = [
    "as_list",
    "graph_for",
    "matrix",
    "resolve_scenario",
    "route",
    "route_matrix",
    "routing_graph",
]

#: A matrix cell's reason when origin and destination are the same node.
SAME_PLACE = "same place"

#: The unit of each weight.
UNITS = {"distance": "km", "time": "h", "cost": "US$/t", "generalised": "US$/t"}

#: How many routing graphs are kept in memory (one per scenario network).
GRAPH_CACHE_SIZE = 16

_GRAPHS: OrderedDict[tuple[str, str, str], RoutingGraph] = OrderedDict()


def check_cargo(network: Network | ScenarioNetwork | RoutingGraph, cargo: str | None) -> str | None:
    """Check a cargo unit against the seeds' ``cargo_units``.

    Parameters
    ----------
    network
        The network or scenario whose parameters list the units.
    cargo
        A unit name, or None for the default.

    Returns
    -------
    str or None
        The unit, unchanged.

    Raises
    ------
    InvalidArgument
        For a unit the parameters do not list, with a did-you-mean.
    """
    if cargo is None:
        return None
    if isinstance(network, RoutingGraph):
        known = list(network.cargo_units)
    else:
        from corridors.routing.scenarios import ScenarioNetwork  # noqa: PLC0415

        parameters = (
            network.parameters if isinstance(network, ScenarioNetwork) else network.seeds.parameters
        )
        known = [] if parameters is None else [s.unit.value for s in parameters.cargo_units.units]
    if cargo not in known:
        hint = did_you_mean(cargo, known)
        raise InvalidArgument(
            f"unknown cargo unit {cargo!r}{'; ' + hint if hint else ''}; use {', '.join(known)}"
        )
    return cargo


def routing_graph(scenario: ScenarioNetwork, cargo: str | None = None) -> RoutingGraph:
    """Return the routing graph of a scenario network for a cargo unit, built once per content.

    Parameters
    ----------
    scenario
        An applied scenario.
    cargo
        The cargo unit (None: the seeds' default).

    Returns
    -------
    RoutingGraph
        Cached by the seeds' content hash, the scenario name and the cargo unit (at most
        :data:`GRAPH_CACHE_SIZE` graphs are kept, least recently used first out).
    """
    key = (*scenario.key, cargo or "")
    graph = _GRAPHS.get(key)
    if graph is None or (graph.scenario is not scenario and graph.scenario.key != scenario.key):
        graph = store.stored_graph(scenario, cargo)
        if graph is None:
            graph = RoutingGraph(scenario, cargo)
            store.keep_graph(graph, scenario, cargo)
        _GRAPHS[key] = graph
        while len(_GRAPHS) > GRAPH_CACHE_SIZE:
            _GRAPHS.popitem(last=False)
    _GRAPHS.move_to_end(key)
    return graph


def resolve_scenario(
    network: Network | ScenarioNetwork, scenario: str | ScenarioNetwork | None = None
) -> ScenarioNetwork:
    """Return the scenario network a call works on.

    Parameters
    ----------
    network
        A built network, or an applied scenario.
    scenario
        A scenario name, or an applied scenario (default: the one ``network`` is, or
        ``current``).

    Returns
    -------
    ScenarioNetwork
        Applied once per content (memoised).

    Raises
    ------
    InvalidArgument
        When ``network`` is an applied scenario and another scenario is named.
    """
    from corridors.routing.scenarios import (  # noqa: PLC0415
        BASE_SCENARIO,
        ScenarioNetwork,
        apply_scenario,
    )

    if isinstance(network, RoutingGraph):
        network = network.scenario
    if isinstance(scenario, ScenarioNetwork):
        return scenario
    if isinstance(network, ScenarioNetwork):
        if scenario is not None and scenario != network.name:
            message = (
                f"network is scenario '{network.name}' but scenario '{scenario}' was asked for; "
                "pass the built Network to name another scenario"
            )
            raise InvalidArgument(message)
        return network
    return apply_scenario(network, scenario or BASE_SCENARIO)


def as_list(value: str | Iterable[str] | None, name: str) -> list[str] | None:
    """Accept one string or many: ``"rail"`` and ``["rail"]`` both give ``["rail"]``.

    Parameters
    ----------
    value
        A string (comma-separated values allowed), an iterable of strings, or None.
    name
        The argument's name, for the message.

    Returns
    -------
    list of str or None
        None when ``value`` is None.

    Raises
    ------
    InvalidArgument
        When an item is not a string.

    Examples
    --------
    >>> as_list("rail,road", "modes")
    ['rail', 'road']
    >>> as_list(("TM",), "avoid")
    ['TM']
    """
    if value is None:
        return None
    if isinstance(value, str):
        items: list[object] = [value]
    elif isinstance(value, Iterable):
        items = list(value)
    else:
        message = f"{name}: {value!r} is not a name; give strings, e.g. {name}=['rail']"
        raise InvalidArgument(message)
    result: list[str] = []
    for item in items:
        if not isinstance(item, str):
            message = f"{name}: {item!r} is not a name; give strings, e.g. {name}=['rail']"
            raise InvalidArgument(message)
        result.extend(part.strip() for part in item.split(",") if part.strip())
    return result


def _is_one_place(value: object) -> bool:
    """Whether ``via`` is one place (a name, a Place, or a lon/lat pair) rather than many."""
    if isinstance(value, str | Place):
        return True
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    )


def _check_weight(weight: str) -> None:
    if weight not in WEIGHTS:
        message = f"unknown weight '{weight}'; use one of {', '.join(WEIGHTS)}"
        raise InvalidArgument(message)


def _check_count(alternatives: int) -> None:
    if isinstance(alternatives, bool) or not isinstance(alternatives, int) or alternatives < 1:
        message = f"alternatives must be a whole number of at least 1, not {alternatives!r}"
        raise InvalidArgument(message)


def _check_value_of_time(value: float | None) -> None:
    if value is not None and (not math.isfinite(value) or value < 0):
        message = f"value of time must be a finite number of at least 0, not {value!r}"
        raise InvalidArgument(message)


def route(
    network: Network | ScenarioNetwork | RoutingGraph,
    origin: PlaceQuery,
    destination: PlaceQuery,
    *,
    scenario: str | ScenarioNetwork | None = None,
    weight: str = "generalised",
    alternatives: int = 3,
    modes: str | Iterable[str] | None = None,
    statuses: str | Iterable[str] | None = None,
    avoid: str | Iterable[str] = (),
    via: PlaceQuery | Sequence[PlaceQuery] = (),
    max_overlap: float = 0.8,
    max_stretch: float = 1.0,
    value_of_time_usd_per_t_h: float | None = None,
    max_snap_km: float | None = None,
    cargo: str | None = None,
) -> RouteSet:
    """Find the best route between two places, its alternatives and the best per mode mix.

    Parameters
    ----------
    network
        A built :class:`~corridors.network.Network` (see :func:`corridors.load_network`) or an
        applied scenario (:func:`corridors.apply_scenario`).
    origin, destination
        A resolved :class:`~corridors.routing.places.Place`, a node id, a place name, alias or
        local name (``"Актау"``, case-insensitive), or a ``(lon, lat)`` pair or ``"lon,lat"``
        text snapped to the nearest node (within ``max_snap_km``).
    scenario
        A scenario name from ``seeds/scenarios/`` (default ``current``), when ``network`` is a
        built network.
    weight
        ``distance`` (km), ``time`` (h), ``cost`` (US$/t) or ``generalised`` (cost plus value
        of time multiplied by hours).
    alternatives
        How many routes to return at most, the best included (at least 1).
    modes
        Allowed modes (default all: rail, road, sea); one string or many.
    statuses
        Allowed link statuses in the scenario (default: operational only).
    avoid
        Place names, node or link ids, or ISO2 country codes to avoid; one string or many.
    via
        Places to pass through, in order.
    max_overlap
        An alternative sharing more than this fraction of its length with a better route is
        dropped as a near-duplicate.
    max_stretch
        Alternatives may be at most ``1 + max_stretch`` times the best route's weight.
    value_of_time_usd_per_t_h
        Value of time for the generalised cost (default: the scenario's parameter).
    max_snap_km
        Furthest a ``lon,lat`` may lie from the node it snaps to (default
        :data:`corridors.routing.places.MAX_SNAP_KM`).
    cargo
        The cargo unit: ``container`` (the default, ``cargo_units`` in
        ``seeds/parameters.yaml``), ``wagon``, ``bulk`` or ``truck``. It sets the ferry fares,
        handling and border figures that are published per unit; costs stay per tonne.

    Returns
    -------
    RouteSet
        Routes in order of the weight (the best first) and the best route per mode combination.

    Raises
    ------
    UnknownPlace
        For a place that matches no node (with a did-you-mean, or the candidates of an
        ambiguous name).
    NoRoute
        When nothing joins the places; the message says which restriction cuts the route and
        which scenario would connect it.

    Examples
    --------
    >>> from corridors import load_network
    >>> routes = route(load_network(), "Aktau seaport", "Gorgan", weight="distance", modes="rail")
    >>> [step.kind for step in routes.best.steps]
    ['border', 'border', 'break_of_gauge']
    """
    _check_weight(weight)
    _check_count(alternatives)
    _check_value_of_time(value_of_time_usd_per_t_h)
    graph = graph_for(network, scenario, cargo)
    query = make_query(graph, modes, statuses, avoid)
    vias: list[PlaceQuery] = [via] if _is_one_place(via) else list(via)  # type: ignore[list-item, arg-type]
    resolve = graph.places.resolver(modes=query.modes, max_snap_km=max_snap_km)
    origin_place, destination_place = resolve(origin), resolve(destination)
    via_places = [resolve(place) for place in vias]
    for place in (origin_place, destination_place, *via_places):
        if place.node_id in query.avoid_nodes:
            message = f"'{place.name}' ({place.node_id}) is both a stop and a place to avoid"
            raise InvalidArgument(message)
    stops = [origin_place.node_id, *(p.node_id for p in via_places), destination_place.node_id]
    if len(set(stops)) != len(stops):
        message = "origin, destination and via places must all differ"
        raise InvalidArgument(message)
    value_of_time = value_of_time_usd_per_t_h
    mask = graph.mask(query)
    if not via_places and (len(origin_place.members) > 1 or len(destination_place.members) > 1):
        origin_place, destination_place = _best_members(
            graph,
            mask,
            weight=weight,
            value_of_time=value_of_time,
            origin=origin_place,
            destination=destination_place,
        )
        stops = [origin_place.node_id, destination_place.node_id]
    layered = Layered(graph, mask, weight, stops, value_of_time=value_of_time)
    paths = (
        search.alternatives(layered, alternatives, max_overlap, max_stretch)
        if layered.source >= 0 and layered.target >= 0
        else []
    )
    if not paths:
        raise NoRoute(explain_no_route(graph, stops, query, _graph_of(graph)))
    routes = tuple(
        route_from(
            layered,
            path,
            weight=weight,
            stops=stops,
            rank=rank,
            label="best" if rank == 1 else "alternative",
            value_of_time=value_of_time,
        )
        for rank, path in enumerate(paths, start=1)
    )
    found_stops = list(stops)
    by_mode = LazyRoutes(
        lambda: _by_mode(
            graph, query, found_stops, layered, weight=weight, value_of_time=value_of_time
        )
    )
    places = (origin_place, destination_place, *via_places)
    record = {
        "origin": origin_place.node_id,
        "destination": destination_place.node_id,
        "via": [p.node_id for p in via_places],
        "asked": {p.node_id: p.query for p in places},
        "snap_km": {p.query: round(p.snap_km, 3) for p in places if p.snap_km},
        "scenario": graph.scenario_name,
        "weight": weight,
        "alternatives": alternatives,
        "modes": sorted(query.modes),
        "statuses": sorted(query.statuses),
        "avoid": sorted(query.avoid_nodes | query.avoid_links | query.avoid_countries),
        "value_of_time_usd_per_t_h": routes[0].value_of_time_usd_per_t_h,
        "cargo": graph.cargo,
        "payload_t": graph.payload_t,
    }
    return RouteSet(routes=routes, by_mode=by_mode, query=record, places=places)


def _best_members(
    graph: RoutingGraph,
    mask: NDArray[np.bool_],
    *,
    weight: str,
    value_of_time: float | None,
    origin: Place,
    destination: Place,
) -> tuple[Place, Place]:
    """Choose the members of two place groups the best route joins (one Dijkstra search)."""
    origins = [m for m in origin.members or (origin.node_id,) if m != destination.node_id]
    targets = [m for m in destination.members or (destination.node_id,) if m not in origins]
    starts = [graph.place_vertices(m, "start") for m in origins]
    ends = [graph.place_vertices(m, "end") for m in targets]
    usable = [(m, v) for m, v in zip(origins, starts, strict=True) if v is not None]
    reachable = [(m, v) for m, v in zip(targets, ends, strict=True) if v is not None]
    if not usable or not reachable:
        return origin, destination
    matrix = search_graph(graph, mask, weight, value_of_time=value_of_time).matrix
    distances = engine.distances(matrix, [v for _, v in usable])
    values = distances[:, [v for _, v in reachable]]
    if not np.isfinite(values).any():
        return origin, destination
    row, column = np.unravel_index(int(np.argmin(values)), values.shape)
    start, end = usable[row][0], reachable[column][0]
    names = graph.node_table["name"]
    return origin.at(start, str(names[start])), destination.at(end, str(names[end]))


def _graph_of(graph: RoutingGraph) -> Callable[[str], RoutingGraph]:
    """Routing graphs of the other scenarios of a graph's network, for explanations."""

    def other(name: str) -> RoutingGraph:
        from corridors.routing.scenarios import apply_scenario  # noqa: PLC0415

        return routing_graph(apply_scenario(graph.scenario.network, name))

    return other


def graph_for(
    network: Network | ScenarioNetwork | RoutingGraph,
    scenario: str | ScenarioNetwork | None = None,
    cargo: str | None = None,
) -> RoutingGraph:
    """Return the routing graph a call works on.

    Parameters
    ----------
    network
        A built network, an applied scenario, or a routing graph (for example one read by
        :func:`corridors.routing.store.load_routing_graph`), used as it is.
    scenario
        As for :func:`resolve_scenario`; with a routing graph, its own scenario or None.
    cargo
        A cargo unit, or None for the default; with a routing graph, its own unit or None.

    Returns
    -------
    RoutingGraph
        Built once per scenario content and cargo unit (:func:`routing_graph`).

    Raises
    ------
    InvalidArgument
        For an unknown cargo unit, or a scenario or unit other than a routing graph's own.
    """
    if not isinstance(network, RoutingGraph):
        applied = resolve_scenario(network, scenario)
        return routing_graph(applied, check_cargo(applied, cargo))
    named = scenario if isinstance(scenario, str) or scenario is None else scenario.name
    if named is not None and named != network.scenario_name:
        message = (
            f"the routing graph is of scenario '{network.scenario_name}' but scenario "
            f"'{named}' was asked for; pass the built Network to name another scenario"
        )
        raise InvalidArgument(message)
    if check_cargo(network, cargo) not in (None, network.cargo):
        message = (
            f"the routing graph is for cargo unit '{network.cargo}' but '{cargo}' was asked "
            "for; pass the built Network to choose another unit"
        )
        raise InvalidArgument(message)
    return network


def route_matrix(
    network: Network | ScenarioNetwork | RoutingGraph,
    origins: Sequence[PlaceQuery],
    destinations: Sequence[PlaceQuery] | None = None,
    *,
    scenario: str | ScenarioNetwork | None = None,
    weight: str = "generalised",
    modes: str | Iterable[str] | None = None,
    statuses: str | Iterable[str] | None = None,
    avoid: str | Iterable[str] = (),
    value_of_time_usd_per_t_h: float | None = None,
    cargo: str | None = None,
    cpus: int | None = 1,
) -> pd.DataFrame:
    """Best-route values between every origin and every destination.

    One Dijkstra search per origin covers all destinations, so a matrix costs as many searches
    as it has rows. :func:`matrix` gives the same values with the reason for every missing cell.

    Parameters
    ----------
    network
        As for :func:`route`.
    origins
        Places, as :func:`route` accepts them.
    destinations
        Places (default: the origins).
    scenario, weight, modes, statuses, avoid, value_of_time_usd_per_t_h, cargo
        As for :func:`route`.
    cpus
        Cores to search on (None: every core); the origins are searched in chunks on a pool
        of threads. The values do not depend on it.

    Returns
    -------
    pandas.DataFrame
        Rows are origin node ids, columns destination node ids; values in the weight's unit,
        ``inf`` where no route exists and 0 on the diagonal.
    """
    return _matrix(
        network,
        origins,
        destinations,
        scenario=scenario,
        weight=weight,
        modes=modes,
        statuses=statuses,
        avoid=avoid,
        value_of_time_usd_per_t_h=value_of_time_usd_per_t_h,
        cargo=cargo,
        reasons=False,
        cpus=cpus,
    ).values


def matrix(
    network: Network | ScenarioNetwork | RoutingGraph,
    origins: PlaceQuery | Sequence[PlaceQuery],
    destinations: PlaceQuery | Sequence[PlaceQuery] | None = None,
    *,
    scenario: str | ScenarioNetwork | None = None,
    weight: str = "generalised",
    modes: str | Iterable[str] | None = None,
    statuses: str | Iterable[str] | None = None,
    avoid: str | Iterable[str] = (),
    value_of_time_usd_per_t_h: float | None = None,
    cargo: str | None = None,
    cpus: int | None = 1,
) -> RouteMatrix:
    """Best-route values between every origin and destination, and why a cell has none.

    The values are those of :func:`route_matrix`; every cell without a route carries the
    explanation :func:`route` gives (``no route from ... by rail in scenario 'current': ...``),
    and a cell whose origin and destination are the same node carries ``same place`` (its
    value is 0).

    Parameters
    ----------
    network
        As for :func:`route`.
    origins
        One place or many, as :func:`route` accepts them.
    destinations
        One place or many (default: the origins).
    scenario, weight, modes, statuses, avoid, value_of_time_usd_per_t_h, cargo
        As for :func:`route`.
    cpus
        As for :func:`route_matrix`.

    Returns
    -------
    RouteMatrix
        ``values`` (origins by destinations, ``inf`` where no route), ``reasons`` (``""``
        where a route exists), the resolved places, and table, CSV and JSON forms.

    Raises
    ------
    UnknownPlace
        For a place that matches no node; nothing is computed.

    Examples
    --------
    >>> from corridors import load_network
    >>> times = matrix(load_network(), ["Aktau seaport"], ["Gorgan", "Aktau"], weight="time",
    ...                modes="rail")
    >>> times.reasons.loc["aktau_seaport", "aktau_seaport"]
    'same place'
    """
    return _matrix(
        network,
        _many(origins),
        None if destinations is None else _many(destinations),
        scenario=scenario,
        weight=weight,
        modes=modes,
        statuses=statuses,
        avoid=avoid,
        value_of_time_usd_per_t_h=value_of_time_usd_per_t_h,
        cargo=cargo,
        reasons=True,
        cpus=cpus,
    )


def _many(value: PlaceQuery | Sequence[PlaceQuery]) -> list[PlaceQuery]:
    """One place or many, as a list."""
    if _is_one_place(value):
        return [cast("PlaceQuery", value)]
    return list(cast("Sequence[PlaceQuery]", value))


def _matrix(
    network: Network | ScenarioNetwork | RoutingGraph,
    origins: Sequence[PlaceQuery],
    destinations: Sequence[PlaceQuery] | None,
    *,
    scenario: str | ScenarioNetwork | None,
    weight: str,
    modes: str | Iterable[str] | None,
    statuses: str | Iterable[str] | None,
    avoid: str | Iterable[str],
    value_of_time_usd_per_t_h: float | None,
    cargo: str | None,
    reasons: bool,
    cpus: int | None = 1,
) -> RouteMatrix:
    _check_weight(weight)
    _check_cpus(cpus)
    _check_value_of_time(value_of_time_usd_per_t_h)
    graph = graph_for(network, scenario, cargo)
    query = make_query(graph, modes, statuses, avoid)
    resolve = graph.places.resolver(modes=query.modes)
    origin_places = [resolve(p) for p in origins]
    destination_places = (
        origin_places if destinations is None else [resolve(p) for p in destinations]
    )
    rows = [place.node_id for place in origin_places]
    columns = [place.node_id for place in destination_places]
    sparse = search_graph(
        graph, graph.mask(query), weight, value_of_time=value_of_time_usd_per_t_h
    ).matrix.scipy()
    sources = [graph.place_vertices(place, "start") for place in rows]
    targets = [graph.place_vertices(place, "end") for place in columns]
    valid_sources = [i for i, v in enumerate(sources) if v is not None]
    valid_targets = [j for j, v in enumerate(targets) if v is not None]
    values = np.full((len(rows), len(columns)), np.inf)
    if valid_sources and valid_targets:
        distances = _distances(
            sparse,
            [cast("int", sources[i]) for i in valid_sources],
            [cast("int", targets[j]) for j in valid_targets],
            cpus,
        )
        values[np.ix_(valid_sources, valid_targets)] = distances
    same = np.asarray(rows, dtype=object)[:, None] == np.asarray(columns, dtype=object)[None, :]
    values[same] = 0.0
    why = np.full(values.shape, "", dtype=object)
    why[same] = SAME_PLACE
    explained: dict[tuple[str, str], str] = {}
    missing = np.argwhere(~np.isfinite(values)) if reasons else np.zeros((0, 2), dtype=int)
    for i, j in missing.tolist():
        key = (rows[i], columns[j])
        if key not in explained:
            explained[key] = explain_no_route(graph, list(key), query, _graph_of(graph))
        why[i, j] = explained[key]
    value_of_time = (
        graph.value_of_time if value_of_time_usd_per_t_h is None else value_of_time_usd_per_t_h
    )
    import pandas as pd  # noqa: PLC0415

    return RouteMatrix(
        values=pd.DataFrame(values, index=rows, columns=columns),
        reasons=pd.DataFrame(why, index=rows, columns=columns),
        origins=tuple(origin_places),
        destinations=tuple(destination_places),
        query={
            "scenario": graph.scenario_name,
            "weight": weight,
            "unit": UNITS[weight],
            "modes": sorted(query.modes),
            "statuses": sorted(query.statuses),
            "avoid": sorted(query.avoid_nodes | query.avoid_links | query.avoid_countries),
            "value_of_time_usd_per_t_h": value_of_time,
            "cargo": graph.cargo,
        },
    )


#: Searches per chunk when a matrix is shared between threads.
_CHUNK = 8


def _distances(
    sparse: csr_matrix, sources: list[int], targets: list[int], cpus: int | None
) -> NDArray[np.float64]:
    """Distances from every source to every target: one Dijkstra search per source.

    With ``cpus`` above 1 (None: every core) the sources are searched in chunks on a pool of
    threads (SciPy's Dijkstra releases the GIL); the values do not depend on ``cpus``.
    """
    from scipy.sparse.csgraph import dijkstra  # noqa: PLC0415

    workers = min(_cpu_count(cpus), max(1, len(sources) // _CHUNK))
    if workers <= 1:
        return np.atleast_2d(dijkstra(sparse, directed=True, indices=sources))[:, targets]
    chunks = [sources[start : start + _CHUNK] for start in range(0, len(sources), _CHUNK)]

    def search(chunk: list[int]) -> NDArray[np.float64]:
        found = np.atleast_2d(dijkstra(sparse, directed=True, indices=chunk))
        return cast("NDArray[np.float64]", found[:, targets])

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return np.vstack(list(pool.map(search, chunks)))


def _cpu_count(cpus: int | None) -> int:
    """Cores to use: ``cpus``, or every core this process may run on when None."""
    if cpus is None:
        return (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count() or 1
        )
    return cpus


def _check_cpus(cpus: int | None) -> None:
    if cpus is not None and (isinstance(cpus, bool) or not isinstance(cpus, int) or cpus < 1):
        message = f"cpus must be a whole number of at least 1 or None (every core), not {cpus!r}"
        raise InvalidArgument(message)


def _by_mode(
    graph: RoutingGraph,
    query: Query,
    stops: list[str],
    full: Layered,
    *,
    weight: str,
    value_of_time: float | None,
) -> dict[str, Route]:
    """Find the best route per mode combination, and the best with a sea leg (on ``full``)."""
    found: dict[str, Route] = {}
    for label, modes in MODE_COMBINATIONS.items():
        allowed = modes & query.modes
        if allowed != modes:
            continue
        narrowed = Query(
            frozenset(allowed),
            query.statuses,
            query.avoid_nodes,
            query.avoid_links,
            query.avoid_countries,
        )
        layered = Layered(graph, graph.mask(narrowed), weight, stops, value_of_time=value_of_time)
        if layered.source < 0 or layered.target < 0:
            continue
        paths = search.alternatives(layered, 1, 1.0, 0.0)
        if paths:
            found[label] = route_from(
                layered,
                paths[0],
                weight=weight,
                stops=stops,
                label=label,
                value_of_time=value_of_time,
            )
    path = (
        best_with_sea(full)
        if Mode.SEA.value in query.modes and full.source >= 0 and full.target >= 0
        else []
    )
    if path:
        found[WITH_SEA] = route_from(
            full, path, weight=weight, stops=stops, label=WITH_SEA, value_of_time=value_of_time
        )
    return found


def make_query(
    graph: RoutingGraph,
    modes: str | Iterable[str] | None,
    statuses: str | Iterable[str] | None,
    avoid: str | Iterable[str],
) -> Query:
    """Check and normalise the restrictions of a query.

    Parameters
    ----------
    graph
        The routing graph the query runs on.
    modes, statuses, avoid
        As :func:`route` takes them.

    Returns
    -------
    Query
        Modes, statuses and what to avoid, resolved to ids.

    Raises
    ------
    InvalidArgument
        For an unknown mode or status.
    UnknownPlace
        For an avoided place that matches nothing.
    """
    all_modes = [m.value for m in Mode]
    chosen_modes = set(as_list(modes, "modes") or all_modes)
    unknown = sorted(chosen_modes - set(all_modes))
    if unknown:
        message = f"unknown mode {', '.join(map(repr, unknown))}; use rail, road or sea"
        raise InvalidArgument(message)
    all_statuses = [s.value for s in Status]
    chosen_statuses = set(as_list(statuses, "statuses") or [Status.OPERATIONAL.value])
    unknown = sorted(chosen_statuses - set(all_statuses))
    if unknown:
        message = f"unknown status {', '.join(map(repr, unknown))}; use {', '.join(all_statuses)}"
        raise InvalidArgument(message)
    avoid_nodes: set[str] = set()
    avoid_links: set[str] = set()
    avoid_countries: set[str] = set()
    for text in as_list(avoid, "avoid") or []:
        kind, value = graph.places.avoidable(text, graph.link_ids)
        {"link": avoid_links, "country": avoid_countries, "node": avoid_nodes}[kind].add(value)
    return Query(
        frozenset(chosen_modes),
        frozenset(chosen_statuses),
        frozenset(avoid_nodes),
        frozenset(avoid_links),
        frozenset(avoid_countries),
    )
