"""Observed trips and corridor indicators (``seeds/observations.yaml``), validated.

An observation is a published figure the model must reproduce: a trip's time or cost, a sea
crossing's time, a tariff, or a CAREC CPMM corridor indicator (TFI1 border-crossing time, TFI2
border-crossing cost, TFI3 cost per 500 km per 20 t, TFI4 speed with and without delay) for a
country, a crossing or a trip. Each cites its source.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from corridors.errors import InvalidSeed, SeedProblem

__all__ = [
    "OBSERVATIONS_FILE",
    "Indicator",
    "Observation",
    "Scope",
    "load_observations",
]

OBSERVATIONS_FILE = "observations.yaml"

_MAX_PROBLEMS = 50


class Indicator(StrEnum):
    """What an observation measures."""

    BORDER_TIME = "border_time"
    BORDER_COST = "border_cost"
    COST_PER_500KM = "cost_per_500km"
    SPEED_WITH_DELAY = "speed_with_delay"
    SPEED_WITHOUT_DELAY = "speed_without_delay"
    TRIP_TIME = "trip_time"
    TRIP_COST = "trip_cost"
    CROSSING_TIME = "crossing_time"
    TARIFF = "tariff"


class Scope(StrEnum):
    """What an observation is about: a national average, one crossing or port, or a trip."""

    COUNTRY = "country"
    CROSSING = "crossing"
    TRIP = "trip"


class Observation(BaseModel):
    """One observed figure; see ``seeds/README.md`` for every key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    indicator: Indicator
    scope: Scope
    mode: str = Field(pattern=r"^(rail|road|sea|multimodal)$")
    direction: str = Field(pattern=r"^(outbound|inbound|both|forward)$")
    cargo_unit: str = Field(pattern=r"^(wagon|container|truck|bulk|tonne|unspecified)$")
    value: float
    unit: str = Field(min_length=1)
    source: str = Field(min_length=1)
    note: str = ""
    year: int | None = Field(default=None, ge=1990, le=2100)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    crossing: str | None = None
    origin: str | None = None
    destination: str | None = None
    via: list[str] = Field(default_factory=list)
    payload_t: float | None = Field(default=None, gt=0)
    low: float | None = None
    high: float | None = None
    distance_km: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _trip_has_ends(self) -> Observation:
        if self.scope is Scope.TRIP and not (self.origin and self.destination):
            message = "a trip needs an origin and a destination"
            raise ValueError(message)
        return self


def load_observations(folder: Path, source_ids: set[str]) -> list[Observation]:
    """Read and validate ``observations.yaml`` in a seeds folder.

    Parameters
    ----------
    folder
        The seeds folder.
    source_ids
        The ids of ``sources.yaml``; every observation must cite one of them.

    Returns
    -------
    list of Observation
        In file order; empty when the file is absent.

    Raises
    ------
    InvalidSeed
        With one problem per bad entry (its id, what is wrong and the fix).
    """
    path = folder / OBSERVATIONS_FILE
    if not path.is_file():
        return []
    problems: list[SeedProblem] = []
    try:
        rows = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        reason = str(error).splitlines()[0]
        raise InvalidSeed(
            [SeedProblem(OBSERVATIONS_FILE, "", f"unreadable: {reason}", "fix the YAML")]
        ) from None
    if not isinstance(rows, list) or not rows:
        fix = "write a YAML list of observations (see seeds/README.md), or remove the file"
        raise InvalidSeed([SeedProblem(OBSERVATIONS_FILE, "", "expected a list of entries", fix)])
    found: list[Observation] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        ident = row.get("id", f"entry {number}") if isinstance(row, dict) else f"entry {number}"
        where = f"observation '{ident}'"
        try:
            observation = Observation.model_validate(row)
        except ValidationError as error:
            first = error.errors()[0]
            key = ".".join(str(part) for part in first["loc"]) or "entry"
            problems.append(
                SeedProblem(
                    OBSERVATIONS_FILE,
                    f"{where}, key '{key}'",
                    first["msg"],
                    "see the keys in seeds/README.md",
                )
            )
            continue
        if observation.id in seen:
            problems.append(
                SeedProblem(OBSERVATIONS_FILE, where, "duplicate id", "give each entry its own id")
            )
        seen.add(observation.id)
        if observation.source not in source_ids:
            problems.append(
                SeedProblem(
                    OBSERVATIONS_FILE,
                    f"{where}, key 'source'",
                    f"unknown source '{observation.source}'",
                    "add it to sources.yaml",
                )
            )
        found.append(observation)
        if len(problems) >= _MAX_PROBLEMS:
            break
    if problems:
        raise InvalidSeed(problems)
    return found
