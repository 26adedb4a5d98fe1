"""Scenario reports: HTML (with an inline SVG chart and an offline map), Markdown and JSON.

A report compares a scenario with its base over origin-destination pairs: what the scenario
changes, the best route and alternatives in both, the change in distance, time and cost, the leg
tables with their transfer, gauge and border steps, the parameters and assumptions used with
their sources, and context figures from the source documents. Every number comes from the
seeds: route figures are computed from them, facts are quoted from ``seeds/facts.yaml``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridors.analysis.compare import Comparison, compare
from corridors.atomic import write_together
from corridors.data.schema import Parameters
from corridors.network.build import Network
from corridors.render.format import number
from corridors.routing.places import PlaceQuery
from corridors.routing.results import Route, RouteSet
from corridors.routing.scenarios import BASE_SCENARIO, ScenarioNetwork

__all__ = [
    "Report",
    "build_report",
    "chart_svg",
    "default_pairs",
    "write_all_reports",
    "write_report",
]


@dataclass(frozen=True)
class Report:
    """A scenario report, ready to render.

    Attributes
    ----------
    network
        The network it was computed on.
    comparison
        The scenario against its base over the pairs.
    """

    network: Network
    comparison: Comparison

    @property
    def scenario(self) -> str:
        """The scenario's name."""
        return self.comparison.scenario


def default_pairs(network: Network) -> list[tuple[str, str]]:
    """Return the default origin-destination pairs of ``seeds/od_pairs.yaml``.

    Parameters
    ----------
    network
        The built network.

    Returns
    -------
    list of tuple
        ``(origin, destination)`` node ids.
    """
    return [(pair.origin, pair.destination) for pair in network.seeds.od_pairs]


def build_report(
    network: Network,
    scenario: str | ScenarioNetwork,
    *,
    base: str | ScenarioNetwork = BASE_SCENARIO,
    pairs: Sequence[tuple[PlaceQuery, PlaceQuery]] | None = None,
    weight: str = "generalised",
    alternatives: int = 3,
    **route_options: Any,
) -> Report:
    """Compute a scenario report.

    Parameters
    ----------
    network
        The built network.
    scenario, base
        Scenario names.
    pairs
        Origin-destination places (default: :func:`default_pairs`).
    weight, alternatives
        As for :func:`corridors.routing.route`.
    **route_options
        Passed on to :func:`corridors.compare` (``modes``, ``statuses``, ``avoid``, ...).

    Returns
    -------
    Report
        Render it with :func:`write_report`.

    Raises
    ------
    UnknownPlace, UnknownScenario
        Before anything is computed or written.
    """
    chosen = list(pairs) if pairs is not None else default_pairs(network)
    comparison = compare(
        network,
        scenario,
        chosen,
        base=base,
        weight=weight,
        alternatives=alternatives,
        **route_options,
    )
    return Report(network=network, comparison=comparison)


# ---------------------------------------------------------------------------- view data


def _n(value: float | None, digits: int = 1) -> str:
    return number(value, f"{{:,.{digits}f}}")


def _signed(value: float | None, digits: int = 1) -> str:
    return number(value, f"{{:+,.{digits}f}}")


def _totals(routes: RouteSet | None) -> dict[str, str]:
    if routes is None:
        return {"length_km": "", "time_h": "", "cost_usd_per_t": ""}
    best = routes.best
    return {
        "length_km": _n(best.length_km, 0),
        "time_h": _n(best.time_h),
        "cost_usd_per_t": _n(best.cost_usd_per_t),
    }


def _route_row(route: Route) -> dict[str, str]:
    summary = route.summary()
    return {
        "label": f"#{route.rank} {route.label}"
        if route.label in {"best", "alternative"}
        else route.label,
        "length_km": _n(route.length_km, 0),
        "time_h": _n(route.time_h),
        "cost_usd_per_t": _n(route.cost_usd_per_t),
        "modes": "+".join(summary["modes"]),
        "km_by_country": ", ".join(f"{k} {v:,.0f}" for k, v in summary["km_by_country"].items()),
        "steps": ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in summary["steps"].items()),
    }


