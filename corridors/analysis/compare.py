"""Compare scenarios over a list of origin-destination pairs."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from corridors.errors import InvalidArgument, NoRoute
from corridors.network.build import Network
from corridors.routing.api import as_list, resolve_scenario, route, routing_graph
from corridors.routing.places import Place, PlaceQuery
from corridors.routing.results import RouteSet
from corridors.routing.scenarios import BASE_SCENARIO, LinkChange, ScenarioNetwork

__all__ = ["Comparison", "PairComparison", "RouteSets", "compare", "link_changes", "parse_od"]

_TOTALS = ("length_km", "time_h", "cost_usd_per_t", "generalised_cost")


def parse_od(text: str) -> tuple[str, str]:
    """Split ``"ORIGIN:DESTINATION"`` into its two places.

    Parameters
    ----------
    text
        Two places separated by a colon.

    Returns
    -------
    tuple of str
        Origin and destination, stripped.

    Raises
    ------
    InvalidArgument
        When the text is not two non-empty places joined by one colon.

    Examples
    --------
    >>> parse_od("Aktau seaport:Gorgan")
    ('Aktau seaport', 'Gorgan')
    """
    parts = [part.strip() for part in text.split(":")]
    if len(parts) != 2 or not all(parts):
        message = f"origin-destination '{text}' must be ORIGIN:DESTINATION"
        raise InvalidArgument(message)
    return parts[0], parts[1]


_UNITS = {"length_km": "km", "time_h": "h", "cost_usd_per_t": "US$/t", "generalised_cost": "US$/t"}
_WEIGHT_TOTAL = {
    "distance": "length_km",
    "time": "time_h",
    "cost": "cost_usd_per_t",
    "generalised": "generalised_cost",
}


@dataclass(frozen=True)
class PairComparison:
    """One origin-destination pair in the base and in the scenario.

    Attributes
    ----------
    origin, destination
        The places, resolved once (``query`` holds what was typed).
    base, scenario
        The route sets, or None when there is no route (then ``*_reason`` says why).
    base_reason, scenario_reason
        Why there is no route, or ``""``.
    note
        The pair's note from ``seeds/od_pairs.yaml``, or ``""``.
    """

    origin: Place
    destination: Place
    base: RouteSet | None
    scenario: RouteSet | None
    base_reason: str = ""
    scenario_reason: str = ""
    note: str = ""

    @property
    def outcome(self) -> str:
        """``newly connected``, ``disconnected``, ``improved``, ``worse``, ``unchanged`` or
        ``not connected``, judged on the weight the routes were found for.
        """  # noqa: D205
        if self.base is None and self.scenario is None:
            return "not connected"
        if self.base is None:
            return "newly connected"
        if self.scenario is None:
            return "disconnected"
        weight = self.scenario.best.weight
        before, after = self.base.best.value(weight), self.scenario.best.value(weight)
        if after < before - 1e-6:
            return "improved"
        if after > before + 1e-6:
            return "worse"
        return "unchanged"

    def delta(self) -> dict[str, float] | None:
        """Scenario minus base for each total of the best routes, or None if either is missing.

        Returns
        -------
        dict or None
            ``length_km``, ``time_h``, ``cost_usd_per_t``, ``generalised_cost``.
        """
        if self.base is None or self.scenario is None:
            return None
        before, after = self.base.best.summary(), self.scenario.best.summary()
        return {key: round(after[key] - before[key], 3) for key in _TOTALS}

    def why(self) -> str:
        """Say, per total, how the pair changed, and which total the outcome is judged on.

        Returns
        -------
        str
            E.g. ``improved on generalised cost (-12.0 US$/t): time -35.6 h, cost +4.1 US$/t,
            distance +20.0 km``; or the reason a side has no route.
        """
        if self.base is None or self.scenario is None:
            return self.outcome + (
                f": {self.scenario_reason or self.base_reason}"
                if self.scenario_reason or self.base_reason
                else ""
            )
        delta = self.delta() or {}
        judged = _WEIGHT_TOTAL[self.scenario.best.weight]
        parts = [
            f"{_LABELS[key]} {delta[key]:+,.1f} {_UNITS[key]}" for key in _TOTALS if key != judged
        ]
        return (
            f"{self.outcome} on {_LABELS[judged]} ({delta[judged]:+,.1f} {_UNITS[judged]}): "
            + ", ".join(parts)
        )


_LABELS = {
    "length_km": "distance",
    "time_h": "time",
    "cost_usd_per_t": "cost",
    "generalised_cost": "generalised cost",
}


@dataclass(frozen=True)
class Comparison:
    """A scenario against its base over origin-destination pairs.

    Attributes
    ----------
    scenario_network, base_network
        The two applied scenarios (each applied once).
    weight
        What routes were optimised for.
    value_of_time_usd_per_t_h
        The one value of time both scenarios' generalised costs use.
    pairs
        One comparison per pair, in the order asked.
    link_changes
        What the scenario changes against the base (links opened, closed, added, gauges set).
    """

    scenario_network: ScenarioNetwork
    base_network: ScenarioNetwork
    weight: str
    value_of_time_usd_per_t_h: float
    pairs: tuple[PairComparison, ...]
    link_changes: tuple[LinkChange, ...]

    @property
    def scenario(self) -> str:
        """The scenario's name."""
        return self.scenario_network.name

    @property
    def base(self) -> str:
        """The base scenario's name."""
        return self.base_network.name

    def to_frame(self) -> pd.DataFrame:
        """One row per pair: the best route's totals in both scenarios and the change.

        Returns
        -------
        pandas.DataFrame
            Columns ``origin``, ``destination``, ``outcome``, ``why``, then ``base_*``,
            ``scenario_*`` and ``delta_*`` for each total, the CAREC TFI3 and TFI4 of both best
            routes, and the two paths.
        """
        rows = []
        for pair in self.pairs:
            row: dict[str, Any] = {
                "origin": pair.origin.node_id,
                "destination": pair.destination.node_id,
                "outcome": pair.outcome,
                "why": pair.why(),
            }
            for prefix, routes in (("base", pair.base), ("scenario", pair.scenario)):
                summary = routes.best.summary() if routes is not None else {}
                for key in _TOTALS:
                    row[f"{prefix}_{key}"] = summary.get(key)
                carec = summary.get("carec", {})
                row[f"{prefix}_tfi3_usd_per_500km_20t"] = carec.get("tfi3_usd_per_500km_20t")
                row[f"{prefix}_tfi4_km_h"] = carec.get("tfi4_speed_with_delay_km_h")
                row[f"{prefix}_path"] = " > ".join(summary.get("node_ids", []))
            delta = pair.delta() or {}
            for key in _TOTALS:
                row[f"delta_{key}"] = delta.get(key)
            rows.append(row)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """Return the comparison as plain data.

        Returns
        -------
        dict
            ``scenario``, ``base``, ``weight``, ``value_of_time_usd_per_t_h``,
            ``link_changes`` and ``pairs``, each pair with what was asked, the note,
            ``outcome``, ``why``, ``delta``, and both route sets (their ``routes`` lists) or the
            reason there is no route.
        """
        return {
            "scenario": self.scenario,
            "base": self.base,
            "weight": self.weight,
            "value_of_time_usd_per_t_h": self.value_of_time_usd_per_t_h,
            "link_changes": [change.__dict__ for change in self.link_changes],
            "pairs": [
                {
                    "origin": pair.origin.node_id,
                    "destination": pair.destination.node_id,
                    "asked": [pair.origin.query, pair.destination.query],
                    "note": pair.note,
                    "outcome": pair.outcome,
                    "why": pair.why(),
                    "delta": pair.delta(),
                    "base": pair.base.to_dict() if pair.base else {"reason": pair.base_reason},
                    "scenario": (
                        pair.scenario.to_dict()
                        if pair.scenario
                        else {"reason": pair.scenario_reason}
                    ),
                }
                for pair in self.pairs
            ],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the comparison as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)


