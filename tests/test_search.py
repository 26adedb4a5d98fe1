"""The search mechanisms on networks written for the test: the vectorised alternatives scan
against a plain one, memoised masks and search graphs, the matrix on several threads, and the
best route per mode found on first use.
"""

from __future__ import annotations

import importlib.util
import itertools
import pickle
import random
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from corridors.errors import InvalidArgument
from corridors.network.build import Network, build_network
from corridors.routing.api import (
    make_query,
    resolve_scenario,
    route,
    route_matrix,
    routing_graph,
)
from corridors.routing.graph import MEMO_SIZES, EdgeKind, Query, RoutingGraph
from corridors.routing.scenarios import ScenarioNetwork
from corridors.routing.search import Layered, alternatives
from tests.toy import write_toy_seeds

BENCHMARK = Path(__file__).resolve().parent / "benchmarks" / "routing_benchmark.py"


def _benchmark_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("routing_benchmark", BENCHMARK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory) -> Network:
    return build_network(write_toy_seeds(tmp_path_factory.mktemp("toy")))


@pytest.fixture(scope="module")
def grid(toy: Network) -> ScenarioNetwork:
    """A 12 x 12 grid of places (roads, a rail line every tenth row, a border in the middle)."""
    scenario: ScenarioNetwork = _benchmark_module().generated_scenario(toy, 12)
    return scenario


def _plain_scan(
    layered: Layered, k: int, max_overlap: float, max_stretch: float
) -> list[list[int]]:
    """The via-node scan written plainly: walk every uncovered candidate's path."""
    forward_dist, forward_pred, backward_dist, backward_pred = layered.trees()
    best = forward_dist[layered.target]
    if not np.isfinite(best):
        return []
    total = forward_dist + backward_dist
    limit = best * (1.0 + max_stretch) + 1e-9 * layered.size
    candidates = np.flatnonzero(np.isfinite(total) & (total <= limit))
    candidates = candidates[np.argsort(total[candidates], kind="stable")]
    edges = layered.graph.edges
    covered: set[int] = set()
    accepted: list[list[int]] = []
    accepted_km: list[dict[int, float]] = []
    for vertex in candidates.tolist():
        if vertex in covered:
            continue
        head = [vertex]
        while head[-1] != layered.source:
            head.append(int(forward_pred[head[-1]]))
        tail = [vertex]
        while tail[-1] != layered.target:
            tail.append(int(backward_pred[tail[-1]]))
        path = head[::-1] + tail[1:]
        covered.update(path)
        places = [int(layered.graph.vertex_place[v % layered.base_count]) for v in path]
        sequence = [p for i, p in enumerate(places) if i == 0 or places[i - 1] != p]
        if len(sequence) != len(set(sequence)):
            continue
        km: dict[int, float] = {}
        for index in layered.edges_of(path):
            if index >= 0 and edges["kind"][index] == EdgeKind.LINK:
                km[int(edges["link"][index])] = float(edges["length_km"][index])
        length = sum(km.values())
        shares = [
            sum(v for link, v in km.items() if link in other) / length if length > 0 else 1.0
            for other in accepted_km
        ]
        if any(share > max_overlap for share in shares):
            continue
        accepted.append(path)
        accepted_km.append(km)
        if len(accepted) >= k:
            break
    return accepted


def test_the_vectorised_scan_finds_the_paths_a_plain_scan_finds(grid: ScenarioNetwork) -> None:
    graph = routing_graph(grid)
    mask = graph.mask(make_query(graph, None, None, ()))
    rng = random.Random(2)
    places = list(grid.network.nodes.index)
    checked = 0
    for k, overlap, stretch in itertools.product((1, 4, 9), (0.3, 0.8), (0.2, 1.0)):
        origin, destination = rng.sample(places, 2)
        weight = rng.choice(["distance", "time", "generalised"])
        layered = Layered(graph, mask, weight, [origin, destination])
        found = alternatives(layered, k, overlap, stretch)
        assert found == _plain_scan(layered, k, overlap, stretch)
        checked += len(found)
    assert checked > 30, "the grid offers many alternatives"


