"""Refine link alignments along OpenStreetMap track and road, from an extract or from Overpass.

Each link's current vertices (its ``from`` node, its rows in ``alignments.csv``, its ``to``
node) are snapped to the nearest OSM node of a way matching the link's mode (rail:
``railway=rail``, neither disused nor abandoned, of the link's gauge when both are tagged; road:
``highway`` motorway to tertiary and their links). Consecutive snapped points are joined by the
shortest OSM path (by length); the path is simplified to within 0.5 % of its length and becomes
the link's new rows in ``alignments.csv``. Nothing is written when a point snaps, or the new
path strays, farther than the tolerance from the current alignment.

Provenance: every new row cites one source in ``sources.yaml`` for the extract (or the Overpass
retrieval), whose summary lists, per link, the OSM way ids followed in order. ``osmnx`` is
imported inside the functions that need it.
"""

from __future__ import annotations

import bz2
import contextlib
import csv
import datetime as dt
import gzip
import importlib.resources
import io
import itertools
import math
import os
import re
import shutil
import tempfile
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import quoteattr

import yaml

from corridors.atomic import write_together
from corridors.data.geometry import geodesic_length_km, line_from_coordinates, simplify_for_display
from corridors.data.schema import AlignmentPoint, AlignmentType, Link, Mode, Source, SourceKind
from corridors.data.seeds import (
    ALIGNMENTS_FILE,
    LINKS_FILE,
    SOURCES_FILE,
    SeedData,
    load_seeds,
)
from corridors.data.suggest import did_you_mean
from corridors.errors import InvalidArgument, InvalidSeed

__all__ = [
    "MAX_LENGTH_LOSS",
    "OsmPlan",
    "Refinement",
    "apply_plan",
    "osm_cache_dir",
    "plan_from_extract",
    "plan_from_overpass",
    "rail_filter",
    "road_filter",
]

#: Largest relative loss of length allowed when simplifying an OSM path (0.5 %).
MAX_LENGTH_LOSS = 0.005

#: OSM way tags kept on graph edges (the lifecycle keys, so that the filters can be checked).
USEFUL_TAGS_WAY = [
    "railway",
    "gauge",
    "usage",
    "service",
    "name",
    "highway",
    "disused",
    "abandoned",
]

_ROAD_CLASSES = ("motorway", "trunk", "primary", "secondary", "tertiary")
_ROAD_PATTERN = re.compile(rf"^({'|'.join(_ROAD_CLASSES)})(_link)?$")
_LIFECYCLE_KEYS = ("disused", "abandoned")
_DECIMALS = 5
# Densify lines to this spacing (metres) before measuring their largest deviation.
_DEVIATION_STEP_M = 100.0
_KM_PER_DEGREE = 111.32
_LICENCE = "ODbL-1.0 (c) OpenStreetMap contributors"
_WAYS_INTRO = "OSM ways followed, in order:"
_OSM_SUFFIXES = (".osm", ".xml", ".bz2", ".gz")


class OsmError(InvalidArgument):
    """An extract or Overpass answer that cannot be used; the message names the fix."""


# --------------------------------------------------------------------------- way filters


def rail_filter() -> str:
    """Return the Overpass way filter for railway lines in use.

    Returns
    -------
    str
        ``["railway"="rail"]`` without ways tagged ``disused`` or ``abandoned``.

    Examples
    --------
    >>> rail_filter()
    '["railway"="rail"]["disused"!~"yes"]["abandoned"!~"yes"]'
    """
    return '["railway"="rail"]' + "".join(f'["{key}"!~"yes"]' for key in _LIFECYCLE_KEYS)


def road_filter() -> str:
    """Return the Overpass way filter for through roads.

    Returns
    -------
    str
        ``highway`` motorway, trunk, primary, secondary or tertiary, or one of their links.
    """
    return f'["highway"~"{_ROAD_PATTERN.pattern}"]'


def _gauges(value: str) -> set[int]:
    found: set[int] = set()
    for part in value.split(";"):
        with contextlib.suppress(ValueError):
            found.add(int(part.strip()))
    return found


def _way_matches(tags: Mapping[str, str], mode: Mode, gauge_mm: int | None) -> bool:
    """Whether an OSM way carries the link's mode (and gauge, when both are known)."""
    if mode is Mode.RAIL:
        if tags.get("railway") != "rail":
            return False
        if any(tags.get(key) == "yes" for key in _LIFECYCLE_KEYS):
            return False
        gauges = _gauges(tags.get("gauge", ""))
        return gauge_mm is None or not gauges or gauge_mm in gauges
    if mode is Mode.ROAD:
        return bool(_ROAD_PATTERN.match(tags.get("highway", "")))
    return False


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Refinement:
    """A link's new alignment and how it compares with the current one.

    Attributes
    ----------
    link
        Id of the link.
    old_coordinates, new_coordinates
        ``(lon, lat)`` of the whole geometry, from node to node, before and after.
    points
        The link's new rows in ``alignments.csv``.
    ways
        OSM way ids followed, in order.
    old_km, new_km
        Geodesic lengths before and after.
    deviation_km
        Largest distance between the two geometries (both ways).
    snap_km
        Largest distance from a current vertex to the OSM node it snapped to.
    """

    link: str
    old_coordinates: list[tuple[float, float]]
    new_coordinates: list[tuple[float, float]]
    points: list[AlignmentPoint]
    ways: list[int]
    old_km: float
    new_km: float
    deviation_km: float
    snap_km: float

    def describe(self) -> str:
        """Return the one-line summary printed for the link.

        Returns
        -------
        str
            Old and new length, the change, the largest deviation and the counts.
        """
        change = (self.new_km / self.old_km - 1) * 100 if self.old_km else 0.0
        return (
            f"{self.link}: {self.old_km:.2f} km -> {self.new_km:.2f} km ({change:+.1f} %), "
            f"largest deviation {self.deviation_km:.2f} km, "
            f"{len(self.old_coordinates) - 2} -> {len(self.points)} vertices, "
            f"{len(self.ways)} OSM way{'s' if len(self.ways) != 1 else ''}"
        )


