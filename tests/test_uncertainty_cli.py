"""`corridors route --samples` and `corridors compare --samples` on the toy network."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from corridors.cli import main
from tests.toy import write_toy_seeds

ROUTE = ["route", "Aktau seaport", "Serhetyaka", "--by", "time", "--modes", "rail"]


@pytest.fixture(scope="module")
def toy_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_toy_seeds(tmp_path_factory.mktemp("toy") / "seeds")


def run(args: list[str], seeds: Path) -> tuple[int, str, str]:
    """Run the command line on a seeds folder, with a cache folder of its own beside it."""
    runner = CliRunner(env={"CORRIDORS_CACHE": str(seeds.parent / "cache")})
    result = runner.invoke(main, [*args, "--seeds", str(seeds)])
    return result.exit_code, result.stdout, result.stderr


def test_route_samples_in_json_are_reproducible(toy_seeds: Path) -> None:
    args = [*ROUTE, "--samples", "300", "--seed", "4", "--within-h", "30", "--format", "json"]
    code, out, _ = run(args, toy_seeds)
    assert code == 0
    again = run(args, toy_seeds)[1]
    assert out == again
    data = json.loads(out)["uncertainty"]
    row = data["routes"][0]
    assert row["time_h_p10"] <= row["time_h_p50"] <= row["time_h_p90"]
    assert 0 <= row["p_within"] <= 1
    assert data["sensitivity"]["routes"][0]["tornado"][0]["parameter"] == (
        "border_default:rail (time)"
    )
    other = json.loads(
        run([*args[:-6], "--samples", "300", "--seed", "5", "--format", "json"], toy_seeds)[1]
    )
    assert other["uncertainty"]["routes"][0]["time_h_p90"] != row["time_h_p90"]


def test_route_samples_table(toy_seeds: Path) -> None:
    code, out, _ = run([*ROUTE, "--samples", "200", "--within-h", "30"], toy_seeds)
    assert code == 0
    assert "P10-P90 h" in out
    assert "P(within 30 h)" in out
    assert "What the best route hangs on" in out


def test_within_needs_samples(toy_seeds: Path) -> None:
    code, _, err = run([*ROUTE, "--within-h", "30"], toy_seeds)
    assert code == 2
    assert "--within-h needs --samples" in err


def test_compare_gives_the_probability_of_improving(toy_seeds: Path) -> None:
    args = ["compare", "regauged", "--od", "aktau_seaport:serhetyaka", "--by", "time"]
    code, out, _ = run([*args, "--samples", "200", "--format", "json"], toy_seeds)
    assert code == 0
    pair = json.loads(out)["uncertainty"]["pairs"][0]
    assert set(pair) >= {"p_improves", "verdict", "base_p10_p50_p90", "scenario_p10_p50_p90"}
    code, out, _ = run([*args, "--samples", "200"], toy_seeds)
    assert code == 0
    assert "P(improves)" in out


def test_a_bad_ranges_file_is_one_message(toy_seeds: Path, tmp_path: Path) -> None:
    seeds = write_toy_seeds(tmp_path / "seeds")
    path = seeds / "uncertainty.yaml"
    path.write_text(path.read_text().replace('"speed:sea", term: time', '"speed:see", term: time'))
    code, out, err = run([*ROUTE, "--samples", "10"], seeds)
    assert code == 2
    assert "uncertainty.yaml" in err
    assert "did you mean 'speed:sea'" in err
    assert "Traceback" not in err + out


def test_sweep_writes_parquet_summary_and_chart(toy_seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["sweep", "--scenario", "current,with_spur", "--od", "aktau_seaport:serhetyaka"]
    code, stdout, _ = run([*args, "--samples", "20", "--serial", "--out", str(out)], toy_seeds)
    assert code == 0
    frame = pd.read_parquet(out / "sweep.parquet")
    assert set(frame["scenario"]) == {"current", "with_spur"}
    assert len(frame) == 2 * 20 * frame.groupby("scenario")["rank"].nunique().iloc[0]
    summary = pd.read_csv(out / "summary.csv")
    assert {"time_h_p10", "time_h_p90", "p_best"} <= set(summary.columns)
    assert (out / "chart.svg").read_text().startswith("<svg")
    assert "Sweep: the best route" in stdout


def test_sweep_with_an_unknown_scenario_writes_nothing(toy_seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["sweep", "--scenario", "curent", "--od", "aktau_seaport:serhetyaka", "--serial"]
    code, _, err = run([*args, "--samples", "5", "--out", str(out)], toy_seeds)
    assert code == 2
    assert "current" in err
    assert not out.exists()


def test_route_map_tooltips_show_the_range(toy_seeds: Path, tmp_path: Path) -> None:
    target = tmp_path / "route.html"
    code, _, err = run([*ROUTE, "--samples", "100", "--map", str(target)], toy_seeds)
    assert code == 0, err
    assert "P10-P90" in target.read_text()
    plain = tmp_path / "plain.html"
    assert run([*ROUTE, "--map", str(plain)], toy_seeds)[0] == 0
    assert "P10-P90" not in plain.read_text()


def test_validate_checks_the_ranges(tmp_path: Path) -> None:
    seeds = write_toy_seeds(tmp_path / "seeds")
    assert run(["validate"], seeds)[0] == 0
    path = seeds / "uncertainty.yaml"
    path.write_text(path.read_text().replace("low: 6, high: 40", "low: 12, high: 40"))
    code, _, err = run(["validate"], seeds)
    assert code == 2
    assert "uncertainty.yaml: ranges[0] (key 'border_default:rail')" in err
    assert "does not hold the most likely value 10" in err


def test_sweep_with_a_bad_scheduler_address_is_one_message(toy_seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["sweep", "--od", "aktau_seaport:serhetyaka", "--scheduler", "notanaddress"]
    code, _, err = run([*args, "--samples", "5", "--out", str(out)], toy_seeds)
    assert code == 2
    assert "cannot reach the Dask scheduler notanaddress" in err
    assert "tcp://HOST:PORT" in err
    assert not out.exists()
