"""Interactive folium maps of the network, of routes and of scenario comparisons.

Every map is self-contained (see :mod:`corridors.render.offline`): it opens with no network, on an
outline of the countries and the Caspian coast, with a collapsible layer control, a collapsible
legend, a scale bar, a fullscreen button and a measuring tool in kilometres. Ports, border
crossings and cities are labelled from zoom level 6. Lines are drawn from geometry simplified
for display so that each drawn length stays within 1 % of the true one (simplified once, when
the network is built: :attr:`corridors.network.build.Network.display`). Each layer is one
GeoJSON collection (:class:`corridors.render.map_layers.FeatureLayer`) whose features carry
their style, popup and tooltip, not one folium element per line. Routes use a palette of
their own (purple, teal, magenta, ...), never the mode colours of the network (rail red, road
orange, sea blue), and the best route is drawn last, on top.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import folium
import pandas as pd
import shapely
from folium import plugins
from folium.template import Template
from shapely import LineString
from shapely.geometry.base import BaseGeometry

from corridors.analysis.compare import Comparison
from corridors.data.geometry import simplify_for_display
from corridors.data.schema import Source
from corridors.network.build import Network
from corridors.render import escape, lookup
from corridors.render.format import number, web_address
from corridors.render.map_layers import (
    FeatureLayer,
    Group,
    SharedFeature,
    SinglePass,
    feature,
    lines,
    point,
    static_element,
)
from corridors.render.map_templates import TEMPLATES, render
from corridors.render.offline import OfflineMap, country_outlines
from corridors.routing.results import Leg, Route, RouteSet, Step
from corridors.routing.scenarios import BASE_SCENARIO, apply_scenario

__all__ = [
    "KIND_COLOURS",
    "MODE_COLOURS",
    "STATUS_DASHES",
    "comparison_map",
    "network_map",
    "route_map",
]

#: Line colour per mode.
MODE_COLOURS = {"rail": "#b03a2e", "road": "#d68910", "sea": "#1f618d"}
#: Leaflet ``dashArray`` per status: solid (operational), short dashes (under construction),
#: long dashes (planned), dots (proposed).
STATUS_DASHES = {
    "operational": None,
    "under_construction": "6 5",
    "planned": "14 8",
    "proposed": "1 8",
}
#: Line opacity per status: proposed links, the least certain, are drawn fainter.
STATUS_OPACITY = {"operational": 0.9, "under_construction": 0.9, "planned": 0.85, "proposed": 0.7}
#: Marker colour per node kind.
KIND_COLOURS = {
    "seaport": "#1f618d",
    "border_crossing": "#7d3c98",
    "city": "#2e4053",
    "rail_station": "#b03a2e",
    "terminal": "#117a65",
    "junction": "#909497",
}
#: Colours of route alternatives, best first: none is a mode colour.
ROUTE_COLOURS = ["#6a1b9a", "#00897b", "#c2185b", "#827717", "#4e342e", "#455a64", "#f06292"]
#: Best routes on comparison maps: the base wide and pale under the scenario's, which is narrow.
BASE_ROUTE: dict[str, Any] = {"color": "#00897b", "weight": 9, "opacity": 0.45, "dash_array": None}
SCENARIO_ROUTE: dict[str, Any] = {
    "color": "#6a1b9a",
    "weight": 4,
    "opacity": 0.95,
    "dash_array": "10 6",
}
#: Node kinds labelled with their names from zoom level ``LABEL_ZOOM``.
LABELLED_KINDS = ("seaport", "border_crossing", "city")
LABEL_ZOOM = 6
STEP_COLOURS = {
    "transfer": "#00bcd4",
    "break_of_gauge": "#000000",
    "gauge_unknown": "#7f8c8d",
    "border": "#e67e22",
}

_LINK_CLASS = "cm-link"
_NODE_CLASS = "cm-node"
_ROUTE_CLASS = "cm-route"
_SCENARIO_CLASS = "cm-scenario"
_STEP_CLASS = "cm-step"
_CHANGE_CLASS = "cm-change"


def _label(value: str) -> str:
    return value.replace("_", " ")


def _sources(network: Network, ids: Iterable[str]) -> list[dict[str, str]]:
    known = network.seeds.sources
    found = []
    for source_id in ids:
        source: Source | None = known.get(source_id)
        if source is None:
            found.append({"title": source_id, "url": "", "file": "", "publisher": "", "date": ""})
            continue
        found.append(
            {
                "title": source.title,
                "url": web_address(source.url),
                "file": source.file or "",
                "publisher": source.publisher,
                "date": source.date or "",
            }
        )
    return found


class _Fullscreen(plugins.Fullscreen, SinglePass):
    """folium's fullscreen button, rendered in one template pass."""