@dataclass(frozen=True)
class OsmPlan:
    """The refined links and the source their rows cite; nothing is written yet.

    Attributes
    ----------
    source
        The ``sources.yaml`` entry for the extract or the Overpass retrieval.
    refinements
        One per link, in the order asked.
    """

    source: Source
    refinements: list[Refinement] = field(default_factory=list)


# --------------------------------------------------------------------------- osmnx set-up


@contextlib.contextmanager
def _osmnx_settings(**values: Any) -> Iterator[Any]:
    """Set osmnx settings for the block and restore them (and the DNS hook) afterwards."""
    import socket  # noqa: PLC0415

    import osmnx  # noqa: PLC0415

    getaddrinfo = socket.getaddrinfo
    saved = {name: getattr(osmnx.settings, name) for name in values}
    try:
        for name, value in values.items():
            setattr(osmnx.settings, name, value)
        yield osmnx
    finally:
        for name, value in saved.items():
            setattr(osmnx.settings, name, value)
        # osmnx pins the Overpass host's address by replacing socket.getaddrinfo.
        socket.getaddrinfo = getaddrinfo


def osm_cache_dir() -> Path | None:
    """Return the folder Overpass answers are cached in, or None when caching is off.

    Returns
    -------
    pathlib.Path or None
        ``$CORRIDORS_CACHE/osmnx`` when set (``off`` disables caching), otherwise ``osmnx``
        in the platform's user cache folder for ``corridors``.
    """
    setting = os.environ.get("CORRIDORS_CACHE", "")
    if setting.lower() in {"off", "0", "no", "false"}:
        return None
    if setting:
        return Path(setting) / "osmnx"
    from platformdirs import user_cache_dir  # noqa: PLC0415

    return Path(user_cache_dir("corridors", appauthor=False)) / "osmnx"


# --------------------------------------------------------------------------- reading extracts


@dataclass(frozen=True)
class _ExtractInfo:
    timestamp: str | None
    ways: dict[int, tuple[list[int], dict[str, str]]]
    nodes: dict[int, tuple[float, float]]


def _open_extract(path: Path) -> IO[bytes]:
    if path.suffix == ".bz2":
        return bz2.open(path, "rb")
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _extract_error(path: Path, reason: str) -> OsmError:
    fix = (
        "give an OSM XML file (.osm, .osm.bz2 or .osm.gz); convert a .pbf file with "
        "'osmium cat FILE.pbf -o FILE.osm'"
    )
    return OsmError(f"extract {path}: {reason}. Fix: {fix}")


