"""Monte Carlo over a fixed set of routes: every uncertain parameter drawn once per sample.

A route is a row of contributions per parameter (hours and US$ per tonne by key, from its legs'
and steps' terms). A sample draws one value per parameter, shared by every route (the routes
are correlated through the parameters they share), and scales each contribution by it: a
speed's hours by ``likely / drawn``, a dwell's hours and a tariff's or fee's cost by
``drawn / likely``. All samples are evaluated at once as a matrix product.

Draws are reproducible: the values of a parameter depend only on the seed, the parameter's key
and the number of samples, so two route sets (or two scenarios) evaluated with one seed see the
same draws of the parameters they share (common random numbers).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from corridors.analysis.uncertainty.ranges import Param, Range
from corridors.errors import InvalidArgument
from corridors.routing.results import Route

__all__ = [
    "PERCENTILES",
    "Simulation",
    "draw",
    "improvement",
    "route_terms",
    "simulate",
    "verdict",
]

#: The percentiles reported: P10, P50 and P90.
PERCENTILES = (10.0, 50.0, 90.0)

#: Probability above which a change is a robust improvement (and below one minus it, a robust
#: worsening).
ROBUST = 0.9

_WEIGHTS = ("time", "cost", "generalised")


def _stream(seed: int, param: Param) -> np.random.Generator:
    digest = hashlib.blake2b(f"{param[0]}|{param[1]}".encode(), digest_size=8).digest()
    return np.random.default_rng([seed, int.from_bytes(digest, "little")])


def _values(found: Range, rng: np.random.Generator, samples: int) -> np.ndarray:
    low, mode, high = found.low, found.likely, found.high
    if high <= low:
        return np.full(samples, mode)
    if found.distribution == "pert":
        a = 1.0 + 4.0 * (mode - low) / (high - low)
        b = 1.0 + 4.0 * (high - mode) / (high - low)
        return low + (high - low) * rng.beta(a, b, samples)
    return rng.triangular(low, mode, high, samples)


def draw(ranges: Sequence[Range], samples: int, seed: int) -> np.ndarray:
    """Draw every parameter ``samples`` times.

    Parameters
    ----------
    ranges
        The parameters' ranges.
    samples
        How many joint draws.
    seed
        The seed: equal seeds give equal draws.

    Returns
    -------
    numpy.ndarray
        Parameters x samples, in the parameters' units.
    """
    values = np.empty((len(ranges), samples))
    for row, found in enumerate(ranges):
        values[row] = _values(found, _stream(seed, (found.key, found.term)), samples)
    return values


@dataclass(frozen=True)
class RouteTerms:
    """Routes as sparse matrices of contributions per parameter."""

    params: tuple[Param, ...]
    time: sparse.csr_array
    cost: sparse.csr_array
    fixed_time: np.ndarray
    fixed_cost: np.ndarray


def route_terms(routes: Sequence[Route], known: Mapping[Param, Range]) -> RouteTerms:
    """Split each route's time and cost by the parameter that produced it.

    Parameters
    ----------
    routes
        The routes.
    known
        Parameters with a range; contributions of other keys are fixed.

    Returns
    -------
    RouteTerms
        Routes x parameters matrices of hours and US$ per tonne.
    """
    entries: list[tuple[int, Param, float]] = []
    fixed_time, fixed_cost = np.zeros(len(routes)), np.zeros(len(routes))
    for row, route in enumerate(routes):
        for item in route.items:
            accounted_time = accounted_cost = 0.0
            for key, hours in item.time_terms:
                if (key, "time") in known:
                    entries.append((row, (key, "time"), hours))
                    accounted_time += hours
            for key, usd in item.cost_terms:
                if (key, "cost") in known:
                    entries.append((row, (key, "cost"), usd))
                    accounted_cost += usd
            fixed_time[row] += item.time_h - accounted_time
            fixed_cost[row] += item.cost_usd_per_t - accounted_cost
    params = tuple(sorted({param for _, param, _ in entries}))
    column = {param: j for j, param in enumerate(params)}
    shape = (len(routes), len(params))

    def matrix(term: str) -> sparse.csr_array:
        picked = [(r, column[p], v) for r, p, v in entries if p[1] == term]
        rows = [r for r, _, _ in picked]
        cols = [c for _, c, _ in picked]
        data = [v for _, _, v in picked]
        return sparse.csr_array((data, (rows, cols)), shape=shape)

    return RouteTerms(params, matrix("time"), matrix("cost"), fixed_time, fixed_cost)


def verdict(better: float, worse: float | None = None) -> str:
    """Name what the probabilities of a change improving (and worsening) a pair mean.

    Parameters
    ----------
    better
        P(the change improves the pair).
    worse
        P(it makes the pair worse); default ``1 - better`` (no ties).

    Returns
    -------
    str
        ``robust improvement`` (better at least 0.9), ``robust worsening`` (worse at least
        0.9), ``no change`` (neither ever happens), else ``within the noise``.

    Examples
    --------
    >>> verdict(0.97), verdict(0.5), verdict(0.02), verdict(0.0, 0.0)
    ('robust improvement', 'within the noise', 'robust worsening', 'no change')
    """
    worse = 1.0 - better if worse is None else worse
    if better >= ROBUST:
        return "robust improvement"
    if worse >= ROBUST:
        return "robust worsening"
    if better == 0 and worse == 0:
        return "no change"
    return "within the noise"


@dataclass(frozen=True)
class Simulation:
    """Times and costs of a set of routes on every sample.

    Attributes
    ----------
    routes
        The routes, the deterministic best first.
    ranges
        The range of each parameter the routes depend on.
    time_h, cost_usd_per_t
        Routes x samples.
    samples, seed
        How the samples were drawn.
    """

    routes: tuple[Route, ...]
    ranges: tuple[Range, ...]
    time_h: np.ndarray = field(repr=False)
    cost_usd_per_t: np.ndarray = field(repr=False)
    samples: int
    seed: int

    @property
    def generalised_cost(self) -> np.ndarray:
        """Cost plus the value of time times the hours, routes x samples."""
        vot = np.array([r.value_of_time_usd_per_t_h for r in self.routes])[:, None]
        return np.asarray(self.cost_usd_per_t + vot * self.time_h)

    def values(self, weight: str) -> np.ndarray:
        """Return routes x samples of ``time``, ``cost`` or ``generalised``.

        Parameters
        ----------
        weight
            What to return.

        Returns
        -------
        numpy.ndarray
            Hours, US$ per tonne or generalised US$ per tonne.
        """
        if weight == "time":
            return self.time_h
        if weight == "cost":
            return self.cost_usd_per_t
        return self.generalised_cost

    def percentiles(self, weight: str) -> np.ndarray:
        """Return P10, P50 and P90 of each route (routes x 3)."""
        return np.asarray(np.percentile(self.values(weight), PERCENTILES, axis=1).T)

    def within(self, hours: float) -> np.ndarray:
        """Return each route's probability of arriving within ``hours``."""
        return np.asarray((self.time_h <= hours).mean(axis=1))

    def beats_best(self, weight: str) -> np.ndarray:
        """Return each route's probability of doing better than the first route (0 for it)."""
        values = self.values(weight)
        return np.asarray((values < values[0]).mean(axis=1))

    def summary(self, weight: str, *, within_h: float | None = None) -> list[dict[str, Any]]:
        """Return one row per route: P10, P50, P90 of time and cost, and the probabilities.

        Parameters
        ----------
        weight
            What "beats the best" compares.
        within_h
            Adds the probability of arriving within these hours.

        Returns
        -------
        list of dict
            ``rank``, ``label``, ``time_h`` and ``cost_usd_per_t`` (deterministic),
            ``time_h_p10`` ... ``cost_usd_per_t_p90``, ``p_beats_best``, and ``p_within``.
        """
        time, cost = self.percentiles("time"), self.percentiles("cost")
        beats = self.beats_best(weight)
        within = self.within(within_h) if within_h is not None else None
        rows = []
        for i, route in enumerate(self.routes):
            row: dict[str, Any] = {
                "rank": route.rank,
                "label": route.label,
                "time_h": round(route.time_h, 3),
                "cost_usd_per_t": round(route.cost_usd_per_t, 3),
            }
            for name, table in (("time_h", time), ("cost_usd_per_t", cost)):
                for q, value in zip(PERCENTILES, table[i], strict=True):
                    row[f"{name}_p{q:.0f}"] = round(float(value), 3)
            row["p_beats_best"] = round(float(beats[i]), 4)
            if within is not None:
                row["within_h"] = within_h
                row["p_within"] = round(float(within[i]), 4)
            rows.append(row)
        return rows


