"""Maps opened in headless Debian Chromium with all network requests blocked."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.analysis.compare import compare
from corridors.network.build import Network
from corridors.render.maps import (
    MODE_COLOURS,
    ROUTE_COLOURS,
    STATUS_DASHES,
    comparison_map,
    network_map,
    route_map,
)
from corridors.render.offline import save_map
from corridors.routing.api import route
from corridors.routing.scenarios import apply_scenario
from tests.browser import PageReport, click_path, count, open_page


def assert_clean(report: PageReport) -> None:
    assert report.console_errors == []
    assert report.page_errors == []
    assert report.failed_requests == []
    assert report.blocked_requests == []


def toggle(page, label: str) -> None:
    """Open the folded layer control, and switch one layer."""
    page.hover(".leaflet-control-layers")
    page.locator(".leaflet-control-layers label", has_text=label).locator("input").click()


def zoom_in(page, times: int) -> None:
    for _ in range(times):
        page.click(".leaflet-control-zoom-in")
        page.wait_for_timeout(350)


def labels(page) -> list[str]:
    return [text.strip() for text in page.locator(".cm-label").all_inner_texts()]


def test_network_map_in_a_browser(network: Network, tmp_path: Path) -> None:
    html = save_map(network_map(network), tmp_path / "network.html")
    links = network.links
    drawn_nodes = network.nodes[network.nodes["kind"] != "poi"]
    rail_operational = int(((links["mode"] == "rail") & (links["status"] == "operational")).sum())
    with open_page(html) as (page, report):
        assert_clean(report)
        assert count(page, "path.cm-link") == len(links)
        assert count(page, "path.cm-node") == len(drawn_nodes)
        assert count(page, ".leaflet-control-scale") == 1
        assert count(page, ".leaflet-control-zoom-fullscreen") == 1
        assert count(page, ".leaflet-control-measure") == 1
        assert count(page, "#cm-legend") == 1
        today = len(apply_scenario(network, "current").routable_links)
        assert highlighted(page) == today
        toggle(page, "Rail: operational")
        assert count(page, "path.cm-link") == len(links) - rail_operational
        toggle(page, "Rail: operational")
        assert count(page, "path.cm-link") == len(links)
        toggle(page, "Scenario: Everything planned built")
        everything = len(apply_scenario(network, "all_planned").routable_links)
        assert highlighted(page) == everything
        click_path(page, "path.cm-link-kti_uzen_bolashak")
        popup = page.locator(".leaflet-popup-content").inner_text()
        assert "Uzen-Bolashak" in popup
        assert "003_e9abd31c41efcf5b.txt" in popup
        assert "Kazinform" in popup
        page.screenshot(path=str(tmp_path / "network.png"))
        assert_clean(report)
    assert (tmp_path / "network.png").stat().st_size > 10_000


def test_network_map_labels_main_places_from_zoom_6(network: Network, tmp_path: Path) -> None:
    html = save_map(network_map(network, scenarios=["current"]), tmp_path / "labels.html")
    nodes = network.nodes
    main = set(nodes.loc[nodes["kind"].isin(["seaport", "border_crossing", "city"]), "name"])
    with open_page(html) as (page, report):
        for _ in range(3):
            page.click(".leaflet-control-zoom-out")
            page.wait_for_timeout(350)
        assert labels(page) == []
        zoom_in(page, 5)
        shown = labels(page)
        assert set(shown) == main
        assert "Aktau seaport" in shown
        assert_clean(report)


def test_layer_control_and_legend_fold_away(network: Network, tmp_path: Path) -> None:
    html = save_map(network_map(network, scenarios=["current"]), tmp_path / "fold.html")
    with open_page(html) as (page, report):
        control = page.locator(".leaflet-control-layers")
        assert "leaflet-control-layers-expanded" not in (control.get_attribute("class") or "")
        assert not page.locator(".leaflet-control-layers-list").is_visible()
        page.hover(".leaflet-control-layers")
        assert page.locator(".leaflet-control-layers-list").is_visible()
        page.mouse.move(600, 400)
        assert page.evaluate("document.querySelector('#cm-legend').open") is True
        page.click("#cm-legend summary")
        assert page.evaluate("document.querySelector('#cm-legend').open") is False
        assert not page.locator("#cm-legend .cm-row").first.is_visible()
        assert_clean(report)


def test_route_map_in_a_browser(network: Network, tmp_path: Path) -> None:
    routes = route(network, "Aktau seaport", "Gorgan", modes="rail", alternatives=3)
    best = routes.best
    html = save_map(route_map(network, routes), tmp_path / "route.html")
    with open_page(html) as (page, report):
        assert_clean(report)
        assert count(page, "path.cm-route-1") == len(best.legs)
        assert count(page, "path.cm-step") == len(best.steps) + 2
        assert count(page, "path.cm-step-break_of_gauge") == 1
        assert count(page, "#cm-panel") == 1
        toggle(page, "#1 best")
        assert count(page, "path.cm-route-1") == 0
        toggle(page, "#1 best")
        last = page.evaluate(
            "Array.from(document.querySelectorAll('.leaflet-overlay-pane path.cm-route'))"
            ".pop().getAttribute('class')"
        )
        assert "cm-route-1" in last.split()
        click_path(page, "path.cm-step-break_of_gauge", 0.25)
        assert "break of gauge 1520 to 1435" in page.locator(".leaflet-popup-content").inner_text()
        page.mouse.click(5, 400)
        click_path(page, "path.cm-route-1", 0.5)
        popup = page.locator(".leaflet-popup-content").last.inner_text()
        assert "Sources" in popup
        page.screenshot(path=str(tmp_path / "route.png"))
        assert_clean(report)


def test_route_colours_are_not_mode_colours() -> None:
    assert not set(ROUTE_COLOURS) & set(MODE_COLOURS.values())
    assert STATUS_DASHES["planned"] != STATUS_DASHES["proposed"]


def test_comparison_map_in_a_browser(network: Network, tmp_path: Path) -> None:
    comparison = compare(
        network,
        "afghan_railway",
        [("Aktau seaport", "Kandahar"), ("Kuryk seaport", "Herat")],
    )
    html = save_map(comparison_map(network, comparison), tmp_path / "compare.html")
    with open_page(html) as (page, report):
        assert_clean(report)
        assert count(page, "path.cm-change") == len(comparison.link_changes)
        base = count(page, "path.cm-route-base")
        scenario = count(page, "path.cm-route-scenario")
        assert base > 0
        assert scenario > 0
        styles = page.evaluate(
            """() => ['base', 'scenario'].map(side => {
                const path = document.querySelector('path.cm-route-' + side);
                return [path.getAttribute('stroke'), path.getAttribute('stroke-width'),
                        path.getAttribute('stroke-dasharray')];
            })"""
        )
        assert styles[0][0] != styles[1][0]
        assert float(styles[0][1]) > float(styles[1][1])
        assert styles[1][2]
        paths = page.evaluate(
            "Array.from(document.querySelectorAll('.leaflet-overlay-pane path.cm-route'))"
            ".map(p => p.getAttribute('class'))"
        )
        assert "cm-route-scenario" in paths[-1]
        toggle(page, "Links changed by")
        assert count(page, "path.cm-change") == 0
        assert_clean(report)


def test_comparison_of_a_scenario_with_itself_draws_one_side(
    network: Network, tmp_path: Path
) -> None:
    comparison = compare(network, "current", [("Aktau seaport", "Gorgan")], base="current")
    html = save_map(comparison_map(network, comparison), tmp_path / "self.html")
    with open_page(html) as (page, report):
        assert count(page, "path.cm-route-base") == 0
        assert count(page, "path.cm-route-scenario") > 0
        assert (
            "Best routes today ('current')"
            in page.locator(".leaflet-control-layers").text_content()
        )
        assert_clean(report)


@pytest.mark.parametrize("width", [420])
def test_maps_work_on_a_narrow_screen(network: Network, tmp_path: Path, width: int) -> None:
    html = save_map(network_map(network, scenarios=["current"]), tmp_path / "narrow.html")
    with open_page(html, width=width, height=700) as (page, report):
        assert_clean(report)
        assert count(page, "path.cm-link") == len(network.links)


def test_offered_tiles_stay_off_without_a_network(network: Network, tmp_path: Path) -> None:
    html = save_map(
        network_map(network, scenarios=["current"], tiles="OpenStreetMap"), tmp_path / "tiles.html"
    )
    with open_page(html) as (page, report):
        assert_clean(report)
        assert count(page, ".leaflet-tile") == 0
        assert (
            page.locator(".leaflet-control-layers label", has_text="Tiles: OpenStreetMap").count()
            == 1
        )


def highlighted(page: object) -> int:
    """Links highlighted by the shown scenario: the sub-paths of its one multi-line."""
    return int(
        page.evaluate(  # type: ignore[attr-defined]
            """() => [...document.querySelectorAll('path.cm-scenario')]
                .map(p => (p.getAttribute('d') || '').split('M').length - 1)
                .reduce((a, b) => a + b, 0)"""
        )
    )