def _iterparse(path: Path) -> Iterator[tuple[str, ET.Element]]:
    """Yield ``("root", osm)``, ``("meta", element)`` and each finished top-level element.

    Finished elements are dropped from the tree once the caller is done with them, so the
    memory used stays small for large extracts.
    """
    try:
        with _open_extract(path) as handle:
            root: ET.Element | None = None
            depth = 0
            for event, element in ET.iterparse(handle, events=("start", "end")):
                if event == "start":
                    depth += 1
                    if root is None:
                        root = element
                        yield "root", element
                    elif depth == 2 and element.tag == "meta":
                        yield "meta", element
                    continue
                depth -= 1
                if depth == 1 and root is not None:
                    yield "end", element
                    root.clear()
    except ET.ParseError as error:
        raise _extract_error(path, f"not valid XML ({error})") from None
    except (OSError, EOFError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise _extract_error(path, f"cannot be read ({reason})") from None


def _read_extract(path: Path, mode: Mode, gauge_mm: int | None) -> _ExtractInfo:
    """Read the ways of one mode from an OSM XML extract, and the nodes they use."""
    if not path.is_file():
        raise _extract_error(path, "file not found")
    timestamp: str | None = None
    ways: dict[int, tuple[list[int], dict[str, str]]] = {}
    for event, element in _iterparse(path):
        if event == "root":
            if element.tag != "osm":
                raise _extract_error(path, f"the root element is <{element.tag}>, not <osm>")
            timestamp = element.get("timestamp")
        elif event == "meta":
            timestamp = element.get("osm_base") or timestamp
        elif element.tag == "way":
            tags = {t.get("k", ""): t.get("v", "") for t in element.iter("tag")}
            if _way_matches(tags, mode, gauge_mm):
                refs = [_int(nd.get("ref"), path, "way node ref") for nd in element.iter("nd")]
                ways[_int(element.get("id"), path, "way id")] = (refs, tags)
    needed = {ref for refs, _ in ways.values() for ref in refs}
    nodes: dict[int, tuple[float, float]] = {}
    for event, element in _iterparse(path):
        if event == "end" and element.tag == "node":
            ident = _int(element.get("id"), path, "node id")
            if ident in needed:
                try:
                    nodes[ident] = (float(element.get("lon", "")), float(element.get("lat", "")))
                except ValueError:
                    raise _extract_error(path, f"node {ident} has no valid lat/lon") from None
    return _ExtractInfo(timestamp, ways, nodes)


def _int(value: str | None, path: Path, what: str) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise _extract_error(path, f"a {what} is not a number ({value!r})") from None


def _filtered_xml(info: _ExtractInfo) -> str:
    """Write the ways kept (and their nodes) as OSM XML for ``osmnx.graph_from_xml``."""
    out = io.StringIO()
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="corridors">\n')
    for ident, (lon, lat) in info.nodes.items():
        out.write(f'<node id="{ident}" lat="{lat!r}" lon="{lon!r}"/>\n')
    for ident, (refs, tags) in info.ways.items():
        present = [ref for ref in refs if ref in info.nodes]
        if len(present) < 2:
            continue
        out.write(f'<way id="{ident}">')
        out.writelines(f'<nd ref="{ref}"/>' for ref in present)
        out.writelines(
            f"<tag k={quoteattr(k)} v={quoteattr(v)}/>"
            for k, v in tags.items()
            if k in USEFUL_TAGS_WAY
        )
        out.write("</way>\n")
    out.write("</osm>\n")
    return out.getvalue()


def _graph_from_extract(path: Path, mode: Mode, gauge_mm: int | None) -> tuple[Any, str | None]:
    info = _read_extract(path, mode, gauge_mm)
    if not info.ways or len(info.nodes) < 2:
        raise OsmError(
            f"extract {path} holds no {_mode_words(mode)} ways. Fix: use an extract that "
            "covers the link (and check its tags)"
        )
    with tempfile.TemporaryDirectory(prefix="corridors-osm-") as folder:
        filtered = Path(folder) / "ways.osm"
        filtered.write_text(_filtered_xml(info), encoding="utf-8")
        with _osmnx_settings(useful_tags_way=USEFUL_TAGS_WAY) as osmnx:
            graph = osmnx.graph_from_xml(filtered, simplify=False, retain_all=True)
    return graph, info.timestamp


def _mode_words(mode: Mode) -> str:
    if mode is Mode.RAIL:
        return "railway=rail"
    return "highway (" + "/".join(_ROAD_CLASSES) + ")"


# --------------------------------------------------------------------------- refining a link


def _check_links(seeds: SeedData, link_ids: Sequence[str]) -> list[Link]:
    if not link_ids:
        raise InvalidArgument("no link given. Fix: name one or more link ids from links.yaml")
    links: list[Link] = []
    for link_id in dict.fromkeys(link_ids):
        link = seeds.links.get(link_id)
        if link is None:
            hint = did_you_mean(link_id, seeds.links)
            fix = hint or "run 'corridors validate' to list the links, or see links.yaml"
            raise InvalidArgument(f"unknown link '{link_id}'. Fix: {fix}")
        if link.mode not in {Mode.RAIL, Mode.ROAD}:
            message = (
                f"link '{link_id}' is a {link.mode.value} link: OpenStreetMap has no track for "
                "it. Fix: refine rail or road links only"
            )
            raise InvalidArgument(message)
        links.append(link)
    return links


def _bbox(coordinates: Sequence[tuple[float, float]], margin_km: float) -> tuple[float, ...]:
    """(west, south, east, north) of the coordinates, widened by ``margin_km``."""
    lons = [c[0] for c in coordinates]
    lats = [c[1] for c in coordinates]
    dlat = margin_km / _KM_PER_DEGREE
    widest = max(abs(min(lats) - dlat), abs(max(lats) + dlat))
    dlon = margin_km / (_KM_PER_DEGREE * max(math.cos(math.radians(min(widest, 89.0))), 0.01))
    return (min(lons) - dlon, min(lats) - dlat, max(lons) + dlon, max(lats) + dlat)


def _local_crs(coordinates: Sequence[tuple[float, float]]) -> str:
    lons = [c[0] for c in coordinates]
    lats = [c[1] for c in coordinates]
    lon0 = (min(lons) + max(lons)) / 2
    lat0 = (min(lats) + max(lats)) / 2
    return f"+proj=aeqd +lat_0={lat0:.6f} +lon_0={lon0:.6f} +datum=WGS84 +units=m +no_defs"


def _largest_deviation_km(
    first: Sequence[tuple[float, float]], second: Sequence[tuple[float, float]], crs: str
) -> float:
    """Return the largest distance from a point of either line to the other line, in km."""
    import shapely  # noqa: PLC0415
    from pyproj import Transformer  # noqa: PLC0415

    transformer = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    lines = []
    for coordinates in (first, second):
        xs, ys = transformer.transform([c[0] for c in coordinates], [c[1] for c in coordinates])
        line = line_from_coordinates(list(zip(xs, ys, strict=True)))
        lines.append(shapely.segmentize(line, _DEVIATION_STEP_M))
    worst = 0.0
    for this, other in ((lines[0], lines[1]), (lines[1], lines[0])):
        points = shapely.points(shapely.get_coordinates(this))
        worst = max(worst, float(shapely.distance(points, other).max()))
    return worst / 1000.0


def _remove_spurs(sequence: list[tuple[int, set[int]]]) -> list[tuple[int, set[int]]]:
    """Collapse out-and-back detours (``a, b, a`` becomes ``a``), keeping waypoint marks."""
    stack: list[tuple[int, set[int]]] = []
    for node, marks in sequence:
        if stack and stack[-1][0] == node:
            stack[-1][1].update(marks)
        elif len(stack) >= 2 and stack[-2][0] == node:
            stack.pop()
            stack[-1][1].update(marks)
        else:
            stack.append((node, set(marks)))
    return stack


def _edge_way(graph: Any, u: int, v: int) -> int:
    edges = graph.get_edge_data(u, v) or {}
    best = min(edges.values(), key=lambda attrs: attrs.get("length", 0.0))
    osmid = best.get("osmid", 0)
    return int(osmid[0] if isinstance(osmid, list) else osmid)


def _rounded(point: tuple[float, float]) -> tuple[float, float]:
    return (round(point[0], _DECIMALS), round(point[1], _DECIMALS))


@dataclass(frozen=True)
class _Crop:
    """The part of an OSM graph around one link, with what is needed to snap and route."""

    graph: Any  # the whole graph (node x, y in lon/lat)
    routable: Any  # undirected view of the nodes within the link's box
    projected: Any  # the same nodes in a local projection, for osmnx.distance.nearest_nodes
    crs: str


def _crop(
    graph: Any, link: Link, old: Sequence[tuple[float, float]], margin_km: float, what: str
) -> _Crop:
    import networkx as nx  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415
    from pyproj import Transformer  # noqa: PLC0415

    west, south, east, north = _bbox(old, margin_km)
    inside = [
        n
        for n, data in graph.nodes(data=True)
        if west <= data["x"] <= east and south <= data["y"] <= north
    ]
    if not inside:
        raise OsmError(
            f"link '{link.id}': {what} has no {_mode_words(link.mode)} ways near it. Fix: use "
            "OSM data that covers the link"
        )
    crs = _local_crs(old)
    transform = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    lonlat = np.array([(graph.nodes[n]["x"], graph.nodes[n]["y"]) for n in inside])
    xs, ys = transform.transform(lonlat[:, 0], lonlat[:, 1])
    projected = nx.MultiDiGraph(crs=crs)
    projected.add_nodes_from((n, {"x": x, "y": y}) for n, x, y in zip(inside, xs, ys, strict=True))
    routable = graph.subgraph(inside).to_undirected(as_view=True)
    return _Crop(graph, routable, projected, crs)


def _snap(
    crop: _Crop, seeds: SeedData, link: Link, tolerance_km: float, what: str
) -> tuple[list[int], float]:
    """Snap the link's vertices to the nearest OSM nodes; refuse one beyond the tolerance."""
    import osmnx  # noqa: PLC0415
    from pyproj import Geod, Transformer  # noqa: PLC0415

    old = seeds.link_coordinates(link.id)
    transform = Transformer.from_crs("EPSG:4326", crop.crs, always_xy=True)
    px, py = transform.transform([c[0] for c in old], [c[1] for c in old])
    nearest = [int(n) for n in osmnx.distance.nearest_nodes(crop.projected, px, py)]
    geod = Geod(ellps="WGS84")
    snap_km = 0.0
    for index, (node, (lon, lat)) in enumerate(zip(nearest, old, strict=True)):
        data = crop.graph.nodes[node]
        km = float(geod.inv(lon, lat, data["x"], data["y"])[2]) / 1000.0
        snap_km = max(snap_km, km)
        if km <= tolerance_km:
            continue
        if index == 0:
            which = f"its from node '{link.from_}'"
        elif index == len(old) - 1:
            which = f"its to node '{link.to}'"
        else:
            which = f"its {ALIGNMENTS_FILE} vertex seq {index}"
        raise OsmError(
            f"link '{link.id}': {which} ({lat:.5f}, {lon:.5f}) is {km:.2f} km from the nearest "
            f"{_mode_words(link.mode)} node in {what} (tolerance {tolerance_km:g} km). Fix: "
            "correct that vertex, use OSM data that covers it, or raise --tolerance-km"
        )
    return nearest, snap_km


def _route(
    crop: _Crop, nearest: Sequence[int], link: Link, margin_km: float, what: str
) -> list[tuple[int, set[int]]]:
    """Return the OSM nodes along the shortest paths between the snapped vertices.

    Each node carries the indices of the link's vertices snapped to it.
    """
    import networkx as nx  # noqa: PLC0415

    sequence: list[tuple[int, set[int]]] = [(nearest[0], {0})]
    for index in range(1, len(nearest)):
        start, end = nearest[index - 1], nearest[index]
        if start == end:
            sequence[-1][1].add(index)
            continue
        try:
            path = nx.shortest_path(crop.routable, start, end, weight="length")
        except nx.NetworkXNoPath:
            raise OsmError(
                f"link '{link.id}': no {_mode_words(link.mode)} path in {what} joins vertices "
                f"{index - 1} and {index} within {margin_km:g} km of the link. Fix: add "
                "waypoints on the mapped track, or use OSM data that covers the gap"
            ) from None
        sequence.extend((int(n), set()) for n in path[1:])
        sequence[-1][1].add(index)
    return _remove_spurs(sequence)


def _new_vertices(
    crop: _Crop, seeds: SeedData, link: Link, sequence: Sequence[tuple[int, set[int]]]
) -> list[tuple[tuple[float, float], str]]:
    """Return the new geometry, node to node, simplified piece by piece at snapped vertices.

    Pieces end at the snapped vertices, so named stations keep their place and their name;
    vertices are rounded to five decimals, and repeats of a neighbour or an end are dropped.
    """
    names = ["", *(p.name for p in seeds.alignments.get(link.id, [])), ""]
    start_node, end_node = seeds.nodes[link.from_], seeds.nodes[link.to]
    start_point, end_point = (start_node.lon, start_node.lat), (end_node.lon, end_node.lat)
    vertices: list[tuple[tuple[float, float], str]] = []
    piece: list[tuple[float, float]] = [start_point]
    last = len(sequence) - 1
    for position, (node, marks) in enumerate(sequence):
        data = crop.graph.nodes[node]
        piece.append((float(data["x"]), float(data["y"])))
        if position == last:
            piece.append(end_point)
        elif not marks - {0}:
            continue
        kept = _simplified(piece)
        name = next((names[m] for m in sorted(marks) if names[m]), "")
        vertices.extend((p, "") for p in kept[1:-1])
        if position != last:
            vertices.append((kept[-1], name))
        piece = [kept[-1]]
    ends = {_rounded(start_point), _rounded(end_point)}
    middle: list[tuple[tuple[float, float], str]] = []
    for point, name in vertices:
        rounded = _rounded(point)
        if rounded in ends:
            continue
        if middle and middle[-1][0] == rounded:
            middle[-1] = (rounded, middle[-1][1] or name)
            continue
        middle.append((rounded, name))
    return [(start_point, ""), *middle, (end_point, "")]


def _refine_link(
    graph: Any, seeds: SeedData, link: Link, *, tolerance_km: float, source_id: str, what: str
) -> Refinement:
    """Snap, route, simplify and check one link on a graph that covers it."""
    old = seeds.link_coordinates(link.id)
    margin_km = 3 * tolerance_km + 1.0
    crop = _crop(graph, link, old, margin_km, what)
    nearest, snap_km = _snap(crop, seeds, link, tolerance_km, what)
    sequence = _route(crop, nearest, link, margin_km, what)
    ways: list[int] = []
    for (u, _), (v, _) in itertools.pairwise(sequence):
        way = _edge_way(crop.routable, u, v)
        if not ways or ways[-1] != way:
            ways.append(way)
    vertices = _new_vertices(crop, seeds, link, sequence)
    new = [point for point, _ in vertices]
    deviation = _largest_deviation_km(old, new, crop.crs)
    if deviation > tolerance_km:
        raise OsmError(
            f"link '{link.id}': the OSM path strays {deviation:.2f} km from the current alignment "
            f"(tolerance {tolerance_km:g} km). Fix: add waypoints to {ALIGNMENTS_FILE} to steer "
            "it along the right track, or raise --tolerance-km"
        )
    points = [
        AlignmentPoint(link=link.id, seq=seq, lat=p[1], lon=p[0], name=name, source=source_id)
        for seq, (p, name) in enumerate(vertices[1:-1], start=1)
    ]
    return Refinement(
        link=link.id,
        old_coordinates=list(old),
        new_coordinates=new,
        points=points,
        ways=ways,
        old_km=geodesic_length_km(old),
        new_km=geodesic_length_km(new),
        deviation_km=deviation,
        snap_km=snap_km,
    )


def _simplified(piece: list[tuple[float, float]]) -> list[tuple[float, float]]:
    cleaned = [p for i, p in enumerate(piece) if i == 0 or p != piece[i - 1]]
    if len(cleaned) <= 2:
        return cleaned if len(cleaned) == 2 else [cleaned[0], cleaned[0]]
    line = simplify_for_display(line_from_coordinates(cleaned), max_loss=MAX_LENGTH_LOSS)
    return [(float(x), float(y)) for x, y in line.coords]


# --------------------------------------------------------------------------- plans


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "extract"


def _extract_stem(path: Path) -> str:
    name = path.name
    while True:
        lowered = name.lower()
        suffix = next((s for s in _OSM_SUFFIXES if lowered.endswith(s)), None)
        if suffix is None or len(name) == len(suffix):
            return name
        name = name[: -len(suffix)]


def _date_of(timestamp: str | None) -> str | None:
    if not timestamp:
        return None
    match = re.match(r"\d{4}-\d{2}-\d{2}", timestamp)
    return match.group(0) if match else None


def _extract_source(path: Path, timestamp: str | None) -> Source:
    date = _date_of(timestamp)
    ident = "osm_" + _slug(_extract_stem(path))
    if date:
        ident += "_" + date.replace("-", "")
    as_of = f" (data as of {timestamp})" if timestamp else ""
    return Source(
        id=ident,
        kind=SourceKind.DATASET,
        title=f"OpenStreetMap extract {path.name}{as_of}",
        publisher="OpenStreetMap contributors",
        date=date,
        url="https://www.openstreetmap.org",
        file=path.name,
        licence=_LICENCE,
    )


def plan_from_extract(
    seeds: SeedData,
    link_ids: Sequence[str],
    extract: Path | str,
    *,
    tolerance_km: float = 5.0,
) -> OsmPlan:
    """Refine links along the ways of an OSM XML extract; write nothing.

    Parameters
    ----------
    seeds
        The validated seeds.
    link_ids
        Ids of rail or road links.
    extract
        An OSM XML file (``.osm``, ``.osm.bz2`` or ``.osm.gz``) covering the links.
    tolerance_km
        Largest distance allowed between a current vertex and the OSM node it snaps to, and
        between the current and the new geometry.

    Returns
    -------
    OsmPlan
        The new alignments and the source they cite.

    Raises
    ------
    InvalidArgument
        For an unknown link (with a did-you-mean), a sea link, a missing or malformed extract,
        or a link that cannot be refined within the tolerance.
    """
    _check_tolerance(tolerance_km)
    links = _check_links(seeds, link_ids)
    path = Path(extract)
    graphs: dict[tuple[Mode, int | None], Any] = {}
    timestamp: str | None = None
    for link in links:
        if _graph_key(link) not in graphs:
            graphs[_graph_key(link)], timestamp = _graph_from_extract(path, *_graph_key(link))
    source = _extract_source(path, timestamp)
    what = f"extract {path.name}"
    refinements = [
        _refine_link(
            graphs[_graph_key(link)],
            seeds,
            link,
            tolerance_km=tolerance_km,
            source_id=source.id,
            what=what,
        )
        for link in links
    ]
    return OsmPlan(source, refinements)


def _graph_key(link: Link) -> tuple[Mode, int | None]:
    return (link.mode, link.gauge_mm if link.mode is Mode.RAIL else None)


def _check_tolerance(tolerance_km: float) -> None:
    if not (tolerance_km > 0 and math.isfinite(tolerance_km)):
        raise InvalidArgument(
            f"--tolerance-km {tolerance_km:g}: give a positive distance in km, e.g. 5"
        )


def plan_from_overpass(
    seeds: SeedData,
    link_ids: Sequence[str],
    *,
    tolerance_km: float = 5.0,
    overpass_url: str | None = None,
    cache_folder: Path | None = None,
    on_done: Callable[[str], None] | None = None,
    today: dt.date | None = None,
) -> OsmPlan:
    """Refine links along OSM ways downloaded from the Overpass API (online); write nothing.

    Parameters
    ----------
    seeds
        The validated seeds.
    link_ids
        Ids of rail or road links.
    tolerance_km
        As for :func:`plan_from_extract`.
    overpass_url
        The Overpass API base URL (without ``/interpreter``); default: osmnx's setting.
    cache_folder
        Where answers are cached (and read from on the next run); None disables the cache.
    on_done
        Called with each link id once it is refined, e.g. to advance a progress bar.
    today
        The retrieval date recorded in the source (default: today, UTC).

    Returns
    -------
    OsmPlan
        The new alignments and the source they cite.

    Raises
    ------
    InvalidArgument
        As for :func:`plan_from_extract`, and when the Overpass API cannot be reached or answers
        with an error.
    """
    import requests  # noqa: PLC0415

    _check_tolerance(tolerance_km)
    links = _check_links(seeds, link_ids)
    date = (today or dt.datetime.now(dt.UTC).date()).isoformat()
    values: dict[str, Any] = {
        "useful_tags_way": USEFUL_TAGS_WAY,
        "overpass_rate_limit": False,
        "doh_url_template": None,
        "use_cache": cache_folder is not None,
        "log_console": False,
    }
    if cache_folder is not None:
        values["cache_folder"] = str(cache_folder)
    if overpass_url:
        values["overpass_url"] = overpass_url
    refinements: list[Refinement] = []
    with _osmnx_settings(**values) as osmnx:
        url = str(osmnx.settings.overpass_url)
        source = _overpass_source(url, date)
        for link in links:
            coordinates = seeds.link_coordinates(link.id)
            west, south, east, north = _bbox(coordinates, 3 * tolerance_km + 1.0)
            # Rounded outward, so that a slightly changed alignment asks the same question.
            west, south = math.floor(west * 20) / 20, math.floor(south * 20) / 20
            east, north = math.ceil(east * 20) / 20, math.ceil(north * 20) / 20
            filters = rail_filter() if link.mode is Mode.RAIL else road_filter()
            try:
                graph = osmnx.graph_from_bbox(
                    (west, south, east, north),
                    custom_filter=filters,
                    simplify=False,
                    retain_all=True,
                    truncate_by_edge=True,
                )
            except requests.RequestException as error:
                raise OsmError(
                    f"cannot reach the Overpass API at {url} ({type(error).__name__}). Fix: "
                    "check the connection, or pass --overpass-url for another server"
                ) from None
            except osmnx._errors.ResponseStatusCodeError as error:
                raise OsmError(
                    f"the Overpass API at {url} answered with an error "
                    f"({_first_line(error)}). Fix: retry later, or pass --overpass-url for "
                    "another server"
                ) from None
            except ValueError as error:  # osmnx's InsufficientResponseError among them
                raise OsmError(
                    f"link '{link.id}': the Overpass API at {url} gave no usable "
                    f"{_mode_words(link.mode)} ways ({_first_line(error)}). Fix: check the "
                    "link's coordinates, or try another server with --overpass-url"
                ) from None
            gauge = link.gauge_mm
            drop = [
                (u, v, k)
                for u, v, k, attrs in graph.edges(keys=True, data=True)
                if not _way_matches(_edge_tags(attrs), link.mode, gauge)
            ]
            graph.remove_edges_from(drop)
            graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0])
            refinements.append(
                _refine_link(
                    graph,
                    seeds,
                    link,
                    tolerance_km=tolerance_km,
                    source_id=source.id,
                    what="the Overpass data",
                )
            )
            if on_done is not None:
                on_done(link.id)
    return OsmPlan(source, refinements)


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return (text.splitlines()[0] if text else type(error).__name__)[:200]


