"""The words the seeds and the routing share: node kinds, modes and link statuses.

A module of plain enumerations, with no dependency beyond the standard library, so that routing
a query from the on-disk cache needs neither pydantic nor the seed schema.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Mode", "NodeKind", "Status"]


class NodeKind(StrEnum):
    """What a node is."""

    SEAPORT = "seaport"
    CITY = "city"
    RAIL_STATION = "rail_station"
    BORDER_CROSSING = "border_crossing"
    TERMINAL = "terminal"
    JUNCTION = "junction"
    POI = "poi"


class Mode(StrEnum):
    """Transport mode of a link."""

    RAIL = "rail"
    ROAD = "road"
    SEA = "sea"


class Status(StrEnum):
    """Life-cycle status of a link, from most to least real."""

    OPERATIONAL = "operational"
    UNDER_CONSTRUCTION = "under_construction"
    PLANNED = "planned"
    PROPOSED = "proposed"
