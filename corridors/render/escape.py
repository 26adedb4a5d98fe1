r"""Escaping of text from the data (seeds, scenario files, user queries), one function per context.

Every piece of text that did not come from this package's own source code goes through one of
these functions before it reaches a page, a script, a template or a terminal:

``html_text``
    Text inside an HTML element.
``html_attribute``
    Text inside a quoted HTML attribute value.
``js_string``
    A JavaScript string literal, safe inside an inline ``<script>`` and inert as Jinja source.
``script_json``
    A JSON value (a GeoJSON layer's data, with popup HTML and tooltip text in its properties)
    written into an inline script, inert as Jinja source.
``jinja_inert``
    HTML that folium and branca will parse again as a Jinja template.
``template_literal``
    HTML that folium places inside a JavaScript template literal (backticks), which branca
    also parses again as a Jinja template: folium's popups and tooltips.
``tooltip_text``, ``layer_name``
    Plain text for a folium tooltip, or for a layer's label in Leaflet's layer control.
``css_class``
    A CSS class name.
``markdown_text``, ``markdown_url``
    Text and link targets in a Markdown document (HTML escaped, table pipes and newlines too).
``rich_text``
    Text in a rich table (markup such as ``[bold]`` shown as written).

Why a second template pass matters: branca turns the output of every folium element (popups,
tooltips, layer controls, any ``MacroElement``) into a new ``branca.element.Element`` whose
*template source* is that output, and renders it again. So ``{{ 7*7 }}`` in a place name would
show ``49``, and ``{{ ... }}`` can call Python. The functions here never let ``{{``, ``{%`` or
``{#`` from the data through to folium: HTML contexts get character references for ``{`` and
``}``, JavaScript strings get ``\u007b`` and ``\u007d``.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

from markupsafe import Markup
from rich.markup import escape as _rich_escape

__all__ = [
    "css_class",
    "html_attribute",
    "html_text",
    "jinja_inert",
    "js_string",
    "layer_name",
    "markdown_text",
    "markdown_url",
    "rich_text",
    "script_json",
    "template_literal",
    "tooltip_text",
]

#: Characters that open Jinja syntax, as HTML character references.
_JINJA = {"{": "&#123;", "}": "&#125;"}
_JINJA_ENTITIES = str.maketrans(_JINJA)
#: Characters with a meaning inside a JavaScript template literal, as HTML character references.
_LITERAL_ENTITIES = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", **_JINJA})
#: Characters escaped in a JavaScript string literal beyond what JSON requires.
_JS_ESCAPES = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "'": "\\u0027",
        "`": "\\u0060",
        "{": "\\u007b",
        "}": "\\u007d",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)
#: In JSON text these occur only inside strings, where their escapes mean the same.
_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)
#: A brace opening Jinja syntax: in JSON text only ever inside a string (an object opens with a
#: quote or a closing brace after it).
_JSON_JINJA = re.compile(r"\{(?=[{%#])")
_SCRIPT_END = re.compile(r"</(?=script)", re.IGNORECASE)
_NOT_CLASS = re.compile(r"[^A-Za-z0-9_-]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")
_MARKDOWN_ENTITIES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "|": "&#124;",
        "\\": "&#92;",
        "`": "&#96;",
        "[": "&#91;",
        "]": "&#93;",
    }
)
#: Characters kept as they are in a Markdown autolink target; others are percent-encoded.
_URL_SAFE = ":/?#@!$&'()*+,;=%~-._"


def html_text(value: object) -> str:
    """Escape text for the body of an HTML element.

    Parameters
    ----------
    value
        Any value; it is converted with ``str``.

    Returns
    -------
    str
        The text with ``&``, ``<``, ``>`` and both quotes as character references.

    Examples
    --------
    >>> html_text("<b>A & B</b>")
    '&lt;b&gt;A &amp; B&lt;/b&gt;'
    """
    return html.escape(str(value), quote=True)


def html_attribute(value: object) -> str:
    """Escape text for a quoted HTML attribute value.

    Parameters
    ----------
    value
        Any value; it is converted with ``str``.

    Returns
    -------
    str
        The text with ``&``, ``<``, ``>``, both quotes and the backtick as character references.

    Examples
    --------
    >>> html_attribute('" onload="x')
    '&quot; onload=&quot;x'
    """
    return html_text(value).replace("`", "&#96;")


def js_string(value: object) -> str:
    r"""Quote text as a JavaScript string literal.

    The literal is safe inside an inline ``<script>`` (no ``<``, ``>``, ``&``, no line
    terminators) and inert when the script is parsed again as a Jinja template (no braces).

    Parameters
    ----------
    value
        Any value; it is converted with ``str``.

    Returns
    -------
    str
        A double-quoted JavaScript string literal.

    Examples
    --------
    >>> js_string("</script>{{ 7*7 }}")
    '"\\u003c/script\\u003e\\u007b\\u007b 7*7 \\u007d\\u007d"'
    """
    return json.dumps(str(value), ensure_ascii=False).translate(_JS_ESCAPES)


def script_json(value: object) -> str:
    r"""Serialise a value as JSON for an inline ``<script>``, inert as Jinja source.

    Strings keep their characters (an ``&lt;`` in popup HTML stays ``&lt;``) except ``<`` and
    ``>`` (so nothing closes the script or opens a comment), the JavaScript line separators,
    and a ``{`` that would open ``{{``, ``{%`` or ``{#``: each becomes its ``\u`` escape,
    which JSON and JavaScript read as the same character.

    Parameters
    ----------
    value
        Anything :func:`json.dumps` accepts (finite numbers only).

    Returns
    -------
    str
        Compact JSON text, also a JavaScript expression.

    Examples
    --------
    >>> script_json({"name": "</script>{{ 7*7 }}"})
    '{"name":"\\u003c/script\\u003e\\u007b{ 7*7 }}"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for character, escaped in _JSON_ESCAPES:  # str.replace: much faster than translate here
        text = text.replace(character, escaped)
    return _JSON_JINJA.sub(r"\\u007b", text)


def jinja_inert(markup: str) -> str:
    """Make HTML inert as Jinja source, keeping what it shows.

    Parameters
    ----------
    markup
        HTML whose text from the data is already escaped (e.g. by an autoescaped template).

    Returns
    -------
    str
        The HTML with ``{`` and ``}`` as character references, so no ``{{``, ``{%`` or ``{#``
        is left for a later template pass.

    Examples
    --------
    >>> jinja_inert("<b>{{ 7*7 }}</b>")
    '<b>&#123;&#123; 7*7 &#125;&#125;</b>'
    """
    return markup.translate(_JINJA_ENTITIES)


def template_literal(markup: str) -> str:
    """Make HTML safe inside a JavaScript template literal that is also Jinja source.

    folium writes popup and tooltip HTML between backticks in its script, and branca parses
    that script again as a Jinja template. A backtick would end the literal (and break the
    whole map's script), ``${...}`` would run as JavaScript, a backslash would start an escape.

    Parameters
    ----------
    markup
        HTML whose text from the data is already escaped.

    Returns
    -------
    str
        The HTML with the backtick, ``$``, the backslash and both braces as character
        references, and any ``</script`` broken.

    Examples
    --------
    >>> template_literal("<i>`${x}` {{ 7*7 }}</i>")
    '<i>&#96;&#36;&#123;x&#125;&#96; &#123;&#123; 7*7 &#125;&#125;</i>'
    """
    return _SCRIPT_END.sub("&lt;/", markup.translate(_LITERAL_ENTITIES))


def tooltip_text(value: object) -> str:
    """Escape plain text for a folium tooltip.

    Parameters
    ----------
    value
        Any value; it is converted with ``str``.

    Returns
    -------
    str
        HTML showing exactly that text, safe in folium's template literal and template pass.

    Examples
    --------
    >>> tooltip_text("<b>`a`</b>")
    '&lt;b&gt;&#96;a&#96;&lt;/b&gt;'
    """
    return template_literal(html_text(value))


def layer_name(value: object) -> str:
    """Escape plain text for a layer's label in Leaflet's layer control.

    folium writes the name as a JSON key in the control's script (so JavaScript string
    escaping is folium's), branca parses the script again as a template, and Leaflet sets the
    label with ``innerHTML``.

    Parameters
    ----------
    value
        Any value; it is converted with ``str``.

    Returns
    -------
    str
        HTML showing exactly that text, with no braces.

    Examples
    --------
    >>> layer_name("Scenario: <i>{{ 7*7 }}</i>")
    'Scenario: &lt;i&gt;&#123;&#123; 7*7 &#125;&#125;&lt;/i&gt;'
    """
    return jinja_inert(html_text(value))


def css_class(value: object) -> str:
    """Turn text into a CSS class name (letters, digits, ``_`` and ``-`` only).

    Parameters
    ----------
    value
        Any value; it is converted with ``str``.

    Returns
    -------
    str
        The text with every other character replaced by ``_``.

    Examples
    --------
    >>> css_class("cm-link-a b{{x}}")
    'cm-link-a_b__x__'
    """
    return _NOT_CLASS.sub("_", str(value))


def markdown_text(value: object) -> str:
    r"""Escape text for Markdown: inline HTML, links, table pipes and line breaks.

    Parameters
    ----------
    value
        Any value; it is converted with ``str``.

    Returns
    -------
    str
        The text on one line, with ``&``, ``<``, ``>``, ``|``, the backslash, the backtick and
        square brackets (which would make links and images) as HTML character references,
        which Markdown renders as the characters.

    Examples
    --------
    >>> markdown_text("<script>a|b</script>\nnext")
    '&lt;script&gt;a&#124;b&lt;/script&gt; next'
    >>> markdown_text("[x](javascript:alert(1))")
    '&#91;x&#93;(javascript:alert(1))'
    """
    return _LINE_BREAKS.sub(" ", str(value)).translate(_MARKDOWN_ENTITIES)


def markdown_url(value: object) -> Markup:
    """Percent-encode a web address for a Markdown autolink (``<...>``).

    Parameters
    ----------
    value
        An ``http://`` or ``https://`` address.

    Returns
    -------
    markupsafe.Markup
        The address with spaces, angle and square brackets, double quotes, pipes, backslashes,
        backticks and non-ASCII characters percent-encoded; marked safe so it is not escaped
        again.

    Examples
    --------
    >>> str(markdown_url("https://example.org/a b?<x>|y"))
    'https://example.org/a%20b?%3Cx%3E%7Cy'
    """
    return Markup(quote(str(value), safe=_URL_SAFE))


def rich_text(value: object) -> str:
    r"""Escape rich console markup, so ``[bold]`` in the data is shown as written.

    Parameters
    ----------
    value
        Any value; it is converted with ``str``.

    Returns
    -------
    str
        Text for a rich table cell, title or caption.

    Examples
    --------
    >>> rich_text("[bold]x[/bold]")
    '\\[bold]x\\[/bold]'
    """
    return _rich_escape(str(value))
