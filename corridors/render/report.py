"""Scenario reports: HTML (with an inline SVG chart and an offline map), Markdown, JSON and PDF.

A report compares a scenario with its base over origin-destination pairs. It opens with an
executive summary (the scenario in two sentences, the three largest changes and what drives
each, a headline chart), then the map, the pairs that change, the links the scenario changes,
the transport context from the source documents, and the citations. Pairs that do not change,
the leg tables (with their transfer, gauge and border steps) and the parameters are in an
appendix. The base scenario itself gets a baseline report: today's routes, with no before and
after columns. Every number comes from the seeds: route figures are computed from them, facts
are quoted from ``seeds/facts.yaml``.

The JSON file holds the one structured view the HTML and Markdown pages are rendered from, with
numbers as numbers; pages format them with :func:`corridors.render.format.number`.
"""

from __future__ import annotations

import math
import re
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring as _quote
from pathlib import Path
from typing import Any

from corridors.analysis.calibrate import Calibration, stored_calibration
from corridors.analysis.compare import Comparison, PairComparison, RouteSets, compare
from corridors.atomic import write_together
from corridors.data.schema import Parameters, Source
from corridors.errors import CorridorsError
from corridors.network.build import Network
from corridors.render import lookup
from corridors.render.format import web_address
from corridors.routing.places import Place, PlaceQuery
from corridors.routing.results import Leg, Route, RouteSet
from corridors.routing.scenarios import BASE_SCENARIO, ScenarioNetwork

__all__ = [
    "TRANSPORT_TOPICS",
    "PdfUnavailable",
    "Report",
    "build_report",
    "chart_svg",
    "chart_view",
    "default_pairs",
    "html_to_pdf",
    "report_view",
    "summary_sentences",
    "transport_fact",
    "write_all_reports",
    "write_report",
    "write_report_pdf",
]

#: Words that mark a fact's topic as transport context (trade volumes, ports, rail, roads,
#: borders, infrastructure); facts on other topics (energy, education, ...) are left out.
TRANSPORT_TOPICS = (
    "transport",
    "trade",
    "port",
    "rail",
    "road",
    "border",
    "freight",
    "logistic",
    "transit",
    "infrastructure",
    "corridor",
    "shipping",
    "ferry",
)
_TOTALS = ("length_km", "time_h", "cost_usd_per_t", "generalised_cost")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
#: Headless Chromium for PDF export: Debian's ``chromium`` on the PATH, else /usr/bin/chromium.
_CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: Chromium flags for headless printing, as the browser tests use them.
_CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


class PdfUnavailable(CorridorsError):
    """A PDF was asked for but headless Chromium (or playwright) is not installed."""


@dataclass(frozen=True)
class Report:
    """A scenario report, ready to render.

    Attributes
    ----------
    network
        The network it was computed on.
    comparison
        The scenario against its base over the pairs.
    calibration
        The model held against ``seeds/observations.yaml`` (scenario ``current``), for the
        appendix; None when the seeds have no observations.
    reliability
        Per pair, with ``build_report(..., samples=N)``: P10-P90 of both sides, the probability
        that the scenario improves the pair, the verdict, and the tornado of the scenario's best
        route; empty otherwise.
    """

    network: Network
    comparison: Comparison
    calibration: Calibration | None = None
    reliability: tuple[dict[str, Any], ...] = ()

    @property
    def scenario(self) -> str:
        """The scenario's name."""
        return self.comparison.scenario

    @property
    def baseline(self) -> bool:
        """True when the scenario is its own base: a report of today's routes."""
        return self.comparison.scenario == self.comparison.base


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
    samples: int = 0,
    seed: int = 0,
    route_sets: RouteSets | None = None,
    **route_options: Any,
) -> Report:
    """Compute a scenario report.

    Parameters
    ----------
    network
        The built network.
    scenario, base
        Scenario names; when they are the same the report is a baseline of today's routes.
    pairs
        Origin-destination places (default: :func:`default_pairs`).
    weight, alternatives
        As for :func:`corridors.routing.route`.
    samples, seed
        With ``samples``, Monte Carlo samples of the uncertain parameters (``uncertainty.yaml``):
        the report gains a reliability section.
    route_sets
        Route sets to reuse and add to (see :class:`corridors.analysis.compare.RouteSets`):
        reports of many scenarios against one base route the base once.
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
        route_sets=route_sets,
        **route_options,
    )
    reliability = _reliability(comparison, samples=samples, seed=seed) if samples else ()
    return Report(
        network=network,
        comparison=comparison,
        calibration=model_calibration(network),
        reliability=reliability,
    )


def _reliability(comparison: Comparison, *, samples: int, seed: int) -> tuple[dict[str, Any], ...]:
    """Per pair: P10-P90 of both sides, P(improves), the verdict and the scenario's tornado."""
    from corridors.analysis.uncertainty import (  # noqa: PLC0415
        comparison_reliability,
        scenario_ranges,
        sensitivity,
    )
    from corridors.analysis.uncertainty.reliability import uncertain_weight  # noqa: PLC0415
    from corridors.data.uncertainty import load_uncertainty  # noqa: PLC0415

    uncertainty = load_uncertainty(comparison.scenario_network.base.seeds)
    weight = uncertain_weight(comparison.weight)
    ranges = scenario_ranges(comparison.scenario_network, uncertainty)
    rows = []
    for item in comparison_reliability(comparison, uncertainty, samples=samples, seed=seed):
        row = {**item.to_dict(), "samples": samples, "seed": seed, "tornado": []}
        side = item.pair.scenario
        if side is not None:
            bars = sensitivity([side.best], ranges, weight).bars[0][:8]
            row["tornado"] = [bar.to_dict() for bar in bars]
            row["tornado_bars"] = bars
        rows.append(row)
    return tuple(rows)


