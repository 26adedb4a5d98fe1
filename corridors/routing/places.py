"""Resolve what a user types to a node: an id, a name, an alias, a place group, or lon/lat.

Names are matched without regard to case, accents, hyphens or repeated spaces. A place group
(``seeds/places.yaml``: a city with its port, stations and border post) resolves to the member
that has a link of an allowed mode, preferring terminals (port, station) over the city node. A
name that ``places.yaml`` lists as outside the model says so; a point of interest says it is not
a transport node. Coordinates are range- and NaN-checked, a likely swapped order is detected,
and snapping is limited to :data:`MAX_SNAP_KM`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from corridors.data.suggest import closest
from corridors.data.vocabulary import NodeKind
from corridors.errors import UnknownPlace

if TYPE_CHECKING:
    import pandas as pd
    from pyproj import Geod

    from corridors.network.build import Network

__all__ = [
    "MAX_SNAP_KM",
    "SAME_PLACE_KM",
    "Place",
    "PlaceIndex",
    "PlaceQuery",
    "list_places",
    "modes_at",
    "normalise",
    "place_index",
]

#: Nodes sharing a name within this distance (km), in one country, are one place.
SAME_PLACE_KM = 40.0

#: Furthest, in km, a ``lon,lat`` may lie from the node it snaps to (override per query).
MAX_SNAP_KM = 50.0


@lru_cache(maxsize=1)
def _geod() -> Geod:
    """Return the WGS84 ellipsoid (pyproj is imported when a distance is needed)."""
    from pyproj import Geod  # noqa: PLC0415

    return Geod(ellps="WGS84")


# Terminal kinds come before the city node when a group's members fit the modes equally.
_KIND_ORDER = {
    NodeKind.SEAPORT.value: 0,
    NodeKind.TERMINAL.value: 1,
    NodeKind.RAIL_STATION.value: 2,
    NodeKind.BORDER_CROSSING.value: 3,
    NodeKind.JUNCTION.value: 4,
    NodeKind.CITY.value: 5,
}


@dataclass(frozen=True)
class Place:
    """A place resolved once, carried through routing, comparisons, maps and reports.

    Attributes
    ----------
    node_id
        The node routes start or end at.
    name
        The node's name.
    query
        What the user typed.
    snap_km
        Distance from a ``lon,lat`` query to the node; 0 for names and ids.
    group
        The place group the name matched (``places.yaml``), or ``""``.
    members
        The group's members that fit the query's modes, the chosen one first; routing starts
        (or ends) at whichever of them gives the best route.
    """

    node_id: str
    name: str
    query: str
    snap_km: float = 0.0
    group: str = ""
    members: tuple[str, ...] = ()

    def at(self, node_id: str, name: str) -> Place:
        """Return the same place, resolved to another of its members."""
        return Place(node_id, name, self.query, self.snap_km, self.group, self.members)


#: What a place may be given as.
PlaceQuery = str | tuple[float, float] | Place


def normalise(text: str) -> str:
    """Fold a name for matching: case, accents, hyphens, underscores, brackets and spaces.

    Examples
    --------
    >>> normalise("Bandar-Abbas")
    'bandar abbas'
    >>> normalise("Türkmenbaşy")
    'turkmenbasy'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    spaced = re.sub(r"[\s_\-\u2010-\u2015'\u2019.]+", " ", stripped.casefold())
    return spaced.strip()


def _names(node_id: str, name: str, name_local: str) -> list[str]:
    """Every way a node can be named: id, name, name without brackets, local names."""
    local = [part.strip() for part in re.split(r"[/;]", name_local) if part.strip()]
    short = re.sub(r"\s*\(.*?\)", "", name).strip()
    return [name, short, node_id, *local]


@dataclass
class _Entry:
    """What one normalised name points to."""

    shown: str
    nodes: list[str] = field(default_factory=list)
    group: str = ""


