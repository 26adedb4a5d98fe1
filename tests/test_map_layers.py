"""Map layers: one GeoJSON collection per group, display vertices kept with the network, features
serialised once for every map, and elements rendered in one template pass.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from unittest import mock

import branca.element
import folium
import pytest
from folium.template import Template
from shapely import LineString

from corridors.data.geometry import geometry_length_km
from corridors.data.seeds import load_seeds
from corridors.network.build import Network, build_network
from corridors.render import escape, map_layers, map_templates, maps, offline
from corridors.render.map_layers import FeatureLayer, feature, lines, point
from corridors.render.offline import country_outlines, inline_assets, save_map
from tests.hostile import HOSTILE
from tests.test_maps import feature_layers
from tests.toy import write_toy_seeds


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory) -> Network:
    return build_network(load_seeds(write_toy_seeds(tmp_path_factory.mktemp("toy") / "seeds")))


def _classes(layer: FeatureLayer, item: dict) -> list[str]:
    style = {**layer.base_style, **item["properties"].get("style", {})}
    return str(style.get("className", "")).split()


def test_network_map_draws_one_feature_per_link_and_node(toy: Network) -> None:
    layers = feature_layers(maps.network_map(toy))
    links = [
        (layer, item)
        for layer in layers
        for item in layer.features
        if "cm-link" in _classes(layer, item)
    ]
    assert sorted(
        c for layer, item in links for c in _classes(layer, item) if c != "cm-link"
    ) == sorted(f"cm-link-{link_id}" for link_id in toy.links.index)
    for _, item in links:
        assert item["geometry"]["type"] == "LineString"
        assert "cm-popup" in item["properties"]["popup"]
        assert item["properties"]["tooltip"]
    nodes = [
        item for layer in layers for item in layer.features if "cm-node" in _classes(layer, item)
    ]
    assert len(nodes) == int((toy.nodes["kind"] != "poi").sum())
    assert {item["geometry"]["type"] for item in nodes} == {"Point"}
    # a group is one layer: as many link layers as mode and status pairs in use
    groups = toy.links.groupby(["mode", "status"]).ngroups
    assert sum(1 for layer in layers if layer.base_style.get("weight") == 3.5) == groups


def test_display_vertices_are_built_once_and_cached_with_the_network(toy: Network) -> None:
    assert set(toy.display) == set(toy.links.index)
    for link_id, geometry in toy.links.geometry.items():
        drawn = LineString(toy.display[link_id])
        assert geometry_length_km(drawn) >= 0.99 * toy.links.at[link_id, "length_km"] - 1e-3
        assert maps._vertices(toy, link_id, geometry) == [list(v) for v in toy.display[link_id]]
    assert pickle.loads(pickle.dumps(toy)).display == toy.display


def test_another_geometry_of_a_link_is_simplified_itself(toy: Network) -> None:
    link_id = str(toy.links.index[0])
    reversed_line = toy.links.geometry.iloc[0].reverse()
    drawn = maps._vertices(toy, link_id, reversed_line)
    assert drawn[0] == [round(c, 5) for c in reversed_line.coords[0]]
    assert drawn != [list(v) for v in toy.display[link_id]]


def test_popup_templates_are_compiled_once() -> None:
    map_templates.render("step_popup", title="a", rows=[], note="", sources=[])
    before = map_templates._compiled.cache_info()
    for _ in range(5):
        map_templates.render("step_popup", title="b", rows=[], note="", sources=[])
    after = map_templates._compiled.cache_info()
    assert after.misses == before.misses
    assert after.hits == before.hits + 5


def test_country_outlines_are_simplified_once_per_box() -> None:
    bounds = (49.0, 37.0, 63.0, 46.0)
    first, second = country_outlines(bounds), country_outlines(bounds)
    assert first["features"]
    assert first["features"][0]["geometry"] is second["features"][0]["geometry"]
    first["features"].clear()
    assert country_outlines(bounds)["features"]


def test_country_outlines_are_kept_in_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bounds = (50.0, 38.0, 60.0, 45.0)
    monkeypatch.setenv("CORRIDORS_CACHE", str(tmp_path / "cache"))
    offline._outline_features.cache_clear()
    first = country_outlines(bounds)
    assert [p.name[:9] for p in (tmp_path / "cache").iterdir()] == ["outlines-"]

    def refuse() -> None:
        message = "the polygons must not be read again"
        raise AssertionError(message)

    offline._outline_features.cache_clear()
    monkeypatch.setattr(offline, "country_polygons", refuse)
    assert country_outlines(bounds) == first  # read from the cache folder
    monkeypatch.setenv("CORRIDORS_CACHE", "off")
    offline._outline_features.cache_clear()
    with pytest.raises(AssertionError, match="must not be read"):
        country_outlines(bounds)
    offline._outline_features.cache_clear()


def test_inlined_assets_are_kept_in_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDORS_CACHE", str(tmp_path / "cache"))
    offline._assets.cache_clear()
    packaged = offline._assets()
    assert [p.name[:7] for p in (tmp_path / "cache").iterdir()] == ["assets-"]

    def refuse() -> None:
        message = "folium-offline must not be imported again"
        raise AssertionError(message)

    monkeypatch.setattr(offline, "_packaged_assets", refuse)
    offline._assets.cache_clear()
    assert offline._assets() == packaged
    page = '<head><script src="https://code.jquery.com/jquery-3.7.1.min.js"></script></head>'
    assert "jQuery v3.7.1" in inline_assets(page)
    offline._assets.cache_clear()


@pytest.mark.parametrize(
    "text", [HOSTILE, "</script><!-- -->", "{{ 7*7 }}{%x%}{#c#}", "\u2028\u2029", '"\\`${x}`']
)
def test_script_json_round_trips_and_is_inert(text: str) -> None:
    value = {"features": [{"properties": {"popup": text, "tooltip": [text, {"x": text}]}}]}
    encoded = escape.script_json(value)
    assert json.loads(encoded) == value
    for forbidden in ("</", "<!--", "{{", "{%", "{#", "\u2028", "\u2029"):
        assert forbidden not in encoded


def test_a_layer_script_joins_the_page_as_written(toy: Network, tmp_path: Path) -> None:
    folium_map = maps.network_map(toy, scenarios=["current"])
    group = maps._group("Test layer", overlay=True, control=True)
    group.add_to(folium_map)
    hostile = feature(point(43.0, 51.0), popup="{{ 6*7 }} &lt;b&gt;", tooltip="{% raw %}")
    FeatureLayer([hostile, feature(lines([[[51.0, 43.0], [52.0, 43.5]]]))]).add_to(group)
    text = save_map(folium_map, tmp_path / "m.html").read_text(encoding="utf-8")
    assert "\\u007b{ 6*7 }} &lt;b&gt;" in text
    assert "\\u007b% raw %}" in text
    assert "42 &lt;b&gt;" not in text


def test_a_group_joins_the_map_only_when_shown(toy: Network) -> None:
    folium_map = maps.network_map(toy, scenarios=["current"])
    shown = maps._group("Shown {{ 7*7 }}", overlay=True, control=True, show=True)
    hidden = maps._group("Hidden", overlay=True, control=True, show=False)
    for group in (shown, hidden):
        group.add_to(folium_map)
        FeatureLayer([feature(point(43.0, 51.0), tooltip="x")]).add_to(group)
    page = folium_map.get_root().render()
    map_name = folium_map.get_name()
    assert f"{shown.get_name()}.addTo({map_name});" in page
    assert f"{hidden.get_name()}.addTo({map_name})" not in page
    assert page.count(f"}}).addTo({hidden.get_name()});") == 1
    assert "Shown \\u0026#123;\\u0026#123; 7*7" in page  # folium's JSON of the layer name
    assert "Shown 49" not in page


def test_a_layer_of_shared_features_is_the_collection_serialised_at_once() -> None:
    hostile = feature(point(43.0, 51.0), popup="</script>{{ 7*7 }}", tooltip="\u2028`${x}`")
    shared = map_layers.SharedFeature(
        feature(lines([[[51.0, 43.0], [52.0, 43.5]]]), style={"x": 1})
    )
    layer = FeatureLayer([hostile, shared, shared])
    collection = {"type": "FeatureCollection", "features": [hostile, shared, shared]}
    assert layer.data == escape.script_json(collection)
    assert FeatureLayer([]).data == escape.script_json(
        {"type": "FeatureCollection", "features": []}
    )


def test_a_shared_feature_is_serialised_once(monkeypatch: pytest.MonkeyPatch) -> None:
    shared = map_layers.SharedFeature(feature(point(43.0, 51.0), tooltip="Aktau"))
    serialise = mock.Mock(wraps=escape.script_json)
    monkeypatch.setattr(escape, "script_json", serialise)
    for _ in range(3):
        FeatureLayer([shared], style={"color": "#000"})
    assert [call.args[0] is shared for call in serialise.call_args_list].count(True) == 1


def test_maps_of_one_network_share_their_link_and_place_features(toy: Network) -> None:
    def by_class(folium_map: folium.Map) -> dict[str, list[dict]]:
        found: dict[str, list[dict]] = {}
        for layer in feature_layers(folium_map):
            for item in layer.features:
                for name in _classes(layer, item):
                    found.setdefault(name, []).append(item)
        return found

    first = by_class(maps.network_map(toy))
    again = by_class(maps.network_map(toy))
    spur = by_class(maps.network_map(toy, scenario="with_spur"))
    link = "cm-link-main_line"
    assert first[link][0] is again[link][0]
    assert first[link][0] is spur[link][0]  # operational in both
    assert all(a is b for a, b in zip(first["cm-node"], again["cm-node"], strict=True))
    assert all(isinstance(item, map_layers.SharedFeature) for item in first["cm-node"])


_MACRO = (
    "{% macro script(this, kwargs) %}var {{ this.get_name() }} = {{ this.value }};\n{% endmacro %}"
)


def _probe(base: type[folium.MacroElement]) -> type[folium.MacroElement]:
    """A macro element of the given kind writing ``var NAME = VALUE;`` and a newline."""

    class Probe(base):  # type: ignore[valid-type, misc]
        _template = Template(_MACRO)

        def __init__(self, value: str) -> None:
            super().__init__()
            self._name = "Probe"
            self.value = value

    return Probe


@pytest.mark.parametrize(
    "value", ["[1, 2]", "'a\\r\\nb'", "a\r\nb\rc", "{{ 6*7 }}", "{x: 1}\n\n", ""]
)
def test_a_single_pass_element_renders_as_branca_would(value: str) -> None:
    pages = []
    for kind in (_probe(folium.MacroElement), _probe(map_layers.SinglePass)):
        figure = branca.element.Figure()
        element = kind(value)  # type: ignore[call-arg]
        element._id = "0" * 32
        figure.add_child(element)
        pages.append(figure.render())
    assert pages[0] == pages[1]


def test_a_map_renders_without_compiling_a_template(
    toy: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    folium_map = maps.network_map(toy)
    compiled: list[str] = []
    original = branca.element.Element.__init__

    def recording(
        self: object, template: str | None = None, template_name: str | None = None
    ) -> None:
        if template is not None:
            compiled.append(template)
        original(self, template, template_name)  # type: ignore[arg-type]

    monkeypatch.setattr(branca.element.Element, "__init__", recording)
    page = folium_map.get_root().render()
    assert compiled == []
    assert "L.control.fullscreen" in page
    assert "new L.Control.Measure" in page
    assert ".fitBounds(" in page


@pytest.mark.parametrize("text", ["<style>a{b:c}</style>", "x\n", "x\n\n", "a\r\nb", "{{ 1+1 }}"])
def test_a_static_element_renders_as_a_folium_element(text: str) -> None:
    assert map_layers.static_element(text).render() == folium.Element(text).render()


def test_assets_are_inlined_from_the_head_and_from_a_body_that_links_any() -> None:
    script = '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>'
    sheet = '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"/>'
    one_script, one_sheet = inline_assets(script), inline_assets(sheet)  # pages without a head
    assert one_script.startswith("<script>\n/*! jQuery v3.7.1")
    assert one_sheet.startswith("<style>")
    for body in ("<div>src</div>", script, sheet, f"<p>{sheet}</p>{script}"):
        page = f"<html><head>{script}{sheet}</head><body>{body}</body></html>"
        inlined = inline_assets(page)
        assert inlined == page.replace(script, one_script).replace(sheet, one_sheet)
        assert "src=" not in inlined


def test_outline_coordinates_are_rounded_as_one_round_per_number() -> None:
    geometry = {
        "type": "MultiPolygon",
        "coordinates": (((((1.23456, 2.34567), (3.0, 4.00049)),),), [[[5.5555, 6]]]),
    }
    assert offline._rounded(geometry) == {
        "type": "MultiPolygon",
        "coordinates": [[[[[1.235, 2.346], [3.0, 4.0]]]], [[[5.556, 6]]]],
    }
