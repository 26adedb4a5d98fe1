"""Text from seeds and scenario files is shown as text: never template source, markup or script.

Every text field of a small seeds folder (see ``tests/hostile.py``) holds ``{{ 7*7 }}``, a raw
block, ``<script>``, ``</script>``, an event handler, a backtick, ``${...}``, both quotes, a
backslash, a pipe, a Markdown link and rich markup. Every kind of map and report is written from
it and checked: nothing is evaluated, every inline script parses, the pages draw with no error
or dialog in Chromium and show the text as written, Markdown holds no raw HTML and JSON
round-trips.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.table import Table

from corridors.analysis.compare import compare
from corridors.data.seeds import load_seeds
from corridors.network.build import Network, build_network
from corridors.render import escape
from corridors.render.maps import comparison_map, network_map, route_map
from corridors.render.offline import save_map
from corridors.render.report import build_report, write_report
from corridors.render.route_tables import legs_table, routes_table
from corridors.render.tables import comparison_table, line_table, network_table
from corridors.routing.api import route
from tests.browser import REPORT_READY, PageReport, count, open_page
from tests.hostile import HOSTILE, MARKER, hostile, write_hostile_seeds

NODE = shutil.which("node") or "node"  # Node.js, installed by the test set-up (README)
PAIR = ("zhetybai_station", "aktau_seaport")
PAIR_KEYS = ("zhetybai", "aktau")
MAPS = ["network", "network_scenario", "route", "route_scenario", "comparison"]
#: Where a marker's hostile text must still hold its template syntax, however it is encoded.
_AFTER_MARKER = re.compile(MARKER + r"[a-z]+(.{0,80})", re.S)
_UNEVALUATED = re.compile(r"7\*7")
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_SRCDOC = re.compile(r'srcdoc="([^"]*)"')


@pytest.fixture(scope="module")
def hostile_network(tmp_path_factory: pytest.TempPathFactory) -> Network:
    seeds = write_hostile_seeds(tmp_path_factory.mktemp("hostile") / "seeds")
    return build_network(load_seeds(seeds))


@pytest.fixture(scope="module")
def written(hostile_network: Network, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every kind of map and report, written from the hostile seeds."""
    folder = tmp_path_factory.mktemp("written")
    routes = route(hostile_network, *PAIR, scenario="hostile", alternatives=3)
    comparison = compare(hostile_network, "hostile", [PAIR])
    files = {
        "network": save_map(network_map(hostile_network), folder / "network.html"),
        "network_scenario": save_map(
            network_map(hostile_network, scenario="hostile"), folder / "network_scenario.html"
        ),
        "route": save_map(
            route_map(hostile_network, route(hostile_network, *PAIR)), folder / "route.html"
        ),
        "route_scenario": save_map(route_map(hostile_network, routes), folder / "route_s.html"),
        "comparison": save_map(
            comparison_map(hostile_network, comparison), folder / "comparison.html"
        ),
    }
    report = build_report(hostile_network, "hostile")
    html_file, md_file, json_file = write_report(report, folder / "report.html")
    files.update({"report_html": html_file, "report_md": md_file, "report_json": json_file})
    return files


def test_the_seeds_hold_the_hostile_text(hostile_network: Network) -> None:
    nodes = hostile_network.nodes
    assert nodes.loc["aktau_seaport", "name"] == hostile("aktauname")
    assert hostile_network.links.loc["port_line", "name"] == hostile("portlinkname")
    assert hostile_network.seeds.scenarios["hostile"].title == hostile("scenariotitle")
    assert hostile_network.seeds.sources["osm"].title == hostile("osmtitle")


# ------------------------------------------------------------------------- written files


def _documents(text: str) -> Iterator[str]:
    """Yield a page and every page embedded in it as an iframe ``srcdoc``."""
    yield text
    for match in _SRCDOC.finditer(text):
        yield from _documents(html.unescape(match.group(1)))


