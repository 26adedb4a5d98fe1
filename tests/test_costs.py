"""Parameters to link times, costs and steps: the most specific entry wins."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from corridors.data.schema import BorderDirection, Parameters
from corridors.routing.costs import CostModel, route_km_by_country

PARAMETERS = textwrap.dedent(
    """\
    value_of_time_usd_per_t_h: {value: 1.0, source: assumption}
    speeds:
      - {mode: rail, km_h: 40, source: assumption}
      - {mode: rail, country: KZ, km_h: 60, source: assumption}
      - {mode: rail, country: TM, km_h: 30, source: assumption}
      - {mode: rail, links: [fast_line], km_h: 80, source: assumption}
      - {mode: road, km_h: 50, source: assumption}
      - {mode: road, country: TM, km_h: 55, source: assumption}
      - {mode: road, status: under_construction, km_h: 70, source: assumption}
      - {mode: sea, km_h: 25, source: assumption}
      - {mode: sea, km_h: 20, source: assumption}
    tariffs:
      - {mode: rail, usd_per_t_km: 0.1, source: assumption}
      - {mode: rail, country: KZ, usd_per_t_km: 0.05, source: assumption}
      - {mode: rail, country: KZ, unit: wagon, usd_per_t_km: 0.04, source: assumption}
      - {mode: rail, country: UZ, usd_per_t_km: 0.05, year: 2020, source: assumption}
      - {mode: road, usd_per_t_km: 0.12, source: assumption}
      - {mode: sea, usd_per_t_km: 0.2, source: assumption}
      - {mode: sea, unit: truck, links: [ferry], usd_per_t: 50, source: assumption}
    cargo_units:
      default: container
      units:
        - {unit: container, payload_t: 20, source: assumption}
        - {unit: truck, payload_t: 20, source: assumption}
        - {unit: wagon, payload_t: 60, source: assumption}
    transfers:
      - {from: road, to: sea, time_h: 7, cost_usd_per_t: 10, source: assumption}
      - {from: road, to: sea, unit: truck, time_h: 3, cost_usd_per_t: 2, source: assumption}
      - {from: road, to: sea, node: port_a, time_h: 14, cost_usd_per_t: 10, source: assumption}
    break_of_gauge: {time_h: 12, cost_usd_per_t: 12, source: assumption}
    price_basis: {year: 2023, index: {2020: 250.0, 2023: 300.0}, source: assumption}
    border_defaults:
      - {mode: rail, dwell_h: 6, cost_usd_per_t: 4, source: assumption}
      - {mode: sea, dwell_h: 3, cost_usd_per_t: 3, source: assumption}
    border_sides:
      - {country: KZ, mode: rail, direction: outbound, dwell_h: 7, cost_usd_per_t: 9, source: a}
      - {country: KZ, mode: rail, direction: inbound, dwell_h: 8, cost_usd_per_t: 9, source: a}
      - {country: KZ, mode: rail, direction: inbound, node: china_gate, dwell_h: 78,
         cost_usd_per_t: 15, source: b}
    border_crossings:
      - link: measured_crossing
        name: A crossing measured as a whole
        forward: {dwell_h: 0.5, cost_usd_per_t: 1}
        reverse: {dwell_h: 2.5, cost_usd_per_t: 1}
        source: c
    """
)


@pytest.fixture
def parameters() -> Parameters:
    return Parameters.model_validate(yaml.safe_load(PARAMETERS))


def test_speed_takes_the_most_specific_entry(parameters: Parameters) -> None:
    model = CostModel(parameters)
    assert model.speed_entry("rail", "operational").km_h == 40
    assert model.speed_entry("rail", "operational", "KZ").km_h == 60
    assert model.speed_entry("rail", "operational", "KZ", "fast_line").km_h == 80
    # A status-specific speed (a design speed) beats a country's average.
    assert model.speed_entry("road", "under_construction", "TM").km_h == 70
    assert model.speed_entry("road", "operational", "TM").km_h == 55
    # Among equally specific entries the last wins (scenario overrides are appended).
    assert model.speed_entry("sea", "operational").km_h == 20


def test_a_link_runs_each_countrys_km_at_its_speed_and_tariff(parameters: Parameters) -> None:
    model = CostModel(parameters)
    terms = model.link("cross_border", "rail", "operational", [("KZ", 30.0), ("TM", 10.0)], 80)
    assert terms.time_h == pytest.approx(60 / 60 + 20 / 30)
    assert terms.cost_usd_per_t == pytest.approx(60 * 0.05 + 20 * 0.1)
    assert dict(terms.time_terms) == {
        "speed:rail:KZ": pytest.approx(1.0),
        "speed:rail:TM": pytest.approx(20 / 30),
    }
    wagon = CostModel(parameters, "wagon").link(
        "cross_border", "rail", "operational", [("KZ", 30.0), ("TM", 10.0)], 80
    )
    assert wagon.cost_usd_per_t == pytest.approx(60 * 0.04 + 20 * 0.1)


def test_a_ferry_fare_is_paid_once_for_its_unit(parameters: Parameters) -> None:
    truck = CostModel(parameters, "truck").link("ferry", "sea", "operational", [], 400)
    assert truck.cost_usd_per_t == 50
    assert truck.time_h == pytest.approx(400 / 20)
    container = CostModel(parameters, "container").link("ferry", "sea", "operational", [], 400)
    assert container.cost_usd_per_t == pytest.approx(400 * 0.2)


def test_kilometres_are_shared_in_proportion() -> None:
    shares = route_km_by_country([("TM", 1.0), ("AF", 99.0)], 115.0)
    assert shares == [("TM", pytest.approx(1.15)), ("AF", pytest.approx(113.85))]


def test_a_crossing_adds_the_side_left_and_the_side_entered(parameters: Parameters) -> None:
    model = CostModel(parameters)
    south = model.border("x", "rail", forward=True, leaving=("KZ", "b1"), entering=("TM", "b2"))
    assert south.time_h == 7 + 6  # KZ outbound + the rail default for TM's side
    assert south.cost_usd_per_t == 9 + 4
    assert [key for key, _ in south.time_terms] == [
        "border_side:KZ:rail:outbound",
        "border_default:rail",
    ]
    north = model.border("x", "rail", forward=False, leaving=("TM", "b2"), entering=("KZ", "b1"))
    assert north.time_h == 6 + 8
    from_china = model.border(
        "y", "rail", forward=True, leaving=("CN", "c1"), entering=("KZ", "china_gate")
    )
    assert from_china.time_h == 6 + 78
    assert from_china.source == "assumption; b"


def test_a_crossing_measured_as_a_whole_overrides_the_sides(parameters: Parameters) -> None:
    model = CostModel(parameters)
    ends = {"leaving": ("KZ", "b1"), "entering": ("TM", "b2")}
    forward = model.border("measured_crossing", "rail", forward=True, **ends)
    reverse = model.border("measured_crossing", "rail", forward=False, **ends)
    assert (forward.time_h, reverse.time_h) == (0.5, 2.5)
    assert forward.time_terms == (("border:measured_crossing:forward", 0.5),)


def test_sides_are_looked_up_by_direction(parameters: Parameters) -> None:
    model = CostModel(parameters)
    assert model.side("rail", BorderDirection.INBOUND, "KZ", "").time_h == 8
    assert model.side("rail", BorderDirection.INBOUND, "KZ", "china_gate").time_h == 78
    assert model.side("sea", BorderDirection.OUTBOUND, "KZ", "").time_h == 3


def test_transfers_by_node_and_unit(parameters: Parameters) -> None:
    assert CostModel(parameters).transfer("port_b", "road", "sea").time_h == 7
    assert CostModel(parameters, "truck").transfer("port_b", "road", "sea").time_h == 3
    assert CostModel(parameters, "truck").transfer("port_a", "road", "sea").time_h == 14
    free = CostModel(parameters).transfer("port_b", "rail", "road")
    assert (free.time_h, free.source) == (0.0, "assumption")


def test_a_unit_without_a_payload_is_refused(parameters: Parameters) -> None:
    assert CostModel(parameters, "wagon").payload_t == 60
    with pytest.raises(ValueError, match="bulk"):
        CostModel(parameters, "bulk")


def test_money_of_another_year_is_brought_to_the_price_basis(parameters: Parameters) -> None:
    model = CostModel(parameters)
    uzbek = model.link("uz", "rail", "operational", [("UZ", 10.0)], 10.0)
    assert uzbek.cost_usd_per_t == pytest.approx(10 * 0.05 * 300 / 250)
    kazakh = model.link("kz", "rail", "operational", [("KZ", 10.0)], 10.0)
    assert kazakh.cost_usd_per_t == pytest.approx(10 * 0.05)  # no year: on the basis


def test_a_basis_year_without_an_index_is_refused() -> None:
    data = yaml.safe_load(PARAMETERS)
    data["price_basis"] = {"year": 2024, "index": {2020: 250.0}, "source": "assumption"}
    with pytest.raises(ValueError, match="basis year 2024"):
        Parameters.model_validate(data)
