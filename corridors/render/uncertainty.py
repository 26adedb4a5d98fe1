"""Reliability for people: terminal tables and a tornado chart (inline SVG).

Every text from the data goes through :mod:`corridors.render.escape` (``rich_text`` for the
terminal, ``html_text`` and ``html_attribute`` for SVG), every number through
:func:`corridors.render.format.number`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd
from rich.table import Table

from corridors.render.escape import html_attribute, html_text, rich_text
from corridors.render.format import number

if TYPE_CHECKING:
    from corridors.analysis.uncertainty import PairReliability, Reliability
    from corridors.analysis.uncertainty.sensitivity import Bar

__all__ = [
    "improvement_table",
    "range_chart_svg",
    "reliability_table",
    "spread",
    "sweep_table",
    "tornado_svg",
    "tornado_table",
]


def spread(low: float, high: float) -> str:
    """Return ``low-high`` with the one number formatter, e.g. ``136.3-157.4``.

    Examples
    --------
    >>> spread(136.27, 157.36)
    '136.3-157.4'
    """
    return f"{number(low)}-{number(high)}"


def reliability_table(reliability: Reliability) -> Table:
    """Tabulate P10, P50 and P90 of time and cost per route, and the probabilities.

    Parameters
    ----------
    reliability
        From :func:`corridors.analysis.uncertainty.route_reliability`.

    Returns
    -------
    rich.table.Table
        One row per route.
    """
    sim = reliability.simulation
    table = Table(
        title=rich_text(
            f"Reliability: {sim.samples:,} samples, seed {sim.seed}, "
            f"best judged by {reliability.weight}"
        )
    )
    columns = ["#", "route", "hours", "P10-P90 h", "P50 h", "US$/t", "P10-P90 US$/t"]
    columns.append("P(beats best)")
    if reliability.within_h is not None:
        columns.append(f"P(within {number(reliability.within_h, '{:,.0f}')} h)")
    for column in columns:
        table.add_column(rich_text(column))
    for row in reliability.rows():
        cells = [
            str(row["rank"]),
            row["label"],
            number(row["time_h"]),
            spread(row["time_h_p10"], row["time_h_p90"]),
            number(row["time_h_p50"]),
            number(row["cost_usd_per_t"]),
            spread(row["cost_usd_per_t_p10"], row["cost_usd_per_t_p90"]),
            number(row["p_beats_best"], "{:.0%}") if row["rank"] != 1 else "",
        ]
        if "p_within" in row:
            cells.append(number(row["p_within"], "{:.0%}"))
        table.add_row(*(rich_text(cell) for cell in cells))
    flips = reliability.sensitivity.flips
    table.caption = rich_text(
        "best route flips when: " + "; ".join(f"{f.range.label} at its {f.at}" for f in flips[:5])
        if flips
        else "no single parameter, at its low or high, makes another route the best"
    )
    return table


def tornado_table(reliability: Reliability, *, top: int = 8) -> Table:
    """Tabulate the parameters the best route hangs on, largest swing first.

    Parameters
    ----------
    reliability
        As for :func:`reliability_table`.
    top
        Rows.

    Returns
    -------
    rich.table.Table
        One row per parameter: its range and the best route's time and cost at each end.
    """
    table = Table(title=rich_text(f"What the best route hangs on (by {reliability.weight})"))
    for column in ("parameter", "kind", "low-likely-high", "hours", "US$/t", "source"):
        table.add_column(column)
    for bar in reliability.sensitivity.bars[0][:top]:
        found = bar.range
        table.add_row(
            *(
                rich_text(cell)
                for cell in (
                    found.label,
                    found.kind,
                    f"{number(found.low, '{:,.4g}')}-{number(found.likely, '{:,.4g}')}-"
                    f"{number(found.high, '{:,.4g}')}",
                    spread(*bar.time_h),
                    spread(*bar.cost_usd_per_t),
                    found.source,
                )
            )
        )
    return table


def improvement_table(pairs: Sequence[PairReliability], weight: str) -> Table:
    """Tabulate, per pair, P10-P90 on both sides, P(improves) and the verdict.

    Parameters
    ----------
    pairs
        From :func:`corridors.analysis.uncertainty.comparison_reliability`.
    weight
        What the values are (``time``, ``cost`` or ``generalised``).

    Returns
    -------
    rich.table.Table
        One row per pair.
    """
    table = Table(title=rich_text(f"Does the change survive the uncertainty? (by {weight})"))
    for column in ("origin", "destination", "base P10-P90", "scenario P10-P90", "P(improves)"):
        table.add_column(column)
    table.add_column("verdict")
    for item in pairs:
        data = item.to_dict()
        if data["p_improves"] is None:
            cells = [data["origin"], data["destination"], "", "", "", data["verdict"]]
        else:
            base, new = data["base_p10_p50_p90"], data["scenario_p10_p50_p90"]
            cells = [
                data["origin"],
                data["destination"],
                spread(base[0], base[2]),
                spread(new[0], new[2]),
                number(data["p_improves"], "{:.0%}"),
                data["verdict"],
            ]
        table.add_row(*(rich_text(cell) for cell in cells))
    return table


def _bar_chart(
    bars: Sequence[tuple[str, float, float, float | None, str]],
    *,
    unit: str,
    width: int,
    name: str,
) -> str:
    """Draw horizontal bars ``(label, start, end, tick or None, tooltip)`` on one scale."""
    if not bars:
        return ""
    row, label_width, pad = 22, 340, 8
    low = min(min(b[1], b[2]) for b in bars)
    high = max(max(b[1], b[2]) for b in bars)
    span = (high - low) or 1.0
    plot = width - label_width - 2 * pad

    def x(value: float) -> float:
        return label_width + pad + (value - low) / span * plot

    height = row * len(bars) + 2 * row
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{html_attribute(name)}" '
        f'width="{width}" height="{height}" role="img" aria-label="{html_attribute(name)}">'
    ]
    for i, (label, start, end, tick, title) in enumerate(bars):
        y = row * i + pad
        left, right = x(min(start, end)), x(max(start, end))
        parts.append(
            f'<text x="{label_width}" y="{y + 14}" text-anchor="end" font-size="12">'
            f"{html_text(label)}</text>"
            f'<rect x="{left:.1f}" y="{y + 3}" width="{max(right - left, 1):.1f}" height="14" '
            f'fill="#4477aa"><title>{html_text(title)}</title></rect>'
        )
        if tick is not None:
            parts.append(
                f'<rect x="{x(tick) - 1:.1f}" y="{y + 1}" width="2" height="18" fill="#112244"/>'
            )
    axis = row * len(bars) + pad + 14
    parts.append(
        f'<text x="{label_width + pad}" y="{axis}" font-size="11">'
        f"{html_text(number(low))} {html_text(unit)}</text>"
        f'<text x="{width - pad}" y="{axis}" text-anchor="end" font-size="11">'
        f"{html_text(number(high))} {html_text(unit)}</text></svg>"
    )
    return "".join(parts)


def tornado_svg(bars: Sequence[Bar], *, unit: str, top: int = 8, width: int = 720) -> str:
    """Draw a tornado chart: one bar per parameter from the value at its low to at its high.

    Parameters
    ----------
    bars
        One route's bars, largest swing first.
    unit
        The unit of the values (``h``, ``US$/t``).
    top
        Bars drawn.
    width
        Width of the picture in pixels.

    Returns
    -------
    str
        A self-contained ``<svg>`` element; every label is escaped; ``""`` without bars.
    """
    drawn = [
        (
            bar.range.label,
            bar.value[0],
            bar.value[1],
            None,
            f"{bar.range.label}: {number(bar.value[0])} {unit} at low, "
            f"{number(bar.value[1])} {unit} at high",
        )
        for bar in bars[:top]
    ]
    return _bar_chart(drawn, unit=unit, width=width, name="tornado chart")


def range_chart_svg(
    rows: Sequence[tuple[str, float, float, float]], *, unit: str, width: int = 720
) -> str:
    """Draw one P10-P90 bar with a P50 tick per labelled row (a sweep's pairs and scenarios).

    Parameters
    ----------
    rows
        ``(label, p10, p50, p90)``.
    unit
        The unit of the values.
    width
        Width of the picture in pixels.

    Returns
    -------
    str
        A self-contained ``<svg>`` element; every label is escaped; ``""`` without rows.
    """
    drawn = [
        (
            label,
            p10,
            p90,
            p50,
            f"{label}: P10 {number(p10)}, P50 {number(p50)}, P90 {number(p90)} {unit}",
        )
        for label, p10, p50, p90 in rows
    ]
    return _bar_chart(drawn, unit=unit, width=width, name="P10 to P90")


def sweep_table(summary: pd.DataFrame, *, top: int = 40) -> Table:
    """Tabulate a sweep's best routes: P10-P90 of time and cost and P(best), per scenario and pair.

    Parameters
    ----------
    summary
        :meth:`corridors.analysis.uncertainty.sweep.Sweep.summary`.
    top
        Rows shown at most.

    Returns
    -------
    rich.table.Table
        The deterministic best route (rank 1) of each scenario and pair.
    """
    table = Table(title="Sweep: the best route of each scenario and pair")
    for column in ("scenario", "origin", "destination", "P10-P90 h", "P50 h", "P10-P90 US$/t"):
        table.add_column(column)
    table.add_column("P(stays best)")
    best = summary[summary["rank"] == 1].head(top)
    for item in best.to_dict("records"):
        cells = (
            str(item["scenario"]),
            str(item["origin"]),
            str(item["destination"]),
            spread(float(item["time_h_p10"]), float(item["time_h_p90"])),
            number(item["time_h_p50"]),
            spread(float(item["cost_usd_per_t_p10"]), float(item["cost_usd_per_t_p90"])),
            number(item["p_best"], "{:.0%}"),
        )
        table.add_row(*(rich_text(cell) for cell in cells))
    return table
