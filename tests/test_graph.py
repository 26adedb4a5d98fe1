"""The routable graph follows OSMnx conventions and works with osmnx.routing and convert."""

from __future__ import annotations

import networkx as nx
import osmnx as ox
import pytest

from corridors.network.build import Network
from corridors.network.graph import node_key, to_graph


@pytest.fixture(scope="module")
def graph(network: Network) -> nx.MultiDiGraph:
    return to_graph(network)


def test_graph_conventions(graph: nx.MultiDiGraph, network: Network) -> None:
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.graph["crs"] == "EPSG:4326"
    assert node_key("galkynysh_gas_field") not in graph  # a point of interest
    port = graph.nodes[node_key("aktau_seaport")]
    assert port["id"] == "aktau_seaport"
    x, y = port["x"], port["y"]
    assert (x, y) == (
        network.nodes.loc["aktau_seaport", "lon"],
        network.nodes.loc["aktau_seaport", "lat"],
    )
    assert graph.number_of_edges() == 2 * len(network.links)
    for u, v, key, data in graph.edges(keys=True, data=True):
        assert isinstance(key, int)
        for attribute in ("link_id", "mode", "status", "gauge_mm", "sources", "length", "geometry"):
            assert attribute in data, (u, v, key, attribute)
        assert data["length"] == pytest.approx(data["route_length_km"] * 1000)
        start = data["geometry"].coords[0]
        assert start == (graph.nodes[u]["x"], graph.nodes[u]["y"])


def test_parallel_links_get_their_own_keys(graph: nx.MultiDiGraph) -> None:
    edges = graph.get_edge_data(node_key("turkmenbashi"), node_key("temirbaba_garabogaz_bcp"))
    statuses = sorted(edge["status"] for edge in edges.values())
    assert statuses == ["operational", "under_construction"]


def test_osmnx_shortest_path(graph: nx.MultiDiGraph) -> None:
    path = ox.routing.shortest_path(
        graph, node_key("zhanaozen_uzen_station"), node_key("gorgan"), weight="length"
    )
    assert path is not None
    ids = [graph.nodes[n]["id"] for n in path]
    assert ids[0] == "zhanaozen_uzen_station"
    assert ids[-1] == "gorgan"
    assert {"bolashak", "serhetyaka", "bereket", "akyayla", "incheh_borun"} <= set(ids)


def test_osmnx_k_shortest_paths(graph: nx.MultiDiGraph) -> None:
    paths = list(
        ox.routing.k_shortest_paths(
            graph, node_key("kuryk_seaport"), node_key("turkmenbashi_seaport"), k=3, weight="length"
        )
    )
    assert len(paths) == 3
    lengths = [nx.path_weight(graph, p, weight="length") for p in paths]
    assert lengths == sorted(lengths)
    assert len({tuple(p) for p in paths}) == 3


def test_osmnx_graph_to_gdfs_round_trip(graph: nx.MultiDiGraph) -> None:
    nodes, edges = ox.convert.graph_to_gdfs(graph)
    assert nodes.crs == "EPSG:4326"
    assert edges.index.names == ["u", "v", "key"]
    rebuilt = ox.convert.graph_from_gdfs(nodes, edges)
    assert rebuilt.number_of_edges() == graph.number_of_edges()
    route = ox.routing.shortest_path(
        rebuilt, node_key("aktau_seaport"), node_key("baku_port_alat"), weight="length"
    )
    assert route == [node_key("aktau_seaport"), node_key("baku_port_alat")]
