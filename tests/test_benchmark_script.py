"""The routing benchmark script runs (on a small grid); its figures are not asserted here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "benchmarks" / "routing_benchmark.py"


def test_benchmark_script_runs_on_a_small_grid() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--grid", "12", "--repeat", "1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "networkx k=5 (Yen) s" in done.stdout
    assert "generated 12x12 grid" in done.stdout