class _MeasureControl(plugins.MeasureControl, SinglePass):
    """folium's measuring tool, rendered in one template pass."""


class _LayerControl(folium.LayerControl, SinglePass):
    """folium's layer control, rendered in one template pass."""


@lru_cache(maxsize=8)
def _outlines(bounds: tuple[float, float, float, float]) -> tuple[SharedFeature, ...]:
    """Country outlines around a box as features, serialised once for every map of the box."""
    return tuple(
        SharedFeature(feature(outline["geometry"], tooltip=outline["properties"]["name"]))
        for outline in country_outlines(bounds)["features"]
    )


def _base_map(network: Network, *, tiles: str | None) -> folium.Map:
    min_lon, min_lat, max_lon, max_lat = (float(value) for value in network.nodes.total_bounds)
    folium_map = OfflineMap(
        location=[(min_lat + max_lat) / 2, (min_lon + max_lon) / 2],
        zoom_start=5,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        maxZoom=14,
    )
    root: Any = folium_map.get_root()
    root.header.add_child(static_element(TEMPLATES["style"]))
    outlines = _group("Country outlines (Natural Earth)", overlay=True, control=True)
    outlines.add_to(folium_map)
    FeatureLayer(
        _outlines((min_lon, min_lat, max_lon, max_lat)),
        style={"color": "#7b7d7d", "weight": 1, "fillColor": "#f4f1e8", "fillOpacity": 1.0},
    ).add_to(outlines)
    if tiles:
        folium.TileLayer(
            tiles,
            name=escape.layer_name(f"Tiles: {tiles} (needs a network)"),
            overlay=True,
            show=False,
            control=True,
        ).add_to(folium_map)
    _Fullscreen(position="topleft").add_to(folium_map)
    _MeasureControl(
        position="topleft",
        primary_length_unit="kilometers",
        secondary_length_unit="miles",
        primary_area_unit="sqkilometers",
    ).add_to(folium_map)
    folium_map.fit_bounds([[min_lat, min_lon], [max_lat, max_lon]])
    return folium_map


def _add_legend(
    folium_map: folium.Map,
    title: str,
    note: str = "",
    *,
    kinds: bool = True,
    modes: bool = True,
    routes: Sequence[tuple[str, str, str]] = (),
) -> None:
    legend = render(
        "legend",
        title=title,
        modes=list(MODE_COLOURS.items()) if modes else [],
        statuses=[(_label(status), dash or "") for status, dash in STATUS_DASHES.items()],
        kinds=[(_label(kind), colour) for kind, colour in KIND_COLOURS.items()] if kinds else [],
        routes=list(routes),
        note=note,
    )
    _add_fixed_html(folium_map, legend, "bottomright")


