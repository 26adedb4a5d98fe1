"""The network as a ``networkx.MultiDiGraph`` in OSMnx conventions."""

from __future__ import annotations

import zlib

import networkx as nx
import pandas as pd

from corridors.network.build import CRS, Network

__all__ = ["node_key", "to_graph"]


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
    for node_id, row in network.transport_nodes.iterrows():
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
