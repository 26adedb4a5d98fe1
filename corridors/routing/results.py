"""Route results: legs, steps, totals, and their conversion to tables, GeoDataFrames and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd
from shapely import LineString

__all__ = ["Leg", "Route", "RouteSet", "Step"]

_ROUND = 3


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
    geometry
        The link's line in the direction travelled (EPSG:4326), or None.
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
    geometry: LineString | None = field(default=None, repr=False, compare=False)

    @property
    def kind(self) -> str:
        """Always ``"leg"``."""
        return "leg"


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
        return pd.DataFrame(rows)

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
                steps.append({"position": position, "kind": item.kind, **asdict(item)})
            else:
                legs.append({"position": position, "kind": "leg", **_leg_dict(item)})
        return {**self.summary(), "legs": legs, "steps": steps}


def _leg_dict(leg: Leg) -> dict[str, Any]:
    data = asdict(leg)
    data.pop("geometry")
    data["countries"] = list(leg.countries)
    data["km_by_country"] = {iso2: round(km, 1) for iso2, km in leg.km_by_country}
    data["sources"] = list(leg.sources)
    for key in ("length_km", "time_h", "cost_usd_per_t"):
        data[key] = round(data[key], _ROUND)
    return data


@dataclass(frozen=True)
class RouteSet:
    """The answer to one routing query.

    Attributes
    ----------
    routes
        The best route first, then alternatives in order of the weight.
    by_mode
        The best route per mode combination (``rail only``, ``road only``, ``rail and road``,
        ``with a sea leg``) that exists.
    query
        What was asked: origin, destination, weight, scenario, k, modes, statuses, avoid, via,
        what was typed for each place, and the snap distance of coordinates.
    places
        The resolved places: origin, destination, then via places.
    """

    routes: tuple[Route, ...]
    by_mode: dict[str, Route]
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
        rows = []
        for route in [*self.routes, *self.by_mode.values()]:
            summary = route.summary()
            summary["modes"] = "+".join(summary["modes"])
            summary["countries"] = "-".join(summary["countries"])
            summary["km_by_country"] = ";".join(
                f"{k}:{v}" for k, v in summary["km_by_country"].items()
            )
            summary["node_ids"] = " > ".join(summary["node_ids"])
            summary["steps"] = ", ".join(f"{v} {k}" for k, v in summary["steps"].items())
            rows.append(summary)
        return pd.DataFrame(rows)

    def to_geodataframe(self) -> Any:
        """Legs of every route as lines, with the route's rank and label.

        Returns
        -------
        geopandas.GeoDataFrame
            One row per leg, EPSG:4326.
        """
        import geopandas as gpd  # noqa: PLC0415

        rows = []
        for route in [*self.routes, *self.by_mode.values()]:
            for order, leg in enumerate(route.legs, start=1):
                row = _leg_dict(leg)
                row["countries"] = "-".join(leg.countries)
                row["km_by_country"] = ";".join(f"{k}:{v:.1f}" for k, v in leg.km_by_country)
                row["sources"] = ";".join(leg.sources)
                rows.append(
                    {
                        "rank": route.rank,
                        "label": route.label,
                        "order": order,
                        **row,
                        "geometry": leg.geometry,
                    }
                )
        return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")

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