class _Labels(SinglePass):
    """Names of the main places, shown as text next to them from a zoom level on.

    The names are JavaScript string literals (:func:`corridors.render.escape.js_string`) set as
    the labels' text content, so they are never read as HTML or template code.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function(){var m={{ this._parent.get_name() }};var g=L.layerGroup();"
        "var places={{ this.places }};"
        "places.forEach(function(p){var s=document.createElement('span');s.textContent=p[2];"
        "L.marker([p[0],p[1]],{icon:L.divIcon({className:'cm-label',html:s,iconSize:null,"
        "iconAnchor:[-7,8]}),interactive:false,keyboard:false}).addTo(g);});"
        "function show(){if(m.getZoom()>={{ this.zoom }}){g.addTo(m);}else{g.remove();}}"
        "m.on('zoomend',show);m.whenReady(show);})();"
        "{% endmacro %}"
    )

    def __init__(self, places: Iterable[tuple[float, float, str]], zoom: int) -> None:
        super().__init__()
        self._name = "Labels"
        self.places = (
            "["
            + ",".join(
                f"[{lat:.5f},{lon:.5f},{escape.js_string(name)}]" for lat, lon, name in places
            )
            + "]"
        )
        self.zoom = int(zoom)


def _add_labels(folium_map: folium.Map, network: Network, node_ids: Iterable[str]) -> None:
    """Label the ports, border crossings and cities among ``node_ids`` from zoom 6 on."""
    nodes = network.nodes.loc[[n for n in dict.fromkeys(node_ids) if n in network.nodes.index]]
    main = nodes[nodes["kind"].isin(LABELLED_KINDS)]
    places = [
        (float(lat), float(lon), str(name))
        for lat, lon, name in zip(main["lat"], main["lon"], main["name"], strict=True)
    ]
    if places:
        folium_map.add_child(_Labels(places, LABEL_ZOOM))


def _layer_control(folium_map: folium.Map) -> None:
    """Add a layer control folded into a button (it opens on hover or tap)."""
    _LayerControl(collapsed=True, position="topright").add_to(folium_map)


class _FixedHtml(SinglePass):
    """Static HTML shown as a Leaflet control in a corner of the map.

    The HTML is passed to the template as a value, never as template source, so text from the
    data cannot be read as template code.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function(){var c=L.control({position:{{ this.position }}});"
        "c.onAdd=function(){var d=L.DomUtil.create('div');d.innerHTML={{ this.body }};"
        "L.DomEvent.disableClickPropagation(d);L.DomEvent.disableScrollPropagation(d);"
        "return d.firstChild;};c.addTo({{ this._parent.get_name() }});})();"
        "{% endmacro %}"
    )

    def __init__(self, body: str, position: str) -> None:
        super().__init__()
        self._name = "FixedHtml"
        self.body = escape.js_string(body)
        self.position = escape.js_string(position)


def _add_fixed_html(folium_map: folium.Map, body: str, position: str) -> None:
    """Add static HTML as a Leaflet control at a corner of the map."""
    folium_map.add_child(_FixedHtml(body, position))


def _group(name: str, **options: Any) -> Group:
    """Return a feature group whose name shows as text in the layer control."""
    return Group(name=escape.layer_name(name), **options)


def _vertices(network: Network, link_id: str, geometry: BaseGeometry) -> list[list[float]]:
    """Display vertices of a line as ``[lon, lat]``: the network's own, computed at build time,
    when ``geometry`` is that link's geometry; otherwise simplified here, once per geometry.
    """  # noqa: D205
    found = network.display.get(link_id)
    if found is None or lookup.column(network.links, "geometry").get(link_id) is not geometry:
        found = _display_vertices(geometry.wkb)
    return [list(vertex) for vertex in found]


@lru_cache(maxsize=4096)
def _display_vertices(wkb: bytes) -> tuple[tuple[float, float], ...]:
    """Simplify a line once per geometry, however many maps and layers draw it."""
    simple = simplify_for_display(shapely.from_wkb(wkb))
    return tuple((round(lon, 5), round(lat, 5)) for lon, lat in simple.coords)


def _records(frame: pd.DataFrame) -> Iterable[tuple[str, dict[str, Any]]]:
    """Rows as ``(id, dict)``: plain dicts, much faster to read than ``iterrows``' Series."""
    records: list[dict[str, Any]] = frame.to_dict("records")  # type: ignore[assignment]
    return zip(frame.index.astype(str), records, strict=True)


def _countries(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(country) for country in value)
    return str(value).replace(";", ", ")


def _link_rows(link_id: str, row: Mapping[str, Any], status: str) -> list[tuple[str, str]]:
    gauge = "" if pd.isna(row["gauge_mm"]) else f"{int(row['gauge_mm'])} mm"
    published = (
        ""
        if pd.isna(row["published_length_km"])
        else f"{row['published_length_km']:g} km ({row['published_length_source']})"
    )
    rows = [
        ("Mode", str(row["mode"])),
        ("Status", _label(status)),
        ("Gauge", gauge or ("not published" if row["mode"] == "rail" else "")),
        ("Length", f"{row['length_km']:,.1f} km (geodesic, {row['alignment']} alignment)"),
        ("Published length", published or "none found"),
        ("Routing length", f"{row['route_length_km']:,.1f} km"),
        ("Opening year", "" if pd.isna(row["year"]) else str(int(row["year"]))),
        ("Countries", _countries(row["countries"])),
        ("Confidence", str(row["confidence"])),
        ("Link id", link_id),
    ]
    return [(label, value) for label, value in rows if value]


