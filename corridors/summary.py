"""Summary tables of a built network, for the terminal."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from rich.table import Table

from corridors.network import Network, length_gaps, line_lengths

__all__ = ["gap_table", "line_table", "network_table"]


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
        table.add_row(
            row.mode, row.status, str(row.links), f"{row.km:,.1f}", f"{row.route_km:,.1f}"
        )
    kinds = network.nodes["kind"].value_counts().sort_index()
    table.caption = f"{len(network.nodes)} nodes: " + ", ".join(
        f"{count} {kind}" for kind, count in kinds.items()
    )
    return table


def _number(value: Any, template: str = "{:,.1f}") -> str:
    """Format a number, or return an empty string for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return template.format(value)


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
        table.add_row(
            str(row["name"]),
            str(row["links"]),
            _number(row["built_km"]),
            _number(row["published_km"], "{:g}"),
            _number(row["gap_pct"], "{:+.1f} %"),
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
        table.add_row(
            str(row["id"]),
            str(row["alignment"]),
            _number(row["length_km"]),
            _number(row["published_length_km"], "{:g}"),
            _number(row["length_gap_pct"], "{:+.1f} %"),
            str(row["published_length_source"]),
        )
    return table
