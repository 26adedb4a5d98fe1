"""Hold the model against observed trips and corridor indicators.

Every observation of ``seeds/observations.yaml`` is either compared with the model or listed with
the reason it cannot be:

- ``trip_time``: the best route between the trip's places by its mode (any mode for a multimodal
  trip) for the trip's cargo unit, through its via places; its time in hours.
- ``trip_cost``: the same route's cost, per tonne or per unit (with the unit's payload).
- ``crossing_time`` (sea): the sailing time of the sea legs of the best sea route; at a port
  (scope ``crossing``), the model's loading time there.
- ``tariff`` (a ferry fare per truck, wagon or wagon metre): the fare of the sea legs of the
  best sea route for that unit, times the unit's payload.
- ``border_time`` and ``border_cost`` (CPMM TFI1, TFI2): one side of a border, by country, mode
  and direction (``both``: the mean of the two sides), or at one post or port (``node``); a whole
  crossing (``both`` at a crossing the model prices as a whole) takes the crossing's figure.
  Costs per shipment are the model's US$ per tonne times the unit's payload.
- ``speed_without_delay``: the model's moving speed of the mode in that country.
- ``cost_per_500km`` (CPMM TFI3, US$ per 500 km per 20 t): the country's tariff times 10,000 t-km.

An observation is *in sample* when a parameter entry lists it among its ``observations`` (the
parameter was set from it), *superseded* when a later year of the same series exists (the model
represents the latest). The share within tolerance is given for the current observations, in and
out of sample, and for every year.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from corridors.data.schema import BorderDirection, Indicator, Mode, NodeKind, Observation, Scope
from corridors.errors import CorridorsError
from corridors.network.build import Network
from corridors.network.cache import cache_dir, code_digest, read_entry, write_entry
from corridors.routing.api import resolve_scenario, route, routing_graph
from corridors.routing.costs import CostModel
from corridors.routing.results import CPMM_SHIPMENT_T
from corridors.routing.scenarios import BASE_SCENARIO, ScenarioNetwork

__all__ = [
    "CALIBRATION_CODE",
    "COST_TOLERANCE",
    "TIME_TOLERANCE",
    "Calibration",
    "Check",
    "calibrate",
    "stored_calibration",
]

#: Relative error within which a time (or speed) is reproduced: CPMM's own year-to-year spread
#: of border and corridor times is of this order (e.g. Kazakh rail border 48.6-69.7 h, 2020-23).
TIME_TOLERANCE = 0.25
#: Relative error within which a cost is reproduced: published tariffs are quoted, not invoiced.
COST_TOLERANCE = 0.30

#: Statuses of an observation the model was compared with.
COMPARED = ("within", "outside")

_TIMES = {
    Indicator.TRIP_TIME,
    Indicator.CROSSING_TIME,
    Indicator.SPEED_WITHOUT_DELAY,
    Indicator.BORDER_TIME,
}
_HOURS = {"h": 1.0, "days": 24.0}
#: Indicators in money: compared on the parameters' price basis (US$ of one year).
_MONEY = {Indicator.BORDER_COST, Indicator.COST_PER_500KM, Indicator.TRIP_COST, Indicator.TARIFF}
#: Units of a figure per shipment (one truck, wagon or container).
_PER_UNIT = {"US$", "US$/truck", "US$/wagon", "US$/container"}


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
        Why it was not compared, or what the model value is (the route it took).
    in_sample
        A parameter was set from this observation.
    superseded
        A later year of the same series exists.
    """

    observation: Observation
    observed: float
    model: float | None
    unit: str
    status: str
    reason: str = ""
    in_sample: bool = False
    superseded: bool = False

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
        """One row per observation: observed, model, error, status and sample."""
        rows = [
            {
                "id": c.observation.id,
                "indicator": c.observation.indicator.value,
                "mode": c.observation.mode,
                "where": _where(c.observation),
                "direction": c.observation.direction,
                "year": c.observation.year,
                "observed": round(c.observed, 2),
                "model": None if c.model is None else round(c.model, 2),
                "unit": c.unit,
                "error_pct": None if c.error_pct is None else round(c.error_pct, 1),
                "status": c.status,
                "sample": "in" if c.in_sample else "out",
                "current": not c.superseded,
                "known_outlier": c.observation.known_outlier,
                "reason": c.reason,
                "source": c.observation.source,
            }
            for c in self.checks
        ]
        return pd.DataFrame(rows)

    def summary(self) -> pd.DataFrame:
        """Per indicator and mode: observations, compared, within tolerance, and the MAPE.

        ``mape_pct`` is over the current observations, ``mape_out_pct`` over those of them out
        of sample, ``mape_all_years_pct`` over every year compared.
        """
        return self._summary(self.to_frame())

    @staticmethod
    def _summary(frame: pd.DataFrame) -> pd.DataFrame:
        """Summarise the frame of :meth:`to_frame` as :meth:`summary` does."""
        rows = []
        for (indicator, mode), group in frame.groupby(["indicator", "mode"], sort=True):
            compared = group[group["status"].isin(COMPARED)]
            current = compared[compared["current"]]
            out = current[current["sample"] == "out"]
            rows.append(
                {
                    "indicator": indicator,
                    "mode": mode,
                    "observations": len(group),
                    "compared": len(compared),
                    "current": len(current),
                    "within": int((current["status"] == "within").sum()),
                    "mape_pct": _mape(current),
                    "out_of_sample": len(out),
                    "mape_out_pct": _mape(out),
                    "mape_all_years_pct": _mape(compared),
                }
            )
        return pd.DataFrame(rows)

    def _compared(self, *, current: bool = True, sample: str | None = None) -> list[Check]:
        return [
            c
            for c in self.checks
            if c.status in COMPARED
            and (not current or not c.superseded)
            and (sample is None or (sample == "in") == c.in_sample)
        ]

    @property
    def share_within(self) -> float:
        """Share of the current compared observations reproduced within tolerance."""
        return _share(self._compared())

    @property
    def share_within_out_of_sample(self) -> float:
        """The same share over the current observations no parameter was set from."""
        return _share(self._compared(sample="out"))

    @property
    def share_within_all_years(self) -> float:
        """The same share over every year compared, superseded ones included."""
        return _share(self._compared(current=False))

    @property
    def unexplained(self) -> tuple[Check, ...]:
        """Current observations outside tolerance that are not listed as known outliers."""
        return tuple(
            c for c in self._compared() if c.status == "outside" and not c.observation.known_outlier
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the checks and the summary as plain data."""
        checks = self.to_frame()
        summary = self._summary(checks)
        frame = checks.astype(object).where(lambda f: f.notna(), None)
        return {
            "scenario": self.scenario,
            "time_tolerance": TIME_TOLERANCE,
            "cost_tolerance": COST_TOLERANCE,
            "share_within": round(self.share_within, 3),
            "share_within_out_of_sample": round(self.share_within_out_of_sample, 3),
            "share_within_all_years": round(self.share_within_all_years, 3),
            "compared": len(self._compared()),
            "summary": summary.astype(object).where(lambda f: f.notna(), None).to_dict("records"),
            "checks": frame.to_dict("records"),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return :meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)


def _share(checks: Sequence[Check]) -> float:
    return sum(c.status == "within" for c in checks) / len(checks) if checks else 0.0


def _mape(frame: pd.DataFrame) -> float | None:
    return round(float(frame["error_pct"].abs().mean()), 1) if len(frame) else None


def _where(observation: Observation) -> str:
    if observation.scope is Scope.TRIP:
        return f"{observation.origin} to {observation.destination}"
    if observation.scope is Scope.CROSSING:
        return str(observation.crossing or observation.country)
    return str(observation.country)


def _series(observation: Observation) -> tuple[Any, ...]:
    """Return what identifies a series of one figure published year after year.

    The direction is not part of it: :func:`_supersedes` compares directions.
    """
    return (
        observation.indicator,
        observation.scope,
        observation.country,
        observation.mode,
        observation.node or observation.crossing,
        observation.origin,
        observation.destination,
        observation.cargo_unit,
    )


def _supersedes(newer: Observation, older: Observation) -> bool:
    """Tell whether ``newer`` is a later figure of ``older``'s series and direction.

    A figure for all directions supersedes an older one for one direction (the model takes the
    latest figure); a figure for one direction never supersedes one for all directions.
    """
    return (
        _series(newer) == _series(older)
        and (newer.year or -1) > (older.year or -1)
        and newer.direction in {older.direction, "both"}
    )


class _Checker:
    """Compares observations with one scenario's model."""

    def __init__(self, applied: ScenarioNetwork) -> None:
        self.applied = applied
        #: Best routes by trip (places, modes, via, cargo unit): a trip's time and its cost
        #: are compared on one route.
        self.routes: dict[tuple[Any, ...], Any] = {}
        self.graph = routing_graph(applied)
        self.nodes = applied.network.nodes
        #: Observations a border side of one post was set from: compared at that post.
        self.posts = {
            observation: side.node
            for side in applied.parameters.border_sides
            if side.node is not None
            for observation in side.observations
        }
        links = self.graph.links
        country = self.graph.country_of
        #: (country, mode) of every link's kilometres.
        self.networks = {
            (str(iso2), str(mode))
            for mode, pairs in zip(links["mode"], links["km_by_country"], strict=True)
            for iso2, km in pairs
            if km > 0
        }
        #: (country, mode) of every border the model's links cross, on either side.
        self.borders = {
            (country[end_node], mode)
            for start, end, mode in zip(links["from"], links["to"], links["mode"], strict=True)
            if country[start] != country[end]
            for end_node in (start, end)
        }

    def unit(self, cargo: str) -> str | None:
        """Return the cargo unit to route an observation with: its own when the seeds list it."""
        listed = {spec.unit.value for spec in self.applied.parameters.cargo_units.units}
        return cargo if cargo in listed else None

    def judge(
        self, observation: Observation, observed: float, model: float, unit: str, note: str
    ) -> Check:
        """Compare, with money observed in another year first brought to the price basis."""
        basis = self.applied.parameters.price_basis
        year = observation.year
        if observation.indicator in _MONEY and basis is not None:
            if year in basis.index:
                observed *= basis.factor(year)
            unit = f"{unit} ({basis.year})"
        return _judge(observation, observed, model, unit, note)

    def model_for(self, cargo: str) -> CostModel:
        return CostModel(self.applied.parameters, self.unit(cargo))

    # ------------------------------------------------------------------ dispatch
    def check(self, observation: Observation) -> Check:  # noqa: PLR0911
        indicator = observation.indicator
        if indicator is Indicator.SPEED_WITH_DELAY:
            return _skip(
                observation,
                "not comparable",
                "a national average over sampled trips "
                "with their waits; the model has no national trip to set against it",
            )
        if observation.scope is Scope.TRIP:
            if indicator is Indicator.TARIFF:
                return self._fare(observation)
            return self._trip(observation)
        if indicator in {Indicator.BORDER_TIME, Indicator.BORDER_COST}:
            return self._border(observation)
        if indicator is Indicator.CROSSING_TIME:
            return self._handling(observation)
        if indicator in {Indicator.SPEED_WITHOUT_DELAY, Indicator.COST_PER_500KM}:
            return self._national(observation)
        return _skip(observation, "not comparable", "no model figure of this kind")

    # ------------------------------------------------------------------ trips
    def _route(self, observation: Observation, modes: list[str] | None) -> Any:
        cargo = self.unit(observation.cargo_unit)
        key = (
            str(observation.origin),
            str(observation.destination),
            tuple(modes or ()) if modes is not None else None,
            tuple(observation.via),
            cargo,
        )
        if key not in self.routes:
            try:
                self.routes[key] = route(
                    self.applied,
                    key[0],
                    key[1],
                    modes=modes,
                    via=list(observation.via),
                    alternatives=1,
                    cargo=cargo,
                ).best
            except CorridorsError as error:
                self.routes[key] = error
        found = self.routes[key]
        if isinstance(found, CorridorsError):
            raise found
        return found

    def _trip(self, observation: Observation) -> Check:  # noqa: PLR0911
        indicator = observation.indicator
        modes = None if observation.mode == "multimodal" else [observation.mode]
        if indicator is Indicator.CROSSING_TIME:
            modes = ["sea"]
        try:
            best = self._route(observation, modes)
        except CorridorsError as error:
            return _skip(observation, "not routed", str(error).split(". Fix")[0])
        path = " > ".join(best.node_ids)
        if indicator in {Indicator.TRIP_TIME, Indicator.CROSSING_TIME}:
            if observation.unit not in _HOURS:
                return _skip(observation, "not comparable", f"unit {observation.unit}")
            observed = observation.value * _HOURS[observation.unit]
            if indicator is Indicator.CROSSING_TIME:
                sailing = sum(leg.time_h for leg in best.legs if leg.mode == "sea")
                return self.judge(observation, observed, sailing, "h", f"sea legs of {path}")
            return self.judge(observation, observed, best.time_h, "h", path)
        payload = self._payload(observation)
        if observation.unit == "US$/t":
            return self.judge(observation, observation.value, best.cost_usd_per_t, "US$/t", path)
        if observation.unit in _PER_UNIT and payload is not None:
            model = best.cost_usd_per_t * payload
            return self.judge(observation, observation.value, model, observation.unit, path)
        return _skip(observation, "not comparable", f"{observation.unit} without a payload")

    def _payload(self, observation: Observation) -> float | None:
        if observation.payload_t:
            return observation.payload_t
        if self.unit(observation.cargo_unit) is not None:
            return self.model_for(observation.cargo_unit).payload_t
        return None

    def _fare(self, observation: Observation) -> Check:  # noqa: PLR0911
        if observation.mode != Mode.SEA.value:
            return _skip(
                observation,
                "not comparable",
                "a rate per unit-km on an unstated "
                "section (an infrastructure component, not a through tariff)",
            )
        try:
            best = self._route(observation, ["sea"])
        except CorridorsError as error:
            return _skip(observation, "not routed", str(error).split(". Fix")[0])
        payload = self._payload(observation)
        if payload is None:
            return _skip(observation, "not comparable", "no payload for the unit")
        fare = sum(leg.cost_usd_per_t for leg in best.legs if leg.mode == "sea") * payload
        lanes = ", ".join(leg.link_id for leg in best.legs if leg.mode == "sea")
        if observation.unit == "US$/m":
            length = self.model_for(observation.cargo_unit).length_m
            if length is None:
                return _skip(observation, "not comparable", "no length for the unit")
            return self.judge(
                observation,
                observation.value,
                fare / length,
                "US$/m",
                f"fare of {lanes} for a {length:g} m wagon",
            )
        if observation.unit in _PER_UNIT:
            return self.judge(
                observation, observation.value, fare, observation.unit, f"fare of {lanes}"
            )
        return _skip(observation, "not comparable", f"unit {observation.unit}")

    # ------------------------------------------------------------------ borders and ports
    def _border(self, observation: Observation) -> Check:  # noqa: PLR0911
        country = observation.country
        node = observation.node or self.posts.get(observation.id)
        if country is None:
            return _skip(observation, "not comparable", "needs a country")
        mode = observation.mode
        if node is not None and self.nodes.at[node, "kind"] == NodeKind.SEAPORT.value:
            mode = Mode.SEA.value
        if mode not in {m.value for m in Mode}:
            return _skip(observation, "not comparable", f"mode {mode}")
        if observation.scope is Scope.CROSSING and node is None:
            return _skip(observation, "not comparable", "a crossing the model does not have")
        if node is None and (country, mode) not in self.borders:
            return _skip(
                observation, "not comparable", f"the model has no {mode} border of {country}"
            )
        if node is not None and not self._crossing_links(node, mode):
            return _skip(
                observation, "not comparable", f"the model has no {mode} border crossing at {node}"
            )
        model = self.model_for(observation.cargo_unit)
        whole = (
            self._whole_crossing(node, mode) if node and observation.direction == "both" else None
        )
        if whole is not None:
            values = whole
            what = f"the crossing at {node} as a whole"
        else:
            directions = (
                [BorderDirection.OUTBOUND, BorderDirection.INBOUND]
                if observation.direction == "both"
                else [BorderDirection(observation.direction)]
            )
            sides = [model.side(mode, d, country, node or "") for d in directions]
            values = [(s.time_h, s.cost_usd_per_t) for s in sides]
            what = f"{country} {mode} {observation.direction} side" + (
                f" at {node}" if node else ""
            )
        if observation.indicator is Indicator.BORDER_TIME:
            hours = sum(v[0] for v in values) / len(values)
            return self.judge(observation, observation.value, hours, "h", what)
        if observation.unit not in _PER_UNIT:
            return _skip(observation, "not comparable", f"unit {observation.unit}")
        usd = sum(v[1] for v in values) / len(values) * CPMM_SHIPMENT_T
        return self.judge(observation, observation.value, usd, "US$ per shipment", what)

    def _crossing_links(self, node: str, mode: str) -> list[str]:
        """Return the links of a mode that cross a border at a node."""
        links = self.graph.links
        country = self.graph.country_of
        return [
            str(link_id)
            for link_id, start, end, link_mode in zip(
                links.index, links["from"], links["to"], links["mode"], strict=True
            )
            if link_mode == mode and node in (start, end) and country[start] != country[end]
        ]

    def _whole_crossing(self, node: str, mode: str) -> list[tuple[float, float]] | None:
        """Both directions of the crossing at a node, when the model prices it as a whole."""
        for link_id in self._crossing_links(node, mode):
            if any(c.link == link_id for c in self.applied.parameters.border_crossings):
                steps = [self.graph.border_terms(link_id, mode, forward=f) for f in (True, False)]
                return [(s.time_h, s.cost_usd_per_t) for s in steps]
        return None

    def _handling(self, observation: Observation) -> Check:
        node = observation.node
        if node is None or observation.unit not in _HOURS:
            return _skip(observation, "not comparable", "a port figure without a model port")
        model = self.model_for(observation.cargo_unit)
        land = "rail" if observation.cargo_unit in {"wagon", "bulk", "tonne"} else "road"
        loading = model.transfer(node, land, Mode.SEA.value)
        observed = observation.value * _HOURS[observation.unit]
        return self.judge(observation, observed, loading.time_h, "h", f"{land} to sea at {node}")

    # ------------------------------------------------------------------ national figures
    def _national(self, observation: Observation) -> Check:
        country, mode = observation.country, observation.mode
        if country is None or mode not in {"rail", "road"}:
            return _skip(observation, "not comparable", "needs a country and a land mode")
        if (country, mode) not in self.networks:
            return _skip(observation, "not comparable", f"the model has no {mode} in {country}")
        model = self.model_for("truck" if mode == "road" else "container")
        if observation.indicator is Indicator.SPEED_WITHOUT_DELAY:
            speed = model.speed_entry(mode, "operational", country).km_h
            return self.judge(
                observation, observation.value, speed, "km/h", f"{mode} speed in {country}"
            )
        tariff = model.tariff_entry(mode, country)
        if tariff.usd_per_t_km is None:
            return _skip(observation, "not comparable", "the tariff is a fare")
        return self.judge(
            observation,
            observation.value,
            tariff.usd_per_t_km * 500.0 * 20.0,
            "US$ per 500 km per 20 t",
            f"{mode} tariff in {country}",
        )


def _judge(observation: Observation, observed: float, model: float, unit: str, note: str) -> Check:
    tolerance = TIME_TOLERANCE if observation.indicator in _TIMES else COST_TOLERANCE
    error = abs(model - observed) / observed if observed else 0.0
    status = "within" if error <= tolerance else "outside"
    return Check(observation, observed, model, unit, status, note)


def _skip(observation: Observation, status: str, reason: str) -> Check:
    return Check(observation, observation.value, None, observation.unit, status, reason)


def _cited_observations(applied: ScenarioNetwork) -> set[str]:
    parameters = applied.parameters
    groups: Iterable[Any] = (
        *parameters.speeds,
        *parameters.tariffs,
        *parameters.transfers,
        *parameters.border_sides,
        *parameters.border_crossings,
    )
    return {observation for entry in groups for observation in entry.observations}


#: The subpackages whose source shapes a calibration beyond the network's (``data`` and
#: ``network``, already in the seeds digest).
CALIBRATION_CODE = ("routing", "analysis")


def stored_calibration(network: Network) -> Calibration:
    """Return the network's calibration in ``current`` against all its seeds' observations.

    The same as ``calibrate(network, network.seeds.observations)``, kept in the on-disk cache
    (:mod:`corridors.network.cache`) for a network read from a seeds folder, keyed by the
    folder's content digest and the source of the modules that compute it: it is computed once
    per seeds content, not once per report or per command.

    Parameters
    ----------
    network
        A built network.

    Returns
    -------
    Calibration
        As :func:`calibrate` returns it.
    """
    where = cache_dir()
    entry = None
    if where is not None and network.digest:
        key = hashlib.sha256(network.digest.encode())
        key.update(code_digest(CALIBRATION_CODE).encode())
        entry = where / f"calibration-{key.hexdigest()}.pickle"
        stored: Calibration | None = read_entry(entry, Calibration)
        if stored is not None:
            return stored
    found = calibrate(network, network.seeds.observations)
    if entry is not None:
        write_entry(entry, found)
    return found


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
        Every observation with its model value, error, status and sample; ``summary()`` gives
        the mean absolute percentage error per indicator and mode.

    Examples
    --------
    >>> from corridors import load_network
    >>> network = load_network()
    >>> result = calibrate(network, network.seeds.observations)
    >>> 0 <= result.share_within <= 1
    True
    """
    applied = resolve_scenario(network, scenario or BASE_SCENARIO)
    checker = _Checker(applied)
    cited = _cited_observations(applied)
    by_series: dict[tuple[Any, ...], list[Observation]] = {}
    for observation in observations:
        by_series.setdefault(_series(observation), []).append(observation)
    checks = []
    for observation in observations:
        found = checker.check(observation)
        superseded = any(
            _supersedes(other, observation) for other in by_series[_series(observation)]
        )
        checks.append(
            Check(
                found.observation,
                found.observed,
                found.model,
                found.unit,
                found.status,
                found.reason,
                in_sample=observation.id in cited,
                superseded=superseded,
            )
        )
    return Calibration(applied.name, tuple(checks))
