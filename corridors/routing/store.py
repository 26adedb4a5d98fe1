"""Routing graphs on disk: one per seeds content, scenario and cargo unit.

A command-line route needs the routing graph of one scenario and unit, not the network it was
built from. :func:`load_routing_graph` keeps each graph beside the network cache
(:mod:`corridors.network.cache`, same folder, same ``$CORRIDORS_CACHE`` switch), keyed by the
seeds' content digest, the source of the modules that build the network and the graph
(``data``, ``network`` and ``routing``), the scenario name and the cargo unit. Reading one
imports NumPy and the standard library only: a stored graph holds arrays and plain records, and
reads its network back (through the network cache) only when something asks for it, such as the
explanation of a missing route or a map.

A graph is never stale: editing a seed file, or the code, changes the key.
"""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from corridors.data.location import resolve_seeds_dir
from corridors.network.cache import cache_dir, code_digest, read_entry, seeds_digest, write_entry
from corridors.routing.graph import RoutingGraph

if TYPE_CHECKING:
    from corridors.routing.scenarios import ScenarioNetwork

__all__ = ["GRAPH_CODE", "graph_entry", "load_routing_graph"]

#: The subpackages whose source shapes a routing graph.
GRAPH_CODE = ("data", "network", "routing")


def graph_entry(folder: Path, where: Path, scenario: str, cargo: str | None) -> Path:
    """Return the cache file of a scenario's routing graph for a cargo unit.

    Parameters
    ----------
    folder
        The seeds folder.
    where
        The cache folder (:func:`corridors.network.cache.cache_dir`).
    scenario
        The scenario name, as given (it is hashed, never used as a path).
    cargo
        The cargo unit, or None for the default.

    Returns
    -------
    pathlib.Path
        ``routing-<digest>.pickle`` in ``where``; the file may not exist yet.
    """
    digest = hashlib.sha256(seeds_digest(folder).encode())
    digest.update(code_digest(GRAPH_CODE).encode())
    digest.update(f"\0scenario {scenario}\0cargo {cargo or ''}".encode())
    return where / f"routing-{digest.hexdigest()}.pickle"


def load_routing_graph(
    seeds: Path | str | None = None,
    scenario: str = "current",
    cargo: str | None = None,
    *,
    cache: bool = True,
) -> RoutingGraph:
    """Return the routing graph of a scenario, from the on-disk cache when it is fresh.

    Parameters
    ----------
    seeds
        A seeds folder (default: as :func:`corridors.load_network` finds it).
    scenario
        A scenario name from ``seeds/scenarios/``.
    cargo
        A cargo unit (None: the seeds' default).
    cache
        Read and write the on-disk cache (default True; ``$CORRIDORS_CACHE=off`` also
        switches it off).

    Returns
    -------
    RoutingGraph
        Ready for :func:`corridors.route` and :func:`corridors.matrix`; its network is read
        back when needed (:attr:`RoutingGraph.scenario`).

    Raises
    ------
    InvalidSeed
        When the seeds do not validate.
    UnknownScenario
        For a scenario the seeds do not have (with a did-you-mean).
    InvalidArgument
        For an unknown cargo unit.

    Examples
    --------
    >>> from corridors import route
    >>> graph = load_routing_graph(scenario="current")
    >>> route(graph, "Aktau seaport", "Gorgan").best.destination
    'gorgan'
    """
    folder = resolve_seeds_dir(seeds)
    where = cache_dir() if cache else None
    if where is None or not folder.is_dir():
        return _build(folder, scenario, cargo, cache=cache)
    entry = graph_entry(folder, where, scenario, cargo)
    stored = read_entry(entry, RoutingGraph)
    if stored is not None:
        return stored  # type: ignore[no-any-return]
    graph = _build(folder, scenario, cargo, cache=cache)
    reload = partial(_reload, str(folder), scenario, seeds_digest(folder))
    write_entry(entry, graph.detach(reload))
    return graph


def _build(folder: Path, scenario: str, cargo: str | None, *, cache: bool) -> RoutingGraph:
    """Build a scenario's routing graph from the (cached) network."""
    from corridors.network.cache import load_network  # noqa: PLC0415
    from corridors.routing.api import check_cargo, routing_graph  # noqa: PLC0415
    from corridors.routing.scenarios import apply_scenario  # noqa: PLC0415

    applied = apply_scenario(load_network(folder, cache=cache), scenario)
    return routing_graph(applied, check_cargo(applied, cargo))


def _reload(folder: str, scenario: str, digest: str) -> ScenarioNetwork:
    """Read back the scenario network a stored graph was built from.

    Raises
    ------
    RuntimeError
        When the seeds changed since the graph was stored (its network is not there any more).
    """
    from corridors.network.cache import load_network  # noqa: PLC0415
    from corridors.routing.scenarios import apply_scenario  # noqa: PLC0415

    if seeds_digest(Path(folder)) != digest:
        message = (
            f"the seeds in {folder} changed since this routing graph was read; "
            "load it again (corridors.routing.store.load_routing_graph)"
        )
        raise RuntimeError(message)
    return apply_scenario(load_network(folder), scenario)