def _add_links(folium_map: folium.Map, network: Network, links: pd.DataFrame) -> int:
    """Draw the links in one overlay per mode and status; return how many were drawn."""
    features: dict[tuple[str, str], list[dict[str, Any]]] = {
        (mode, status): [] for mode in MODE_COLOURS for status in STATUS_DASHES
    }
    # A link's feature is the same on every map of the network that gives it the same status
    # (statuses vary by scenario): built and serialised once.
    kept = lookup.derived(network.links, "link features by status")
    records: dict[str, dict[str, Any]] | None = None
    for link_id, mode, status in zip(
        links.index.astype(str), links["mode"].astype(str), links["status"].astype(str), strict=True
    ):
        found = features.get((mode, status))
        if found is None:
            continue
        shared = kept.get((link_id, status))
        if shared is None:
            records = dict(_records(links)) if records is None else records
            row = records[link_id]
            popup = render(
                "popup",
                name=row["name"],
                rows=_link_rows(link_id, row, status),
                sources=_sources(network, row["sources"]),
                notes=row["notes"],
            )
            shared = kept[link_id, status] = SharedFeature(
                feature(
                    lines([_vertices(network, link_id, row["geometry"])]),
                    style={"className": f"{_LINK_CLASS} {_LINK_CLASS}-{escape.css_class(link_id)}"},
                    popup=popup,
                    tooltip=f"{row['name']} ({_label(status)})",
                )
            )
        found.append(shared)
    drawn = 0
    for (mode, status), group_features in features.items():
        if not group_features:
            continue
        group = _group(
            name=f"{mode.capitalize()}: {_label(status)}", overlay=True, control=True, show=True
        )
        group.add_to(folium_map)
        style = {
            "color": MODE_COLOURS[mode],
            "weight": 3.5,
            "opacity": STATUS_OPACITY[status],
            "dashArray": STATUS_DASHES[status],
        }
        FeatureLayer(group_features, style=style).add_to(group)
        drawn += len(group_features)
    return drawn


def _node_popup(network: Network, node_id: str, row: Mapping[str, Any]) -> str:
    rows = [
        ("Kind", _label(str(row["kind"]))),
        ("Country", row["country"]),
        ("Position", f"{row['lat']:.5f}, {row['lon']:.5f}"),
        ("Confidence", row["confidence"]),
        ("Node id", node_id),
    ]
    return render(
        "popup",
        name=row["name"],
        name_local=row["name_local"],
        rows=rows,
        sources=_sources(network, row["sources"]),
        notes=row["notes"],
    )


def _node_features(network: Network) -> dict[str, SharedFeature]:
    """Every node's feature (marker, popup, tooltip), built once per network: maps share them."""
    kept = lookup.derived(network.nodes, "node features")
    if not kept:
        for node_id, row in _records(network.nodes):
            kept[node_id] = SharedFeature(
                feature(
                    point(row["lat"], row["lon"]),
                    popup=_node_popup(network, node_id, row),
                    tooltip=str(row["name"]),
                )
            )
    return kept


def _add_nodes(folium_map: folium.Map, network: Network, node_ids: Iterable[str]) -> int:
    kinds = lookup.column(network.nodes, "kind")
    chosen = [str(node_id) for node_id in node_ids]
    shared = _node_features(network)
    drawn = 0
    for kind, colour in KIND_COLOURS.items():
        features = [shared[node_id] for node_id in chosen if kinds[node_id] == kind]
        if not features:
            continue
        group = _group(name=f"Places: {_label(kind)}", overlay=True, control=True)
        group.add_to(folium_map)
        style = {
            "radius": 6 if kind in {"seaport", "border_crossing", "city"} else 4,
            "color": "#1b1b1b",
            "weight": 1,
            "fill": True,
            "fillColor": colour,
            "fillOpacity": 0.95,
            "className": _NODE_CLASS,
        }
        FeatureLayer(features, style=style).add_to(group)
        drawn += len(features)
    return drawn