class PlaceIndex:
    """Look up nodes by id, name, alias or group, or by coordinates.

    Parameters
    ----------
    nodes
        The network's nodes (columns ``name``, ``name_local``, ``kind``, ``country``, ``lat``,
        ``lon``), indexed by id; points of interest are known but never returned.
    modes_at
        Modes of the links that meet at each node (nodes without links are never returned).
    groups
        Place groups: id to ``(name, aliases, member node ids)``.
    outside
        Names of places outside the model, normalised, to ``(name, country, note)``.
    """

    def __init__(
        self,
        nodes: pd.DataFrame,
        modes_at: Mapping[str, frozenset[str]],
        groups: Mapping[str, tuple[str, list[str], list[str]]] | None = None,
        outside: Mapping[str, tuple[str, str, str]] | None = None,
    ) -> None:
        ids = [str(node_id) for node_id in nodes.index]
        self._node_name = dict(zip(ids, (str(v) for v in nodes["name"]), strict=True))
        self._node_kind = dict(zip(ids, (str(v) for v in nodes["kind"]), strict=True))
        self._node_country = dict(zip(ids, (str(v) for v in nodes["country"]), strict=True))
        self._node_lonlat = dict(
            zip(
                ids,
                zip(nodes["lon"].astype(float), nodes["lat"].astype(float), strict=True),
                strict=True,
            )
        )
        self._modes_at = dict(modes_at)
        self._poi = {n for n in ids if self._node_kind[n] == NodeKind.POI.value}
        self._ids = [n for n in ids if n not in self._poi and n in self._modes_at]
        self._lons = np.asarray([self._node_lonlat[n][0] for n in self._ids], dtype=float)
        self._lats = np.asarray([self._node_lonlat[n][1] for n in self._ids], dtype=float)
        self._entries: dict[str, _Entry] = {}
        self._outside = dict(outside or {})
        for group_id, (name, aliases, members) in (groups or {}).items():
            for text in (name, group_id, *aliases):
                self._add(text, members, group=group_id, shown=name)
        for node_id, name, name_local in zip(ids, nodes["name"], nodes["name_local"], strict=True):
            for text in _names(node_id, str(name), str(name_local)):
                self._add(text, [node_id], shown=str(name))

    def _add(self, text: str, members: list[str], *, shown: str, group: str = "") -> None:
        key = normalise(text)
        if not key:
            return
        entry = self._entries.get(key)
        if entry is None:
            self._entries[key] = _Entry(shown, list(members), group)
        elif not entry.group:
            for member in members:
                if member not in entry.nodes:
                    entry.nodes.append(member)

    def resolver(
        self, *, modes: Iterable[str] | None = None, max_snap_km: float | None = None
    ) -> Callable[[PlaceQuery], Place]:
        """Return a function resolving places for a query with these modes.

        Parameters
        ----------
        modes
            Allowed modes: a group resolves to a member with a link of one of them.
        max_snap_km
            Snap limit for coordinates (default :data:`MAX_SNAP_KM`).

        Returns
        -------
        callable
            Place query to :class:`Place`.
        """
        allowed = frozenset(modes) if modes is not None else None
        limit = MAX_SNAP_KM if max_snap_km is None else float(max_snap_km)

        def resolve(query: PlaceQuery) -> Place:
            return self.resolve(query, modes=allowed, max_snap_km=limit)

        return resolve

    def resolve(
        self,
        query: PlaceQuery,
        *,
        modes: frozenset[str] | None = None,
        max_snap_km: float = MAX_SNAP_KM,
    ) -> Place:
        """Find the node a user means.

        Parameters
        ----------
        query
            A resolved place (returned as it is), a name, id or alias, or coordinates.
        modes
            Allowed modes (default: any).
        max_snap_km
            Snap limit for coordinates.

        Returns
        -------
        Place
            The node, with what was typed and the snap distance.

        Raises
        ------
        UnknownPlace
            For no match, an ambiguous name, a place outside the model, a point of interest, a
            node without links, or coordinates out of range or too far from any node.
        """
        if isinstance(query, Place):
            return query
        coordinates = _as_coordinates(query)
        if coordinates is not None:
            return self._snap(coordinates, max_snap_km, str(query))
        text = str(query).strip()
        if not text:
            message = "empty place name. Use a node id, a place name, or lon,lat"
            raise UnknownPlace(message, query=text)
        entry: _Entry | None = (
            _Entry(self._name(text), [text])  # a node id is exact, whatever shares its name
            if text in self._node_name
            else self._entries.get(normalise(text))
        )
        if entry is None:
            raise self._unknown(text)
        candidates = [n for n in entry.nodes if n not in self._poi and n in self._modes_at]
        if not candidates:
            raise self._not_routable(text, entry)
        if not entry.group and self._spread(candidates):
            names = [f"'{self._name(n)}' ({n}, {self._country(n)})" for n in candidates]
            message = (
                f"place '{text}' is ambiguous: it may be {' or '.join(names)}. "
                "Fix: name one of them (by its name or id)"
            )
            raise UnknownPlace(message, query=text, suggestions=tuple(candidates))
        # Members with a link of an allowed mode first; with none, the routing explains why.
        fitting = [n for n in candidates if modes is None or self._modes_at[n] & modes]
        fitting = fitting or candidates
        ordered = sorted(fitting, key=lambda n: _KIND_ORDER.get(self._node_kind[n], 9))
        best = ordered[0]
        members = tuple(ordered) if entry.group else ()
        return Place(best, self._name(best), text, 0.0, entry.group, members)

    def avoidable(self, text: str, link_ids: Iterable[str]) -> tuple[str, str]:
        """Classify something to avoid as a ``link``, a ``country`` (ISO2) or a ``node``.

        Parameters
        ----------
        text
            A link id, an ISO 3166-1 alpha-2 code, or a place.
        link_ids
            The link ids of the network.

        Returns
        -------
        tuple of str
            The kind and the id.

        Raises
        ------
        UnknownPlace
            When it is none of them; the message says what ``--avoid`` accepts.
        """
        value = text.strip()
        if value in set(link_ids):
            return "link", value
        countries = set(self._node_country.values())
        if len(value) == 2 and value.upper() in countries:
            return "country", value.upper()
        try:
            return "node", self.resolve(value).node_id
        except UnknownPlace as error:
            message = (
                f"cannot avoid '{value}': {error} (avoid takes a place, a link id or an ISO2 "
                f"country code: {', '.join(sorted(countries))})"
            )
            raise UnknownPlace(message, query=value, suggestions=error.suggestions) from None

    def _snap(self, coordinates: tuple[float, float], max_snap_km: float, typed: str) -> Place:
        lon, lat = coordinates
        if not (math.isfinite(lon) and math.isfinite(lat)):
            message = f"coordinates '{typed}' are not numbers. Fix: give lon,lat in degrees"
            raise UnknownPlace(message, query=typed)
        if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
            message = (
                f"coordinates '{typed}' are out of range (lon -180..180, lat -90..90). "
                "Fix: give lon,lat in degrees"
            )
            raise UnknownPlace(message, query=typed)
        if not self._ids:
            message = "no node has a link to snap to"
            raise UnknownPlace(message, query=typed)
        node, km = self._nearest(lon, lat)
        if km > max_snap_km:
            swapped_node, swapped_km = (
                self._nearest(lat, lon) if -90.0 <= lon <= 90.0 else ("", math.inf)
            )
            hint = (
                f" It looks like lat,lon: {lat:g},{lon:g} is {swapped_km:,.1f} km from "
                f"'{self._name(swapped_node)}'. Fix: give lon,lat"
                if swapped_km <= max_snap_km
                else " Fix: give lon,lat near the network, or raise the snap limit (--max-snap-km)"
            )
            message = (
                f"coordinates '{typed}' are {km:,.1f} km from the nearest node "
                f"'{self._name(node)}', beyond the {max_snap_km:g} km snap limit.{hint}"
            )
            raise UnknownPlace(message, query=typed)
        return Place(node, self._name(node), f"{lon:g},{lat:g}", km)

    def _spread(self, node_ids: list[str]) -> bool:
        """Whether nodes sharing a name are different places (other countries, or far apart)."""
        if len(node_ids) < 2:
            return False
        if len({self._node_country[n] for n in node_ids}) > 1:
            return True
        lons = np.asarray([self._node_lonlat[n][0] for n in node_ids], dtype=float)
        lats = np.asarray([self._node_lonlat[n][1] for n in node_ids], dtype=float)
        _, _, metres = _geod().inv(
            np.repeat(lons, len(lons)),
            np.repeat(lats, len(lats)),
            np.tile(lons, len(lons)),
            np.tile(lats, len(lats)),
        )
        return bool(np.max(metres) / 1000.0 > SAME_PLACE_KM)

    def _country(self, node_id: str) -> str:
        return self._node_country[node_id]

    def _name(self, node_id: str) -> str:
        return self._node_name[node_id]

    def _nearest(self, lon: float, lat: float) -> tuple[str, float]:
        count = len(self._ids)
        _, _, metres = _geod().inv([lon] * count, [lat] * count, self._lons, self._lats)
        best = int(np.argmin(metres))
        return self._ids[best], float(metres[best]) / 1000.0

    def _unknown(self, text: str) -> UnknownPlace:
        outside = self._outside.get(normalise(text))
        if outside is not None:
            name, country, note = outside
            message = (
                f"place '{text}' ({name}, {country}) lies outside the model's network"
                + (f": {note}" if note else "")
                + ". Fix: name a place in the network (corridors places lists them)"
            )
            return UnknownPlace(message, query=text, outside=True)
        suggestions = closest(text, [e.shown for e in self._entries.values()])
        hint = (
            (" Did you mean " + " or ".join(f"'{s}'" for s in suggestions) + "?")
            if suggestions
            else ""
        )
        message = (
            f"unknown place '{text}'.{hint} Use a place name, a node id, or lon,lat "
            "(corridors places lists them)"
        )
        return UnknownPlace(message, query=text, suggestions=tuple(suggestions))

    def _not_routable(self, text: str, entry: _Entry) -> UnknownPlace:
        node = entry.nodes[0]
        if node in self._poi:
            message = (
                f"'{text}' is a point of interest ({entry.shown}), not a transport node. "
                "Fix: name the nearest station, port or city"
            )
        else:
            message = (
                f"place '{text}' ({entry.shown}) is in the model but no link reaches it yet. "
                "Fix: name a connected place (corridors places lists them)"
            )
        return UnknownPlace(message, query=text)


