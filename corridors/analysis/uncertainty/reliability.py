"""Reliability of a route set and of a scenario comparison: samples, sensitivity, verdicts.

What the command line, reports and maps show: P10, P50 and P90 of each route's time and cost,
the probability of arriving within a time, the probability that an alternative beats the best,
the parameters each route hangs on, and, for a comparison, how likely the scenario improves each
pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corridors.analysis.uncertainty.ranges import scenario_ranges
from corridors.analysis.uncertainty.sampling import Improvement, Simulation, improvement, simulate
from corridors.analysis.uncertainty.sensitivity import Sensitivity, sensitivity
from corridors.data.schema import Uncertainty
from corridors.routing.results import RouteSet
from corridors.routing.scenarios import ScenarioNetwork

if TYPE_CHECKING:
    from corridors.analysis.compare import Comparison, PairComparison

__all__ = [
    "PairReliability",
    "Reliability",
    "comparison_reliability",
    "route_reliability",
    "uncertain_weight",
]


def uncertain_weight(weight: str) -> str:
    """Return the weight samples are judged on: distance is certain, so it is judged on time.

    Parameters
    ----------
    weight
        The weight routes were found for.

    Returns
    -------
    str
        ``time``, ``cost`` or ``generalised``.
    """
    return "time" if weight == "distance" else weight


@dataclass(frozen=True)
class Reliability:
    """A route set on every sample, and its one-at-a-time sensitivity.

    Attributes
    ----------
    simulation
        Times and costs of the routes on every sample.
    sensitivity
        The tornado of each route and the parameters that flip the best.
    weight
        What "beats the best" and the tornado are measured in.
    within_h
        The time the probability of arriving within is given for, or None.
    """

    simulation: Simulation
    sensitivity: Sensitivity
    weight: str
    within_h: float | None = None

    def rows(self) -> list[dict[str, Any]]:
        """Return one row per route (see :meth:`Simulation.summary`)."""
        return self.simulation.summary(self.weight, within_h=self.within_h)

    def to_dict(self, *, top: int = 10) -> dict[str, Any]:
        """Return the reliability as plain data.

        Parameters
        ----------
        top
            Tornado bars per route.

        Returns
        -------
        dict
            ``samples``, ``seed``, ``weight``, ``within_h``, ``routes`` (one row per route),
            ``sensitivity`` and ``ranges`` (every parameter the routes depend on).
        """
        return {
            "samples": self.simulation.samples,
            "seed": self.simulation.seed,
            "weight": self.weight,
            "within_h": self.within_h,
            "routes": self.rows(),
            "sensitivity": self.sensitivity.to_dict(top=top),
            "ranges": [r.to_dict() for r in self.simulation.ranges],
        }


def route_reliability(
    routes: RouteSet,
    applied: ScenarioNetwork,
    uncertainty: Uncertainty,
    *,
    samples: int = 1000,
    seed: int = 0,
    within_h: float | None = None,
) -> Reliability:
    """Sample a route set's uncertain parameters and vary each alone.

    Parameters
    ----------
    routes
        The answer of :func:`corridors.route` in ``applied``.
    applied
        The scenario the routes were found in.
    uncertainty
        The ranges (:func:`corridors.data.uncertainty.load_uncertainty`).
    samples, seed
        Joint draws, and the seed that makes them reproducible.
    within_h
        Also give each route's probability of arriving within these hours.

    Returns
    -------
    Reliability
        Percentiles, probabilities and sensitivity.
    """
    ranges = scenario_ranges(applied, uncertainty)
    weight = uncertain_weight(routes.best.weight)
    simulation = simulate(routes.routes, ranges, samples=samples, seed=seed)
    return Reliability(simulation, sensitivity(routes.routes, ranges, weight), weight, within_h)


@dataclass(frozen=True)
class PairReliability:
    """How likely a scenario improves one pair, with P10-P90 of both sides."""

    pair: PairComparison
    improvement: Improvement | None

    def to_dict(self) -> dict[str, Any]:
        """Return the pair's probabilities as plain data (``None`` where a side has no route)."""
        data: dict[str, Any] = {
            "origin": self.pair.origin.node_id,
            "destination": self.pair.destination.node_id,
        }
        if self.improvement is None:
            return {**data, "p_improves": None, "verdict": self.pair.outcome}
        return {**data, **self.improvement.to_dict()}


def comparison_reliability(
    comparison: Comparison, uncertainty: Uncertainty, *, samples: int = 1000, seed: int = 0
) -> list[PairReliability]:
    """Return, per pair, the probability that the scenario's best route beats the base's.

    A parameter both best routes depend on is drawn once for both (common random numbers), so
    the probability measures the change, not the noise shared by both sides.

    Parameters
    ----------
    comparison
        From :func:`corridors.analysis.compare.compare`.
    uncertainty
        The ranges.
    samples, seed
        Joint draws and their seed.

    Returns
    -------
    list of PairReliability
        In the comparison's order; no improvement where a side has no route.
    """
    weight = uncertain_weight(comparison.weight)
    base_ranges = scenario_ranges(comparison.base_network, uncertainty)
    ranges = scenario_ranges(comparison.scenario_network, uncertainty)
    found = []
    for pair in comparison.pairs:
        if pair.base is None or pair.scenario is None:
            found.append(PairReliability(pair, None))
            continue
        change = improvement(
            pair.base.best,
            base_ranges,
            pair.scenario.best,
            ranges,
            weight=weight,
            samples=samples,
            seed=seed,
        )
        found.append(PairReliability(pair, change))
    return found
