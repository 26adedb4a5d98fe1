"""Monte Carlo, ranges and sensitivity on the toy network (tests/toy.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from corridors.analysis.uncertainty import (
    improvement,
    resolve_ranges,
    scenario_ranges,
    sensitivity,
    simulate,
)
from corridors.analysis.uncertainty.sampling import draw
from corridors.data.schema import Uncertainty
from corridors.data.seeds import load_seeds
from corridors.data.uncertainty import load_uncertainty
from corridors.errors import InvalidArgument, InvalidSeed
from corridors.network.build import Network, build_network
from corridors.render.report import build_report, write_report
from corridors.render.uncertainty import range_chart_svg
from corridors.routing.api import resolve_scenario, route
from tests.toy import write_toy_seeds


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seeds = write_toy_seeds(tmp_path_factory.mktemp("toy") / "seeds")
    (seeds / "scenarios" / "quicker_border.yaml").write_text(QUICKER_BORDER)
    return seeds


QUICKER_BORDER = """
name: quicker_border
title: A quicker border
description: The toy crossing gets its own dwell of 19 h each way, for both sides together.
base: current
changes:
  border_crossings:
    - link: crossing
      name: Bolashak - Serhetyaka
      forward: {dwell_h: 19, cost_usd_per_t: 8}
      reverse: {dwell_h: 19, cost_usd_per_t: 8}
      source: osm
