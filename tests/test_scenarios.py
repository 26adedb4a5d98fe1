"""Scenario files: inheritance, every kind of change, and the parameters they override."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from corridors.data.seeds import load_seeds
from corridors.errors import InvalidSeed, UnknownScenario
from corridors.network.build import Network, build_network
from corridors.routing.api import route
from corridors.routing.costs import CostModel
from corridors.routing.scenarios import apply_scenario, scenario_chain

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def with_scenario(tmp_path: Path, name: str, text: str) -> Network:
    seeds = tmp_path / "seeds"
    if not seeds.exists():
        shutil.copytree(SEEDS, seeds)
    (seeds / "scenarios" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return build_network(load_seeds(seeds))


def test_current_routes_only_operational_links(network: Network) -> None:
    today = apply_scenario(network, "current")
    statuses = set(today.network.links.loc[today.routable_links, "status"])
    assert statuses == {"operational"}
    assert "af_rozanak_robat_paryan" not in today.routable_links


def test_year_opens_links_due_by_then(network: Network) -> None:
    applied = apply_scenario(network, "horizon_2027")
    assert {"af_rozanak_robat_paryan", "af_robat_paryan_herat", "af_torghundi_herat"} <= set(
        applied.routable_links
    )
    assert "af_herat_kandahar_rail" not in applied.routable_links
    reasons = {c.link_id: c.change for c in applied.changes}
    assert reasons["af_torghundi_herat"] == "opened by year 2027"


def test_inheritance_applies_the_base_first(tmp_path: Path) -> None:
    network = with_scenario(
        tmp_path,
        "rail_and_road",
        """
        name: rail_and_road
        title: Afghan railway and the new highway
        description: Both.
        base: afghan_railway
        changes:
          open: [tm_turkmenbashi_garabogaz_highway]
    """,
    )
    chain = [s.name for s in scenario_chain(network.seeds, "rail_and_road")]
    assert chain == ["current", "afghan_railway", "rail_and_road"]
    routable = set(apply_scenario(network, "rail_and_road").routable_links)
    assert {"af_herat_kandahar_rail", "tm_turkmenbashi_garabogaz_highway"} <= routable


def test_close_set_status_set_gauge_and_overrides(tmp_path: Path) -> None:
    network = with_scenario(
        tmp_path,
        "changes",
        """
        name: changes
        title: Every kind of change
        description: Closes the Kazakh border link, changes a status and a gauge, and overrides
          speeds, tariffs and the value of time.
        base: current
        changes:
          close: [kti_bolashak_serhetyaka]
          set_status: {af_rozanak_robat_paryan: operational}
          set_gauge: {af_herat_kandahar_rail: 1435}
          speeds: [{mode: rail, km_h: 60, source: assumption}]
          tariffs: [{mode: rail, country: TM, usd_per_t_km: 0.05, source: assumption}]
          value_of_time_usd_per_t_h: 3.0
    """,
    )
    applied = apply_scenario(network, "changes")
    links = applied.network.links
    assert links.loc["kti_bolashak_serhetyaka", "status"] == "closed"
    assert links.loc["af_rozanak_robat_paryan", "status"] == "operational"
    assert links.loc["af_herat_kandahar_rail", "gauge_mm"] == 1435
    model = CostModel(applied.parameters)
    assert model.speed_entry("rail", "operational").km_h == 60
    assert model.tariff_entry("rail", "TM").usd_per_t_km == 0.05
    base = CostModel(network.seeds.parameters)  # type: ignore[arg-type]
    assert model.tariff_entry("rail", "KZ") == base.tariff_entry("rail", "KZ")
    assert applied.parameters.value_of_time_usd_per_t_h.value == 3.0
    today = route(network, "Aktau seaport", "Gorgan", modes=["rail"]).best
    assert "kti_bolashak_serhetyaka" in {leg.link_id for leg in today.legs}
    # Real-seeds fact: with the Kazakh-Turkmen rail link closed, rail goes round via Uzbekistan.
    rerouted = route(network, "Aktau seaport", "Gorgan", modes=["rail"], scenario="changes").best
    assert "kti_bolashak_serhetyaka" not in {leg.link_id for leg in rerouted.legs}
    assert rerouted.length_km > today.length_km
    changed = route(network, "Aktau seaport", "Gorgan", scenario="changes").best
    assert "kti_bolashak_serhetyaka" not in {leg.link_id for leg in changed.legs}
    assert changed.value_of_time_usd_per_t_h == 3.0


def test_added_link_with_waypoints_is_routed(tmp_path: Path) -> None:
    network = with_scenario(
        tmp_path,
        "ferry",
        """
        name: ferry
        title: A direct Kuryk-Turkmenbashi ferry
        description: Adds a sea lane with waypoints.
        base: current
        changes:
          add_links:
            - id: sea_kuryk_turkmenbashi_direct
              name: Direct ferry Kuryk-Turkmenbashi
              from: kuryk_seaport
              to: turkmenbashi_seaport
              mode: sea
              status: operational
              alignment: approximate
              sources: [assumption]
              confidence: low
              waypoints: [[43.10, 51.42], [41.5, 52.05], [40.0, 52.55], [39.69, 52.97],
                          [39.72, 53.10], [39.90, 53.09]]
    """,
    )
    applied = apply_scenario(network, "ferry")
    added = applied.network.links.loc["sea_kuryk_turkmenbashi_direct"]
    assert added["length_km"] > 400
    assert len(added.geometry.coords) == 8
    best = route(
        network,
        "Kuryk seaport",
        "Turkmenbashi seaport",
        scenario="ferry",
        modes=["sea"],
    ).best
    assert [leg.link_id for leg in best.legs] == ["sea_kuryk_turkmenbashi_direct"]
    assert (
        "sea_kuryk_turkmenbashi_direct"
        not in apply_scenario(network, "current").network.links.index
    )


def test_unknown_scenario_is_named(network: Network) -> None:
    with pytest.raises(UnknownScenario, match="unknown scenario 'tomorrow'"):
        apply_scenario(network, "tomorrow")


def test_scenario_problems_are_reported(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    (seeds / "scenarios" / "loop_a.yaml").write_text(
        "name: loop_a\ntitle: A\ndescription: A\nbase: loop_b\n", encoding="utf-8"
    )
    (seeds / "scenarios" / "loop_b.yaml").write_text(
        "name: loop_b\ntitle: B\ndescription: B\nbase: loop_a\n", encoding="utf-8"
    )
    (seeds / "scenarios" / "misnamed.yaml").write_text(
        "name: other\ntitle: C\ndescription: C\n", encoding="utf-8"
    )
    with pytest.raises(InvalidSeed) as caught:
        load_seeds(seeds)
    messages = [str(p) for p in caught.value.problems]
    assert any("inherit from each other in a loop" in m for m in messages)
    assert any(
        m.startswith("scenarios/misnamed.yaml: key 'name': scenario name 'other' differs")
        for m in messages
    )
