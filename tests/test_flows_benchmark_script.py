"""The flow benchmark script runs (on a few zones); its figures are not asserted here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "benchmarks" / "flows_benchmark.py"


def test_flow_benchmark_script_runs_on_a_few_zones() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--zones", "6", "--tolerance", "1e-3"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "zones 6" in done.stdout
    assert "relative gap" in done.stdout
    assert "assignment s" in done.stdout
