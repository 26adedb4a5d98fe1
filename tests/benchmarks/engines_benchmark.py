"""Benchmark corridors' routing against csgraph, networkx and igraph on synthetic grids.

Run from the repository root::

    .venv/bin/python tests/benchmarks/engines_benchmark.py [--sides 50 160 500] [--repeat 3]

A grid of ``side x side`` places has ``4 side (side - 1)`` directed link edges: sides 50, 160
and 500 give about 10k, 100k and 1M edges. For each grid it prints, in one table, the time of
building the graph, of one route, of k = 5 alternatives and of a 200 x 200 matrix, with:

- ``corridors``: :class:`~corridors.routing.graph.RoutingGraph` and the public API
  (:func:`~corridors.routing.api.route`, :func:`~corridors.routing.api.route_matrix`);
- ``csgraph``: SciPy's Dijkstra on the very CSR matrix corridors searches (the floor: one tree
  for a route, two trees for alternatives, one call with 200 ``indices`` for the matrix; its
  build is a CSR matrix made from the expanded graph's edge arrays);
- ``networkx`` and ``igraph`` on the plain link graph (places and links, weights in km).
  networkx's Yen (``shortest_simple_paths``) runs only up to ``--yen-max-edges``; igraph is
  skipped with a note when it is not installed (``pip install -e '.[benchmark]'``).

Times are best-of-``repeat`` wall-clock seconds, measured without tracemalloc; peak memory
(``MB``) comes from one more run under tracemalloc (Python allocations only, so igraph's C
heap is not counted). corridors' routing graph is built before the queries are timed (its time
is ``build``); ``first route`` is the first query on it, which also builds the query's mask and
search graph that later queries with the same restrictions and weight reuse.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from corridors.network.build import Network, build_network
from corridors.routing.api import make_query, route, route_matrix, routing_graph
from corridors.routing.graph import RoutingGraph
from corridors.routing.scenarios import ScenarioNetwork
from corridors.routing.search import Layered

try:
    import igraph
except ImportError:  # the optional benchmark extra
    igraph = None

sys.path.insert(0, str(Path(__file__).resolve().parent))
from routing_benchmark import generated_scenario

WEIGHT = "distance"
MATRIX_PLACES = 200


def best_of(repeat: int, action: Callable[[], Any]) -> float:
    """Shortest wall-clock time of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_mb(action: Callable[[], Any]) -> float:
    """Peak Python allocation of one run, in MB."""
    gc.collect()
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def link_edges(scenario: ScenarioNetwork) -> pd.DataFrame:
    """Directed link edges of the plain graph: lightest of parallel links, both directions."""
    links = scenario.network.links
    links = links[links["status"] == "operational"]
    km = links["route_length_km"].to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "a": np.concatenate([links["from"].to_numpy(), links["to"].to_numpy()]),
            "b": np.concatenate([links["to"].to_numpy(), links["from"].to_numpy()]),
            "w": np.concatenate([km, km]),
        }
    )
    return frame.sort_values("w").drop_duplicates(["a", "b"])


def networkx_graph(edges: pd.DataFrame) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_weighted_edges_from(edges.itertuples(index=False, name=None), weight="w")
    return graph


def igraph_graph(edges: pd.DataFrame) -> Any:
    return igraph.Graph.DataFrame(edges, directed=True, use_vids=False)


def measure(
    label: str,
    action: Callable[[], Any],
    repeat: int,
    row: dict[str, Any],
) -> None:
    row[f"{label} s"] = best_of(repeat, action)
    row[f"{label} MB"] = peak_mb(action)


@dataclass(frozen=True)
class Grid:
    """One synthetic grid and what is asked of it."""

    network: Network
    scenario: ScenarioNetwork
    label: str
    origin: str
    destination: str
    places: list[str]
    edges: pd.DataFrame


def make_grid(network: Network, side: int) -> Grid:
    scenario = generated_scenario(network, side)
    rng = random.Random(11)
    places = rng.sample(list(scenario.network.nodes.index), min(MATRIX_PLACES, side * side))
    edges = link_edges(scenario)
    return Grid(
        network,
        scenario,
        f"{len(edges):,} edges ({side}x{side})",
        "g0_0",
        f"g{side - 1}_{side - 1}",
        places,
        edges,
    )


def bench_corridors(grid: Grid, repeat: int) -> dict[str, Any]:
    row: dict[str, Any] = {"grid": grid.label, "engine": "corridors"}
    measure("build", lambda: RoutingGraph(grid.scenario), repeat, row)
    row["expanded edges"] = RoutingGraph(grid.scenario).edge_count

    def ours_route(k: int) -> Callable[[], Any]:
        return lambda: route(
            grid.network,
            grid.origin,
            grid.destination,
            scenario=grid.scenario,
            weight=WEIGHT,
            alternatives=k,
        )

    routing_graph(grid.scenario)
    row["first route s"] = best_of(1, ours_route(1))
    measure("route", ours_route(1), repeat, row)
    measure("k=5", ours_route(5), repeat, row)
    measure(
        "matrix",
        lambda: route_matrix(grid.network, grid.places, scenario=grid.scenario, weight=WEIGHT),
        min(repeat, 2),
        row,
    )
    return row


