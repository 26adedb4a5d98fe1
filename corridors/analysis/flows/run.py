"""One call from a scenario network and the flow seeds to assigned flows."""

from __future__ import annotations

from collections.abc import Mapping

from corridors.analysis.flows.assignment import AssignmentSettings, FlowResult, assign
from corridors.analysis.flows.capacity import capacity_model
from corridors.analysis.flows.demand import BASE_DEMAND, demand_table, zone_members
from corridors.data.flow_seeds import FlowSeeds
from corridors.routing.api import routing_graph
from corridors.routing.scenarios import ScenarioNetwork

__all__ = ["flows"]


def flows(
    scenario: ScenarioNetwork,
    flow_seeds: FlowSeeds,
    demand: str = BASE_DEMAND,
    *,
    settings: AssignmentSettings | None = None,
    link_cost_usd_per_t: Mapping[str, float] | None = None,
) -> FlowResult:
    """Assign a demand scenario on an applied network scenario.

    Parameters
    ----------
    scenario
        The applied scenario (see :func:`corridors.routing.scenarios.apply_scenario`).
    flow_seeds
        Validated flow seeds (:func:`corridors.data.flow_seeds.load_flow_seeds`).
    demand
        ``base`` or a demand scenario of ``seeds/demand/scenarios.yaml``.
    settings
        Assignment settings (tolerance, iterations, route generation).
    link_cost_usd_per_t
        Extra cost on links by id (US$/t, both directions).

    Returns
    -------
    FlowResult
        The assigned flows.

    Examples
    --------
    >>> from corridors import load_network
    >>> from corridors.data.flow_seeds import load_flow_seeds
    >>> from corridors.routing.scenarios import apply_scenario
    >>> network = load_network()
    >>> result = flows(apply_scenario(network, "current"), load_flow_seeds(network.seeds))
    >>> result.converged
    True
    """
    seeds = scenario.network.seeds
    table = demand_table(seeds, flow_seeds, demand)
    graph = routing_graph(scenario)
    zones = set(table["origin"]) | set(table["destination"])
    members = {zone: zone_members(seeds, zone) for zone in zones}
    scales = {c.value: g.logit_scale_per_usd for c, g in flow_seeds.commodities.items()}
    return assign(
        graph,
        table,
        capacity_model(graph, flow_seeds.capacity),
        members,
        scales,
        settings=settings,
        link_cost_usd_per_t=link_cost_usd_per_t,
    )