def _edge_tags(attrs: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in attrs.items() if k in USEFUL_TAGS_WAY}


def _overpass_source(url: str, date: str) -> Source:
    from urllib.parse import urlparse  # noqa: PLC0415

    host = urlparse(url).netloc or url
    return Source(
        id="osm_overpass_" + date.replace("-", ""),
        kind=SourceKind.DATASET,
        title=f"OpenStreetMap data from the Overpass API at {host}, retrieved {date}",
        publisher="OpenStreetMap contributors",
        date=date,
        url=url,
        licence=_LICENCE,
    )


# --------------------------------------------------------------------------- writing


def _alignments_text(text: str, refinements: Sequence[Refinement]) -> str:
    """Replace the refined links' rows, keeping every other line byte for byte and in order."""
    lines = text.splitlines(keepends=True)
    ending = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    new_rows = {r.link: r.points for r in refinements}

    def render(points: Sequence[AlignmentPoint]) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator=ending)
        for p in points:
            writer.writerow(
                [
                    p.link,
                    p.seq,
                    f"{p.lat:.{_DECIMALS}f}",
                    f"{p.lon:.{_DECIMALS}f}",
                    p.name,
                    p.source,
                ]
            )
        return buffer.getvalue()

    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise InvalidSeed([])  # pragma: no cover - load_seeds has refused this already
    column = [h.strip() for h in header].index("link")
    out: list[str] = [*lines[: reader.line_num]]
    done: set[str] = set()
    start = reader.line_num
    for values in reader:
        chunk = "".join(lines[start : reader.line_num])
        start = reader.line_num
        link = values[column].strip() if len(values) > column else ""
        if link in new_rows:
            if link not in done:
                out.append(render(new_rows[link]))
                done.add(link)
            continue
        out.append(chunk)
    out.append("".join(lines[start:]))
    body = "".join(out)
    missing = [r for r in refinements if r.link not in done]
    if missing:
        if body and not body.endswith(("\n", "\r")):
            body += ending
        body += "".join(render(r.points) for r in missing)
    return body


