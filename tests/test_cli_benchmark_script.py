"""The CLI benchmark script runs once per command and reports its rows; timings are not asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parent / "benchmarks" / "cli_benchmark.py"
ROWS = ("start", "networkx", "libraries", "cold", "warm")


def run_script(script: Path, folder: Path, *options: str) -> tuple[str, dict[str, Any]]:
    """Run a benchmark script once per command from ``folder``: its table and its JSON report."""
    report_path = folder / "report.json"
    done = subprocess.run(
        [sys.executable, str(script), "--repeat", "1", *options, "--json", str(report_path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["repeat"] == 1
    for row in report["rows"].values():
        assert len(row["samples"]) == 1
        assert row["best_wall_s"] > 0
        assert row["median_wall_s"] == row["best_wall_s"]
        if sys.platform != "win32":
            assert row["best_cpu_s"] > 0
            assert row["peak_rss_mib"] > 1
    return done.stdout, report


def test_cli_benchmark_reports_every_row(tmp_path: Path) -> None:
    stdout, report = run_script(SCRIPT, tmp_path)
    assert "corridors route, warm cache" in stdout
    assert "import networkx" in stdout
    assert "target: warm route within 3.0x import networkx" in stdout
    assert list(report["rows"]) == list(ROWS)
    assert report["rows"]["networkx"]["x_networkx_wall"] == 1.0
    assert report["rows"]["warm"]["command"][-2:] == ["Aktau seaport", "Gorgan"]
    target = report["target"]
    assert target["ratio"] == 3.0
    assert isinstance(target["met"], bool)
    assert target["measured"] == report["rows"]["warm"]["x_networkx_wall"]
    assert report["written_to_working_folder"] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


@pytest.mark.parametrize("script", [SCRIPT, SCRIPT.with_name("run_benchmark.py")])
def test_command_benchmarks_reject_a_zero_repeat(script: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(script), "--repeat", "0"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--repeat must be at least 1" in done.stderr
