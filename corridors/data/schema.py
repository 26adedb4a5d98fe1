"""Schemas of the hand-edited files in ``seeds/``.

Each model is one row of a CSV file or one entry of a YAML file. Models forbid unknown fields, so
a misspelt column or key is reported rather than silently ignored.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from corridors.data.vocabulary import Mode, NodeKind, Status

__all__ = [
    "GAUGES_MM",
    "AlignmentPoint",
    "AlignmentType",
    "BorderCrossing",
    "BorderDefault",
    "BorderDirection",
    "BorderSide",
    "BreakOfGauge",
    "CapacityElement",
    "CapacityFile",
    "CapacityKind",
    "CargoUnit",
    "CargoUnitSpec",
    "CargoUnits",
    "Commodity",
    "CommodityGroup",
    "Confidence",
    "DemandCell",
    "DemandScenario",
    "Distribution",
    "Fact",
    "GaugeMm",
    "GrowthRule",
    "Line",
    "Link",
    "Mode",
    "NewLink",
    "Node",
    "NodeKind",
    "ObservedVolume",
    "OdPair",
    "Parameters",
    "PriceBasis",
    "PublishedLength",
    "Scenario",
    "ScenarioChanges",
    "Source",
    "SourceKind",
    "Speed",
    "Status",
    "StepCost",
    "Tariff",
    "Term",
    "Transfer",
    "UncertainRange",
    "Uncertainty",
    "UncertaintyKind",
    "ValueWithSource",
    "VolumeDelay",
]

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$")]
SourceId = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]

#: Track gauges a rail link may have, in millimetres: standard, Russian and Indian gauge.
GAUGES_MM = (1435, 1520, 1676)


def _known_gauge(value: int) -> int:
    if value not in GAUGES_MM:
        raise PydanticCustomError(
            "gauge",
            "unexpected gauge {gauge} mm (known gauges: {known})",
            {"gauge": value, "known": ", ".join(str(g) for g in GAUGES_MM)},
        )
    return value


#: A track gauge, in ``links.yaml`` and in a scenario's ``set_gauge`` alike.
GaugeMm = Annotated[int, AfterValidator(_known_gauge)]


#: (min_lon, min_lat, max_lon, max_lat) of the region the model covers: the Caspian, Central
#: Asia with the Chinese border railheads as far as Urumqi, Iran, Afghanistan and Pakistan.
REGION = (44.0, 24.0, 90.0, 56.0)


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
    # Infinite and NaN numbers are refused everywhere: they pass range checks and break routing.
    model_config = ConfigDict(
        extra="forbid", frozen=True, use_enum_values=False, allow_inf_nan=False
    )


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
    lat: Latitude
    lon: Longitude
    sources: list[SourceId] = Field(min_length=1)
    confidence: Confidence
    notes: str = ""


class AlignmentPoint(_Strict):
    """An intermediate vertex of a link's geometry, in order along the link."""

    link: Identifier
    seq: int = Field(ge=1)
    lat: Latitude
    lon: Longitude
    name: str = ""
    source: SourceId


class PublishedLength(_Strict):
    """A length published for a link or line, with its source."""

    km: float = Field(gt=0)
    source: SourceId
    note: str = ""


class BorderPoint(_Strict):
    """Where a crossing link meets the border, placed by a source (a bridge, a gate).

    It overrides the generalised Natural Earth 1:10m boundary for that link's km by country.
    """

    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
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
    gauge_mm: GaugeMm | None = None
    alignment: AlignmentType
    year: int | None = Field(default=None, ge=1850, le=2100)
    published_length: PublishedLength | None = None
    other_published_lengths: list[PublishedLength] = Field(default_factory=list)
    sources: list[SourceId] = Field(min_length=1)
    confidence: Confidence
    border_at: BorderPoint | None = None
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


class ValueWithSource(_Strict):
    """A single parameter value with its source."""

    value: float = Field(ge=0)
    source: SourceId
    note: str = ""


class CargoUnit(StrEnum):
    """How cargo travels: it sets the tariffs, ferry fares and handling that apply.

    ``container``: a 20-foot box on a flat wagon, a truck or a ferry; ``wagon``: a loaded rail
    wagon of general cargo; ``bulk``: grain or other bulk in hopper or tank wagons; ``truck``: a
    loaded truck with trailer, driven onto ro-ro ferries.
    """

    CONTAINER = "container"
    WAGON = "wagon"
    BULK = "bulk"
    TRUCK = "truck"


