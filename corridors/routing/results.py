"""Route results: legs, steps, totals, and their conversion to tables, GeoDataFrames and JSON."""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from corridors.routing.terms import SOURCE_SEPARATOR

if TYPE_CHECKING:
    import pandas as pd
    from shapely import LineString, MultiLineString, Point

__all__ = [
    "CPMM_SHIPMENT_T",
    "GEO_KINDS",
    "LazyRoutes",
    "Leg",
    "Route",
    "RouteMatrix",
    "RouteSet",
    "Step",
    "Terms",
    "terms_by_key",
]

_ROUND = 3

#: What :meth:`RouteSet.to_geodataframe` can return: legs as lines, whole routes as
#: multi-lines, or steps as points.
GEO_KINDS = ("legs", "routes", "steps")

#: ``(parameter key, contribution)`` pairs; see :func:`corridors.routing.costs.parameter_key`.
Terms = tuple[tuple[str, float], ...]

#: The shipment CAREC CPMM normalises border costs and corridor costs to (TFI2, TFI3), tonnes.
CPMM_SHIPMENT_T = 20.0

#: Columns holding whole numbers (or nothing), as pandas' nullable ``Int64``.
_INTEGER_COLUMNS = ("gauge_mm", "year", "rank", "order", "position")


@dataclass(frozen=True)
class Leg:
    """One link travelled in one direction.

    Attributes
    ----------
    link_id, name
        The link.
    from_id, to_id
        Nodes in the direction travelled.
    mode, status, gauge_mm
        The link's mode, its status in the scenario, and its gauge (None when not rail or not
        published).
    countries
        Countries in the direction travelled.
    km_by_country
        Routing kilometres in each country; empty for sea lanes.
    length_km, time_h, cost_usd_per_t
        Routing length, running time and line-haul cost.
    alignment
        ``surveyed``, ``approximate`` or ``schematic``.
    sources
        Source ids of the link.
    year
        The link's opening year (or planned year when not yet open), or None.
    time_terms, cost_terms
        The parameter entries behind ``time_h`` (the speed) and ``cost_usd_per_t`` (the
        tariff of each country crossed), as ``(key, contribution)`` pairs that add up to them.
    coordinates
        The link's line in the direction travelled, as ``(lon, lat)`` points (EPSG:4326), or
        None; :attr:`geometry` is the same line as a shapely ``LineString``.
    """

    link_id: str
    name: str
    from_id: str
    to_id: str
    mode: str
    status: str
    gauge_mm: int | None
    countries: tuple[str, ...]
    km_by_country: tuple[tuple[str, float], ...]
    length_km: float
    time_h: float
    cost_usd_per_t: float
    alignment: str
    sources: tuple[str, ...]
    year: int | None = None
    time_terms: Terms = ()
    cost_terms: Terms = ()
    coordinates: tuple[tuple[float, float], ...] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def kind(self) -> str:
        """Always ``"leg"``."""
        return "leg"

    @cached_property
    def geometry(self) -> LineString | None:
        """The link's line in the direction travelled (EPSG:4326), or None."""
        if self.coordinates is None:
            return None
        from shapely import LineString  # noqa: PLC0415

        return LineString(self.coordinates)


@dataclass(frozen=True)
class Step:
    """Something that costs time or money at a node between legs.

    Attributes
    ----------
    kind
        ``transfer`` (between modes), ``break_of_gauge``, ``gauge_unknown`` (a rail link of
        unpublished gauge meets a known gauge; no break assumed) or ``border``.
    at
        The node where it happens (for a border, the node where the crossing link ends).
    description
        One line for people.
    time_h, cost_usd_per_t
        What it costs.
    from_value, to_value
        Modes for a transfer, gauges for a break of gauge, countries for a border.
    link_id
        The crossing link, for a border step.
    source, note
        Where the figures come from.
    time_terms, cost_terms
        The parameter entry behind ``time_h`` and ``cost_usd_per_t``, as ``((key, value),)``;
        empty for a step no parameter produced (an unknown gauge change).
    point
        The ``(lon, lat)`` of the node ``at`` (EPSG:4326), or None; :attr:`geometry` is the
        same point as a shapely ``Point``.
    """

    kind: str
    at: str
    description: str
    time_h: float
    cost_usd_per_t: float
    from_value: str
    to_value: str
    source: str
    note: str = ""
    link_id: str = ""
    time_terms: Terms = ()
    cost_terms: Terms = ()
    point: tuple[float, float] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def geometry(self) -> Point | None:
        """The point of the node ``at`` (EPSG:4326), or None."""
        if self.point is None:
            return None
        from shapely import Point  # noqa: PLC0415

        return Point(self.point)

    @property
    def sources(self) -> tuple[str, ...]:
        """The source ids of the step (a border step cites each side's source)."""
        return tuple(part for part in self.source.split(SOURCE_SEPARATOR) if part)


