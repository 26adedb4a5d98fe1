"""Geodesic measures of link geometry on the WGS84 ellipsoid.

Lengths are always computed from coordinates with :class:`pyproj.Geod`; they are never typed in,
and never measured in planar degrees or Web Mercator.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from pyproj import Geod
from shapely import LineString
from shapely.geometry.base import BaseGeometry

__all__ = [
    "geodesic_length_km",
    "geometry_length_km",
    "line_from_coordinates",
    "simplify_for_display",
]


@lru_cache(maxsize=1)
def _geod() -> Geod:
    return Geod(ellps="WGS84")


def geodesic_length_km(coordinates: Sequence[tuple[float, float]]) -> float:
    """Length of a polyline along the WGS84 ellipsoid, in kilometres.

    Parameters
    ----------
    coordinates
        ``(lon, lat)`` vertices in order.

    Returns
    -------
    float
        The sum of the geodesic distances between consecutive vertices; 0 for fewer than two.

    Examples
    --------
    >>> round(geodesic_length_km([(51.0, 43.0), (52.0, 43.0)]), 1)
    81.5
    """
    if len(coordinates) < 2:
        return 0.0
    lons = [c[0] for c in coordinates]
    lats = [c[1] for c in coordinates]
    return float(_geod().line_length(lons, lats)) / 1000.0


def geometry_length_km(geometry: BaseGeometry) -> float:
    """Geodesic length of any (multi)line geometry in EPSG:4326, in kilometres.

    Parameters
    ----------
    geometry
        A shapely geometry in longitude/latitude.

    Returns
    -------
    float
        Its length on the WGS84 ellipsoid; 0 for empty or point geometries.
    """
    if geometry.is_empty:
        return 0.0
    return float(_geod().geometry_length(geometry)) / 1000.0


def line_from_coordinates(coordinates: Sequence[tuple[float, float]]) -> LineString:
    """Build a LineString from ``(lon, lat)`` vertices, dropping consecutive repeats.

    Parameters
    ----------
    coordinates
        ``(lon, lat)`` vertices in order.

    Returns
    -------
    shapely.LineString
        The line through the vertices.
    """
    cleaned: list[tuple[float, float]] = []
    for point in coordinates:
        if not cleaned or cleaned[-1] != point:
            cleaned.append(point)
    return LineString(cleaned)


def simplify_for_display(line: LineString, *, max_loss: float = 0.01) -> LineString:
    """Drop vertices for drawing while keeping the drawn length within ``max_loss`` of the true.

    The largest Douglas-Peucker tolerance (in degrees) whose result keeps at least
    ``1 - max_loss`` of the geodesic length is found by bisection.

    Parameters
    ----------
    line
        A line in EPSG:4326.
    max_loss
        Largest allowed relative loss of length (0.01 = 1 %).

    Returns
    -------
    shapely.LineString
        The simplified line; the input when nothing can be dropped.

    Examples
    --------
    >>> straight = LineString([(51.0, 43.0), (51.5, 43.0), (52.0, 43.0)])
    >>> len(simplify_for_display(straight).coords)
    2
    """
    true_km = geometry_length_km(line)
    if true_km == 0 or len(line.coords) <= 2:
        return line
    low, high = 0.0, 0.05
    best = line
    for _ in range(14):
        middle = (low + high) / 2
        candidate = line.simplify(middle, preserve_topology=False)
        if geometry_length_km(candidate) >= (1 - max_loss) * true_km:
            best, low = candidate, middle
        else:
            high = middle
    return best
