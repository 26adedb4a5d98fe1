"""Resolve what a user types (an id, an English or local name, or a lon/lat) to a node."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import Geod

from corridors.errors import UnknownPlace
from corridors.schema import NodeKind
from corridors.suggest import closest

__all__ = ["Place", "PlaceIndex", "resolve_place"]

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Place:
    """A resolved place.

    Attributes
    ----------
    node_id
        The node.
    query
        What was asked for.
    snap_km
        Distance from a lon/lat query to the node; 0 for names and ids.
    """

    node_id: str
    query: str
    snap_km: float = 0.0


def _names(node_id: str, name: str, name_local: str) -> list[str]:
    """Every way a node can be named: id, id with spaces, name, name without brackets, local."""
    local = [part.strip() for part in name_local.split("/") if part.strip()]
    short = re.sub(r"\s*\(.*?\)", "", name).strip()
    return [node_id, node_id.replace("_", " "), name, short, *local]


class PlaceIndex:
    """Look up nodes by id, name or local name (case-insensitive), or by coordinates.

    Parameters
    ----------
    nodes
        Nodes that may be returned (columns ``id``, ``name``, ``name_local``, ``lat``,
        ``lon``); build the index once and reuse it for many look-ups.
    """

    def __init__(self, nodes: pd.DataFrame) -> None:
        self._ids = [str(i) for i in nodes.index]
        self._lons = nodes["lon"].to_numpy(dtype=float)
        self._lats = nodes["lat"].to_numpy(dtype=float)
        self._exact: dict[str, str] = {}
        self._shown: dict[str, str] = {}
        for node_id, name, local in zip(
            self._ids, nodes["name"].astype(str), nodes["name_local"].astype(str), strict=True
        ):
            node, spaced, english, short, *others = _names(node_id, name, local)
            for candidate in (node, spaced, english, short, *others):
                self._exact.setdefault(candidate.casefold(), node_id)
            for candidate in (english, short, *others, node, spaced):
                self._shown.setdefault(candidate.casefold(), candidate)

    def resolve(self, query: str | tuple[float, float]) -> Place:
        """Find the node a user means; see :func:`resolve_place`."""
        coordinates = _as_coordinates(query)
        if coordinates is not None:
            lon, lat = coordinates
            count = len(self._ids)
            _, _, metres = _GEOD.inv([lon] * count, [lat] * count, self._lons, self._lats)
            best = int(np.argmin(metres))
            return Place(self._ids[best], f"{lon},{lat}", float(metres[best]) / 1000.0)
        text = str(query).strip()
        found = self._exact.get(text.casefold())
        if found is not None:
            return Place(found, text)
        suggestions = closest(text, self._shown.values())
        hint = (
            (" Did you mean " + " or ".join(f"'{s}'" for s in suggestions) + "?")
            if suggestions
            else ""
        )
        message = f"unknown place '{text}'.{hint} Use a node id, a name, or lon,lat."
        raise UnknownPlace(message)


def resolve_place(
    nodes: pd.DataFrame,
    query: str | tuple[float, float],
    *,
    candidates: Iterable[str] | None = None,
) -> Place:
    """Find the node a user means.

    Parameters
    ----------
    nodes
        The network's nodes (columns ``id``, ``name``, ``name_local``, ``kind``, ``lat``,
        ``lon``).
    query
        A node id, an English name or a local name as the sources spell it (``Актау``), matched
        case-insensitively; or a ``(lon, lat)`` pair, or a ``"lon,lat"`` string, snapped to the
        nearest transport node.
    candidates
        Node ids that may be returned (default: every node but points of interest).

    Returns
    -------
    Place
        The node, with the snap distance for coordinates.

    Raises
    ------
    UnknownPlace
        When nothing matches; the message suggests the closest names.

    Examples
    --------
    >>> from corridors.network import build_network
    >>> nodes = build_network().nodes
    >>> resolve_place(nodes, "Актау").node_id
    'aktau'
    >>> resolve_place(nodes, "kuryk seaport").node_id
    'kuryk_seaport'
    """
    allowed = (
        nodes[nodes["kind"] != NodeKind.POI.value]
        if candidates is None
        else nodes.loc[list(candidates)]
    )
    return PlaceIndex(allowed).resolve(query)


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