def _check(samples: int) -> None:
    if samples < 1:
        message = f"samples must be at least 1, got {samples}; pass --samples 1000, for example"
        raise InvalidArgument(message)


def evaluate(
    terms: RouteTerms, ranges: Mapping[Param, Range], values: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return routes x samples of hours and US$ per tonne for drawn parameter values.

    Parameters
    ----------
    terms
        The routes' contributions.
    ranges
        The range of each of ``terms.params``.
    values
        Parameters x samples, in the order of ``terms.params``.

    Returns
    -------
    tuple of numpy.ndarray
        Hours and US$ per tonne, routes x samples.
    """
    factors = np.ones_like(values)
    for row, param in enumerate(terms.params):
        found = ranges[param]
        if found.likely != 0:
            factors[row] = (
                found.likely / values[row] if found.inverse else values[row] / found.likely
            )
    time = terms.time @ factors + terms.fixed_time[:, None]
    cost = terms.cost @ factors + terms.fixed_cost[:, None]
    return np.asarray(time), np.asarray(cost)


def simulate(
    routes: Sequence[Route], ranges: Mapping[Param, Range], *, samples: int = 1000, seed: int = 0
) -> Simulation:
    """Evaluate routes on ``samples`` joint draws of their uncertain parameters.

    Parameters
    ----------
    routes
        The routes (e.g. :attr:`RouteSet.routes`); the first is the one the others must beat.
    ranges
        From :func:`~corridors.analysis.uncertainty.ranges.resolve_ranges` for the routes'
        scenario.
    samples
        Joint draws.
    seed
        Equal seeds give equal numbers.

    Returns
    -------
    Simulation
        Routes x samples of time and cost.

    Raises
    ------
    InvalidArgument
        When ``samples`` is below 1.
    """
    _check(samples)
    terms = route_terms(routes, ranges)
    used = [ranges[p] for p in terms.params]
    time, cost = evaluate(terms, ranges, draw(used, samples, seed))
    return Simulation(tuple(routes), tuple(used), time, cost, samples, seed)


@dataclass(frozen=True)
class Improvement:
    """How likely a scenario's best route beats the base's for one pair."""

    weight: str
    base: np.ndarray = field(repr=False)
    changed: np.ndarray = field(repr=False)

    @property
    def probability(self) -> float:
        """P(the changed route's value is below the base's), over the samples."""
        return float((self.changed < self.base).mean())

    @property
    def worse(self) -> float:
        """P(the changed route's value is above the base's)."""
        return float((self.changed > self.base).mean())

    @property
    def verdict(self) -> str:
        """See :func:`verdict`."""
        return verdict(self.probability, self.worse)

    def to_dict(self) -> dict[str, Any]:
        """Return P10-P90 of both sides, the probability and the verdict."""
        base = np.percentile(self.base, PERCENTILES)
        changed = np.percentile(self.changed, PERCENTILES)
        return {
            "weight": self.weight,
            "base_p10_p50_p90": [round(float(v), 3) for v in base],
            "scenario_p10_p50_p90": [round(float(v), 3) for v in changed],
            "p_improves": round(self.probability, 4),
            "p_worsens": round(self.worse, 4),
            "verdict": self.verdict,
        }


def improvement(
    base: Route,
    base_ranges: Mapping[Param, Range],
    changed: Route,
    changed_ranges: Mapping[Param, Range],
    *,
    weight: str,
    samples: int = 1000,
    seed: int = 0,
) -> Improvement:
    """Compare two routes of one pair on shared draws (e.g. today's and a scenario's best).

    Parameters
    ----------
    base, changed
        The routes.
    base_ranges, changed_ranges
        Their scenarios' ranges.
    weight
        ``time``, ``cost`` or ``generalised``.
    samples, seed
        As for :func:`simulate`; a parameter both routes use is drawn once for both.

    Returns
    -------
    Improvement
        The samples of both, and P(the changed route is better).
    """
    if weight not in _WEIGHTS:
        message = f"weight must be one of {', '.join(_WEIGHTS)} for uncertainty, got '{weight}'"
        raise InvalidArgument(message)
    one = simulate([base], base_ranges, samples=samples, seed=seed)
    two = simulate([changed], changed_ranges, samples=samples, seed=seed)
    return Improvement(weight, one.values(weight)[0], two.values(weight)[0])
