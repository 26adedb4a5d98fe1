"""Export a built network to ``geo/``: a GeoPackage and two GeoJSON files, all or none.

List columns (``countries``, ``km_by_country``, ``sources``) are lists in memory; this is the
only place they are joined to text, as ``;``-separated values (``km_by_country`` as
``KZ:142.2;TM:0.3``), as OSMnx does when it saves a graph.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd

from corridors.atomic import staged
from corridors.network.build import GEO_FILES, LIST_COLUMNS, Network

__all__ = ["join_list", "write_geodata"]

_SEPARATOR = ";"


def join_list(values: object) -> str:
    """Join a list column's value to text: ``["KZ", "TM"]`` to ``KZ;TM``.

    Pairs (``km_by_country``) are written ``KZ:142.2``.

    Examples
    --------
    >>> join_list([("KZ", 142.2), ("TM", 0.3)])
    'KZ:142.2;TM:0.3'
    """
    if not isinstance(values, list | tuple):
        return "" if values is None else str(values)
    parts = [
        f"{item[0]}:{item[1]:.1f}" if isinstance(item, tuple | list) else str(item)
        for item in values
    ]
    return _SEPARATOR.join(parts)


def _as_text(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    text = frame.copy()
    for column in LIST_COLUMNS:
        if column in text.columns:
            text[column] = text[column].map(join_list)
    return text


def write_geodata(network: Network, out_dir: Path | str) -> list[Path]:
    """Write ``network.gpkg`` (layers ``nodes`` and ``links``) and the two GeoJSON files.

    The three files go through the atomic writer (:mod:`corridors.atomic`): all are replaced
    together or none is, so a failure never leaves a mixed old and new ``geo/``. A file whose
    data is unchanged keeps its bytes.

    Parameters
    ----------
    network
        The built network.
    out_dir
        The output folder, usually ``geo/``; created when missing.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    target = Path(out_dir)
    nodes = _as_text(network.nodes.reset_index(drop=True))
    links = _as_text(network.links.reset_index(drop=True))
    finals = [target / name for name in GEO_FILES]
    with staged(finals) as paths:
        gpkg = paths[target / "network.gpkg"]
        nodes.to_file(gpkg, layer="nodes", driver="GPKG", engine="pyogrio")
        links.to_file(gpkg, layer="links", driver="GPKG", engine="pyogrio", append=False)
        for name, frame in (("nodes.geojson", nodes), ("links.geojson", links)):
            frame.to_file(
                paths[target / name],
                driver="GeoJSON",
                engine="pyogrio",
                layer_options={"COORDINATE_PRECISION": 6, "WRITE_NAME": "NO"},
            )
        for final in finals:
            if _same_data(paths[final], final):
                copy_back(final, paths[final])
    return finals


def copy_back(existing: Path, staged_copy: Path) -> None:
    """Stage the existing file itself, so an unchanged file keeps its bytes (and mtime)."""
    staged_copy.unlink()
    shutil.copy2(existing, staged_copy)


def _same_data(new: Path, old: Path) -> bool:
    """Whether a freshly written file holds the same data as the existing one.

    A GeoPackage records when it was written, so its bytes change on every build; comparing the
    layers keeps ``geo/`` unchanged in version control when the seeds are.
    """
    if not old.exists():
        return False
    if new.suffix != ".gpkg":
        return new.read_bytes() == old.read_bytes()
    try:
        for layer in ("nodes", "links"):
            fresh = gpd.read_file(new, layer=layer)
            existing = gpd.read_file(old, layer=layer)
            if not fresh.equals(existing):
                return False
    except (OSError, ValueError):  # pragma: no cover - an unreadable old file is replaced
        return False
    return True