#: Calibrations already computed, by the seeds' content: one per process for many reports.
_CALIBRATIONS: dict[str, Calibration] = {}


def model_calibration(network: Network) -> Calibration | None:
    """Return the model against its observations in ``current``, computed once per seeds.

    Parameters
    ----------
    network
        The built network.

    Returns
    -------
    Calibration or None
        None when the seeds hold no observations.
    """
    observations = network.seeds.observations
    if not observations:
        return None
    key = network.seeds.content_key
    if key not in _CALIBRATIONS:
        _CALIBRATIONS.clear()
        _CALIBRATIONS[key] = stored_calibration(network)
    return _CALIBRATIONS[key]


def transport_fact(topic: str) -> bool:
    """Whether a fact's topic is transport context for a report.

    Parameters
    ----------
    topic
        The fact's ``topic`` in ``seeds/facts.yaml``.

    Returns
    -------
    bool
        True for topics about transport, trade volumes and infrastructure.

    Examples
    --------
    >>> transport_fact("rail freight"), transport_fact("trade (regional)"), transport_fact("energy")
    (True, True, False)
    """
    lowered = topic.lower()
    return any(word in lowered for word in TRANSPORT_TOPICS)


def summary_sentences(text: str, count: int = 2) -> str:
    """Return the first sentences of a text.

    Parameters
    ----------
    text
        A description.
    count
        How many sentences.

    Returns
    -------
    str
        The first ``count`` sentences, whitespace normalised.

    Examples
    --------
    >>> summary_sentences("One. Two three. Four.")
    'One. Two three.'
    """
    sentences = _SENTENCE_END.split(" ".join(text.split()))
    return " ".join(sentences[:count])


# ---------------------------------------------------------------------------- view data


def _citation(source: Source) -> str:
    """Cite a source as ``publisher, title, date``."""
    return ", ".join(part for part in (source.publisher, source.title, source.date or "") if part)


def _url(source: Source) -> str:
    return web_address(source.url)


class _Citations:
    """Numbers sources in the order a report first cites them."""

    def __init__(self, sources: dict[str, Source]) -> None:
        self.known = sources
        self.order: list[str] = []

    def ref(self, source_id: str) -> int:
        if source_id not in self.order:
            self.order.append(source_id)
        return self.order.index(source_id) + 1

    def cite(self, source_id: str) -> dict[str, Any]:
        source = self.known.get(source_id)
        return {
            "ref": self.ref(source_id),
            "text": _citation(source) if source is not None else source_id,
            "url": _url(source) if source is not None else "",
        }

    def listing(self) -> list[dict[str, Any]]:
        rows = []
        for number_, source_id in enumerate(self.order, start=1):
            source = self.known.get(source_id)
            rows.append(
                {
                    "ref": number_,
                    "id": source_id,
                    "publisher": source.publisher if source else "",
                    "title": source.title if source else source_id,
                    "date": (source.date or "") if source else "",
                    "url": _url(source) if source else "",
                    "licence": (source.licence or "") if source else "",
                    "citation": _citation(source) if source else source_id,
                }
            )
        return rows


def _place(place: Place) -> dict[str, str]:
    return {"node_id": place.node_id, "name": place.name, "query": str(place.query)}


def _name(network: Network, node_id: str) -> str:
    return str(lookup.column(network.nodes, "name").get(node_id, node_id))


def _totals(route: Route) -> dict[str, Any]:
    return {key: round(float(getattr(route, key)), 3) for key in _TOTALS}


#: Node kinds a route's ``via`` names (with its two ends): the places a reader knows.
_VIA_KINDS = {"seaport", "border_crossing", "city"}


def _via(network: Network, node_ids: Sequence[str]) -> list[str]:
    """Name a route's ends and the ports, border crossings and cities it passes."""
    kinds = lookup.column(network.nodes, "kind")
    return [
        _name(network, node)
        for index, node in enumerate(node_ids)
        if index in {0, len(node_ids) - 1} or kinds.get(node) in _VIA_KINDS
    ]


