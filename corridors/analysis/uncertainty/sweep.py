"""Sweeps: scenarios x parameter samples x origin-destination pairs, on Dask.

Each task routes one pair in one scenario and evaluates its routes on every sample; tasks run on
a ``dask.distributed`` cluster (a local one by default, or an existing one by its scheduler
address) or, without a client, one after the other in this process. The draws depend only on
the seed and each parameter's key (:mod:`~corridors.analysis.uncertainty.sampling`), so sample
``i`` is the same state of the world in every task, and a cluster gives exactly the numbers of
the single-process run.

Dask is imported here only, inside the functions that start or use a cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from corridors.analysis.uncertainty.ranges import Param, Range, scenario_ranges
from corridors.analysis.uncertainty.reliability import uncertain_weight
from corridors.analysis.uncertainty.sampling import PERCENTILES, simulate
from corridors.data.schema import Uncertainty
from corridors.errors import NoRoute
from corridors.network.build import Network
from corridors.routing.api import resolve_scenario, route
from corridors.routing.results import RouteSet

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["COLUMNS", "Sweep", "connect", "local_client", "sweep", "sweep_task"]

#: Columns of :attr:`Sweep.frame`, one row per scenario, sample, pair and route.
COLUMNS = [
    "scenario",
    "sample",
    "origin",
    "destination",
    "rank",
    "label",
    "time_h",
    "cost_usd_per_t",
    "generalised_cost",
    "best",
]


def sweep_task(
    network: Network,
    uncertainty: Uncertainty,
    scenario: str,
    pairs: Sequence[tuple[str, str]],
    *,
    samples: int,
    seed: int,
    weight: str,
    alternatives: int,
) -> pd.DataFrame:
    """Route pairs in one scenario and evaluate their routes on every sample.

    Parameters
    ----------
    network
        The built network.
    uncertainty
        The ranges.
    scenario
        The scenario's name.
    pairs
        Origins and destinations, as :func:`corridors.route` takes them.
    samples, seed
        Joint draws and their seed (the same for every task of a sweep).
    weight, alternatives
        What routes are found for, and how many.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`, pair after pair; ``best`` marks the route with the lowest value of
        the weight in each sample. A pair without a route in the scenario has no rows.
    """
    applied = resolve_scenario(network, scenario)
    ranges = scenario_ranges(applied, uncertainty)
    frames = []
    for origin, destination in pairs:
        try:
            found = route(
                network,
                origin,
                destination,
                scenario=applied,
                weight=weight,
                alternatives=alternatives,
            )
        except NoRoute:
            continue
        frames.append(_rows(scenario, found, ranges, samples=samples, seed=seed, weight=weight))
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return _compact(pd.concat(frames, ignore_index=True))


#: Text columns, held as categories (a sweep repeats each value thousands of times).
_TEXT = ("scenario", "origin", "destination", "label")


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    for column in _TEXT:
        frame[column] = frame[column].astype("category")
    return frame


def _rows(
    scenario: str,
    found: RouteSet,
    ranges: Mapping[Param, Range],
    *,
    samples: int,
    seed: int,
    weight: str,
) -> pd.DataFrame:
    result = simulate(found.routes, ranges, samples=samples, seed=seed)
    measured = result.values(uncertain_weight(weight))
    best = np.zeros_like(measured, dtype=bool)
    best[np.argmin(measured, axis=0), np.arange(samples)] = True
    count = len(found.routes)
    return pd.DataFrame(
        {
            "scenario": scenario,
            "sample": np.tile(np.arange(samples), count),
            "origin": found.best.origin,
            "destination": found.best.destination,
            "rank": np.repeat([r.rank for r in found.routes], samples),
            "label": np.repeat([r.label for r in found.routes], samples),
            "time_h": result.time_h.ravel(),
            "cost_usd_per_t": result.cost_usd_per_t.ravel(),
            "generalised_cost": result.generalised_cost.ravel(),
            "best": best.ravel(),
        },
        columns=COLUMNS,
    )


@dataclass(frozen=True)
class Sweep:
    """The rows of a sweep and what it was asked.

    Attributes
    ----------
    frame
        One row per scenario, sample, pair and route (:data:`COLUMNS`).
    query
        ``scenarios``, ``pairs``, ``samples``, ``seed``, ``weight``, ``alternatives``.
    """

    frame: pd.DataFrame
    query: dict[str, Any]

    def summary(self) -> pd.DataFrame:
        """Return one row per scenario, pair and route: P10, P50, P90 and P(best).

        Returns
        -------
        pandas.DataFrame
            ``scenario``, ``origin``, ``destination``, ``rank``, ``label``, ``time_h_p10`` ...
            ``cost_usd_per_t_p90``, ``p_best``.
        """
        keys = ["scenario", "origin", "destination", "rank", "label"]
        groups = self.frame.groupby(keys, sort=False, observed=True)
        table = groups["best"].mean().rename("p_best").to_frame()
        for column in ("time_h", "cost_usd_per_t"):
            for q in PERCENTILES:
                table[f"{column}_p{q:.0f}"] = groups[column].quantile(q / 100)
        ordered = [c for c in table.columns if c != "p_best"] + ["p_best"]
        return table[ordered].reset_index().round(3)


def _tasks(
    scenarios: Sequence[str], pairs: Sequence[tuple[str, str]], per_task: int
) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (scenario, list(pairs[start : start + per_task]))
        for scenario in scenarios
        for start in range(0, len(pairs), per_task)
    ]


def _per_task(client: Client | None, scenarios: int, pairs: int) -> int:
    """Pairs per task: one without a cluster; about four tasks per worker on one."""
    if client is None:
        return 1
    workers = max(len(client.nthreads()), 1)
    chunks = max(1, -(-4 * workers // max(scenarios, 1)))
    return max(1, -(-pairs // chunks))


def sweep(
    network: Network,
    uncertainty: Uncertainty,
    scenarios: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    *,
    samples: int = 1000,
    seed: int = 0,
    weight: str = "generalised",
    alternatives: int = 3,
    client: Client | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Sweep:
    """Run scenarios x samples x pairs, on a Dask cluster or in this process.

    Parameters
    ----------
    network
        The built network.
    uncertainty
        The ranges.
    scenarios
        Scenario names; each is checked before any work starts.
    pairs
        ``(origin, destination)`` place queries.
    samples, seed
        Joint draws of the parameters, shared by every scenario and pair.
    weight, alternatives
        What routes are found for, and how many per pair.
    client
        A ``distributed.Client``; None runs every task here, one after the other.
    progress
        Called with (tasks done, tasks) after each task.

    Returns
    -------
    Sweep
        The rows, in the order of scenarios, then pairs, then routes and samples: the same
        with or without a cluster.
    """
    for scenario in scenarios:
        resolve_scenario(network, scenario)
    tasks = _tasks(scenarios, pairs, _per_task(client, len(scenarios), len(pairs)))
    options: dict[str, Any] = {
        "samples": samples,
        "seed": seed,
        "weight": weight,
        "alternatives": alternatives,
    }
    parts: list[pd.DataFrame] = []
    if client is None:
        for done, (scenario, chunk) in enumerate(tasks, start=1):
            parts.append(sweep_task(network, uncertainty, scenario, chunk, **options))
            if progress is not None:
                progress(done, len(tasks))
    else:
        parts = _distributed(
            client,
            network,
            uncertainty=uncertainty,
            tasks=tasks,
            options=options,
            progress=progress,
        )
    frames = [part for part in parts if not part.empty]
    frame = (
        _compact(pd.concat(frames, ignore_index=True)) if frames else pd.DataFrame(columns=COLUMNS)
    )
    query = {
        "scenarios": list(scenarios),
        "pairs": [list(pair) for pair in pairs],
        **options,
    }
    return Sweep(frame, query)


def _distributed(
    client: Client,
    network: Network,
    *,
    uncertainty: Uncertainty,
    tasks: list[tuple[str, list[tuple[str, str]]]],
    options: dict[str, Any],
    progress: Callable[[int, int], None] | None,
) -> list[pd.DataFrame]:
    from distributed import as_completed  # noqa: PLC0415

    shared_network = client.scatter(network, broadcast=True)
    shared_ranges = client.scatter(uncertainty, broadcast=True)
    futures = [
        client.submit(
            sweep_task, shared_network, shared_ranges, scenario, chunk, pure=False, **options
        )
        for scenario, chunk in tasks
    ]
    for done, _ in enumerate(as_completed(futures), start=1):
        if progress is not None:
            progress(done, len(tasks))
    return list(client.gather(futures))


def local_client(workers: int = 2, *, processes: bool = True) -> Client:
    """Start a Dask cluster on this machine (loopback only) and return its client.

    Parameters
    ----------
    workers
        Worker processes (or threads with ``processes=False``), one thread each.
    processes
        Workers in their own processes (true parallel routing) or threads of this one.

    Returns
    -------
    distributed.Client
        Close it (and its cluster) with ``client.close(); client.cluster.close()``, or use it
        as a context manager.
    """
    from distributed import Client, LocalCluster  # noqa: PLC0415

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=processes,
        host="127.0.0.1",
        protocol="tcp://",
        dashboard_address=None,
        worker_dashboard_address=None,
    )
    return Client(cluster)


def connect(address: str) -> Client:
    """Return a client of an existing Dask scheduler, e.g. ``tcp://10.0.0.5:8786``.

    Parameters
    ----------
    address
        The scheduler's address.

    Returns
    -------
    distributed.Client
        Connected.
    """
    from distributed import Client  # noqa: PLC0415

    return Client(address, timeout="10s")
