"""Jinja templates of scenario reports (HTML with an inline SVG chart and a print stylesheet, Markdown).

Text from the data is always a template value, never template source. HTML pages are rendered
with autoescaping; in Markdown every value goes through
:func:`corridors.render.escape.markdown_text` (inline HTML, table pipes and line breaks escaped).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from jinja2 import Environment, Template
from markupsafe import Markup

from corridors.render.escape import markdown_text, markdown_url
from corridors.render.format import number

__all__ = ["render_chart", "render_index", "render_report_html", "render_report_markdown"]

_STYLE = """<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:16px;color:#1b2631}
h1{font-size:22px;margin:0 0 4px} h2{font-size:18px;margin-top:26px;border-bottom:1px solid #ccd}
h3{font-size:15px;margin:16px 0 6px}
p.lead{font-size:16px;margin:6px 0 8px}
table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
th,td{border:1px solid #d5d8dc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f4f6f7} td.n{text-align:right;white-space:nowrap}
td.id,span.id{font-family:ui-monospace,monospace;font-size:11px;color:#566573}
.muted{color:#566573} .better{color:#1e8449} .worse{color:#922b21}
.step td{background:#fbfcfc;color:#4d5656}
.summary{background:#f8f9f9;border:1px solid #d5d8dc;border-radius:4px;padding:8px 14px;margin:10px 0}
.summary h2{margin-top:4px}
.summary ol{margin:4px 0 6px 0;padding-left:20px} .summary li{margin:4px 0}
.chart svg{max-width:100%;height:auto}
iframe.map{width:100%;height:520px;border:1px solid #ccd;box-sizing:border-box}
nav a{margin-right:12px}
.appendix h2{border-bottom:2px solid #99a3a4}
@page{size:A4 landscape;margin:10mm 10mm 12mm 10mm}
@media print{
 body{max-width:none;padding:0;font-size:10.5px;color:#000}
 nav{display:none}
 h1{font-size:17px} h2{font-size:14px;margin-top:14px;break-after:avoid} h3{font-size:12px;break-after:avoid}
 p.lead{font-size:12px}
 table{width:100%;font-size:9px;table-layout:auto;page-break-inside:auto}
 th,td{padding:1px 3px;overflow-wrap:anywhere;word-break:break-word}
 td.n{white-space:nowrap}
 tr{break-inside:avoid} thead{display:table-header-group}
 iframe.map{height:125mm;break-inside:avoid}
 .summary{break-inside:avoid}
 .chart{break-inside:avoid}
 .appendix{break-before:page}
 a{color:#000;text-decoration:none}
}
</style>"""

_HTML = (
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ r.title }}</title>
"""
    + _STYLE
    + """</head><body>
<nav class="muted"><a href="index.html">All scenarios</a></nav>
<h1>{{ r.title }}</h1>
<p class="lead">{{ r.summary }}</p>
<p class="muted">{% if r.baseline %}Baseline: today's best routes in <b>{{ r.scenario }}</b>{% else %}Scenario <b>{{ r.scenario }}</b> against base <b>{{ r.base }}</b>{% endif %}; routes by
{{ r.weight }}{% if r.weight == "generalised" %} (cost plus US${{ r.value_of_time_usd_per_t_h|num(2) }} per tonne-hour){% endif %}.
Every figure is computed from the project's seeds; numbered sources are listed at the end.</p>

<section class="summary" id="executive-summary">
<h2>Executive summary</h2>
{% set c = r.counts %}
{% if r.baseline %}
<p>Today {{ r.pairs|length - c["not connected"] }} of {{ r.pairs|length }} pairs have a route{% if c["not connected"] %}; {{ c["not connected"] }} have none{% endif %}. The table below gives each pair's best route today.</p>
{% else %}
<p>Of {{ r.pairs|length }} pairs, {{ c["improved"] }} improve, {{ c["worse"] }} get worse, {{ c["newly connected"] }} are newly connected{% if c["disconnected"] %}, {{ c["disconnected"] }} lose their route{% endif %} and {{ c["unchanged"] + c["not connected"] }} do not change.</p>
{% if r.headline %}<p><b>The largest changes</b></p><ol id="headline">
{% for h in r.headline %}<li><b>{{ h.label }}</b>: {% if h.delta %}time {{ h.delta.time_h|signed }} h ({{ h.delta_percent.time_h|pct }}), cost {{ h.delta.cost_usd_per_t|signed }} US$/t ({{ h.delta_percent.cost_usd_per_t|pct }}){% else %}{{ h.outcome }}{% endif %}.
<span class="muted">{{ h.why }}.</span>
{% if h.drivers %}Driven by: {{ h.drivers|join("; ") }}.{% else %}No changed link lies on either best route; the route choice shifts with the changed network.{% endif %}</li>
{% endfor %}</ol>{% else %}<p>No pair changes.</p>{% endif %}
{% endif %}
<div class="chart"><h3>{% if r.baseline %}Best-route time and cost today{% else %}Best-route time and cost of the pairs that change, base against scenario{% endif %}</h3>
{% if chart.empty %}<p class="muted">Nothing to chart.</p>{% else %}{{ chart_svg }}{% endif %}</div>
</section>

<h2>Map</h2>
<p class="muted">{% if r.baseline %}Today's best route of every pair.{% else %}The links the scenario changes (yellow) and the best routes in the base (teal, a wide band) and in the scenario (purple, dashed, on top); the panel at the bottom left lists every pair.{% endif %} The map works offline; layers and legend fold away.</p>
<iframe class="map" title="Scenario comparison map" srcdoc="{{ r.map_html }}"></iframe>

{% if r.baseline %}
<h2>Today's routes</h2>
<table id="summary"><thead><tr><th>Pair</th><th>km</th><th>h</th><th>US$/t</th><th>Modes</th><th>Via</th></tr></thead>
{% for p in r.pairs %}{% set s = p.scenario %}<tr><td>{{ p.label }}</td>
{% if s.best %}<td class="n">{{ s.best.length_km|num(0) }}</td><td class="n">{{ s.best.time_h|num }}</td><td class="n">{{ s.best.cost_usd_per_t|num }}</td><td>{{ s.best.modes|join("+") }}</td><td>{{ s.best.via|join(" - ") }}</td>
{% else %}<td colspan="5">No route: {{ s.reason }}</td>{% endif %}</tr>{% endfor %}
</table>
{% else %}
<h2>Pairs that change</h2>
{% set changing = r.pairs|selectattr("changed")|list %}
{% if changing %}<table id="summary"><thead><tr><th>Pair</th><th>Outcome</th>
<th>Base h</th><th>Scenario h</th><th>Change h</th>
<th>Base US$/t</th><th>Scenario US$/t</th><th>Change US$/t</th><th>What drives it</th></tr></thead>
{% for p in changing %}<tr><td><a href="#pair-{{ loop.index }}">{{ p.label }}</a></td><td>{{ p.outcome }}</td>
<td class="n">{{ p.base.best.time_h|num if p.base.best else "" }}</td><td class="n">{{ p.scenario.best.time_h|num if p.scenario.best else "" }}</td>
<td class="n {{ p.delta.time_h|direction if p.delta else '' }}">{% if p.delta %}{{ p.delta.time_h|signed }} ({{ p.delta_percent.time_h|pct }}){% endif %}</td>
<td class="n">{{ p.base.best.cost_usd_per_t|num if p.base.best else "" }}</td><td class="n">{{ p.scenario.best.cost_usd_per_t|num if p.scenario.best else "" }}</td>
<td class="n {{ p.delta.cost_usd_per_t|direction if p.delta else '' }}">{% if p.delta %}{{ p.delta.cost_usd_per_t|signed }} ({{ p.delta_percent.cost_usd_per_t|pct }}){% endif %}</td>
<td>{{ p.drivers|join("; ") if p.drivers else p.why }}</td></tr>{% endfor %}
</table>{% else %}<p>No pair changes.</p>{% endif %}

<h2>What the scenario changes</h2>
{% if r.link_changes %}<table><thead><tr><th>Link</th><th>Change</th><th>Before</th><th>After</th><th>Length km</th><th>Sources</th><th>Link id</th></tr></thead>
{% for c in r.link_changes %}<tr><td>{{ c.name }}</td><td>{{ c.change }}</td>
<td>{{ c.before }}</td><td>{{ c.after }}</td><td class="n">{{ c.length_km|num }}</td><td>{{ c.sources|refs }}</td><td class="id">{{ c.link_id }}</td></tr>{% endfor %}</table>
{% else %}<p>No link changes against the base.</p>{% endif %}
{% endif %}

{% if r.reliability %}<h2 id="reliability">Reliability</h2>
<p class="muted">{{ r.reliability[0].samples }} samples of the uncertain parameters (seed {{ r.reliability[0].seed }}), by {{ r.reliability[0].weight }}: P10-P90 of each side's best route on the same draws, and the probability that the scenario improves the pair.</p>
<table id="reliability-table"><thead><tr><th>Pair</th><th>Base P10-P90</th><th>Scenario P10-P90</th><th>P(improves)</th><th>Verdict</th></tr></thead>
{% for u in r.reliability %}<tr><td>{{ u.label }}</td>{% if u.p_improves is not none %}<td class="n">{{ u.base_p10_p50_p90[0]|num }}-{{ u.base_p10_p50_p90[2]|num }}</td><td class="n">{{ u.scenario_p10_p50_p90[0]|num }}-{{ u.scenario_p10_p50_p90[2]|num }}</td><td class="n">{{ (u.p_improves * 100)|num(0) }} %</td>{% else %}<td></td><td></td><td></td>{% endif %}<td>{{ u.verdict }}</td></tr>{% endfor %}
</table>
{% for u in r.reliability %}{% if tornadoes[loop.index0] %}<div class="chart"><h3>What {{ u.label }} hangs on (scenario's best route, each parameter at its low and high)</h3>{{ tornadoes[loop.index0] }}</div>{% endif %}{% endfor %}
{% endif %}

<h2>Transport context from the source documents</h2>
{% if r.facts %}<table><thead><tr><th>Topic</th><th>Fact</th><th>Figure</th><th>Source</th></tr></thead>
{% for f in r.facts %}<tr><td>{{ f.topic }}</td><td>{{ f.statement }}</td><td class="n">{{ f|figure }}</td><td>[{{ f.source.ref }}] {{ f.source.text }}</td></tr>{% endfor %}
</table>{% else %}<p>No transport facts in the seeds.</p>{% endif %}

<h2>Sources</h2>
<ol id="sources">{% for s in r.sources %}<li id="source-{{ s.ref }}">{{ s.publisher }}, {% if s.url %}<a href="{{ s.url }}" rel="noopener noreferrer">{{ s.title }}</a>{% else %}{{ s.title }}{% endif %}{% if s.date %}, {{ s.date }}{% endif %}{% if s.licence %} ({{ s.licence }}){% endif %}</li>{% endfor %}</ol>

<div class="appendix" id="appendix">
<h2>Appendix</h2>
{% if not r.baseline %}
<h3>Pairs that do not change</h3>
{% set same = r.pairs|rejectattr("changed")|list %}
{% if same %}<table id="unchanged"><thead><tr><th>Pair</th><th>km</th><th>h</th><th>US$/t</th><th>Modes</th></tr></thead>
{% for p in same %}{% set s = p.scenario %}<tr><td>{{ p.label }}</td>
{% if s.best %}<td class="n">{{ s.best.length_km|num(0) }}</td><td class="n">{{ s.best.time_h|num }}</td><td class="n">{{ s.best.cost_usd_per_t|num }}</td><td>{{ s.best.modes|join("+") }}</td>
{% else %}<td colspan="4">No route: {{ s.reason }}</td>{% endif %}</tr>{% endfor %}
</table>{% else %}<p>Every pair changes.</p>{% endif %}
{% endif %}

<h3>Routes and legs per pair</h3>
{% for p in r.pairs %}
<h3 id="pair-{{ loop.index }}">{{ p.label }}</h3>
<p class="muted">{% if p.note %}{{ p.note }} {% endif %}Node ids: <span class="id">{{ p.origin.node_id }}</span> to <span class="id">{{ p.destination.node_id }}</span>.</p>
{% for side in ([p.base, p.scenario] if p.base else [p.scenario]) %}
<h4>{{ side.title }}</h4>
{% if side.best %}
<table><thead><tr><th>Route</th><th>km</th><th>h</th><th>US$/t</th><th>Modes</th><th>Countries (km)</th><th>Steps</th><th title="CAREC TFI1: hours to clear each border crossing">TFI1 borders (h)</th><th title="CAREC TFI3: cost per 500 km per 20 t">TFI3 (US$)</th><th title="CAREC TFI4: speed with delay / without delay">TFI4 (km/h)</th></tr></thead>
{% for route in side.routes %}<tr><td>{{ route.label }}</td><td class="n">{{ route.length_km|num(0) }}</td><td class="n">{{ route.time_h|num }}</td>
<td class="n">{{ route.cost_usd_per_t|num }}</td><td>{{ route.modes|join("+") }}</td><td>{{ route.km_by_country|countries }}</td><td>{{ route.steps|steps }}</td><td class="n">{% for b in route.carec.tfi1_border_h %}{{ b.hours|num }}{% if not loop.last %} + {% endif %}{% endfor %}</td><td class="n">{{ route.carec.tfi3_usd_per_500km_20t|num(0) }}</td><td class="n">{{ route.carec.tfi4_speed_with_delay_km_h|num }} / {{ route.carec.speed_without_delay_km_h|num }}</td></tr>{% endfor %}
</table>
<table class="legs"><thead><tr><th>Item</th><th>From / at</th><th>To</th><th>Mode</th><th>Gauge</th><th>Countries</th><th>km</th><th>h</th><th>US$/t</th><th>What</th><th>Sources</th><th>Link id</th></tr></thead>
{% for item in side.legs %}<tr{% if item.kind != "leg" %} class="step"{% endif %}><td>{{ item.kind }}</td><td>{{ item.from }}</td><td>{{ item.to }}</td>
<td>{{ item.mode }}</td><td>{{ item.gauge_mm|plain }}</td><td>{{ item.countries|join("-") }}</td><td class="n">{{ item.length_km|num }}</td>
<td class="n">{{ item.time_h|num }}</td><td class="n">{{ item.cost_usd_per_t|num(2) }}</td><td>{{ item.description }}</td><td class="muted">{{ item.sources|refs }}</td><td class="id">{{ item.link_id }}</td></tr>{% endfor %}
</table>
{% else %}<p>No route: {{ side.reason }}</p>{% endif %}
{% endfor %}
{% endfor %}

<h3>Parameters and assumptions</h3>
<table><thead><tr><th>Parameter</th><th>Value</th><th>Source</th><th>Note</th></tr></thead>
{% for row in r.parameters %}<tr><td>{{ row.name }}</td><td class="n">{{ row["values"]|values }}</td><td>[{{ row.source.ref }}] {{ row.source.text }}</td><td class="muted">{{ row.note }}</td></tr>{% endfor %}
</table>
{% if r.calibration %}{% set c = r.calibration %}
<h3 id="calibration">How well the model reproduces observed figures</h3>
<p>The model (scenario '{{ c.scenario }}') against the published figures of <span class="id">seeds/observations.yaml</span> (CAREC CPMM indicators, running times, ferry tariffs, observed trips), each within &plusmn;{{ c.time_tolerance_pct }} % for times and &plusmn;{{ c.cost_tolerance_pct }} % for costs: {{ c.share_within_pct }} % of the {{ c.compared }} current figures compared, {{ c.share_within_out_of_sample_pct }} % of those no parameter was set from, {{ c.share_within_all_years_pct }} % over every year published. <span class="muted">MAPE: mean absolute percentage error; "current": the latest year of each series.</span></p>
<table id="calibration-table"><thead><tr><th>Indicator</th><th>Mode</th><th>Current compared</th><th>Within</th><th>MAPE</th><th>Out of sample</th><th>MAPE out of sample</th><th>MAPE every year</th></tr></thead>
{% for row in c.summary %}<tr><td>{{ row.indicator }}</td><td>{{ row.mode }}</td><td class="n">{{ row.current }}</td><td class="n">{{ row.within }}</td><td class="n">{{ row.mape_pct|num }} %</td><td class="n">{{ row.out_of_sample }}</td><td class="n">{{ row.mape_out_pct|num }}{% if row.mape_out_pct is not none %} %{% endif %}</td><td class="n">{{ row.mape_all_years_pct|num }} %</td></tr>{% endfor %}
</table>
{% endif %}
</div>
</body></html>
"""
)

_CHART = """<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{{ width }}" height="{{ height }}"
 viewBox="0 0 {{ width }} {{ height }}" font-family="sans-serif" font-size="11">
<title>Best-route time and cost per pair</title>
{% for panel in panels %}
<text x="{{ panel.x }}" y="14" font-weight="bold">{{ panel.title }}</text>
{% for bar in panel.bars %}
<rect x="{{ bar.x }}" y="{{ bar.y }}" width="{{ bar.width }}" height="{{ bar.height }}" fill="{{ bar.colour }}"><title>{{ bar.tip }}</title></rect>
<text x="{{ bar.x + bar.width + 4 }}" y="{{ bar.y + bar.height - 1 }}" font-size="9">{{ bar.value }}</text>
{% endfor %}
{% for label in panel.labels %}<text x="{{ label.x }}" y="{{ label.y }}" text-anchor="end">{{ label.text }}</text>{% endfor %}
{% endfor %}
{% for s in series %}<rect x="{{ 10 + loop.index0 * 200 }}" y="{{ height - 14 }}" width="10" height="10" fill="{{ s.colour }}"/><text x="{{ 24 + loop.index0 * 200 }}" y="{{ height - 5 }}">{{ s.name }}</text>{% endfor %}
</svg>"""

_MARKDOWN = """# {{ r.title }}

{{ r.summary }}

{% if r.baseline %}Baseline: today's best routes in `{{ r.scenario }}`{% else %}Scenario `{{ r.scenario }}` against base `{{ r.base }}`{% endif %}; routes by {{ r.weight }}.
Every figure is computed from the project's seeds. The HTML report beside this file adds a chart
and an offline map.

## Executive summary

{% set c = r.counts %}{% if r.baseline %}Today {{ r.pairs|length - c["not connected"] }} of {{ r.pairs|length }} pairs have a route.
{% else %}Of {{ r.pairs|length }} pairs, {{ c["improved"] }} improve, {{ c["worse"] }} get worse, {{ c["newly connected"] }} are newly connected and {{ c["unchanged"] + c["not connected"] }} do not change.

{% for h in r.headline %}{{ loop.index }}. **{{ h.label }}**: {% if h.delta %}time {{ h.delta.time_h|signed }} h ({{ h.delta_percent.time_h|pct }}), cost {{ h.delta.cost_usd_per_t|signed }} US$/t ({{ h.delta_percent.cost_usd_per_t|pct }}){% else %}{{ h.outcome }}{% endif %}. {{ h.why }}.{% if h.drivers %} Driven by: {{ h.drivers|join("; ") }}.{% endif %}
{% endfor %}{% endif %}
{% if r.baseline %}## Today's routes

| Pair | km | h | US$/t | Modes | Via |
| --- | ---: | ---: | ---: | --- | --- |
{% for p in r.pairs %}{% set s = p.scenario %}{% if s.best %}| {{ p.label }} | {{ s.best.length_km|num(0) }} | {{ s.best.time_h|num }} | {{ s.best.cost_usd_per_t|num }} | {{ s.best.modes|join("+") }} | {{ s.best.via|join(" - ") }} |
{% else %}| {{ p.label }} | | | | | No route: {{ s.reason }} |
{% endif %}{% endfor %}
{% else %}## Pairs that change

| Pair | Outcome | Base h | Scenario h | Change h | Base US$/t | Scenario US$/t | Change US$/t | What drives it |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |
{% for p in r.pairs if p.changed %}| {{ p.label }} | {{ p.outcome }} | {{ p.base.best.time_h|num if p.base.best else "" }} | {{ p.scenario.best.time_h|num if p.scenario.best else "" }} | {% if p.delta %}{{ p.delta.time_h|signed }} ({{ p.delta_percent.time_h|pct }}){% endif %} | {{ p.base.best.cost_usd_per_t|num if p.base.best else "" }} | {{ p.scenario.best.cost_usd_per_t|num if p.scenario.best else "" }} | {% if p.delta %}{{ p.delta.cost_usd_per_t|signed }} ({{ p.delta_percent.cost_usd_per_t|pct }}){% endif %} | {{ p.drivers|join("; ") if p.drivers else p.why }} |
{% endfor %}
## What the scenario changes

{% if r.link_changes %}| Link | Change | Before | After | Length km | Link id |
| --- | --- | --- | --- | ---: | --- |
{% for c in r.link_changes %}| {{ c.name }} | {{ c.change }} | {{ c.before }} | {{ c.after }} | {{ c.length_km|num }} | `{{ c.link_id }}` |
{% endfor %}{% else %}No link changes against the base.
{% endif %}
{% endif %}
## Transport context from the source documents

| Topic | Fact | Figure | Source |
| --- | --- | ---: | --- |
{% for f in r.facts %}| {{ f.topic }} | {{ f.statement }} | {{ f|figure }} | {{ f.source.ref }}. {{ f.source.text }} |
{% endfor %}
{% if r.reliability %}## Reliability

{{ r.reliability[0].samples }} samples of the uncertain parameters (seed {{ r.reliability[0].seed }}), by {{ r.reliability[0].weight }}.

| Pair | Base P10-P90 | Scenario P10-P90 | P(improves) | Verdict |
| --- | --- | --- | --- | --- |
{% for u in r.reliability %}| {{ u.label }} | {% if u.p_improves is not none %}{{ u.base_p10_p50_p90[0]|num }}-{{ u.base_p10_p50_p90[2]|num }} | {{ u.scenario_p10_p50_p90[0]|num }}-{{ u.scenario_p10_p50_p90[2]|num }} | {{ (u.p_improves * 100)|num(0) }} % {% else %} | | {% endif %}| {{ u.verdict }} |
{% endfor %}
{% endif %}## Sources

{% for s in r.sources %}{{ s.ref }}. {{ s.publisher }}, {{ s.title }}{% if s.date %}, {{ s.date }}{% endif %}{% if s.url %}, <{{ s.url|url }}>{% endif %}
{% endfor %}
## Appendix
{% if not r.baseline %}
### Pairs that do not change

| Pair | km | h | US$/t | Modes |
| --- | ---: | ---: | ---: | --- |
{% for p in r.pairs if not p.changed %}{% set s = p.scenario %}{% if s.best %}| {{ p.label }} | {{ s.best.length_km|num(0) }} | {{ s.best.time_h|num }} | {{ s.best.cost_usd_per_t|num }} | {{ s.best.modes|join("+") }} |
{% else %}| {{ p.label }} | | | | No route: {{ s.reason }} |
{% endif %}{% endfor %}{% endif %}
{% for p in r.pairs %}
### {{ p.label }}
{% for side in ([p.base, p.scenario] if p.base else [p.scenario]) %}
**{{ side.title }}**

{% if side.best %}| Route | km | h | US$/t | Modes | Countries (km) | Steps | TFI1 borders (h) | TFI3 (US$/500 km/20 t) | TFI4 (km/h, with / without delay) |
| --- | ---: | ---: | ---: | --- | --- | --- | ---: | ---: | ---: |
{% for route in side.routes %}| {{ route.label }} | {{ route.length_km|num(0) }} | {{ route.time_h|num }} | {{ route.cost_usd_per_t|num }} | {{ route.modes|join("+") }} | {{ route.km_by_country|countries }} | {{ route.steps|steps }} | {% for b in route.carec.tfi1_border_h %}{{ b.hours|num }}{% if not loop.last %} + {% endif %}{% endfor %} | {{ route.carec.tfi3_usd_per_500km_20t|num(0) }} | {{ route.carec.tfi4_speed_with_delay_km_h|num }} / {{ route.carec.speed_without_delay_km_h|num }} |
{% endfor %}
| Item | From / at | To | Mode | Gauge | km | h | US$/t | What | Sources |
| --- | --- | --- | --- | --- | ---: | ---: | ---: | --- | --- |
{% for item in side.legs %}| {{ item.kind }} | {{ item.from }} | {{ item.to }} | {{ item.mode }} | {{ item.gauge_mm|plain }} | {{ item.length_km|num }} | {{ item.time_h|num }} | {{ item.cost_usd_per_t|num(2) }} | {{ item.description }} | {{ item.sources|refs }} |
{% endfor %}{% else %}No route: {{ side.reason }}
{% endif %}
{% endfor %}{% endfor %}
### Parameters and assumptions

| Parameter | Value | Source | Note |
| --- | ---: | --- | --- |
{% for row in r.parameters %}| {{ row.name }} | {{ row["values"]|values }} | {{ row.source.ref }}. {{ row.source.text }} | {{ row.note }} |
{% endfor %}{% if r.calibration %}{% set c = r.calibration %}
### How well the model reproduces observed figures

The model (scenario '{{ c.scenario }}') against the published figures of `seeds/observations.yaml`, within ±{{ c.time_tolerance_pct }} % for times and ±{{ c.cost_tolerance_pct }} % for costs: {{ c.share_within_pct }} % of the {{ c.compared }} current figures compared, {{ c.share_within_out_of_sample_pct }} % of those no parameter was set from, {{ c.share_within_all_years_pct }} % over every year published.

| Indicator | Mode | Current compared | Within | MAPE | Out of sample | MAPE out of sample | MAPE every year |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
{% for row in c.summary %}| {{ row.indicator }} | {{ row.mode }} | {{ row.current }} | {{ row.within }} | {{ row.mape_pct|num }} % | {{ row.out_of_sample }} | {{ row.mape_out_pct|num }} | {{ row.mape_all_years_pct|num }} % |
{% endfor %}{% endif %}"""

_INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Scenario reports</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:16px}
table{border-collapse:collapse;margin:8px 0} th,td{border:1px solid #d5d8dc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f6f7} td.n{text-align:right;white-space:nowrap} .muted{color:#566573}
.better{color:#1e8449} .worse{color:#922b21} .change{white-space:nowrap;display:block}
@page{size:A4 landscape;margin:10mm} @media print{body{max-width:none;font-size:10px}}</style>
</head><body><h1>Scenario reports</h1>
<p>Each report compares a scenario with its base over the same origin-destination pairs; the
baseline report gives today's routes. Changes are in the best route (scenario minus base).</p>
<table id="scenarios"><thead><tr><th>Scenario</th><th>Against</th><th>Improved</th><th>Worse</th><th>Newly connected</th>
<th>Largest time change</th><th>Largest cost change</th><th>Files</th></tr></thead>
{% for e in entries %}<tr><td><a href="{{ e.html }}">{{ e.title }}</a><div class="muted">{{ e.summary }}</div></td>
{% if e.baseline %}<td>baseline</td><td colspan="5" class="muted">Today's routes: {{ e.pairs - e.counts["not connected"] }} of {{ e.pairs }} pairs connected.</td>
{% else %}<td>{{ e.base }}</td><td class="n">{{ e.counts["improved"] }}</td><td class="n">{{ e.counts["worse"] }}</td><td class="n">{{ e.counts["newly connected"] }}</td>
<td>{% if e.time %}<span class="change {{ e.time.change|direction }}">{{ e.time.change|signed }} h{% if e.time.percent is not none %} ({{ e.time.percent|pct }}){% endif %}</span> {{ e.time.label }}{% else %}<span class="muted">none</span>{% endif %}</td>
<td>{% if e.cost %}<span class="change {{ e.cost.change|direction }}">{{ e.cost.change|signed }} US$/t{% if e.cost.percent is not none %} ({{ e.cost.percent|pct }}){% endif %}</span> {{ e.cost.label }}{% else %}<span class="muted">none</span>{% endif %}</td>{% endif %}
<td><a href="{{ e.html }}">HTML</a> <a href="{{ e.markdown }}">Markdown</a> <a href="{{ e.json }}">JSON</a>{% if e.pdf %} <a href="{{ e.pdf }}">PDF</a>{% endif %}</td></tr>{% endfor %}
</table></body></html>
"""


def _num(value: Any, digits: int = 1) -> str:
    return number(value, f"{{:,.{digits}f}}")


def _signed(value: Any, digits: int = 1) -> str:
    return number(value, f"{{:+,.{digits}f}}")


def _pct(value: Any) -> str:
    return number(value, "{:+,.1f} %")


def _direction(value: Any) -> str:
    if value is None or abs(value) < 1e-9:
        return ""
    return "better" if value < 0 else "worse"


def _refs(refs: list[int]) -> str:
    return ", ".join(f"[{ref}]" for ref in refs)


def _countries(km: dict[str, float]) -> str:
    return ", ".join(f"{country} {number(value, '{:,.0f}')}" for country, value in km.items())


def _steps(steps: dict[str, int]) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in steps.items())


def _values(values: list[dict[str, Any]]) -> str:
    return ", ".join(f"{number(v['value'], '{:g}')} {v['unit']}" for v in values)


def _figure(fact: dict[str, Any]) -> str:
    return f"{number(fact['value'], '{:,g}')} {fact['unit']}".strip()


def _plain(value: Any) -> str:
    return number(value, "{:.0f}")


_FILTERS = {
    "plain": _plain,
    "num": _num,
    "signed": _signed,
    "pct": _pct,
    "direction": _direction,
    "refs": _refs,
    "countries": _countries,
    "steps": _steps,
    "values": _values,
    "figure": _figure,
}


#: Names a plain dict has as attributes: Jinja gives ``d.items`` the method, not the key.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(Environment):
    """A Jinja environment that reads ``view.key`` of a plain dict as its key directly.

    Jinja tries the attribute first and the key after it; a plain dict has no attribute of
    another name, so reading the key first gives the same value without the failed attribute
    lookup (and its exception) that a report's many thousand reads would cost.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Return ``obj.attribute`` as Jinja's own ``getattr`` does."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


@lru_cache(maxsize=1)
def _html_environment() -> Environment:
    environment = _Environment(
        autoescape=True, trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True
    )
    environment.filters.update(_FILTERS)
    return environment


@lru_cache(maxsize=1)
def _markdown_environment() -> Environment:
    environment = _Environment(
        autoescape=False,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
        finalize=_markdown_value,
    )
    environment.filters.update(_FILTERS)
    environment.filters["url"] = markdown_url
    return environment


@lru_cache(maxsize=8)
def _html_template(source: str) -> Template:
    """Compile an HTML template once per process."""
    return _html_environment().from_string(source)


@lru_cache(maxsize=2)
def _markdown_template(source: str) -> Template:
    """Compile a Markdown template once per process."""
    return _markdown_environment().from_string(source)


def render_report_html(
    report: dict[str, Any], chart: dict[str, Any], *, tornadoes: Sequence[str] = ()
) -> str:
    """Render a report's HTML page (autoescaped), with its chart as inline SVG.

    Parameters
    ----------
    report
        The report's view data (see :func:`corridors.report.report_view`).
    chart
        The chart's geometry (see :func:`corridors.report.chart_view`).
    tornadoes
        Per pair of ``report["reliability"]``, its tornado chart as SVG built by
        :func:`corridors.render.uncertainty.tornado_svg` (which escapes every label).

    Returns
    -------
    str
        A self-contained HTML page.
    """
    svg = Markup(render_chart(chart))
    return _html_template(_HTML).render(
        r=report,
        chart=chart,
        chart_svg=svg,
        # tornado_svg escapes every label it draws
        tornadoes=[Markup(t) for t in tornadoes],
    )


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
    return _html_template(_CHART).render(**chart)


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
    return _markdown_template(_MARKDOWN).render(r=report)


def render_index(entries: list[dict[str, Any]]) -> str:
    """Render the index page: a cross-scenario summary table linking every report.

    Parameters
    ----------
    entries
        Per report: ``title``, ``base``, ``baseline``, ``summary``, ``counts`` (pairs per
        outcome), ``pairs``, ``time`` and ``cost`` (the largest change: ``label``, ``change``,
        ``percent``, or None), and the file names ``html``, ``markdown``, ``json``, ``pdf``.

    Returns
    -------
    str
        HTML.
    """
    return _html_template(_INDEX).render(entries=entries)


def _markdown_value(value: Any) -> str:
    """Escape every value a Markdown template prints, except addresses already encoded."""
    if isinstance(value, Markup):
        return str(value)
    if type(value) is str:
        return _markdown_text(value)
    return markdown_text(value)


@lru_cache(maxsize=8192)
def _markdown_text(text: str) -> str:
    """Escape a text for Markdown once: a report prints the same numbers and names many times."""
    return markdown_text(text)