def _route_row(network: Network, route: Route) -> dict[str, Any]:
    summary = route.summary()
    return {
        "label": f"#{route.rank} {route.label}"
        if route.label in {"best", "alternative"}
        else route.label,
        **_totals(route),
        "modes": list(summary["modes"]),
        "km_by_country": {k: round(float(v), 1) for k, v in summary["km_by_country"].items()},
        "steps": {k.replace("_", " "): int(v) for k, v in summary["steps"].items()},
        "via": _via(network, route.node_ids),
        "carec": route.carec(),
    }


def _items(network: Network, route: Route, citations: _Citations) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for item in route.items:
        if isinstance(item, Leg):
            rows.append(
                {
                    "kind": "leg",
                    "from": _name(network, item.from_id),
                    "to": _name(network, item.to_id),
                    "link_id": item.link_id,
                    "mode": item.mode,
                    "gauge_mm": item.gauge_mm,
                    "countries": list(item.countries),
                    "length_km": round(item.length_km, 3),
                    "time_h": round(item.time_h, 3),
                    "cost_usd_per_t": round(item.cost_usd_per_t, 3),
                    "description": item.name,
                    "sources": [citations.ref(s) for s in item.sources],
                }
            )
        else:
            rows.append(
                {
                    "kind": item.kind.replace("_", " "),
                    "from": _name(network, item.at),
                    "to": "",
                    "link_id": item.link_id,
                    "mode": "",
                    "gauge_mm": None,
                    "countries": [],
                    "length_km": None,
                    "time_h": round(item.time_h, 3),
                    "cost_usd_per_t": round(item.cost_usd_per_t, 3),
                    "description": item.description,
                    "sources": [citations.ref(source) for source in item.sources],
                }
            )
    return rows


def _side(
    network: Network, title: str, routes: RouteSet | None, reason: str, citations: _Citations
) -> dict[str, Any]:
    if routes is None:
        return {"title": title, "best": None, "routes": [], "legs": [], "reason": reason}
    best, shown = _route_rows(network, routes)
    return {
        "title": title,
        "best": best,
        "routes": shown,
        "legs": _items(network, routes.best, citations),
        "reason": "",
    }


#: Route sets whose rows are kept with a network, at most (a batch of reports shows each
#: base route set in every report against that base).
_KEPT_ROUTE_SETS = 4096


