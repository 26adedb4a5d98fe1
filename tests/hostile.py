"""A small seeds folder whose every text field holds markup, script and template syntax."""

from __future__ import annotations

import csv
import io
import textwrap
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import SMALL_SEEDS, write_seeds

#: Closes a script, opens one, runs an event handler, is Jinja syntax (an expression, a raw block,
#: a comment), ends a JavaScript template literal, interpolates into one, closes both kinds of
#: quoted strings, escapes, splits a Markdown table cell, is a Markdown link and is rich markup.
HOSTILE = (
    "{{ 7*7 }} <script>alert(1)</script></script><img src=x onerror=alert(2)> "
    "{% raw %}{{ 6*7 }}{% endraw %} {# comment #} ` ${x} ${alert(3)} \" ' \\ | "
    "[x](javascript:alert(4)) [bold]b[/bold]"
)
#: Every hostile text starts with a marker made of letters only, followed by ``HOSTILE``.
MARKER = "HX"


def hostile(field: str) -> str:
    """Return the hostile text of one field: ``HX<field>`` then ``HOSTILE``."""
    return f"{MARKER}{field} {HOSTILE}"


def _yaml(name: str) -> Any:
    return yaml.safe_load(textwrap.dedent(SMALL_SEEDS[name]))


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _source(key: str, source_id: str, kind: str) -> dict[str, Any]:
    return {
        "id": source_id,
        "kind": kind,
        "title": hostile(f"{key}title"),
        "publisher": hostile(f"{key}publisher"),
        "date": hostile(f"{key}date"),
        "url": f"https://example.org/{MARKER}{key}url?q={HOSTILE}",
        "file": hostile(f"{key}file"),
        "language": hostile(f"{key}language"),
        "licence": hostile(f"{key}licence"),
        "summary": hostile(f"{key}summary"),
    }


def hostile_files() -> dict[str, str]:
    """Return the seed files of ``tests.conftest.SMALL_SEEDS`` with hostile text everywhere.

    The network is Zhetybai - Mangyshlak (1520 mm) - Aktau port (1435 mm, so routes have a break
    of gauge); the ``hostile`` scenario adds a direct Zhetybai-Aktau line.
    """
    files = dict(SMALL_SEEDS)
    files["sources.yaml"] = _dump(
        [_source("osm", "osm", "dataset"), _source("assumption", "assumption", "assumption")]
    )
    nodes = list(csv.DictReader(io.StringIO(textwrap.dedent(SMALL_SEEDS["nodes.csv"]).strip())))
    nodes = [row for row in nodes if row["kind"] != "poi"]
    for row in nodes:
        key = row["id"].split("_")[0]
        row["name"] = hostile(f"{key}name")
        row["name_local"] = hostile(f"{key}local")
        row["notes"] = hostile(f"{key}notes") + "\nsecond line"
    files["nodes.csv"] = _csv(nodes)
    links = _yaml("links.yaml")
    for link in links:
        key = link["id"].split("_")[0]
        link["name"] = hostile(f"{key}linkname")
        link["notes"] = hostile(f"{key}linknotes") + "\nsecond line"
        if "published_length" in link:
            link["published_length"]["note"] = hostile(f"{key}lengthnote")
    links[0]["gauge_mm"] = 1435
    files["links.yaml"] = _dump(links)
    points = list(
        csv.DictReader(io.StringIO(textwrap.dedent(SMALL_SEEDS["alignments.csv"]).strip()))
    )
    for point in points:
        point["name"] = hostile("pointname")
    files["alignments.csv"] = _csv(points)
    lines = _yaml("lines.yaml")
    for line in lines:
        line["name"] = hostile("linename")
        line["notes"] = hostile("linenotes")
    files["lines.yaml"] = _dump(lines)
    parameters = _yaml("parameters.yaml")
    for key, value in parameters.items():
        entries = value["units"] if key == "cargo_units" else value
        for item in entries if isinstance(entries, list) else [entries]:
            item["note"] = hostile(f"{key.split('_')[0]}note") + "\nsecond line"
    files["parameters.yaml"] = _dump(parameters)
    files["facts.yaml"] = _dump(
        [
            {
                "id": "a_fact",
                "topic": "trade " + hostile("facttopic"),
                "statement": hostile("factstatement"),
                "value": 1.5,
                "unit": hostile("factunit"),
                "period": hostile("factperiod"),
                "source": "osm",
                "date": hostile("factdate"),
            }
        ]
    )
    files["od_pairs.yaml"] = _dump(
        [
            {
                "origin": "zhetybai_station",
                "destination": "aktau_seaport",
                "note": hostile("pairnote"),
                "sources": ["osm"],
            }
        ]
    )
    files["scenarios/current.yaml"] = _dump(
        {
            "name": "current",
            "title": hostile("currenttitle"),
            "description": hostile("currentdescription") + "\nsecond line",
        }
    )
    files["scenarios/hostile.yaml"] = _dump(
        {
            "name": "hostile",
            "title": hostile("scenariotitle"),
            "description": hostile("scenariodescription") + "\nsecond line",
            "base": "current",
            "changes": {
                "add_links": [
                    {
                        "id": "cutoff",
                        "name": hostile("cutofflinkname"),
                        "from": "zhetybai_station",
                        "to": "aktau_seaport",
                        "mode": "rail",
                        "status": "operational",
                        "gauge_mm": 1435,
                        "alignment": "schematic",
                        "published_length": {"km": 90, "source": "osm"},
                        "sources": ["osm"],
                        "confidence": "low",
                        "notes": hostile("cutofflinknotes"),
                    }
                ]
            },
            "sources": ["osm"],
        }
    )
    return files


def write_hostile_seeds(folder: Path) -> Path:
    """Write the hostile seeds folder (with ``scenarios/``) and return it."""
    (folder / "scenarios").mkdir(parents=True, exist_ok=True)
    return write_seeds(folder, hostile_files())
