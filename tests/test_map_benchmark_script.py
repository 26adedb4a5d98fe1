"""The map benchmark script runs on the toy network and reports both maps; timings not asserted."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.toy import write_toy_seeds

SCRIPT = Path(__file__).resolve().parent / "benchmarks" / "map_benchmark.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("map_benchmark", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_map_benchmark_runs_on_the_toy_network(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = write_toy_seeds(tmp_path / "seeds")
    assert _script().main(["--seeds", str(seeds), "--repeat", "1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report["rows"]) == ["explore", "network_map"]
    assert report["links"] > 0
    for row in report["rows"].values():
        assert row["build_s"] > 0
        assert row["page_bytes"] > 10_000
    assert report["rows"]["network_map"]["save_s"] > 0
    assert report["target"]["ratio"] == 3.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seeds"]


def test_map_benchmark_prints_a_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seeds = write_toy_seeds(tmp_path / "seeds")
    assert _script().main(["--seeds", str(seeds), "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "network_map" in out
    assert "target: network map build within 3.0x .explore()" in out