def network_map(
    network: Network,
    *,
    scenario: str | None = None,
    scenarios: Sequence[str] | None = None,
    tiles: str | None = None,
) -> folium.Map:
    """Map the network: links by mode and status, places by kind, and a scenario switch.

    Parameters
    ----------
    network
        The built network.
    scenario
        Draw link statuses as this scenario sees them (default: as in ``seeds/links.yaml``);
        also the scenario selected in the switch.
    scenarios
        Scenarios offered in the switch (default: every scenario in ``seeds/scenarios/``).
        Each is an exclusive layer showing the links routable in that scenario.
    tiles
        A folium tile name (e.g. ``"OpenStreetMap"``) offered as an optional layer; it needs a
        network. Without it the map shows offline country outlines only.

    Returns
    -------
    folium.Map
        Save it with :func:`corridors.offline.save_map`.
    """
    folium_map = _base_map(network, tiles=tiles)
    links = network.links
    if scenario is not None:
        links = links.assign(status=apply_scenario(network, scenario).network.links["status"])
    names = list(scenarios) if scenarios is not None else sorted(network.seeds.scenarios)
    selected = scenario or (BASE_SCENARIO if BASE_SCENARIO in names or not names else names[0])
    highlights = lookup.derived(network.links, "scenario highlights")
    for name in names:
        applied = apply_scenario(network, name)
        title = applied.scenario.title if applied.scenario else name
        group = _group(
            name=f"Scenario: {title}", overlay=False, control=True, show=name == selected
        )
        group.add_to(folium_map)
        highlight = highlights.get(name)
        if highlight is None:  # the same on every map of the network
            routable = applied.network.links.loc[applied.routable_links]
            # One multi-line per scenario: the highlight has no popups, so it need not be split.
            vertices = [
                _vertices(network, str(link_id), geometry)
                for link_id, geometry in routable.geometry.items()
            ]
            highlight = highlights[name] = SharedFeature(feature(lines(vertices)))
        if highlight["geometry"]["coordinates"]:
            FeatureLayer(
                [highlight],
                style={
                    "color": "#f7dc6f",
                    "weight": 9,
                    "opacity": 0.55,
                    "className": _SCENARIO_CLASS,
                    "interactive": False,
                },
            ).add_to(group)
    _add_links(folium_map, network, links)
    linked = set(network.links["from"]) | set(network.links["to"])
    _add_nodes(
        folium_map,
        network,
        [
            n
            for n, kind in lookup.column(network.nodes, "kind").items()
            if n in linked or kind != "poi"
        ],
    )
    _add_labels(folium_map, network, network.nodes.index)
    _layer_control(folium_map)
    note = "Pale yellow: links routable in the scenario chosen above the overlays. " + (
        f"Statuses as in scenario '{scenario}'." if scenario else "Statuses as in the seeds."
    )
    _add_legend(folium_map, "Corridor network", note)
    return folium_map


def _add_route(
    folium_map: folium.Map, network: Network, route: Route, colour: str, *, show: bool, name: str
) -> None:
    group = _group(name=name, overlay=True, control=True, show=show)
    group.add_to(folium_map)
    totals = (
        f"#{route.rank} {route.label}: {route.length_km:,.0f} km, {route.time_h:,.1f} h, "
        f"US${route.cost_usd_per_t:,.1f}/t ({route.scenario})"
    )
    features = []
    for leg in route.legs:
        if leg.geometry is None:
            continue
        rows = [
            ("Route", totals),
            ("Mode", leg.mode),
            ("Status", _label(leg.status)),
            ("Gauge", "" if leg.gauge_mm is None else f"{leg.gauge_mm} mm"),
            ("Length", f"{leg.length_km:,.1f} km"),
            ("Time", f"{leg.time_h:,.1f} h"),
            ("Cost", f"US${leg.cost_usd_per_t:,.2f}/t"),
            ("Countries", ", ".join(leg.countries)),
            ("Link id", leg.link_id),
        ]
        popup = render(
            "popup",
            name=f"{leg.name} ({_node_name(network, leg.from_id)} to "
            f"{_node_name(network, leg.to_id)})",
            rows=[r for r in rows if r[1]],
            sources=_sources(network, leg.sources),
            notes="",
        )
        features.append(
            feature(
                lines([_vertices(network, leg.link_id, leg.geometry)]), popup=popup, tooltip=totals
            )
        )
    best = route.rank == 1
    style = {
        "color": colour,
        "weight": 7 if best else 5,
        "opacity": 0.95 if best else 0.75,
        "className": f"{_ROUTE_CLASS} {_ROUTE_CLASS}-{route.rank}",
    }
    FeatureLayer(features, style=style).add_to(group)


