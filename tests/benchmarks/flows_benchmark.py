"""Benchmark the capacity-constrained flow assignment: many zones on the full regional network.

Run from the repository root::

    .venv/bin/python tests/benchmarks/flows_benchmark.py [--zones 200] [--tolerance 1e-4]

The demand is synthetic benchmark data, not a forecast: ``--zones`` zones, each one or two
transport nodes of the regional network (zone ``i`` is node ``i`` and, past the number of nodes,
node ``i`` with another), and between every two zones a random tonnage of a random commodity
(seeded, so runs are repeatable). Capacities and scales are the real seeds'. The script prints
the zones, pairs, routes, iterations, the relative gap reached and the wall-clock seconds of the
assignment, wall-clock and CPU (the network is built and the scenario applied before the
clock starts; on a shared machine the CPU seconds are the steadier figure).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from corridors.analysis.flows import AssignmentSettings, assign, capacity_model, element_flows
from corridors.data.flow_seeds import load_flow_seeds
from corridors.network.build import build_network
from corridors.routing.api import routing_graph
from corridors.routing.scenarios import apply_scenario


def synthetic_zones(node_ids: list[str], count: int) -> dict[str, list[str]]:
    """Return ``count`` zones of one or two nodes each (benchmark data)."""
    zones: dict[str, list[str]] = {}
    size = len(node_ids)
    for i in range(count):
        members = [node_ids[i % size]]
        if i >= size:
            members.append(node_ids[(i * 7 + 3) % size])
        zones[f"zone_{i:03d}"] = sorted(set(members))
    return zones


def synthetic_demand(zones: list[str], commodities: list[str], seed: int = 7) -> pd.DataFrame:
    """Return a random tonnage of a random commodity between every two zones (benchmark data)."""
    rng = np.random.default_rng(seed)
    origin, destination = np.meshgrid(np.arange(len(zones)), np.arange(len(zones)), indexing="ij")
    keep = origin != destination
    origin, destination = origin[keep], destination[keep]
    return pd.DataFrame(
        {
            "id": [f"bench_{o}_{d}" for o, d in zip(origin, destination, strict=True)],
            "origin": [zones[o] for o in origin],
            "destination": [zones[d] for d in destination],
            "commodity": rng.choice(commodities, size=origin.size),
            "t_per_year": rng.lognormal(mean=6.0, sigma=1.0, size=origin.size),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=200)
    parser.add_argument("--tolerance", type=float, default=1e-4)
    parser.add_argument("--scenario", default="current")
    args = parser.parse_args()
    network = build_network()
    flow_seeds = load_flow_seeds(network.seeds)
    scenario = apply_scenario(network, args.scenario)
    graph = routing_graph(scenario)
    linked = [n for n in graph.place_ids if graph.place_vertices(n, "start") is not None]
    zones = synthetic_zones(linked, args.zones)
    scales = {c.value: g.logit_scale_per_usd for c, g in flow_seeds.commodities.items()}
    demand = synthetic_demand(list(zones), sorted(scales))
    capacity = capacity_model(graph, flow_seeds.capacity)
    started, cpu = time.perf_counter(), time.process_time()
    result = assign(
        graph,
        demand,
        capacity,
        zones,
        scales,
        settings=AssignmentSettings(tolerance=args.tolerance),
    )
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu
    routed = result.demand["routed"]
    busiest = element_flows(result).iloc[0]
    print(f"scenario {args.scenario}: {graph.vertex_count} vertices, {graph.edge_count} edges")
    print(f"zones {len(zones)} (on {len(linked)} linked nodes), pairs {len(result.od_pairs)}")
    print(f"demand {demand['t_per_year'].sum() / 1e6:.1f} Mt a year (synthetic benchmark data)")
    print(f"unrouted pairs {int((~routed).sum())}")
    print(f"routes {len(result.paths)}")
    print(f"iterations {len(result.gaps)}")
    print(f"relative gap {result.relative_gap:.2e} (tolerance {args.tolerance:g})")
    print(f"busiest element {busiest['id']} at {100 * busiest['utilisation']:.0f} %")
    print(f"assignment s {seconds:.2f} (cpu s {cpu_seconds:.2f})")


if __name__ == "__main__":
    main()