def _as_coordinates(query: str | tuple[float, float]) -> tuple[float, float] | None:
    if isinstance(query, tuple):
        return float(query[0]), float(query[1])
    parts = str(query).split(",")
    if len(parts) != 2:
        return None
    try:
        lon, lat = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    return lon, lat


def modes_at(links: pd.DataFrame) -> dict[str, frozenset[str]]:
    """Modes of the links that meet at each node.

    Parameters
    ----------
    links
        Links (columns ``from``, ``to``, ``mode``).

    Returns
    -------
    dict
        Node id to the set of modes; nodes without links are absent.
    """
    found: dict[str, set[str]] = {}
    for start, end, mode in zip(links["from"], links["to"], links["mode"], strict=True):
        found.setdefault(str(start), set()).add(str(mode))
        found.setdefault(str(end), set()).add(str(mode))
    return {node: frozenset(modes) for node, modes in found.items()}


def place_index(network: Network, links: pd.DataFrame | None = None) -> PlaceIndex:
    """Build the place index of a network: its nodes, place groups and outside names.

    Parameters
    ----------
    network
        The network (its seeds give ``places.yaml``).
    links
        The links that may be travelled (default: every link of the network).

    Returns
    -------
    PlaceIndex
        Ready for :meth:`PlaceIndex.resolve`.
    """
    usable = network.links if links is None else links
    groups: dict[str, tuple[str, list[str], list[str]]] = {}
    outside: dict[str, tuple[str, str, str]] = {}
    for group in network.seeds.places.values():
        aliases = [alias.name for alias in group.aliases]
        if group.members:
            groups[group.id] = (group.name, aliases, list(group.members))
        else:
            for text in (group.name, group.id, *aliases):
                outside[normalise(text)] = (group.name, group.country, group.note)
    return PlaceIndex(network.nodes, modes_at(usable), groups, outside)


