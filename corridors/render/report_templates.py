"""Jinja templates of scenario reports (HTML with an inline SVG chart, and Markdown).

Text from the data is always a template value, never template source. HTML pages are rendered
with autoescaping; in Markdown every value goes through
:func:`corridors.render.escape.markdown_text` (inline HTML, table pipes and line breaks escaped).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from corridors.render.escape import markdown_text, markdown_url

__all__ = ["render_chart", "render_index", "render_report_html", "render_report_markdown"]

_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ r.title }}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:16px;color:#1b2631}
h1{font-size:22px;margin:0 0 4px} h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccd}
h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
th,td{border:1px solid #d5d8dc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f4f6f7} td.n{text-align:right;white-space:nowrap}
.muted{color:#566573} .better{color:#1e8449} .worse{color:#922b21}
.step td{background:#fbfcfc;color:#4d5656} iframe{width:100%;height:620px;border:1px solid #ccd}
nav a{margin-right:12px}
</style></head><body>
<nav class="muted"><a href="index.html">All scenarios</a></nav>
<h1>{{ r.title }}</h1>
<p>{{ r.description }}</p>
<p class="muted">Scenario <b>{{ r.scenario }}</b> against base <b>{{ r.base }}</b>; routes by
{{ r.weight }}{% if r.weight == "generalised" %} (cost plus US${{ r.value_of_time }} per tonne-hour){% endif %}.
Every figure below is computed from the project's seeds; sources are listed at the end.</p>

<h2>What the scenario changes</h2>
{% if r.changes %}<table><tr><th>Link</th><th>Change</th><th>Before</th><th>After</th><th>Length km</th></tr>
{% for c in r.changes %}<tr><td>{{ c.name }} <span class="muted">({{ c.link_id }})</span></td><td>{{ c.change }}</td>
<td>{{ c.before }}</td><td>{{ c.after }}</td><td class="n">{{ c.length_km }}</td></tr>{% endfor %}</table>
{% else %}<p>No link changes against the base.</p>{% endif %}

<h2>Origin-destination pairs</h2>
<table id="summary"><tr><th>Pair</th><th>Outcome</th>
<th>Base km</th><th>Base h</th><th>Base US$/t</th>
<th>Scenario km</th><th>Scenario h</th><th>Scenario US$/t</th>
<th>Change h</th><th>Change US$/t</th></tr>
{% for p in r.pairs %}<tr><td>{{ p.label }}</td><td>{{ p.outcome }}</td>
<td class="n">{{ p.base.length_km }}</td><td class="n">{{ p.base.time_h }}</td><td class="n">{{ p.base.cost_usd_per_t }}</td>
<td class="n">{{ p.scenario.length_km }}</td><td class="n">{{ p.scenario.time_h }}</td><td class="n">{{ p.scenario.cost_usd_per_t }}</td>
<td class="n {{ p.time_class }}">{{ p.delta_time_h }}</td><td class="n {{ p.cost_class }}">{{ p.delta_cost_usd_per_t }}</td></tr>{% endfor %}
</table>

<h3>Best-route time and cost, base against scenario</h3>
{{ chart }}

{% for p in r.pairs %}
<h2 id="pair-{{ loop.index }}">{{ p.label }}</h2>
<p class="muted">{{ p.note }}</p>
{% for side in p.sides %}
<h3>{{ side.title }}</h3>
{% if side.routes %}
<table><tr><th>Route</th><th>km</th><th>h</th><th>US$/t</th><th>Modes</th><th>Countries (km)</th><th>Steps</th></tr>
{% for route in side.routes %}<tr><td>{{ route.label }}</td><td class="n">{{ route.length_km }}</td><td class="n">{{ route.time_h }}</td>
<td class="n">{{ route.cost_usd_per_t }}</td><td>{{ route.modes }}</td><td>{{ route.km_by_country }}</td><td>{{ route.steps }}</td></tr>{% endfor %}
</table>
<table class="legs"><tr><th>Item</th><th>From / at</th><th>To</th><th>Mode</th><th>Gauge</th><th>Countries</th><th>km</th><th>h</th><th>US$/t</th><th>What</th><th>Sources</th></tr>
{% for item in side.lines %}<tr{% if item.kind != "leg" %} class="step"{% endif %}><td>{{ item.kind }}</td><td>{{ item.at }}</td><td>{{ item.to }}</td>
<td>{{ item.mode }}</td><td>{{ item.gauge }}</td><td>{{ item.countries }}</td><td class="n">{{ item.length_km }}</td>
<td class="n">{{ item.time_h }}</td><td class="n">{{ item.cost_usd_per_t }}</td><td>{{ item.description }}</td><td class="muted">{{ item.sources }}</td></tr>{% endfor %}
</table>
{% else %}<p>No route: {{ side.reason }}</p>{% endif %}
{% endfor %}
{% endfor %}

<h2>Map</h2>
<p class="muted">The links the scenario changes (yellow) and the best routes of both scenarios. The map is embedded and works offline.</p>
<iframe title="Scenario comparison map" srcdoc="{{ r.map_html }}"></iframe>

<h2>Parameters and assumptions</h2>
<table><tr><th>Parameter</th><th>Value</th><th>Source</th><th>Note</th></tr>
{% for row in r.parameters %}<tr><td>{{ row.name }}</td><td class="n">{{ row.value }}</td><td>{{ row.source }}</td><td class="muted">{{ row.note }}</td></tr>{% endfor %}
</table>

<h2>Context from the source documents</h2>
<table><tr><th>Topic</th><th>Fact</th><th>Figure</th><th>Document</th><th>Date</th></tr>
{% for f in r.facts %}<tr><td>{{ f.topic }}</td><td>{{ f.statement }}</td><td class="n">{{ f.figure }}</td><td>{{ f.source }}</td><td>{{ f.date }}</td></tr>{% endfor %}
</table>

<h2>Sources</h2>
<ol>{% for s in r.sources %}<li><b>{{ s.id }}</b>: {% if s.url %}<a href="{{ s.url }}" rel="noopener noreferrer">{{ s.title }}</a>{% else %}{{ s.title }}{% endif %}, {{ s.publisher }}{% if s.date %}, {{ s.date }}{% endif %}{% if s.licence %} ({{ s.licence }}){% endif %}</li>{% endfor %}</ol>
</body></html>
"""

