"""The benchmark scripts run (on small grids); their figures are not asserted here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "benchmarks" / "routing_benchmark.py"
ENGINES = SCRIPT.with_name("engines_benchmark.py")


def _run(script: Path, *arguments: str) -> str:
    done = subprocess.run(
        [sys.executable, str(script), *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_benchmark_script_runs_on_a_small_grid() -> None:
    table = _run(SCRIPT, "--grid", "12", "--repeat", "1")
    assert "networkx k=5 (Yen) s" in table
    assert "generated 12x12 grid" in table


def test_engines_benchmark_runs_on_a_tiny_grid() -> None:
    table = _run(ENGINES, "--sides", "8", "--repeat", "1")
    for engine in ("corridors", "csgraph (same CSR)", "corridors / csgraph", "networkx"):
        assert f" {engine} " in table
    assert "224 edges (8x8)" in table
    assert "igraph" in table, "igraph runs, or a note says it was skipped"
