"""Schemas of the hand-edited files in ``seeds/``.

Each model is one row of a CSV file or one entry of a YAML file. Models forbid unknown fields, so
a misspelt column or key is reported rather than silently ignored.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "AlignmentPoint",
    "AlignmentType",
    "Confidence",
    "Fact",
    "Line",
    "Link",
    "Mode",
    "Node",
    "NodeKind",
    "PublishedLength",
    "Source",
    "SourceKind",
    "Status",
]

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$")]
SourceId = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class NodeKind(StrEnum):
    """What a node is."""

    SEAPORT = "seaport"
    CITY = "city"
    RAIL_STATION = "rail_station"
    BORDER_CROSSING = "border_crossing"
    TERMINAL = "terminal"
    JUNCTION = "junction"
    POI = "poi"


class Mode(StrEnum):
    """Transport mode of a link."""

    RAIL = "rail"
    ROAD = "road"
    SEA = "sea"


class Status(StrEnum):
    """Life-cycle status of a link, from most to least real."""

    OPERATIONAL = "operational"
    UNDER_CONSTRUCTION = "under_construction"
    PLANNED = "planned"
    PROPOSED = "proposed"


class AlignmentType(StrEnum):
    """How far a link's geometry can be trusted.

    ``surveyed`` geometry follows mapped track or road vertices (OpenStreetMap), within a few
    hundred metres of the real alignment. ``approximate`` geometry runs straight between real
    stations, towns, junctions or open-water marks along the link, so it is usually a few per cent
    short. Both are routed on their geodesic length. ``schematic`` geometry only passes through
    the places a planned line is reported to serve; it is routed on its published design length.
    """

    SURVEYED = "surveyed"
    APPROXIMATE = "approximate"
    SCHEMATIC = "schematic"


class Confidence(StrEnum):
    """How sure the sources make us."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class SourceKind(StrEnum):
    """What kind of evidence a source is."""

    DOCUMENT = "document"
    WEB = "web"
    REPORT = "report"
    DATASET = "dataset"
    ASSUMPTION = "assumption"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Source(_Strict):
    """A document, web page, report or dataset cited by nodes, links, parameters and facts."""

    id: SourceId
    kind: SourceKind
    title: NonEmpty
    publisher: NonEmpty
    date: str | None = None
    url: str | None = None
    file: str | None = None
    language: str | None = None
    licence: str | None = None
    summary: str | None = None


class Node(_Strict):
    """A place: port, station, border crossing, city, terminal, junction or point of interest."""

    id: Identifier
    name: NonEmpty
    name_local: str = ""
    kind: NodeKind
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    sources: list[SourceId] = Field(min_length=1)
    confidence: Confidence
    notes: str = ""


class AlignmentPoint(_Strict):
    """An intermediate vertex of a link's geometry, in order along the link."""

    link: Identifier
    seq: int = Field(ge=1)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    name: str = ""
    source: SourceId


class PublishedLength(_Strict):
    """A length published for a link or line, with its source."""

    km: float = Field(gt=0)
    source: SourceId
    note: str = ""


class Link(_Strict):
    """A piece of infrastructure between two nodes with one mode, status and gauge."""

    id: Identifier
    name: NonEmpty
    from_: Identifier = Field(alias="from")
    to: Identifier
    mode: Mode
    status: Status
    gauge_mm: int | None = None
    alignment: AlignmentType
    year: int | None = Field(default=None, ge=1850, le=2100)
    published_length: PublishedLength | None = None
    other_published_lengths: list[PublishedLength] = Field(default_factory=list)
    sources: list[SourceId] = Field(min_length=1)
    confidence: Confidence
    notes: str = ""


class Line(_Strict):
    """A named line made of consecutive links, with the totals published for it."""

    id: Identifier
    name: NonEmpty
    links: list[Identifier] = Field(min_length=1)
    published_length: PublishedLength | None = None
    other_published_lengths: list[PublishedLength] = Field(default_factory=list)
    notes: str = ""


class Fact(_Strict):
    """A figure stated in a source document, for reports to quote."""

    id: Identifier
    topic: NonEmpty
    statement: NonEmpty
    value: float | None = None
    unit: str | None = None
    period: str | None = None
    source: SourceId
    date: str | None = None