_CHART = """<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{{ width }}" height="{{ height }}"
 viewBox="0 0 {{ width }} {{ height }}" font-family="sans-serif" font-size="11">
<title>Best-route time and cost per pair, base and scenario</title>
{% for panel in panels %}
<text x="{{ panel.x }}" y="14" font-weight="bold">{{ panel.title }}</text>
{% for bar in panel.bars %}
<rect x="{{ bar.x }}" y="{{ bar.y }}" width="{{ bar.width }}" height="{{ bar.height }}" fill="{{ bar.colour }}"><title>{{ bar.tip }}</title></rect>
<text x="{{ bar.x + bar.width + 4 }}" y="{{ bar.y + bar.height - 2 }}">{{ bar.value }}</text>
{% endfor %}
{% for label in panel.labels %}<text x="{{ label.x }}" y="{{ label.y }}" text-anchor="end">{{ label.text }}</text>{% endfor %}
{% endfor %}
<rect x="{{ width - 250 }}" y="4" width="10" height="10" fill="#5d6d7e"/><text x="{{ width - 236 }}" y="13">{{ base }}</text>
<rect x="{{ width - 130 }}" y="4" width="10" height="10" fill="#c0392b"/><text x="{{ width - 116 }}" y="13">{{ scenario }}</text>
</svg>"""