def _entry_span(lines: Sequence[str], key: str, value: str) -> tuple[int, int] | None:
    """Lines ``[start, end)`` of the top-level list entry whose ``key`` is ``value``."""
    pattern = re.compile(rf"^-\s+{re.escape(key)}:\s*['\"]?{re.escape(value)}['\"]?\s*(#.*)?$")
    for index, line in enumerate(lines):
        if pattern.match(line.rstrip("\r\n")):
            end = index + 1
            while end < len(lines) and (
                lines[end].startswith((" ", "\t")) or not lines[end].strip()
            ):
                end += 1
            while end > index + 1 and not lines[end - 1].strip():
                end -= 1
            return index, end
    return None


def _ways_by_link(summary: str | None) -> dict[str, list[int]]:
    if not summary or _WAYS_INTRO not in summary:
        return {}
    listed = summary.split(_WAYS_INTRO, 1)[1]
    found: dict[str, list[int]] = {}
    for match in re.finditer(r"([a-z0-9_]+): ([0-9, ]+)", listed):
        found[match.group(1)] = [int(w) for w in re.findall(r"\d+", match.group(2))]
    return found


def _source_block(source: Source, ways: Mapping[str, list[int]], ending: str) -> str:
    summary = (
        "Alignment vertices written by 'corridors osm refine' or 'corridors osm fetch': shortest "
        "paths along the OSM ways, simplified to within 0.5 % of their length. "
        f"{_WAYS_INTRO} "
        + "; ".join(f"{link}: {', '.join(str(w) for w in ids)}" for link, ids in ways.items())
        + "."
    )
    data: dict[str, Any] = {
        "id": source.id,
        "kind": source.kind.value,
        "title": source.title,
        "publisher": source.publisher,
    }
    for name in ("url", "file", "licence"):
        if getattr(source, name):
            data[name] = getattr(source, name)
    lines = [f"- id: {source.id}"]
    for name, value in list(data.items())[1:]:
        lines.append(f"  {name}: {_yaml_scalar(value)}")
    if source.date:
        lines.insert(4, f'  date: "{source.date}"')
    lines.append("  summary: >-")
    lines.extend(
        textwrap.wrap(
            summary,
            width=96,
            initial_indent="    ",
            subsequent_indent="    ",
            break_on_hyphens=False,
            break_long_words=False,
        )
    )
    return ending.join(lines) + ending


