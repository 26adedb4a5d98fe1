"""Why no route joins two places, and what would connect them."""

from __future__ import annotations

from collections.abc import Callable

from corridors.data.vocabulary import Mode, Status
from corridors.routing.graph import Query, RoutingGraph
from corridors.routing.legs import describe_place
from corridors.routing.search import connected, reachable

__all__ = ["explain_no_route"]


def explain_no_route(
    graph: RoutingGraph,
    stops: list[str],
    query: Query,
    graph_for: Callable[[str], RoutingGraph],
) -> str:
    """Say why no route joins the stops: a place without the mode, an avoided place, or
    the scenarios, modes or statuses that would connect it.
    """  # noqa: D205
    names = " to ".join(f"{describe_place(graph, s)} ({s})" for s in stops)
    mode_text = "/".join(sorted(query.modes))
    head = f"no route from {names} by {mode_text} in scenario '{graph.scenario_name}'"
    link_modes = dict(zip(graph.link_ids, graph.link_table["mode"], strict=True))
    for stop in stops:
        present = {link_modes[link] for link in graph.links_at(stop)}
        if not present & query.modes:
            return (
                f"{head}: {describe_place(graph, stop)} has no {mode_text} link"
                + (f" (it has {', '.join(sorted(present))})" if present else "")
                + "; choose a node on that network or allow more modes"
            )
    unavoided = Query(query.modes, query.statuses, frozenset(), frozenset(), frozenset())
    if (query.avoid_nodes or query.avoid_links or query.avoid_countries) and connected(
        graph, unavoided, stops
    ):
        avoided = sorted(query.avoid_nodes | query.avoid_links | query.avoid_countries)
        return f"{head}: avoiding {', '.join(avoided)} cuts every route"
    reasons = []
    connecting = [
        name
        for name in sorted(graph.scenario.network.seeds.scenarios)
        if name != graph.scenario_name and connected(graph_for(name), query, stops)
    ]
    if connecting:
        reasons.append(
            f"by {mode_text} it connects in scenario {', '.join(repr(c) for c in connecting)}"
        )
    all_modes = frozenset(m.value for m in Mode)
    if query.modes != all_modes and connected(
        graph,
        Query(
            all_modes, query.statuses, query.avoid_nodes, query.avoid_links, query.avoid_countries
        ),
        stops,
    ):
        reasons.append(f"in '{graph.scenario_name}' it connects with all modes (rail, road, sea)")
    if not reasons:
        every_status = Query(
            query.modes,
            frozenset(s.value for s in Status),
            query.avoid_nodes,
            query.avoid_links,
            query.avoid_countries,
        )
        if connected(graph, every_status, stops):
            reasons.append("only links that are not operational would connect it")
    if not reasons and len(stops) > 2 and reachable(graph, query, stops):
        reasons.append(
            "every way through the via places in this order passes a place twice; "
            "change the order of the via places or drop one"
        )
    if not reasons:
        reasons.append("no chain of links joins them in any scenario")
    return f"{head}: " + "; ".join(reasons)