def _route_rows(network: Network, routes: RouteSet) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return the best route's row and the rows of every route shown, once per route set.

    The routes shown are the alternatives, then the best per mode combination that differs
    from them.
    """
    kept = lookup.derived(network.nodes, "report route rows")
    found = kept.get(id(routes))
    if found is None or found[0] is not routes:
        shown = [
            *routes.routes,
            *(
                r
                for r in routes.by_mode.values()
                if all(r.node_ids != x.node_ids for x in routes.routes)
            ),
        ]
        if len(kept) >= _KEPT_ROUTE_SETS:
            kept.clear()
        found = kept[id(routes)] = (
            routes,
            _route_row(network, routes.best),
            [_route_row(network, r) for r in shown],
        )
    return found[1], found[2]


def _percent(before: float | None, change: float | None) -> float | None:
    if before is None or change is None or abs(before) < 1e-9:
        return None
    return round(100.0 * change / before, 1)


def _drivers(pair: PairComparison, changed: dict[str, str]) -> list[str]:
    """Say which of the scenario's link changes lie on either side's best route."""
    on_route: list[str] = []
    for answer in (pair.scenario, pair.base):
        if answer is None:
            continue
        for leg in answer.best.legs:
            if leg.link_id in changed and changed[leg.link_id] not in on_route:
                on_route.append(changed[leg.link_id])
    return on_route


def _pair(
    network: Network,
    comparison: Comparison,
    pair: PairComparison,
    changed: dict[str, str],
    citations: _Citations,
    *,
    baseline: bool,
) -> dict[str, Any]:
    delta = pair.delta()
    base_best = pair.base.best if pair.base is not None else None
    percent = (
        {key: _percent(getattr(base_best, key), delta[key]) for key in _TOTALS}
        if delta is not None and base_best is not None
        else None
    )
    scenario_side = _side(
        network,
        f"Today ({comparison.base})" if baseline else f"In '{comparison.scenario}'",
        pair.scenario,
        pair.scenario_reason,
        citations,
    )
    view: dict[str, Any] = {
        "label": f"{pair.origin.name} to {pair.destination.name}",
        "origin": _place(pair.origin),
        "destination": _place(pair.destination),
        "note": pair.note,
        "outcome": pair.outcome,
        "changed": pair.outcome not in {"unchanged", "not connected"},
        "why": pair.why(),
        "drivers": _drivers(pair, changed),
        "delta": delta,
        "delta_percent": percent,
        "scenario": scenario_side,
    }
    if not baseline:
        view["base"] = _side(
            network, f"In '{comparison.base}'", pair.base, pair.base_reason, citations
        )
    return view


def _value(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit}


def _parameter_rows(parameters: Parameters, citations: _Citations) -> list[dict[str, Any]]:
    def row(name: str, values: list[dict[str, Any]], source: str, note: str) -> dict[str, Any]:
        return {"name": name, "values": values, "source": citations.cite(source), "note": note}

    vot = parameters.value_of_time_usd_per_t_h
    rows = [row("Value of time", [_value(vot.value, "US$ per tonne-hour")], vot.source, vot.note)]
    for speed in parameters.speeds:
        where = ", ".join(
            part
            for part in (
                speed.country,
                speed.status.value if speed.status else None,
                " + ".join(speed.links) if speed.links else None,
            )
            if part
        )
        rows.append(
            row(
                f"Speed, {speed.mode.value}" + (f", {where}" if where else ""),
                [_value(speed.km_h, "km/h")],
                speed.source,
                speed.note,
            )
        )
    for tariff in parameters.tariffs:
        scope = (
            " + ".join(tariff.links)
            if tariff.links
            else ("all countries" if tariff.country == "*" else tariff.country)
        )
        unit = f", {tariff.unit.value}" if tariff.unit else ""
        price = (
            _value(tariff.usd_per_t, "US$/t per crossing")
            if tariff.usd_per_t is not None
            else _value(tariff.usd_per_t_km or 0.0, "US$/t-km")
        )
        rows.append(
            row(f"Tariff, {tariff.mode.value}, {scope}{unit}", [price], tariff.source, tariff.note)
        )
    for spec in parameters.cargo_units.units:
        marker = " (default)" if spec.unit is parameters.cargo_units.default else ""
        rows.append(
            row(
                f"Cargo unit, {spec.unit.value}{marker}",
                [_value(spec.payload_t, "t payload")],
                spec.source,
                spec.note,
            )
        )
    for transfer in parameters.transfers:
        at = f" at {transfer.node}" if transfer.node else ""
        unit = f", {transfer.unit.value}" if transfer.unit else ""
        rows.append(
            row(
                f"Transfer {transfer.from_mode.value} to {transfer.to_mode.value}{at}{unit}",
                [_value(transfer.time_h, "h"), _value(transfer.cost_usd_per_t, "US$/t")],
                transfer.source,
                transfer.note,
            )
        )
    gauge = parameters.break_of_gauge
    rows.append(
        row(
            "Break of gauge",
            [_value(gauge.time_h, "h"), _value(gauge.cost_usd_per_t, "US$/t")],
            gauge.source,
            gauge.note,
        )
    )
    for default in parameters.border_defaults:
        rows.append(
            row(
                f"Border side, default for {default.mode.value}",
                [_value(default.dwell_h, "h"), _value(default.cost_usd_per_t, "US$/t")],
                default.source,
                default.note,
            )
        )
    for entry in parameters.border_sides:
        at = f" at {entry.node}" if entry.node else ""
        rows.append(
            row(
                f"Border side, {entry.country} {entry.mode.value} {entry.direction.value}{at}",
                [_value(entry.dwell_h, "h"), _value(entry.cost_usd_per_t, "US$/t")],
                entry.source,
                entry.note,
            )
        )
    for crossing in parameters.border_crossings:
        rows.append(
            row(
                f"Border: {crossing.name} (forward / reverse dwell)",
                [_value(crossing.forward.dwell_h, "h"), _value(crossing.reverse.dwell_h, "h")],
                crossing.source,
                crossing.note,
            )
        )
    return rows


def _headline(pairs: list[dict[str, Any]], count: int = 3) -> list[dict[str, Any]]:
    """Pick the largest changes: newly connected or cut pairs first, then by percentage."""

    def size(pair: dict[str, Any]) -> float:
        percent = pair["delta_percent"]
        if percent is None:
            return float("inf")
        return float(max(abs(percent["time_h"] or 0.0), abs(percent["cost_usd_per_t"] or 0.0)))

    changed = [p for p in pairs if p["changed"]]
    ranked = sorted(changed, key=size, reverse=True)[:count]
    return [
        {
            "label": p["label"],
            "outcome": p["outcome"],
            "delta": p["delta"],
            "delta_percent": p["delta_percent"],
            "why": p["why"],
            "drivers": p["drivers"],
        }
        for p in ranked
    ]


def _link_changes(
    comparison: Comparison, citations: _Citations
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    links = comparison.scenario_network.network.links
    rows = []
    words: dict[str, str] = {}
    for change in comparison.link_changes:
        row = links.loc[change.link_id]
        before = change.before.replace("_", " ")
        after = change.after.replace("_", " ")
        if change.change == "gauge":
            text = f"{row['name']}: gauge {before or 'unpublished'} to {after} mm"
        else:
            text = f"{row['name']}: {before or 'new'} to {after or 'removed'}"
        words.setdefault(change.link_id, text)
        rows.append(
            {
                "link_id": change.link_id,
                "name": str(row["name"]),
                "change": change.change,
                "before": before,
                "after": after,
                "length_km": round(float(row["route_length_km"]), 1),
                "sources": [citations.ref(s) for s in row["sources"]],
            }
        )
    return rows, words


def report_view(report: Report, *, map_html: str = "") -> dict[str, Any]:
    """Return the structured data a report's pages render, with numbers as numbers.

    Parameters
    ----------
    report
        The report.
    map_html
        The comparison map's HTML, embedded in the HTML report (not part of the JSON).

    Returns
    -------
    dict
        ``title``, ``summary``, ``headline``, ``pairs`` (each with both sides' best route,
        alternatives and legs, place names and node ids), ``link_changes``, ``parameters``,
        ``facts`` and ``sources`` (numbered, each cited as publisher, title, date).
    """
    network = report.network
    comparison = report.comparison
    baseline = report.baseline
    applied = comparison.scenario_network
    scenario = applied.scenario
    seeds = network.seeds
    citations = _Citations(dict(seeds.sources))
    changes, words = _link_changes(comparison, citations)
    pairs = [
        _pair(network, comparison, pair, words, citations, baseline=baseline)
        for pair in comparison.pairs
    ]
    facts = [
        {
            "topic": fact.topic,
            "statement": fact.statement,
            "value": fact.value,
            "unit": fact.unit or "",
            "period": fact.period or "",
            "date": fact.date or "",
            "source": citations.cite(fact.source),
        }
        for fact in seeds.facts.values()
        if transport_fact(fact.topic)
    ]
    parameters = _parameter_rows(applied.parameters, citations)
    for source_id in scenario.sources if scenario is not None else []:
        citations.ref(source_id)
    description = scenario.description if scenario else ""
    title = scenario.title if scenario else comparison.scenario
    return {
        "title": f"{'Baseline report' if baseline else 'Scenario report'}: {title}",
        "scenario": comparison.scenario,
        "base": comparison.base,
        "baseline": baseline,
        "summary": summary_sentences(description),
        "description": description,
        "weight": comparison.weight,
        "value_of_time_usd_per_t_h": comparison.value_of_time_usd_per_t_h,
        "counts": _counts(pairs),
        "headline": [] if baseline else _headline(pairs),
        "link_changes": changes,
        "pairs": pairs,
        "parameters": parameters,
        "calibration": _calibration_view(report.calibration),
        "facts": facts,
        "sources": citations.listing(),
        "reliability": [
            {
                **{k: v for k, v in row.items() if k != "tornado_bars"},
                "label": pair["label"],
            }
            for row, pair in zip(report.reliability, pairs, strict=False)
        ],
        "map_html": map_html,
    }


#: The appendix view of the calibration last shown (every report of a run shows the same one).
_CALIBRATION_VIEW: list[tuple[Calibration, dict[str, Any]]] = []


def _calibration_view(calibration: Calibration | None) -> dict[str, Any] | None:
    """Return the calibration summary for the appendix: shares within tolerance, MAPE."""
    if calibration is None:
        return None
    for known, view in _CALIBRATION_VIEW:
        if known is calibration:
            return view
    data = calibration.to_dict()
    view = {
        "scenario": data["scenario"],
        "time_tolerance_pct": round(100 * data["time_tolerance"]),
        "cost_tolerance_pct": round(100 * data["cost_tolerance"]),
        "compared": data["compared"],
        "share_within_pct": round(100 * data["share_within"]),
        "share_within_out_of_sample_pct": round(100 * data["share_within_out_of_sample"]),
        "share_within_all_years_pct": round(100 * data["share_within_all_years"]),
        "summary": [row for row in data["summary"] if row["compared"]],
    }
    _CALIBRATION_VIEW[:] = [(calibration, view)]
    return view


def _counts(pairs: list[dict[str, Any]]) -> dict[str, int]:
    outcomes = ("improved", "worse", "newly connected", "disconnected", "unchanged")
    counts = dict.fromkeys((*outcomes, "not connected"), 0)
    for pair in pairs:
        counts[pair["outcome"]] = counts.get(pair["outcome"], 0) + 1
    return counts


# ---------------------------------------------------------------------------- chart


def _chart_pairs(report: Report, limit: int) -> list[PairComparison]:
    pairs = list(report.comparison.pairs)
    if report.baseline:
        return [p for p in pairs if p.scenario is not None][:limit]

    def size(pair: PairComparison) -> float:
        delta = pair.delta()
        if pair.base is None or pair.scenario is None or delta is None:
            return float("inf")
        return max(
            abs(delta["time_h"]) / max(pair.base.best.time_h, 1e-9),
            abs(delta["cost_usd_per_t"]) / max(pair.base.best.cost_usd_per_t, 1e-9),
        )

    changed = [p for p in pairs if p.outcome not in {"unchanged", "not connected"}]
    chosen = sorted(changed, key=size, reverse=True)[:limit]
    return [p for p in pairs if p in chosen]


def chart_view(report: Report, *, limit: int = 10) -> dict[str, Any]:
    """Geometry of the headline bar chart: best-route hours and US$/t, base and scenario.

    The chart shows the pairs that change (at most ``limit``, the largest changes); a baseline
    report charts today's routes.

    Parameters
    ----------
    report
        The report.
    limit
        Most pairs shown.

    Returns
    -------
    dict
        ``width``, ``height``, ``panels`` (each with bars and labels), ``series`` (name and
        colour of each bar of a pair).
    """
    comparison = report.comparison
    pairs = _chart_pairs(report, limit)
    series = (
        [(comparison.scenario, "scenario", "#6a1b9a")]
        if report.baseline
        else [
            (comparison.base, "base", "#00897b"),
            (comparison.scenario, "scenario", "#6a1b9a"),
        ]
    )
    label_width, bar_area, bar_height, gap = 290, 210, 10, 8
    panel_width = label_width + bar_area + 80
    per_row = len(series) * bar_height + gap
    height = 30 + max(len(pairs), 1) * per_row + 28
    panels = []
    for index, (title, key, unit) in enumerate(
        (("Time (h)", "time_h", "h"), ("Cost (US$/t)", "cost_usd_per_t", "US$/t"))
    ):
        values = [
            [
                getattr(getattr(pair, attribute).best, key)
                if getattr(pair, attribute) is not None
                else None
                for _, attribute, _ in series
            ]
            for pair in pairs
        ]
        top = max([v for row in values for v in row if v is not None] or [1.0])
        x0 = index * panel_width
        bars, labels = [], []
        for row, (pair, row_values) in enumerate(zip(pairs, values, strict=True)):
            y = 24 + row * per_row
            labels.append(
                {
                    "x": x0 + label_width - 6,
                    "y": y + len(series) * bar_height / 2 + 4,
                    "text": f"{pair.origin.name} to {pair.destination.name}",
                }
            )
            for offset, (value, (name, _, colour)) in enumerate(
                zip(row_values, series, strict=True)
            ):
                width = 0.0 if value is None else bar_area * value / top
                shown = "no route" if value is None else f"{value:,.1f} {unit}"
                bars.append(
                    {
                        "x": x0 + label_width,
                        "y": y + offset * bar_height,
                        "width": round(width, 1),
                        "height": bar_height - 1,
                        "colour": colour,
                        "value": shown,
                        "tip": f"{name}: {shown}",
                    }
                )
        panels.append({"x": x0 + label_width, "title": title, "bars": bars, "labels": labels})
    return {
        "width": 2 * panel_width,
        "height": height,
        "panels": panels,
        "series": [{"name": name, "colour": colour} for name, _, colour in series],
        "empty": not pairs,
    }


def chart_svg(report: Report) -> str:
    """Return the report's headline bar chart (best-route hours and US$/t) as SVG.

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


