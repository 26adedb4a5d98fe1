"""Hold the model against observed trips and corridor indicators.

Every observation of ``seeds/observations.yaml`` that the model can reproduce is reproduced:

- ``trip_time``: the best route between the trip's places by its mode (any mode for a
  multimodal trip), through its via places when they resolve; its time in hours.
- ``crossing_time`` (sea): the sailing time of the sea legs of the best sea route.
- ``trip_cost``: the best route's cost in US$ per tonne (per-unit figures are converted with the
  observation's payload; without one they are not comparable).
- ``speed_without_delay``: the model's moving speed of the mode in that country (parameters).
- ``cost_per_500km`` (CPMM TFI3, US$ per 500 km per 20 t): the model's tariff of the mode in that
  country times 500 km and 20 t.

Border times and costs (TFI1, TFI2) are national one-side averages while the model's border
steps are per crossing and include both sides; speeds with delay mix border waits in; per-unit
tariffs need a payload. Those observations are listed as not comparable, with the reason, never
dropped silently. Places outside the model are listed as not routed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from corridors.data.schema import Indicator, Observation, Scope
from corridors.errors import CorridorsError
from corridors.network.build import Network
from corridors.routing.api import resolve_scenario, route
from corridors.routing.costs import speed_km_h, tariff_usd_per_t_km
from corridors.routing.scenarios import BASE_SCENARIO, ScenarioNetwork

__all__ = ["COST_TOLERANCE", "TIME_TOLERANCE", "Calibration", "Check", "calibrate"]

#: Relative error within which a time (or speed) is reproduced: CPMM's own year-to-year spread
#: of border and corridor times is of this order (e.g. Kazakh rail border 48.6-69.7 h, 2020-23).
TIME_TOLERANCE = 0.25
#: Relative error within which a cost is reproduced: published tariffs are quoted, not invoiced.
COST_TOLERANCE = 0.30

_TIMES = {Indicator.TRIP_TIME, Indicator.CROSSING_TIME, Indicator.SPEED_WITHOUT_DELAY}
_HOURS = {"h": 1.0, "days": 24.0}


@dataclass(frozen=True)
class Check:
    """One observation against the model.

    Attributes
    ----------
    observation
        The observation.
    observed
        Its value in the compared unit (``unit``).
    model
        The model's value, or None when not compared.
    unit
        The unit both are in.
    status
        ``within``, ``outside``, ``not routed`` or ``not comparable``.
    reason
        Why it was not compared, or the route the model took.
    """

    observation: Observation
    observed: float
    model: float | None
    unit: str
    status: str
    reason: str = ""

    @property
    def error_pct(self) -> float | None:
        """Model minus observed, in per cent of observed."""
        if self.model is None or self.observed == 0:
            return None
        return (self.model - self.observed) / self.observed * 100.0


@dataclass(frozen=True)
class Calibration:
    """Every observation against the model, and the error per indicator and mode."""

    scenario: str
    checks: tuple[Check, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per observation: observed, model, error and status."""
        rows = [
            {
                "id": c.observation.id,
                "indicator": c.observation.indicator.value,
                "mode": c.observation.mode,
                "where": _where(c.observation),
                "year": c.observation.year,
                "observed": round(c.observed, 2),
                "model": None if c.model is None else round(c.model, 2),
                "unit": c.unit,
                "error_pct": None if c.error_pct is None else round(c.error_pct, 1),
                "status": c.status,
                "reason": c.reason,
                "source": c.observation.source,
            }
            for c in self.checks
        ]
        return pd.DataFrame(rows)

    def summary(self) -> pd.DataFrame:
        """Per indicator and mode: observations, compared, within tolerance, and the MAPE."""
        frame = self.to_frame()
        rows = []
        for (indicator, mode), group in frame.groupby(["indicator", "mode"], sort=True):
            compared = group[group["status"].isin(["within", "outside"])]
            rows.append(
                {
                    "indicator": indicator,
                    "mode": mode,
                    "observations": len(group),
                    "compared": len(compared),
                    "within": int((compared["status"] == "within").sum()),
                    "mape_pct": (
                        round(float(compared["error_pct"].abs().mean()), 1)
                        if len(compared)
                        else None
                    ),
                }
            )
        return pd.DataFrame(rows)

    @property
    def share_within(self) -> float:
        """Share of the compared observations reproduced within tolerance."""
        compared = [c for c in self.checks if c.status in {"within", "outside"}]
        return sum(c.status == "within" for c in compared) / len(compared) if compared else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the checks and the summary as plain data."""
        frame = self.to_frame().astype(object).where(lambda f: f.notna(), None)
        return {
            "scenario": self.scenario,
            "time_tolerance": TIME_TOLERANCE,
            "cost_tolerance": COST_TOLERANCE,
            "share_within": round(self.share_within, 3),
            "summary": self.summary()
            .astype(object)
            .where(lambda f: f.notna(), None)
            .to_dict("records"),
            "checks": frame.to_dict("records"),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return :meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)


def _where(observation: Observation) -> str:
    if observation.scope is Scope.TRIP:
        return f"{observation.origin} to {observation.destination}"
    if observation.scope is Scope.CROSSING:
        return str(observation.crossing or observation.country)
    return str(observation.country)


def _judge(observation: Observation, observed: float, model: float, unit: str, note: str) -> Check:
    tolerance = TIME_TOLERANCE if observation.indicator in _TIMES else COST_TOLERANCE
    error = abs(model - observed) / observed if observed else 0.0
    status = "within" if error <= tolerance else "outside"
    return Check(observation, observed, model, unit, status, note)


def _skip(observation: Observation, status: str, reason: str) -> Check:
    return Check(observation, observation.value, None, observation.unit, status, reason)


def _route_check(applied: ScenarioNetwork, observation: Observation) -> Check:  # noqa: PLR0911
    modes = None if observation.mode == "multimodal" else [observation.mode]
    if observation.indicator is Indicator.CROSSING_TIME:
        modes = ["sea"]
    try:
        found = route(
            applied,
            str(observation.origin),
            str(observation.destination),
            modes=modes,
            alternatives=1,
        )
    except CorridorsError as error:
        return _skip(observation, "not routed", str(error).split(". Fix")[0])
    best = found.best
    path = " > ".join(best.node_ids)
    if observation.indicator is Indicator.CROSSING_TIME:
        if observation.unit not in _HOURS:
            return _skip(observation, "not comparable", f"unit {observation.unit}")
        sailing = sum(leg.time_h for leg in best.legs if leg.mode == "sea")
        observed = observation.value * _HOURS[observation.unit]
        return _judge(observation, observed, sailing, "h", f"sea legs of {path}")
    if observation.indicator is Indicator.TRIP_TIME:
        if observation.unit not in _HOURS:
            return _skip(observation, "not comparable", f"unit {observation.unit}")
        observed = observation.value * _HOURS[observation.unit]
        return _judge(observation, observed, best.time_h, "h", path)
    per_tonne = _per_tonne(observation)
    if per_tonne is None:
        return _skip(observation, "not comparable", f"{observation.unit} without a payload")
    return _judge(observation, per_tonne, best.cost_usd_per_t, "US$/t", path)


def _per_tonne(observation: Observation) -> float | None:
    if observation.unit == "US$/t":
        return observation.value
    if observation.unit in {"US$/container", "US$/truck", "US$/wagon"} and observation.payload_t:
        return observation.value / observation.payload_t
    return None


def _parameter_check(applied: ScenarioNetwork, observation: Observation) -> Check:
    country = observation.country
    mode = observation.mode
    if country is None or mode not in {"rail", "road"}:
        return _skip(observation, "not comparable", "needs a country and a land mode")
    parameters = applied.parameters
    if observation.indicator is Indicator.SPEED_WITHOUT_DELAY:
        model = speed_km_h(parameters, mode, "operational")
        return _judge(observation, observation.value, model, "km/h", f"{mode} speed")
    model = tariff_usd_per_t_km(parameters, mode, country) * 500.0 * 20.0
    return _judge(
        observation, observation.value, model, "US$ per 500 km per 20 t", f"{mode} tariff"
    )


_NOT_COMPARABLE = {
    Indicator.BORDER_TIME: "a one-side national average; the model's border steps are per "
    "crossing, both sides",
    Indicator.BORDER_COST: "a one-side national average; the model's border steps are per "
    "crossing, both sides",
    Indicator.SPEED_WITH_DELAY: "mixes border and terminal waits into a speed",
    Indicator.TARIFF: "a per-unit tariff; compared through trip costs",
}


def calibrate(
    network: Network | ScenarioNetwork,
    observations: Sequence[Observation],
    *,
    scenario: str | ScenarioNetwork | None = None,
) -> Calibration:
    """Reproduce every observation the model can and compare.

    Parameters
    ----------
    network
        A built network, or an applied scenario.
    observations
        Observations (``network.seeds.observations``, from ``seeds/observations.yaml``).
    scenario
        The scenario the model runs in (default ``current``).

    Returns
    -------
    Calibration
        Every observation with its model value, error and status; ``summary()`` gives the mean
        absolute percentage error per indicator and mode.
    """
    applied = resolve_scenario(network, scenario or BASE_SCENARIO)
    checks = []
    for observation in observations:
        if observation.indicator in _NOT_COMPARABLE:
            checks.append(
                _skip(observation, "not comparable", _NOT_COMPARABLE[observation.indicator])
            )
        elif observation.scope is Scope.TRIP:
            checks.append(_route_check(applied, observation))
        elif observation.indicator in {Indicator.SPEED_WITHOUT_DELAY, Indicator.COST_PER_500KM}:
            checks.append(_parameter_check(applied, observation))
        else:
            checks.append(_skip(observation, "not comparable", "no model figure of this kind"))
    return Calibration(applied.name, tuple(checks))