class RouteSets:
    """Route sets already found, shared by the comparisons of one batch.

    Reports of many scenarios against the same base route the base's pairs once, and a
    baseline (a scenario against itself) routes each pair once. A route set is kept by its
    scenario network (:attr:`~corridors.routing.scenarios.ScenarioNetwork.key`), its places and
    every routing option; the scenario network is kept with it, so a key is never reused for
    another network. A pair with no route keeps its :class:`~corridors.errors.NoRoute`.

    Examples
    --------
    >>> from corridors import load_network
    >>> network, shared = load_network(), RouteSets()
    >>> first = compare(network, "afghan_railway", [("Kuryk", "Gorgan")], route_sets=shared)
    >>> again = compare(network, "garabogaz_road", [("Kuryk", "Gorgan")], route_sets=shared)
    >>> first.pairs[0].base is again.pairs[0].base
    True
    """

    def __init__(self) -> None:
        self._found: dict[tuple[Any, ...], tuple[ScenarioNetwork, RouteSet | NoRoute]] = {}

    def __len__(self) -> int:
        return len(self._found)

    def route(
        self, applied: ScenarioNetwork, origin: Place, destination: Place, **options: Any
    ) -> RouteSet:
        """Return :func:`corridors.route` of a pair, found once per scenario network and options.

        Parameters
        ----------
        applied
            The scenario network.
        origin, destination
            Resolved places.
        **options
            Passed on to :func:`corridors.route`.

        Returns
        -------
        RouteSet
            The same object for the same scenario network, places and options.

        Raises
        ------
        NoRoute
            When nothing joins the places (the same error again on a later call).
        """
        key = _frozen((applied.key, origin, destination, sorted(options.items())))
        try:
            kept = self._found.get(key)
        except TypeError:  # an option that cannot be a key: route without keeping it
            return route(applied, origin, destination, **options)
        if kept is None:
            try:
                found: RouteSet | NoRoute = route(applied, origin, destination, **options)
            except NoRoute as error:
                found = error
            kept = self._found[key] = (applied, found)
        if isinstance(kept[1], NoRoute):
            raise kept[1]
        return kept[1]