def _json(view: dict[str, Any]) -> str:
    data = {key: value for key, value in view.items() if key != "map_html"}
    return _indented_json(data)


def _indented_json(value: Any) -> str:
    """Return ``json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)``, faster.

    The standard library encodes indented JSON with nested Python generators (only compact
    JSON has its C encoder); a report's view is large, so here the text is appended to one
    list as the value is walked. Strings are quoted by the standard library's own C function.
    """
    writer = _JsonWriter()
    writer.write(value, 0)
    return "".join(writer.parts)


def _finite(number: float) -> str:
    if not math.isfinite(number):
        message = f"Out of range float values are not JSON compliant: {number!r}"
        raise ValueError(message)
    return float.__repr__(number)


def _key_text(key: object) -> str:
    """Return a dictionary key as JSON writes it: text, a number, ``true``, ``false``, ``null``."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _finite(key)
    if isinstance(key, bool) or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    if isinstance(key, int):
        return int.__repr__(key)
    message = f"keys must be str, int, float, bool or None, not {type(key).__name__}"
    raise TypeError(message)


class _JsonWriter:
    """Indented JSON text (two spaces), appended to :attr:`parts` as a value is walked."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.indents = ["\n"]

    def indent(self, level: int) -> str:
        while len(self.indents) <= level:
            self.indents.append(self.indents[-1] + "  ")
        return self.indents[level]

    def write(self, item: Any, level: int) -> None:  # noqa: PLR0912 - one branch per JSON type
        kind = type(item)
        if kind is str:  # the most common values first, by their exact type
            self.parts.append(_quote(item))
        elif kind is float:
            self.parts.append(_finite(item))
        elif kind is dict:
            self.write_dict(item, level)
        elif kind is list:
            self.write_list(item, level)
        elif isinstance(item, str):
            self.parts.append(_quote(item))
        elif item is None:
            self.parts.append("null")
        elif item is True:
            self.parts.append("true")
        elif item is False:
            self.parts.append("false")
        elif isinstance(item, int):
            self.parts.append(int.__repr__(item))
        elif isinstance(item, float):
            self.parts.append(_finite(item))
        elif isinstance(item, list | tuple):
            self.write_list(item, level)
        elif isinstance(item, dict):
            self.write_dict(item, level)
        else:
            message = f"Object of type {type(item).__name__} is not JSON serializable"
            raise TypeError(message)

    def write_list(self, items: list[Any] | tuple[Any, ...], level: int) -> None:
        self.write_entries(items, level, "[]", keyed=False)

    def write_dict(self, items: dict[Any, Any], level: int) -> None:
        self.write_entries(items.items(), level, "{}", keyed=True)

    def write_entries(self, entries: Any, level: int, brackets: str, *, keyed: bool) -> None:
        """Write a list's elements or a dict's ``(key, value)`` items, one per line."""
        if not entries:
            self.parts.append(brackets)
            return
        inner = self.indent(level + 1)
        separator = "," + inner
        self.parts.append(brackets[0] + inner)
        first = True
        for entry in entries:
            if not first:
                self.parts.append(separator)
            first = False
            if keyed:
                key, element = entry
                self.parts.append(_quote(key if type(key) is str else _key_text(key)) + ": ")
            else:
                element = entry
            self.write(element, level + 1)
        self.parts.append(self.indent(level) + brackets[1])


