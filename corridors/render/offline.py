"""Self-contained HTML for folium maps: inlined assets and an offline basemap.

A stock folium page loads Leaflet, jQuery and plugins from public CDNs and is blank without a
network. Here every script and stylesheet a map references is replaced by its content, taken
from the ``folium-offline`` package (byte-identical copies of the CDN files folium pins, with
images as data URIs), so a saved map renders with no network at all. Country outlines come from
Natural Earth polygons shipped in a package, so the map stays readable without tiles; they are
simplified once and kept in the on-disk cache folder (:func:`corridors.network.cache.cache_dir`),
keyed by the box, the polygons' file, the code that simplifies them and the geometry libraries.
The assets are kept there too, keyed by the file of ``folium-offline`` that holds them.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import importlib.resources
import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import folium
import shapely
from folium.map import FitBounds
from shapely.geometry import box, mapping

from corridors.atomic import check_writable, write_together
from corridors.data import boundaries
from corridors.data.boundaries import country_polygons
from corridors.errors import MissingAsset
from corridors.network.cache import cache_dir, read_entry, write_entry
from corridors.render.map_layers import SinglePass

__all__ = [
    "NotebookMap",
    "OfflineMap",
    "country_outlines",
    "inline_assets",
    "notebook_html",
    "save_map",
]

_LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
_LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"
_JQUERY_JS = "https://code.jquery.com/jquery-3.7.1.min.js"
#: The package with byte-identical copies of the CDN files folium links to.
_ASSETS_PACKAGE = "offlinefolium"

_SCRIPT = re.compile(r'<script\s+src="(?P<url>[^"]+)"\s*>\s*</script>')
_STYLESHEET = re.compile(r'<link\s+rel="stylesheet"\s+href="(?P<url>[^"]+)"\s*/?>')


class OfflineMap(folium.Map, SinglePass):
    """A folium map that needs only Leaflet and jQuery (jQuery for folium's popups).

    folium's default Bootstrap, Font Awesome and awesome-markers assets are left out: the maps
    draw circle markers and their own legend, so they do not need them. The map and the view
    it is fitted to render in one template pass (:class:`corridors.render.map_layers.SinglePass`).
    """

    default_js = [("leaflet", _LEAFLET_JS), ("jquery", _JQUERY_JS)]  # noqa: RUF012 - folium's API
    default_css = [("leaflet_css", _LEAFLET_CSS)]  # noqa: RUF012 - folium's API

    def fit_bounds(
        self,
        bounds: Any,
        padding_top_left: Any = None,
        padding_bottom_right: Any = None,
        padding: Any = None,
        max_zoom: int | None = None,
    ) -> None:
        """Fit the map to a box ``[[south, west], [north, east]]``, as folium's ``fit_bounds``."""
        self.add_child(
            _FitBounds(
                bounds,
                padding_top_left=padding_top_left,
                padding_bottom_right=padding_bottom_right,
                padding=padding,
                max_zoom=max_zoom,
            )
        )


class _FitBounds(FitBounds, SinglePass):
    """folium's ``FitBounds``, rendered in one template pass."""


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """Return the CDN files folium-offline ships, by address, from the cache folder when kept.

    Importing folium-offline builds a second copy of folium (a tenth of a second); its files
    are kept in the cache folder instead, keyed by the module that holds them.
    """
    spec = importlib.util.find_spec(_ASSETS_PACKAGE)
    folders = list(spec.submodule_search_locations or []) if spec else []
    source = Path(folders[0]) / "elements.py" if folders else None
    folder = cache_dir()
    entry = None
    if folder is not None and source is not None and source.is_file():
        info = source.stat()
        key = hashlib.sha256(f"{source} {info.st_size} {info.st_mtime_ns}".encode()).hexdigest()
        entry = folder / f"assets-{key}.pickle"
        found = read_entry(entry)
        if isinstance(found, dict):
            return found
    assets = _packaged_assets()
    if entry is not None:
        write_entry(entry, assets)
    return assets


def _packaged_assets() -> dict[str, str]:
    from offlinefolium import elements  # noqa: PLC0415 - large module, load on first use

    return dict(elements._res)


def inline_assets(html: str) -> str:
    """Replace every CDN ``<script src>`` and stylesheet ``<link>`` by its inlined content.

    Parameters
    ----------
    html
        A rendered folium page.

    Returns
    -------
    str
        The page with no external script or stylesheet reference.

    Raises
    ------
    MissingAsset
        When a referenced asset is not available offline.
    """
    assets = _assets()

    def content(url: str) -> str:
        if url not in assets:
            message = (
                f"the map needs {url}, which no installed package provides offline; "
                "use a plugin whose assets folium-offline ships"
            )
            raise MissingAsset(message)
        return assets[url]

    def script(match: re.Match[str]) -> str:
        body = content(match.group("url")).replace("</script", "<\\/script")
        return f"<script>{body}</script>"

    def stylesheet(match: re.Match[str]) -> str:
        return f"<style>{content(match.group('url'))}</style>"

    def inlined(text: str) -> str:
        return _STYLESHEET.sub(stylesheet, _SCRIPT.sub(script, text))

    # folium links its assets in the page's head: when the body (most of the page: the
    # layers' data) holds no reference and no tag is open where the head ends, only the head
    # needs looking at
    head, end, body = html.partition("</head>")
    if (
        end
        and "src=" not in body
        and "stylesheet" not in body
        and head.rfind(">") > head.rfind("<")
    ):
        return inlined(head) + end + body
    return inlined(html)


def country_outlines(
    bounds: tuple[float, float, float, float],
    *,
    tolerance_deg: float = 0.02,
    far_tolerance_deg: float = 0.15,
    reach_deg: float = 60.0,
) -> dict[str, Any]:
    """Country polygons around a box, simplified for display, as a GeoJSON mapping.

    Countries near the box are drawn in detail, countries further away coarser; all are drawn
    whole up to a very large box (``reach_deg`` beyond the bounds), so no clipped straight edge
    shows at any zoom a map of the region is looked at.

    Parameters
    ----------
    bounds
        ``(min_lon, min_lat, max_lon, max_lat)`` to cover.
    tolerance_deg
        Simplification tolerance, in degrees, of countries within 12 degrees of the box.
    far_tolerance_deg
        Simplification tolerance of the countries further away.
    reach_deg
        How far beyond the box countries are drawn.

    Returns
    -------
    dict
        A GeoJSON FeatureCollection with ``iso2`` and ``name`` properties. Its geometries are
        computed once per set of arguments and shared: treat them as read-only.
    """
    min_lon, min_lat, max_lon, max_lat = (float(value) for value in bounds)
    features = _outline_features(
        (min_lon, min_lat, max_lon, max_lat),
        tolerance_deg,
        far_tolerance_deg,
        reach_deg,
    )
    return {"type": "FeatureCollection", "features": [dict(feature) for feature in features]}


@lru_cache(maxsize=8)
def _outline_features(
    bounds: tuple[float, float, float, float],
    tolerance_deg: float,
    far_tolerance_deg: float,
    reach_deg: float,
) -> tuple[dict[str, Any], ...]:
    """Simplify the country polygons once per box: every map of a network shares them, and
    later processes read them from the cache folder.
    """  # noqa: D205
    arguments = (bounds, tolerance_deg, far_tolerance_deg, reach_deg)
    folder = cache_dir()
    entry = folder / f"outlines-{_outline_key(arguments)}.pickle" if folder else None
    found = read_entry(entry) if entry else None
    if not isinstance(found, tuple):
        found = _simplified_outlines(*arguments)
        if entry:
            write_entry(entry, found)
    return found


def _outline_key(arguments: tuple[Any, ...]) -> str:
    """Hash what the outlines of a box depend on: the box and tolerances, the polygons' file,
    the code reading and simplifying them, and the geometry libraries' versions.
    """  # noqa: D205
    digest = hashlib.sha256(f"outlines 1 {arguments!r}\n".encode())
    archive = importlib.resources.files(boundaries._PACKAGE) / boundaries._ARCHIVE
    with contextlib.suppress(OSError, TypeError):
        info = Path(str(archive)).stat()
        digest.update(f"{archive} {info.st_size} {info.st_mtime_ns}\n".encode())
    for module in (boundaries.__file__, __file__):
        digest.update(Path(module).read_bytes())
    digest.update(f"shapely {shapely.__version__} geos {shapely.geos_version_string}".encode())
    return digest.hexdigest()


def _simplified_outlines(
    bounds: tuple[float, float, float, float], *tolerances: float
) -> tuple[dict[str, Any], ...]:
    """Clip the country polygons to the reach of a box and simplify them (tolerances and reach
    as :func:`country_outlines` takes them).
    """  # noqa: D205
    tolerance_deg, far_tolerance_deg, reach_deg = tolerances
    min_lon, min_lat, max_lon, max_lat = bounds
    near = box(min_lon - 12, min_lat - 8, max_lon + 12, max_lat + 8)
    area = box(
        max(min_lon - reach_deg, -180.0),
        max(min_lat - reach_deg, -90.0),
        min(max_lon + reach_deg, 180.0),
        min(max_lat + reach_deg, 90.0),
    )
    features = []
    for iso2, row in country_polygons().iterrows():
        geometry = row.geometry
        if not geometry.intersects(area):
            continue
        shape = geometry.intersection(area)
        tolerance = tolerance_deg if geometry.intersects(near) else far_tolerance_deg
        simple = shape.simplify(tolerance, preserve_topology=True)
        if simple.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"iso2": str(iso2), "name": str(row["name"])},
                "geometry": _rounded(mapping(simple)),
            }
        )
    return tuple(features)


