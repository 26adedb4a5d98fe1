"""Facts of the real flow seeds (few, and named as such): they load, route and converge."""

from __future__ import annotations

import pytest

from corridors.analysis.flows import FlowResult, compare_flows, flows
from corridors.data.flow_seeds import FlowSeeds, load_flow_seeds
from corridors.network.build import Network
from corridors.routing.scenarios import apply_scenario


@pytest.fixture(scope="module")
def flow_seeds(network: Network) -> FlowSeeds:
    return load_flow_seeds(network.seeds)


@pytest.fixture(scope="module")
def today(network: Network, flow_seeds: FlowSeeds) -> FlowResult:
    return flows(apply_scenario(network, "current"), flow_seeds)


def test_real_seeds_every_base_year_cell_is_routed_today_and_converges(today: FlowResult) -> None:
    assert today.demand["routed"].all()
    assert today.converged


def test_real_seeds_every_demand_scenario_assigns(network: Network, flow_seeds: FlowSeeds) -> None:
    for name in flow_seeds.scenarios:
        result = flows(apply_scenario(network, "current"), flow_seeds, name)
        assert result.converged, name


@pytest.mark.parametrize(
    ("scenario", "new_link"),
    [("afghan_railway", "af_torghundi_herat"), ("trans_afghan_railway", "af_pk_trans_afghan_rail")],
)
def test_real_seeds_a_new_afghan_railway_attracts_traffic(
    network: Network, flow_seeds: FlowSeeds, today: FlowResult, scenario: str, new_link: str
) -> None:
    changed = flows(apply_scenario(network, scenario), flow_seeds)
    gained = compare_flows(today, changed)["gained"]
    assert new_link in gained.index
    assert gained.loc[new_link, "other_t"] > 100_000
