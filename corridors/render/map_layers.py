"""One GeoJSON layer per group of map features, styled and annotated from its properties.

Drawing each line or marker as its own folium element costs a template compilation per line,
popup and tooltip, and builds every popup's DOM when the page loads. Here a group's features go
into the page as one GeoJSON FeatureCollection that Leaflet draws with ``L.geoJSON``: each
feature's ``style`` property is laid over the layer's style (colour, weight, dashes, CSS class),
its ``popup`` (HTML from :func:`corridors.render.map_templates.render`) is bound as a popup, and
its ``tooltip`` (plain text) is shown as text content, never parsed as HTML. The collection is
serialised by :func:`corridors.render.escape.script_json`, so no text from the data can end the
script or be read as template source; and the layer's script joins the page as it is, without
the second template pass branca gives every element's output.

Many maps of one network draw the same features (links, places, country outlines): a
:class:`SharedFeature` is serialised once, however many layers and maps hold it. The other
elements of a map (the map itself, its controls, legend and labels) render through
:class:`SinglePass`, which also spares them branca's second template pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from typing import Any

import folium
from branca.element import Element, Figure
from folium.template import Template

from corridors.render import escape

__all__ = [
    "FeatureLayer",
    "Group",
    "SharedFeature",
    "SinglePass",
    "feature",
    "lines",
    "point",
    "static_element",
]

Coordinates = Sequence[Sequence[float]]
#: What a Jinja template would read as syntax (or rewrite: line breaks other than ``\n``).
_TEMPLATE_SYNTAX = re.compile(r"\{[{%#]|\r")


def feature(
    geometry: Mapping[str, Any],
    *,
    style: Mapping[str, Any] | None = None,
    popup: str | None = None,
    tooltip: str | None = None,
) -> dict[str, Any]:
    """Return a GeoJSON feature for a :class:`FeatureLayer`.

    Parameters
    ----------
    geometry
        A GeoJSON geometry (see :func:`lines` and :func:`point`); a point is drawn as a
        circle marker.
    style
        Leaflet path or circle-marker options for this feature (``className``, ``dashArray``,
        ``radius``, ``fillColor``, ...), laid over the layer's.
    popup
        HTML shown when the feature is clicked (text from the data already escaped).
    tooltip
        Plain text shown on hover.

    Returns
    -------
    dict
        A GeoJSON Feature whose properties hold what was given.
    """
    properties: dict[str, Any] = {}
    if style:
        properties["style"] = dict(style)
    if popup:
        properties["popup"] = popup
    if tooltip:
        properties["tooltip"] = tooltip
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def lines(coordinates: Sequence[Coordinates]) -> dict[str, Any]:
    """Return a LineString, or a MultiLineString for several lines of ``[lon, lat]`` vertices."""
    if len(coordinates) == 1:
        return {"type": "LineString", "coordinates": coordinates[0]}
    return {"type": "MultiLineString", "coordinates": list(coordinates)}


def point(lat: float, lon: float) -> dict[str, Any]:
    """Return a Point, to 5 decimals (about a metre)."""
    return {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]}


class SharedFeature(dict[str, Any]):
    r"""A feature from :func:`feature` drawn on many maps, serialised once.

    Build it once (e.g. a link's feature for every map of the network) and treat it as
    read-only: its JSON text is computed the first time a layer holds it and kept.

    Examples
    --------
    >>> shared = SharedFeature(feature(point(43.0, 51.0), tooltip="</script>"))
    >>> shared.json[shared.json.index('"properties"'):]
    '"properties":{"tooltip":"\\u003c/script\\u003e"}}'
    """

    @cached_property
    def json(self) -> str:
        """The feature as :func:`corridors.render.escape.script_json` writes it."""
        return escape.script_json(self)


def _feature_json(item: Mapping[str, Any]) -> str:
    return item.json if isinstance(item, SharedFeature) else escape.script_json(item)


class _Script(Element):
    """Script text added to the page as it is (branca would compile it as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        """Return the script text."""
        return self._text


class FeatureLayer(folium.MacroElement):
    """Features drawn as one Leaflet GeoJSON layer inside their parent (a feature group).

    Parameters
    ----------
    features
        GeoJSON features from :func:`feature`.
    style
        Leaflet path options shared by every feature (``color``, ``weight``, ``opacity``,
        ``interactive``, ...).
    popup_max_width
        Widest a popup may grow, in pixels.

    Attributes
    ----------
    features
        The features, as given.
    base_style
        The shared style, as given.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function(){var base={{ this.style }};"
        "function style(f){return Object.assign({},base,f.properties.style);}"
        "function text(t){return function(){var d=document.createElement('div');"
        "d.textContent=t;return d;};}"
        "L.geoJSON({{ this.data }},{style:style,"
        "pointToLayer:function(f,at){return L.circleMarker(at,style(f));},"
        "onEachFeature:function(f,layer){var p=f.properties;"
        "if(p.popup){layer.bindPopup(p.popup,{maxWidth:{{ this.popup_max_width }}});}"
        "if(p.tooltip){layer.bindTooltip(text(p.tooltip),{sticky:true});}}"
        "}).addTo({{ this._parent.get_name() }});})();"
        "{% endmacro %}"
    )

    def __init__(
        self,
        features: Iterable[dict[str, Any]],
        *,
        style: Mapping[str, Any] | None = None,
        popup_max_width: int = 380,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "FeatureLayer"
        self.features = list(features)
        self.base_style = dict(style or {})
        # the collection's JSON is its features' JSON joined: a shared feature is not
        # serialised again
        self.data = (
            '{"type":"FeatureCollection","features":['
            + ",".join(_feature_json(item) for item in self.features)
            + "]}"
        )
        self.style = escape.script_json(self.base_style)
        self.popup_max_width = int(popup_max_width)

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as MacroElement
        """Add the layer's script to the page's scripts, rendered once."""
        _add_script(self, self._template.module.__dict__["script"](self, kwargs))


class Group(folium.FeatureGroup):
    """A folium feature group (a layer in the layer control) rendered in one template pass.

    It takes folium's ``FeatureGroup`` arguments and draws the same group; its script joins
    the page as rendered, and so do the :class:`FeatureLayer` scripts inside it.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as MacroElement
        """Add the group's script (and, when shown, its addition to the map), then its layers."""
        script = self._template.module.__dict__["script"](self, kwargs)
        if self.show and self._parent is not None:
            script += f"\n{self.get_name()}.addTo({self._parent.get_name()});"
        _add_script(self, script)
        for child in self._children.values():
            child.render(**kwargs)


class SinglePass(folium.MacroElement):
    """A macro element whose macros' output joins the page without a second template pass.

    branca makes the output of every ``header``, ``html`` and ``script`` macro the source of a
    new template and renders that again: a template compilation per element and map. For
    text without Jinja syntax that second pass gives the text back less one final newline, so
    that is what is added here; text with Jinja syntax still takes branca's pass. Mix it into
    a folium element after the element's class (``class Control(plugins.Fullscreen,
    SinglePass)``), so the element's own ``render`` (its assets) still runs first.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as MacroElement
        """Add each macro's output to the page's header, body and scripts, then the children."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            message = f"a {type(self).__name__} renders only inside a map"
            raise TypeError(message)
        macros = self._template.module.__dict__
        for part, section in (
            ("header", figure.header),
            ("html", figure.html),
            ("script", figure.script),
        ):
            macro = macros.get(part)
            if macro is not None:
                section.add_child(static_element(str(macro(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


def static_element(text: str) -> Element:
    r"""Return an element that renders as ``folium.Element(text)`` does, without compiling it.

    Parameters
    ----------
    text
        HTML or script text of this package's own (a stylesheet, a macro's output).

    Returns
    -------
    branca.element.Element
        An element giving the text back less one final newline, as a template of it would;
        text with Jinja syntax in it is left to ``folium.Element``.

    Examples
    --------
    >>> static_element("<style>p{color:red}</style>\n").render()
    '<style>p{color:red}</style>'
    """
    if _TEMPLATE_SYNTAX.search(text):
        return Element(text)
    return _Script(text.removesuffix("\n"))


def _add_script(element: Element, text: str) -> None:
    """Add script text to the page an element is on, as it is."""
    figure = element.get_root()
    if not isinstance(figure, Figure):
        message = f"a {type(element).__name__} renders only inside a map"
        raise TypeError(message)
    figure.script.add_child(_Script(text), name=element.get_name())
