"""Benchmark Monte Carlo and sweeps.

Run with the interpreter of the environment ``corridors`` is installed in::

    .venv/bin/python tests/benchmarks/uncertainty_benchmark.py [--samples 10000] [--json PATH]

Two measurements, on the network of the seeds (``--seeds``, default as the command line):

- Monte Carlo: ``--samples`` joint draws of a route set of ``-k`` routes (Kostanay to Kandahar,
  five routes by default), best and median wall-clock seconds over ``--repeat`` runs, after one
  untimed run; the target is 10,000 samples of five routes within 1 s.
- Sweep: ``--scenarios`` scenarios x ``--sweep-samples`` samples x ``--pairs`` pairs (pairs of
  ``seeds/od_pairs.yaml`` crossed), once in this process and once on a local Dask cluster of
  ``--workers`` worker processes (``--threads``: threads of this process), with the peak
  resident memory of this process (and each worker's resident memory after the sweep), and
  a check that both give the same
  rows. Nothing is asserted but that equality; the exit code is 1 if it fails.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import distributed
import pandas as pd
import psutil

from corridors.analysis.uncertainty import scenario_ranges, simulate
from corridors.analysis.uncertainty.sweep import local_client, sweep
from corridors.data.uncertainty import load_uncertainty
from corridors.network.cache import load_network
from corridors.routing.api import resolve_scenario, route

SCENARIOS = [
    "current",
    "afghan_railway",
    "trans_afghan_railway",
    "both_afghan_railways",
    "garabogaz_road",
]


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mib() -> float:
    """Resident memory now (a forked worker inherits its parent's peak, so peaks mislead)."""
    return psutil.Process().memory_info().rss / 2**20


def _pairs(network: Any, count: int) -> list[tuple[str, str]]:
    listed = [(p.origin, p.destination) for p in network.seeds.od_pairs]
    origins = list(dict.fromkeys(o for o, _ in listed))
    destinations = list(dict.fromkeys(d for _, d in listed))
    crossed = [(o, d) for o in origins for d in destinations if o != d]
    reverse = [(d, o) for o, d in [*listed, *crossed]]
    pairs = list(dict.fromkeys([*listed, *crossed, *reverse]))
    return pairs[:count]


def monte_carlo(network: Any, uncertainty: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Time ``args.samples`` draws of one route set."""
    applied = resolve_scenario(network, "current")
    routes = route(network, args.origin, args.destination, scenario=applied, alternatives=args.k)
    ranges = scenario_ranges(applied, uncertainty)
    simulate(routes.routes, ranges, samples=args.samples, seed=0)
    times = []
    for repeat in range(args.repeat):
        start = time.perf_counter()
        simulate(routes.routes, ranges, samples=args.samples, seed=repeat)
        times.append(time.perf_counter() - start)
    return {
        "routes": len(routes.routes),
        "samples": args.samples,
        "best_s": round(min(times), 4),
        "median_s": round(statistics.median(times), 4),
    }


def sweeps(network: Any, uncertainty: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Run one sweep serially and on a local cluster; compare the rows."""
    scenarios = SCENARIOS[: args.scenarios]
    pairs = _pairs(network, args.pairs)
    options = {"samples": args.sweep_samples, "seed": 1, "alternatives": args.k}
    start = time.perf_counter()
    serial = sweep(network, uncertainty, scenarios, pairs, **options)
    serial_s = time.perf_counter() - start
    serial_peak = _peak_mib()
    start = time.perf_counter()
    with local_client(args.workers, processes=not args.threads) as client:
        started = time.perf_counter() - start
        spread = sweep(network, uncertainty, scenarios, pairs, client=client, **options)
        workers = client.run(_rss_mib) if not args.threads else {}
    cluster_s = time.perf_counter() - start
    same = True
    try:
        pd.testing.assert_frame_equal(serial.frame, spread.frame, check_exact=True)
    except AssertionError:
        same = False
    return {
        "scenarios": len(scenarios),
        "pairs": len(pairs),
        "samples": args.sweep_samples,
        "rows": len(serial.frame),
        "rows_mib": round(serial.frame.memory_usage(deep=True).sum() / 2**20, 1),
        "serial_s": round(serial_s, 2),
        "serial_peak_rss_mib": round(serial_peak, 1),
        "cluster_workers": args.workers,
        "cluster_threads": args.threads,
        "cluster_s": round(cluster_s, 2),
        "cluster_start_s": round(started, 2),
        "cluster_worker_rss_mib": [round(v, 1) for v in workers.values()],
        "same_rows": same,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=None)
    parser.add_argument("--origin", default="Kostanay")
    parser.add_argument("--destination", default="Kandahar")
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scenarios", type=int, default=5)
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--sweep-samples", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    # the nanny warns about each worker it stops at the end; the results are complete
    logging.getLogger(distributed.__name__).setLevel(logging.ERROR)
    network = load_network(args.seeds)
    uncertainty = load_uncertainty(network.seeds)
    figures = {"monte_carlo": monte_carlo(network, uncertainty, args)}
    mc = figures["monte_carlo"]
    print(
        f"monte carlo: {mc['samples']:,} samples x {mc['routes']} routes: "
        f"best {mc['best_s']} s, median {mc['median_s']} s (target 1 s)"
    )
    figures["sweep"] = sw = sweeps(network, uncertainty, args)
    print(
        f"sweep: {sw['scenarios']} scenarios x {sw['samples']:,} samples x {sw['pairs']} pairs "
        f"= {sw['rows']:,} rows ({sw['rows_mib']} MiB)"
    )
    print(f"  serial: {sw['serial_s']} s, peak RSS {sw['serial_peak_rss_mib']} MiB")
    print(
        f"  local cluster, {sw['cluster_workers']} "
        f"{'threads' if sw['cluster_threads'] else 'processes'}: {sw['cluster_s']} s "
        f"(start {sw['cluster_start_s']} s), worker RSS after the sweep "
        f"{sw['cluster_worker_rss_mib']} MiB"
    )
    print(f"  same rows: {sw['same_rows']}")
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if sw["same_rows"] else 1


if __name__ == "__main__":
    sys.exit(main())
