"""Shared fixtures: the real network, and a small valid seeds folder to break on purpose."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from corridors.network.build import Network, build_network

SMALL_SEEDS = {
    "sources.yaml": """
        - id: osm
          kind: dataset
          title: OpenStreetMap
          publisher: OpenStreetMap contributors
        - id: assumption
          kind: assumption
          title: Assumption
          publisher: corridors
    """,
    "nodes.csv": """
        id,name,name_local,kind,country,lat,lon,sources,confidence,notes
        aktau_seaport,Aktau seaport,Актау,seaport,KZ,43.59956,51.22256,osm,high,
        mangyshlak_station,Mangyshlak,Мангышлак,rail_station,KZ,43.69695,51.30896,osm,high,
        zhetybai_station,Zhetybai,Жетыбай,rail_station,KZ,43.45891,52.09792,osm,high,
        gas_field,Gas field,,poi,TM,37.3014,62.3586,osm,medium,
    """,
    "links.yaml": """
        - id: port_line
          name: Aktau port line
          from: mangyshlak_station
          to: aktau_seaport
          mode: rail
          status: operational
          gauge_mm: 1520
          alignment: surveyed
          published_length: {km: 14, source: osm}
          sources: [osm]
          confidence: high
        - id: main_line
          name: Mangyshlak-Zhetybai
          from: mangyshlak_station
          to: zhetybai_station
          mode: rail
          status: operational
          gauge_mm: 1520
          alignment: surveyed
          sources: [osm]
          confidence: medium
    """,
    "alignments.csv": """
        link,seq,lat,lon,name,source
        main_line,1,43.5,51.7,,osm
    """,
    "lines.yaml": """
        - id: aktau_line
          name: Aktau line
          links: [port_line]
    """,
    "parameters.yaml": """
        value_of_time_usd_per_t_h: {value: 1.0, source: assumption}
        speeds:
          - {mode: rail, km_h: 40, source: assumption}
        tariffs:
          - {mode: rail, country: "*", usd_per_t_km: 0.1, source: assumption}
        cargo_units:
          default: container
          units:
            - {unit: container, payload_t: 20, source: assumption}
            - {unit: truck, payload_t: 20, source: assumption}
        break_of_gauge: {time_h: 12, cost_usd_per_t: 12, source: assumption}
        border_defaults:
          - {mode: rail, dwell_h: 10, cost_usd_per_t: 4, source: assumption}
    """,
    "facts.yaml": """
        - id: a_fact
          topic: trade
          statement: Something was said.
          source: osm
    """,
}


def write_seeds(folder: Path, files: dict[str, str]) -> Path:
    """Write seed files (dedented) into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


@pytest.fixture
def small_seeds(tmp_path: Path) -> Path:
    """A small, valid seeds folder."""
    return write_seeds(tmp_path / "seeds", SMALL_SEEDS)


@pytest.fixture
def broken_seeds(tmp_path: Path):
    """Factory: the small seeds with one file's text replaced (or transformed)."""

    def make(name: str, old: str | None = None, new: str = "", *, text: str | None = None) -> Path:
        files = dict(SMALL_SEEDS)
        body = textwrap.dedent(files[name]).lstrip("\n")
        if text is not None:
            body = text
        elif old is not None:
            assert old in body, f"{old!r} not in {name}"
            body = body.replace(old, new)
        files[name] = body
        return write_seeds(tmp_path / "broken", files)

    return make


@pytest.fixture(scope="session")
def network() -> Network:
    """The network built from the repository's seeds."""
    return build_network()


@pytest.fixture(autouse=True, scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write the user's network cache: one cache folder per test session."""
    os.environ["CORRIDORS_CACHE"] = str(tmp_path_factory.mktemp("corridors-cache"))