@pytest.mark.parametrize("name", [*MAPS, "report_html", "report_md", "report_json"])
def test_no_template_syntax_from_the_data_is_evaluated(written: dict[str, Path], name: str) -> None:
    text = written[name].read_text(encoding="utf-8")
    markers = 0
    for document in _documents(text):
        for match in _AFTER_MARKER.finditer(document):
            markers += 1
            assert _UNEVALUATED.search(match.group(1)), match.group(0)
        assert "49 <script" not in html.unescape(document)
    assert markers > 0


def test_maps_show_every_kind_of_hostile_text(written: dict[str, Path]) -> None:
    text = written["network_scenario"].read_text(encoding="utf-8")
    for field in (
        "aktauname",
        "aktaulocal",
        "aktaunotes",
        "portlinkname",
        "portlinknotes",
        "osmtitle",
        "osmpublisher",
        "osmfile",
        "osmdate",
        "osmurl",
        "scenariotitle",
        "currenttitle",
    ):
        assert MARKER + field in text, field


def _inline_scripts(text: str) -> Iterator[str]:
    for document in _documents(text):
        for match in _SCRIPT.finditer(document):
            attributes, body = match.groups()
            if "src=" in attributes or ("type=" in attributes and "javascript" not in attributes):
                continue
            yield body


def test_every_inline_script_parses(written: dict[str, Path], tmp_path: Path) -> None:
    checked: set[str] = set()
    for name in [*MAPS, "report_html"]:
        scripts = list(_inline_scripts(written[name].read_text(encoding="utf-8")))
        assert scripts, name
        for body in scripts:
            digest = hashlib.sha256(body.encode()).hexdigest()
            if digest in checked:
                continue
            checked.add(digest)
            script = tmp_path / f"{digest[:16]}.js"
            script.write_text(body, encoding="utf-8")
            result = subprocess.run(
                [str(NODE), "--check", str(script)],
                capture_output=True,
                text=True,
                check=False,
            )
            assert result.returncode == 0, f"{name}: {result.stderr[-2000:]}"
    assert len(checked) > 4


def _table_blocks(markdown: str) -> Iterator[list[str]]:
    block: list[str] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
        elif block:
            yield block
            block = []


def test_markdown_escapes_html_pipes_and_line_breaks(written: dict[str, Path]) -> None:
    markdown = written["report_md"].read_text(encoding="utf-8")
    assert not re.search(r"<\s*/?\s*(script|img)", markdown, re.I)
    assert "](javascript" not in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown
    assert "&lt;img src=x onerror=alert(2)&gt;" in markdown
    assert MARKER + "scenariotitle" in markdown
    assert MARKER + "factstatement" in markdown
    assert "second line" in markdown
    blocks = list(_table_blocks(markdown))
    assert len(blocks) >= 4
    for block in blocks:
        assert block[1].startswith("| ---"), block
        cells = {line.count("|") for line in block}
        assert len(cells) == 1, block
        for line in block:
            assert line.endswith("|"), line


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_json_round_trips_the_hostile_text(
    written: dict[str, Path], hostile_network: Network
) -> None:
    data = json.loads(written["report_json"].read_text(encoding="utf-8"))
    strings = set(_strings(data))
    scenario = hostile_network.seeds.scenarios["hostile"]
    for exact in (
        hostile("factstatement"),
        "trade " + hostile("facttopic"),
        hostile("osmtitle"),
        hostile("osmpublisher"),
        hostile("cutofflinkname"),
        hostile("pairnote"),
        scenario.description,
        f"Scenario report: {scenario.title}",
        f"{hostile('zhetybainame')} to {hostile('aktauname')}",
    ):
        assert exact in strings, exact
    assert any(hostile("mangyshlakname") in text for text in strings)


# ------------------------------------------------------------------------------- browser


def assert_clean(report: PageReport) -> None:
    assert report.console_errors == []
    assert report.page_errors == []
    assert report.failed_requests == []
    assert report.blocked_requests == []
    assert report.dialogs == []


def _normal(text: str) -> str:
    return " ".join(text.split())


