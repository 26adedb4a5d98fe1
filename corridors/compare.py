"""Compare scenarios over a list of origin-destination pairs."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from corridors.errors import CorridorsError
from corridors.network import Network
from corridors.routes import RouteSet
from corridors.routing import NoRoute, route
from corridors.scenarios import BASE_SCENARIO, LinkChange, apply_scenario

__all__ = ["Comparison", "PairComparison", "compare", "parse_od"]

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
    CorridorsError
        When the text is not two non-empty places joined by one colon.

    Examples
    --------
    >>> parse_od("Aktau seaport:Gorgan")
    ('Aktau seaport', 'Gorgan')
    """
    parts = [part.strip() for part in text.split(":")]
    if len(parts) != 2 or not all(parts):
        message = f"origin-destination '{text}' must be ORIGIN:DESTINATION"
        raise CorridorsError(message)
    return parts[0], parts[1]


@dataclass(frozen=True)
class PairComparison:
    """One origin-destination pair in the base and in the scenario.

    Attributes
    ----------
    origin, destination
        As asked.
    base, scenario
        The route sets, or None when there is no route (then ``*_reason`` says why).
    """

    origin: str
    destination: str
    base: RouteSet | None
    scenario: RouteSet | None
    base_reason: str = ""
    scenario_reason: str = ""

    @property
    def outcome(self) -> str:
        """``newly connected``, ``disconnected``, ``improved``, ``worse``, ``unchanged`` or
        ``not connected``.
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


@dataclass(frozen=True)
class Comparison:
    """A scenario against its base over origin-destination pairs.

    Attributes
    ----------
    scenario, base
        Scenario names.
    weight
        What routes were optimised for.
    pairs
        One comparison per pair, in the order asked.
    link_changes
        What the scenario changes against the base (links opened, closed, added, ...).
    """

    scenario: str
    base: str
    weight: str
    pairs: tuple[PairComparison, ...]
    link_changes: tuple[LinkChange, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per pair: the best route's totals in both scenarios and the change.

        Returns
        -------
        pandas.DataFrame
            Columns ``origin``, ``destination``, ``outcome``, then ``base_*``, ``scenario_*``
            and ``delta_*`` for each total, and the two paths.
        """
        rows = []
        for pair in self.pairs:
            row: dict[str, Any] = {
                "origin": pair.origin,
                "destination": pair.destination,
                "outcome": pair.outcome,
            }
            for prefix, routes in (("base", pair.base), ("scenario", pair.scenario)):
                summary = routes.best.summary() if routes is not None else {}
                for key in _TOTALS:
                    row[f"{prefix}_{key}"] = summary.get(key)
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
            ``scenario``, ``base``, ``weight``, ``link_changes`` and ``pairs``, each pair with
            ``outcome``, ``delta``, and both route sets (their ``routes`` lists) or the reason
            there is no route.
        """
        return {
            "scenario": self.scenario,
            "base": self.base,
            "weight": self.weight,
            "link_changes": [change.__dict__ for change in self.link_changes],
            "pairs": [
                {
                    "origin": pair.origin,
                    "destination": pair.destination,
                    "outcome": pair.outcome,
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
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def _changes_against(network: Network, scenario: str, base: str) -> tuple[LinkChange, ...]:
    before = apply_scenario(network, base).network.links["status"]
    after = apply_scenario(network, scenario).network.links["status"]
    changes = []
    for link_id, status in after.items():
        previous = before.get(link_id)
        if previous is None:
            changes.append(LinkChange(str(link_id), "added", "", str(status)))
        elif previous != status:
            changes.append(LinkChange(str(link_id), "status", str(previous), str(status)))
    return tuple(changes)


def compare(
    pairs: Iterable[tuple[str, str]],
    scenario: str,
    *,
    base: str = BASE_SCENARIO,
    network: Network | None = None,
    weight: str = "generalised",
    alternatives: int = 3,
    **route_options: Any,
) -> Comparison:
    """Route every pair in the base and in the scenario, and compare the best routes.

    Parameters
    ----------
    pairs
        ``(origin, destination)`` places, as :func:`corridors.routing.route` accepts them.
    scenario, base
        Scenario names.
    network
        A built network (default: built from ``seeds/``).
    weight, alternatives
        As for :func:`corridors.routing.route`.
    **route_options
        Passed on to :func:`corridors.routing.route` (``modes``, ``statuses``, ``avoid``, ...).

    Returns
    -------
    Comparison
        Per pair, both route sets (or why there is none) and the change.

    Raises
    ------
    UnknownPlace
        For a place that matches no node; nothing is computed.
    UnknownScenario
        For a scenario name that matches no file.
    """
    from corridors.network import build_network  # noqa: PLC0415

    built = network if network is not None else build_network()
    checked: list[tuple[str, str]] = list(pairs)
    from corridors.places import PlaceIndex  # noqa: PLC0415

    index = PlaceIndex(built.nodes[built.nodes["kind"] != "poi"])
    for origin, destination in checked:
        for place in (origin, destination):
            index.resolve(place)
    results = []
    for origin, destination in checked:
        found: dict[str, RouteSet | None] = {}
        reasons: dict[str, str] = {}
        for name in (base, scenario):
            try:
                found[name] = route(
                    origin,
                    destination,
                    network=built,
                    scenario=name,
                    weight=weight,
                    alternatives=alternatives,
                    **route_options,
                )
                reasons[name] = ""
            except NoRoute as error:
                found[name] = None
                reasons[name] = str(error)
        results.append(
            PairComparison(
                origin=origin,
                destination=destination,
                base=found[base],
                scenario=found[scenario],
                base_reason=reasons[base],
                scenario_reason=reasons[scenario],
            )
        )
    return Comparison(
        scenario=scenario,
        base=base,
        weight=weight,
        pairs=tuple(results),
        link_changes=_changes_against(built, scenario, base),
    )