def _node_name(network: Network, node_id: str) -> str:
    return str(lookup.column(network.nodes, "name").get(node_id, node_id))


def _add_steps(folium_map: folium.Map, network: Network, route: Route) -> None:
    group = _group(name="Steps: transfers, breaks of gauge, borders", overlay=True, control=True)
    group.add_to(folium_map)
    features = [_step_marker(network, step) for step in route.steps]
    for node_id, label, colour in (
        (route.origin, "Start", "#1e8449"),
        (route.destination, "End", "#922b21"),
    ):
        row = network.nodes.loc[node_id]
        style = {"radius": 10, "fillColor": colour, "fillOpacity": 1.0, "className": _STEP_CLASS}
        features.append(
            feature(point(row["lat"], row["lon"]), style=style, tooltip=f"{label}: {row['name']}")
        )
    FeatureLayer(
        features, style={"color": "#000", "weight": 2, "fill": True}, popup_max_width=340
    ).add_to(group)


def _step_marker(network: Network, step: Step) -> dict[str, Any]:
    row = network.nodes.loc[step.at]
    rows = [
        ("Where", str(row["name"])),
        ("Time", f"{step.time_h:,.1f} h"),
        ("Cost", f"US${step.cost_usd_per_t:,.2f}/t"),
    ]
    popup = render(
        "step_popup",
        title=step.description,
        rows=rows,
        note=step.note,
        sources=_sources(network, step.sources),
    )
    style = {
        "radius": 8,
        "fillColor": STEP_COLOURS.get(step.kind, "#555"),
        "fillOpacity": 0.9,
        "className": f"{_STEP_CLASS} {_STEP_CLASS}-{escape.css_class(step.kind)}",
    }
    return feature(
        point(row["lat"], row["lon"]),
        style=style,
        popup=popup,
        tooltip=f"{_label(step.kind)}: {step.description}",
    )


def _context(folium_map: folium.Map, network: Network) -> None:
    group = _group(name="Network (context)", overlay=True, control=True)
    group.add_to(folium_map)
    features = lookup.derived(network.links, "context features").setdefault("all", [])
    if not features:  # the same on every route and comparison map of the network
        for link_id, geometry, status in zip(
            network.links.index, network.links.geometry, network.links["status"], strict=True
        ):
            dashes = STATUS_DASHES[str(status)]
            features.append(
                SharedFeature(
                    feature(
                        lines([_vertices(network, str(link_id), geometry)]),
                        style={"dashArray": dashes} if dashes else None,
                    )
                )
            )
    style = {
        "color": "#aab7b8",
        "weight": 2,
        "opacity": 0.8,
        "className": "cm-context",
        "interactive": False,
    }
    FeatureLayer(features, style=style).add_to(group)


