"""The uncertainty benchmark script runs on a tiny input; its figures are not asserted here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.toy import write_toy_seeds

SCRIPT = Path(__file__).resolve().parent / "benchmarks" / "uncertainty_benchmark.py"


def test_uncertainty_benchmark_runs_on_the_toy(tmp_path: Path) -> None:
    seeds = write_toy_seeds(tmp_path / "seeds")
    args = ["--seeds", str(seeds), "--origin", "Aktau seaport", "--destination", "Serhetyaka"]
    args += ["--samples", "200", "--repeat", "1", "--scenarios", "1", "--pairs", "1"]
    args += [
        "--sweep-samples",
        "10",
        "--workers",
        "1",
        "--threads",
        "--json",
        str(tmp_path / "b.json"),
    ]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={"CORRIDORS_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert "monte carlo: 200 samples" in done.stdout
    assert "same rows: True" in done.stdout
    assert (tmp_path / "b.json").exists()
