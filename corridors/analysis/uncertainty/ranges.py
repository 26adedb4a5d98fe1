"""The range of each uncertain parameter, resolved against a scenario's parameters.

The most likely value is the one routing uses. A specific range of ``uncertainty.yaml`` is read
as factors of the value in ``parameters.yaml``, so a scenario that overrides a value keeps the
relative spread; a parameter without a specific range takes its kind's default factors.
"""

from __future__ import annotations

from dataclasses import dataclass

from corridors.data.keys import parameter_values
from corridors.data.schema import Parameters, Term, Uncertainty
from corridors.data.uncertainty import kind_of
from corridors.routing.scenarios import ScenarioNetwork

__all__ = ["Param", "Range", "resolve_ranges", "scenario_ranges"]

#: A parameter value: ``(key, "time" or "cost")``.
Param = tuple[str, str]


@dataclass(frozen=True)
class Range:
    """Low, most likely and high value of one parameter, and how it is drawn.

    Attributes
    ----------
    key, term
        The parameter key and which of its values (``time``: km/h of a speed, hours of a step;
        ``cost``: US$/t-km of a tariff, US$/t of a step).
    kind, distribution
        The kind in ``uncertainty.yaml`` and its distribution (``triangular`` or ``pert``).
    low, likely, high
        In the parameter's unit.
    source, note
        Where the range comes from.
    """

    key: str
    term: str
    kind: str
    distribution: str
    low: float
    likely: float
    high: float
    source: str
    note: str = ""

    @property
    def label(self) -> str:
        """``key (term)``, e.g. ``border:kti_bolashak_serhetyaka:reverse (time)``."""
        return f"{self.key} ({self.term})"

    @property
    def inverse(self) -> bool:
        """True for a speed: a higher value means less time."""
        return self.key.startswith("speed:")

    def to_dict(self) -> dict[str, object]:
        """Return the range as plain data."""
        return {
            "key": self.key,
            "term": self.term,
            "kind": self.kind,
            "distribution": self.distribution,
            "low": self.low,
            "likely": self.likely,
            "high": self.high,
            "source": self.source,
            "note": self.note,
        }


def resolve_ranges(
    uncertainty: Uncertainty,
    parameters: Parameters,
    *,
    seed_parameters: Parameters | None = None,
    at_likely: bool = False,
) -> dict[Param, Range]:
    """Return the range of every parameter value of a scenario.

    Parameters
    ----------
    uncertainty
        The kinds and ranges of ``uncertainty.yaml``.
    parameters
        The scenario's effective parameters.
    seed_parameters
        The parameters of ``parameters.yaml`` the specific ranges were written against
        (default: ``parameters``).
    at_likely
        Collapse every range onto its most likely value (no uncertainty).

    Returns
    -------
    dict
        ``(key, term)`` to its range.
    """
    values = parameter_values(parameters)
    written = parameter_values(seed_parameters or parameters)
    specific = {(r.key, r.term.value): r for r in uncertainty.ranges}
    ranges: dict[Param, Range] = {}
    for (key, term), likely in values.items():
        kind = kind_of(uncertainty, key, Term(term))
        if kind is None:  # pragma: no cover - load_uncertainty refuses such a file
            continue
        low, high = likely * kind.low, likely * kind.high
        source, note = kind.source, kind.note
        entry = specific.get((key, term))
        if entry is not None:
            base = written.get((key, term), likely)
            scale = 1.0 if entry.factors else 1.0 / base if base else 0.0
            if entry.low is not None:
                low = likely * entry.low * scale
            if entry.high is not None:
                high = likely * entry.high * scale
            source, note = entry.source, entry.note
        if at_likely:
            low = high = likely
        ranges[key, term] = Range(
            key=key,
            term=term,
            kind=kind.kind,
            distribution=kind.distribution.value,
            low=min(low, likely),
            likely=likely,
            high=max(high, likely),
            source=source,
            note=note,
        )
    return ranges


def scenario_ranges(
    applied: ScenarioNetwork, uncertainty: Uncertainty, *, at_likely: bool = False
) -> dict[Param, Range]:
    """Return the ranges of an applied scenario's parameters.

    Parameters
    ----------
    applied
        The scenario network (its parameters, and the seeds' for the specific ranges).
    uncertainty
        The kinds and ranges.
    at_likely
        Collapse every range onto its most likely value.

    Returns
    -------
    dict
        ``(key, term)`` to its range.
    """
    return resolve_ranges(
        uncertainty,
        applied.parameters,
        seed_parameters=applied.base.seeds.parameters,
        at_likely=at_likely,
    )
