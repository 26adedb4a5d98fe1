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

__all__ = ["GRAPH_CODE", "graph_entry", "keep_graph", "load_routing_graph", "stored_graph"]

#: The subpackages whose source shapes a routing graph beyond the network's (``data`` and
#: ``network``, already in the seeds digest).
GRAPH_CODE = ("routing",)


def graph_entry(digest: str, where: Path, scenario: str, cargo: str | None) -> Path:
    """Return the cache file of a scenario's routing graph for a cargo unit.

    Parameters
    ----------
    digest
        The seeds folder's content digest (:func:`corridors.network.cache.seeds_digest`,
        which covers the network's code and libraries too).
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
    key = hashlib.sha256(digest.encode())
    key.update(code_digest(GRAPH_CODE).encode())
    key.update(f"\0scenario {scenario}\0cargo {cargo or ''}".encode())
    return where / f"routing-{key.hexdigest()}.pickle"


def _entry_of(scenario: ScenarioNetwork, cargo: str | None) -> Path | None:
    """Return the cache file of a scenario network's graph, or None when it cannot be kept.

    Only a named scenario of a network read from a seeds folder (its ``digest`` set by
    :func:`corridors.network.cache.load_network`) is kept: its content is then known.
    """
    where = cache_dir()
    digest = scenario.base.digest
    if where is None or not digest or scenario.scenario is None:
        return None
    return graph_entry(digest, where, scenario.name, cargo)


def stored_graph(scenario: ScenarioNetwork, cargo: str | None) -> RoutingGraph | None:
    """Return the stored routing graph of a scenario network, or None when there is none.

    Parameters
    ----------
    scenario
        An applied scenario of a network read from a seeds folder.
    cargo
        The cargo unit, or None for the default.

    Returns
    -------
    RoutingGraph or None
        The graph, holding ``scenario`` (it needs no reading back).
    """
    entry = _entry_of(scenario, cargo)
    graph: RoutingGraph | None = None if entry is None else read_entry(entry, RoutingGraph)
    if graph is not None:
        graph.attach(scenario)
    return graph


def keep_graph(graph: RoutingGraph, scenario: ScenarioNetwork, cargo: str | None) -> None:
    """Store the routing graph of a scenario network, when it can be kept (see above).

    Parameters
    ----------
    graph
        The graph built from ``scenario``.
    scenario
        The applied scenario.
    cargo
        The cargo unit it was asked for (None for the default).
    """
    entry = _entry_of(scenario, cargo)
    if entry is not None:
        folder = str(scenario.base.seeds.root)
        reload = partial(_reload, folder, scenario.name, scenario.base.digest)
        write_entry(entry, graph.detach(reload))


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
    if where is not None and folder.is_dir():
        entry = graph_entry(seeds_digest(folder), where, scenario, cargo)
        found: RoutingGraph | None = read_entry(entry, RoutingGraph)
        if found is not None:
            return found
    # Built from the (cached) network; routing_graph keeps it on disk for the next time.
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
