"""Freight flows on the toy network: conservation, capacity, response to cost, logit, bad input."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from corridors.analysis.flows import (
    AssignmentSettings,
    FlowResult,
    calibration_table,
    demand_table,
    element_flows,
    flows,
    link_flows,
    wape,
)
from corridors.analysis.flows.assignment import _path_size
from corridors.data.flow_seeds import FlowSeeds, load_flow_seeds
from corridors.data.seeds import load_seeds
from corridors.errors import InvalidArgument, InvalidSeed
from corridors.network.build import Network, build_network
from corridors.routing.scenarios import apply_scenario
from tests.toy import TOY_CAPACITY, TOY_DEMAND, write_flow_toy_seeds


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Network, FlowSeeds]:
    seeds = load_seeds(write_flow_toy_seeds(tmp_path_factory.mktemp("flows") / "seeds"))
    return build_network(seeds), load_flow_seeds(seeds)


@pytest.fixture(scope="module")
def assigned(toy: tuple[Network, FlowSeeds]) -> FlowResult:
    network, flow_seeds = toy
    return flows(apply_scenario(network, "current"), flow_seeds)


def _toy_with(tmp_path: Path, **replace: str) -> tuple[Network, FlowSeeds]:
    seeds = load_seeds(write_flow_toy_seeds(tmp_path / "seeds", **replace))
    return build_network(seeds), load_flow_seeds(seeds)


# ---------------------------------------------------------------------------- conservation
def test_every_zones_demand_leaves_and_arrives(assigned: FlowResult) -> None:
    balance = assigned.vertex_balance()
    graph_vertices = assigned.graph.vertex_count
    zones = len(assigned.zones)
    # Nothing is created or lost at any vertex: transfers, transshipments, gauge and borders.
    assert np.abs(balance[:graph_vertices]).max() < 1e-6
    demand = assigned.demand
    sent = demand.groupby("origin")["t_per_year"].sum()
    received = demand.groupby("destination")["t_per_year"].sum()
    for i, zone in enumerate(assigned.zones):
        assert balance[graph_vertices + i] == pytest.approx(-sent.get(zone, 0.0))
        assert balance[graph_vertices + zones + i] == pytest.approx(received.get(zone, 0.0))


def test_route_flows_add_up_to_the_demand_of_each_commodity(assigned: FlowResult) -> None:
    by_commodity = assigned.demand.groupby("commodity")["t_per_year"].sum()
    totals = assigned.path_flow.sum(axis=0)
    for i, commodity in enumerate(assigned.commodities):
        assert totals[i] == pytest.approx(by_commodity[commodity])


def test_containers_from_baku_pass_the_transshipment_at_turkmenbashi(assigned: FlowResult) -> None:
    links = link_flows(assigned)
    # Baku -> Turkmenbashi -> Aktau by sea, then on by land: the same tonnes on both lanes.
    assert links.loc["lane_az", "t_containers"] == pytest.approx(100_000)
    assert links.loc["lane_tm", "t_containers"] == pytest.approx(100_000)


# ---------------------------------------------------------------------------- convergence
def test_convergence_is_reported_by_relative_gap(assigned: FlowResult) -> None:
    assert assigned.converged
    assert assigned.relative_gap <= 1e-4
    assert assigned.gaps[0] > assigned.gaps[-1]


def test_a_looser_tolerance_stops_earlier(toy: tuple[Network, FlowSeeds]) -> None:
    network, flow_seeds = toy
    loose = flows(
        apply_scenario(network, "current"), flow_seeds, settings=AssignmentSettings(tolerance=1e-2)
    )
    tight = flows(apply_scenario(network, "current"), flow_seeds)
    assert len(loose.gaps) < len(tight.gaps)


# ---------------------------------------------------------------------------- capacity
def _rail_crossing(result: FlowResult) -> pd.Series:
    table = element_flows(result).set_index("id")
    return table.loc["rail_crossing"]


def test_at_convergence_no_capacity_is_exceeded_beyond_the_functions_tolerance(
    assigned: FlowResult,
) -> None:
    crossing = _rail_crossing(assigned)
    graph = assigned.graph
    value_of_time = graph.parameters.value_of_time_usd_per_t_h.value
    # The most the rail crossing can be loaded: where its extra dwell costs as much as the whole
    # free-flow detour by road (no route can be dearer than that and still be used much).
    free_dwell_h = 10.0  # the toy's rail border default
    road_detour_usd = 40.0  # above the toy's road-over-rail premium, so a bound, not a guess
    limit = (road_detour_usd / (value_of_time * free_dwell_h * crossing["alpha"])) ** (
        1 / crossing["beta"]
    )
    assert crossing["utilisation"] <= limit
    assert limit < 1.2


def test_without_capacity_the_crossing_would_be_overloaded(tmp_path: Path) -> None:
    ample = TOY_CAPACITY.replace("t_per_year: 600000", "t_per_year: 600000000")
    network, flow_seeds = _toy_with(tmp_path, capacity=ample)
    crossing = _rail_crossing(flows(apply_scenario(network, "current"), flow_seeds))
    # So the bound above is tested against a demand that, unconstrained, exceeds the capacity.
    assert crossing["volume_t"] > 600_000


def test_utilisation_is_volume_over_capacity(assigned: FlowResult) -> None:
    table = element_flows(assigned)
    assert np.allclose(table["utilisation"], table["volume_t"] / table["capacity_t"])


# ---------------------------------------------------------------------------- cost response
@pytest.mark.parametrize(("toll", "direction"), [(25.0, -1), (-25.0, 1)])
def test_a_change_in_one_links_cost_moves_flow_the_right_way(
    toy: tuple[Network, FlowSeeds], assigned: FlowResult, toll: float, direction: int
) -> None:
    network, flow_seeds = toy
    changed = flows(
        apply_scenario(network, "current"), flow_seeds, link_cost_usd_per_t={"border_road": toll}
    )
    before = link_flows(assigned)["total_t"]
    after = link_flows(changed)["total_t"]
    change = after.get("border_road", 0.0) - before["border_road"]
    assert np.sign(change) == direction
    assert abs(change) > 1_000
    # The rail crossing moves the other way.
    assert np.sign(after["crossing"] - before["crossing"]) == -direction


def test_an_unknown_link_cost_is_refused(toy: tuple[Network, FlowSeeds]) -> None:
    network, flow_seeds = toy
    with pytest.raises(InvalidArgument, match="link 'nope' is not in scenario 'current'"):
        flows(apply_scenario(network, "current"), flow_seeds, link_cost_usd_per_t={"nope": 1.0})


# ---------------------------------------------------------------------------- logit mechanics
def test_path_size_counts_shared_length_once() -> None:
    # Routes 0 and 1 share edge 0 (length 3) and each has its own edge 1 or 2 (length 1); route
    # 2 (another pair) is alone. PS = 3/4 * 1/2 + 1/4 * 1 = 0.625.
    incidence = sparse.csr_matrix(np.array([[1, 1, 0], [1, 0, 1], [1, 0, 0]], dtype=float))
    size = _path_size(incidence, np.array([0, 0, 1]), 2, np.array([3.0, 1.0, 1.0]))
    assert size == pytest.approx([0.625, 0.625, 1.0])


def test_a_larger_scale_concentrates_choice_on_the_cheapest_route(tmp_path: Path) -> None:
    from tests.toy import TOY_COMMODITIES  # noqa: PLC0415

    steep = TOY_COMMODITIES.replace("logit_scale_per_usd: 0.5", "logit_scale_per_usd: 5.0")
    network, flow_seeds = _toy_with(tmp_path, commodities=steep)
    ample = flow_seeds.capacity.model_copy(
        update={
            "elements": [
                e.model_copy(update={"t_per_year": 1e12}) for e in flow_seeds.capacity.elements
            ]
        }
    )
    flat = flows(apply_scenario(network, "current"), replace(flow_seeds, capacity=ample))
    grain = flat.commodities.index("grain")
    shares = np.sort(flat.path_flow[:, grain])[::-1] / 1_000_000
    assert shares[0] > 0.99


# ---------------------------------------------------------------------------- demand
def test_a_demand_scenario_scales_and_adds_cells(toy: tuple[Network, FlowSeeds]) -> None:
    network, flow_seeds = toy
    table = demand_table(network.seeds, flow_seeds, "doubled").set_index("id")
    assert table.loc["grain_aktau_border", "t_per_year"] == 2_000_000
    assert table.loc["boxes_baku_border", "t_per_year"] == 100_000  # AZ-TM: the rule is KZ-TM
    assert table.loc["grain_uzen_baku", "factor"] == 1.0


def test_an_unknown_demand_scenario_suggests_a_name(toy: tuple[Network, FlowSeeds]) -> None:
    network, flow_seeds = toy
    with pytest.raises(InvalidArgument, match="did you mean 'doubled'"):
        demand_table(network.seeds, flow_seeds, "doubld")


# ---------------------------------------------------------------------------- calibration
def test_calibration_compares_element_volumes_with_observed_ones(assigned: FlowResult) -> None:
    network_seeds = assigned.graph.scenario.network.seeds
    table = calibration_table(assigned, load_flow_seeds(network_seeds).observed).set_index("id")
    elements = element_flows(assigned).set_index("id")
    assert table.loc["rail_border", "modelled_t"] == pytest.approx(
        elements.loc["rail_crossing", "volume_t"]
    )
    # Only the grain share of the road crossing counts toward a grain observation.
    assert 0 < table.loc["grain_by_road", "modelled_t"] < elements.loc["road_crossing", "volume_t"]


def test_wape_weights_errors_by_the_observed_volume() -> None:
    assert wape(pd.Series([110.0, 0.0]), pd.Series([100.0, 10.0])) == pytest.approx(20 / 110)


# ---------------------------------------------------------------------------- bad input
def test_an_unknown_zone_names_the_file_cell_and_a_close_name(tmp_path: Path) -> None:
    demand = TOY_DEMAND.replace("origin: aktau,", "origin: aktua,")
    with pytest.raises(InvalidSeed) as raised:
        _toy_with(tmp_path, demand=demand)
    (line,) = raised.value.lines()
    assert line.startswith("demand/base.yaml: cell 'grain_aktau_border', key 'origin'")
    assert "unknown zone 'aktua'" in line
    assert "did you mean 'aktau'" in line


def test_an_assumption_without_a_note_is_refused(tmp_path: Path) -> None:
    demand = TOY_DEMAND.replace("source: assumption, note: toy cell", "source: assumption")
    with pytest.raises(InvalidSeed, match=r"demand/base.yaml: cell 'boxes_baku_border'.*note"):
        _toy_with(tmp_path, demand=demand)


def test_a_capacity_on_an_unknown_link_is_reported(tmp_path: Path) -> None:
    capacity = TOY_CAPACITY.replace("links: [border_road]", "links: [border_raod]")
    with pytest.raises(InvalidSeed) as raised:
        _toy_with(tmp_path, capacity=capacity)
    (line,) = raised.value.lines()
    assert "capacity.yaml: element 'road_crossing', key 'links'" in line
    assert "did you mean 'border_road'" in line


def test_a_crossing_that_crosses_no_border_is_reported(tmp_path: Path) -> None:
    capacity = TOY_CAPACITY.replace("links: [crossing]", "links: [main_line]")
    with pytest.raises(InvalidSeed, match="does not cross a border"):
        _toy_with(tmp_path, capacity=capacity)


def test_a_negative_tonnage_names_its_line(tmp_path: Path) -> None:
    demand = TOY_DEMAND.replace("t_per_year: 1000000", "t_per_year: -5")
    with pytest.raises(InvalidSeed, match=r"cell 'grain_aktau_border', line 2, key 't_per_year'"):
        _toy_with(tmp_path, demand=demand)