def _yaml_scalar(value: str) -> str:
    dumped = yaml.safe_dump(value, default_flow_style=True, width=10_000, allow_unicode=True)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def _sources_text(text: str, seeds: SeedData, plan: OsmPlan) -> str:
    lines = text.splitlines(keepends=True)
    ending = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    existing = seeds.sources.get(plan.source.id)
    ways = _ways_by_link(existing.summary if existing else None)
    for refinement in plan.refinements:
        ways[refinement.link] = refinement.ways
    block = _source_block(plan.source, ways, ending)
    span = _entry_span(lines, "id", plan.source.id)
    if span is not None:
        start, end = span
        return "".join([*lines[:start], block, *lines[end:]])
    if text and not text.endswith(("\n", "\r")):
        text += ending
    return text + block


def _links_text(text: str, link_ids: Sequence[str]) -> tuple[str, list[str]]:
    """Set ``alignment: surveyed`` on each link by a one-line edit; return links not edited."""
    lines = text.splitlines(keepends=True)
    left: list[str] = []
    for link_id in link_ids:
        span = _entry_span(lines, "id", link_id)
        if span is None:
            left.append(link_id)
            continue
        found = [
            i
            for i in range(span[0] + 1, span[1])
            if re.match(r"^  alignment:\s*[a-z_]+\s*(#.*)?$", lines[i].rstrip("\r\n"))
        ]
        if len(found) != 1:
            left.append(link_id)
            continue
        line = lines[found[0]]
        lines[found[0]] = re.sub(r"(alignment:\s*)[a-z_]+", r"\g<1>surveyed", line, count=1)
    return "".join(lines), left


