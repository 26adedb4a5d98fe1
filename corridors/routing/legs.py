"""Turn a path of the expanded graph into a route: legs along links and steps at nodes."""

from __future__ import annotations

from collections.abc import Sequence

from corridors.data.vocabulary import NodeKind
from corridors.routing.graph import EdgeKind, RoutingGraph
from corridors.routing.results import Leg, Route, Step
from corridors.routing.search import Layered

__all__ = ["describe_place", "route_from"]


def describe_place(graph: RoutingGraph, node_id: str) -> str:
    """Return the name of a node."""
    return str(graph.node_table["name"][node_id])


def route_from(
    layered: Layered,
    vertices: Sequence[int],
    *,
    weight: str,
    stops: Sequence[str],
    rank: int = 1,
    label: str = "best",
    value_of_time: float | None = None,
) -> Route:
    """Build the route a path of the layered graph takes: its legs and its steps.

    Parameters
    ----------
    layered
        The query's graph the path was found on.
    vertices
        The path.
    weight, stops, rank, label
        What the route was found for, and how it ranks.
    value_of_time
        Value of time of the generalised cost (default: the scenario's).

    Returns
    -------
    Route
        Legs and steps in order.
    """
    graph = layered.graph
    indices = layered.edge_indices(vertices)
    indices = indices[indices >= 0]
    edges = graph.edges
    kinds = edges["kind"][indices].tolist()
    links = edges["link"][indices].tolist()
    forwards = edges["forward"][indices].tolist()
    places = edges["place"][indices].tolist()
    items: list[Leg | Step] = []
    for index, kind, position, forward, place in zip(
        indices.tolist(), kinds, links, forwards, places, strict=True
    ):
        if kind == EdgeKind.LINK:
            travelled = graph.leg_items.get((position, forward))
            if travelled is None:
                travelled = tuple(_leg_and_border(graph, position, forward=forward))
                graph.leg_items[position, forward] = travelled
            items.extend(travelled)
        elif kind in _STEP_KINDS:
            src_vertex = graph.vertices[int(edges["src"][index])]
            dst_vertex = graph.vertices[int(edges["dst"][index])]
            place_id = graph.place_ids[place] if place >= 0 else ""
            items.append(
                _step(
                    graph,
                    edge=index,
                    kind=EdgeKind(kind),
                    place=place_id,
                    ends=(src_vertex, dst_vertex),
                    before=items,
                )
            )
    return Route(
        origin=stops[0],
        destination=stops[-1],
        scenario=graph.scenario_name,
        weight=weight,
        items=tuple(items),
        value_of_time_usd_per_t_h=(graph.value_of_time if value_of_time is None else value_of_time),
        rank=rank,
        label=label,
    )


def _leg_and_border(graph: RoutingGraph, position: int, *, forward: bool) -> list[Leg | Step]:
    """Build the leg of a link travelled in one direction, and its border step if any."""
    table = graph.link_table
    link_id = graph.link_ids[position]
    mode = table["mode"][position]
    start, end = table["from"][position], table["to"][position]
    if not forward:
        start, end = end, start
    terms = graph.link_terms[position]
    shares = terms.shares
    countries = table["countries"][position]
    coordinates = table["coordinates"][position]
    if not forward:
        shares = shares[::-1]
        countries = countries[::-1]
        coordinates = coordinates[::-1] if coordinates is not None else None
    leg = Leg(
        link_id=link_id,
        name=table["name"][position],
        from_id=start,
        to_id=end,
        mode=mode,
        status=table["status"][position],
        gauge_mm=table["gauge_mm"][position],
        countries=tuple(countries),
        km_by_country=tuple(shares),
        length_km=table["route_length_km"][position],
        time_h=terms.time_h,
        cost_usd_per_t=terms.cost_usd_per_t,
        alignment=table["alignment"][position],
        sources=table["sources"][position],
        year=table["year"][position],
        time_terms=terms.time_terms,
        cost_terms=terms.cost_terms,
        coordinates=coordinates,
    )
    items: list[Leg | Step] = [leg]
    from_country, to_country = graph.country_of[start], graph.country_of[end]
    if from_country != to_country:
        border = graph.border_steps[position, forward]
        kinds = graph.node_table["kind"]
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
                    f"{describe_place(graph, start)} and {describe_place(graph, end)}"
                ),
                time_h=border.time_h,
                cost_usd_per_t=border.cost_usd_per_t,
                from_value=from_country,
                to_value=to_country,
                source=border.source,
                note=border.note,
                link_id=link_id,
                time_terms=border.time_terms,
                cost_terms=border.cost_terms,
                point=graph.node_table["lonlat"][at],
            )
        )
    return items


_STEP_KINDS = {
    EdgeKind.TRANSFER,
    EdgeKind.TRANSSHIPMENT,
    EdgeKind.BREAK_OF_GAUGE,
    EdgeKind.GAUGE_UNKNOWN,
}

Vertex = tuple[str, str, str, int]


def _step(
    graph: RoutingGraph,
    *,
    edge: int,
    kind: EdgeKind,
    place: str,
    ends: tuple[Vertex, Vertex],
    before: Sequence[Leg | Step],
) -> Step:
    """Build the step a change edge stands for: its time, cost, source and words."""
    name = describe_place(graph, place)
    (_, _, mode_a, gauge_a), (_, _, mode_b, gauge_b) = ends
    terms = graph.step_terms[edge]
    if kind is EdgeKind.GAUGE_UNKNOWN:
        values = (str(gauge_a or "unknown"), str(gauge_b or "unknown"))
        description = (
            f"gauge change unknown at {name}: a line of unpublished gauge meets "
            f"{max(gauge_a, gauge_b)} mm; no break assumed"
        )
        label, note = "gauge_unknown", ""
    elif kind is EdgeKind.BREAK_OF_GAUGE:
        values = (str(gauge_a), str(gauge_b))
        description = f"break of gauge {gauge_a} to {gauge_b} mm at {name}"
        label, note = "break_of_gauge", terms.note
        previous = next((i for i in reversed(before) if isinstance(i, Leg)), None)
        if previous is not None and previous.mode == "rail" and previous.gauge_mm is None:
            note = (
                f"assumed: the gauge of {previous.name} is not published; it is taken to "
                f"continue the {gauge_a} mm track at its start. {terms.note}"
            )
    else:
        values = (mode_a, mode_b)
        if kind is EdgeKind.TRANSSHIPMENT:
            label, description = "transshipment", f"change of vessel at {name}"
        else:
            label, description = "transfer", f"{mode_a} to {mode_b} at {name}"
        note = terms.note
    return Step(
        kind=label,
        at=place,
        description=description,
        time_h=terms.time_h,
        cost_usd_per_t=terms.cost_usd_per_t,
        from_value=values[0],
        to_value=values[1],
        source=terms.source,
        note=note,
        time_terms=terms.time_terms,
        cost_terms=terms.cost_terms,
        point=graph.node_table["lonlat"][place],
    )
