"""Jinja templates for map popups, the legend and the route summary panel.

Text from the data is passed to the templates as values, never as template source, and the
templates are rendered with autoescaping, so it shows as text. The HTML they return is still
plain HTML: :mod:`corridors.render.maps` escapes it for where folium puts it (a JavaScript
template literal or string, parsed again by branca as a template) with
:mod:`corridors.render.escape`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, Template

__all__ = ["render"]

_SOURCES = """
{%- if sources %}<div class="cm-h">Sources</div><ul class="cm-sources">
{%- for s in sources %}<li>
{%- if s.url %}<a href="{{ s.url }}" target="_blank" rel="noopener noreferrer">{{ s.title }}</a>
{%- else %}{{ s.title }}{% endif %}
{%- if s.file %} <span class="cm-file">[{{ s.file }}]</span>{% endif %}
{%- if s.publisher %}, {{ s.publisher }}{% endif %}{% if s.date %}, {{ s.date }}{% endif %}
</li>{%- endfor %}</ul>{% endif %}
"""

TEMPLATES = {
    "popup": """<div class="cm-popup"><div class="cm-title">{{ name }}</div>
{%- if name_local %}<div class="cm-local">{{ name_local }}</div>{% endif %}
<table class="cm-table">
{%- for label, value in rows %}<tr><th>{{ label }}</th><td>{{ value }}</td></tr>{% endfor %}
</table>"""
    + _SOURCES
    + """
{%- if notes %}<div class="cm-notes">{{ notes }}</div>{% endif %}</div>""",
    "step_popup": """<div class="cm-popup"><div class="cm-title">{{ title }}</div>
<table class="cm-table">
{%- for label, value in rows %}<tr><th>{{ label }}</th><td>{{ value }}</td></tr>{% endfor %}
</table>"""
    + _SOURCES
    + """{% if note %}<div class="cm-notes">{{ note }}</div>{% endif %}</div>""",
    "legend": """<details class="cm-legend leaflet-control" id="cm-legend" open>
<summary class="cm-title">{{ title }}</summary>
{%- for label, colour, dash in routes %}<div class="cm-row"><svg class="cm-line" width="26" height="8"><line x1="0" y1="4" x2="26" y2="4" stroke="{{ colour }}" stroke-width="4"{% if dash %} stroke-dasharray="{{ dash }}"{% endif %}/></svg>{{ label }}</div>{% endfor %}
{%- for label, colour in modes %}<div class="cm-row"><svg class="cm-line" width="26" height="8"><line x1="0" y1="4" x2="26" y2="4" stroke="{{ colour }}" stroke-width="3"/></svg>{{ label }}</div>{% endfor %}
{%- for label, dash in statuses %}<div class="cm-row"><svg class="cm-line" width="26" height="8"><line x1="0" y1="4" x2="26" y2="4" stroke="#444" stroke-width="3"{% if dash %} stroke-dasharray="{{ dash }}"{% endif %}/></svg>{{ label }}</div>{% endfor %}
{%- for label, colour in kinds %}<div class="cm-row"><span class="cm-dot" style="background:{{ colour }}"></span>{{ label }}</div>{% endfor %}
{%- if note %}<div class="cm-notes">{{ note }}</div>{% endif %}
</details>""",
    "panel": """<details class="cm-panel leaflet-control" id="cm-panel"{% if not folded %} open{% endif %}>
<summary class="cm-title">{{ title }}</summary>
<table class="cm-table"><tr>{% for h in header %}<th>{{ h }}</th>{% endfor %}</tr>
{%- for row in rows %}<tr><td><span class="cm-dot" style="background:{{ row.colour }}"></span>{{ row.cells[0] }}</td>{% for cell in row.cells[1:] %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}
</table>{% if note %}<div class="cm-notes">{{ note }}</div>{% endif %}</details>""",
    "style": """<style>
.cm-popup{font:12px/1.35 sans-serif;max-width:340px}
.cm-title{font-weight:bold;font-size:13px;margin-bottom:3px}
.cm-local{color:#555;margin-bottom:3px}
.cm-table{border-collapse:collapse;margin:2px 0}
.cm-table th{text-align:left;padding:1px 6px 1px 0;color:#555;font-weight:normal;vertical-align:top}
.cm-table td{padding:1px 4px 1px 0}
.cm-h{font-weight:bold;margin-top:4px}
.cm-sources{margin:2px 0 2px 14px;padding:0}
.cm-file{color:#555}
.cm-notes{color:#444;margin-top:4px;font-size:11px}
.cm-legend,.cm-panel{background:rgba(255,255,255,.92);padding:6px 8px;border-radius:4px;
 box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.3 sans-serif;max-height:70vh;overflow:auto}
.cm-panel{max-width:560px}
.cm-legend{max-width:250px}
.cm-legend .cm-notes,.cm-legend .cm-row{white-space:normal}
.cm-legend summary,.cm-panel summary{cursor:pointer}
.cm-legend:not([open]),.cm-panel:not([open]){padding:3px 8px}
.cm-label{background:none;border:0;white-space:nowrap}
.cm-label span{font:bold 11px/1.1 sans-serif;color:#1b2631;
 text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff;pointer-events:none}
@media (max-width:600px){.cm-panel{max-width:300px;font-size:11px}}
.cm-row{white-space:nowrap}
.cm-line{display:inline-block;width:26px;margin:0 6px 1px 0;vertical-align:middle}
.cm-dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;border:1px solid #333}
.leaflet-container{background:#cfe3ef !important}
.leaflet-interactive:focus{outline:none}
.leaflet-control-layers{font-size:12px;line-height:1.25;max-height:62vh;overflow-y:auto}
.leaflet-control-layers label{margin:0}
</style>""",
}


@lru_cache(maxsize=len(TEMPLATES))
def _compiled(template: str) -> Template:
    """Compile a template once per process (a map renders hundreds of popups)."""
    environment = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return environment.from_string(TEMPLATES[template])


def render(template: str, /, **values: Any) -> str:
    """Render a template with autoescaping.

    Parameters
    ----------
    template
        A key of ``TEMPLATES``.
    **values
        Template variables; text is escaped.

    Returns
    -------
    str
        HTML; escape it for its context before handing it to folium (see
        :func:`corridors.render.escape.template_literal` and
        :func:`corridors.render.escape.js_string`).

    Examples
    --------
    >>> render("step_popup", title="<script>alert(1)</script>", rows=[], note="")  # doctest: +ELLIPSIS
    '<div class="cm-popup"><div class="cm-title">&lt;script&gt;alert(1)&lt;/script&gt;</div>...'
    """
    return _compiled(template).render(**values)