def list_places(network: Network, query: str = "") -> pd.DataFrame:
    """List the places a user can name: groups and nodes, with their modes and countries.

    Parameters
    ----------
    network
        The built network.
    query
        Keep places whose name, id or alias contains this text (matched as names are).

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``id``, ``kind`` (``group``, a node kind, or ``outside``),
        ``country``, ``modes``, ``nodes`` and ``aliases``; groups first, then nodes by name.
    """
    modes = modes_at(network.links[network.links["status"] != "closed"])
    rows: list[dict[str, object]] = []
    for group in network.seeds.places.values():
        members = list(group.members)
        rows.append(
            {
                "name": group.name,
                "id": group.id,
                "kind": "group" if members else "outside",
                "country": group.country,
                "modes": sorted({m for n in members for m in modes.get(n, ())}),
                "nodes": members,
                "aliases": [alias.name for alias in group.aliases],
            }
        )
    nodes = network.nodes
    for node_id, row in nodes.sort_values("name").iterrows():
        rows.append(
            {
                "name": str(row["name"]),
                "id": str(node_id),
                "kind": str(row["kind"]),
                "country": str(row["country"]),
                "modes": sorted(modes.get(str(node_id), ())),
                "nodes": [str(node_id)],
                "aliases": [
                    p.strip() for p in re.split(r"[/;]", str(row["name_local"])) if p.strip()
                ],
            }
        )
    import pandas as pd  # noqa: PLC0415

    frame = pd.DataFrame(
        rows, columns=["name", "id", "kind", "country", "modes", "nodes", "aliases"]
    )
    wanted = normalise(query)
    if wanted:
        keep = [
            any(wanted in normalise(str(text)) for text in (r["name"], r["id"], *r["aliases"]))
            for _, r in frame.iterrows()
        ]
        frame = frame[keep]
    return frame.reset_index(drop=True)
