"""Benchmark routing on the corridor network and on a generated network of 100,000+ edges.

Run from the repository root::

    .venv/bin/python tests/benchmarks/routing_benchmark.py [--grid 160] [--repeat 3]

It reports, for each network, the time of one route, of k = 5 alternatives and of an all-pairs
matrix over 200 nodes (all transport nodes on the corridor network), with corridors' engine and
with plain networkx on the same link graph (Dijkstra, Yen's k shortest simple paths, and one
single-source Dijkstra per matrix row). Timings are best-of-``repeat`` wall-clock seconds.
"""

from __future__ import annotations

import argparse
import itertools
import random
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from corridors.network.build import Network, build_network
from corridors.routing.api import route, route_matrix
from corridors.routing.graph import RoutingGraph
from corridors.routing.scenarios import ScenarioNetwork, apply_scenario


def best_of(repeat: int, action: Callable[[], Any]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def generated_scenario(base: Network, side: int) -> ScenarioNetwork:
    """A side x side grid of places: roads everywhere, a rail line on every tenth row."""
    rng = random.Random(7)
    today = apply_scenario(base, "current")
    ids = [f"g{r}_{c}" for r in range(side) for c in range(side)]
    lat = {f"g{r}_{c}": 36.0 + 8.0 * r / side for r in range(side) for c in range(side)}
    lon = {f"g{r}_{c}": 52.0 + 10.0 * c / side for r in range(side) for c in range(side)}
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": ids,
            "name_local": "",
            "kind": "city",
            "country": ["KZ" if int(i.split("_")[1]) < side // 2 else "TM" for i in ids],
            "lat": [lat[i] for i in ids],
            "lon": [lon[i] for i in ids],
        }
    ).set_index("id", drop=False)
    records = []
    for r, c in itertools.product(range(side), range(side)):
        for dr, dc in ((0, 1), (1, 0)):
            r2, c2 = r + dr, c + dc
            if r2 >= side or c2 >= side:
                continue
            a, b = f"g{r}_{c}", f"g{r2}_{c2}"
            rail = dr == 0 and r % 10 == 0
            km = rng.uniform(5.0, 30.0)
            countries = sorted({nodes.at[a, "country"], nodes.at[b, "country"]})
            records.append(
                {
                    "id": f"l{len(records)}",
                    "name": f"{a}-{b}",
                    "from": a,
                    "to": b,
                    "mode": "rail" if rail else "road",
                    "status": "operational",
                    "seed_status": "operational",
                    "gauge_mm": (1520 if c < side // 2 else 1435) if rail else None,
                    "year": None,
                    "alignment": "approximate",
                    "route_length_km": km,
                    "length_km": km,
                    "km_by_country": [(countries[0], round(km, 1))],
                    "countries": countries,
                    "sources": ["assumption"],
                    "geometry": None,
                }
            )
    links = pd.DataFrame(records).set_index("id", drop=False)
    network = Network(seeds=base.seeds, nodes=nodes, links=links)
    return ScenarioNetwork("generated", None, network, today.parameters, (), base=network)


def link_graph(scenario: ScenarioNetwork, weight: str) -> nx.DiGraph:
    """The plain link graph networkx routes on: places and links, weights in km or hours."""
    graph = nx.DiGraph()
    speed = {"rail": 39.4, "road": 45.0, "sea": 25.0}
    for row in scenario.network.links.to_dict("records"):
        if row["status"] != "operational":
            continue
        km = float(row["route_length_km"])
        value = km if weight == "distance" else km / speed[str(row["mode"])]
        for a, b in ((row["from"], row["to"]), (row["to"], row["from"])):
            if not graph.has_edge(a, b) or graph[a][b]["w"] > value:
                graph.add_edge(a, b, w=value)
    return graph


def benchmark(
    label: str,
    scenario: ScenarioNetwork,
    network: Network,
    *,
    places: list[str],
    pair: tuple[str, str],
    repeat: int,
) -> dict[str, Any]:
    tracemalloc.start()
    build_start = time.perf_counter()
    graph = RoutingGraph(scenario)
    build_s = time.perf_counter() - build_start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    origin, destination = pair
    weight = "distance"
    ours_one = best_of(
        repeat,
        lambda: route(
            network,
            origin,
            destination,
            scenario=scenario,
            weight=weight,
            alternatives=1,
        ),
    )
    ours_k5 = best_of(
        repeat,
        lambda: route(
            network,
            origin,
            destination,
            scenario=scenario,
            weight=weight,
            alternatives=5,
        ),
    )
    ours_matrix = best_of(
        1, lambda: route_matrix(network, places, scenario=scenario, weight=weight)
    )
    plain = link_graph(scenario, weight)
    nx_one = best_of(repeat, lambda: nx.shortest_path(plain, origin, destination, weight="w"))
    nx_k5 = best_of(
        1,
        lambda: list(
            itertools.islice(nx.shortest_simple_paths(plain, origin, destination, weight="w"), 5)
        ),
    )
    targets = set(places)

    def nx_matrix() -> None:
        for source in places:
            lengths = nx.single_source_dijkstra_path_length(plain, source, weight="w")
            _ = {t: lengths.get(t, np.inf) for t in targets}

    nx_all = best_of(1, nx_matrix)
    del graph
    return {
        "network": label,
        "places": scenario.network.nodes.shape[0],
        "links": scenario.network.links.shape[0],
        "expanded edges": RoutingGraph(scenario).edge_count,
        "build s": round(build_s, 3),
        "build peak MB": round(peak / 1e6, 1),
        "route s": round(ours_one, 4),
        "k=5 s": round(ours_k5, 4),
        f"matrix {len(places)}x{len(places)} s": round(ours_matrix, 3),
        "networkx route s": round(nx_one, 4),
        "networkx k=5 (Yen) s": round(nx_k5, 4),
        f"networkx matrix {len(places)} s": round(nx_all, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", type=int, default=160, help="side of the generated grid")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    network = build_network()
    today = apply_scenario(network, "current")
    operational = today.network.links[today.network.links["status"] == "operational"]
    linked = sorted(set(operational["from"]) | set(operational["to"]))
    rows = [
        benchmark(
            "corridor network",
            today,
            network,
            places=linked,
            pair=("aktau_seaport", "gorgan"),
            repeat=args.repeat,
        )
    ]
    generated = generated_scenario(network, args.grid)
    rng = random.Random(11)
    population = list(generated.network.nodes.index)
    places = rng.sample(population, min(200, len(population)))
    side = args.grid
    rows.append(
        benchmark(
            f"generated {side}x{side} grid",
            generated,
            network,
            places=places,
            pair=("g0_0", f"g{side - 1}_{side - 1}"),
            repeat=args.repeat,
        )
    )
    frame = pd.DataFrame(rows).set_index("network").T
    print(frame.to_string())


if __name__ == "__main__":
    main()
