"""Routes, comparisons and matrices as files for GIS and spreadsheets.

Routes are written as three layers: ``routes`` (one row per route, its legs as one multi-line),
``legs`` (one row per leg, a line in the direction travelled) and ``steps`` (one row per
transfer, transshipment, break of gauge or border, a point at its node). A GeoPackage holds the
three layers; a GeoJSON file holds one FeatureCollection whose features carry ``kind``
(``route``, ``leg`` or ``step``, with a step's own kind as ``step``); a CSV file holds the
per-leg table. Every file goes through the atomic writer (:mod:`corridors.atomic`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridors.atomic import staged, write_together
from corridors.errors import InvalidArgument

if TYPE_CHECKING:
    import geopandas as gpd

    from corridors.analysis.compare import Comparison
    from corridors.routing.results import RouteMatrix, RouteSet

__all__ = [
    "LAYERS",
    "MATRIX_SUFFIXES",
    "ROUTE_SUFFIXES",
    "comparison_layers",
    "route_layers",
    "write_layers",
    "write_matrix",
]

#: The layers of a route export, in order.
LAYERS = ("routes", "legs", "steps")

#: File types a route or comparison export can be written as.
ROUTE_SUFFIXES = (".csv", ".geojson", ".gpkg")

#: File types a matrix can be written as.
MATRIX_SUFFIXES = (".csv", ".json")

_KIND = {"routes": "route", "legs": "leg", "steps": "step"}
_GEOMETRY_TYPES = {"routes": "MultiLineString", "legs": "LineString", "steps": "Point"}


def route_layers(routes: RouteSet) -> dict[str, gpd.GeoDataFrame]:
    """Return the three layers of a route set.

    Parameters
    ----------
    routes
        The answer of :func:`corridors.route`.

    Returns
    -------
    dict
        ``routes``, ``legs`` and ``steps`` GeoDataFrames (EPSG:4326), as
        :meth:`~corridors.routing.results.RouteSet.to_geodataframe` gives them.
    """
    return {layer: routes.to_geodataframe(layer) for layer in LAYERS}


def comparison_layers(comparison: Comparison) -> dict[str, gpd.GeoDataFrame]:
    """Return the three layers of a comparison: every route of both scenarios for every pair.

    Parameters
    ----------
    comparison
        The answer of :func:`corridors.compare`.

    Returns
    -------
    dict
        ``routes``, ``legs`` and ``steps`` GeoDataFrames (EPSG:4326), each row led by
        ``pair`` (1 for the first pair asked), ``side`` (``base`` or ``scenario``) and
        ``outcome``. A side without a route has no rows.
    """
    import geopandas as gpd  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    parts: dict[str, list[gpd.GeoDataFrame]] = {layer: [] for layer in LAYERS}
    for number, pair in enumerate(comparison.pairs, start=1):
        for side, routes in (("base", pair.base), ("scenario", pair.scenario)):
            if routes is None:
                continue
            for layer, frame in route_layers(routes).items():
                frame.insert(0, "outcome", pair.outcome)
                frame.insert(0, "side", side)
                frame.insert(0, "pair", number)
                parts[layer].append(frame)
    layers = {}
    for layer in LAYERS:
        if parts[layer]:
            frame = gpd.GeoDataFrame(pd.concat(parts[layer], ignore_index=True), crs="EPSG:4326")
        else:
            frame = gpd.GeoDataFrame({"pair": [], "side": [], "outcome": []}, geometry=[])
            frame = frame.set_crs("EPSG:4326")
        frame["pair"] = frame["pair"].astype("Int64")
        layers[layer] = frame
    return layers


def _suffix(path: Path, allowed: tuple[str, ...]) -> str:
    suffix = path.suffix.lower()
    if suffix not in allowed:
        message = f"{path}: give a file ending in {', '.join(allowed)}"
        raise InvalidArgument(message)
    return suffix


def write_layers(layers: dict[str, gpd.GeoDataFrame], path: Path | str) -> list[Path]:
    """Write route layers to one file, chosen by its suffix.

    Parameters
    ----------
    layers
        From :func:`route_layers` or :func:`comparison_layers`.
    path
        ``.gpkg``: a GeoPackage with layers ``routes``, ``legs`` and ``steps``. ``.geojson``:
        one FeatureCollection, every feature with ``kind`` = ``route``, ``leg`` or ``step``
        (a step's own kind, e.g. ``border``, is then its ``step`` property).
        ``.csv``: the per-leg table, without geometry.

    Returns
    -------
    list of pathlib.Path
        The file written.

    Raises
    ------
    InvalidArgument
        For another suffix.
    OutputError
        When the file cannot be written; nothing is replaced then.
    """
    target = Path(path)
    suffix = _suffix(target, ROUTE_SUFFIXES)
    if suffix == ".csv":
        legs = layers["legs"].drop(columns="geometry")
        return write_together({target: legs.to_csv(index=False, lineterminator="\n")})
    if suffix == ".geojson":
        features: list[dict[str, Any]] = []
        for layer in LAYERS:
            collection = layers[layer].to_geo_dict(na="null", drop_id=True)
            for feature in collection["features"]:
                properties = dict(feature["properties"])
                if layer == "steps":
                    properties["step"] = properties.pop("kind")
                feature["properties"] = {"kind": _KIND[layer], **properties}
                features.append(feature)
        text = json.dumps(
            {"type": "FeatureCollection", "features": features},
            ensure_ascii=False,
            allow_nan=False,
        )
        return write_together({target: text})
    with staged([target]) as paths:
        for position, layer in enumerate(LAYERS):
            layers[layer].to_file(
                paths[target],
                layer=layer,
                driver="GPKG",
                engine="pyogrio",
                append=position > 0,
                geometry_type=_GEOMETRY_TYPES[layer],
            )
    return [target]


def write_matrix(route_matrix: RouteMatrix, path: Path | str) -> list[Path]:
    """Write a matrix as CSV (one row per origin and destination) or JSON.

    Parameters
    ----------
    route_matrix
        The answer of :func:`corridors.matrix`.
    path
        A ``.csv`` or ``.json`` file.

    Returns
    -------
    list of pathlib.Path
        The file written.

    Raises
    ------
    InvalidArgument
        For another suffix.
    OutputError
        When the file cannot be written; nothing is replaced then.
    """
    target = Path(path)
    suffix = _suffix(target, MATRIX_SUFFIXES)
    text = route_matrix.to_csv() if suffix == ".csv" else route_matrix.to_json() + "\n"
    return write_together({target: text})
