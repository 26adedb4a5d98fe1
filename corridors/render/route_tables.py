"""The tables of a route query, for the terminal: routes, legs and steps, CAREC indicators.

Kept apart from the network's summary tables (:mod:`corridors.render.tables`) so that printing a
route needs rich alone. rich reads ``[...]`` in text as console markup; every cell, title and
caption built from the data goes through :func:`corridors.render.escape.rich_text`.
"""

from __future__ import annotations

from rich.table import Table

from corridors.render.escape import rich_text
from corridors.render.format import number
from corridors.routing.results import Leg, Route, RouteSet

__all__ = ["add_row", "carec_table", "legs_table", "routes_table"]


def add_row(table: Table, *cells: str) -> None:
    """Add a row of plain text (markup in it is escaped)."""
    table.add_row(*(rich_text(cell) for cell in cells))


def routes_table(routes: RouteSet) -> Table:
    """Tabulate a query's routes: alternatives first, then the best per mode combination.

    Parameters
    ----------
    routes
        The answer of :func:`corridors.routing.route`.

    Returns
    -------
    rich.table.Table
        One row per route with its totals, modes, countries and steps.
    """
    query = routes.query
    table = Table(
        title=rich_text(
            f"{query['origin']} to {query['destination']}, scenario '{query['scenario']}', "
            f"by {query['weight']}"
        )
    )
    for column in (
        "#",
        "route",
        "km",
        "hours",
        "US$/t",
        "generalised",
        "modes",
        "countries",
        "steps",
        "via",
    ):
        table.add_column(column)
    for route in [*routes.routes, *routes.by_mode.values()]:
        summary = route.summary()
        middle = summary["node_ids"][1:-1]
        add_row(
            table,
            str(route.rank) if route.label in {"best", "alternative"} else "",
            route.label,
            f"{route.length_km:,.0f}",
            f"{route.time_h:,.1f}",
            f"{route.cost_usd_per_t:,.1f}",
            f"{route.generalised_cost:,.1f}",
            "+".join(summary["modes"]),
            "-".join(summary["countries"]),
            ", ".join(f"{count} {kind}" for kind, count in summary["steps"].items()),
            " > ".join(middle)
            if len(middle) <= 6
            else " > ".join([*middle[:3], "...", *middle[-2:]]),
        )
    if routes.query.get("snap_km"):
        table.caption = rich_text(
            "snapped: " + ", ".join(f"{q} by {km} km" for q, km in routes.query["snap_km"].items())
        )
    return table


def carec_table(route: Route) -> Table:
    """Tabulate the CAREC CPMM indicators of one route: each crossing, then the route.

    Parameters
    ----------
    route
        A route.

    Returns
    -------
    rich.table.Table
        One row per border crossing, and the route's rows.
    """
    indicators = route.carec()
    table = Table(
        title="CAREC corridor indicators (CPMM definitions; TFI2 per 20 t shipment)",
        title_justify="left",
    )
    for column in ("indicator", "where", "value"):
        table.add_column(column)
    for hours, usd in zip(indicators["tfi1_border_h"], indicators["tfi2_border_usd"], strict=True):
        where = rich_text(f"{hours['at']} ({hours['from']} to {hours['to']})")
        table.add_row("TFI1 border time", where, f"{hours['hours']:,.1f} h")
        table.add_row("TFI2 border cost", where, f"US${usd['usd']:,.0f}")
    table.add_row(
        "TFI3 cost",
        "route",
        number(indicators["tfi3_usd_per_500km_20t"], "US${:,.0f} per 500 km, 20 t"),
    )
    table.add_row(
        "TFI4 speed with delay",
        "route",
        number(indicators["tfi4_speed_with_delay_km_h"], "{:.1f} km/h"),
    )
    table.add_row(
        "speed without delay",
        "route",
        number(indicators["speed_without_delay_km_h"], "{:.1f} km/h"),
    )
    return table


def legs_table(route: Route) -> Table:
    """Legs and steps of one route, in travel order.

    Parameters
    ----------
    route
        The route.

    Returns
    -------
    rich.table.Table
        One row per leg or step.
    """
    table = Table(title=rich_text(f"Route {route.rank} ({route.label}): legs and steps"))
    for column in (
        "item",
        "from / at",
        "to",
        "mode",
        "gauge",
        "countries",
        "km",
        "hours",
        "US$/t",
        "what",
    ):
        table.add_column(column)
    for item in route.items:
        if isinstance(item, Leg):
            add_row(
                table,
                "leg",
                item.from_id,
                item.to_id,
                item.mode,
                number(item.gauge_mm, "{:.0f}"),
                "-".join(item.countries),
                number(round(item.length_km, 1)),
                number(round(item.time_h, 2), "{:,.1f}"),
                number(round(item.cost_usd_per_t, 2), "{:,.1f}"),
                item.name,
            )
        else:
            add_row(
                table,
                item.kind,
                item.at,
                "",
                "",
                "",
                "",
                "",
                number(round(item.time_h, 2), "{:,.1f}"),
                number(round(item.cost_usd_per_t, 2), "{:,.1f}"),
                item.description,
            )
    return table