def test_alternatives_through_a_via_place_match_the_plain_scan(grid: ScenarioNetwork) -> None:
    graph = routing_graph(grid)
    mask = graph.mask(make_query(graph, None, None, ()))
    layered = Layered(graph, mask, "distance", ["g0_0", "g6_2", "g11_11"])
    found = alternatives(layered, 6, 0.8, 1.0)
    assert len(found) > 1
    assert found == _plain_scan(layered, 6, 0.8, 1.0)


def _plain_mask(graph: RoutingGraph, query: Query) -> np.ndarray:
    edges = graph.edges
    ok = []
    for kind, link, src, dst in zip(
        edges["kind"], edges["link"], edges["src"], edges["dst"], strict=True
    ):
        places = [graph.place_ids[graph.vertex_place[v]] for v in (src, dst)]
        fine = all(
            p not in query.avoid_nodes and graph.country_of[p] not in query.avoid_countries
            for p in places
        )
        if kind == EdgeKind.LINK:
            fine = fine and (
                graph.link_modes[link] in query.modes
                and graph.link_statuses[link] in query.statuses
                and graph.link_ids[link] not in query.avoid_links
                and not graph.link_countries[link] & query.avoid_countries
            )
        ok.append(fine)
    return np.asarray(ok)


@pytest.mark.parametrize(
    ("modes", "statuses", "avoid"),
    [
        (None, None, ()),
        ("rail", ["operational", "planned"], ()),
        (None, None, ["TM"]),
        (["rail", "sea"], None, ["Uzen", "lane_az"]),
    ],
)
def test_the_mask_keeps_what_a_query_allows(
    toy: Network, modes: object, statuses: object, avoid: object
) -> None:
    graph = routing_graph(resolve_scenario(toy))
    query = make_query(graph, modes, statuses, avoid)  # type: ignore[arg-type]
    mask = graph.mask(query)
    assert mask.tolist() == _plain_mask(graph, query).tolist()
    assert graph.mask(query) is mask, "one mask per query, memoised"
    assert not mask.flags.writeable


def test_the_memo_keeps_the_most_recent_values(toy: Network) -> None:
    graph = RoutingGraph(resolve_scenario(toy))
    made: list[int] = []

    def make(value: int) -> int:
        made.append(value)
        return value

    size = MEMO_SIZES["search"]
    for value in range(size + 2):
        assert graph.memo("search", value, lambda v=value: make(v)) == value
    graph.memo("search", size + 1, lambda: make(-1))
    assert made[-1] == size + 1, "a recent value is not built again"
    graph.memo("search", 0, lambda: make(0))
    assert made[-1] == 0, "the oldest value was dropped and is built again"


def test_the_matrix_is_the_same_on_several_threads(grid: ScenarioNetwork) -> None:
    places = list(grid.network.nodes.index)[::3]
    one = route_matrix(grid, places, weight="time")
    many = route_matrix(grid, places, weight="time", cpus=3)
    assert np.array_equal(one.to_numpy(), many.to_numpy())
    assert np.isfinite(one.to_numpy()).all()
    assert route_matrix(grid, places[:4], cpus=None).shape == (4, 4)


@pytest.mark.parametrize("cpus", [0, -1, 1.5, True])
def test_cpus_must_be_a_whole_number(grid: ScenarioNetwork, cpus: object) -> None:
    with pytest.raises(InvalidArgument, match="cpus must be a whole number"):
        route_matrix(grid, ["g0_0", "g1_1"], cpus=cpus)  # type: ignore[arg-type]


def test_the_best_route_per_mode_is_found_on_first_use_and_pickles(toy: Network) -> None:
    routes = route(toy, "Aktau seaport", "Serhetyaka", alternatives=2)
    labels = list(routes.by_mode)
    assert "rail only" in labels
    assert routes.by_mode["rail only"].modes == ["rail"]
    copied = pickle.loads(pickle.dumps(routes))
    assert type(copied.by_mode) is dict
    assert list(copied.by_mode) == labels
    assert copied.by_mode["rail only"] == routes.by_mode["rail only"]
