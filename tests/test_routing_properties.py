"""Property-based tests of routing on the corridor network."""

from __future__ import annotations

import os
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from corridors.errors import NoRoute
from corridors.network.build import Network, build_network
from corridors.routing.api import route
from corridors.routing.graph import WEIGHTS
from corridors.routing.results import Leg, Route, Step

NETWORK: Network = build_network()
LINKED = sorted(set(NETWORK.links["from"]) | set(NETWORK.links["to"]))
STATUS_ORDER = ["operational", "under_construction", "planned", "proposed"]

places = st.sampled_from(LINKED)
weights = st.sampled_from(WEIGHTS)
mode_sets = st.sampled_from([None, ["rail"], ["road"], ["rail", "road"], ["rail", "sea"]])
# Deterministic by default so that CI is repeatable; set CORRIDORS_HYPOTHESIS_EXAMPLES (and
# CORRIDORS_HYPOTHESIS_RANDOM=1) to explore more widely.
property_settings = settings(
    max_examples=int(os.environ.get("CORRIDORS_HYPOTHESIS_EXAMPLES", "40")),
    derandomize=os.environ.get("CORRIDORS_HYPOTHESIS_RANDOM") != "1",
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def routes_or_none(origin: str, destination: str, **options: object) -> list[Route] | None:
    try:
        return list(route(NETWORK, origin, destination, **options).routes)
    except NoRoute:
        return None


def assert_valid_path(found: Route, origin: str, destination: str) -> None:
    legs = found.legs
    assert legs, "a route has at least one leg"
    assert legs[0].from_id == origin
    assert legs[-1].to_id == destination
    for before, after in pairwise(legs):
        assert before.to_id == after.from_id
    links = NETWORK.links
    for leg in legs:
        row = links.loc[leg.link_id]
        assert {leg.from_id, leg.to_id} == {row["from"], row["to"]}


def assert_every_change_is_a_step(found: Route) -> None:
    countries = NETWORK.nodes["country"]
    items = list(found.items)
    for index, item in enumerate(items):
        if not isinstance(item, Leg):
            continue
        if countries[item.from_id] != countries[item.to_id]:
            following = items[index + 1]
            assert getattr(following, "kind", "") == "border", item.link_id
        later = [i for i in items[index + 1 :] if isinstance(i, Leg)]
        if not later:
            continue
        nxt = later[0]
        between = items[index + 1 : items.index(nxt)]
        kinds = {getattr(step, "kind", "") for step in between}
        if item.mode != nxt.mode:
            assert "transfer" in kinds
        elif (
            item.mode == "rail"
            and None not in (item.gauge_mm, nxt.gauge_mm)
            and item.gauge_mm != nxt.gauge_mm
        ):
            assert "break_of_gauge" in kinds
    assert_no_free_gauge_change(items)


def assert_no_free_gauge_change(items: list[Leg | Step]) -> None:
    """Between two rail legs of different known gauges there is a break of gauge, even when
    lines of unpublished gauge lie between them."""
    last_gauge: int | None = None
    breaks = 0
    for item in items:
        if isinstance(item, Leg):
            if item.mode != "rail":
                last_gauge, breaks = None, 0
            elif item.gauge_mm is not None:
                if last_gauge is not None and item.gauge_mm != last_gauge:
                    assert breaks > 0, f"free change {last_gauge} to {item.gauge_mm} mm"
                last_gauge, breaks = item.gauge_mm, 0
        elif item.kind == "break_of_gauge":
            breaks += 1


@property_settings
@given(origin=places, destination=places, weight=weights, k=st.integers(1, 5), modes=mode_sets)
def test_routes_are_valid_ordered_loopless_and_best_first(
    origin: str, destination: str, weight: str, k: int, modes: list[str] | None
) -> None:
    assume(origin != destination)
    found = routes_or_none(
        origin, destination, weight=weight, alternatives=k, modes=modes, statuses=STATUS_ORDER
    )
    assume(found is not None)
    assert found is not None
    assert 1 <= len(found) <= k
    values = [r.value(weight) for r in found]
    assert values == sorted(values)
    assert values[0] == min(values)
    for alternative in found:
        assert_valid_path(alternative, origin, destination)
        assert len(alternative.node_ids) == len(set(alternative.node_ids)), "loopless"
        assert_every_change_is_a_step(alternative)
        if modes is not None:
            assert set(alternative.modes) <= set(modes)


@property_settings
@given(origin=places, destination=places, weight=weights, cut=st.integers(1, len(STATUS_ORDER) - 1))
def test_opening_more_links_never_makes_the_best_route_worse(
    origin: str, destination: str, weight: str, cut: int
) -> None:
    assume(origin != destination)
    fewer = routes_or_none(
        origin, destination, weight=weight, alternatives=1, statuses=STATUS_ORDER[:cut]
    )
    more = routes_or_none(
        origin, destination, weight=weight, alternatives=1, statuses=STATUS_ORDER[: cut + 1]
    )
    if fewer is None:
        return
    assert more is not None, "a route that exists stays when links open"
    assert more[0].value(weight) <= fewer[0].value(weight) + 1e-6


@pytest.mark.parametrize(
    "scenario", ["garabogaz_road", "afghan_railway", "horizon_2027", "all_planned"]
)
def test_scenarios_that_only_open_links_never_make_routes_worse(scenario: str) -> None:
    pairs = [
        ("aktau_seaport", "gorgan"),
        ("kuryk_seaport", "turkmenbashi_seaport"),
        ("turkmenbashi", "zhanaozen"),
        ("aktau_seaport", "kandahar"),
        ("turkmenbashi_seaport", "herat"),
        ("khaf", "kandahar"),
    ]
    for origin, destination in pairs:
        for weight in WEIGHTS:
            today = routes_or_none(origin, destination, weight=weight, alternatives=1)
            opened = routes_or_none(
                origin, destination, weight=weight, alternatives=1, scenario=scenario
            )
            if today is None:
                continue
            assert opened is not None
            assert opened[0].value(weight) <= today[0].value(weight) + 1e-6