def _frozen(value: Any) -> Any:
    """Return a value with its lists as tuples and its sets as frozensets, to hash it."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, set | frozenset):
        return frozenset(_frozen(item) for item in value)
    return value


def link_changes(base: ScenarioNetwork, scenario: ScenarioNetwork) -> tuple[LinkChange, ...]:
    """List what a scenario changes against its base: added links, statuses and gauges.

    Parameters
    ----------
    base, scenario
        Applied scenarios of the same seeds.

    Returns
    -------
    tuple of LinkChange
        In link order: ``added``, ``removed``, ``status`` and ``gauge`` changes.
    """
    before = base.network.links
    after = scenario.network.links
    # plain dicts and zipped columns: a pandas row lookup per link costs far more
    old_rows = dict(
        zip(before.index, zip(before["status"], before["gauge_mm"], strict=True), strict=True)
    )
    changes = []
    for link_id, status, gauge in zip(after.index, after["status"], after["gauge_mm"], strict=True):
        if link_id not in old_rows:
            changes.append(LinkChange(str(link_id), "added", "", str(status)))
            continue
        old_status, old_gauge = old_rows[link_id]
        if old_status != status:
            changes.append(LinkChange(str(link_id), "status", str(old_status), str(status)))
        if _gauge(old_gauge) != _gauge(gauge):
            changes.append(LinkChange(str(link_id), "gauge", _gauge(old_gauge), _gauge(gauge)))
    for link_id in before.index.difference(after.index):
        changes.append(LinkChange(str(link_id), "removed", str(old_rows[link_id][0]), ""))
    return tuple(changes)


def _gauge(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(int(value))  # type: ignore[call-overload]


def compare(
    network: Network | ScenarioNetwork,
    scenario: str | ScenarioNetwork,
    pairs: Iterable[tuple[PlaceQuery, PlaceQuery]],
    *,
    base: str | ScenarioNetwork = BASE_SCENARIO,
    weight: str = "generalised",
    alternatives: int = 3,
    value_of_time_usd_per_t_h: float | None = None,
    route_sets: RouteSets | None = None,
    **route_options: Any,
) -> Comparison:
    """Route every pair in the base and in the scenario, and compare the best routes.

    Parameters
    ----------
    network
        A built network (see :func:`corridors.load_network`).
    scenario, base
        Scenario names or applied scenarios.
    pairs
        ``(origin, destination)`` places, as :func:`corridors.route` accepts them.
    weight, alternatives
        As for :func:`corridors.route`.
    value_of_time_usd_per_t_h
        The value of time both scenarios are evaluated at (default: the base's), so their
        generalised costs are comparable.
    route_sets
        Route sets found by earlier comparisons, to reuse (and add to): a batch of reports
        against one base routes the base once. Without it a comparison still routes a pair
        once when the scenario is its own base.
    **route_options
        Passed on to :func:`corridors.route` (``modes``, ``statuses``, ``avoid``, ...).

    Returns
    -------
    Comparison
        Per pair, both route sets (or why there is none), the change and why.

    Raises
    ------
    UnknownPlace
        For a place that matches no node; nothing is computed.
    UnknownScenario
        For a scenario name that matches no file.
    """
    base_network = resolve_scenario(network, base)
    scenario_network = resolve_scenario(network, scenario)
    value_of_time = (
        base_network.parameters.value_of_time_usd_per_t_h.value
        if value_of_time_usd_per_t_h is None
        else value_of_time_usd_per_t_h
    )
    resolve = routing_graph(scenario_network).places.resolver(
        modes=as_list(route_options.get("modes"), "modes"),
        max_snap_km=route_options.get("max_snap_km"),
    )
    resolved = [(resolve(origin), resolve(destination)) for origin, destination in pairs]
    od_pairs = base_network.base.seeds.od_pairs
    found_sets = route_sets if route_sets is not None else RouteSets()
    results = []
    for origin, destination in resolved:
        found: dict[str, RouteSet | None] = {}
        reasons: dict[str, str] = {}
        for side, applied in (("base", base_network), ("scenario", scenario_network)):
            try:
                found[side] = found_sets.route(
                    applied,
                    origin,
                    destination,
                    weight=weight,
                    alternatives=alternatives,
                    value_of_time_usd_per_t_h=value_of_time,
                    **route_options,
                )
                reasons[side] = ""
            except NoRoute as error:
                found[side] = None
                reasons[side] = str(error)
        results.append(
            PairComparison(
                origin=origin,
                destination=destination,
                base=found["base"],
                scenario=found["scenario"],
                base_reason=reasons["base"],
                scenario_reason=reasons["scenario"],
                note=next(
                    (
                        pair.note
                        for pair in od_pairs
                        if pair.origin in {origin.node_id, *origin.members}
                        and pair.destination in {destination.node_id, *destination.members}
                    ),
                    "",
                ),
            )
        )
    return Comparison(
        scenario_network=scenario_network,
        base_network=base_network,
        weight=weight,
        value_of_time_usd_per_t_h=value_of_time,
        pairs=tuple(results),
        link_changes=link_changes(base_network, scenario_network),
    )
