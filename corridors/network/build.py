"""Build the corridor network: nodes and links as GeoDataFrames with geodesic lengths.

``build_network`` turns validated seeds into a :class:`Network` whose link lengths are geodesic
and computed from geometry. List columns hold lists; :mod:`corridors.network.io` joins them only
when ``geo/`` is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely import Point

from corridors.data.boundaries import km_by_country
from corridors.data.geometry import (
    geometry_length_km,
    line_from_coordinates,
    simplify_for_display,
)
from corridors.data.schema import AlignmentType, Mode, NodeKind
from corridors.data.seeds import SeedData, load_seeds

__all__ = [
    "CRS",
    "GEO_FILES",
    "LENGTH_GAP_REPORT_PCT",
    "LINK_COLUMNS",
    "LIST_COLUMNS",
    "NODE_COLUMNS",
    "Network",
    "build_network",
    "display_vertices",
    "length_gaps",
    "line_lengths",
]

CRS = "EPSG:4326"

#: Columns of the ``nodes`` layer, in order (``geometry`` last).
NODE_COLUMNS = [
    "id",
    "name",
    "name_local",
    "kind",
    "country",
    "lat",
    "lon",
    "sources",
    "confidence",
    "notes",
]

#: Columns of the ``links`` layer, in order (``geometry`` last).
LINK_COLUMNS = [
    "id",
    "name",
    "from",
    "to",
    "mode",
    "status",
    "gauge_mm",
    "year",
    "alignment",
    "length_km",
    "published_length_km",
    "published_length_source",
    "length_gap_pct",
    "route_length_km",
    "countries",
    "km_by_country",
    "sources",
    "confidence",
    "notes",
]

#: Files ``write_geodata`` writes into the output folder.
GEO_FILES = ("network.gpkg", "nodes.geojson", "links.geojson")

#: Columns that hold lists in memory (joined to text only in ``geo/``).
LIST_COLUMNS = ("countries", "km_by_country", "sources")

#: A built length further than this (per cent) from the published one is reported.
LENGTH_GAP_REPORT_PCT = 10.0


@dataclass(frozen=True)
class Network:
    """The built network.

    Attributes
    ----------
    seeds
        The validated seeds it was built from.
    nodes
        One row per node, indexed by id, EPSG:4326 (columns :data:`NODE_COLUMNS`).
    links
        One row per link, indexed by id, EPSG:4326 (columns :data:`LINK_COLUMNS`).
    display
        Per link id, the vertices drawn on maps: ``(lon, lat)`` to 5 decimals (about a
        metre) of its geometry simplified by
        :func:`corridors.data.geometry.simplify_for_display`. Computed once when the network
        is built, so it is cached with it; empty for networks built without it.
    digest
        The content digest of the seeds folder it was built from
        (:func:`corridors.network.cache.seeds_digest`), set by
        :func:`corridors.network.cache.load_network`; empty for a network built otherwise.
        What is derived from the network and kept on disk (routing graphs, the calibration)
        is keyed by it.
    """

    seeds: SeedData
    nodes: gpd.GeoDataFrame
    links: gpd.GeoDataFrame
    display: Mapping[str, tuple[tuple[float, float], ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    digest: str = field(default="", repr=False, compare=False)

    @property
    def transport_nodes(self) -> gpd.GeoDataFrame:
        """The nodes routes may use: every node but points of interest."""
        nodes: gpd.GeoDataFrame = self.nodes[self.nodes["kind"] != NodeKind.POI.value]
        return nodes


def _nodes_frame(seeds: SeedData) -> gpd.GeoDataFrame:
    records = [
        {
            "id": node.id,
            "name": node.name,
            "name_local": node.name_local,
            "kind": node.kind.value,
            "country": node.country,
            "lat": node.lat,
            "lon": node.lon,
            "sources": list(node.sources),
            "confidence": node.confidence.value,
            "notes": node.notes,
            "geometry": Point(node.lon, node.lat),
        }
        for node in seeds.nodes.values()
    ]
    frame = gpd.GeoDataFrame(records, columns=[*NODE_COLUMNS, "geometry"], crs=CRS)
    return frame.set_index("id", drop=False).rename_axis(None)


def _links_frame(seeds: SeedData) -> gpd.GeoDataFrame:
    records = []
    for link in seeds.links.values():
        geometry = line_from_coordinates(seeds.link_coordinates(link.id))
        length_km = geometry_length_km(geometry)
        published = link.published_length
        published_km = published.km if published else None
        gap = (length_km - published_km) / published_km * 100.0 if published_km else None
        schematic = link.alignment is AlignmentType.SCHEMATIC
        route_km = published_km if schematic and published_km else length_km
        shares = km_by_country(
            geometry,
            assign_gaps=link.mode is not Mode.SEA,
            ends=(
                (seeds.nodes[link.from_].country, seeds.nodes[link.to].country)
                if link.mode is not Mode.SEA
                else None
            ),
            border_at=(Point(link.border_at.lon, link.border_at.lat) if link.border_at else None),
        )
        countries = list(
            dict.fromkeys(
                [seeds.nodes[link.from_].country]
                + [iso2 for iso2, _ in shares]
                + [seeds.nodes[link.to].country]
            )
        )
        records.append(
            {
                "id": link.id,
                "name": link.name,
                "from": link.from_,
                "to": link.to,
                "mode": link.mode.value,
                "status": link.status.value,
                "gauge_mm": link.gauge_mm,
                "year": link.year,
                "alignment": link.alignment.value,
                "length_km": round(length_km, 3),
                "published_length_km": published_km,
                "published_length_source": published.source if published else None,
                "length_gap_pct": round(gap, 2) if gap is not None else None,
                "route_length_km": round(route_km, 3),
                "countries": countries,
                "km_by_country": [(iso2, round(km, 1)) for iso2, km in shares],
                "sources": list(link.sources),
                "confidence": link.confidence.value,
                "notes": link.notes,
                "geometry": geometry,
            }
        )
    frame = gpd.GeoDataFrame(records, columns=[*LINK_COLUMNS, "geometry"], crs=CRS)
    for column in ("gauge_mm", "year"):
        frame[column] = frame[column].astype("Int64")
    for column in ("published_length_km", "length_gap_pct"):
        frame[column] = frame[column].astype("Float64")
    return frame.set_index("id", drop=False).rename_axis(None)


def build_network(seeds: SeedData | Path | str | None = None) -> Network:
    """Build the network from seeds.

    Parameters
    ----------
    seeds
        Validated seeds, or the seeds folder to load (default: the repository's ``seeds/``).

    Returns
    -------
    Network
        Nodes and links with geodesic lengths computed from geometry.

    Raises
    ------
    InvalidSeed
        When the seeds do not validate.

    Examples
    --------
    >>> network = build_network()
    >>> network.links.loc["kti_uzen_bolashak", "mode"]
    'rail'
    """
    data = seeds if isinstance(seeds, SeedData) else load_seeds(seeds)
    links = _links_frame(data)
    return Network(
        seeds=data, nodes=_nodes_frame(data), links=links, display=display_vertices(links)
    )


def display_vertices(links: gpd.GeoDataFrame) -> dict[str, tuple[tuple[float, float], ...]]:
    """Return the vertices maps draw for each link, simplified for display.

    Parameters
    ----------
    links
        Links indexed by id, with LineString geometries in EPSG:4326.

    Returns
    -------
    dict
        Per link id, ``(lon, lat)`` vertices rounded to 5 decimals, whose drawn length stays
        within 1 % of the link's.
    """
    return {
        str(link_id): tuple(
            (round(lon, 5), round(lat, 5)) for lon, lat in simplify_for_display(geometry).coords
        )
        for link_id, geometry in links.geometry.items()
    }


def length_gaps(network: Network, threshold_pct: float = LENGTH_GAP_REPORT_PCT) -> pd.DataFrame:
    """Links routed on their geometry whose length is off the chosen published one by a threshold.

    Schematic links are left out: they are routed on the published length by design.

    Parameters
    ----------
    network
        The built network.
    threshold_pct
        Report gaps larger than this, in per cent.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``alignment``, ``length_km``, ``published_length_km``,
        ``length_gap_pct``, ``published_length_source``.
    """
    links = network.links
    gap = links["length_gap_pct"].astype("float64").abs()
    routed_on_geometry = links["alignment"] != AlignmentType.SCHEMATIC.value
    flagged = links[(gap > threshold_pct) & routed_on_geometry]
    columns = [
        "id",
        "alignment",
        "length_km",
        "published_length_km",
        "length_gap_pct",
        "published_length_source",
    ]
    return pd.DataFrame(flagged[columns]).reset_index(drop=True)


def line_lengths(network: Network) -> pd.DataFrame:
    """Built versus published length of every line in ``seeds/lines.yaml``.

    Parameters
    ----------
    network
        The built network.

    Returns
    -------
    pandas.DataFrame
        One row per line: ``id``, ``name``, ``links``, ``built_km`` (sum of geodesic link
        lengths), ``route_km`` (sum of routing lengths), ``published_km``, ``gap_pct``,
        ``source`` and ``other_published_km``.
    """
    rows = []
    for line in network.seeds.lines.values():
        links = network.links.loc[line.links]
        built = float(links["length_km"].sum())
        route = float(links["route_length_km"].sum())
        published = line.published_length
        rows.append(
            {
                "id": line.id,
                "name": line.name,
                "links": len(line.links),
                "built_km": round(built, 1),
                "route_km": round(route, 1),
                "published_km": published.km if published else None,
                "gap_pct": round((route - published.km) / published.km * 100, 1)
                if published
                else None,
                "source": published.source if published else None,
                "other_published_km": ", ".join(f"{p.km:g}" for p in line.other_published_lengths),
            }
        )
    return pd.DataFrame(rows)
