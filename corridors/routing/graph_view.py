"""A scenario's routable network as an OSMnx-convention graph, with time and cost on every edge.

:func:`corridors.to_graph` gives every link of a built network; :func:`scenario_graph` gives
the links a query may use in one scenario (its statuses, by default operational only, and modes)
and weights every edge with the one formula routing uses
(:class:`corridors.routing.costs.CostModel`), so ``osmnx.routing.shortest_path(G, u, v,
weight="time_h")`` finds what :func:`corridors.route` finds on a trip of one mode without
border crossings. Steps (transfers, breaks of gauge) are not edges of this graph; border dwell
and cost are edge attributes of their own.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from corridors.data.schema import Mode, Status
from corridors.errors import InvalidArgument
from corridors.network.build import Network
from corridors.network.graph import to_graph
from corridors.routing import costs
from corridors.routing.api import as_list, resolve_scenario
from corridors.routing.scenarios import ScenarioNetwork

__all__ = ["scenario_graph"]


def scenario_graph(
    network: Network | ScenarioNetwork,
    scenario: str | ScenarioNetwork | None = None,
    *,
    modes: str | Iterable[str] | None = None,
    statuses: str | Iterable[str] | None = None,
    cargo: str | None = None,
) -> nx.MultiDiGraph:
    """Return a scenario's routable links as a graph in OSMnx conventions.

    The graph is :func:`corridors.to_graph` of the scenario's network (added links included,
    statuses as the scenario sets them), keeping only the edges of the allowed modes and
    statuses. Every edge also carries ``time_h`` (running time) and ``cost_usd_per_t``
    (line-haul cost), from :class:`corridors.routing.costs.CostModel` with the scenario's
    parameters and the cargo unit, and ``border_time_h`` and ``border_cost_usd_per_t`` (the
    crossing's dwell and cost in the edge's direction; 0 when the link's ends are in one
    country). Every transport
    node is kept, linked or not.

    Parameters
    ----------
    network
        A built network, or an applied scenario.
    scenario
        A scenario name (default: the one ``network`` is, or ``current``).
    modes
        Allowed modes (default all); one string or many.
    statuses
        Allowed statuses in the scenario (default: operational only).
    cargo
        The cargo unit (``container``, ``wagon``, ``bulk``, ``truck``; default from the seeds).

    Returns
    -------
    networkx.MultiDiGraph
        With graph attributes ``crs``, ``node_keys`` and ``scenario``.

    Raises
    ------
    InvalidArgument
        For an unknown mode or status.

    Examples
    --------
    >>> import osmnx as ox
    >>> from corridors import load_network, node_key
    >>> graph = scenario_graph(load_network(), "current", modes="rail")
    >>> path = ox.routing.shortest_path(graph, node_key("zhanaozen_uzen_station"),
    ...                                 node_key("bolashak"), weight="time_h")
    >>> graph.nodes[path[-1]]["id"]
    'bolashak'
    """
    applied = resolve_scenario(network, scenario)
    all_modes = [m.value for m in Mode]
    chosen_modes = set(as_list(modes, "modes") or all_modes)
    all_statuses = [s.value for s in Status]
    chosen_statuses = set(as_list(statuses, "statuses") or [Status.OPERATIONAL.value])
    for kind, chosen, known in (
        ("mode", chosen_modes, all_modes),
        ("status", chosen_statuses, all_statuses),
    ):
        unknown = sorted(chosen - set(known))
        if unknown:
            message = f"unknown {kind} {', '.join(map(repr, unknown))}; use {', '.join(known)}"
            raise InvalidArgument(message)
    graph = to_graph(applied.network)
    graph.graph["scenario"] = applied.name
    links = applied.network.links
    country = applied.network.nodes["country"].to_dict()
    model = costs.CostModel(applied.parameters, cargo)
    drop = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        if data["mode"] not in chosen_modes or data["status"] not in chosen_statuses:
            drop.append((u, v, key))
            continue
        row = links.loc[data["link_id"]]
        terms = model.link(
            str(data["link_id"]),
            str(row["mode"]),
            str(row["seed_status"]),
            row["km_by_country"],
            float(row["route_length_km"]),
        )
        data["time_h"] = terms.time_h
        data["cost_usd_per_t"] = terms.cost_usd_per_t
        border_time = border_cost = 0.0
        if country[row["from"]] != country[row["to"]]:
            forward = not data["reversed"]
            start, end = (str(row["from"]), str(row["to"]))
            if not forward:
                start, end = end, start
            border = model.border(
                str(data["link_id"]),
                str(row["mode"]),
                forward=forward,
                leaving=(country[start], start),
                entering=(country[end], end),
            )
            border_time, border_cost = border.time_h, border.cost_usd_per_t
        data["border_time_h"] = border_time
        data["border_cost_usd_per_t"] = border_cost
    graph.remove_edges_from(drop)
    return graph
