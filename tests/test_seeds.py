"""Validation of seeds/: every documented error, with its message."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.data.seeds import load_seeds
from corridors.errors import InvalidSeed


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(InvalidSeed) as caught:
        load_seeds(folder)
    return [str(p) for p in caught.value.problems]


def test_small_seeds_load(small_seeds: Path) -> None:
    data = load_seeds(small_seeds)
    assert list(data.nodes) == [
        "aktau_seaport",
        "mangyshlak_station",
        "zhetybai_station",
        "gas_field",
    ]
    assert data.links["main_line"].from_ == "mangyshlak_station"
    coordinates = data.link_coordinates("main_line")
    assert coordinates[1] == (51.7, 43.5)
    assert len(coordinates) == 3


def test_malformed_yaml_names_file_and_line(broken_seeds) -> None:
    folder = broken_seeds(
        "links.yaml",
        "  mode: rail\n  status: operational\n  gauge_mm: 1520\n  alignment: surveyed\n  published",
        "  mode: [rail\n  status: x\n  gauge_mm: 1520\n  alignment: surveyed\n  published",
    )
    (message,) = problems_of(folder)
    assert message.startswith("links.yaml: line ")
    assert "malformed YAML" in message
    assert "Fix: correct the YAML syntax" in message


def test_malformed_csv_row(broken_seeds) -> None:
    folder = broken_seeds("nodes.csv", "52.09792,osm,high,", "52.09792,osm,high")
    (message,) = problems_of(folder)
    assert message == (
        "nodes.csv: line 4: 9 fields where the header has 10. "
        "Fix: quote values that contain commas and give every column a value"
    )


def test_unknown_column_suggests_the_right_one(broken_seeds) -> None:
    folder = broken_seeds("nodes.csv", "kind,country,lat,lon", "kind,country,latitude,lon")
    (message,) = problems_of(folder)
    assert "nodes.csv: header: unknown column 'latitude'" in message
    assert "did you mean 'lat'" in message


def test_unknown_yaml_key_suggests_the_right_one(broken_seeds) -> None:
    folder = broken_seeds(
        "links.yaml",
        "  gauge_mm: 1520\n  alignment: surveyed\n  published",
        "  guage_mm: 1520\n  alignment: surveyed\n  published",
    )
    (message,) = problems_of(folder)
    assert message.startswith("links.yaml: link 'port_line', line 7, key 'guage_mm'")
    assert "did you mean 'gauge_mm'" in message


def test_duplicate_id(broken_seeds) -> None:
    folder = broken_seeds("nodes.csv", "zhetybai_station,Zhetybai", "mangyshlak_station,Zhetybai")
    messages = problems_of(folder)
    assert messages[0] == (
        "nodes.csv: id 'mangyshlak_station': duplicate id. "
        "Fix: give each entry its own id, or merge the two entries"
    )


def test_link_to_missing_node_suggests_a_name(broken_seeds) -> None:
    folder = broken_seeds("links.yaml", "to: aktau_seaport", "to: aktau_sea_port")
    (message,) = problems_of(folder)
    assert message == (
        "links.yaml: link 'port_line', key 'to': unknown node 'aktau_sea_port'. "
        "Fix: did you mean 'aktau_seaport'? or add the node to nodes.csv"
    )


def test_swapped_latitude_and_longitude(broken_seeds) -> None:
    folder = broken_seeds("nodes.csv", "KZ,43.45891,52.09792", "KZ,52.09792,43.45891")
    messages = problems_of(folder)
    assert messages[0] == (
        "nodes.csv: node 'zhetybai_station': latitude and longitude look swapped "
        "(lat=52.09792, lon=43.45891). Fix: write lat=43.45891, lon=52.09792"
    )


def test_position_outside_region(broken_seeds) -> None:
    folder = broken_seeds("nodes.csv", "KZ,43.45891,52.09792", "KZ,-43.45891,52.09792")
    messages = problems_of(folder)
    assert messages[0].startswith("nodes.csv: node 'zhetybai_station': position lat=-43.45891")
    assert "outside the modelled region" in messages[0]
    assert messages[0].endswith("Fix: check the coordinate and its sign")


def test_alignment_point_outside_region(broken_seeds) -> None:
    folder = broken_seeds("alignments.csv", "43.5,51.7", "43.5,17.7")
    messages = problems_of(folder)
    assert messages[0].startswith("alignments.csv: link 'main_line', seq 1: position")


def test_node_in_the_wrong_country(broken_seeds) -> None:
    folder = broken_seeds("nodes.csv", "rail_station,KZ,43.45891", "rail_station,TM,43.45891")
    (message,) = problems_of(folder)
    assert message.startswith(
        "nodes.csv: node 'zhetybai_station': lat=43.45891, lon=52.09792 lies in KZ"
    )
    assert "from TM, the country the row names" in message


def test_zero_length_link(broken_seeds) -> None:
    folder = broken_seeds(
        "nodes.csv",
        "zhetybai_station,Zhetybai,Жетыбай,rail_station,KZ,43.45891,52.09792",
        "zhetybai_station,Zhetybai,Жетыбай,rail_station,KZ,43.69695,51.30896",
    )
    (path,) = [folder / "alignments.csv"]
    path.write_text("link,seq,lat,lon,name,source\n", encoding="utf-8")
    messages = problems_of(folder)
    assert messages == [
        "links.yaml: link 'main_line': zero-length link (0.000 km between "
        "'mangyshlak_station' and 'zhetybai_station'). "
        "Fix: check the coordinates of both nodes, or remove the link"
    ]


def test_self_loop(broken_seeds) -> None:
    folder = broken_seeds("links.yaml", "to: aktau_seaport", "to: mangyshlak_station")
    (message,) = problems_of(folder)
    assert message == (
        "links.yaml: link 'port_line': self-loop: 'from' and 'to' are both "
        "'mangyshlak_station'. Fix: link two different nodes"
    )


def test_missing_source(broken_seeds) -> None:
    folder = broken_seeds("nodes.csv", "43.69695,51.30896,osm,high", "43.69695,51.30896,,high")
    (message,) = problems_of(folder)
    assert message.startswith("nodes.csv: line 3 (id 'mangyshlak_station'), key 'sources'")
    assert message.endswith("Fix: cite at least one source in 'sources' (an id from sources.yaml)")


def test_unknown_source(broken_seeds) -> None:
    folder = broken_seeds(
        "links.yaml", "  sources: [osm]\n  confidence: high", "  sources: [osn]\n  confidence: high"
    )
    (message,) = problems_of(folder)
    assert message == (
        "links.yaml: link 'port_line', key 'sources': unknown source 'osn'. "
        "Fix: did you mean 'osm'? or add it to sources.yaml"
    )


def test_bad_enum_value(broken_seeds) -> None:
    folder = broken_seeds(
        "links.yaml",
        "mode: rail\n  status: operational\n  gauge_mm: 1520\n  alignment: surveyed\n  published",
        "mode: rial\n  status: operational\n  gauge_mm: 1520\n  alignment: surveyed\n  published",
    )
    (message,) = problems_of(folder)
    assert "link 'port_line', line 5, key 'mode'" in message
    assert "'rail'" in message
    assert "Fix: use one of the values listed" in message


def test_link_to_point_of_interest(broken_seeds) -> None:
    folder = broken_seeds("links.yaml", "to: aktau_seaport", "to: gas_field")
    (message,) = problems_of(folder)
    assert "node 'gas_field' is a point of interest, not a transport node" in message


def test_schematic_link_needs_a_published_length(broken_seeds) -> None:
    folder = broken_seeds(
        "links.yaml",
        "gauge_mm: 1520\n  alignment: surveyed\n  sources",
        "gauge_mm: 1520\n  alignment: schematic\n  sources",
    )
    (message,) = problems_of(folder)
    assert message.startswith("links.yaml: link 'main_line': a schematic link has no published")


def test_line_of_unconnected_links(broken_seeds) -> None:
    folder = broken_seeds("lines.yaml", "links: [port_line]", "links: [port_line, main_line]")
    (message,) = problems_of(folder)
    assert message == (
        "lines.yaml: line 'aktau_line': link 'main_line' starts at 'mangyshlak_station' but "
        "the link before it ends at 'aktau_seaport'. Fix: list the links in order along the line"
    )


def test_missing_file(small_seeds: Path) -> None:
    (small_seeds / "facts.yaml").unlink()
    (message,) = problems_of(small_seeds)
    assert message.startswith("facts.yaml: file not found. Fix: create ")


def test_every_problem_is_reported_at_once(broken_seeds) -> None:
    folder = broken_seeds("links.yaml", "to: aktau_seaport", "to: mangyshlak_station")
    (folder / "nodes.csv").write_text(
        (folder / "nodes.csv").read_text(encoding="utf-8").replace(",osm,high", ",osmm,high", 1),
        encoding="utf-8",
    )
    assert len(problems_of(folder)) == 2
