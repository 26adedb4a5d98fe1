"""The corridor network: nodes and links as GeoDataFrames, geodata exports and the graph.

``build_network`` turns validated seeds into a :class:`Network` whose link lengths are geodesic
and computed from geometry; ``write_geodata`` exports it to ``geo/``; ``to_graph`` gives the
routable ``networkx.MultiDiGraph`` in OSMnx conventions.
"""

from __future__ import annotations

import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import networkx as nx
import pandas as pd
from shapely import Point

from corridors.boundaries import km_by_country
from corridors.geometry import geometry_length_km, line_from_coordinates
from corridors.schema import AlignmentType, Mode, NodeKind
from corridors.seeds import SeedData, load_seeds

__all__ = [
    "CRS",
    "GEO_FILES",
    "LENGTH_GAP_REPORT_PCT",
    "LINK_COLUMNS",
    "NODE_COLUMNS",
    "Network",
    "build_network",
    "length_gaps",
    "line_lengths",
    "node_key",
    "to_graph",
    "write_geodata",
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

#: A built length further than this (per cent) from the published one is reported.
LENGTH_GAP_REPORT_PCT = 10.0

_LIST_SEPARATOR = ";"


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
    """

    seeds: SeedData
    nodes: gpd.GeoDataFrame
    links: gpd.GeoDataFrame


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
            "sources": _LIST_SEPARATOR.join(node.sources),
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
        shares = km_by_country(geometry, assign_gaps=link.mode is not Mode.SEA)
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
                "countries": _LIST_SEPARATOR.join(countries),
                "km_by_country": _LIST_SEPARATOR.join(f"{iso2}:{km:.1f}" for iso2, km in shares),
                "sources": _LIST_SEPARATOR.join(link.sources),
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
    return Network(seeds=data, nodes=_nodes_frame(data), links=_links_frame(data))


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
                "gap_pct": round((built - published.km) / published.km * 100, 1)
                if published
                else None,
                "source": published.source if published else None,
                "other_published_km": ", ".join(f"{p.km:g}" for p in line.other_published_lengths),
            }
        )
    return pd.DataFrame(rows)


def write_geodata(network: Network, out_dir: Path | str) -> list[Path]:
    """Write ``network.gpkg`` (layers ``nodes`` and ``links``) and the two GeoJSON files.

    Files are written to a temporary folder first and moved into place only when all of them
    have been written, so a failure never leaves a half-written file in ``out_dir``.

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
    target.mkdir(parents=True, exist_ok=True)
    nodes = network.nodes.reset_index(drop=True)
    links = network.links.reset_index(drop=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(dir=target, prefix=".build-") as tmp:
        staging = Path(tmp)
        gpkg = staging / "network.gpkg"
        nodes.to_file(gpkg, layer="nodes", driver="GPKG", engine="pyogrio")
        links.to_file(gpkg, layer="links", driver="GPKG", engine="pyogrio", append=False)
        for name, frame in (("nodes.geojson", nodes), ("links.geojson", links)):
            frame.to_file(
                staging / name,
                driver="GeoJSON",
                engine="pyogrio",
                layer_options={"COORDINATE_PRECISION": 6, "WRITE_NAME": "NO"},
            )
        for name in GEO_FILES:
            final = target / name
            if not _same_data(staging / name, final):
                (staging / name).replace(final)
            written.append(final)
    return written


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


def node_key(node_id: str) -> int:
    """Return the integer graph key of a node id.

    OSMnx expects integer node keys (OSM ids) and treats strings as lists of origins; the key is
    a CRC-32 of the id, so it does not change when rows are added or reordered.

    Parameters
    ----------
    node_id
        A node id from ``seeds/nodes.csv``.

    Returns
    -------
    int
        The key of that node in :func:`to_graph`.

    Examples
    --------
    >>> node_key("aktau_seaport") == node_key("aktau_seaport")
    True
    """
    return zlib.crc32(node_id.encode("utf-8"))


def to_graph(network: Network) -> nx.MultiDiGraph:
    """Return the network as a routable graph in OSMnx conventions.

    Every transport node (all kinds but ``poi``) is a graph node keyed by :func:`node_key`, with
    ``id`` (the seeds id), ``x`` (lon) and ``y`` (lat); ``graph.graph["node_keys"]`` maps ids to
    keys. Every link gives two directed edges, ``(from, to, key)`` and ``(to, from, key)``,
    whose ``geometry`` runs in the edge's direction. ``length`` is the routing length in metres:
    the geodesic length of the geometry, or the published design length for schematic links.
    Edges also carry ``link_id``, ``mode``, ``status``, ``gauge_mm`` (None when not rail or not
    known), ``alignment``, ``length_km``, ``route_length_km``, ``countries``, ``sources`` and
    ``reversed``. The result works with ``osmnx.routing`` and ``osmnx.convert``.

    Parameters
    ----------
    network
        The built network.

    Returns
    -------
    networkx.MultiDiGraph
        The graph, with graph attribute ``crs`` = ``EPSG:4326``.
    """
    keys = {node_id: node_key(node_id) for node_id in network.nodes.index}
    if len(set(keys.values())) != len(keys):  # pragma: no cover - would need a CRC-32 collision
        message = "two node ids share a graph key; rename one of them"
        raise ValueError(message)
    graph = nx.MultiDiGraph(crs=CRS, name="corridors", node_keys=keys)
    for node_id, row in network.nodes.iterrows():
        if row["kind"] == NodeKind.POI.value:
            continue
        graph.add_node(
            keys[node_id],
            id=node_id,
            x=row["lon"],
            y=row["lat"],
            name=row["name"],
            name_local=row["name_local"],
            kind=row["kind"],
            country=row["country"],
        )
    for link_id, row in network.links.iterrows():
        gauge = None if pd.isna(row["gauge_mm"]) else int(row["gauge_mm"])
        common = {
            "link_id": link_id,
            "name": row["name"],
            "mode": row["mode"],
            "status": row["status"],
            "gauge_mm": gauge,
            "alignment": row["alignment"],
            "length": float(row["route_length_km"]) * 1000.0,
            "length_km": float(row["length_km"]),
            "route_length_km": float(row["route_length_km"]),
            "countries": row["countries"],
            "sources": row["sources"],
        }
        geometry = row["geometry"]
        u, v = keys[row["from"]], keys[row["to"]]
        graph.add_edge(u, v, geometry=geometry, reversed=False, **common)
        graph.add_edge(v, u, geometry=geometry.reverse(), reversed=True, **common)
    return graph
