"""Reliability and uncertainty: ranges of the parameters, Monte Carlo, sensitivity, sweeps.

``ranges`` resolves the ranges of ``seeds/uncertainty.yaml`` against a scenario's parameters;
``sampling`` draws every uncertain parameter once per sample and evaluates a fixed set of routes
on all samples at once (numpy); ``sensitivity`` varies one parameter at a time; ``sweep`` runs
scenarios x samples x pairs on Dask (imported there only).
"""

from corridors.analysis.uncertainty.ranges import Range, resolve_ranges, scenario_ranges
from corridors.analysis.uncertainty.reliability import (
    PairReliability,
    Reliability,
    comparison_reliability,
    route_reliability,
)
from corridors.analysis.uncertainty.sampling import Simulation, improvement, simulate
from corridors.analysis.uncertainty.sensitivity import Sensitivity, sensitivity

__all__ = [
    "PairReliability",
    "Range",
    "Reliability",
    "Sensitivity",
    "Simulation",
    "comparison_reliability",
    "improvement",
    "resolve_ranges",
    "route_reliability",
    "scenario_ranges",
    "sensitivity",
    "simulate",
]