def _items(route: Route) -> list[dict[str, str]]:
    rows = []
    for row in route.to_frame().to_dict("records"):
        is_leg = row["kind"] == "leg"
        gauge = row["gauge_mm"]
        rows.append(
            {
                "kind": str(row["kind"]).replace("_", " "),
                "at": str(row["from"] if is_leg else row["at"]),
                "to": str(row["to"]),
                "mode": str(row["mode"]),
                "gauge": number(gauge, "{:.0f}"),
                "countries": str(row["countries"]),
                "length_km": _n(row["length_km"]) if is_leg else "",
                "time_h": _n(row["time_h"]),
                "cost_usd_per_t": _n(row["cost_usd_per_t"], 2),
                "description": str(row["description"]),
                "sources": str(row["sources"]).replace(";", ", "),
            }
        )
    return rows


def _side(title: str, routes: RouteSet | None, reason: str) -> dict[str, Any]:
    if routes is None:
        return {"title": title, "routes": [], "lines": [], "reason": reason}
    shown = [
        *routes.routes,
        *(
            r
            for label, r in routes.by_mode.items()
            if all(r.node_ids != x.node_ids for x in routes.routes)
        ),
    ]
    return {
        "title": title,
        "routes": [_route_row(r) for r in shown],
        "lines": _items(routes.best),
        "reason": "",
    }


def _parameter_rows(parameters: Parameters, titles: dict[str, str]) -> list[dict[str, str]]:
    def source(source_id: str) -> str:
        return titles.get(source_id, source_id)

    rows = [
        {
            "name": "Value of time (US$ per tonne-hour)",
            "value": f"{parameters.value_of_time_usd_per_t_h.value:g}",
            "source": source(parameters.value_of_time_usd_per_t_h.source),
            "note": parameters.value_of_time_usd_per_t_h.note,
        }
    ]
    for speed in parameters.speeds:
        status = f", {speed.status.value}" if speed.status else ""
        rows.append(
            {
                "name": f"Speed, {speed.mode.value}{status} (km/h)",
                "value": f"{speed.km_h:g}",
                "source": source(speed.source),
                "note": speed.note,
            }
        )
    for tariff in parameters.tariffs:
        rows.append(
            {
                "name": f"Tariff, {tariff.mode.value}, {tariff.country} (US$/t-km)",
                "value": f"{tariff.usd_per_t_km:g}",
                "source": source(tariff.source),
                "note": tariff.note,
            }
        )
    for transfer in parameters.transfers:
        rows.append(
            {
                "name": f"Transfer {transfer.from_mode.value} to {transfer.to_mode.value}",
                "value": f"{transfer.time_h:g} h, US${transfer.cost_usd_per_t:g}/t",
                "source": source(transfer.source),
                "note": transfer.note,
            }
        )
    gauge = parameters.break_of_gauge
    rows.append(
        {
            "name": "Break of gauge",
            "value": f"{gauge.time_h:g} h, US${gauge.cost_usd_per_t:g}/t",
            "source": source(gauge.source),
            "note": gauge.note,
        }
    )
    for default in parameters.border_defaults:
        rows.append(
            {
                "name": f"Border crossing, default for {default.mode.value}",
                "value": f"{default.dwell_h:g} h, US${default.cost_usd_per_t:g}/t",
                "source": source(default.source),
                "note": default.note,
            }
        )
    for crossing in parameters.border_crossings:
        rows.append(
            {
                "name": f"Border: {crossing.name}",
                "value": f"{crossing.forward.dwell_h:g} h / {crossing.reverse.dwell_h:g} h",
                "source": source(crossing.source),
                "note": crossing.note,
            }
        )
    return rows