Iso2 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class Speed(_Strict):
    """Moving speed of a mode: in general, in one country, on some links, or by status.

    The most specific entry wins: links, then country with status, country, status, general.
    """

    mode: Mode
    status: Status | None = None
    country: Iso2 | None = None
    links: list[Identifier] | None = Field(default=None, min_length=1)
    km_h: float = Field(gt=0)
    source: SourceId
    note: str = ""
    observations: list[Identifier] = Field(default_factory=list)


class Tariff(_Strict):
    """Line-haul tariff of a mode: per tonne-km in a country (``*`` for any other), or a fare.

    ``unit`` restricts it to one cargo unit; ``links`` to some links (a ferry line's fare). A fare
    (``usd_per_t``) is paid once per link travelled, a rate (``usd_per_t_km``) per routing km.
    """

    mode: Mode
    country: Annotated[str, StringConstraints(pattern=r"^([A-Z]{2}|\*)$")] = "*"
    unit: CargoUnit | None = None
    links: list[Identifier] | None = Field(default=None, min_length=1)
    usd_per_t_km: float | None = Field(default=None, ge=0)
    usd_per_t: float | None = Field(default=None, ge=0)
    year: int | None = Field(default=None, ge=1990, le=2100)
    source: SourceId
    note: str = ""
    observations: list[Identifier] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_price(self) -> Tariff:
        if (self.usd_per_t_km is None) == (self.usd_per_t is None):
            raise PydanticCustomError(
                "tariff_price",
                "give exactly one of usd_per_t_km (a rate) and usd_per_t (a fare per link)",
            )
        if self.usd_per_t is not None and self.links is None:
            raise PydanticCustomError(
                "tariff_fare", "a fare (usd_per_t) needs the links it is paid on (links: [...])"
            )
        return self


