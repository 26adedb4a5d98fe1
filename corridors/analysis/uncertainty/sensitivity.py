"""One parameter at a time: which parameters drive each route, and which can flip the best.

Each parameter is set to its low and then its high value, every other parameter staying at its
most likely value; the swing of a route's time and cost between the two is its bar in a tornado
chart. A parameter flips the best route when, at one of its ends, another route of the set does
better than the deterministic best.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from corridors.analysis.uncertainty.ranges import Param, Range
from corridors.analysis.uncertainty.sampling import evaluate, route_terms
from corridors.routing.results import Route

__all__ = ["Bar", "Flip", "Sensitivity", "sensitivity"]


@dataclass(frozen=True)
class Bar:
    """One parameter's effect on one route, at its low and high values."""

    range: Range
    time_h: tuple[float, float]
    cost_usd_per_t: tuple[float, float]
    value: tuple[float, float]

    @property
    def swing(self) -> float:
        """How far apart the route's value (of the set's weight) is at the two ends."""
        return abs(self.value[1] - self.value[0])

    def to_dict(self) -> dict[str, Any]:
        """Return the bar as plain data."""
        return {
            "parameter": self.range.label,
            "kind": self.range.kind,
            "low": self.range.low,
            "likely": self.range.likely,
            "high": self.range.high,
            "source": self.range.source,
            "time_h_at_low": round(self.time_h[0], 3),
            "time_h_at_high": round(self.time_h[1], 3),
            "cost_usd_per_t_at_low": round(self.cost_usd_per_t[0], 3),
            "cost_usd_per_t_at_high": round(self.cost_usd_per_t[1], 3),
            "swing": round(self.swing, 3),
        }


@dataclass(frozen=True)
class Flip:
    """A parameter end at which another route beats the deterministic best."""

    range: Range
    at: str
    winner: Route

    def to_dict(self) -> dict[str, Any]:
        """Return the flip as plain data."""
        return {
            "parameter": self.range.label,
            "at": self.at,
            "value": self.range.low if self.at == "low" else self.range.high,
            "best_becomes": f"#{self.winner.rank} {self.winner.label}",
        }


@dataclass(frozen=True)
class Sensitivity:
    """Tornado bars per route (largest swing first) and the parameters that flip the best."""

    weight: str
    routes: tuple[Route, ...]
    bars: tuple[tuple[Bar, ...], ...]
    flips: tuple[Flip, ...]

    def to_dict(self, *, top: int = 10) -> dict[str, Any]:
        """Return the ``top`` bars of each route and every flip as plain data."""
        return {
            "weight": self.weight,
            "routes": [
                {
                    "rank": route.rank,
                    "label": route.label,
                    "tornado": [bar.to_dict() for bar in bars[:top]],
                }
                for route, bars in zip(self.routes, self.bars, strict=True)
            ],
            "flips_best": [flip.to_dict() for flip in self.flips],
        }


def sensitivity(routes: Sequence[Route], ranges: Mapping[Param, Range], weight: str) -> Sensitivity:
    """Vary each parameter of a route set alone, from its low to its high value.

    Parameters
    ----------
    routes
        The routes, the deterministic best first.
    ranges
        The parameters' ranges.
    weight
        ``time``, ``cost`` or ``generalised``: what the swing and the best are measured in.

    Returns
    -------
    Sensitivity
        Bars per route and the flips.
    """
    terms = route_terms(routes, ranges)
    count = len(terms.params)
    likely = np.array([ranges[p].likely for p in terms.params])
    values = np.repeat(likely[:, None], 2 * count, axis=1)
    for j, param in enumerate(terms.params):
        values[j, 2 * j] = ranges[param].low
        values[j, 2 * j + 1] = ranges[param].high
    time, cost = evaluate(terms, ranges, values)
    vot = np.array([r.value_of_time_usd_per_t_h for r in routes])[:, None]
    measured = {"time": time, "cost": cost}.get(weight, cost + vot * time)
    bars = []
    for i in range(len(routes)):
        row = [
            Bar(
                ranges[param],
                (float(time[i, 2 * j]), float(time[i, 2 * j + 1])),
                (float(cost[i, 2 * j]), float(cost[i, 2 * j + 1])),
                (float(measured[i, 2 * j]), float(measured[i, 2 * j + 1])),
            )
            for j, param in enumerate(terms.params)
        ]
        row.sort(key=lambda bar: (-bar.swing, bar.range.label))
        bars.append(tuple(bar for bar in row if bar.swing > 0))
    flips = []
    for column in range(2 * count):
        winner = int(np.argmin(measured[:, column]))
        if measured[winner, column] < measured[0, column]:
            param = terms.params[column // 2]
            at = "low" if column % 2 == 0 else "high"
            flips.append(Flip(ranges[param], at, routes[winner]))
    return Sensitivity(weight, tuple(routes), tuple(bars), tuple(flips))
