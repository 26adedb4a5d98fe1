"""The small-graph search engine against SciPy's: the same distances, trees and orders."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import depth_first_order as scipy_depth_first_order
from scipy.sparse.csgraph import dijkstra

from corridors.network.build import build_network
from corridors.routing import engine
from corridors.routing.api import route
from corridors.routing.engine import SparseGraph, depth_first_order, distances, shortest_tree
from corridors.routing.search import compress
from tests.toy import write_toy_seeds


def _random_graph(seed: int, size: int, edges: int) -> SparseGraph:
    """A random directed graph with distinct weights (no two paths tie)."""
    rng = np.random.default_rng(seed)
    src = rng.integers(0, size, edges)
    dst = rng.integers(0, size, edges)
    keep = src != dst
    weight = rng.uniform(0.5, 100.0, int(keep.sum()))
    graph, _, _ = compress(src[keep], dst[keep], weight, size)
    return graph


@pytest.mark.parametrize("seed", range(12))
def test_heap_trees_are_scipy_trees(seed: int) -> None:
    size = 5 + seed * 17
    graph = _random_graph(seed, size, size * 3)
    assert graph.small
    matrix = csr_matrix((graph.data, graph.indices, graph.indptr), shape=(size, size))
    for source in (0, size // 2, size - 1):
        dist, pred = shortest_tree(graph, source)
        expected_dist, expected_pred = dijkstra(
            matrix, directed=True, indices=source, return_predecessors=True
        )
        np.testing.assert_array_equal(dist, expected_dist)
        np.testing.assert_array_equal(pred, expected_pred)
        assert pred.dtype == expected_pred.dtype
    sources = [0, size - 1]
    np.testing.assert_array_equal(
        distances(graph, sources), dijkstra(matrix, directed=True, indices=sources)
    )


@pytest.mark.parametrize("seed", range(6))
def test_depth_first_order_is_scipys(seed: int) -> None:
    size = 40 + 30 * seed
    graph = _random_graph(100 + seed, size, size * 4)
    _, pred = shortest_tree(graph, 0)
    children = np.flatnonzero(pred >= 0)
    tree = csr_matrix(
        (np.ones(children.size, dtype=np.int8), (pred[children], children)), shape=(size, size)
    )
    expected = scipy_depth_first_order(tree, 0, directed=True, return_predecessors=False)
    np.testing.assert_array_equal(depth_first_order(pred, 0), expected)


def test_a_root_without_children_is_its_own_order() -> None:
    pred = np.full(4, engine.NO_PREDECESSOR, dtype=np.int32)
    assert depth_first_order(pred, 2).tolist() == [2]


def test_the_transposed_graph_is_scipys() -> None:
    graph = _random_graph(7, 60, 240)
    expected = graph.scipy().transpose().tocsr()
    expected.sort_indices()
    reversed_graph = graph.transposed()
    np.testing.assert_array_equal(reversed_graph.indptr, expected.indptr)
    np.testing.assert_array_equal(reversed_graph.indices, expected.indices)
    np.testing.assert_array_equal(reversed_graph.data, expected.data)
    assert graph.transposed() is reversed_graph


def test_large_graphs_go_to_scipy(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = _random_graph(3, 30, 90)
    monkeypatch.setattr(engine, "SMALL_GRAPH_EDGES", 10)
    assert not graph.small
    calls: list[int] = []
    monkeypatch.setattr(engine, "_heap_tree", lambda *_: calls.append(1))
    dist, pred = shortest_tree(graph, 0)
    assert not calls
    assert np.isfinite(dist[0])
    assert pred[0] == engine.NO_PREDECESSOR


def test_routes_do_not_depend_on_the_engine(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    network = build_network(write_toy_seeds(tmp_path / "seeds"))
    pairs = [("Aktau seaport", "Serhetyaka"), ("Aktau", "Baku port"), ("Uzen", "Aktau seaport")]

    def answers() -> list[dict[str, object]]:
        found = []
        for origin, destination in pairs:
            for weight in ("distance", "time", "cost", "generalised"):
                routes = route(network, origin, destination, weight=weight, alternatives=4)
                found.append(
                    {
                        "routes": [r.to_dict() for r in routes.routes],
                        "by_mode": {k: r.to_dict() for k, r in routes.by_mode.items()},
                    }
                )
        return found

    heap = answers()
    monkeypatch.setattr(engine, "SMALL_GRAPH_EDGES", -1)
    from corridors.routing import api  # noqa: PLC0415

    api._GRAPHS.clear()
    assert answers() == heap
