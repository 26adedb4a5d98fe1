"""The command line: exit codes, one-line errors, no tracebacks, nothing half-written."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from corridors.cli import main


def test_build_writes_geodata_and_prints_the_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "geo")])
    assert result.exit_code == 0, result.output
    assert "Lines: built (geodesic) versus published length" in result.output
    assert "934.5" in result.output  # the chosen published total of the KTI railway
    assert sorted(p.name for p in (tmp_path / "geo").iterdir()) == [
        "links.geojson",
        "network.gpkg",
        "nodes.geojson",
    ]


def test_validate_reports_length_gaps(broken_seeds) -> None:
    folder = broken_seeds("links.yaml", "km: 14", "km: 20")
    result = CliRunner().invoke(main, ["validate", "--seeds", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Links more than 10 % off their published length" in result.output
    assert "port_line" in result.output
    assert result.output.rstrip().endswith("seeds are valid")


def test_validate_reports_no_gap_table_when_every_link_is_on_its_figure(broken_seeds) -> None:
    result = CliRunner().invoke(main, ["validate", "--seeds", str(broken_seeds("links.yaml"))])
    assert result.exit_code == 0, result.output
    assert "Links more than 10 % off their published length" not in result.output
    assert result.output.rstrip().endswith("seeds are valid")


def test_bad_seeds_give_one_line_per_problem_and_exit_2(broken_seeds, tmp_path: Path) -> None:
    folder = broken_seeds("links.yaml", "to: aktau_seaport", "to: aktau_sea_port")
    out = tmp_path / "geo"
    result = CliRunner().invoke(main, ["build", "--seeds", str(folder), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: links.yaml: link 'port_line', key 'to': unknown node 'aktau_sea_port'. "
        "Fix: did you mean 'aktau_seaport'? or add the node to nodes.csv"
    ]
    assert "Traceback" not in result.output
    assert not out.exists()


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "corridors", "--help"], capture_output=True, text=True, check=True
    )
    assert "build" in done.stdout
    assert "validate" in done.stdout


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from click.testing import CliRunner; from corridors.cli import main; "
        "CliRunner().invoke(main, ['--help']); "
        "print(sorted(m for m in ('geopandas', 'osmnx', 'folium', 'networkx') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_route_table_and_json() -> None:
    runner = CliRunner()
    table = runner.invoke(main, ["route", "Kuryk seaport", "Turkmenbashi seaport", "-k", "3"])
    assert table.exit_code == 0, table.output
    assert "with a sea leg" in table.output
    assert "legs and steps" in table.output
    result = runner.invoke(
        main,
        [
            "route",
            "Aktau seaport",
            "Gorgan",
            "--modes",
            "rail",
            "--by",
            "distance",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    best = data["routes"][0]
    assert best["node_ids"][0] == "aktau_seaport"
    assert best["node_ids"][-1] == "gorgan"
    assert {"length_km", "time_h", "cost_usd_per_t", "legs"} <= set(best)
    assert any(step["kind"] == "break_of_gauge" for step in best["steps"])


def test_route_errors_are_one_line() -> None:
    runner = CliRunner()
    unknown = runner.invoke(main, ["route", "Aktao", "Gorgan"])
    assert unknown.exit_code == 2
    assert unknown.output.strip().splitlines() == [
        "error: unknown place 'Aktao'. Did you mean 'Aktau' or 'Aktobe'? Use a place name, a "
        "node id, or lon,lat (corridors places lists them)"
    ]
    scenario = runner.invoke(main, ["route", "Aktau", "Gorgan", "--scenario", "nowhere"])
    assert scenario.exit_code == 2
    assert len(scenario.output.strip().splitlines()) == 1
    assert "unknown scenario 'nowhere'" in scenario.output
    none = runner.invoke(main, ["route", "Aktau seaport", "Kandahar", "--modes", "rail"])
    assert none.exit_code == 1
    assert len(none.output.strip().splitlines()) == 1
    assert "'afghan_railway'" in none.output
    assert "Traceback" not in unknown.output + scenario.output + none.output


def test_compare_table_and_json() -> None:
    runner = CliRunner()
    args = ["compare", "afghan_railway", "--od", "Aktau seaport:Kandahar", "--modes", "rail"]
    table = runner.invoke(main, args)
    assert table.exit_code == 0, table.output
    assert "newly connected" in table.output
    result = runner.invoke(main, [*args, "--format", "json"])
    data = json.loads(result.output)
    pair = data["pairs"][0]
    assert pair["outcome"] == "newly connected"
    assert pair["scenario"]["routes"][0]["node_ids"][-1] == "kandahar"
    assert "afghan_railway" in pair["base"]["reason"]
    bad = runner.invoke(main, ["compare", "afghan_railway", "--od", "Aktau-Kandahar"])
    assert bad.exit_code == 2
    assert "must be ORIGIN:DESTINATION" in bad.output


def test_bad_scenario_file_is_one_line(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(Path(__file__).resolve().parents[1] / "seeds", seeds)
    (seeds / "scenarios" / "broken.yaml").write_text(
        "name: broken\ntitle: Broken\ndescription: x\nbase: currnt\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["route", "Aktau", "Gorgan", "--seeds", str(seeds)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: scenarios/broken.yaml: key 'base': unknown base scenario 'currnt'. "
        "Fix: did you mean 'current'? or add scenarios/currnt.yaml"
    ]


def test_map_commands_write_self_contained_maps(tmp_path: Path) -> None:
    runner = CliRunner()
    network_html = tmp_path / "network.html"
    result = runner.invoke(main, ["map", "--scenario", "all_planned", "-o", str(network_html)])
    assert result.exit_code == 0, result.output
    assert network_html.stat().st_size > 100_000
    assert "https://cdn" not in network_html.read_text(encoding="utf-8")
    route_html = tmp_path / "route.html"
    result = runner.invoke(main, ["route", "Aktau seaport", "Gorgan", "--map", str(route_html)])
    assert result.exit_code == 0, result.output
    assert f"wrote {route_html}" in result.output
    compare_html = tmp_path / "compare.html"
    result = runner.invoke(
        main,
        ["compare", "afghan_railway", "--od", "Aktau seaport:Kandahar", "--map", str(compare_html)],
    )
    assert result.exit_code == 0, result.output
    assert compare_html.exists()
    bad = runner.invoke(main, ["map", "--scenario", "nowhere", "-o", str(tmp_path / "x.html")])
    assert bad.exit_code == 2
    assert not (tmp_path / "x.html").exists()
