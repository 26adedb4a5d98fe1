"""corridors: a source-cited model of the freight corridors that tie Kazakhstan and
Turkmenistan to Iran, Afghanistan, Pakistan, Uzbekistan, China's border and the Caspian ports.

The package is organised by stage, and imports run one way only: ``data`` (read and validate
``seeds/``) -> ``network`` (build, export, cache) -> ``routing`` (scenarios, places, the routing
graph, search) -> ``analysis`` (comparisons) -> ``render`` (tables, maps, reports) -> ``cli``.

The public API is imported lazily, so ``import corridors`` stays light; heavy libraries load
only when a function that needs them is used.
"""  # noqa: D205

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from corridors._version import __version__ as __version__

if TYPE_CHECKING:
    from corridors.analysis.compare import Comparison, PairComparison, compare
    from corridors.data.seeds import SeedData, load_seeds
    from corridors.errors import (
        CorridorsError,
        InvalidArgument,
        InvalidSeed,
        MissingAsset,
        NoRoute,
        OutputError,
        SeedProblem,
        UnknownPlace,
        UnknownScenario,
    )
    from corridors.network.build import Network, build_network, length_gaps, line_lengths
    from corridors.network.cache import load_network
    from corridors.network.graph import node_key, to_graph
    from corridors.network.io import write_geodata
    from corridors.render.maps import comparison_map, network_map, route_map
    from corridors.render.offline import save_map
    from corridors.render.report import build_report, write_all_reports, write_report
    from corridors.routing.api import matrix, route, route_matrix
    from corridors.routing.graph import RoutingGraph
    from corridors.routing.graph_view import scenario_graph
    from corridors.routing.places import Place, list_places
    from corridors.routing.results import Leg, Route, RouteMatrix, RouteSet, Step
    from corridors.routing.scenarios import ScenarioNetwork, apply_scenario
    from corridors.routing.store import load_routing_graph

_HOMES = {
    "Comparison": "corridors.analysis.compare",
    "PairComparison": "corridors.analysis.compare",
    "compare": "corridors.analysis.compare",
    "SeedData": "corridors.data.seeds",
    "load_seeds": "corridors.data.seeds",
    "CorridorsError": "corridors.errors",
    "InvalidArgument": "corridors.errors",
    "InvalidSeed": "corridors.errors",
    "MissingAsset": "corridors.errors",
    "NoRoute": "corridors.errors",
    "OutputError": "corridors.errors",
    "SeedProblem": "corridors.errors",
    "UnknownPlace": "corridors.errors",
    "UnknownScenario": "corridors.errors",
    "Network": "corridors.network.build",
    "build_network": "corridors.network.build",
    "length_gaps": "corridors.network.build",
    "line_lengths": "corridors.network.build",
    "load_network": "corridors.network.cache",
    "load_routing_graph": "corridors.routing.store",
    "RoutingGraph": "corridors.routing.graph",
    "node_key": "corridors.network.graph",
    "to_graph": "corridors.network.graph",
    "write_geodata": "corridors.network.io",
    "comparison_map": "corridors.render.maps",
    "network_map": "corridors.render.maps",
    "route_map": "corridors.render.maps",
    "save_map": "corridors.render.offline",
    "build_report": "corridors.render.report",
    "write_all_reports": "corridors.render.report",
    "write_report": "corridors.render.report",
    "route": "corridors.routing.api",
    "route_matrix": "corridors.routing.api",
    "matrix": "corridors.routing.api",
    "scenario_graph": "corridors.routing.graph_view",
    "Place": "corridors.routing.places",
    "list_places": "corridors.routing.places",
    "Leg": "corridors.routing.results",
    "Route": "corridors.routing.results",
    "RouteMatrix": "corridors.routing.results",
    "RouteSet": "corridors.routing.results",
    "Step": "corridors.routing.results",
    "ScenarioNetwork": "corridors.routing.scenarios",
    "apply_scenario": "corridors.routing.scenarios",
}

__all__ = [
    "Comparison",
    "CorridorsError",
    "InvalidArgument",
    "InvalidSeed",
    "Leg",
    "MissingAsset",
    "Network",
    "NoRoute",
    "OutputError",
    "PairComparison",
    "Place",
    "Route",
    "RouteMatrix",
    "RouteSet",
    "RoutingGraph",
    "ScenarioNetwork",
    "SeedData",
    "SeedProblem",
    "Step",
    "UnknownPlace",
    "UnknownScenario",
    "apply_scenario",
    "build_network",
    "build_report",
    "compare",
    "comparison_map",
    "length_gaps",
    "line_lengths",
    "list_places",
    "load_network",
    "load_routing_graph",
    "load_seeds",
    "matrix",
    "network_map",
    "node_key",
    "route",
    "route_map",
    "route_matrix",
    "save_map",
    "scenario_graph",
    "to_graph",
    "write_all_reports",
    "write_geodata",
    "write_report",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        message = f"module 'corridors' has no attribute {name!r}"
        raise AttributeError(message)
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
