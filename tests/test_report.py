"""Scenario reports: every shipped scenario, tables that match routing, offline HTML."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jinja2 import Environment

from corridors.analysis import compare as compare_module
from corridors.cli import main
from corridors.data.seeds import load_seeds
from corridors.errors import NoRoute
from corridors.network.build import Network, build_network
from corridors.render import report as report_module
from corridors.render import report_templates
from corridors.render.report import (
    PdfUnavailable,
    build_report,
    default_pairs,
    transport_fact,
    write_all_reports,
    write_report,
    write_report_pdf,
)
from corridors.routing.api import route
from tests.browser import REPORT_READY, count, open_page
from tests.toy import write_toy_seeds

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
    pairs = data["pairs"]
    ids = [(p["origin"]["node_id"], p["destination"]["node_id"]) for p in pairs]
    assert ids == default_pairs(network)
    for pair in pairs:
        for key, scenario in (("base", "current"), ("scenario", "afghan_railway")):
            try:
                expected = route(
                    network,
                    pair["origin"]["node_id"],
                    pair["destination"]["node_id"],
                    scenario=scenario,
                ).best
            except NoRoute:
                assert pair[key]["best"] is None
                assert pair[key]["reason"]
                continue
            best = pair[key]["best"]
            assert best == pair[key]["routes"][0] | {"label": best["label"]}
            assert best["length_km"] == pytest.approx(expected.length_km, abs=1e-3)
            assert best["time_h"] == pytest.approx(expected.time_h, abs=1e-3)
            assert best["cost_usd_per_t"] == pytest.approx(expected.cost_usd_per_t, abs=1e-3)
    kandahar = next(p for p in pairs if p["label"] == "Aktau seaport to Kandahar")
    expected = route(network, "aktau_seaport", "kandahar", scenario="afghan_railway").best
    assert kandahar["scenario"]["best"]["length_km"] == pytest.approx(expected.length_km, abs=1e-3)
    html = (reports / "afghan_railway.html").read_text(encoding="utf-8")
    assert f"{expected.time_h:,.1f}" in html
    assert "af_herat_kandahar_rail" in html
    markdown = (reports / "afghan_railway.md").read_text(encoding="utf-8")
    assert "| Aktau seaport to Kandahar |" in markdown


def test_report_quotes_facts_and_parameters_with_sources(network: Network, reports: Path) -> None:
    html = (reports / "afghan_railway.html").read_text(encoding="utf-8")
    assert "1.5 million tonnes" in html
    document = network.seeds.sources["004_d541d46272f33c54.txt"]
    assert f"{document.publisher}, {document.title}" in html
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
        "error: unknown place 'Aktao'. Did you mean 'Aktau' or 'Aktobe'? Use a place name, a "
        "node id, or lon,lat (corridors places lists them)"
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


# ------------------------------------------------------------------ layout and content

NUMERIC_TEXT = re.compile(r"^[+-]?[\d,]+(\.\d+)?$")


def _walk(value: Any, where: str = "$") -> Iterator[tuple[str, Any]]:
    yield where, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{where}[{index}]")


@pytest.mark.parametrize("name", ["afghan_railway", "current"])
def test_report_json_holds_numbers_as_numbers(reports: Path, name: str) -> None:
    data = json.loads((reports / f"{name}.json").read_text(encoding="utf-8"))
    assert set(data) >= {"title", "summary", "pairs", "sources", "facts", "parameters"}
    assert "report" not in data
    assert "comparison" not in data
    assert "map_html" not in data
    # dates and periods are ISO 8601 text, and a year alone ("2025") is one
    numeric = [
        (where, v)
        for where, v in _walk(data)
        if isinstance(v, str)
        and NUMERIC_TEXT.match(v)
        and not (where.endswith((".date", ".period")) and re.match(r"^\d{4}$", v))
    ]
    assert numeric == []
    numbers = [v for _, v in _walk(data) if isinstance(v, float)]
    assert len(numbers) > 100


def test_report_opens_with_a_summary_and_a_map_of_sensible_height(reports: Path) -> None:
    with open_page(reports / "afghan_railway.html", ready=REPORT_READY) as (page, report):
        assert report.page_errors == []
        order = page.evaluate(
            """() => ['#executive-summary', 'iframe.map', '#summary', '#sources', '#appendix']
                .map(s => document.querySelector(s).getBoundingClientRect().top + scrollY)"""
        )
        assert order == sorted(order)
        height = page.evaluate("document.querySelector('iframe.map').offsetHeight")
        assert 480 <= height <= 560
        assert order[1] < 1500
        assert count(page, "#headline li") == 3
        headline = page.locator("#headline").inner_text()
        assert "%" in headline
        assert "Driven by:" in headline
        assert count(page, "#unchanged tr") > 1
        # place names, not node ids, outside the id columns
        summary = page.locator("#summary").inner_text()
        assert "Aktau seaport to Kandahar" in summary
        assert "aktau_seaport" not in summary


def test_baseline_report_has_no_before_and_after(reports: Path) -> None:
    html = (reports / "current.html").read_text(encoding="utf-8")
    assert "<h1>Baseline report:" in html
    assert "Base h" not in html
    assert "Change h" not in html
    assert "<h2>Today's routes</h2>" in html
    data = json.loads((reports / "current.json").read_text(encoding="utf-8"))
    assert data["baseline"] is True
    assert all("base" not in pair for pair in data["pairs"])


def test_report_keeps_transport_facts_only(network: Network, reports: Path) -> None:
    data = json.loads((reports / "afghan_railway.json").read_text(encoding="utf-8"))
    topics = {fact["topic"] for fact in data["facts"]}
    assert "rail freight" in topics
    assert "ports" in topics
    assert not topics & {"energy", "education", "diplomacy", "agriculture", "industry"}
    assert len(data["facts"]) == sum(transport_fact(f.topic) for f in network.seeds.facts.values())


def test_report_cites_publisher_title_date_with_web_links(network: Network, reports: Path) -> None:
    data = json.loads((reports / "afghan_railway.json").read_text(encoding="utf-8"))
    for source in data["sources"]:
        seed = network.seeds.sources[source["id"]]
        assert source["citation"].startswith(f"{seed.publisher}, {seed.title}")
        assert source["url"] == "" or re.match(r"^https?://\S+$", source["url"]), source
    with open_page(reports / "afghan_railway.html", ready=REPORT_READY) as (page, _):
        hrefs = page.evaluate(
            "Array.from(document.querySelectorAll('#sources a')).map(a => a.href)"
        )
        assert hrefs
        assert all(href.startswith(("http://", "https://")) for href in hrefs)


def test_markdown_autolinks_are_valid(reports: Path) -> None:
    markdown = (reports / "afghan_railway.md").read_text(encoding="utf-8")
    links = re.findall(r"<([^>]*)>", markdown)
    assert links
    for link in links:
        assert re.match(r"^https?://[^\s<>]+$", link), link
    assert "## Appendix" in markdown
    assert markdown.index("## Executive summary") < markdown.index("## Appendix")


def test_index_summarises_every_scenario(network: Network, reports: Path) -> None:
    with open_page(reports / "index.html", ready="true") as (page, _):
        rows = page.locator("#scenarios tr").all_inner_texts()
        assert len(rows) == 1 + len(network.seeds.scenarios)
        assert "Improved" in rows[0]
        assert "Largest time change" in rows[0]
        afghan = next(row for row in rows if "Turgundi-Herat-Kandahar" in row)
        assert " h" in afghan
        assert "US$/t" in afghan
        assert any("baseline" in row for row in rows)


# ------------------------------------------------------------------------------ PDF


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_pdf_of_a_small_report(tmp_path: Path) -> None:
    toy = build_network(load_seeds(write_toy_seeds(tmp_path / "seeds")))
    report = build_report(toy, "with_spur", pairs=[("Aktau seaport", "Bolashak")])
    written = write_report(report, tmp_path / "toy.html", pdf=True)
    assert [p.suffix for p in written] == [".html", ".md", ".json", ".pdf"]
    pdf = written[-1].read_bytes()
    assert pdf.startswith(b"%PDF")
    assert 2 <= _pages(pdf) <= 8
    for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf):  # A4 landscape, in points
        width, height = (float(v) for v in box.split()[2:])
        assert width == pytest.approx(842, abs=2)
        assert height == pytest.approx(596, abs=2)


def test_pdf_of_a_real_report_with_one_pair(network: Network, tmp_path: Path) -> None:
    report = build_report(network, "afghan_railway", pairs=[("Aktau seaport", "Kandahar")])
    path = write_report_pdf(report, tmp_path / "kandahar.pdf")
    # the appendix lists every parameter with its source and the calibration table
    assert 2 <= _pages(path.read_bytes()) <= 20


def test_pdf_needs_chromium(
    network: Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_module, "_CHROMIUM", str(tmp_path / "no-chromium"))
    report = build_report(network, "garabogaz_road", pairs=[("Turkmenbashi", "Zhanaozen")])
    with pytest.raises(PdfUnavailable, match="PDF export needs headless Chromium"):
        write_report(report, tmp_path / "r.html", pdf=True)
    assert not tmp_path.joinpath("r.html").exists()


def test_report_pdf_from_the_command_line(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    result = CliRunner().invoke(
        main,
        ["report", "garabogaz_road", "--od", "Turkmenbashi:Zhanaozen", "-o", str(target), "--pdf"],
    )
    assert result.exit_code == 0, result.output
    assert _pages(target.with_suffix(".pdf").read_bytes()) >= 1


def test_printed_report_fits_an_a4_landscape_page(reports: Path) -> None:
    # A4 landscape less 10 mm margins is 277 mm wide: 1047 CSS pixels
    with open_page(reports / "afghan_railway.html", ready=REPORT_READY, width=1047) as (page, _):
        page.emulate_media(media="print")
        widths = page.evaluate(
            "[document.documentElement.scrollWidth,"
            " Math.max(...Array.from(document.querySelectorAll('table'))"
            ".map(t => t.getBoundingClientRect().right))]"
        )
        assert max(widths) <= 1047 + 1
        breaks = page.evaluate("getComputedStyle(document.querySelector('#appendix')).breakBefore")
        assert breaks == "page"


@pytest.mark.parametrize(
    "value",
    [
        {"a": [], "b": {}, "c": [[], {}], "d": ({"e": (1, 2.5)},)},
        {"text": 'Актау\u2028</script>\\ "quoted" \t\x00', "n": [0, -0.0, 1e-7, 1e16, 2**70]},
        {7: "int key", 2.5: "float key", True: "true key", False: "false", None: "null key"},
        [True, False, None, 3, -4.25, "x"],
        "just text",
        12,
        [],
    ],
)
def test_report_json_is_the_standard_indented_json(value: object) -> None:
    expected = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    assert report_module._indented_json(value) == expected


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ({"x": float("nan")}, ValueError),
        ([float("inf")], ValueError),
        ({float("-inf"): 1}, ValueError),
        ({"x": object()}, TypeError),
        ({(1, 2): "tuple key"}, TypeError),
    ],
)
def test_report_json_refuses_what_json_refuses(value: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    with pytest.raises(error):
        report_module._indented_json(value)


def test_all_reports_route_the_shared_base_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toy = build_network(load_seeds(write_toy_seeds(tmp_path / "seeds")))
    routed: list[str] = []

    def counting(applied: object, *places: object, **options: object) -> object:
        routed.append(applied.name)  # type: ignore[attr-defined]
        return route(applied, *places, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(compare_module, "route", counting)
    write_all_reports(toy, tmp_path / "reports")
    scenarios = sorted(toy.seeds.scenarios)
    pairs = len(default_pairs(toy))
    # every report is against `current`; the baseline is `current` against itself
    assert sorted(routed) == sorted(name for name in scenarios for _ in range(pairs))
    for name in scenarios:
        data = json.loads((tmp_path / "reports" / f"{name}.json").read_text(encoding="utf-8"))
        assert data["pairs"][0]["scenario"]["best"] is not None


def test_report_templates_read_a_dict_as_jinja_does() -> None:
    source = "{{ d.pairs }}|{{ d.items is callable }}|{{ d.missing is defined }}|{{ o.real }}"
    values = {"d": {"pairs": 3, "items": "a key", "values": 1}, "o": 2}
    ours = report_templates._Environment(autoescape=True).from_string(source).render(**values)
    assert ours == Environment(autoescape=True).from_string(source).render(**values)
    assert ours == "3|True|False|2"