def _rounded(geometry: Any, digits: int = 3) -> Any:
    """Coordinates rounded to ``digits`` decimals (about 100 m), to keep pages small."""
    if isinstance(geometry, dict):
        return {key: _rounded(value, digits) for key, value in geometry.items()}
    if isinstance(geometry, list | tuple):
        if geometry and all(type(value) is float for value in geometry):  # a vertex: no recursion
            return [round(value, digits) for value in geometry]
        return [_rounded(value, digits) for value in geometry]
    if isinstance(geometry, float):
        return round(geometry, digits)
    return geometry


def notebook_html(folium_map: folium.Map, *, height: int = 520) -> str:
    """HTML that shows a map inside a Jupyter notebook with no network (an iframe ``srcdoc``).

    Parameters
    ----------
    folium_map
        The map.
    height
        Height of the frame in pixels.

    Returns
    -------
    str
        The frame; in a notebook, ``display(NotebookMap(folium_map))`` shows it.
    """
    page = inline_assets(folium_map.get_root().render())
    return (
        f'<iframe style="width:100%;height:{height}px;border:0" '
        f'srcdoc="{html.escape(page, quote=True)}"></iframe>'
    )


class NotebookMap:
    """A map shown in a Jupyter notebook with every asset inlined (no network needed).

    Parameters
    ----------
    folium_map
        The map.
    height
        Height of the frame in pixels.
    """

    def __init__(self, folium_map: folium.Map, *, height: int = 520) -> None:
        self._html = notebook_html(folium_map, height=height)

    def _repr_html_(self) -> str:
        return self._html


def save_map(folium_map: folium.Map, path: Path | str) -> Path:
    """Render a map to one self-contained HTML file.

    The page goes through the atomic writer (:mod:`corridors.atomic`), so a failure never
    leaves a half-written map.

    Parameters
    ----------
    folium_map
        The map.
    path
        Where to write it; parent folders are created.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    target = Path(path)
    check_writable([target])
    html = inline_assets(folium_map.get_root().render())
    write_together({target: html})
    return target