@dataclass(frozen=True)
class Route:
    """A route: legs and steps in order, with totals.

    Attributes
    ----------
    origin, destination
        Node ids.
    scenario
        The scenario it was computed in.
    weight
        What it was optimised for: ``distance``, ``time``, ``cost`` or ``generalised``.
    items
        Legs and steps in travel order.
    value_of_time_usd_per_t_h
        Used for ``generalised_cost``.
    rank
        1 for the best route of a query, 2 for the next alternative, ...
    label
        What the route is (``best``, ``alternative``, or a mode combination such as
        ``rail only``).
    """

    origin: str
    destination: str
    scenario: str
    weight: str
    items: tuple[Leg | Step, ...]
    value_of_time_usd_per_t_h: float
    rank: int = 1
    label: str = "best"

    @property
    def legs(self) -> list[Leg]:
        """The legs in order."""
        return [item for item in self.items if isinstance(item, Leg)]

    @property
    def steps(self) -> list[Step]:
        """The steps in order."""
        return [item for item in self.items if isinstance(item, Step)]

    @property
    def node_ids(self) -> list[str]:
        """Nodes passed, in order, from origin to destination."""
        nodes = [self.origin]
        for leg in self.legs:
            if nodes[-1] != leg.from_id:  # pragma: no cover - legs are consecutive by construction
                nodes.append(leg.from_id)
            nodes.append(leg.to_id)
        return nodes

    @property
    def length_km(self) -> float:
        """Total routing length."""
        return sum(leg.length_km for leg in self.legs)

    @property
    def time_h(self) -> float:
        """Total time: running time of the legs plus every step."""
        return sum(item.time_h for item in self.items)

    @property
    def cost_usd_per_t(self) -> float:
        """Total cost per tonne: line haul plus every step."""
        return sum(item.cost_usd_per_t for item in self.items)

    @property
    def generalised_cost(self) -> float:
        """Cost plus the value of time multiplied by the hours."""
        return self.cost_usd_per_t + self.value_of_time_usd_per_t_h * self.time_h

    @property
    def modes(self) -> list[str]:
        """Modes used, in order of first use."""
        return list(dict.fromkeys(leg.mode for leg in self.legs))

    @property
    def countries(self) -> list[str]:
        """Countries passed, in order."""
        seen: list[str] = []
        for leg in self.legs:
            for iso2 in leg.countries:
                if not seen or seen[-1] != iso2:
                    seen.append(iso2)
        return list(dict.fromkeys(seen))

    @property
    def km_by_country(self) -> dict[str, float]:
        """Routing kilometres in each country (sea lanes are counted under ``sea``)."""
        totals: dict[str, float] = {}
        for leg in self.legs:
            if leg.mode == "sea":
                totals["sea"] = totals.get("sea", 0.0) + leg.length_km
                continue
            for iso2, km in leg.km_by_country:
                totals[iso2] = totals.get(iso2, 0.0) + km
        return {iso2: round(km, 1) for iso2, km in totals.items()}

    def value(self, weight: str | None = None) -> float:
        """Return the route's value for a weight (default: the weight it was optimised for).

        Parameters
        ----------
        weight
            ``distance``, ``time``, ``cost`` or ``generalised``.

        Returns
        -------
        float
            km, hours, US$/t or generalised US$/t.
        """
        chosen = weight or self.weight
        return {
            "distance": self.length_km,
            "time": self.time_h,
            "cost": self.cost_usd_per_t,
            "generalised": self.generalised_cost,
        }[chosen]

    def to_frame(self) -> pd.DataFrame:
        """Legs and steps as a table, one row per item in travel order.

        Returns
        -------
        pandas.DataFrame
            Columns ``kind``, ``from``, ``to``, ``at``, ``link_id``, ``mode``, ``status``,
            ``gauge_mm``, ``countries``, ``length_km``, ``time_h``, ``cost_usd_per_t``,
            ``description``, ``sources``.
        """
        import pandas as pd  # noqa: PLC0415

        rows = []
        for item in self.items:
            if isinstance(item, Leg):
                rows.append(
                    {
                        "kind": "leg",
                        "from": item.from_id,
                        "to": item.to_id,
                        "at": "",
                        "link_id": item.link_id,
                        "mode": item.mode,
                        "status": item.status,
                        "gauge_mm": item.gauge_mm,
                        "countries": "-".join(item.countries),
                        "length_km": round(item.length_km, 1),
                        "time_h": round(item.time_h, 2),
                        "cost_usd_per_t": round(item.cost_usd_per_t, 2),
                        "description": item.name,
                        "sources": ";".join(item.sources),
                    }
                )
            else:
                rows.append(
                    {
                        "kind": item.kind,
                        "from": "",
                        "to": "",
                        "at": item.at,
                        "link_id": item.link_id,
                        "mode": "",
                        "status": "",
                        "gauge_mm": None,
                        "countries": "",
                        "length_km": 0.0,
                        "time_h": round(item.time_h, 2),
                        "cost_usd_per_t": round(item.cost_usd_per_t, 2),
                        "description": item.description,
                        "sources": item.source,
                    }
                )
        return _integers(pd.DataFrame(rows))

    @property
    def geometry(self) -> MultiLineString | None:
        """The legs' lines, in travel order, as one multi-line (EPSG:4326), or None."""
        lines = [leg.geometry for leg in self.legs if leg.geometry is not None]
        if not lines:
            return None
        from shapely import MultiLineString  # noqa: PLC0415

        return MultiLineString(lines)

    def __repr__(self) -> str:
        nodes = self.node_ids
        path = " > ".join(nodes) if len(nodes) <= 3 else f"{nodes[0]} > ... > {nodes[-1]}"
        return (
            f"<Route #{self.rank} {self.label}: {path}, {self.length_km:,.0f} km, "
            f"{self.time_h:,.1f} h, US${self.cost_usd_per_t:,.1f}/t>"
        )

    def _repr_html_(self) -> str:
        """Return the legs and steps as a compact HTML table, for notebooks."""
        rows = [
            [
                "leg" if isinstance(item, Leg) else item.kind.replace("_", " "),
                item.from_id if isinstance(item, Leg) else item.at,
                item.to_id if isinstance(item, Leg) else "",
                item.mode if isinstance(item, Leg) else "",
                f"{item.length_km:,.1f}" if isinstance(item, Leg) else "",
                f"{item.time_h:,.1f}",
                f"{item.cost_usd_per_t:,.1f}",
                item.name if isinstance(item, Leg) else item.description,
            ]
            for item in self.items
        ]
        caption = (
            f"Route #{self.rank} ({self.label}) in '{self.scenario}' by {self.weight}: "
            f"{self.length_km:,.0f} km, {self.time_h:,.1f} h, US${self.cost_usd_per_t:,.1f}/t, "
            f"{'+'.join(self.modes)}, {'-'.join(self.countries)}"
        )
        header = ["item", "from / at", "to", "mode", "km", "h", "US$/t", "what"]
        return _html_table(caption, header, rows)

    def carec(self) -> dict[str, Any]:
        """Return the CAREC CPMM corridor indicators of the route.

        The definitions are CPMM's (for example the 2023 annual report's Kazakhstan chapter,
        ``cpmm_2023_kazakhstan`` in ``seeds/sources.yaml``), computed on the model's route:
        TFI1 is the time to clear each border crossing (both sides, h), TFI2 its cost per
        shipment of :data:`CPMM_SHIPMENT_T` tonnes (US$), TFI3 the route's whole cost
        normalised to 500 km and 20 t (US$), TFI4 the speed with delay (route km over all its
        hours) and the speed without delay (route km over the running time of its legs).

        Returns
        -------
        dict
            ``tfi1_border_h`` and ``tfi2_border_usd`` (one entry per crossing: ``at``,
            ``from``, ``to``, ``mode`` and the value), ``tfi3_usd_per_500km_20t``,
            ``tfi4_speed_with_delay_km_h``, ``speed_without_delay_km_h``.
        """
        borders = [step for step in self.steps if step.kind == "border"]
        crossings = [
            {"at": s.at, "from": s.from_value, "to": s.to_value, "link_id": s.link_id}
            for s in borders
        ]
        running_h = sum(leg.time_h for leg in self.legs)
        length = self.length_km
        return {
            "tfi1_border_h": [
                {**where, "hours": round(s.time_h, 2)}
                for where, s in zip(crossings, borders, strict=True)
            ],
            "tfi2_border_usd": [
                {**where, "usd": round(s.cost_usd_per_t * CPMM_SHIPMENT_T, 1)}
                for where, s in zip(crossings, borders, strict=True)
            ],
            "tfi3_usd_per_500km_20t": (
                round(self.cost_usd_per_t * CPMM_SHIPMENT_T * 500.0 / length, 1) if length else None
            ),
            "tfi4_speed_with_delay_km_h": round(length / self.time_h, 2) if self.time_h else None,
            "speed_without_delay_km_h": round(length / running_h, 2) if running_h else None,
        }

    def summary(self) -> dict[str, Any]:
        """Totals and identity of the route, without its legs.

        Returns
        -------
        dict
            ``rank``, ``label``, ``scenario``, ``weight``, ``length_km``, ``time_h``,
            ``cost_usd_per_t``, ``generalised_cost``, ``modes``, ``countries``,
            ``km_by_country``, ``node_ids``, ``steps`` (counts by kind).
        """
        kinds: dict[str, int] = {}
        for step in self.steps:
            kinds[step.kind] = kinds.get(step.kind, 0) + 1
        return {
            "rank": self.rank,
            "label": self.label,
            "origin": self.origin,
            "destination": self.destination,
            "scenario": self.scenario,
            "weight": self.weight,
            "length_km": round(self.length_km, _ROUND),
            "time_h": round(self.time_h, _ROUND),
            "cost_usd_per_t": round(self.cost_usd_per_t, _ROUND),
            "generalised_cost": round(self.generalised_cost, _ROUND),
            "modes": self.modes,
            "countries": self.countries,
            "km_by_country": self.km_by_country,
            "node_ids": self.node_ids,
            "steps": kinds,
            "carec": self.carec(),
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the route as plain data: :meth:`summary` with ``legs`` and ``steps``.

        Every leg and step carries ``position``, its place in travel order.

        Returns
        -------
        dict
            JSON-serialisable.
        """
        legs, steps = [], []
        for position, item in enumerate(self.items):
            if isinstance(item, Step):
                steps.append({"position": position, "kind": item.kind, **_step_dict(item)})
            else:
                legs.append({"position": position, "kind": "leg", **_leg_dict(item)})
        return {**self.summary(), "legs": legs, "steps": steps}


def _integers(frame: pd.DataFrame) -> pd.DataFrame:
    """Give whole-number columns pandas' nullable ``Int64`` (``1520``, not ``1520.0``)."""
    for column in _INTEGER_COLUMNS:
        if column in frame.columns:
            frame[column] = frame[column].astype("Int64")
    return frame


def _html_table(caption: str, header: list[str], rows: list[list[str]]) -> str:
    """Return a small HTML table; every text is escaped."""
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return (
        f"<table><caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def terms_by_key(terms: Terms) -> dict[str, float]:
    """Add up the contributions of each parameter key, in order of first appearance.

    Parameters
    ----------
    terms
        ``(key, contribution)`` pairs.

    Returns
    -------
    dict
        Key to total contribution.

    Examples
    --------
    >>> terms_by_key((("tariff:rail:KZ", 1.0), ("tariff:rail:TM", 2.0), ("tariff:rail:KZ", 0.5)))
    {'tariff:rail:KZ': 1.5, 'tariff:rail:TM': 2.0}
    """
    totals: dict[str, float] = {}
    for key, value in terms:
        totals[key] = totals.get(key, 0.0) + value
    return totals


def _terms_data(data: dict[str, Any], item: Leg | Step) -> None:
    for name in ("time_terms", "cost_terms"):
        data[name] = {k: round(v, _ROUND) for k, v in terms_by_key(getattr(item, name)).items()}


def _terms_text(row: dict[str, Any]) -> None:
    for name in ("time_terms", "cost_terms"):
        row[name] = ";".join(f"{k}={v}" for k, v in row[name].items())


def _step_dict(step: Step) -> dict[str, Any]:
    data = asdict(step)
    data.pop("point")
    _terms_data(data, step)
    return data


def _leg_dict(leg: Leg) -> dict[str, Any]:
    data = asdict(leg)
    data.pop("coordinates")
    data["countries"] = list(leg.countries)
    data["km_by_country"] = {iso2: round(km, 1) for iso2, km in leg.km_by_country}
    data["sources"] = list(leg.sources)
    for key in ("length_km", "time_h", "cost_usd_per_t"):
        data[key] = round(data[key], _ROUND)
    _terms_data(data, leg)
    return data


class LazyRoutes(Mapping[str, "Route"]):
    """Routes by label, found the first time they are looked at.

    Parameters
    ----------
    find
        Returns the routes; called once, on first use.

    Notes
    -----
    A pickled or copied value is a plain ``dict`` of the routes.
    """

    def __init__(self, find: Callable[[], Mapping[str, Route]]) -> None:
        self._find: Callable[[], Mapping[str, Route]] | None = find
        self._routes: dict[str, Route] = {}

    def _found(self) -> dict[str, Route]:
        if self._find is not None:
            self._routes = dict(self._find())
            self._find = None
        return self._routes

    def __getitem__(self, label: str) -> Route:
        return self._found()[label]

    def __iter__(self) -> Iterator[str]:
        return iter(self._found())

    def __len__(self) -> int:
        return len(self._found())

    def __repr__(self) -> str:
        return repr(self._found())

    def __reduce__(self) -> tuple[type[dict[str, Route]], tuple[dict[str, Route]]]:
        return (dict, (self._found(),))


@dataclass(frozen=True)
class RouteSet:
    """The answer to one routing query.

    Attributes
    ----------
    routes
        The best route first, then alternatives in order of the weight.
    by_mode
        The best route per mode combination (``rail only``, ``road only``, ``rail and road``,
        ``with a sea leg``) that exists; found when first looked at (:class:`LazyRoutes`).
    query
        What was asked: origin, destination, weight, scenario, k, modes, statuses, avoid, via,
        what was typed for each place, and the snap distance of coordinates.
    places
        The resolved places: origin, destination, then via places.
    """

    routes: tuple[Route, ...]
    by_mode: Mapping[str, Route]
    query: dict[str, Any]
    places: tuple[Any, ...] = ()

    @property
    def best(self) -> Route:
        """The best route."""
        return self.routes[0]

    def to_frame(self) -> pd.DataFrame:
        """One row per route (alternatives, then the best per mode combination).

        Returns
        -------
        pandas.DataFrame
            The columns of :meth:`Route.summary`, with lists joined into text.
        """
        import pandas as pd  # noqa: PLC0415

        rows = []
        for route in self.all_routes:
            summary = route.summary()
            summary["modes"] = "+".join(summary["modes"])
            summary["countries"] = "-".join(summary["countries"])
            summary["km_by_country"] = ";".join(
                f"{k}:{v}" for k, v in summary["km_by_country"].items()
            )
            summary["node_ids"] = " > ".join(summary["node_ids"])
            summary["steps"] = ", ".join(f"{v} {k}" for k, v in summary["steps"].items())
            rows.append(summary)
        return _integers(pd.DataFrame(rows))

    @property
    def all_routes(self) -> list[Route]:
        """The routes, then the best route per mode combination."""
        return [*self.routes, *self.by_mode.values()]

    def __repr__(self) -> str:
        query = self.query
        head = (
            f"<RouteSet {query.get('origin', self.best.origin)} to "
            f"{query.get('destination', self.best.destination)} in '{self.best.scenario}' "
            f"by {self.best.weight}: {len(self.routes)} route{'s' if len(self.routes) != 1 else ''}"
        )
        best = self.best
        totals = (
            f"best {best.length_km:,.0f} km, {best.time_h:,.1f} h, US${best.cost_usd_per_t:,.1f}/t"
        )
        by_mode = f"; by mode: {', '.join(self.by_mode)}" if self.by_mode else ""
        return f"{head}, {totals}{by_mode}>"

    def _repr_html_(self) -> str:
        """Return the routes as a compact HTML table, for notebooks."""
        rows = [
            [
                str(route.rank),
                route.label,
                f"{route.length_km:,.0f}",
                f"{route.time_h:,.1f}",
                f"{route.cost_usd_per_t:,.1f}",
                f"{route.generalised_cost:,.1f}",
                "+".join(route.modes),
                "-".join(route.countries),
                " > ".join(route.node_ids),
            ]
            for route in self.all_routes
        ]
        best = self.best
        caption = (
            f"{best.origin} to {best.destination} in '{best.scenario}' by {best.weight}: "
            f"{len(self.routes)} route(s) and the best per mode combination"
        )
        header = ["#", "route", "km", "h", "US$/t", "generalised", "modes", "countries", "path"]
        return _html_table(caption, header, rows)

    def to_geodataframe(self, kind: str = "legs") -> Any:
        """Routes, legs or steps as features, EPSG:4326.

        Parameters
        ----------
        kind
            ``legs`` (default): one row per leg of every route (``order`` counts the legs),
            its line in the direction travelled. ``routes``: one row per route with its
            totals (the columns of :meth:`to_frame`) and its legs as one multi-line.
            ``steps``: one row per step (transfer, transshipment, break of gauge, border)
            at the node's point.
            Every row carries the route's ``rank`` and ``label``; legs and steps their
            ``position`` in travel order. Whole numbers (``gauge_mm``, ``year``) are
            nullable ``Int64``.

        Returns
        -------
        geopandas.GeoDataFrame
            EPSG:4326.

        Raises
        ------
        InvalidArgument
            For another ``kind``.
        """
        import geopandas as gpd  # noqa: PLC0415
        import pandas as pd  # noqa: PLC0415

        if kind not in GEO_KINDS:
            from corridors.errors import InvalidArgument  # noqa: PLC0415

            message = f"unknown kind '{kind}'; use one of {', '.join(GEO_KINDS)}"
            raise InvalidArgument(message)
        rows: list[dict[str, Any]] = []
        if kind == "routes":
            frame = self.to_frame()
            geometry = [route.geometry for route in self.all_routes]
            return gpd.GeoDataFrame(
                _integers(frame), geometry=gpd.GeoSeries(geometry, crs="EPSG:4326")
            )
        for route in self.all_routes:
            order = 0
            for position, item in enumerate(route.items):
                if kind == "legs" and isinstance(item, Leg):
                    order += 1
                    row = {"order": order, **_leg_dict(item)}
                    row["countries"] = "-".join(item.countries)
                    row["km_by_country"] = ";".join(f"{k}:{v:.1f}" for k, v in item.km_by_country)
                    row["sources"] = ";".join(item.sources)
                elif kind == "steps" and isinstance(item, Step):
                    row = _step_dict(item)
                else:
                    continue
                _terms_text(row)
                rows.append(
                    {
                        "rank": route.rank,
                        "label": route.label,
                        "position": position,
                        **row,
                        "geometry": item.geometry,
                    }
                )
        columns = _GEO_COLUMNS[kind]
        frame = pd.DataFrame(rows, columns=columns)
        return gpd.GeoDataFrame(
            _integers(frame.drop(columns="geometry")),
            geometry=gpd.GeoSeries(list(frame["geometry"]), crs="EPSG:4326"),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the whole answer as plain data, with a top-level ``routes`` list.

        Returns
        -------
        dict
            ``query``, ``routes`` and ``by_mode``.
        """
        return {
            "query": self.query,
            "routes": [route.to_dict() for route in self.routes],
            "by_mode": {label: route.to_dict() for label, route in self.by_mode.items()},
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the answer as JSON text.

        Parameters
        ----------
        indent
            Indentation; None for one line.

        Returns
        -------
        str
            JSON with a top-level ``routes`` list.
        """
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


_GEO_COLUMNS = {
    "legs": [
        "rank",
        "label",
        "position",
        "order",
        *(name for name in Leg.__dataclass_fields__ if name != "geometry"),
        "geometry",
    ],
    "steps": [
        "rank",
        "label",
        "position",
        "kind",
        *(name for name in Step.__dataclass_fields__ if name not in {"geometry", "kind"}),
        "geometry",
    ],
}


@dataclass(frozen=True, repr=False)
class RouteMatrix:
    """Best-route values between origins and destinations, with the reason for every gap.

    Attributes
    ----------
    values
        Rows are origin node ids, columns destination node ids; in the weight's unit
        (``query["unit"]``), ``inf`` where no route exists, 0 where origin and destination
        are the same node.
    reasons
        Same shape: ``""`` where a route exists, else why not (the explanation
        :func:`corridors.route` gives, or ``same place``).
    origins, destinations
        The resolved places, in order.
    query
        ``scenario``, ``weight``, ``unit``, ``modes``, ``statuses``, ``avoid`` and
        ``value_of_time_usd_per_t_h``.
    """

    values: pd.DataFrame
    reasons: pd.DataFrame
    origins: tuple[Any, ...]
    destinations: tuple[Any, ...]
    query: dict[str, Any]

    def _cells(self) -> list[tuple[Any, Any, float, str]]:
        values, reasons = self.values.to_numpy(), self.reasons.to_numpy()
        return [
            (origin, destination, float(values[i, j]), str(reasons[i, j]))
            for i, origin in enumerate(self.origins)
            for j, destination in enumerate(self.destinations)
        ]

    def to_frame(self) -> pd.DataFrame:
        """One row per origin and destination.

        Returns
        -------
        pandas.DataFrame
            Columns ``origin``, ``origin_name``, ``destination``, ``destination_name``,
            ``weight``, ``value`` (rounded to 3 decimals; empty where no route), ``unit`` and
            ``reason`` (``""`` where a route exists).
        """
        import pandas as pd  # noqa: PLC0415

        rows = [
            {
                "origin": origin.node_id,
                "origin_name": origin.name,
                "destination": destination.node_id,
                "destination_name": destination.name,
                "weight": self.query["weight"],
                "value": round(value, _ROUND) if math.isfinite(value) else None,
                "unit": self.query["unit"],
                "reason": reason,
            }
            for origin, destination, value, reason in self._cells()
        ]
        columns = [
            "origin",
            "origin_name",
            "destination",
            "destination_name",
            "weight",
            "value",
            "unit",
            "reason",
        ]
        frame = pd.DataFrame(rows, columns=columns)
        frame["value"] = frame["value"].astype("Float64")
        return frame

    def to_csv(self) -> str:
        """Return :meth:`to_frame` as CSV text (UTF-8, no index; an empty value where no route).

        Returns
        -------
        str
            A header line and one line per origin and destination.
        """
        return self.to_frame().to_csv(index=False, lineterminator="\n")

    def to_dict(self) -> dict[str, Any]:
        """Return the matrix as plain data.

        Returns
        -------
        dict
            ``query``; ``origins`` and ``destinations`` (each ``node_id``, ``name`` and what
            was typed as ``asked``); ``values`` (a list per origin, ``null`` where no route) and
            ``reasons`` (a list per origin, ``""`` where a route exists).
        """

        def place(item: Any) -> dict[str, str]:
            return {"node_id": item.node_id, "name": item.name, "asked": item.query}

        return {
            "query": self.query,
            "origins": [place(p) for p in self.origins],
            "destinations": [place(p) for p in self.destinations],
            "values": [
                [round(float(v), _ROUND) if math.isfinite(v) else None for v in row]
                for row in self.values.to_numpy()
            ],
            "reasons": [[str(r) for r in row] for row in self.reasons.to_numpy()],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return :meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    def __repr__(self) -> str:
        missing = int((self.reasons.to_numpy() != "").sum())
        return (
            f"<RouteMatrix {len(self.origins)} x {len(self.destinations)} by "
            f"{self.query['weight']} ({self.query['unit']}) in '{self.query['scenario']}', "
            f"{missing} cell{'s' if missing != 1 else ''} without a route>"
        )

    def _repr_html_(self) -> str:
        """Return the matrix as a compact HTML table, gaps shown with their reason."""
        values, reasons = self.values.to_numpy(), self.reasons.to_numpy()
        rows = [
            [
                origin.node_id,
                *(
                    f"{values[i, j]:,.1f}"
                    if math.isfinite(values[i, j]) and reasons[i, j] == ""
                    else f"- ({reasons[i, j]})"
                    for j in range(len(self.destinations))
                ),
            ]
            for i, origin in enumerate(self.origins)
        ]
        caption = (
            f"Best routes by {self.query['weight']} ({self.query['unit']}) in "
            f"'{self.query['scenario']}'"
        )
        header = ["from \\ to", *(d.node_id for d in self.destinations)]
        return _html_table(caption, header, rows)
