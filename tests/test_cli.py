"""The command line: exit codes, one-line errors, no tracebacks, nothing half-written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from corridors.cli import main


def test_build_writes_geodata_and_prints_the_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "geo")])
    assert result.exit_code == 0, result.output
    assert "Lines: built (geodesic) versus published length" in result.output
    assert "Kazakhstan-Turkmenistan-Iran" in result.output
    assert sorted(p.name for p in (tmp_path / "geo").iterdir()) == [
        "links.geojson",
        "network.gpkg",
        "nodes.geojson",
    ]


def test_validate_reports_length_gaps(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "Links more than 10 % off their published length" in result.output
    assert "kz_borzhakty_ersai" in result.output
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
