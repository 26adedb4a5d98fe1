"""The frame every stage shares, on a toy network written for the test: scenarios applied once
and memoised on content, the routing-graph cache, places resolved once and carried through,
comparisons on one value of time with gauge changes, route sets shared between comparisons,
and the top-level API.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import corridors
from corridors.analysis import compare as compare_module
from corridors.analysis.compare import RouteSets, compare, link_changes
from corridors.errors import InvalidArgument, NoRoute
from corridors.network.build import Network, build_network
from corridors.routing import api
from corridors.routing.api import route
from corridors.routing.scenarios import apply_scenario
from tests.toy import write_toy_seeds


@pytest.fixture
def toy(tmp_path: Path) -> Network:
    return build_network(write_toy_seeds(tmp_path / "toy"))


def test_a_scenario_is_applied_once_per_content(toy: Network, tmp_path: Path) -> None:
    first = apply_scenario(toy, "with_spur")
    assert apply_scenario(toy, "with_spur") is first
    same_content = build_network(write_toy_seeds(tmp_path / "copy"))
    assert apply_scenario(same_content, "with_spur").key == first.key
    (tmp_path / "copy" / "nodes.csv").write_text(
        (tmp_path / "copy" / "nodes.csv").read_text().replace("Bolashak,", "Bolashak KZ,", 1)
    )
    edited = build_network(tmp_path / "copy")
    assert apply_scenario(edited, "with_spur").key != first.key


def test_the_graph_cache_hits_for_a_scenario_that_adds_links(
    toy: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    original = api.RoutingGraph

    class Counting(original):  # type: ignore[misc, valid-type]
        def __init__(self, scenario: object, cargo: str | None = None) -> None:
            built.append(scenario.name)  # type: ignore[attr-defined]
            super().__init__(scenario, cargo)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "RoutingGraph", Counting)
    monkeypatch.setattr(api, "_GRAPHS", type(api._GRAPHS)())
    monkeypatch.setenv("CORRIDORS_CACHE", "off")  # the memory cache, not the graphs on disk
    for _ in range(3):
        found = route(toy, "Aktau seaport", "Serhetyaka", scenario="with_spur")
        assert found.best.scenario == "with_spur"
    assert built == ["with_spur"]


def test_the_graph_cache_is_bounded(toy: Network, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "GRAPH_CACHE_SIZE", 2)
    monkeypatch.setattr(api, "_GRAPHS", type(api._GRAPHS)())
    for name in ("current", "with_spur", "regauged", "dear_time"):
        api.routing_graph(apply_scenario(toy, name))
    assert len(api._GRAPHS) == 2


def test_an_applied_scenario_is_routed_without_building_another_network(
    toy: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied = apply_scenario(toy, "current")

    def refuse(*_: object, **__: object) -> Network:
        message = "the default network must not be built"
        raise AssertionError(message)

    monkeypatch.setattr("corridors.network.build.build_network", refuse)
    monkeypatch.setattr("corridors.routing.scenarios.build_network", refuse)
    found = route(applied, "Aktau seaport", "Serhetyaka")
    assert found.best.node_ids[-1] == "serhetyaka"
    with pytest.raises(NoRoute) as caught:
        route(applied, "Aktau seaport", "Serhetyaka", modes="road")
    # The explanation is about the caller's network: its own scenario names, its own places.
    assert "scenario 'current'" in str(caught.value)
    assert "afghan_railway" not in str(caught.value)


def test_comparisons_report_gauge_changes(toy: Network) -> None:
    comparison = compare(toy, "regauged", [("Aktau seaport", "Serhetyaka")])
    changes = {(c.link_id, c.change, c.before, c.after) for c in comparison.link_changes}
    assert ("crossing", "gauge", "", "1435") in changes


def test_a_pair_given_by_name_keeps_its_note(toy: Network) -> None:
    comparison = compare(toy, "with_spur", [("Aqtau", "Serhetyaka")])
    pair = comparison.pairs[0]
    assert pair.origin.query == "Aqtau"
    assert pair.origin.node_id == "aktau_seaport"
    assert pair.note == "Port to the Turkmen border by rail"
    assert comparison.to_dict()["pairs"][0]["note"] == pair.note


def test_a_comparison_uses_one_value_of_time(toy: Network) -> None:
    comparison = compare(toy, "dear_time", [("Aktau seaport", "Serhetyaka")])
    assert comparison.value_of_time_usd_per_t_h == 1.0
    pair = comparison.pairs[0]
    assert pair.scenario is not None
    assert pair.scenario.best.value_of_time_usd_per_t_h == 1.0
    assert pair.outcome == "unchanged"
    assert pair.why().startswith("unchanged on generalised cost")
    at_fifty = compare(
        toy, "dear_time", [("Aktau seaport", "Serhetyaka")], value_of_time_usd_per_t_h=50
    )
    assert at_fifty.pairs[0].base is not None
    assert at_fifty.pairs[0].base.best.value_of_time_usd_per_t_h == 50


def test_a_change_of_vessel_is_a_transshipment(toy: Network) -> None:
    best = route(toy, "Aktau seaport", "Baku port", modes="sea").best
    assert [s.kind for s in best.steps if s.kind == "transshipment"] == ["transshipment"]
    assert best.steps[[s.kind for s in best.steps].index("transshipment")].at == (
        "turkmenbashi_seaport"
    )


def test_the_top_level_api_names_functions() -> None:
    assert callable(corridors.compare)
    assert corridors.compare is compare
    assert callable(corridors.route)
    assert issubclass(corridors.NoRoute, LookupError)
    assert issubclass(corridors.InvalidSeed, ValueError)
    assert issubclass(corridors.UnknownPlace, LookupError)
    assert set(corridors.__all__) <= set(dir(corridors))


def test_list_arguments_take_one_string(toy: Network) -> None:
    one = route(toy, "Aktau seaport", "Serhetyaka", modes="rail", avoid="AZ", via="Uzen")
    assert one.query["avoid"] == ["AZ"]
    with pytest.raises(NoRoute, match="avoiding TM cuts every route"):
        route(toy, "Aktau seaport", "Serhetyaka", modes="rail", avoid="TM")
    listed = route(toy, "Aktau seaport", "Serhetyaka", modes=["rail"], via=["Uzen"])
    assert listed.query["modes"] == ["rail"]
    assert "uzen_station" in listed.best.node_ids


@pytest.mark.parametrize("count", [0, -1, 1.5, True, "3"])
def test_alternatives_are_validated(toy: Network, count: object) -> None:
    with pytest.raises(InvalidArgument, match="alternatives must be a whole number"):
        route(toy, "Aktau seaport", "Serhetyaka", alternatives=count)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"modes": 5}, "is not a name"),
        ({"modes": "air"}, "unknown mode 'air'"),
        ({"statuses": "open"}, "unknown status 'open'"),
        ({"weight": "speed"}, "unknown weight 'speed'"),
        ({"value_of_time_usd_per_t_h": float("nan")}, "value of time"),
        ({"scenario": "current", "network_is_applied": True}, "pass the built Network"),
    ],
)
def test_bad_api_arguments_raise_domain_errors(
    toy: Network, options: dict[str, object], match: str
) -> None:
    network: object = toy
    if options.pop("network_is_applied", False):
        network = apply_scenario(toy, "with_spur")
    with pytest.raises(InvalidArgument, match=match):
        route(network, "Aktau seaport", "Serhetyaka", **options)  # type: ignore[arg-type]


def test_a_no_route_explanation_agrees_across_scenarios(toy: Network) -> None:
    # Zhetybai via Aktau seaport to Uzen must pass Mangyshlak and Zhetybai twice: no loopless
    # route exists in any scenario, so none may claim that another scenario connects it.
    reasons = {}
    for scenario in ("current", "with_spur", "regauged"):
        with pytest.raises(NoRoute) as caught:
            route(toy, "Zhetybai", "Uzen", via="Aktau seaport", scenario=scenario)
        reasons[scenario] = str(caught.value)
    for scenario, reason in reasons.items():
        assert "it connects in scenario" not in reason, (scenario, reason)
        assert "passes a place twice" in reason
        assert reason.split(": ", 1)[1] == reasons["current"].split(": ", 1)[1]


@pytest.fixture
def routed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """Every call comparisons make to ``route``: (scenario, origin, destination)."""
    calls: list[tuple[str, str, str]] = []

    def counting(applied: object, origin: object, destination: object, **options: object) -> object:
        calls.append((applied.name, origin.node_id, destination.node_id))  # type: ignore[attr-defined]
        return route(applied, origin, destination, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(compare_module, "route", counting)
    return calls


def test_comparisons_against_one_base_route_it_once(
    toy: Network, routed: list[tuple[str, str, str]]
) -> None:
    pairs = [("Aktau seaport", "Serhetyaka"), ("Aktau seaport", "Baku port")]
    shared = RouteSets()
    spur = compare(toy, "with_spur", pairs, route_sets=shared)
    regauged = compare(toy, "regauged", pairs, route_sets=shared)
    assert [call[0] for call in routed].count("current") == 2  # once per pair, not per report
    assert len(routed) == 6
    assert len(shared) == 6
    for first, second in zip(spur.pairs, regauged.pairs, strict=True):
        assert first.base is second.base
        assert first.scenario is not second.scenario
    # other options are other route sets
    compare(toy, "with_spur", pairs[:1], weight="time", route_sets=shared)
    assert len(routed) == 8
    assert len(shared) == 8


def test_a_baseline_routes_each_pair_once(toy: Network, routed: list[tuple[str, str, str]]) -> None:
    baseline = compare(toy, "current", [("Aktau seaport", "Serhetyaka")], base="current")
    assert routed == [("current", "aktau_seaport", "serhetyaka")]
    pair = baseline.pairs[0]
    assert pair.base is pair.scenario
    assert pair.outcome == "unchanged"


def test_a_pair_without_a_route_keeps_its_reason(
    toy: Network, routed: list[tuple[str, str, str]]
) -> None:
    shared = RouteSets()
    pairs = [("Aktau seaport", "Serhetyaka")]
    first = compare(toy, "with_spur", pairs, modes="road", route_sets=shared)
    second = compare(toy, "regauged", pairs, modes="road", route_sets=shared)
    assert [call[0] for call in routed].count("current") == 1
    assert first.pairs[0].base is None
    assert first.pairs[0].base_reason == second.pairs[0].base_reason
    assert "no route" in first.pairs[0].base_reason


def test_link_changes_list_added_links_status_and_gauge_changes_in_link_order(
    toy: Network,
) -> None:
    current = apply_scenario(toy, "current")
    assert link_changes(current, current) == ()
    spur = link_changes(current, apply_scenario(toy, "with_spur"))
    assert [(c.link_id, c.change, c.before, c.after) for c in spur] == [
        ("new_spur", "added", "", "operational")
    ]
    removed = link_changes(apply_scenario(toy, "with_spur"), current)
    assert [(c.link_id, c.change, c.before, c.after) for c in removed] == [
        ("new_spur", "removed", "operational", "")
    ]
    regauged = link_changes(current, apply_scenario(toy, "regauged"))
    assert [(c.link_id, c.change, c.before, c.after) for c in regauged] == [
        ("crossing", "gauge", "", "1435")
    ]
