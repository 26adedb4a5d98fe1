"""Freight flows as terminal tables and as a Markdown report section.

One function builds the rows of each table (:func:`flow_rows`), so the terminal and the report
show the same figures, formatted by :func:`corridors.render.format.number` and escaped by
:mod:`corridors.render.escape` for each context.
"""

from __future__ import annotations

import pandas as pd
from rich.table import Table

from corridors.analysis.flows import FlowResult, compare_flows, element_flows, link_flows, wape
from corridors.render.escape import markdown_text, rich_text
from corridors.render.format import number

__all__ = ["flow_rows", "flow_section", "flow_tables"]

_KT = "{:,.0f}"


def _kt(value: float) -> str:
    return number(value / 1e3, _KT)


def flow_rows(
    result: FlowResult,
    *,
    calibration: pd.DataFrame | None = None,
    base: FlowResult | None = None,
    top: int = 15,
) -> list[tuple[str, list[str], list[list[str]]]]:
    """Return the tables of a flow assignment as ``(title, header, rows)`` of text.

    Parameters
    ----------
    result
        An assignment.
    calibration
        A calibration table (:func:`corridors.analysis.flows.calibration_table`) to include.
    base
        An assignment of the same demand in another scenario, to compare with.
    top
        Rows of the link table (and of each comparison table).

    Returns
    -------
    list of tuple
        Title, column names and rows, in the order shown.
    """
    name = result.graph.scenario.name
    tables = []
    summary = [
        ["scenario", name],
        ["demand", f"{_kt(float(result.demand['t_per_year'].sum()))} kt a year"],
        [
            "unrouted demand",
            f"{_kt(float(result.demand.loc[~result.demand['routed'], 't_per_year'].sum()))} kt",
        ],
        ["iterations", str(len(result.gaps))],
        ["relative gap", f"{result.relative_gap:.2e}"],
        ["converged", "yes" if result.converged else "no"],
        ["seconds", number(result.seconds, "{:.2f}")],
    ]
    tables.append((f"Flows in scenario {name}", ["", "value"], summary))
    elements = element_flows(result)
    tables.append(
        (
            "Crossings, ports and sections: volume against capacity",
            ["element", "kind", "volume kt", "capacity kt", "utilisation %", "delay x free"],
            [
                [
                    str(r["name"]) + (f" ({r['link']})" if r["kind"] == "link" else ""),
                    str(r["kind"]),
                    _kt(r["volume_t"]),
                    _kt(r["capacity_t"]),
                    number(100 * r["utilisation"], "{:,.0f}"),
                    number(r["delay_factor"], "{:,.2f}"),
                ]
                for _, r in elements.iterrows()
                if r["volume_t"] > 0.5
            ],
        )
    )
    links = link_flows(result).head(top)
    tables.append(
        (
            f"Links by flow (top {top})",
            ["link", "mode", "forward kt", "back kt", "total kt", "delay h"],
            [
                [
                    str(r["name"]),
                    str(r["mode"]),
                    _kt(r["forward_t"]),
                    _kt(r["reverse_t"]),
                    _kt(r["total_t"]),
                    number(r["delay_h"], "{:,.1f}"),
                ]
                for _, r in links.iterrows()
            ],
        )
    )
    if calibration is not None and len(calibration):
        rows = [
            [
                str(r["name"]),
                str(r["commodity"]),
                str(r["year"]),
                _kt(r["observed_t"]),
                _kt(r["modelled_t"]),
                number(r["error_pct"], "{:+,.0f}"),
                str(r["source"]),
            ]
            for _, r in calibration.iterrows()
        ]
        error = wape(calibration["modelled_t"], calibration["observed_t"])
        rows.append(["WAPE", "", "", "", "", number(100 * error, "{:,.0f}") + " %", ""])
        tables.append(
            (
                "Calibration: base-year flows against published volumes",
                ["volume", "commodity", "year", "observed kt", "modelled kt", "error %", "source"],
                rows,
            )
        )
    if base is not None:
        changes = compare_flows(base, result, top=top)
        other = base.graph.scenario.name
        for key, title in (
            ("gained", f"Links gaining most against {other}"),
            ("lost", f"Links losing most against {other} (where the traffic comes from)"),
        ):
            tables.append(
                (
                    title,
                    ["link", "mode", f"{other} kt", f"{name} kt", "change kt"],
                    [
                        [
                            str(r["name"]),
                            str(r["mode"]),
                            _kt(r["base_t"]),
                            _kt(r["other_t"]),
                            number(r["change_t"] / 1e3, "{:+,.0f}"),
                        ]
                        for _, r in changes[key].iterrows()
                        if abs(r["change_t"]) > 0.5
                    ],
                )
            )
        tables.append(
            (
                f"Crossings and ports against {other}",
                ["element", f"{other} kt", f"{name} kt", "change kt"],
                [
                    [
                        str(r["name"]),
                        _kt(r["volume_t_base"]),
                        _kt(r["volume_t_other"]),
                        number(r["change_t"] / 1e3, "{:+,.0f}"),
                    ]
                    for _, r in changes["elements"].iterrows()
                    if abs(r["change_t"]) > 0.5
                ],
            )
        )
    return tables


def flow_tables(result: FlowResult, **options: object) -> list[Table]:
    """Return the tables of :func:`flow_rows` as rich tables for the terminal.

    Parameters
    ----------
    result
        An assignment.
    **options
        Passed to :func:`flow_rows`.

    Returns
    -------
    list of rich.table.Table
        One per table.
    """
    out = []
    for title, header, rows in flow_rows(result, **options):  # type: ignore[arg-type]
        table = Table(title=rich_text(title), title_justify="left")
        for i, column in enumerate(header):
            table.add_column(rich_text(column), justify="left" if i == 0 else "right")
        for row in rows:
            table.add_row(*(rich_text(cell) for cell in row))
        out.append(table)
    return out


def flow_section(result: FlowResult, **options: object) -> str:
    """Return the tables of :func:`flow_rows` as a Markdown report section.

    Parameters
    ----------
    result
        An assignment.
    **options
        Passed to :func:`flow_rows`.

    Returns
    -------
    str
        Markdown, headed ``## Freight flows``.
    """
    lines = ["## Freight flows", ""]
    for title, header, rows in flow_rows(result, **options):  # type: ignore[arg-type]
        lines += [f"### {markdown_text(title)}", ""]
        lines.append("| " + " | ".join(markdown_text(h) or " " for h in header) + " |")
        lines.append("|" + "|".join("---" for _ in header) + "|")
        lines += ["| " + " | ".join(markdown_text(c) for c in row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)