def apply_plan(
    seeds: SeedData, plan: OsmPlan, *, dry_run: bool = False
) -> tuple[list[Path], list[str]]:
    """Write a plan into the seeds folder: alignments, the source, and ``alignment: surveyed``.

    The edited files are validated together (as :func:`~corridors.data.seeds.load_seeds`
    would) before anything is replaced, then written atomically.

    Parameters
    ----------
    seeds
        The seeds the plan was made from; its ``root`` is written.
    plan
        From :func:`plan_from_extract` or :func:`plan_from_overpass`.
    dry_run
        Check everything but write nothing.

    Returns
    -------
    tuple
        The files written (none for a dry run), and the links whose ``alignment`` could not be
        set to ``surveyed`` by a one-line edit of ``links.yaml`` (to be edited by hand).

    Raises
    ------
    InvalidSeed
        When the edited seeds would not validate.
    OutputError
        When a file cannot be written; nothing is replaced then.
    """
    root = seeds.root
    if not dry_run and root.resolve() == _installed_seeds_dir().resolve():
        raise InvalidArgument(
            f"{root} holds the seeds installed with the package, which are not edited. Fix: "
            "copy that folder, pass --seeds PATH to the copy, and run again"
        )
    contents: dict[Path, str] = {}
    alignments = root / ALIGNMENTS_FILE
    old_alignments = _read_raw(alignments) if alignments.is_file() else ""
    if not old_alignments.strip():
        old_alignments = "link,seq,lat,lon,name,source\n"
    contents[alignments] = _alignments_text(old_alignments, plan.refinements)
    sources = root / SOURCES_FILE
    contents[sources] = _sources_text(_read_raw(sources), seeds, plan)
    to_edit = [
        r.link
        for r in plan.refinements
        if seeds.links[r.link].alignment is not AlignmentType.SURVEYED
    ]
    left: list[str] = []
    if to_edit:
        links = root / LINKS_FILE
        original = _read_raw(links)
        edited, left = _links_text(original, to_edit)
        if edited != original:
            contents[links] = edited
    _validate_edit(root, contents)
    if dry_run:
        return [], left
    return write_together(contents), left


def _read_raw(path: Path) -> str:
    """Read a text file keeping its line endings as they are."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def _installed_seeds_dir() -> Path:
    return Path(str(importlib.resources.files("corridors"))) / "_seeds"


def _validate_edit(root: Path, contents: Mapping[Path, str]) -> None:
    with tempfile.TemporaryDirectory(prefix="corridors-osm-check-") as folder:
        copy = Path(folder) / "seeds"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".corridors-*"))
        for path, text in contents.items():
            (copy / path.name).write_text(text, encoding="utf-8")
        load_seeds(copy)
