"""The run benchmark script times validate and run once each on the toy seeds; nothing is asserted
about the timings.
"""

from __future__ import annotations

from pathlib import Path

from tests.test_cli_benchmark_script import run_script
from tests.toy import write_toy_seeds

SCRIPT = Path(__file__).resolve().parent / "benchmarks" / "run_benchmark.py"


def test_run_benchmark_reports_both_commands_and_the_target(tmp_path: Path) -> None:
    seeds = write_toy_seeds(tmp_path / "seeds")
    stdout, report = run_script(SCRIPT, tmp_path, "--seeds", str(seeds))
    assert "corridors run, warm cache" in stdout
    assert "target: run at most 3.0 s beyond validate" in stdout
    assert list(report["rows"]) == ["validate", "run"]
    assert all("--seeds" in row["command"] for row in report["rows"].values())
    target = report["target"]
    assert target["extra_s"] == 3.0
    extra = report["rows"]["run"]["best_wall_s"] - report["rows"]["validate"]["best_wall_s"]
    assert abs(target["measured_wall_s"] - extra) < 1e-3
    assert isinstance(target["met"], bool)
    assert report["written"] == ["geo", "maps"]
    assert report["reports"] == sorted(
        [f"{name}.html" for name in ("current", "dear_time", "regauged", "with_spur")]
        + ["index.html"]
    )
    # the run happens in a scratch folder: nothing lands where the script was started
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "seeds"]