class Transfer(_Strict):
    """Time and cost of moving cargo from one mode to another at a node (or at one node)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_mode: Mode = Field(alias="from")
    to_mode: Mode = Field(alias="to")
    node: Identifier | None = None
    unit: CargoUnit | None = None
    time_h: float = Field(ge=0)
    cost_usd_per_t: float = Field(ge=0)
    year: int | None = Field(default=None, ge=1990, le=2100)
    source: SourceId
    note: str = ""
    observations: list[Identifier] = Field(default_factory=list)


class PriceBasis(_Strict):
    """The one money basis of every cost: US dollars of one year, by a price index.

    A cost entry with a ``year`` is scaled by ``index[basis year] / index[its year]``; one
    without is taken as already on the basis.
    """

    currency: Annotated[str, StringConstraints(pattern=r"^USD$")] = "USD"
    year: int = Field(ge=1990, le=2100)
    index: dict[int, float] = Field(min_length=1)
    source: SourceId
    note: str = ""

    @model_validator(mode="after")
    def _basis_indexed(self) -> PriceBasis:
        if self.year not in self.index:
            raise PydanticCustomError(
                "price_basis", "the basis year {year} has no index value", {"year": self.year}
            )
        if any(value <= 0 for value in self.index.values()):
            raise PydanticCustomError("price_index", "index values must be positive")
        return self

    def factor(self, year: int | None) -> float:
        """Return the factor that brings money of ``year`` to the basis year.

        Parameters
        ----------
        year
            The year a figure is in (None: already on the basis).

        Returns
        -------
        float
            ``index[basis] / index[year]``; 1 for None.
        """
        if year is None:
            return 1.0
        return self.index[self.year] / self.index[year]


class CargoUnitSpec(_Strict):
    """The payload of a cargo unit, to turn per-unit figures into US$ per tonne.

    ``length_m`` is its running length, for fares charged per metre (rail ferries).
    """

    unit: CargoUnit
    payload_t: float = Field(gt=0)
    length_m: float | None = Field(default=None, gt=0)
    source: SourceId
    note: str = ""


class CargoUnits(_Strict):
    """The cargo units and the one routed when a query names none."""

    default: CargoUnit
    units: list[CargoUnitSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _default_listed(self) -> CargoUnits:
        listed = [spec.unit for spec in self.units]
        if self.default not in listed:
            raise PydanticCustomError(
                "cargo_default",
                "the default cargo unit '{unit}' has no entry in units",
                {"unit": self.default.value},
            )
        return self


class BorderDirection(StrEnum):
    """Which side of a border: leaving a country or entering it."""

    OUTBOUND = "outbound"
    INBOUND = "inbound"


class StepCost(_Strict):
    """Time and cost of a step (a break of gauge, or one direction of a border crossing)."""

    dwell_h: float = Field(ge=0)
    cost_usd_per_t: float = Field(ge=0)


class BreakOfGauge(_Strict):
    """Time and cost of changing gauge between two rail links."""

    time_h: float = Field(ge=0)
    cost_usd_per_t: float = Field(ge=0)
    year: int | None = Field(default=None, ge=1990, le=2100)
    source: SourceId
    note: str = ""


class BorderDefault(_Strict):
    """Dwell and cost of one side of a border for a mode, where no figure of its own applies."""

    mode: Mode
    dwell_h: float = Field(ge=0)
    cost_usd_per_t: float = Field(ge=0)
    year: int | None = Field(default=None, ge=1990, le=2100)
    source: SourceId
    note: str = ""


class BorderSide(_Strict):
    """Dwell and cost of leaving (outbound) or entering (inbound) a country, by mode.

    With ``node`` it applies at that border post or port only. A crossing costs the outbound side
    of the country left plus the inbound side of the country entered.
    """

    country: Iso2
    mode: Mode
    direction: BorderDirection
    node: Identifier | None = None
    unit: CargoUnit | None = None
    dwell_h: float = Field(ge=0)
    cost_usd_per_t: float = Field(ge=0)
    year: int | None = Field(default=None, ge=1990, le=2100)
    source: SourceId
    note: str = ""
    observations: list[Identifier] = Field(default_factory=list)


class BorderCrossing(_Strict):
    """Border dwell and cost of one crossing link, per direction."""

    link: Identifier
    name: NonEmpty
    forward: StepCost
    reverse: StepCost
    year: int | None = Field(default=None, ge=1990, le=2100)
    source: SourceId
    note: str = ""
    observations: list[Identifier] = Field(default_factory=list)


class Parameters(_Strict):
    """Everything in ``seeds/parameters.yaml``."""

    value_of_time_usd_per_t_h: ValueWithSource
    speeds: list[Speed] = Field(min_length=1)
    tariffs: list[Tariff] = Field(min_length=1)
    cargo_units: CargoUnits
    price_basis: PriceBasis | None = None
    transfers: list[Transfer] = Field(default_factory=list)
    break_of_gauge: BreakOfGauge
    border_defaults: list[BorderDefault] = Field(default_factory=list)
    border_sides: list[BorderSide] = Field(default_factory=list)
    border_crossings: list[BorderCrossing] = Field(default_factory=list)

    def cited_sources(self) -> list[str]:
        """Return the source id of every parameter, in file order (with repeats).

        Returns
        -------
        list of str
            Source ids.
        """
        cited = [self.value_of_time_usd_per_t_h.source, self.break_of_gauge.source]
        if self.price_basis is not None:
            cited.append(self.price_basis.source)
        for group in (
            self.speeds,
            self.tariffs,
            self.cargo_units.units,
            self.transfers,
            self.border_defaults,
            self.border_sides,
            self.border_crossings,
        ):
            cited.extend(item.source for item in group)
        return cited


class NewLink(Link):
    """A link added by a scenario, with its waypoints given inline as ``[lat, lon]`` pairs."""

    waypoints: list[tuple[Latitude, Longitude]] = Field(default_factory=list)


class ScenarioChanges(_Strict):
    """What a scenario changes against its base."""

    open: list[Identifier] = Field(default_factory=list)
    open_statuses: list[Status] = Field(default_factory=list)
    close: list[Identifier] = Field(default_factory=list)
    set_status: dict[Identifier, Status] = Field(default_factory=dict)
    set_gauge: dict[Identifier, GaugeMm] = Field(default_factory=dict)
    add_links: list[NewLink] = Field(default_factory=list)
    speeds: list[Speed] = Field(default_factory=list)
    tariffs: list[Tariff] = Field(default_factory=list)
    transfers: list[Transfer] = Field(default_factory=list)
    border_sides: list[BorderSide] = Field(default_factory=list)
    border_crossings: list[BorderCrossing] = Field(default_factory=list)
    value_of_time_usd_per_t_h: float | None = Field(default=None, ge=0)


class Scenario(_Strict):
    """A scenario file in ``seeds/scenarios/``: a base plus changes."""

    name: Identifier
    title: NonEmpty
    description: NonEmpty
    base: Identifier | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    changes: ScenarioChanges = Field(default_factory=ScenarioChanges)
    sources: list[SourceId] = Field(default_factory=list)


class OdPair(_Strict):
    """A default origin-destination pair for scenario reports."""

    origin: Identifier
    destination: Identifier
    note: str = ""
    sources: list[SourceId] = Field(min_length=1)


class Alias(_Strict):
    """Another name of a place: a spelling, a transliteration or a historical name."""

    name: NonEmpty
    source: SourceId


class PlaceGroup(_Strict):
    """A place as users name it: a city with its port, stations and border post.

    A group without members is a known place outside the model's network; naming it says so.
    """

    id: Identifier
    name: NonEmpty
    country: str = Field(pattern=r"^[A-Z]{2}$")
    members: list[Identifier] = Field(default_factory=list)
    aliases: list[Alias] = Field(default_factory=list)
    note: str = ""
    sources: list[SourceId] = Field(min_length=1)


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
    node: Identifier | None = None
    origin: str | None = None
    destination: str | None = None
    via: list[str] = Field(default_factory=list)
    payload_t: float | None = Field(default=None, gt=0)
    low: float | None = None
    high: float | None = None
    distance_km: float | None = Field(default=None, gt=0)
    known_outlier: str = ""

    @model_validator(mode="after")
    def _trip_has_ends(self) -> Observation:
        if self.scope is Scope.TRIP and not (self.origin and self.destination):
            message = "a trip needs an origin and a destination"
            raise ValueError(message)
        return self


# ---------------------------------------------------------------------------- freight flows
class Commodity(StrEnum):
    """A commodity group of the freight demand (``seeds/demand/``)."""

    GRAIN = "grain"
    OIL_PRODUCTS = "oil_products"
    CONTAINERS = "containers"
    CHEMICALS = "chemicals"
    CONSTRUCTION = "construction"


def _assumption_has_note(source: str, note: str) -> None:
    if source == "assumption" and not note.strip():
        message = "a figure with 'source: assumption' needs a note saying why"
        raise ValueError(message)


class CommodityGroup(_Strict):
    """A commodity group and its route-choice scale, in ``seeds/demand/commodities.yaml``."""

    id: Commodity
    name: NonEmpty
    logit_scale_per_usd: float = Field(gt=0)
    source: SourceId
    note: str = ""

    @model_validator(mode="after")
    def _cited(self) -> CommodityGroup:
        _assumption_has_note(self.source, self.note)
        return self


class DemandCell(_Strict):
    """Tonnes a year of one commodity from one zone to another, in ``seeds/demand/base.yaml``.

    A zone is a place of ``places.yaml`` or a transport node of ``nodes.csv``.
    """

    id: Identifier
    origin: Identifier
    destination: Identifier
    commodity: Commodity
    t_per_year: float = Field(gt=0)
    year: int = Field(ge=1990, le=2100)
    source: SourceId
    note: str = ""

    @model_validator(mode="after")
    def _cited(self) -> DemandCell:
        _assumption_has_note(self.source, self.note)
        if self.origin == self.destination:
            message = "origin and destination are the same zone"
            raise ValueError(message)
        return self


class GrowthRule(_Strict):
    """Scale the cells of a demand scenario that match a commodity and the countries of both ends.

    ``between`` names two countries: a cell matches when one end lies in each, either way.
    ``countries`` matches a cell with either end in one of them. Without either, every cell of
    the commodity (or every cell) matches. Later rules multiply earlier ones.
    """

    commodity: Commodity | None = None
    between: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]] = Field(
        default_factory=list, max_length=2
    )
    countries: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]] = Field(
        default_factory=list
    )
    factor: float = Field(gt=0)
    source: SourceId
    note: str = ""

    @model_validator(mode="after")
    def _cited(self) -> GrowthRule:
        _assumption_has_note(self.source, self.note)
        if len(self.between) == 1:
            message = "'between' needs two countries"
            raise ValueError(message)
        return self


class DemandScenario(_Strict):
    """A demand scenario (``seeds/demand/scenarios.yaml``): growth rules and added cells."""

    id: Identifier
    title: NonEmpty
    year: int = Field(ge=1990, le=2100)
    rules: list[GrowthRule] = Field(default_factory=list)
    add: list[DemandCell] = Field(default_factory=list)


class CapacityKind(StrEnum):
    """What a capacity is for: a link (a section), a border crossing link, or a port."""

    LINK = "link"
    CROSSING = "crossing"
    PORT = "port"


class VolumeDelay(_Strict):
    """A BPR-type volume-delay function: dwell = free dwell x (1 + alpha x (v / c) ** beta)."""

    alpha: float = Field(gt=0)
    beta: float = Field(ge=1)
    source: SourceId
    note: str = ""


class CapacityElement(_Strict):
    """The capacity of a link, a border crossing link or a port, in tonnes a year.

    A capacity counts both directions together, as throughput is published. A port's free
    dwell is the time a vessel's cargo waits at the berth when the port is empty.
    """

    id: Identifier
    kind: CapacityKind
    name: NonEmpty
    links: list[Identifier] = Field(default_factory=list)
    node: Identifier | None = None
    t_per_year: float = Field(gt=0)
    free_dwell_h: float | None = Field(default=None, gt=0)
    year: int | None = Field(default=None, ge=1990, le=2100)
    source: SourceId
    note: str = ""

    @model_validator(mode="after")
    def _where(self) -> CapacityElement:
        _assumption_has_note(self.source, self.note)
        if self.kind is CapacityKind.PORT:
            if self.node is None or self.links or self.free_dwell_h is None:
                message = "a port needs 'node' and 'free_dwell_h', and no 'links'"
                raise ValueError(message)
        elif not self.links or self.node is not None:
            message = f"a {self.kind.value} needs 'links' and no 'node'"
            raise ValueError(message)
        return self


class CapacityFile(_Strict):
    """Everything in ``seeds/capacity.yaml``: volume-delay functions and capacities."""

    volume_delay: dict[CapacityKind, VolumeDelay]
    elements: list[CapacityElement] = Field(min_length=1)

    @model_validator(mode="after")
    def _every_kind(self) -> CapacityFile:
        missing = [kind.value for kind in CapacityKind if kind not in self.volume_delay]
        if missing:
            message = f"volume_delay lacks {', '.join(missing)}"
            raise ValueError(message)
        return self


class ObservedVolume(_Strict):
    """A published freight volume the base-year flows are compared with.

    It is the flow through the capacity elements named (summed), optionally of one commodity.
    """

    id: Identifier
    name: NonEmpty
    elements: list[Identifier] = Field(min_length=1)
    commodity: Commodity | None = None
    t_per_year: float = Field(gt=0)
    year: int = Field(ge=1990, le=2100)
    source: SourceId
    note: str = ""

    @model_validator(mode="after")
    def _cited(self) -> ObservedVolume:
        _assumption_has_note(self.source, self.note)
        return self


# ---------------------------------------------------------------------------- uncertainty
class Distribution(StrEnum):
    """How an uncertain parameter is drawn between its low and high values."""

    #: Triangular on (low, most likely, high): for figures known only by their bounds.
    TRIANGULAR = "triangular"
    #: Beta-PERT on (low, most likely, high): weight near the most likely value, a long tail.
    PERT = "pert"


class Term(StrEnum):
    """Which value of a parameter entry: its time (hours, or km/h) or its cost."""

    TIME = "time"
    COST = "cost"


class UncertaintyKind(_Strict):
    """A kind of uncertain parameter: the keys it covers, its distribution and default spread."""

    kind: Identifier
    keys: NonEmpty
    term: Term
    distribution: Distribution
    low: float = Field(gt=0, le=1)
    high: float = Field(ge=1)
    source: SourceId
    note: str = ""


class UncertainRange(_Strict):
    """The range of one parameter, from the spread of its sources.

    ``low`` and ``high`` are absolute values in the parameter's unit (km/h for a speed, US$ per
    tonne-km for a tariff, hours or US$ per tonne for a step), or factors of the most likely
    value when ``factors`` is true. One of them may be left out: the kind's default applies.
    """

    key: NonEmpty
    term: Term
    low: float | None = Field(default=None, ge=0)
    high: float | None = Field(default=None, ge=0)
    factors: bool = False
    source: SourceId
    note: str = ""

    @model_validator(mode="after")
    def _bounds(self) -> UncertainRange:
        if self.low is None and self.high is None:
            message = "give low, high or both"
            raise ValueError(message)
        if self.low is not None and self.high is not None and self.low > self.high:
            message = f"low {self.low} is above high {self.high}"
            raise ValueError(message)
        return self


class Uncertainty(_Strict):
    """Everything in ``seeds/uncertainty.yaml``."""

    kinds: list[UncertaintyKind] = Field(min_length=1)
    ranges: list[UncertainRange] = Field(default_factory=list)
