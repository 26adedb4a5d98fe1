"""Bad command-line input, places and output paths: one message, exit 2, nothing half-written.

Mechanisms run on the toy network (tests/toy.py); a few named tests check real-seed places.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridors.cli import main
from tests.toy import write_toy_seeds

HOSTILE = "<script>alert(1)</script>{{ 7*7 }}`${x}'\""


@pytest.fixture(scope="module")
def toy_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_toy_seeds(tmp_path_factory.mktemp("toy") / "seeds")


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDORS_CACHE", str(tmp_path / "cache"))


def invoke(args: list[str], seeds: Path, cwd: Path) -> tuple[int, str, str]:
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(main, [*args, "--seeds", str(seeds)], catch_exceptions=True)
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args}: {result.exception!r}") from result.exception
    return result.exit_code, result.stdout, result.stderr


def one_error(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.lower().startswith("error")]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


PLACE_CASES = [
    (["route", "Aktao seaport", "Serhetyaka"], "did you mean 'aktau seaport'"),
    (["route", "", "Serhetyaka"], "empty place name"),
    (["route", "500,500", "Serhetyaka"], "out of range"),
    (["route", "nan,nan", "Serhetyaka"], "are not numbers"),
    (["route", "inf,40", "Serhetyaka"], "are not numbers"),
    (["route", "43.6,51.2", "Serhetyaka"], "looks like lat,lon"),
    (["route", "60.0,30.0", "Serhetyaka"], "beyond the 50 km snap limit"),
    (["route", "51.3,43.7", "Serhetyaka", "--max-snap-km", "0.001"], "beyond the 0.001 km"),
    (["route", "Tashkent", "Serhetyaka"], "lies outside the model"),
    (["route", "Toshkent", "Serhetyaka"], "lies outside the model"),
    (["route", "Gas field", "Serhetyaka"], "not a transport node"),
    (["route", HOSTILE, "Serhetyaka"], "unknown place"),
    (["route", "Aktau seaport", "Serhetyaka", "--avoid", "Turkmenistan"], "ISO2 country code"),
    (["route", "Aktau seaport", "Serhetyaka", "--avoid", "Aktau seaport"], "both a stop"),
    (["route", "Aktau seaport", "Aktau seaport"], "must all differ"),
    (["route", "Aktau seaport", "Serhetyaka", "--modes", "air"], "unknown mode 'air'"),
    (["route", "Aktau seaport", "Serhetyaka", "--statuses", "open"], "unknown status 'open'"),
    (["route", "Aktau seaport", "Serhetyaka", "--scenario", "curent"], "did you mean 'current'"),
    (["route", "Aktau seaport", "Serhetyaka", "--by", "speed"], "invalid value"),
    (["route", "Aktau seaport", "Serhetyaka", "-k", "0"], "invalid value"),
    (["route", "Aktau seaport", "Serhetyaka", "--max-snap-km", "-1"], "invalid value"),
    (["route", "Aktau seaport"], "missing argument"),
    (["route", "Aktau seaport", "Serhetyaka", "--bogus"], "no such option"),
    (["compare", "with_spur", "--od", "Aktau seaport"], "must be origin:destination"),
    (["compare", "with_spur", "--od", ":Serhetyaka"], "must be origin:destination"),
    (["compare", "nowhere", "--od", "Aktau seaport:Serhetyaka"], "unknown scenario"),
    (["report"], "name a scenario"),
    (["report", "with_spur", "--od", "Aktao:Serhetyaka"], "unknown place"),
    (["map", "--scenario", "nowhere"], "unknown scenario"),
    (["places", "zzzz"], "no place matches"),
]


@pytest.mark.parametrize(("args", "phrase"), PLACE_CASES, ids=[" ".join(a) for a, _ in PLACE_CASES])
def test_bad_argument_is_one_message(
    args: list[str], phrase: str, toy_seeds: Path, tmp_path: Path
) -> None:
    code, stdout, stderr = invoke(args, toy_seeds, tmp_path)
    assert code == 2, stdout + stderr
    assert phrase.lower() in one_error(stderr).lower()
    assert not stdout.strip()
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and "cache" not in p.parts]


OUTPUT_CASES = [
    (["map", "-o", "map.txt"], "ending in .html"),
    (["map", "-o", "map"], "ending in .html"),
    (["report", "with_spur", "-o", "r.md"], "ending in .html"),
    (["report", "with_spur", "-o", "r.json"], "ending in .html"),
    (["route", "Aktau seaport", "Serhetyaka", "--map", "m.png"], "ending in .html"),
    (["compare", "with_spur", "--od", "Aktau seaport:Serhetyaka", "--map", "c.md"], ".html"),
    (["report", "--all", "-o", "taken.html"], "a file stands there"),
    (["build", "--out", "taken.html"], "is a file"),
    (["report", "with_spur", "-o", "clash.html"], "it is a folder"),
    # /sys refuses writes to every user, root included (as a read-only folder would).
    (["map", "-o", "/sys/corridors-test/m.html"], "cannot write"),
    (["report", "with_spur", "-o", "/sys/corridors-test/"], "cannot write"),
    (["build", "--out", "/sys/corridors-test/geo"], "cannot write"),
    (["route", "Aktau seaport", "Serhetyaka", "--map", "/sys/m.html"], "cannot write"),
]


@pytest.mark.parametrize(
    ("args", "phrase"), OUTPUT_CASES, ids=[" ".join(a) for a, _ in OUTPUT_CASES]
)
def test_bad_output_path_is_refused_and_nothing_is_replaced(
    args: list[str], phrase: str, toy_seeds: Path, tmp_path: Path
) -> None:
    (tmp_path / "taken.html").write_text("old", encoding="utf-8")
    (tmp_path / "folder.html").mkdir()
    (tmp_path / "clash.md").mkdir()
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    code, stdout, stderr = invoke(args, toy_seeds, tmp_path)
    assert code == 2, stdout + stderr
    assert phrase.lower() in one_error(stderr).lower()
    after = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if "cache" not in p.parts}
    assert after == {p: m for p, m in before.items() if "cache" not in p.parts}
    assert (tmp_path / "taken.html").read_text(encoding="utf-8") == "old"


def test_an_existing_folder_gets_the_default_names(toy_seeds: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    code, _, stderr = invoke(["report", "with_spur", "-o", "out"], toy_seeds, tmp_path)
    assert code == 0, stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "with_spur.html",
        "with_spur.json",
        "with_spur.md",
    ]
    code, _, stderr = invoke(["map", "-o", "out"], toy_seeds, tmp_path)
    assert code == 0, stderr
    assert (tmp_path / "out" / "network.html").is_file()


def test_a_read_only_folder_is_one_line_and_nothing_is_written(
    toy_seeds: Path, tmp_path: Path
) -> None:
    # Root may write through permissions; a file standing where the folder should be fails for
    # every user the same way a read-only folder does.
    (tmp_path / "geo").write_text("a file", encoding="utf-8")
    code, _, stderr = invoke(["map", "-o", "geo/network.html"], toy_seeds, tmp_path)
    assert code == 2
    assert "cannot write" in one_error(stderr)
    assert (tmp_path / "geo").read_text(encoding="utf-8") == "a file"


def test_json_output_is_the_only_thing_on_stdout(toy_seeds: Path, tmp_path: Path) -> None:
    code, stdout, stderr = invoke(
        ["route", "Aqtau", "Serhetyaka", "--format", "json", "--map", "m.html"],
        toy_seeds,
        tmp_path,
    )
    assert code == 0, stderr
    data = json.loads(stdout, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))
    assert data["query"]["asked"][data["query"]["origin"]] == "Aqtau"
    assert "wrote" in stderr
    assert (tmp_path / "m.html").is_file()


def test_snap_distance_is_the_first_line(toy_seeds: Path, tmp_path: Path) -> None:
    code, stdout, _ = invoke(["route", "51.25,43.6", "Serhetyaka"], toy_seeds, tmp_path)
    assert code == 0
    assert stdout.splitlines()[0].startswith("snapped 51.25,43.6 to Aktau seaport")


def test_an_ambiguous_name_lists_its_candidates(tmp_path: Path) -> None:
    seeds = write_toy_seeds(tmp_path / "seeds")
    nodes = seeds / "nodes.csv"
    nodes.write_text(
        nodes.read_text(encoding="utf-8").replace(
            "serhetyaka,Serhetyaka,Серхетяка", "serhetyaka,Serhetyaka,Uzen"
        ),
        encoding="utf-8",
    )
    code, _, stderr = invoke(["route", "Uzen", "Aktau seaport"], seeds, tmp_path)
    assert code == 2
    message = one_error(stderr)
    assert "ambiguous" in message
    assert "uzen_station" in message
    assert "serhetyaka" in message


def test_a_group_starts_at_the_member_with_the_mode(toy_seeds: Path, tmp_path: Path) -> None:
    code, stdout, stderr = invoke(
        ["route", "Aqtau", "Serhetyaka", "--modes", "rail", "--format", "json"],
        toy_seeds,
        tmp_path,
    )
    assert code == 0, stderr
    best = json.loads(stdout)["routes"][0]
    # The group's best member by rail: Mangyshlak station, not the port 14 km down its branch
    # nor the city (road only), and no access leg or transfer is added.
    assert best["node_ids"][0] == "mangyshlak_station"
    assert "transfer" not in [step["kind"] for step in best["steps"]]


WORDS = st.sampled_from(
    [
        "route",
        "compare",
        "report",
        "map",
        "places",
        "build",
        "validate",
        "--modes",
        "rail",
        "road,sea",
        "--avoid",
        "KZ",
        "--via",
        "Uzen",
        "-k",
        "0",
        "3",
        "--by",
        "time",
        "--format",
        "json",
        "--scenario",
        "with_spur",
        "--od",
        "Aqtau:Serhetyaka",
        "Aktau seaport",
        "Serhetyaka",
        "51.2,43.6",
        "nan,1",
        "1e999,2",
        "-o",
        "x.md",
        "--map",
        "y.html",
        "--max-snap-km",
        "-3",
        "Tashkent",
        HOSTILE,
        "--statuses",
        "planned",
        "--all",
        "",
    ]
)


@settings(
    max_examples=int(os.environ.get("CORRIDORS_HYPOTHESIS_EXAMPLES", "40")),
    derandomize=os.environ.get("CORRIDORS_HYPOTHESIS_RANDOM", "") != "1",
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(args=st.lists(WORDS, min_size=1, max_size=7))
def test_no_argument_list_gives_a_traceback(
    args: list[str], toy_seeds: Path, tmp_path: Path
) -> None:
    work = tmp_path / f"run{abs(hash(tuple(args)))}"
    work.mkdir()
    code, stdout, stderr = invoke(args, toy_seeds, work)
    assert code in {0, 1, 2}, stdout + stderr
    if code == 2:
        one_error(stderr)
    if code == 1:
        assert stderr.startswith("no route:"), stderr