_MARKDOWN = """# {{ r.title }}

{{ r.description }}

Scenario `{{ r.scenario }}` against base `{{ r.base }}`; routes by {{ r.weight }}.
Every figure is computed from the project's seeds. The HTML report beside this file adds a chart
and an offline map.

## What the scenario changes

{% if r.changes %}| Link | Change | Before | After | Length km |
| --- | --- | --- | --- | ---: |
{% for c in r.changes %}| {{ c.name }} (`{{ c.link_id }}`) | {{ c.change }} | {{ c.before }} | {{ c.after }} | {{ c.length_km }} |
{% endfor %}{% else %}No link changes against the base.
{% endif %}

## Origin-destination pairs

| Pair | Outcome | Base km | Base h | Base US$/t | Scenario km | Scenario h | Scenario US$/t | Change h | Change US$/t |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
{% for p in r.pairs %}| {{ p.label }} | {{ p.outcome }} | {{ p.base.length_km }} | {{ p.base.time_h }} | {{ p.base.cost_usd_per_t }} | {{ p.scenario.length_km }} | {{ p.scenario.time_h }} | {{ p.scenario.cost_usd_per_t }} | {{ p.delta_time_h }} | {{ p.delta_cost_usd_per_t }} |
{% endfor %}
{% for p in r.pairs %}
### {{ p.label }}
{% for side in p.sides %}
**{{ side.title }}**

{% if side.routes %}| Route | km | h | US$/t | Modes | Countries (km) | Steps |
| --- | ---: | ---: | ---: | --- | --- | --- |
{% for route in side.routes %}| {{ route.label }} | {{ route.length_km }} | {{ route.time_h }} | {{ route.cost_usd_per_t }} | {{ route.modes }} | {{ route.km_by_country }} | {{ route.steps }} |
{% endfor %}
| Item | From / at | To | Mode | Gauge | km | h | US$/t | What |
| --- | --- | --- | --- | --- | ---: | ---: | ---: | --- |
{% for item in side.lines %}| {{ item.kind }} | {{ item.at }} | {{ item.to }} | {{ item.mode }} | {{ item.gauge }} | {{ item.length_km }} | {{ item.time_h }} | {{ item.cost_usd_per_t }} | {{ item.description }} |
{% endfor %}{% else %}No route: {{ side.reason }}
{% endif %}
{% endfor %}{% endfor %}
## Parameters and assumptions

| Parameter | Value | Source | Note |
| --- | ---: | --- | --- |
{% for row in r.parameters %}| {{ row.name }} | {{ row.value }} | {{ row.source }} | {{ row.note }} |
{% endfor %}
## Context from the source documents

| Topic | Fact | Figure | Document | Date |
| --- | --- | ---: | --- | --- |
{% for f in r.facts %}| {{ f.topic }} | {{ f.statement }} | {{ f.figure }} | {{ f.source }} | {{ f.date }} |
{% endfor %}
## Sources

{% for s in r.sources %}{{ loop.index }}. **{{ s.id }}**: {{ s.title }}, {{ s.publisher }}{% if s.date %}, {{ s.date }}{% endif %}{% if s.url %} <{{ s.url|url }}>{% endif %}
{% endfor %}"""

_INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Scenario reports</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:900px;padding:16px}
table{border-collapse:collapse} th,td{border:1px solid #d5d8dc;padding:4px 8px;text-align:left}</style>
</head><body><h1>Scenario reports</h1>
<p>Each report compares a scenario with its base over the default origin-destination pairs.</p>
<table><tr><th>Scenario</th><th>Against</th><th>Description</th><th>Files</th></tr>
{% for e in entries %}<tr><td><a href="{{ e.html }}">{{ e.title }}</a></td><td>{{ e.base }}</td><td>{{ e.description }}</td>
<td><a href="{{ e.html }}">HTML</a> <a href="{{ e.markdown }}">Markdown</a> <a href="{{ e.json }}">JSON</a></td></tr>{% endfor %}
</table></body></html>
"""


@lru_cache(maxsize=1)
def _html_environment() -> Environment:
    return Environment(
        autoescape=True, trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True
    )


@lru_cache(maxsize=1)
def _markdown_environment() -> Environment:
    environment = Environment(
        autoescape=False,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
        finalize=_markdown_value,
    )
    environment.filters["url"] = markdown_url
    return environment


def render_report_html(report: dict[str, Any], chart: dict[str, Any]) -> str:
    """Render a report's HTML page (autoescaped), with its chart as inline SVG.

    Parameters
    ----------
    report
        The report's view data (see :func:`corridors.report.report_view`).
    chart
        The chart's geometry (see :func:`corridors.report.chart_view`).

    Returns
    -------
    str
        A self-contained HTML page.
    """
    svg = Markup(render_chart(chart))
    return _html_environment().from_string(_HTML).render(r=report, chart=svg)


def render_chart(chart: dict[str, Any]) -> str:
    """Render the bar chart as SVG (autoescaped).

    Parameters
    ----------
    chart
        The chart's geometry (see :func:`corridors.report.chart_view`).

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    return _html_environment().from_string(_CHART).render(**chart)


def render_report_markdown(report: dict[str, Any]) -> str:
    """Render a report as Markdown, with HTML, table pipes and line breaks in the data escaped.

    Parameters
    ----------
    report
        The report's view data.

    Returns
    -------
    str
        Markdown text.
    """
    return _markdown_environment().from_string(_MARKDOWN).render(r=report)


def render_index(entries: list[dict[str, str]]) -> str:
    """Render the index page linking every report.

    Parameters
    ----------
    entries
        ``title``, ``base``, ``description``, ``html``, ``markdown``, ``json`` per report.

    Returns
    -------
    str
        HTML.
    """
    return _html_environment().from_string(_INDEX).render(entries=entries)


def _markdown_value(value: Any) -> str:
    """Escape every value a Markdown template prints, except addresses already encoded."""
    if isinstance(value, Markup):
        return str(value)
    return markdown_text(value)