def _open_on(page: Any, selector: str) -> tuple[str, str]:
    """Hover and click the first element matching ``selector``; return tooltip and popup text."""
    box = page.locator(selector).first.bounding_box()
    position = {"clientX": box["x"] + box["width"] / 2, "clientY": box["y"] + box["height"] / 2}
    page.dispatch_event(selector, "mouseover", position)
    tooltip = page.evaluate(
        "Array.from(document.querySelectorAll('.leaflet-tooltip')).pop().textContent"
    )
    page.dispatch_event(selector, "click", position)
    page.wait_for_timeout(100)
    popup = _popup_text(page)
    page.dispatch_event(selector, "mouseout", position)
    return str(tooltip), str(popup)


def _popup_text(page: Any, selector: str = "") -> str:
    """Text of the newest open popup (a closed one fades out for a while), or of a part of it."""
    found = page.evaluate(
        """selector => {
            const popups = document.querySelectorAll('.leaflet-popup-content');
            const popup = popups[popups.length - 1];
            const part = popup && selector ? popup.querySelector(selector) : popup;
            return part ? part.textContent : '';
        }""",
        selector,
    )
    return str(found)


def _text(page: Any, selector: str) -> str:
    return str(page.evaluate(f"document.querySelector({selector!r}).textContent"))


def _layer_names(page: Any) -> list[str]:
    names = page.locator(".leaflet-control-layers label").all_inner_texts()
    return [name.strip() for name in names]


def _close_popups(page: Any) -> None:
    page.evaluate(
        "document.querySelectorAll('.leaflet-popup-close-button').forEach(b => b.click())"
    )
    page.wait_for_timeout(300)


@pytest.mark.parametrize("name", ["network", "network_scenario"])
def test_network_map_in_a_browser(
    written: dict[str, Path], hostile_network: Network, name: str
) -> None:
    with open_page(written[name]) as (page, report):
        assert_clean(report)
        assert count(page, "path.cm-link") == len(hostile_network.links)
        assert count(page, "path.cm-node") == len(hostile_network.nodes)
        assert count(page, "path.cm-scenario") > 0
        names = _layer_names(page)
        assert f"Scenario: {hostile('scenariotitle')}" in names
        assert f"Scenario: {hostile('currenttitle')}" in names
        tooltip, popup = _open_on(page, "path.cm-link-port_line")
        assert tooltip.strip() == f"{hostile('portlinkname')} (operational)"
        assert _popup_text(page, ".cm-title") == hostile("portlinkname")
        assert _normal(_popup_text(page, ".cm-notes")) == _normal(
            hostile("portlinknotes") + "\nsecond line"
        )
        for field in ("osmtitle", "osmpublisher", "osmfile", "osmdate"):
            assert hostile(field) in popup, field
        href = str(
            page.evaluate(
                "Array.from(document.querySelectorAll('.leaflet-popup-content a')).pop().href"
            )
        )
        assert href.startswith(f"https://example.org/{MARKER}osmurl")
        _close_popups(page)
        tooltip, _ = _open_on(page, "path.cm-node")
        title = _popup_text(page, ".cm-title")
        assert title in {hostile(f"{key}name") for key in ("aktau", "mangyshlak", "zhetybai")}
        assert _popup_text(page, ".cm-local") == title.replace("name ", "local ", 1)
        assert tooltip.strip() == title
        assert_clean(report)


@pytest.mark.parametrize("name", ["route", "route_scenario"])
def test_route_map_in_a_browser(written: dict[str, Path], name: str) -> None:
    with open_page(written[name]) as (page, report):
        assert_clean(report)
        assert count(page, "path.cm-route-1") > 0
        assert count(page, "#cm-panel") == 1
        tooltip, popup = _open_on(page, "path.cm-route-1")
        assert tooltip.strip().startswith("#1 ")
        title = _popup_text(page, ".cm-title")
        assert title.rsplit(" (", 1)[0] in {
            hostile(f"{key}linkname") for key in ("port", "main", "cutoff")
        }
        _close_popups(page)
        tooltip, _ = _open_on(page, "path.cm-step")
        assert tooltip.strip() in {
            f"{end}: {hostile(key + 'name')}" for end in ("Start", "End") for key in PAIR_KEYS
        } | {f"break of gauge: break of gauge 1520 to 1435 mm at {hostile('mangyshlakname')}"}
        if name == "route":
            _close_popups(page)
            tooltip, popup = _open_on(page, "path.cm-step-break_of_gauge")
            assert tooltip.strip().endswith(hostile("mangyshlakname"))
            assert hostile("mangyshlakname") in popup
        assert_clean(report)