def route_map(
    network: Network,
    routes: RouteSet,
    *,
    tiles: str | None = None,
    time_ranges: Sequence[tuple[float, float]] = (),
) -> folium.Map:
    """Map a routing answer: each alternative a layer in its own colour, with steps.

    Parameters
    ----------
    network
        The network it was computed on.
    routes
        The answer of :func:`corridors.route`.
    tiles
        An optional tile layer name (needs a network).
    time_ranges
        P10 and P90 hours of each of ``routes.routes`` (from a Monte Carlo run), shown in the
        tooltips and the panel beside the deterministic hours.

    Returns
    -------
    folium.Map
        Alternatives as layers (rank and totals in the tooltip, legs with popups), start and
        end markers, transfer, break-of-gauge and border markers, and a summary panel.
    """
    folium_map = _base_map(network, tiles=tiles)
    _context(folium_map, network)
    shown = list(routes.routes)
    coloured = list(zip(shown, ROUTE_COLOURS, strict=False))
    spread = dict(enumerate(time_ranges))

    def hours(index: int, route: Route) -> str:
        if index not in spread:
            return f"{route.time_h:,.1f}"
        low, high = spread[index]
        return f"{route.time_h:,.1f} (P10-P90 {low:,.1f}-{high:,.1f})"

    for index, (route, colour) in reversed(list(enumerate(coloured))):  # the best on top
        name = (
            f"#{route.rank} {route.label}: {route.length_km:,.0f} km, {hours(index, route)} h, "
            f"US${route.cost_usd_per_t:,.1f}/t"
        )
        _add_route(folium_map, network, route, colour, show=True, name=name)
    _add_steps(folium_map, network, routes.best)
    _add_labels(folium_map, network, [n for r in shown for n in r.node_ids])
    _layer_control(folium_map)
    query = routes.query
    rows = [
        {
            "colour": colour,
            "cells": [
                f"#{r.rank} {r.label}",
                f"{r.length_km:,.0f}",
                hours(index, r),
                f"{r.cost_usd_per_t:,.1f}",
                "+".join(r.modes),
                "-".join(r.countries),
                ", ".join(f"{k} {v}" for k, v in r.summary()["steps"].items()),
            ],
        }
        for index, (r, colour) in enumerate(zip(shown, ROUTE_COLOURS, strict=False))
    ]
    panel = render(
        "panel",
        title=(
            f"{_node_name(network, routes.best.origin)} to "
            f"{_node_name(network, routes.best.destination)} - scenario '{query['scenario']}', "
            f"by {query['weight']}"
        ),
        header=["route", "km", "hours", "US$/t", "modes", "countries", "steps"],
        rows=rows,
        note="Steps of the best route are marked: cyan transfer, black break of gauge, "
        "grey gauge unknown, orange border. The best route is drawn on top.",
    )
    _add_fixed_html(folium_map, panel, "bottomleft")
    _add_legend(
        folium_map,
        "Routes",
        "Grey lines: the rest of the network, dashed by status.",
        kinds=False,
        modes=False,
        routes=[(f"#{r.rank} {r.label}", colour, "") for r, colour in coloured],
    )
    folium_map.fit_bounds(_bounds(leg.geometry for r in shown for leg in r.legs))
    return folium_map


def _bounds(geometries: Iterable[LineString | None]) -> list[list[float]]:
    lons: list[float] = []
    lats: list[float] = []
    for geometry in geometries:
        if geometry is None:
            continue
        min_lon, min_lat, max_lon, max_lat = geometry.bounds
        lons += [min_lon, max_lon]
        lats += [min_lat, max_lat]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _add_changes(folium_map: folium.Map, network: Network, comparison: Comparison) -> None:
    """Highlight the links a scenario changes, in one layer."""
    changes = _group(name=f"Links changed by '{comparison.scenario}'", overlay=True, control=True)
    changes.add_to(folium_map)
    links = comparison.scenario_network.network.links
    changed = []
    for change in comparison.link_changes:
        row = links.loc[change.link_id].to_dict()
        text = f"{row['name']}: {_label(change.before) or 'new'} to {_label(change.after)}"
        popup = render(
            "popup",
            name=row["name"],
            rows=[
                (
                    "Change",
                    f"{change.change}: {_label(change.before) or 'new'} to "
                    f"{_label(change.after) or 'removed'}",
                ),
                *_link_rows(change.link_id, row, str(row["status"])),
            ],
            sources=_sources(network, row["sources"]),
            notes=row["notes"],
        )
        changed.append(
            feature(
                lines([_vertices(network, change.link_id, row["geometry"])]),
                popup=popup,
                tooltip=text,
            )
        )
    FeatureLayer(
        changed,
        style={"color": "#f1c40f", "weight": 12, "opacity": 0.8, "className": _CHANGE_CLASS},
    ).add_to(changes)


