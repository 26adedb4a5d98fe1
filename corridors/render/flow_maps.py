"""Freight flows on a map and in a GeoPackage.

:func:`flow_map` draws every link that carries flow, its width by tonnes a year and its colour by
the utilisation of the busiest capacity element it belongs to, with a popup of its flow by
direction, commodity and origin; crossings and ports are circles coloured the same way.
:func:`flow_layer` is the same as a GeoDataFrame, and :func:`write_flow_layer` writes it as the
``link_flows`` layer of a GeoPackage through the atomic writer.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from corridors.analysis.flows import FlowResult, element_flows, link_flows, link_origins
from corridors.atomic import staged
from corridors.render import escape
from corridors.render.format import number

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

__all__ = ["FLOW_LAYER", "flow_layer", "flow_map", "utilisation_colour", "write_flow_layer"]

#: The GeoPackage layer of link flows.
FLOW_LAYER = "link_flows"

#: Utilisation bands and their colours, from idle to over capacity.
BANDS = ((0.5, "#1a9850"), (0.8, "#fee08b"), (1.0, "#fc8d59"), (math.inf, "#d73027"))
NO_CAPACITY = "#5b6f8a"


def utilisation_colour(ratio: float) -> str:
    """Return the colour of a utilisation (volume over capacity); NaN for no capacity.

    Parameters
    ----------
    ratio
        Volume over capacity.

    Returns
    -------
    str
        A CSS colour.

    Examples
    --------
    >>> utilisation_colour(0.2), utilisation_colour(1.3)
    ('#1a9850', '#d73027')
    """
    if not math.isfinite(ratio):
        return NO_CAPACITY
    return next(colour for limit, colour in BANDS if ratio < limit)


def _link_utilisation(result: FlowResult) -> pd.Series:
    elements = element_flows(result)
    links = result.graph.links
    best: dict[str, float] = {}
    for _, row in elements.iterrows():
        ids: list[str] = str(row["link"]).split(",") if row["link"] else []
        if row["node"]:
            node = str(row["node"])
            ids = list(links.index[(links["from"] == node) | (links["to"] == node)])
        for link_id in ids:
            best[link_id] = max(best.get(link_id, 0.0), float(row["utilisation"]))
    return pd.Series(best, dtype=float)


def flow_layer(result: FlowResult) -> gpd.GeoDataFrame:
    """Return the link flows as a GeoDataFrame (EPSG:4326), one row per link carrying flow.

    Parameters
    ----------
    result
        An assignment.

    Returns
    -------
    geopandas.GeoDataFrame
        The columns of :func:`corridors.analysis.flows.link_flows`, ``utilisation`` (of the
        busiest element on the link; NaN without a capacity) and the link's geometry.
    """
    import geopandas as gpd  # noqa: PLC0415

    table = link_flows(result)
    table["utilisation"] = _link_utilisation(result).reindex(table.index)
    geometry = result.graph.scenario.network.links.geometry.reindex(table.index)
    frame = gpd.GeoDataFrame(table, geometry=geometry.to_numpy(), crs="EPSG:4326")
    frame.index.name = "link"
    return frame.reset_index()


def write_flow_layer(result: FlowResult, path: Path | str) -> list[Path]:
    """Write the link flows as the ``link_flows`` layer of a GeoPackage, atomically.

    Parameters
    ----------
    result
        An assignment.
    path
        A ``.gpkg`` file.

    Returns
    -------
    list of pathlib.Path
        The written file.
    """
    target = Path(path)
    layer = flow_layer(result)
    with staged([target]) as paths:
        layer.to_file(
            paths[target],
            layer=FLOW_LAYER,
            driver="GPKG",
            engine="pyogrio",
            geometry_type="LineString",
        )
    return [target]


def _popup_html(
    name: str,
    row: pd.Series,
    commodities: list[str],
    origins: list[tuple[str, float]],
    utilisation: float,
) -> str:
    lines = [f"<b>{escape.html_text(name)}</b>"]
    lines.append(
        f"{number(row['total_t'] / 1e3, '{:,.0f}')} kt a year "
        f"({number(row['forward_t'] / 1e3, '{:,.0f}')} kt forward, "
        f"{number(row['reverse_t'] / 1e3, '{:,.0f}')} kt back)"
    )
    if math.isfinite(utilisation):
        lines.append(f"utilisation {number(100 * utilisation, '{:,.0f}')} %")
    parts = [
        f"{escape.html_text(c)}: {number(row[f't_{c}'] / 1e3, '{:,.0f}')} kt"
        for c in commodities
        if row[f"t_{c}"] > 0.5
    ]
    lines.append("<i>by commodity</i><br>" + "<br>".join(parts))
    lines.append(
        "<i>from</i><br>"
        + "<br>".join(
            f"{escape.html_text(zone)}: {number(t / 1e3, '{:,.0f}')} kt" for zone, t in origins
        )
    )
    return "<br>".join(lines)


def flow_map(result: FlowResult, *, tiles: str | None = None) -> folium.Map:
    """Draw assigned flows: width by tonnes, colour by utilisation, popups by commodity and origin.

    Parameters
    ----------
    result
        An assignment.
    tiles
        Optional tile layer (needs a network to show).

    Returns
    -------
    folium.Map
        Save it with :func:`corridors.render.offline.save_map`.
    """
    import folium  # noqa: PLC0415

    from corridors.render.map_layers import FeatureLayer, feature, lines, point  # noqa: PLC0415
    from corridors.render.maps import _base_map, _group  # noqa: PLC0415

    network = result.graph.scenario.network
    folium_map = _base_map(network, tiles=tiles)
    table = flow_layer(result)
    origins = link_origins(result)
    largest = float(table["total_t"].max()) if len(table) else 1.0
    flows = []
    for _, row in table.iterrows():
        if row.geometry is None:
            continue
        ratio = float(row["utilisation"]) if pd.notna(row["utilisation"]) else math.nan
        width = 2.0 + 12.0 * math.sqrt(float(row["total_t"]) / largest)
        parts = getattr(row.geometry, "geoms", [row.geometry])
        flows.append(
            feature(
                lines([[[round(x, 5), round(y, 5)] for x, y in part.coords] for part in parts]),
                style={"color": utilisation_colour(ratio), "weight": round(width, 1)},
                popup=_popup_html(
                    str(row["name"]),
                    row,
                    result.commodities,
                    origins.get(str(row["link"]), []),
                    ratio,
                ),
                tooltip=f"{row['name']}: {number(row['total_t'] / 1e3, '{:,.0f}')} kt/yr",
            )
        )
    group = _group("Link flows (width: tonnes a year; colour: utilisation)")
    group.add_to(folium_map)
    FeatureLayer(flows, style={"opacity": 0.85}, popup_max_width=360).add_to(group)
    markers = []
    nodes = network.nodes
    links = network.links
    for _, element in element_flows(result).iterrows():
        if element["node"]:
            at = nodes.geometry[str(element["node"])]
        else:
            first = str(element["link"]).split(",")[0]
            if element["kind"] == "link" or first not in links.index:
                continue
            at = links.geometry[first].interpolate(0.5, normalized=True)
        ratio = float(element["utilisation"])
        text = (
            f"{element['name']}: {number(element['volume_t'] / 1e3, '{:,.0f}')} kt of "
            f"{number(element['capacity_t'] / 1e3, '{:,.0f}')} kt "
            f"({number(100 * ratio, '{:,.0f}')} %)"
        )
        markers.append(
            feature(
                point(at.y, at.x),
                style={
                    "radius": 5 + 6 * min(ratio, 1.5),
                    "fillColor": utilisation_colour(ratio),
                },
                tooltip=text,
            )
        )
    points = _group("Crossings and ports (colour: utilisation)")
    points.add_to(folium_map)
    style = {"color": "#333333", "weight": 1, "fill": True, "fillOpacity": 0.9}
    FeatureLayer(markers, style=style).add_to(points)
    folium.LayerControl(collapsed=True).add_to(folium_map)
    legend = " ".join(
        f'<span style="color:{colour}">&#9632;</span> {label}'
        for label, colour in zip(
            ("under 50 %", "50-80 %", "80-100 %", "over capacity"),
            (c for _, c in BANDS),
            strict=True,
        )
    )
    legend += f' <span style="color:{NO_CAPACITY}">&#9632;</span> no capacity given'
    folium_map.get_root().html.add_child(  # type: ignore[attr-defined]
        folium.Element(
            '<div style="position:fixed;bottom:18px;left:18px;z-index:9999;background:#fff;'
            f'padding:6px 10px;font:13px sans-serif;border:1px solid #999">{legend}</div>'
        )
    )
    return folium_map
