"""One bad input, one message: a table of broken seed and scenario files.

Each case breaks one thing in the small seeds (with scenarios, pairs and places) and expects
exactly one problem naming the file, the row or key, what is wrong and the fix: no follow-on
problems from the same mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from corridors.cli import main
from corridors.data.seeds import load_seeds
from corridors.errors import InvalidSeed, SeedProblem
from tests.seedfiles import FULL_SEEDS, write_files


@dataclass(frozen=True)
class Bad:
    """A broken seed file and the one problem it must give."""

    id: str
    file: str
    old: str | None  # None: replace the whole file with ``new``
    new: str | bytes | None  # None: delete the file
    where: str
    message: str
    fix: str


PLAN = "scenarios/plan.yaml"

CASES = [
    # ------------------------------------------------------------------ duplicate YAML keys
    Bad(
        "duplicate-link-status",
        "links.yaml",
        "  status: operational\n  gauge_mm: 1520\n  alignment: surveyed\n  published",
        "  status: operational\n  status: planned\n  gauge_mm: 1520\n  alignment: surveyed\n"
        "  published",
        "line 7, column 3",
        "duplicate key 'status' (first given on line 6)",
        "keep one 'status'",
    ),
    Bad(
        "duplicate-scenario-open",
        PLAN,
        "  close: [port_line]\n",
        "  close: [port_line]\n  open: [port_line]\n",
        "line 8, column 3",
        "duplicate key 'open' (first given on line 6)",
        "keep one 'open'",
    ),
    Bad(
        "duplicate-source-title",
        "sources.yaml",
        "  title: OpenStreetMap\n",
        "  title: OpenStreetMap\n  title: OSM\n",
        "line 4, column 3",
        "duplicate key 'title' (first given on line 3)",
        "keep one 'title'",
    ),
    Bad(
        "duplicate-line-links",
        "lines.yaml",
        "  links: [port_line]\n",
        "  links: [port_line]\n  links: [main_line]\n",
        "line 4, column 3",
        "duplicate key 'links' (first given on line 3)",
        "keep one 'links'",
    ),
    Bad(
        "duplicate-fact-topic",
        "facts.yaml",
        "  topic: trade\n",
        "  topic: trade\n  topic: transit\n",
        "line 3, column 3",
        "duplicate key 'topic' (first given on line 2)",
        "keep one 'topic'",
    ),
    Bad(
        "duplicate-parameters-speeds",
        "parameters.yaml",
        "break_of_gauge:",
        "speeds: []\nbreak_of_gauge:",
        "line 15, column 1",
        "duplicate key 'speeds' (first given on line 2)",
        "keep one 'speeds'",
    ),
    Bad(
        "cost-year-without-price-index",
        "parameters.yaml",
        "break_of_gauge: {time_h: 12, cost_usd_per_t: 12, source: assumption}",
        "price_basis: {year: 2023, index: {2023: 300.0}, source: assumption}\n"
        "break_of_gauge: {time_h: 12, cost_usd_per_t: 12, year: 2010, source: assumption}",
        "break_of_gauge, key 'year'",
        "no price index for 2010 (price_basis.index has 2023-2023)",
        "add 2010 to price_basis.index, citing its source",
    ),
    Bad(
        "duplicate-key-in-flow-mapping",
        "parameters.yaml",
        "{value: 1.0, source: assumption}",
        "{value: 1.0, value: 2.0, source: assumption}",
        "line 1, column 41",
        "duplicate key 'value' (first given on line 1)",
        "keep one 'value'",
    ),
    Bad(
        "duplicate-pair-origin",
        "od_pairs.yaml",
        "  destination:",
        "  origin: mangyshlak_station\n  destination:",
        "line 2, column 3",
        "duplicate key 'origin' (first given on line 1)",
        "keep one 'origin'",
    ),
    Bad(
        "duplicate-place-name",
        "places.yaml",
        "  country: KZ\n",
        "  country: KZ\n  name: Aqtau\n",
        "line 4, column 3",
        "duplicate key 'name' (first given on line 2)",
        "keep one 'name'",
    ),
    Bad(
        "duplicate-csv-column",
        "nodes.csv",
        "id,name,name_local",
        "id,name,name",
        "header",
        "duplicate column 'name'",
        "keep one column of each name",
    ),
    # ------------------------------------------------------- files unusable as a whole
    Bad("empty-links", "links.yaml", None, "", "", "file is empty", "write its entries"),
    Bad("empty-sources", "sources.yaml", None, "", "", "file is empty", "write its entries"),
    Bad(
        "empty-list-of-links", "links.yaml", None, "[]\n", "", "file is empty", "write its entries"
    ),
    Bad(
        "comments-only-parameters",
        "parameters.yaml",
        None,
        "# nothing yet\n",
        "",
        "file is empty",
        "write its entries",
    ),
    Bad("empty-nodes", "nodes.csv", None, "", "", "file is empty", "add the header row: id,name"),
    Bad(
        "header-only-nodes",
        "nodes.csv",
        None,
        "id,name,name_local,kind,country,lat,lon,sources,confidence,notes\n",
        "",
        "file is empty (a header but no rows)",
        "add one row per entry",
    ),
    Bad(
        "empty-base-scenario",
        "scenarios/current.yaml",
        None,
        "",
        "",
        "file is empty",
        "write its entries",
    ),
    Bad(
        "malformed-links",
        "links.yaml",
        "  mode: rail\n  status: operational\n  gauge_mm: 1520\n  alignment: surveyed\n  published",
        "  mode: [rail\n  status: operational\n  gauge_mm: 1520\n  alignment: surveyed\n"
        "  published",
        "line 6, column 9",
        "malformed YAML",
        "correct the YAML syntax there",
    ),
    Bad(
        "malformed-base-scenario",
        "scenarios/current.yaml",
        "title: Today",
        "title: [Today",
        "line 3, column 12",
        "malformed YAML",
        "correct the YAML syntax there",
    ),
    Bad(
        "links-as-mapping",
        "links.yaml",
        None,
        "port_line: {from: a, to: b}\n",
        "line 1",
        "expected a list of entries, found a mapping",
        "one '- key: value' mapping per entry",
    ),
    Bad(
        "link-entry-not-a-mapping",
        "links.yaml",
        "- id: main_line",
        "- main_line\n- id: main_line",
        "line 12",
        "expected an entry of 'key: value' lines, found the value 'main_line'",
        "write each entry as '- key: value'",
    ),
    Bad(
        "scenario-as-list",
        "scenarios/current.yaml",
        None,
        "- name: current\n",
        "line 1",
        "expected 'key: value' lines at the top level, found a list",
        "write the keys the file needs",
    ),
    Bad(
        "two-yaml-documents",
        "sources.yaml",
        "- id: assumption",
        "---\n- id: assumption",
        "line 5, column 1",
        "malformed YAML (expected a single document in the stream, but found another document)",
        "correct the YAML syntax there",
    ),
    Bad(
        "links-not-utf8",
        "links.yaml",
        "Aktau port line",
        "Aktau port line \udcff",
        "line 2",
        "not UTF-8 text (byte 0xff)",
        "save the file as UTF-8",
    ),
    Bad(
        "nul-character-in-yaml",
        "facts.yaml",
        "Something was said.",
        "Something \x00 was said.",
        "line 3",
        "character '\\x00' is not allowed in YAML",
        "remove it",
    ),
    Bad("missing-lines-file", "lines.yaml", None, None, "", "file not found", "create "),
    # -------------------------------------------------------------------------- CSV
    Bad(
        "csv-quote-inside-value",
        "nodes.csv",
        "aktau_seaport,Aktau seaport,",
        'aktau_seaport,"Aktau" seaport,',
        "line 2",
        "malformed CSV (',' expected after '\"')",
        "correct the quoting in that row",
    ),
    Bad(
        "csv-unclosed-quote",
        "alignments.csv",
        "main_line,1,43.5,51.7,,osm",
        'main_line,1,43.5,51.7,"Zhetybai,osm',
        "line 2",
        "malformed CSV (unexpected end of data)",
        "correct the quoting in that row",
    ),
    Bad(
        "csv-extra-field-in-linked-node",
        "nodes.csv",
        "zhetybai_station,Zhetybai,Жетыбай",
        "zhetybai_station,Zhetybai,Жетыбай,extra",
        "line 4",
        "11 fields where the header has 10",
        "quote values that contain commas",
    ),
    Bad(
        "csv-unknown-column",
        "nodes.csv",
        "confidence,notes\n",
        "confidence,notes,remarks\n",
        "header",
        "unknown column 'remarks'",
        "remove it or rename it",
    ),
    Bad(
        "csv-unnamed-column",
        "alignments.csv",
        "name,source\n",
        "name,source,\n",
        "header",
        "column 7 has no name",
        "remove the trailing comma",
    ),
    Bad(
        "csv-misspelt-column",
        "alignments.csv",
        "link,seq,",
        "lnk,seq,",
        "header",
        "unknown column 'lnk'",
        "did you mean 'link'?",
    ),
    Bad(
        "node-with-bad-latitude-used-by-a-link",
        "nodes.csv",
        "KZ,43.45891,52.09792",
        "KZ,north,52.09792",
        "line 4 (id 'zhetybai_station'), key 'lat'",
        "Input should be a valid number",
        "write a plain number",
    ),
    Bad(
        "node-with-nan-latitude",
        "nodes.csv",
        "KZ,43.45891,52.09792",
        "KZ,nan,52.09792",
        "line 4 (id 'zhetybai_station'), key 'lat'",
        "finite number",
        "write a finite number",
    ),
    # ---------------------------------------------------------------- misspelt keys
    Bad(
        "misspelt-scenario-key",
        PLAN,
        "  open: [main_line]",
        "  opne: [main_line]",
        "line 6, key 'changes.opne'",
        "unknown key",
        "did you mean 'open'?",
    ),
    Bad(
        "misspelt-speed-key",
        "parameters.yaml",
        "{mode: road, km_h: 50",
        "{mode: road, kmh: 50",
        "line 4, key 'speeds.1.kmh'",
        "unknown key",
        "did you mean 'km_h'?",
    ),
    Bad(
        "misspelt-published-length-key",
        "links.yaml",
        "{km: 14, source: osm}",
        "{kms: 14, source: osm}",
        "link 'port_line', line 9, key 'published_length.kms'",
        "unknown key",
        "did you mean 'km'?",
    ),
    Bad(
        "misspelt-added-link-key",
        PLAN,
        "      from: zhetybai_station",
        "      fom: zhetybai_station",
        "line 13, key 'changes.add_links.0.fom'",
        "unknown key",
        "did you mean 'from'?",
    ),
    Bad(
        "misspelt-source-key",
        "sources.yaml",
        "  title: OpenStreetMap",
        "  titel: OpenStreetMap",
        "source 'osm', line 3, key 'titel'",
        "unknown key",
        "did you mean 'title'?",
    ),
    Bad(
        "scenario-key-outside-changes",
        PLAN,
        "sources: [osm]",
        "sources: [osm]\nclose: [main_line]",
        "line 26, key 'close'",
        "unknown key",
        "move it under 'changes'",
    ),
    # ------------------------------------------------------------- scenario changes
    Bad(
        "set-gauge-1000",
        PLAN,
        "{main_line: 1435}",
        "{main_line: 1000}",
        "line 9, key 'changes.set_gauge.main_line'",
        "unexpected gauge 1000 mm (known gauges: 1435, 1520, 1676)",
        "use 1435, 1520 or 1676",
    ),
    Bad(
        "set-gauge-negative",
        PLAN,
        "{main_line: 1435}",
        "{main_line: -5}",
        "line 9, key 'changes.set_gauge.main_line'",
        "unexpected gauge -5 mm",
        "use 1435, 1520 or 1676",
    ),
    Bad(
        "set-gauge-on-road-link",
        PLAN,
        "{main_line: 1435}",
        "{new_road: 1435}",
        "changes.set_gauge",
        "link 'new_road' is a road link, which has no gauge",
        "only rail links have a gauge",
    ),
    Bad(
        "set-gauge-unknown-link",
        PLAN,
        "{main_line: 1435}",
        "{main_lin: 1435}",
        "changes.set_gauge",
        "unknown link 'main_lin'",
        "did you mean 'main_line'?",
    ),
    Bad(
        "open-unknown-link",
        PLAN,
        "open: [main_line]",
        "open: [mainline]",
        "changes.open",
        "unknown link 'mainline'",
        "did you mean 'main_line'? or add it to links.yaml or to changes.add_links",
    ),
    Bad(
        "set-status-bad-value",
        PLAN,
        "{main_line: operational}",
        "{main_line: open}",
        "line 8, key 'changes.set_status.main_line'",
        "Input should be 'operational', 'under_construction', 'planned' or 'proposed'",
        "use one of the values listed",
    ),
    Bad(
        "added-self-loop",
        PLAN,
        "      to: aktau_seaport",
        "      to: zhetybai_station",
        "changes.add_links 'new_road'",
        "self-loop: 'from' and 'to' are both 'zhetybai_station'",
        "link two different nodes",
    ),
    Bad(
        "added-link-unknown-node",
        PLAN,
        "      to: aktau_seaport",
        "      to: aktau_port",
        "changes.add_links 'new_road', key 'to'",
        "unknown node 'aktau_port'",
        "add the node to nodes.csv",
    ),
    Bad(
        "added-link-zero-length",
        PLAN,
        "      to: aktau_seaport\n      mode: road\n      status: operational\n"
        "      alignment: approximate\n      sources: [assumption]\n      confidence: low\n"
        "      waypoints: [[43.5, 51.8]]\n",
        "      to: zhetybai_yard\n      mode: road\n      status: operational\n"
        "      alignment: approximate\n      sources: [assumption]\n      confidence: low\n",
        "changes.add_links 'new_road'",
        "zero-length link",
        "check the coordinates of both nodes",
    ),
    Bad(
        "added-link-to-point-of-interest",
        PLAN,
        "      to: aktau_seaport",
        "      to: gas_field",
        "changes.add_links 'new_road', key 'to'",
        "node 'gas_field' is a point of interest, not a transport node",
        "link a transport node instead",
    ),
    Bad(
        "added-link-unknown-source",
        PLAN,
        "      sources: [assumption]",
        "      sources: [asumption]",
        "changes.add_links 'new_road', key 'sources'",
        "unknown source 'asumption'",
        "did you mean 'assumption'? or add it to sources.yaml",
    ),
    Bad(
        "added-link-without-sources",
        PLAN,
        "      sources: [assumption]",
        "      sources: []",
        "line 18, key 'changes.add_links.0.sources'",
        "List should have at least 1 item",
        "cite at least one source in 'sources'",
    ),
    Bad(
        "added-schematic-link-without-length",
        PLAN,
        "      alignment: approximate",
        "      alignment: schematic",
        "changes.add_links 'new_road'",
        "a schematic link has no published length to be routed on",
        "add published_length with its source",
    ),
    Bad(
        "added-link-published-length-unknown-source",
        PLAN,
        "      confidence: low",
        "      confidence: low\n      published_length: {km: 200, source: nowhere}",
        "changes.add_links 'new_road', key 'published_length.source'",
        "unknown source 'nowhere'",
        "add it to sources.yaml",
    ),
    Bad(
        "added-road-link-with-gauge",
        PLAN,
        "      mode: road",
        "      mode: road\n      gauge_mm: 1520",
        "changes.add_links 'new_road', key 'gauge_mm'",
        "a road link has a gauge",
        "remove gauge_mm",
    ),
    Bad(
        "added-link-unknown-gauge",
        PLAN,
        "      mode: road",
        "      mode: rail\n      gauge_mm: 1000",
        "line 16, key 'changes.add_links.0.gauge_mm'",
        "unexpected gauge 1000 mm",
        "use 1435, 1520 or 1676",
    ),
    Bad(
        "added-link-id-exists",
        PLAN,
        "    - id: new_road",
        "    - id: port_line",
        "changes.add_links 'port_line'",
        "link 'port_line' already exists",
        "give the new link its own id",
    ),
    Bad(
        "added-link-waypoint-out-of-range",
        PLAN,
        "[[43.5, 51.8]]",
        "[[143.5, 51.8]]",
        "line 20, key 'changes.add_links.0.waypoints.0.0'",
        "Input should be less than or equal to 90",
        "use a value in the range stated",
    ),
    Bad(
        "added-link-waypoint-outside-region",
        PLAN,
        "[[43.5, 51.8]]",
        "[[43.5, 21.8]]",
        "changes.add_links 'new_road', waypoint 1",
        "position lat=43.5, lon=21.8 is outside the modelled region",
        "check the coordinate and its sign",
    ),
    Bad(
        "added-link-of-a-mode-without-parameters",
        PLAN,
        "      mode: road",
        "      mode: sea",
        "changes.add_links 'new_road', key 'mode'",
        "no speed, default tariff or default border step for mode 'sea'",
        "add a speed with mode: sea and no status to parameters.yaml or to changes.speeds",
    ),
    Bad(
        "scenario-speed-unknown-source",
        PLAN,
        "km_h: 50, source: assumption",
        "km_h: 50, source: guess",
        "key 'changes.speeds.0.source'",
        "unknown source 'guess'",
        "add it to sources.yaml",
    ),
    Bad(
        "scenario-tariff-unknown-source",
        PLAN,
        "usd_per_t_km: 0.07, source: assumption",
        "usd_per_t_km: 0.07, source: osmm",
        "key 'changes.tariffs.0.source'",
        "unknown source 'osmm'",
        "did you mean 'osm'?",
    ),
    Bad(
        "scenario-transfer-unknown-source",
        PLAN,
        "cost_usd_per_t: 4, source: assumption",
        "cost_usd_per_t: 4, source: assumptions",
        "key 'changes.transfers.0.source'",
        "unknown source 'assumptions'",
        "did you mean 'assumption'?",
    ),
    Bad(
        "scenario-border-crossing-unknown-link",
        PLAN,
        "  value_of_time_usd_per_t_h: 2.0",
        "  value_of_time_usd_per_t_h: 2.0\n  border_crossings:\n    - {link: port_lin, "
        "name: X, forward: {dwell_h: 1, cost_usd_per_t: 1}, reverse: {dwell_h: 1, "
        "cost_usd_per_t: 1}, source: osm}",
        "border crossing 'port_lin'",
        "unknown link 'port_lin'",
        "did you mean 'port_line'?",
    ),
    Bad(
        "scenario-unknown-base",
        PLAN,
        "base: current",
        "base: currnet",
        "key 'base'",
        "unknown base scenario 'currnet'",
        "did you mean 'current'? or add scenarios/currnet.yaml",
    ),
    Bad(
        "scenario-name-differs-from-file",
        PLAN,
        "name: plan",
        "name: plans",
        "key 'name'",
        "scenario name 'plans' differs from the file name",
        "name the scenario 'plan' or rename the file to plans.yaml",
    ),
    Bad(
        "scenario-negative-value-of-time",
        PLAN,
        "value_of_time_usd_per_t_h: 2.0",
        "value_of_time_usd_per_t_h: -2.0",
        "line 24, key 'changes.value_of_time_usd_per_t_h'",
        "Input should be greater than or equal to 0",
        "use a value in the range stated",
    ),
    # ------------------------------------------------------------------- base files
    Bad(
        "link-gauge-1000",
        "links.yaml",
        "  gauge_mm: 1520\n  alignment: surveyed\n  published",
        "  gauge_mm: 1000\n  alignment: surveyed\n  published",
        "link 'port_line', line 7, key 'gauge_mm'",
        "unexpected gauge 1000 mm",
        "use 1435, 1520 or 1676, or leave it out when unknown",
    ),
    Bad(
        "road-link-with-gauge",
        "links.yaml",
        "  mode: rail\n  status: operational\n  gauge_mm: 1520\n  alignment: surveyed\n  published",
        "  mode: road\n  status: operational\n  gauge_mm: 1520\n  alignment: surveyed\n  published",
        "link 'port_line', key 'gauge_mm'",
        "a road link has a gauge",
        "remove gauge_mm",
    ),
    Bad(
        "link-published-length-infinite",
        "links.yaml",
        "{km: 14, source: osm}",
        "{km: .inf, source: osm}",
        "link 'port_line', line 9, key 'published_length.km'",
        "Input should be a finite number",
        "write a finite number",
    ),
    Bad(
        "invalid-link-used-by-a-line",
        "links.yaml",
        "  mode: rail\n  status: operational\n  gauge_mm: 1520\n  alignment: surveyed\n  published",
        "  mode: rial\n  status: operational\n  gauge_mm: 1520\n  alignment: surveyed\n  published",
        "link 'port_line', line 5, key 'mode'",
        "Input should be 'rail', 'road' or 'sea'",
        "use one of the values listed",
    ),
    Bad(
        "invalid-source-cited-everywhere",
        "sources.yaml",
        "  kind: dataset",
        "  kind: datset",
        "source 'osm', line 2, key 'kind'",
        "Input should be",
        "use one of the values listed",
    ),
    Bad(
        "line-unknown-link",
        "lines.yaml",
        "links: [port_line]",
        "links: [port_lien]",
        "line 'aktau_line'",
        "unknown link 'port_lien'",
        "did you mean 'port_line'? or add it to links.yaml",
    ),
    Bad(
        "alignment-bad-point-no-seq-follow-on",
        "alignments.csv",
        "main_line,1,43.5,51.7",
        "main_line,1,93.5,51.7",
        "line 2 (link 'main_line'), key 'lat'",
        "Input should be less than or equal to 90",
        "use a value in the range stated",
    ),
    Bad(
        "alignment-unknown-link",
        "alignments.csv",
        "main_line,1,",
        "mainline,1,",
        "link 'mainline'",
        "alignment points for an unknown link",
        "did you mean 'main_line'?",
    ),
    Bad(
        "pair-unknown-node",
        "od_pairs.yaml",
        "destination: zhetybai_station",
        "destination: zhetybai",
        "pair 1 (aktau_seaport:zhetybai), key 'destination'",
        "unknown node 'zhetybai'",
        "did you mean 'zhetybai_yard' or 'zhetybai_station'? or add the node to nodes.csv",
    ),
    Bad(
        "place-member-unknown",
        "places.yaml",
        "members: [aktau_seaport, mangyshlak_station]",
        "members: [aktau_seaport, mangyshlak]",
        "place 'aktau', member 2",
        "unknown node 'mangyshlak'",
        "did you mean 'mangyshlak_station'",
    ),
    Bad(
        "place-alias-unknown-source",
        "places.yaml",
        "{name: Aqtau, source: osm}",
        "{name: Aqtau, source: wiki}",
        "place 'aktau', key 'aliases.0.source'",
        "unknown source 'wiki'",
        "add it to sources.yaml",
    ),
    Bad(
        "fact-unknown-source",
        "facts.yaml",
        "  source: osm",
        "  source: osn",
        "fact 'a_fact', key 'source'",
        "unknown source 'osn'",
        "did you mean 'osm'?",
    ),
    Bad(
        "parameter-unknown-source",
        "parameters.yaml",
        "time_h: 12, cost_usd_per_t: 12, source: assumption",
        "time_h: 12, cost_usd_per_t: 12, source: asumption",
        "key 'break_of_gauge.source'",
        "unknown source 'asumption'",
        "did you mean 'assumption'?",
    ),
]


def _write_broken(folder: Path, case: Bad) -> Path:
    write_files(folder, FULL_SEEDS)
    path = folder / case.file
    if case.new is None:
        path.unlink()
        return folder
    if case.old is None:
        text = case.new
    else:
        body = FULL_SEEDS[case.file]
        assert case.old in body, f"{case.old!r} not in {case.file}"
        assert isinstance(case.new, str)
        text = body.replace(case.old, case.new, 1)
    if isinstance(text, str):
        # A lone surrogate stands for a byte that is not UTF-8.
        path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    else:
        path.write_bytes(text)
    return folder


def problems_of(folder: Path) -> list[SeedProblem]:
    with pytest.raises(InvalidSeed) as caught:
        load_seeds(folder)
    return caught.value.problems


def test_the_full_small_seeds_are_valid(tmp_path: Path) -> None:
    data = load_seeds(write_files(tmp_path / "seeds", FULL_SEEDS))
    assert set(data.scenarios) == {"current", "plan"}
    assert data.scenarios["plan"].changes.add_links[0].id == "new_road"


def test_cases_are_distinct() -> None:
    assert len(CASES) >= 45
    assert len({case.id for case in CASES}) == len(CASES)
    assert len({(case.file, case.old, case.new) for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_one_bad_input_gives_one_problem(tmp_path: Path, case: Bad) -> None:
    folder = _write_broken(tmp_path / "seeds", case)
    problems = problems_of(folder)
    assert len(problems) == 1, "\n".join(str(p) for p in problems)
    (problem,) = problems
    assert problem.file == case.file
    assert problem.where == case.where
    assert case.message in problem.message
    assert case.fix in problem.fix
    assert str(problem).startswith(f"{case.file}: ")


YAML_FILES = [name for name in FULL_SEEDS if name.endswith(".yaml")]


@pytest.mark.parametrize("name", YAML_FILES)
def test_every_yaml_file_rejects_a_duplicate_key(tmp_path: Path, name: str) -> None:
    lines = FULL_SEEDS[name].splitlines(keepends=True)
    files = {**FULL_SEEDS, name: "".join([*lines[:2], lines[1], *lines[2:]])}
    key = lines[1].split(":")[0].strip()
    (problem,) = problems_of(write_files(tmp_path / "seeds", files))
    assert problem.file == name
    assert problem.where.startswith("line 3, column ")
    assert problem.message == f"duplicate key '{key}' (first given on line 2)"


@pytest.mark.parametrize("name", ["nodes.csv", "alignments.csv", "links.yaml", PLAN])
def test_a_byte_order_mark_is_read_as_nothing(tmp_path: Path, name: str) -> None:
    folder = write_files(tmp_path / "seeds", FULL_SEEDS)
    (folder / name).write_bytes(b"\xef\xbb\xbf" + FULL_SEEDS[name].encode("utf-8"))
    data = load_seeds(folder)
    assert "aktau_seaport" in data.nodes
    assert "main_line" in data.alignments


def _many_bad_nodes(tmp_path: Path, count: int) -> Path:
    rows = "".join(f"bad_{i},Bad {i},,bogus,KZ,43.5,51.5,osm,high,\n" for i in range(count))
    files = {**FULL_SEEDS, "nodes.csv": FULL_SEEDS["nodes.csv"] + rows}
    return write_files(tmp_path / "seeds", files)


def test_a_long_list_of_problems_is_cut(tmp_path: Path) -> None:
    problems = problems_of(_many_bad_nodes(tmp_path, 60))
    assert len(problems) == 60
    error = InvalidSeed(problems)
    lines = error.lines()
    assert len(lines) == InvalidSeed.SHOWN + 1
    assert lines[-1] == "... and 10 more problems"
    assert str(error).splitlines()[0] == "60 problems in seeds:"
    assert str(error).splitlines()[-1] == "... and 10 more problems"
    assert len(error.lines(limit=None)) == 60


def test_the_command_line_prints_a_cut_list_one_line_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDORS_CACHE", "off")
    folder = _many_bad_nodes(tmp_path, 55)
    result = CliRunner().invoke(main, ["validate", "--seeds", str(folder)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == InvalidSeed.SHOWN + 1
    assert all(line.startswith("error: nodes.csv: line ") for line in lines[:-1])
    assert lines[0].startswith("error: nodes.csv: line 7 (id 'bad_0'), key 'kind': Input should be")
    assert lines[-1] == "error: ... and 5 more problems"


def test_a_broken_links_file_is_reported_once_through_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDORS_CACHE", "off")
    folder = write_files(tmp_path / "seeds", {**FULL_SEEDS, "links.yaml": "- id: [port_line\n"})
    result = CliRunner().invoke(main, ["validate", "--seeds", str(folder)])
    assert result.exit_code == 2
    (line,) = result.output.splitlines()
    assert line.startswith("error: links.yaml: line 2, column 1: malformed YAML")