def report_view(report: Report, *, map_html: str = "") -> dict[str, Any]:
    """Return the data a report's templates render (plain strings and lists).

    Parameters
    ----------
    report
        The report.
    map_html
        The comparison map's HTML, embedded in the HTML report.

    Returns
    -------
    dict
        Title, description, changes, pairs, parameters, facts and sources.
    """
    network = report.network
    comparison = report.comparison
    applied = comparison.scenario_network
    scenario = applied.scenario
    links = applied.network.links
    seeds = network.seeds
    titles = {s.id: s.title for s in seeds.sources.values()}
    pairs = []
    cited: set[str] = set()
    for pair in comparison.pairs:
        delta = pair.delta() or {}
        label = f"{pair.origin.name} to {pair.destination.name}"
        for answer in (pair.base, pair.scenario):
            if answer is not None:
                for leg in answer.best.legs:
                    cited.update(leg.sources)
        pairs.append(
            {
                "label": label,
                "note": pair.note,
                "why": pair.why(),
                "outcome": pair.outcome,
                "base": _totals(pair.base),
                "scenario": _totals(pair.scenario),
                "delta_time_h": _signed(delta.get("time_h")),
                "delta_cost_usd_per_t": _signed(delta.get("cost_usd_per_t")),
                "time_class": _direction(delta.get("time_h")),
                "cost_class": _direction(delta.get("cost_usd_per_t")),
                "sides": [
                    _side(f"In '{comparison.base}'", pair.base, pair.base_reason),
                    _side(f"In '{comparison.scenario}'", pair.scenario, pair.scenario_reason),
                ],
            }
        )
    changes = []
    for change in comparison.link_changes:
        row = links.loc[change.link_id]
        cited.update(row["sources"])
        changes.append(
            {
                "link_id": change.link_id,
                "name": row["name"],
                "change": change.change,
                "before": change.before.replace("_", " "),
                "after": change.after.replace("_", " "),
                "length_km": _n(float(row["route_length_km"])),
            }
        )
    parameters = applied.parameters
    cited.update(parameters.cited_sources())
    facts = []
    for fact in seeds.facts.values():
        cited.add(fact.source)
        figure = "" if fact.value is None else f"{fact.value:g} {fact.unit or ''}".strip()
        facts.append(
            {
                "topic": fact.topic,
                "statement": fact.statement,
                "figure": figure,
                "source": fact.source,
                "date": fact.date or "",
            }
        )
    if scenario is not None:
        cited.update(scenario.sources)
    sources = [
        {
            "id": s.id,
            "title": s.title,
            "publisher": s.publisher,
            "date": s.date or "",
            "licence": s.licence or "",
            "url": s.url if (s.url or "").startswith(("http://", "https://")) else "",
        }
        for s in seeds.sources.values()
        if s.id in cited
    ]
    return {
        "title": f"Scenario report: {scenario.title if scenario else comparison.scenario}",
        "description": scenario.description if scenario else "",
        "scenario": comparison.scenario,
        "base": comparison.base,
        "weight": comparison.weight,
        "value_of_time": f"{comparison.value_of_time_usd_per_t_h:g}",
        "changes": changes,
        "pairs": pairs,
        "parameters": _parameter_rows(parameters, titles),
        "facts": facts,
        "sources": sources,
        "map_html": map_html,
    }


def _direction(value: float | None) -> str:
    if value is None or abs(value) < 1e-9:
        return ""
    return "better" if value < 0 else "worse"


def chart_view(report: Report) -> dict[str, Any]:
    """Geometry of the report's bar chart: best-route hours and US$/t, base and scenario.

    Parameters
    ----------
    report
        The report.

    Returns
    -------
    dict
        ``width``, ``height``, ``panels`` (each with bars and labels), ``base``, ``scenario``.
    """
    comparison = report.comparison
    label_width, bar_area, bar_height, gap = 230, 260, 9, 8
    panel_width = label_width + bar_area + 70
    rows = len(comparison.pairs)
    height = 30 + rows * (2 * bar_height + gap) + 10
    panels = []
    for index, (title, key, unit, digits) in enumerate(
        (("Time (h)", "time_h", "h", 1), ("Cost (US$/t)", "cost_usd_per_t", "$/t", 1))
    ):
        values = [
            (
                getattr(pair.base.best, key) if pair.base else None,
                getattr(pair.scenario.best, key) if pair.scenario else None,
            )
            for pair in comparison.pairs
        ]
        top = max([v for pair in values for v in pair if v is not None] or [1.0])
        x0 = index * panel_width
        bars, labels = [], []
        for row, (pair, (before, after)) in enumerate(zip(comparison.pairs, values, strict=True)):
            y = 24 + row * (2 * bar_height + gap)
            labels.append(
                {
                    "x": x0 + label_width - 6,
                    "y": y + bar_height + 3,
                    "text": f"{pair.origin.name} to {pair.destination.name}",
                }
            )
            for offset, (value, colour, name) in enumerate(
                ((before, "#5d6d7e", comparison.base), (after, "#c0392b", comparison.scenario))
            ):
                width = 0.0 if value is None else bar_area * value / top
                bars.append(
                    {
                        "x": x0 + label_width,
                        "y": y + offset * bar_height,
                        "width": round(width, 1),
                        "height": bar_height - 1,
                        "colour": colour,
                        "value": "no route" if value is None else f"{value:,.{digits}f} {unit}",
                        "tip": f"{name}: "
                        + ("no route" if value is None else f"{value:,.{digits}f} {unit}"),
                    }
                )
        panels.append({"x": x0 + label_width, "title": title, "bars": bars, "labels": labels})
    return {
        "width": 2 * panel_width,
        "height": height,
        "panels": panels,
        "base": comparison.base,
        "scenario": comparison.scenario,
    }


