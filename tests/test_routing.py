"""Routing: hand-checked corridor routes, places, restrictions, results and explanations."""

from __future__ import annotations

import json

import pytest

from corridors.errors import CorridorsError, NoRoute, UnknownPlace, UnknownScenario
from corridors.network.build import Network
from corridors.routing.api import route


def test_aktau_port_to_gorgan_by_rail_follows_the_kti_line(network: Network) -> None:
    routes = route(network, "Aktau seaport", "Gorgan", weight="distance", modes=["rail"])
    best = routes.best
    assert best.node_ids[0] == "aktau_seaport"
    assert best.node_ids[-1] == "gorgan"
    for station in (
        "zhanaozen_uzen_station",
        "bolashak",
        "serhetyaka",
        "gyzylgaya",
        "bereket",
        "etrek",
        "akyayla",
        "incheh_borun",
    ):
        assert station in best.node_ids
    assert best.modes == ["rail"]
    assert best.countries == ["KZ", "TM", "IR"]
    kinds = [(step.kind, step.at) for step in best.steps]
    assert kinds == [
        ("border", "serhetyaka"),
        ("border", "incheh_borun"),
        ("break_of_gauge", "incheh_borun"),
    ]
    gauge = best.steps[2]
    assert (gauge.from_value, gauge.to_value) == ("1520", "1435")
    assert [leg.gauge_mm for leg in best.legs][-2:] == [1435, 1435]
    assert best.km_by_country["IR"] == pytest.approx(95.4, abs=0.5)


def test_totals_are_the_sum_of_legs_and_steps(network: Network) -> None:
    best = route(network, "Aktau seaport", "Gorgan", modes=["rail"]).best
    assert best.length_km == pytest.approx(sum(leg.length_km for leg in best.legs))
    assert best.time_h == pytest.approx(
        sum(leg.time_h for leg in best.legs) + sum(step.time_h for step in best.steps)
    )
    assert best.cost_usd_per_t == pytest.approx(
        sum(leg.cost_usd_per_t for leg in best.legs)
        + sum(step.cost_usd_per_t for step in best.steps)
    )
    value_of_time = network.seeds.parameters.value_of_time_usd_per_t_h.value
    assert best.generalised_cost == pytest.approx(best.cost_usd_per_t + value_of_time * best.time_h)


def test_kuryk_to_turkmenbashi_offers_a_sea_route_and_a_land_alternative(
    network: Network,
) -> None:
    routes = route(network, "Kuryk seaport", "Turkmenbashi seaport", alternatives=4)
    modes = [set(r.modes) for r in routes.routes]
    assert any("sea" not in m for m in modes)
    # Trucks leave Kuryk by the Kuryk-Zhetybai road; the ferry by Baku stays on offer.
    assert routes.best.modes == ["road"]
    sea = routes.by_mode["with a sea leg"]
    # Real-seeds fact: no lane joins the two ports today, so the sea option changes vessel at
    # Baku's port (it may leave from Aktau, whose departure dwell is shorter than Kuryk's).
    assert sea.node_ids[-2:] == ["baku_port_alat", "turkmenbashi_seaport"]
    kinds = [s.kind for s in sea.steps]
    assert kinds[-3:] == ["border", "transshipment", "border"]
    assert sea.steps[-2].at == "baku_port_alat"
    assert "rail only" in routes.by_mode
    assert routes.by_mode["rail only"].modes == ["rail"]


def test_aktau_to_kandahar_by_rail_needs_the_afghan_railway(network: Network) -> None:
    with pytest.raises(NoRoute) as caught:
        route(network, "Aktau seaport", "Kandahar", modes=["rail"])
    message = str(caught.value)
    assert "scenario 'current'" in message
    assert "'afghan_railway'" in message
    routes = route(
        network,
        "Aktau seaport",
        "Kandahar",
        modes=["rail"],
        scenario="afghan_railway",
    )
    best = routes.best
    assert best.scenario == "afghan_railway"
    assert {"serhetabat", "torghundi", "herat_rail_hub", "kandahar"} <= set(best.node_ids)
    assert not [step for step in best.steps if step.kind == "gauge_unknown"]
    assert any(
        leg.link_id == "af_herat_kandahar_rail" and leg.length_km == 737.5 for leg in best.legs
    )


def test_a_node_without_the_mode_is_explained(network: Network) -> None:
    with pytest.raises(NoRoute, match="Aktau has no rail link"):
        route(network, "aktau", "Gorgan", modes=["rail"])


def test_avoided_country_is_named(network: Network) -> None:
    # Real-seeds fact: by rail, Mangystau reaches Iran only through Turkmenistan.
    with pytest.raises(NoRoute, match="avoiding TM cuts every route"):
        route(network, "Aktau seaport", "Gorgan", modes="rail", avoid=["TM"])