def bench_csgraph(grid: Grid, repeat: int) -> dict[str, Any]:
    graph = RoutingGraph(grid.scenario)
    mask = graph.mask(make_query(graph, None, None, ()))
    stops = [grid.origin, grid.destination]
    row: dict[str, Any] = {"grid": grid.label, "engine": "csgraph (same CSR)"}
    keep = np.flatnonzero(mask)
    src, dst = graph.edges["src"][keep], graph.edges["dst"][keep]
    weights = graph.weights(WEIGHT)[keep]
    size = (graph.vertex_count, graph.vertex_count)
    measure("build", lambda: csr_matrix((weights, (src, dst)), shape=size), repeat, row)
    layered = Layered(graph, mask, WEIGHT, stops)
    matrix, matrix_t = layered.matrix.scipy(), layered.matrix_t.scipy()
    source, target = layered.source, layered.target
    measure("route", lambda: dijkstra(matrix, indices=source), repeat, row)
    measure(
        "k=5",
        lambda: (dijkstra(matrix, indices=source), dijkstra(matrix_t, indices=target)),
        repeat,
        row,
    )
    sources = [graph.place_vertices(p, "start") for p in grid.places]
    measure("matrix", lambda: dijkstra(matrix, indices=sources), min(repeat, 2), row)
    return row


def bench_networkx(
    grid: Grid, repeat: int, yen_max_edges: int, matrix_max_edges: int
) -> dict[str, Any]:
    row: dict[str, Any] = {"grid": grid.label, "engine": "networkx"}
    measure("build", lambda: networkx_graph(grid.edges), 1, row)
    plain = networkx_graph(grid.edges)
    ends = (grid.origin, grid.destination)
    measure("route", lambda: nx.shortest_path(plain, *ends, weight="w"), repeat, row)
    if len(grid.edges) <= yen_max_edges:
        measure(
            "k=5",
            lambda: list(itertools.islice(nx.shortest_simple_paths(plain, *ends, weight="w"), 5)),
            1,
            row,
        )

    def nx_matrix() -> None:
        for source in grid.places:
            lengths = nx.single_source_dijkstra_path_length(plain, source, weight="w")
            _ = [lengths.get(t, np.inf) for t in grid.places]

    if len(grid.edges) <= matrix_max_edges:
        measure("matrix", nx_matrix, 1, row)
    return row


def bench_igraph(grid: Grid, repeat: int) -> dict[str, Any]:
    row: dict[str, Any] = {"grid": grid.label, "engine": "igraph"}
    measure("build", lambda: igraph_graph(grid.edges), repeat, row)
    fast = igraph_graph(grid.edges)
    ends = (grid.origin, grid.destination)
    measure(
        "route", lambda: fast.get_shortest_path(*ends, weights="w", output="epath"), repeat, row
    )
    measure(
        "k=5",
        lambda: fast.get_k_shortest_paths(*ends, k=5, weights="w", output="epath"),
        repeat,
        row,
    )
    measure(
        "matrix",
        lambda: fast.distances(source=grid.places, target=grid.places, weights="w"),
        min(repeat, 2),
        row,
    )
    return row


def bench_grid(network: Network, side: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Rows of the table for one grid: one per engine, and corridors over the floor."""
    grid = make_grid(network, side)
    repeat = args.repeat
    ours, floor = bench_corridors(grid, repeat), bench_csgraph(grid, repeat)
    ratio: dict[str, Any] = {"grid": grid.label, "engine": "corridors / csgraph"}
    ratio.update({key: ours[key] / floor[key] for key in floor if key.endswith(" s")})
    rows = [ours, floor, ratio]
    if "networkx" in args.engines:
        rows.append(
            bench_networkx(grid, repeat, args.yen_max_edges, args.networkx_matrix_max_edges)
        )
    if "igraph" not in args.engines:
        return rows
    if igraph is None:
        print("igraph is not installed: skipped (pip install -e '.[benchmark]')")
    else:
        rows.append(bench_igraph(grid, repeat))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sides", type=int, nargs="+", default=[50, 160, 500])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--yen-max-edges",
        type=int,
        default=110_000,
        help="run networkx's Yen only on grids of at most this many edges",
    )
    parser.add_argument(
        "--networkx-matrix-max-edges",
        type=int,
        default=110_000,
        help="run networkx's 200 single-source searches only up to this many edges",
    )
    parser.add_argument(
        "--engines",
        nargs="*",
        choices=["networkx", "igraph"],
        default=["networkx", "igraph"],
        help="libraries to compare with, besides corridors and csgraph",
    )
    args = parser.parse_args()
    network = build_network()
    rows: list[dict[str, Any]] = []
    for side in args.sides:
        rows.extend(bench_grid(network, side, args))
    columns = [
        "grid",
        "engine",
        "first route s",
        *(f"{op} {unit}" for op in ("build", "route", "k=5", "matrix") for unit in ("s", "MB")),
    ]
    frame = pd.DataFrame(rows).reindex(columns=columns)
    for column in columns[2:]:
        digits = 1 if column.endswith("MB") else 4
        frame[column] = frame[column].map(
            lambda value, d=digits: "-" if pd.isna(value) else f"{value:.{d}f}"
        )
    print(f"weight {WEIGHT}; matrix {MATRIX_PLACES} x {MATRIX_PLACES}; best of {args.repeat}")
    print(frame.to_string(index=False))
    expanded = {row["grid"]: row["expanded edges"] for row in rows if "expanded edges" in row}
    for grid, count in expanded.items():
        print(f"{grid}: {count:,} edges in corridors' expanded graph")


if __name__ == "__main__":
    main()