def comparison_map(
    network: Network, comparison: Comparison, *, tiles: str | None = None
) -> folium.Map:
    """Map a scenario comparison: the links that differ, and both scenarios' best routes.

    The base's best routes are drawn wide and pale, the scenario's narrow, dashed and on top, so
    both show where they share links. A scenario compared with itself (a baseline) draws one
    set of routes.

    Parameters
    ----------
    network
        The network it was computed on.
    comparison
        The answer of :func:`corridors.compare`.
    tiles
        An optional tile layer name (needs a network).

    Returns
    -------
    folium.Map
        Changed links highlighted, and one layer per scenario with the best route of every pair.
    """
    folium_map = _base_map(network, tiles=tiles)
    _context(folium_map, network)
    baseline = comparison.scenario == comparison.base
    _add_changes(folium_map, network, comparison)
    sides = (
        [(comparison.scenario, "scenario", SCENARIO_ROUTE | {"dash_array": None})]
        if baseline
        else [
            (comparison.base, "base", BASE_ROUTE),
            (comparison.scenario, "scenario", SCENARIO_ROUTE),
        ]
    )
    geometries = []
    places: list[str] = []
    for name, attribute, style in sides:
        title = f"Best routes today ('{name}')" if baseline else f"Best routes in '{name}'"
        group = _group(name=title, overlay=True, control=True)
        group.add_to(folium_map)
        # a link on several pairs' best routes is drawn once, naming every pair
        legs: dict[str, tuple[Leg, list[str]]] = {}
        for pair in comparison.pairs:
            answer: RouteSet | None = getattr(pair, attribute)
            if answer is None:
                continue
            best = answer.best
            places += [pair.origin.node_id, pair.destination.node_id]
            line = (
                f"{pair.origin.name} to {pair.destination.name}: {best.length_km:,.0f} km, "
                f"{best.time_h:,.1f} h, US${best.cost_usd_per_t:,.1f}/t"
                + ("" if baseline else f" ({pair.outcome})")
            )
            for leg in best.legs:
                if leg.geometry is not None:
                    legs.setdefault(leg.link_id, (leg, []))[1].append(line)
        features = []
        for leg, totals in legs.values():
            if leg.geometry is None:
                continue
            geometries.append(leg.geometry)
            tip = f"{leg.name} in '{name}', on the best route of: " + "; ".join(totals)
            popup = render(
                "popup",
                name=f"{leg.name} ('{name}')",
                rows=[
                    ("Leg", f"{leg.mode}, {_label(leg.status)}, {leg.length_km:,.1f} km"),
                    *(("Best route of", text) for text in totals),
                    ("Link id", leg.link_id),
                ],
                sources=_sources(network, leg.sources),
                notes="",
            )
            features.append(
                feature(
                    lines([_vertices(network, leg.link_id, leg.geometry)]), popup=popup, tooltip=tip
                )
            )
        FeatureLayer(
            features,
            style={
                "color": style["color"],
                "weight": style["weight"],
                "opacity": style["opacity"],
                "dashArray": style["dash_array"],
                "className": f"{_ROUTE_CLASS} {_ROUTE_CLASS}-{attribute}",
            },
            popup_max_width=420,
        ).add_to(group)
    _add_labels(folium_map, network, places)
    _layer_control(folium_map)
    rows = []
    for pair in comparison.pairs:
        delta = pair.delta() or {}
        rows.append(
            {
                "colour": SCENARIO_ROUTE["color"],
                "cells": [
                    f"{pair.origin.name} to {pair.destination.name}",
                    pair.outcome,
                    number(delta.get("length_km"), "{:+,.0f}"),
                    number(delta.get("time_h"), "{:+,.1f}"),
                    number(delta.get("cost_usd_per_t"), "{:+,.1f}"),
                ],
            }
        )
    if baseline:
        routes = [
            (f"Best routes today ('{comparison.scenario}')", str(SCENARIO_ROUTE["color"]), "")
        ]
        note = "One line per pair: today's best route."
    else:
        routes = [
            (f"Base: '{comparison.base}' (wide, pale)", str(BASE_ROUTE["color"]), ""),
            (
                f"Scenario: '{comparison.scenario}' (narrow, dashed)",
                str(SCENARIO_ROUTE["color"]),
                str(SCENARIO_ROUTE["dash_array"]),
            ),
            ("Links the scenario changes", "#f1c40f", ""),
        ]
        note = "Where both routes share a link, the scenario's dashes run inside the base's band."
    panel = render(
        "panel",
        title=f"'{comparison.scenario}' against '{comparison.base}'",
        header=["pair", "outcome", "change km", "change h", "change US$/t"],
        rows=rows,
        note=note,
        folded=len(rows) > 6,
    )
    _add_fixed_html(folium_map, panel, "bottomleft")
    _add_legend(folium_map, "Comparison", kinds=False, modes=False, routes=routes)
    if geometries:
        folium_map.fit_bounds(_bounds(geometries))
    return folium_map