def write_report(report: Report, path: Path | str, *, pdf: bool = False) -> list[Path]:
    """Write a report as HTML at ``path``, with Markdown and JSON (and optionally PDF) beside it.

    All files are written to a temporary folder and moved into place only when every one is
    complete, so a failure never leaves a partial report.

    Parameters
    ----------
    report
        The report.
    path
        The HTML file; ``.md``, ``.json`` (and ``.pdf``) files with the same stem go beside it.
    pdf
        Also print the HTML page to an A4 landscape PDF with headless Chromium.

    Returns
    -------
    list of pathlib.Path
        The HTML, Markdown and JSON files, then the PDF.

    Raises
    ------
    PdfUnavailable
        When ``pdf`` is set and Chromium or playwright is missing; nothing is written.
    """
    if pdf:
        _check_pdf()
    return _write_report(report, Path(path), report_view(report), pdf=pdf)


def _write_report(report: Report, target: Path, view: dict[str, Any], *, pdf: bool) -> list[Path]:
    """Write a report's files from its view (computed once, also for the index page)."""
    from corridors.render.report_templates import (  # noqa: PLC0415
        render_report_html,
        render_report_markdown,
    )

    view = {**view, "map_html": _map_html(report)}
    page = render_report_html(view, chart_view(report), tornadoes=_tornadoes(report))
    contents: dict[Path, str | bytes] = {
        target: page,
        target.with_suffix(".md"): render_report_markdown(view),
        target.with_suffix(".json"): _json(view),
    }
    if pdf:
        contents[target.with_suffix(".pdf")] = html_to_pdf(page)
    return write_together(contents)


