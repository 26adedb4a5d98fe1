"""corridors: a source-cited model of the transport corridors linking Kazakhstan and
Turkmenistan to Iran, Afghanistan and the Caspian ports.

The public API is imported lazily, so ``import corridors`` stays light; heavy libraries load
only when a function that needs them is used.
"""  # noqa: D205

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corridors.compare import Comparison, compare
    from corridors.errors import CorridorsError, InvalidSeed, SeedProblem, UnknownPlace
    from corridors.network import (
        Network,
        build_network,
        length_gaps,
        line_lengths,
        to_graph,
        write_geodata,
    )
    from corridors.report import build_report, write_all_reports, write_report
    from corridors.routes import Route, RouteSet
    from corridors.routing import NoRoute, route, route_matrix
    from corridors.scenarios import apply_scenario
    from corridors.seeds import SeedData, load_seeds

__all__ = [
    "Comparison",
    "CorridorsError",
    "InvalidSeed",
    "Network",
    "NoRoute",
    "Route",
    "RouteSet",
    "SeedData",
    "SeedProblem",
    "UnknownPlace",
    "apply_scenario",
    "build_network",
    "build_report",
    "compare",
    "length_gaps",
    "line_lengths",
    "load_seeds",
    "route",
    "route_matrix",
    "to_graph",
    "write_all_reports",
    "write_geodata",
    "write_report",
]

_HOMES = {
    "CorridorsError": "corridors.errors",
    "InvalidSeed": "corridors.errors",
    "SeedProblem": "corridors.errors",
    "UnknownPlace": "corridors.errors",
    "Network": "corridors.network",
    "build_network": "corridors.network",
    "length_gaps": "corridors.network",
    "line_lengths": "corridors.network",
    "to_graph": "corridors.network",
    "write_geodata": "corridors.network",
    "SeedData": "corridors.seeds",
    "load_seeds": "corridors.seeds",
    "Comparison": "corridors.compare",
    "compare": "corridors.compare",
    "build_report": "corridors.report",
    "write_all_reports": "corridors.report",
    "write_report": "corridors.report",
    "Route": "corridors.routes",
    "RouteSet": "corridors.routes",
    "NoRoute": "corridors.routing",
    "route": "corridors.routing",
    "route_matrix": "corridors.routing",
    "apply_scenario": "corridors.scenarios",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        message = f"module 'corridors' has no attribute {name!r}"
        raise AttributeError(message)
    return getattr(importlib.import_module(home), name)