def chart_svg(report: Report) -> str:
    """Return the report's bar chart (best-route hours and US$/t, base and scenario) as SVG.

    Parameters
    ----------
    report
        The report.

    Returns
    -------
    str
        An ``<svg>`` element; show it in a notebook with ``IPython.display.SVG``.
    """
    from corridors.render.report_templates import render_chart  # noqa: PLC0415

    return render_chart(chart_view(report))


# ---------------------------------------------------------------------------- writing


def _map_html(report: Report) -> str:
    from corridors.render.maps import comparison_map  # noqa: PLC0415
    from corridors.render.offline import inline_assets  # noqa: PLC0415

    folium_map = comparison_map(report.network, report.comparison)
    return inline_assets(folium_map.get_root().render())


def write_report(report: Report, path: Path | str) -> list[Path]:
    """Write a report as HTML at ``path``, with Markdown and JSON beside it.

    All three files are written to a temporary folder and moved into place only when every one
    is complete, so a failure never leaves a partial report.

    Parameters
    ----------
    report
        The report.
    path
        The HTML file; ``.md`` and ``.json`` files with the same stem are written beside it.

    Returns
    -------
    list of pathlib.Path
        The HTML, Markdown and JSON files.
    """
    from corridors.render.report_templates import (  # noqa: PLC0415
        render_report_html,
        render_report_markdown,
    )

    target = Path(path)
    view = report_view(report, map_html=_map_html(report))
    contents = {
        target: render_report_html(view, chart_view(report)),
        target.with_suffix(".md"): render_report_markdown(view),
        target.with_suffix(".json"): json.dumps(
            {
                "report": {k: v for k, v in view.items() if k != "map_html"},
                "comparison": report.comparison.to_dict(),
            },
            indent=2,
            ensure_ascii=False,
            allow_nan=False,
        ),
    }
    return write_together(contents)


def write_all_reports(
    network: Network,
    out_dir: Path | str,
    *,
    scenarios: Iterable[str] | None = None,
    pairs: Sequence[tuple[str, str]] | None = None,
    on_done: Callable[[str], None] | None = None,
    **report_options: Any,
) -> Path:
    """Write a report for every scenario (against its base) and an index page linking them.

    Parameters
    ----------
    network
        The built network.
    out_dir
        Folder for ``<scenario>.html|.md|.json`` and ``index.html``.
    scenarios
        Scenario names (default: every scenario in ``seeds/scenarios/``; one without a base
        is reported against itself, as a baseline of routes today).
    pairs
        Origin-destination pairs (default: :func:`default_pairs`).
    on_done
        Called with each scenario's name when its report is written (for progress bars).
    **report_options
        Passed on to :func:`build_report` (``weight``, ``alternatives``, ``modes``,
        ``avoid``, ...).

    Returns
    -------
    pathlib.Path
        The index page.
    """
    from corridors.render.report_templates import render_index  # noqa: PLC0415

    folder = Path(out_dir)
    chosen = list(scenarios) if scenarios is not None else sorted(network.seeds.scenarios)
    entries = []
    for name in chosen:
        scenario = network.seeds.scenarios[name]
        base = scenario.base or BASE_SCENARIO
        report = build_report(network, name, base=base, pairs=pairs, **report_options)
        write_report(report, folder / f"{name}.html")
        entries.append(
            {
                "title": scenario.title,
                "base": base,
                "description": scenario.description,
                "html": f"{name}.html",
                "markdown": f"{name}.md",
                "json": f"{name}.json",
            }
        )
        if on_done is not None:
            on_done(name)
    return write_together({folder / "index.html": render_index(entries)})[0]
