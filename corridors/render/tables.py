"""Summary tables of a built network, for the terminal.

rich reads ``[...]`` in text as console markup; every cell, title and caption built from the data
goes through :func:`corridors.render.escape.rich_text`, so it is shown as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from rich.table import Table

from corridors.network.build import Network, length_gaps, line_lengths
from corridors.render.escape import rich_text
from corridors.render.format import number
from corridors.render.route_tables import add_row

if TYPE_CHECKING:
    from corridors.analysis.calibrate import Calibration
    from corridors.analysis.compare import Comparison

__all__ = [
    "calibration_tables",
    "comparison_table",
    "gap_table",
    "line_table",
    "network_table",
    "places_table",
]


def network_table(network: Network) -> Table:
    """Links and kilometres by mode and status, with node counts in the caption.

    Parameters
    ----------
    network
        The built network.

    Returns
    -------
    rich.table.Table
        One row per mode and status.
    """
    links = network.links
    grouped = (
        links.groupby(["mode", "status"], sort=True)
        .agg(links=("id", "size"), km=("length_km", "sum"), route_km=("route_length_km", "sum"))
        .reset_index()
    )
    table = Table(title="Network by mode and status")
    for column in ("mode", "status", "links", "built km", "routing km"):
        table.add_column(column, justify="right" if "km" in column or column == "links" else "left")
    for row in grouped.itertuples(index=False):
        add_row(
            table, row.mode, row.status, str(row.links), f"{row.km:,.1f}", f"{row.route_km:,.1f}"
        )
    kinds = network.nodes["kind"].value_counts().sort_index()
    table.caption = rich_text(
        f"{len(network.nodes)} nodes: "
        + ", ".join(f"{count} {kind}" for kind, count in kinds.items())
    )
    return table


def line_table(network: Network) -> Table:
    """Built versus published length of each line.

    Parameters
    ----------
    network
        The built network.

    Returns
    -------
    rich.table.Table
        One row per line in ``seeds/lines.yaml``.
    """
    table = Table(title="Lines: built (geodesic) versus published length")
    for column in ("line", "links", "built km", "published km", "gap", "source", "other figures"):
        table.add_column(column)
    for row in line_lengths(network).to_dict("records"):
        add_row(
            table,
            str(row["name"]),
            str(row["links"]),
            number(row["built_km"]),
            number(row["published_km"], "{:g}"),
            number(row["gap_pct"], "{:+.1f} %"),
            row["source"] if isinstance(row["source"], str) else "",
            str(row["other_published_km"]),
        )
    return table


def gap_table(network: Network) -> Table | None:
    """Links more than 10 % off their published length, or None when there are none.

    Parameters
    ----------
    network
        The built network.

    Returns
    -------
    rich.table.Table or None
        The flagged links, or None when there are none.
    """
    gaps = length_gaps(network)
    if gaps.empty:
        return None
    table = Table(title="Links more than 10 % off their published length")
    for column in ("link", "alignment", "built km", "published km", "gap", "source"):
        table.add_column(column)
    for row in gaps.to_dict("records"):
        add_row(
            table,
            str(row["id"]),
            str(row["alignment"]),
            number(row["length_km"]),
            number(row["published_length_km"], "{:g}"),
            number(row["length_gap_pct"], "{:+.1f} %"),
            str(row["published_length_source"]),
        )
    return table


def comparison_table(comparison: Comparison) -> Table:
    """Tabulate a scenario against its base, one row per origin-destination pair.

    Parameters
    ----------
    comparison
        The answer of :func:`corridors.compare.compare`.

    Returns
    -------
    rich.table.Table
        Best-route totals in both scenarios and the change.
    """
    table = Table(
        title=rich_text(
            f"Scenario '{comparison.scenario}' against '{comparison.base}' "
            f"(best routes by {comparison.weight})"
        )
    )
    for column in (
        "origin",
        "destination",
        "outcome",
        "base km",
        "base h",
        "base US$/t",
        "scenario km",
        "scenario h",
        "scenario US$/t",
        "change km",
        "change h",
        "change US$/t",
        "TFI3 US$/500 km/20 t",
        "TFI4 km/h",
    ):
        table.add_column(column, no_wrap=column == "outcome")
    for row in comparison.to_frame().to_dict("records"):
        add_row(
            table,
            str(row["origin"]),
            str(row["destination"]),
            str(row["outcome"]),
            number(row["base_length_km"], "{:,.0f}"),
            number(row["base_time_h"]),
            number(row["base_cost_usd_per_t"]),
            number(row["scenario_length_km"], "{:,.0f}"),
            number(row["scenario_time_h"]),
            number(row["scenario_cost_usd_per_t"]),
            number(row["delta_length_km"], "{:+,.0f}"),
            number(row["delta_time_h"], "{:+,.1f}"),
            number(row["delta_cost_usd_per_t"], "{:+,.1f}"),
            f"{number(row['base_tfi3_usd_per_500km_20t'], '{:,.0f}')} to "
            f"{number(row['scenario_tfi3_usd_per_500km_20t'], '{:,.0f}')}",
            f"{number(row['base_tfi4_km_h'])} to {number(row['scenario_tfi4_km_h'])}",
        )
    changed = ", ".join(
        f"{c.link_id} ({c.before or 'new'} to {c.after})" for c in comparison.link_changes
    )
    table.caption = rich_text(f"links changed: {changed}" if changed else "no link changes")
    return table


def places_table(places: pd.DataFrame) -> Table:
    """Tabulate the places a user can name, with their kind, country, modes and other names.

    Parameters
    ----------
    places
        The frame of :func:`corridors.list_places`.

    Returns
    -------
    rich.table.Table
        One row per place.
    """
    table = Table(title="Places", title_justify="left")
    for column in ("name", "id", "kind", "country", "modes", "also called"):
        table.add_column(column)
    for _, row in places.iterrows():
        modes = ", ".join(row["modes"]) or "no links"
        add_row(
            table,
            str(row["name"]),
            str(row["id"]),
            str(row["kind"]),
            str(row["country"]),
            modes,
            ", ".join(row["aliases"]),
        )
    return table


def calibration_tables(calibration: Calibration, *, show_all: bool = False) -> list[Table]:
    """Tabulate the model against observations, then the error per indicator and mode.

    Parameters
    ----------
    calibration
        The answer of :func:`corridors.analysis.calibrate.calibrate`.
    show_all
        Also list the observations that were not compared (with the reason).

    Returns
    -------
    list of rich.table.Table
        The checks, and the summary with the mean absolute percentage error.
    """
    frame = calibration.to_frame()
    if not show_all:
        frame = frame[frame["status"].isin(["within", "outside"])]
    checks = Table(
        title=f"Model against observations, scenario '{rich_text(calibration.scenario)}'",
        title_justify="left",
    )
    for column in (
        "observation",
        "where",
        "mode",
        "year",
        "observed",
        "model",
        "unit",
        "error",
        "sample",
    ):
        checks.add_column(column, justify="right" if column in {"observed", "model"} else "left")
    checks.add_column("status")
    for _, row in frame.iterrows():
        checks.add_row(
            rich_text(str(row["id"])),
            rich_text(str(row["where"])),
            str(row["mode"]),
            number(row["year"], "{:.0f}"),
            number(row["observed"]),
            number(row["model"]),
            rich_text(str(row["unit"])),
            number(row["error_pct"], "{:+.0f} %"),
            str(row["sample"]) + ("" if row["current"] else ", superseded"),
            rich_text(
                str(row["status"])
                + (f" (known outlier: {row['known_outlier']})" if row["known_outlier"] else "")
                + (
                    f": {row['reason']}"
                    if show_all and row["reason"] and row["status"] not in {"within", "outside"}
                    else ""
                )
            ),
        )
    summary = Table(
        title=(
            f"Error per indicator and mode: {calibration.share_within:.0%} of the current "
            f"observations compared within tolerance ({calibration.share_within_out_of_sample:.0%}"
            f" of those out of sample; {calibration.share_within_all_years:.0%} over every year)"
        ),
        title_justify="left",
    )
    for column in (
        "indicator",
        "mode",
        "observations",
        "current compared",
        "within",
        "MAPE",
        "out of sample",
        "MAPE out of sample",
        "MAPE every year",
    ):
        summary.add_column(column)
    for _, row in calibration.summary().iterrows():
        summary.add_row(
            str(row["indicator"]),
            str(row["mode"]),
            str(row["observations"]),
            str(row["current"]),
            str(row["within"]),
            number(row["mape_pct"], "{:.1f} %"),
            str(row["out_of_sample"]),
            number(row["mape_out_pct"], "{:.1f} %"),
            number(row["mape_all_years_pct"], "{:.1f} %"),
        )
    return [checks, summary]