def test_comparison_map_in_a_browser(written: dict[str, Path]) -> None:
    with open_page(written["comparison"]) as (page, report):
        assert_clean(report)
        assert count(page, "path.cm-change") == 1
        assert count(page, "path.cm-route-scenario") > 0
        tooltip, _ = _open_on(page, "path.cm-change")
        assert tooltip.strip() == f"{hostile('cutofflinkname')}: new to operational"
        assert "Links changed by 'hostile'" in _layer_names(page)
        assert_clean(report)


def test_report_in_a_browser(written: dict[str, Path], hostile_network: Network) -> None:
    scenario = hostile_network.seeds.scenarios["hostile"]
    with open_page(written["report_html"], ready=REPORT_READY) as (page, report):
        assert_clean(report)
        assert count(page, "script") == 0
        assert count(page, "img") == 0
        assert _text(page, "h1") == f"Scenario report: {scenario.title}"
        assert _text(page, "title") == f"Scenario report: {scenario.title}"
        assert _normal(_text(page, "h1 + p")) == _normal(scenario.description)
        body = str(page.evaluate("document.body.textContent"))
        for field in ("factstatement", "facttopic", "osmtitle", "pairnote", "aktauname"):
            assert hostile(field) in body, field
        frame = page.frame_locator("iframe")
        assert frame.locator("path.cm-change").count() == 1
        assert frame.locator("path.cm-route-scenario").count() > 0
        assert_clean(report)


# ------------------------------------------------------------------------ terminal tables


def _shown(table: Table) -> str:
    console = Console(record=True, width=4000, color_system=None)
    console.print(table)
    return console.export_text()


def test_terminal_tables_show_markup_as_written(hostile_network: Network) -> None:
    routes = route(hostile_network, *PAIR)
    comparison = compare(hostile_network, "hostile", [PAIR])
    shown = "\n".join(
        _shown(table)
        for table in (
            network_table(hostile_network),
            line_table(hostile_network),
            routes_table(routes),
            legs_table(routes.best),
            comparison_table(comparison),
        )
    )
    assert hostile("linename") in shown
    assert f"break of gauge 1520 to 1435 mm at {hostile('mangyshlakname')}" in shown
    assert shown.count("[bold]b[/bold]") >= 2


# --------------------------------------------------------------------- escaping contexts


def test_javascript_strings_evaluate_to_the_text(tmp_path: Path) -> None:
    text = HOSTILE + "\u2028\u2029</SCRIPT><!--"
    script = tmp_path / "check.js"
    script.write_text(
        f"process.stdout.write(JSON.stringify([{escape.js_string(text)}]));", encoding="utf-8"
    )
    result = subprocess.run([str(NODE), str(script)], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == [text]
    for character in "<>&{}`'\u2028\u2029":
        assert character not in escape.js_string(text)[1:-1]


def test_template_literal_html_survives_a_javascript_template_literal(tmp_path: Path) -> None:
    markup = escape.template_literal(escape.html_text(HOSTILE))
    script = tmp_path / "check.js"
    script.write_text(
        f"const x = 1; process.stdout.write(JSON.stringify([`{markup}`]));", encoding="utf-8"
    )
    result = subprocess.run([str(NODE), str(script)], capture_output=True, text=True, check=True)
    assert html.unescape(json.loads(result.stdout)[0]) == HOSTILE


def test_no_context_leaves_jinja_syntax() -> None:
    for escaped in (
        escape.js_string(HOSTILE),
        escape.jinja_inert(HOSTILE),
        escape.template_literal(HOSTILE),
        escape.tooltip_text(HOSTILE),
        escape.layer_name(HOSTILE),
        escape.css_class(HOSTILE),
    ):
        assert not re.search(r"\{[{%#]", escaped), escaped
    assert html.unescape(escape.layer_name(HOSTILE)) == HOSTILE
    assert html.unescape(escape.tooltip_text(HOSTILE)) == HOSTILE
    assert html.unescape(escape.markdown_text("a|b\nc")) == "a|b c"
