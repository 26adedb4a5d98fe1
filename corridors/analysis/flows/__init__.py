"""Freight flows: demand, capacities, capacity-constrained logit assignment, calibration.

:func:`flows` is the one call: it applies nothing itself (the scenario network is handed in),
builds the demand of a demand scenario, maps capacities on the scenario's routing graph and
assigns (see :mod:`corridors.analysis.flows.assignment`).
"""

from __future__ import annotations

from corridors.analysis.flows.assignment import AssignmentSettings, FlowResult, assign
from corridors.analysis.flows.calibrate import calibration_table, wape
from corridors.analysis.flows.capacity import CapacityModel, capacity_model
from corridors.analysis.flows.demand import BASE_DEMAND, demand_table, zone_members
from corridors.analysis.flows.run import flows
from corridors.analysis.flows.tables import compare_flows, element_flows, link_flows, link_origins

__all__ = [
    "BASE_DEMAND",
    "AssignmentSettings",
    "CapacityModel",
    "FlowResult",
    "assign",
    "calibration_table",
    "capacity_model",
    "compare_flows",
    "demand_table",
    "element_flows",
    "flows",
    "link_flows",
    "link_origins",
    "wape",
    "zone_members",
]