def _tornadoes(report: Report) -> list[str]:
    """Return the tornado chart (inline SVG) of each pair's scenario route, or ``""``."""
    from corridors.render.uncertainty import tornado_svg  # noqa: PLC0415

    unit = "h" if report.comparison.weight in {"time", "distance"} else "US$/t"
    return [tornado_svg(row.get("tornado_bars", ()), unit=unit) for row in report.reliability]


def _check_pdf() -> None:
    """Raise :class:`PdfUnavailable` unless playwright and Chromium are installed."""
    try:
        import playwright.sync_api  # noqa: F401, PLC0415
    except ImportError as error:
        message = "PDF export needs playwright: pip install playwright, apt-get install chromium"
        raise PdfUnavailable(message) from error
    if not Path(_CHROMIUM).exists():
        message = f"PDF export needs headless Chromium at {_CHROMIUM}: apt-get install chromium"
        raise PdfUnavailable(message)


def html_to_pdf(page_html: str, *, timeout_ms: int = 60_000) -> bytes:
    """Print an HTML report to an A4 landscape PDF with headless Chromium, offline.

    Every request that leaves the page (anything but ``file:``, ``data:`` and ``about:``) is
    blocked, so the PDF is made with no network.

    Parameters
    ----------
    page_html
        A report page from :func:`write_report`.
    timeout_ms
        How long to wait for the page and its embedded map to draw.

    Returns
    -------
    bytes
        The PDF.

    Raises
    ------
    PdfUnavailable
        When Chromium or playwright is missing.
    """
    import tempfile  # noqa: PLC0415

    _check_pdf()
    from playwright.sync_api import Route as Request  # noqa: PLC0415
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    def block(request: Request) -> None:
        if request.request.url.startswith(("file://", "data:", "about:")):
            request.continue_()
        else:
            request.abort()

    with tempfile.TemporaryDirectory(prefix="corridors-pdf-") as folder:
        source = Path(folder) / "report.html"
        source.write_text(page_html, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=_CHROMIUM, args=list(_CHROMIUM_ARGS), headless=True
            )
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 860})
                page.route("**/*", block)
                page.goto(source.as_uri(), wait_until="load", timeout=timeout_ms)
                page.wait_for_function(
                    "!document.querySelector('iframe') || "
                    "(document.querySelector('iframe').contentWindow.L !== undefined)",
                    timeout=timeout_ms,
                )
                page.wait_for_timeout(500)
                page.emulate_media(media="print")
                data: bytes = page.pdf(
                    format="A4",
                    landscape=True,
                    print_background=True,
                    margin={"top": "10mm", "bottom": "12mm", "left": "10mm", "right": "10mm"},
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=(
                        '<div style="font-size:8px;width:100%;text-align:center;color:#566573">'
                        '<span class="pageNumber"></span> / <span class="totalPages"></span>'
                        "</div>"
                    ),
                )
            finally:
                browser.close()
    return data


