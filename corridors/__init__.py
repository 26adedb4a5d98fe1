"""corridors: a source-cited model of the transport corridors linking Kazakhstan and
Turkmenistan to Iran, Afghanistan and the Caspian ports.

The public API is imported lazily, so ``import corridors`` stays light; heavy libraries load
only when a function that needs them is used.
"""  # noqa: D205

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corridors.errors import CorridorsError, InvalidSeed, SeedProblem, UnknownPlace
    from corridors.network import (
        Network,
        build_network,
        length_gaps,
        line_lengths,
        to_graph,
        write_geodata,
    )
    from corridors.seeds import SeedData, load_seeds

__all__ = [
    "CorridorsError",
    "InvalidSeed",
    "Network",
    "SeedData",
    "SeedProblem",
    "UnknownPlace",
    "build_network",
    "length_gaps",
    "line_lengths",
    "load_seeds",
    "to_graph",
    "write_geodata",
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
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        message = f"module 'corridors' has no attribute {name!r}"
        raise AttributeError(message)
    return getattr(importlib.import_module(home), name)
