"""Scenario reports: every shipped scenario, tables that match routing, offline HTML."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from corridors.cli import main
from corridors.errors import NoRoute
from corridors.network.build import Network
from corridors.render.report import build_report, default_pairs, write_all_reports, write_report
from corridors.routing.api import route
from tests.browser import REPORT_READY, count, open_page

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def reports(network: Network, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    write_all_reports(network, folder)
    return folder


def test_a_report_for_every_shipped_scenario(network: Network, reports: Path) -> None:
    expected = set(network.seeds.scenarios)
    assert expected
    for name in expected:
        for suffix in (".html", ".md", ".json"):
            assert (reports / f"{name}{suffix}").stat().st_size > 1000
    index = (reports / "index.html").read_text(encoding="utf-8")
    for name in expected:
        assert f'href="{name}.html"' in index


def test_report_tables_match_routing(network: Network, reports: Path) -> None:
    data = json.loads((reports / "afghan_railway.json").read_text(encoding="utf-8"))
    pairs = data["comparison"]["pairs"]
    assert [(p["origin"], p["destination"]) for p in pairs] == default_pairs(network)
    for pair in pairs:
        for key, scenario in (("base", "current"), ("scenario", "afghan_railway")):
            try:
                expected = route(
                    network,
                    pair["origin"],
                    pair["destination"],
                    scenario=scenario,
                ).best
            except NoRoute:
                assert "reason" in pair[key]
                continue
            best = pair[key]["routes"][0]
            assert best["length_km"] == pytest.approx(expected.length_km, abs=1e-3)
            assert best["time_h"] == pytest.approx(expected.time_h, abs=1e-3)
            assert best["cost_usd_per_t"] == pytest.approx(expected.cost_usd_per_t, abs=1e-3)
    view = data["report"]
    kandahar = next(p for p in view["pairs"] if p["label"] == "Aktau seaport to Kandahar")
    expected = route(network, "aktau_seaport", "kandahar", scenario="afghan_railway").best
    assert kandahar["scenario"]["length_km"] == f"{expected.length_km:,.0f}"
    html = (reports / "afghan_railway.html").read_text(encoding="utf-8")
    assert f"{expected.time_h:,.1f}" in html
    assert "af_herat_kandahar_rail" in html
    markdown = (reports / "afghan_railway.md").read_text(encoding="utf-8")
    assert "| Aktau seaport to Kandahar |" in markdown


def test_report_quotes_facts_and_parameters_with_sources(reports: Path) -> None:
    html = (reports / "afghan_railway.html").read_text(encoding="utf-8")
    assert "1.5 million tonnes" in html
    assert "004_d541d46272f33c54.txt" in html
    assert "CAREC Corridor Performance Measurement" in html
    assert "<svg" in html
    assert "break of gauge" in html


def test_report_html_renders_offline(reports: Path) -> None:
    with open_page(reports / "afghan_railway.html", ready=REPORT_READY) as (page, report):
        assert report.console_errors == []
        assert report.page_errors == []
        assert report.failed_requests == []
        assert report.blocked_requests == []
        assert count(page, "#summary tr") > 5
        assert count(page, "svg rect") > 10
        frame = page.frame_locator("iframe")
        assert frame.locator("path.cm-change").count() == 4


def test_single_report_writes_three_files(network: Network, tmp_path: Path) -> None:
    report = build_report(network, "garabogaz_road", pairs=[("Turkmenbashi", "Zhanaozen")])
    written = write_report(report, tmp_path / "garabogaz.html")
    assert [p.name for p in written] == ["garabogaz.html", "garabogaz.md", "garabogaz.json"]
    assert not list(tmp_path.glob(".report-*"))


def test_unknown_place_in_od_leaves_no_report(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    result = CliRunner().invoke(
        main, ["report", "afghan_railway", "--od", "Aktao:Kandahar", "-o", str(target)]
    )
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: unknown place 'Aktao'. Did you mean 'Aktau'? Use a place name, a node id, "
        "or lon,lat (corridors places lists them)"
    ]
    assert not tmp_path.exists() or not list(tmp_path.iterdir())


def test_bad_scenario_file_leaves_no_report(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    (seeds / "scenarios" / "afghan_railway.yaml").write_text(
        "name: afghan_railway\ntitle: x\ndescription: x\nbase: current\n"
        "changes:\n  open: [af_herat_kandahar_rial]\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["report", "afghan_railway", "--seeds", str(seeds), "-o", str(out / "r.html")]
    )
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith(
        "error: scenarios/afghan_railway.yaml: changes.open: unknown link "
        "'af_herat_kandahar_rial'. Fix: did you mean 'af_herat_kandahar_rail'"
    )
    assert line.endswith("or add it to links.yaml or to changes.add_links")
    assert not out.exists()


def test_report_all_from_the_command_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["report", "--all", "-o", str(tmp_path / "all"), "--od", "Aktau seaport:Gorgan"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "all" / "index.html").exists()
    assert (tmp_path / "all" / "afghan_railway.md").exists()
