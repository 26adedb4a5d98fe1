"""Maps opened in headless Debian Chromium with all network requests blocked."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.analysis.compare import compare
from corridors.network.build import Network
from corridors.render.maps import comparison_map, network_map, route_map
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
    page.locator(".leaflet-control-layers label", has_text=label).locator("input").click()


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
        assert count(page, "path.cm-scenario") == today
        toggle(page, "Rail: operational")
        assert count(page, "path.cm-link") == len(links) - rail_operational
        toggle(page, "Rail: operational")
        assert count(page, "path.cm-link") == len(links)
        toggle(page, "Scenario: Everything planned built")
        everything = len(apply_scenario(network, "all_planned").routable_links)
        assert count(page, "path.cm-scenario") == everything
        click_path(page, "path.cm-link-kti_uzen_bolashak")
        popup = page.locator(".leaflet-popup-content").inner_text()
        assert "Uzen-Bolashak" in popup
        assert "003_e9abd31c41efcf5b.txt" in popup
        assert "Kazinform" in popup
        page.screenshot(path=str(tmp_path / "network.png"))
        assert_clean(report)
    assert (tmp_path / "network.png").stat().st_size > 10_000


def test_route_map_in_a_browser(network: Network, tmp_path: Path) -> None:
    routes = route(network, "Aktau seaport", "Gorgan", alternatives=3)
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
        click_path(page, "path.cm-step-break_of_gauge", 0.25)
        assert "break of gauge 1520 to 1435" in page.locator(".leaflet-popup-content").inner_text()
        page.screenshot(path=str(tmp_path / "route.png"))
        assert_clean(report)


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
        assert count(page, "path.cm-route-scenario") > 0
        toggle(page, "Links changed by")
        assert count(page, "path.cm-change") == 0
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
