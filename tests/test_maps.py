"""Maps: self-contained HTML, escaping, size, and drawn lengths."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from shapely.geometry import shape

from corridors.analysis.compare import compare
from corridors.data.boundaries import country_polygons
from corridors.data.geometry import geometry_length_km, simplify_for_display
from corridors.data.seeds import load_seeds
from corridors.errors import MissingAsset
from corridors.network.build import Network, build_network
from corridors.render.map_layers import FeatureLayer
from corridors.render.maps import comparison_map, network_map, route_map
from corridors.render.offline import country_outlines, inline_assets, save_map
from corridors.routing.api import route

EXTERNAL = re.compile(r'<(?:script|link)[^>]+(?:src|href)="https?://', re.I)


def test_network_map_is_self_contained_and_small(network: Network, tmp_path: Path) -> None:
    path = save_map(network_map(network), tmp_path / "network.html")
    text = path.read_text(encoding="utf-8")
    assert not EXTERNAL.search(text)
    assert "L.control.scale" in text or "control_scale" in text or "leaflet-control-scale" in text
    assert path.stat().st_size < 2_000_000
    assert not list(tmp_path.glob(".network.html.*"))


def test_unknown_asset_is_refused() -> None:
    page = '<script src="https://example.org/not-shipped.js"></script>'
    with pytest.raises(MissingAsset, match=r"not-shipped\.js"):
        inline_assets(page)


def test_drawn_lines_keep_99_percent_of_their_length(network: Network) -> None:
    for link_id, row in network.links.iterrows():
        drawn = geometry_length_km(simplify_for_display(row.geometry))
        assert drawn >= 0.99 * row["length_km"] - 1e-9, link_id
        assert drawn <= row["length_km"] + 0.001, link_id  # length_km is rounded to metres


def test_text_from_data_is_escaped(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    source = Path(__file__).resolve().parents[1] / "seeds"
    shutil.copytree(source, seeds)
    nodes = seeds / "nodes.csv"
    text = nodes.read_text(encoding="utf-8").replace(
        "bolashak,Bolashak,", "bolashak,<script>alert(1)</script> `${x}`,", 1
    )
    nodes.write_text(text, encoding="utf-8")
    hostile = build_network(load_seeds(seeds))
    assert hostile.nodes.loc["bolashak", "name"].startswith("<script>")
    page = save_map(network_map(hostile, scenarios=["current"]), tmp_path / "m.html")
    html = page.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_route_and_comparison_maps(network: Network, tmp_path: Path) -> None:
    routes = route(network, "Kuryk seaport", "Turkmenbashi seaport", alternatives=3)
    folium_map = route_map(network, routes)
    best = [
        layer
        for layer in feature_layers(folium_map)
        if "cm-route-1" in layer.base_style.get("className", "").split()
    ]
    assert sum(len(layer.features) for layer in best) == len(routes.best.legs)
    text = save_map(folium_map, tmp_path / "r.html").read_text(encoding="utf-8")
    assert not EXTERNAL.search(text)
    assert "cm-route-1" in text
    comparison = compare(
        network,
        "afghan_railway",
        [("Aktau seaport", "Kandahar")],
        modes=["rail"],
    )
    text = save_map(comparison_map(network, comparison), tmp_path / "c.html").read_text(
        encoding="utf-8"
    )
    assert not EXTERNAL.search(text)
    assert "cm-change" in text
    assert "Links changed by" in text


def test_scenario_statuses_drive_the_line_styles(network: Network, tmp_path: Path) -> None:
    text = save_map(network_map(network, scenario="all_planned"), tmp_path / "a.html").read_text(
        encoding="utf-8"
    )
    assert "Rail: planned" not in text
    assert pd.notna(network.links.loc["af_herat_kandahar_rail", "published_length_km"])


def test_country_outlines_are_not_clipped_near_the_network(network: Network) -> None:
    bounds = tuple(network.nodes.total_bounds)
    outlines = country_outlines(bounds)  # type: ignore[arg-type]
    polygons = country_polygons()
    drawn = {feature["properties"]["iso2"]: feature for feature in outlines["features"]}
    assert {"KZ", "TM", "IR", "AF", "AZ", "UZ", "RU"} <= set(drawn)
    for iso2, feature in drawn.items():
        whole = polygons.loc[iso2].geometry.bounds
        if whole[0] < bounds[0] - 60 or whole[2] > bounds[2] + 60:
            continue  # reaches beyond the very large box: cut far outside any view
        shown = shape(feature["geometry"]).bounds
        assert shown == pytest.approx(whole, abs=0.2), iso2


def test_network_map_labels_and_folds(network: Network, tmp_path: Path) -> None:
    text = save_map(network_map(network), tmp_path / "n.html").read_text(encoding="utf-8")
    assert '"collapsed": true' in text
    assert 'collapsed": false' not in text
    assert "cm-label" in text
    assert "Aktau seaport" in text


def feature_layers(element: object) -> list[FeatureLayer]:
    """Every GeoJSON feature layer in a folium map, in drawing order."""
    found = [element] if isinstance(element, FeatureLayer) else []
    for child in getattr(element, "_children", {}).values():
        found += feature_layers(child)
    return found
