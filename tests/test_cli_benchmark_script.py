"""The CLI benchmark script runs once per command and reports its rows; timings are not asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "benchmarks" / "cli_benchmark.py"
ROWS = ("start", "networkx", "libraries", "cold", "warm")


def test_cli_benchmark_reports_every_row(tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--repeat", "1", "--json", str(report_path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "corridors route, warm cache" in done.stdout
    assert "import networkx" in done.stdout
    assert "target: warm route within 3.0x import networkx" in done.stdout

    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["repeat"] == 1
    assert list(report["rows"]) == list(ROWS)
    for key in ROWS:
        row = report["rows"][key]
        assert len(row["samples"]) == 1
        assert row["best_wall_s"] > 0
        assert row["median_wall_s"] == row["best_wall_s"]
        if sys.platform != "win32":
            assert row["best_cpu_s"] > 0
            assert row["peak_rss_mib"] > 1
    assert report["rows"]["networkx"]["x_networkx_wall"] == 1.0
    assert report["rows"]["warm"]["command"][-2:] == ["Aktau seaport", "Gorgan"]
    target = report["target"]
    assert target["ratio"] == 3.0
    assert isinstance(target["met"], bool)
    assert target["measured"] == report["rows"]["warm"]["x_networkx_wall"]
    assert report["written_to_working_folder"] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_cli_benchmark_rejects_a_zero_repeat() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--repeat", "0"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--repeat must be at least 1" in done.stderr