def write_report_pdf(report: Report, path: Path | str) -> Path:
    """Write only a report's PDF (A4 landscape), printed from its HTML page.

    Parameters
    ----------
    report
        The report.
    path
        The PDF file.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    PdfUnavailable
        When Chromium or playwright is missing.
    """
    from corridors.render.report_templates import render_report_html  # noqa: PLC0415

    _check_pdf()
    view = report_view(report, map_html=_map_html(report))
    data = html_to_pdf(render_report_html(view, chart_view(report)))
    return write_together({Path(path): data})[0]


def _largest(pairs: list[dict[str, Any]], key: str) -> dict[str, Any] | None:
    changes = [p for p in pairs if p["delta"] is not None and abs(p["delta"][key]) > 1e-9]
    if not changes:
        return None
    pair = max(changes, key=lambda p: abs(p["delta"][key]))
    return {
        "label": pair["label"],
        "change": pair["delta"][key],
        "percent": (pair["delta_percent"] or {}).get(key),
    }


def write_all_reports(
    network: Network,
    out_dir: Path | str,
    *,
    scenarios: Iterable[str] | None = None,
    pairs: Sequence[tuple[str, str]] | None = None,
    on_done: Callable[[str], None] | None = None,
    pdf: bool = False,
    **report_options: Any,
) -> Path:
    """Write a report for every scenario (against its base) and an index page comparing them.

    Parameters
    ----------
    network
        The built network.
    out_dir
        Folder for ``<scenario>.html|.md|.json`` and ``index.html``.
    scenarios
        Scenario names (default: every scenario in ``seeds/scenarios/``; one without a base,
        or whose base is itself, gets a baseline report of today's routes).
    pairs
        Origin-destination pairs (default: :func:`default_pairs`).
    on_done
        Called with each scenario's name when its report is written (for progress bars).
    pdf
        Also write each report's PDF.
    **report_options
        Passed on to :func:`build_report` (``weight``, ``alternatives``, ``modes``,
        ``avoid``, ...).

    Returns
    -------
    pathlib.Path
        The index page, with a table of pairs improved, worse and newly connected and the
        largest time and cost change per scenario.
    """
    from corridors.render.report_templates import render_index  # noqa: PLC0415

    if pdf:
        _check_pdf()
    folder = Path(out_dir)
    chosen = list(scenarios) if scenarios is not None else sorted(network.seeds.scenarios)
    entries = []
    route_sets = RouteSets()  # every report against `current` routes its pairs there once
    for name in chosen:
        scenario = network.seeds.scenarios[name]
        base = scenario.base or BASE_SCENARIO
        report = build_report(
            network, name, base=base, pairs=pairs, route_sets=route_sets, **report_options
        )
        view = report_view(report)
        _write_report(report, folder / f"{name}.html", view, pdf=pdf)
        entries.append(
            {
                "title": scenario.title,
                "base": base,
                "baseline": report.baseline,
                "summary": view["summary"],
                "counts": view["counts"],
                "pairs": len(view["pairs"]),
                "time": _largest(view["pairs"], "time_h"),
                "cost": _largest(view["pairs"], "cost_usd_per_t"),
                "html": f"{name}.html",
                "markdown": f"{name}.md",
                "json": f"{name}.json",
                "pdf": f"{name}.pdf" if pdf else "",
            }
        )
        if on_done is not None:
            on_done(name)
    entries.sort(key=lambda e: (not e["baseline"], e["title"]))
    return write_together({folder / "index.html": render_index(entries)})[0]