def test_places_by_local_name_case_and_coordinates(network: Network) -> None:
    by_local = route(network, "Актау", "Туркменбаши")
    assert by_local.query["origin"].startswith("aktau")
    assert by_local.query["destination"].startswith("turkmenbashi")
    assert by_local.query["asked"][by_local.query["destination"]] == "Туркменбаши"
    by_case = route(network, "AKTAU SEAPORT", "gorgan")
    assert by_case.query["origin"] == "aktau_seaport"
    snapped = route(network, (51.25, 43.60), "gorgan")
    assert snapped.query["origin"] == "aktau_seaport"
    assert 0 < snapped.query["snap_km"]["51.25,43.6"] < 3


def test_unknown_place_suggests_names(network: Network) -> None:
    with pytest.raises(UnknownPlace, match="Did you mean 'Aktau'"):
        route(network, "Aktao", "Gorgan")


def test_unknown_scenario_lists_the_known_ones(network: Network) -> None:
    with pytest.raises(UnknownScenario, match="did you mean 'afghan_railway'"):
        route(network, "Aktau", "Gorgan", scenario="afghan_railwya")


def test_bad_weight_and_mode_are_errors(network: Network) -> None:
    with pytest.raises(CorridorsError, match="unknown weight"):
        route(network, "Aktau", "Gorgan", weight="speed")
    with pytest.raises(CorridorsError, match="unknown mode"):
        route(network, "Aktau", "Gorgan", modes=["air"])


def test_via_forces_the_route_through_a_place(network: Network) -> None:
    direct = route(network, "Kuryk seaport", "Turkmenbashi seaport")
    assert "baku_port_alat" not in direct.best.node_ids
    through = route(
        network,
        "Kuryk seaport",
        "Turkmenbashi seaport",
        via=["baku_port_alat"],
    )
    assert "baku_port_alat" in through.best.node_ids
    assert through.best.generalised_cost >= direct.best.generalised_cost


def test_avoiding_a_link_changes_the_route(network: Network) -> None:
    best = route(network, "Kuryk seaport", "Turkmenbashi seaport").best
    used = best.legs[len(best.legs) // 2].link_id
    other = route(network, "Kuryk seaport", "Turkmenbashi seaport", avoid=[used]).best
    assert used not in {leg.link_id for leg in other.legs}


def test_statuses_open_links_that_are_not_operational(network: Network) -> None:
    routes = route(
        network,
        "Aktau seaport",
        "Kandahar",
        modes=["rail"],
        statuses=["operational", "planned", "under_construction"],
    )
    assert "af_herat_kandahar_rail" in {leg.link_id for leg in routes.best.legs}


def test_garabogaz_road_scenario_is_faster_by_road(network: Network) -> None:
    today = route(network, "Turkmenbashi", "Zhanaozen", weight="time", modes=["road"])
    opened = route(
        network,
        "Turkmenbashi",
        "Zhanaozen",
        weight="time",
        modes=["road"],
        scenario="garabogaz_road",
    )
    assert opened.best.time_h < today.best.time_h
    assert "tm_turkmenbashi_garabogaz_highway" in {leg.link_id for leg in opened.best.legs}


def test_json_has_routes_with_totals_nodes_and_legs(network: Network) -> None:
    routes = route(network, "Kuryk seaport", "Turkmenbashi seaport", alternatives=3)
    data = json.loads(routes.to_json())
    assert isinstance(data["routes"], list)
    first = data["routes"][0]
    for key in (
        "length_km",
        "time_h",
        "cost_usd_per_t",
        "node_ids",
        "legs",
        "steps",
        "km_by_country",
        "scenario",
    ):
        assert key in first
    assert first["legs"][0]["from_id"] == "kuryk_seaport"
    assert data["query"]["scenario"] == "current"


def test_geodataframe_and_table(network: Network) -> None:
    routes = route(network, "Aktau seaport", "Gorgan", modes=["rail"])
    frame = routes.to_geodataframe()
    assert frame.crs.to_epsg() == 4326
    assert len(frame) >= len(routes.best.legs)
    assert frame.iloc[0]["from_id"] == "aktau_seaport"
    assert frame.geometry.iloc[0].coords[0] == pytest.approx(
        (network.nodes.loc["aktau_seaport", "lon"], network.nodes.loc["aktau_seaport", "lat"])
    )
    table = routes.to_frame()
    assert {"length_km", "time_h", "cost_usd_per_t", "node_ids"} <= set(table.columns)
    legs = routes.best.to_frame()
    assert list(legs["kind"]).count("leg") == len(routes.best.legs)


def test_a_line_of_unpublished_gauge_between_two_gauges_is_a_break_of_gauge(
    network: Network,
) -> None:
    # Real-seeds fact: Herat-Kandahar-Spin Boldak has no published gauge; it joins 1520 mm
    # track at Herat and Pakistan's 1676 mm track at Chaman.
    best = route(network, "Aktau seaport", "Chaman", modes="rail", scenario="afghan_railway").best
    breaks = [step for step in best.steps if step.kind == "break_of_gauge"]
    assert len(breaks) == 1
    assert breaks[0].time_h > 0
    assert (breaks[0].from_value, breaks[0].to_value) == ("1520", "1676")
    assert "assumed" in breaks[0].note
