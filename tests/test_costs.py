"""Parameters to link times, costs and steps."""

from __future__ import annotations

import pytest

from corridors.data.schema import Parameters
from corridors.network.build import Network
from corridors.routing.api import route
from corridors.routing.costs import (
    border_terms,
    link_cost_usd_per_t,
    link_time_h,
    route_km_by_country,
    speed_km_h,
    tariff_usd_per_t_km,
    transfer_terms,
)


@pytest.fixture(scope="module")
def parameters(network: Network) -> Parameters:
    assert network.seeds.parameters is not None
    return network.seeds.parameters


def test_speed_by_mode_and_status(parameters: Parameters) -> None:
    assert speed_km_h(parameters, "rail", "operational") == pytest.approx(39.4)
    assert speed_km_h(parameters, "road", "operational") == 45
    assert speed_km_h(parameters, "road", "under_construction") == 70
    assert speed_km_h(parameters, "rail", "planned") == pytest.approx(39.4)
    assert link_time_h(parameters, "sea", "operational", 250) == pytest.approx(10.0)


def test_tariff_by_country_with_a_default(parameters: Parameters) -> None:
    assert tariff_usd_per_t_km(parameters, "rail", "TM") == pytest.approx(0.134)
    assert tariff_usd_per_t_km(parameters, "rail", "PK") == pytest.approx(0.088)
    assert tariff_usd_per_t_km(parameters, "road", "IR") == pytest.approx(0.100)
    shares = route_km_by_country([("KZ", 4.2), ("TM", 2.0)], 6.2)
    cost = link_cost_usd_per_t(parameters, "rail", shares, 6.2)
    assert cost == pytest.approx(4.2 * 0.088 + 2.0 * 0.134)
    assert link_cost_usd_per_t(parameters, "sea", [], 100) == pytest.approx(11.0)


def test_schematic_lengths_are_shared_in_proportion(parameters: Parameters) -> None:
    shares = route_km_by_country([("TM", 1.0), ("AF", 99.0)], 115.0)
    assert shares == [("TM", pytest.approx(1.15)), ("AF", pytest.approx(113.85))]
    del parameters


def test_border_steps_differ_by_direction(parameters: Parameters) -> None:
    out_of_kz = border_terms(parameters, "kti_bolashak_serhetyaka", "rail", forward=True)
    into_kz = border_terms(parameters, "kti_bolashak_serhetyaka", "rail", forward=False)
    assert (out_of_kz.time_h, into_kz.time_h) == (10.7, 81.9)
    assert out_of_kz.source == "cpmm_kazakhstan"
    default = border_terms(parameters, "sea_aktau_alat", "sea", forward=True)
    assert (default.time_h, default.source) == (12, "assumption")
    assert transfer_terms(parameters, "rail", "sea").time_h == 30


def test_routes_carry_the_direction_of_the_border(network: Network) -> None:
    south = route(network, "Aktau seaport", "Gorgan", modes=["rail"]).best
    north = route(network, "Gorgan", "Aktau seaport", modes=["rail"]).best
    kz_tm_south = next(s for s in south.steps if s.link_id == "kti_bolashak_serhetyaka")
    kz_tm_north = next(s for s in north.steps if s.link_id == "kti_bolashak_serhetyaka")
    assert (kz_tm_south.from_value, kz_tm_south.to_value) == ("KZ", "TM")
    assert (kz_tm_north.from_value, kz_tm_north.to_value) == ("TM", "KZ")
    assert kz_tm_north.time_h - kz_tm_south.time_h == pytest.approx(81.9 - 10.7)
    assert north.length_km == pytest.approx(south.length_km)