sources: [osm]
"""


@pytest.fixture(scope="module")
def toy(folder: Path) -> Network:
    return build_network(folder)


@pytest.fixture(scope="module")
def uncertainty(toy: Network) -> Uncertainty:
    return load_uncertainty(toy.seeds)


def _routes(toy: Network, weight: str = "time"):
    return route(
        toy,
        "Aktau seaport",
        "Serhetyaka",
        weight=weight,
        statuses=["operational", "planned"],
        modes=["rail"],
    )


def test_specific_ranges_and_kind_defaults(toy: Network, uncertainty: Uncertainty) -> None:
    assert toy.seeds.parameters is not None
    ranges = resolve_ranges(uncertainty, toy.seeds.parameters)
    border = ranges["border_default:rail", "time"]
    assert (border.low, border.likely, border.high) == (6, 10, 40)
    assert border.source == "osm"
    sea = ranges["speed:sea", "time"]
    assert (sea.low, sea.likely, sea.high) == (20, 25, pytest.approx(27.5))
    wait = ranges["transfer:rail->sea", "time"]
    assert (wait.kind, wait.distribution, wait.low, wait.high) == ("ferry_wait", "pert", 15, 75)


def test_at_likely_the_p50_is_the_deterministic_result(
    toy: Network, uncertainty: Uncertainty
) -> None:
    found = _routes(toy)
    ranges = scenario_ranges(resolve_scenario(toy), uncertainty, at_likely=True)
    result = simulate(found.routes, ranges, samples=101, seed=3)
    p50 = result.percentiles("time")[:, 1]
    assert p50 == pytest.approx([r.time_h for r in found.routes], rel=1e-12)
    cost = result.percentiles("cost")[:, 1]
    assert cost == pytest.approx([r.cost_usd_per_t for r in found.routes], rel=1e-12)


def test_the_same_seed_gives_the_same_numbers(toy: Network, uncertainty: Uncertainty) -> None:
    found = _routes(toy)
    ranges = scenario_ranges(resolve_scenario(toy), uncertainty)
    one = simulate(found.routes, ranges, samples=500, seed=7)
    two = simulate(found.routes, ranges, samples=500, seed=7)
    other = simulate(found.routes, ranges, samples=500, seed=8)
    assert np.array_equal(one.time_h, two.time_h)
    assert not np.array_equal(one.time_h, other.time_h)


def test_samples_spread_within_the_ranges(toy: Network, uncertainty: Uncertainty) -> None:
    assert toy.seeds.parameters is not None
    ranges = resolve_ranges(uncertainty, toy.seeds.parameters)
    chosen = [ranges["border_default:rail", "time"], ranges["transfer:rail->sea", "time"]]
    values = draw(chosen, 20_000, seed=1)
    assert values[0].min() >= 6
    assert values[0].max() <= 40
    # PERT (6, 10, 40): mean (6 + 4 * 10 + 40) / 6
    assert values[0].mean() == pytest.approx(86 / 6, rel=0.02)
    # PERT (15, 30, 75): mean (15 + 4 * 30 + 75) / 6
    assert values[1].mean() == pytest.approx(35, rel=0.02)


def test_routes_share_their_draws(toy: Network, uncertainty: Uncertainty) -> None:
    found = _routes(toy)
    assert len(found.routes) >= 2
    ranges = scenario_ranges(resolve_scenario(toy), uncertainty)
    result = simulate(found.routes, ranges, samples=2000, seed=0)
    # both routes cross by the same border and run at the same rail speed: they move together
    corr = np.corrcoef(result.time_h[0], result.time_h[1])[0, 1]
    assert corr > 0.99
    alone = simulate(found.routes[1:2], ranges, samples=2000, seed=0)
    assert np.array_equal(alone.time_h[0], result.time_h[1])


def test_within_and_beats_best(toy: Network, uncertainty: Uncertainty) -> None:
    found = _routes(toy)
    ranges = scenario_ranges(resolve_scenario(toy), uncertainty)
    result = simulate(found.routes, ranges, samples=1000, seed=0)
    rows = result.summary("time", within_h=found.best.time_h)
    assert rows[0]["p_beats_best"] == 0
    assert 0 < rows[0]["p_within"] < 1
    assert rows[0]["time_h_p10"] <= rows[0]["time_h_p50"] <= rows[0]["time_h_p90"]
    assert result.within(1e9).tolist() == [1.0] * len(found.routes)


def test_sensitivity_ranks_the_parameters(toy: Network, uncertainty: Uncertainty) -> None:
    found = _routes(toy)
    ranges = scenario_ranges(resolve_scenario(toy), uncertainty)
    result = sensitivity(found.routes, ranges, "time")
    bars = result.bars[0]
    swings = [bar.swing for bar in bars]
    assert swings == sorted(swings, reverse=True)
    top = bars[0]
    # the border (two sides of the default, 6-40 h around 10 h, drawn together) swings more
    # than the rail speed (16.7 h at 0.8-1.1)
    assert top.range.label == "border_default:rail (time)"
    assert top.time_h == (
        pytest.approx(found.best.time_h - 8),
        pytest.approx(found.best.time_h + 60),
    )
    data = result.to_dict()
    assert data["routes"][0]["tornado"][0]["parameter"] == top.range.label


def test_a_change_that_is_and_is_not_robust(toy: Network, uncertainty: Uncertainty) -> None:
    ranges = scenario_ranges(resolve_scenario(toy), uncertainty)
    today = route(toy, "Aktau seaport", "Serhetyaka", weight="time", modes=["rail"]).best
    same = improvement(today, ranges, today, ranges, weight="time", samples=500)
    assert (same.probability, same.verdict) == (0, "no change")
    spur = _routes(toy).best
    assert spur.time_h < today.time_h
    # the spur saves 0.3 h on the same border and rail speed: better on every draw
    better = improvement(today, ranges, spur, ranges, weight="time", samples=500)
    assert (better.probability, better.verdict) == (1.0, "robust improvement")
    # a crossing-specific dwell of 19 h instead of the two 10 h default sides: its own,
    # independent draw
    quicker = resolve_scenario(toy, "quicker_border")
    faster = route(quicker, "Aktau seaport", "Serhetyaka", weight="time", modes=["rail"]).best
    assert faster.time_h == pytest.approx(today.time_h - 1)
    noisy = improvement(
        today, ranges, faster, scenario_ranges(quicker, uncertainty), weight="time", samples=2000
    )
    assert 0.1 < noisy.probability < 0.9
    assert noisy.verdict == "within the noise"
    with pytest.raises(InvalidArgument, match="samples"):
        simulate([today], ranges, samples=0)


def test_unknown_key_and_range_outside_the_value(folder: Path, tmp_path: Path) -> None:
    seeds = load_seeds(folder)
    text = (folder / "uncertainty.yaml").read_text()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "uncertainty.yaml").write_text(
        text.replace(
            '"border_default:rail", term: time, low: 6', '"border_default:rial", term: time, low: 6'
        ).replace('"speed:sea", term: time, low: 20', '"speed:sea", term: time, low: 30')
    )
    with pytest.raises(InvalidSeed) as caught:
        load_uncertainty(seeds, bad)
    message = str(caught.value)
    assert "uncertainty.yaml" in message
    assert "unknown parameter key 'border_default:rial'" in message
    assert "did you mean 'border_default:rail'" in message
    assert "does not hold the most likely value 25" in message


def test_charts_escape_their_labels() -> None:
    hostile = "<script>alert(1)</script>&"
    svg = range_chart_svg([(hostile, 1.0, 2.0, 3.0), ("b", 2.0, 2.5, 4.0)], unit="h")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert range_chart_svg([], unit="h") == ""


def test_a_report_with_samples_has_a_reliability_section(toy: Network, tmp_path: Path) -> None:
    report = build_report(
        toy, "quicker_border", pairs=[("aktau_seaport", "serhetyaka")], weight="time", samples=200
    )
    written = write_report(report, tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text()
    assert 'id="reliability"' in page
    assert 'class="tornado chart"' in page
    data = json.loads((tmp_path / "r.json").read_text())
    [row] = data["reliability"]
    assert row["verdict"] == "within the noise"
    assert row["tornado"][0]["parameter"]
    assert "## Reliability" in (tmp_path / "r.md").read_text()
    assert len(written) == 3
    plain = build_report(toy, "quicker_border", pairs=[("aktau_seaport", "serhetyaka")])
    assert plain.reliability == ()


def test_real_seeds_ranges_hold_their_parameters(network: Network) -> None:
    """Real-seed fact: uncertainty.yaml validates; the KZ-TM rail border has its CPMM range."""
    found = load_uncertainty(network.seeds)
    assert network.seeds.parameters is not None
    ranges = resolve_ranges(found, network.seeds.parameters)
    inbound = ranges["border_side:KZ:rail:inbound:dostyk", "time"]
    assert (inbound.low, inbound.likely, inbound.high) == (54.4, 78.0, 78.0)
    assert inbound.source == "cpmm_kazakhstan"
    assert all(r.low <= r.likely <= r.high for r in ranges.values())
