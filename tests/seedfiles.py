"""The small seeds with scenarios, pairs and places: every kind of seed file, valid, to break."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.conftest import SMALL_SEEDS

# A second station at Zhetybai's position: a link to it has zero length.
_YARD = "zhetybai_yard,Zhetybai yard,,rail_station,KZ,43.45891,52.09792,osm,low,\n"

FULL_SEEDS: dict[str, str] = {
    name: textwrap.dedent(text).lstrip("\n") for name, text in SMALL_SEEDS.items()
}
FULL_SEEDS["nodes.csv"] += _YARD
FULL_SEEDS["parameters.yaml"] = textwrap.dedent(
    """\
    value_of_time_usd_per_t_h: {value: 1.0, source: assumption}
    speeds:
      - {mode: rail, km_h: 40, source: assumption}
      - {mode: road, km_h: 50, source: assumption}
    tariffs:
      - {mode: rail, country: "*", usd_per_t_km: 0.1, source: assumption}
      - {mode: road, country: "*", usd_per_t_km: 0.2, source: assumption}
    transfers:
      - {from: rail, to: road, time_h: 6, cost_usd_per_t: 5, source: assumption}
    cargo_units:
      default: container
      units:
        - {unit: container, payload_t: 20, source: assumption}
        - {unit: truck, payload_t: 20, source: assumption}
    break_of_gauge: {time_h: 12, cost_usd_per_t: 12, source: assumption}
    border_defaults:
      - {mode: rail, dwell_h: 10, cost_usd_per_t: 4, source: assumption}
      - {mode: road, dwell_h: 5, cost_usd_per_t: 3, source: assumption}
    """
)
FULL_SEEDS["od_pairs.yaml"] = textwrap.dedent(
    """\
    - origin: aktau_seaport
      destination: zhetybai_station
      sources: [assumption]
    """
)
FULL_SEEDS["places.yaml"] = textwrap.dedent(
    """\
    - id: aktau
      name: Aktau
      country: KZ
      members: [aktau_seaport, mangyshlak_station]
      aliases:
        - {name: Aqtau, source: osm}
      sources: [osm]
    """
)
FULL_SEEDS["scenarios/current.yaml"] = textwrap.dedent(
    """\
    name: current
    title: Today
    description: Operational links only.
    """
)
FULL_SEEDS["scenarios/plan.yaml"] = textwrap.dedent(
    """\
    name: plan
    title: A plan
    description: Adds a road, changes a status and a gauge.
    base: current
    changes:
      open: [main_line]
      close: [port_line]
      set_status: {main_line: operational}
      set_gauge: {main_line: 1435}
      add_links:
        - id: new_road
          name: Zhetybai-Aktau road
          from: zhetybai_station
          to: aktau_seaport
          mode: road
          status: operational
          alignment: approximate
          sources: [assumption]
          confidence: low
          waypoints: [[43.5, 51.8]]
      speeds: [{mode: rail, km_h: 50, source: assumption}]
      tariffs: [{mode: rail, country: KZ, usd_per_t_km: 0.07, source: assumption}]
      transfers: [{from: road, to: rail, time_h: 5, cost_usd_per_t: 4, source: assumption}]
      value_of_time_usd_per_t_h: 2.0
    sources: [osm]
    """
)


def write_files(folder: Path, files: dict[str, str]) -> Path:
    """Write seed files (names may hold one folder, e.g. ``scenarios/x.yaml``) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder
