"""Routing graphs on disk: stored once, routed on alone, never stale, names never paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from corridors.errors import InvalidArgument, UnknownScenario
from corridors.network import cache
from corridors.network.cache import load_network
from corridors.routing.api import route
from corridors.routing.graph import RoutingGraph
from corridors.routing.store import load_routing_graph
from tests.toy import write_toy_seeds

#: Libraries a route read from a stored graph must not need.
HEAVY = ("pandas", "geopandas", "shapely", "pyproj", "pydantic", "scipy", "folium", "yaml")


@pytest.fixture(autouse=True)
def _fresh_memos() -> None:
    """Start without the graphs and scenarios other tests applied to equal seeds."""
    from corridors.routing import api, scenarios  # noqa: PLC0415

    api._GRAPHS.clear()
    scenarios._APPLIED.clear()


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CORRIDORS_CACHE", str(folder))
    return folder


@pytest.fixture
def toy_seeds(tmp_path: Path) -> Path:
    return write_toy_seeds(tmp_path / "seeds")


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("routing-*.pickle"))


def _answer(graph_or_network: object, **options: object) -> dict[str, object]:
    routes = route(graph_or_network, "Aktau seaport", "Serhetyaka", alternatives=3, **options)  # type: ignore[arg-type]
    return json.loads(routes.to_json())


def test_a_stored_graph_routes_as_the_network_does(
    toy_seeds: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = load_routing_graph(toy_seeds, "current")
    assert len(_entries(cache_folder)) == 1
    monkeypatch.setattr(cache, "load_network", lambda *_a, **_k: pytest.fail("built again"))
    stored = load_routing_graph(toy_seeds, "current")
    assert stored is not built
    assert stored._scenario is None, "a stored graph holds no network"
    monkeypatch.undo()
    expected = _answer(load_network(toy_seeds), scenario="current")
    assert _answer(stored) == expected
    assert _answer(stored, weight="distance") == _answer(built, weight="distance")


def test_each_scenario_and_cargo_unit_has_its_own_graph(
    toy_seeds: Path, cache_folder: Path
) -> None:
    current = load_routing_graph(toy_seeds, "current")
    spur = load_routing_graph(toy_seeds, "with_spur")
    wagon = load_routing_graph(toy_seeds, "current", "truck")
    assert (current.scenario_name, spur.scenario_name) == ("current", "with_spur")
    assert wagon.cargo == "truck"
    assert len(_entries(cache_folder)) == 3


def test_an_edited_seed_is_seen_and_a_stale_graph_refuses_its_network(
    toy_seeds: Path, cache_folder: Path
) -> None:
    load_routing_graph(toy_seeds, "current")
    stored = load_routing_graph(toy_seeds, "current")
    nodes = toy_seeds / "nodes.csv"
    nodes.write_text(
        nodes.read_text(encoding="utf-8").replace(",Serhetyaka,", ",Serhetyaka post,"),
        encoding="utf-8",
    )
    fresh = load_routing_graph(toy_seeds, "current")
    assert fresh.node_table["name"]["serhetyaka"] == "Serhetyaka post"
    assert stored.node_table["name"]["serhetyaka"] == "Serhetyaka"
    assert len(_entries(cache_folder)) == 2
    with pytest.raises(RuntimeError, match="changed since"):
        _ = stored.scenario


def test_a_stored_graph_reads_its_network_back_for_an_explanation(
    toy_seeds: Path, cache_folder: Path
) -> None:
    load_routing_graph(toy_seeds, "current")
    stored = load_routing_graph(toy_seeds, "current")
    from corridors.errors import NoRoute  # noqa: PLC0415

    with pytest.raises(NoRoute, match="by sea"):
        route(stored, "Aktau seaport", "Serhetyaka", modes="sea")
    assert stored._scenario is None, "that explanation needed no network"
    assert "serhetyaka" in stored.scenario.network.nodes.index


def test_unknown_scenarios_are_refused_and_never_become_paths(
    toy_seeds: Path, cache_folder: Path
) -> None:
    for name in ("curent", "../../outside", "/etc/passwd"):
        with pytest.raises(UnknownScenario):
            load_routing_graph(toy_seeds, name)
    assert not _entries(cache_folder)
    assert not (cache_folder.parent / "outside").exists()
    load_routing_graph(toy_seeds, "current")
    assert all(len(p.stem) == len("routing-") + 64 for p in _entries(cache_folder))


def test_a_graph_is_used_for_its_own_scenario_and_unit_only(
    toy_seeds: Path, cache_folder: Path
) -> None:
    graph = load_routing_graph(toy_seeds, "current")
    assert _answer(graph, scenario="current", cargo="container") == _answer(graph)
    with pytest.raises(InvalidArgument, match="scenario 'with_spur'"):
        route(graph, "Aktau seaport", "Serhetyaka", scenario="with_spur")
    with pytest.raises(InvalidArgument, match="cargo unit 'container'"):
        route(graph, "Aktau seaport", "Serhetyaka", cargo="truck")
    with pytest.raises(InvalidArgument, match="did you mean"):
        route(graph, "Aktau seaport", "Serhetyaka", cargo="truk")


def test_without_the_cache_nothing_is_stored(
    toy_seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDORS_CACHE", "off")
    graph = load_routing_graph(toy_seeds, "current")
    assert isinstance(graph, RoutingGraph)
    assert not list(tmp_path.rglob("routing-*.pickle"))


def test_a_warm_command_line_route_imports_no_heavy_library(
    toy_seeds: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "CORRIDORS_CACHE": str(tmp_path / "cli-cache")}
    code = (
        "import sys\n"
        "from corridors.cli import main\n"
        "try:\n"
        "    main(['route', 'Aktau seaport', 'Serhetyaka', '--seeds', sys.argv[1]])\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        f"print('loaded:', sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, str(toy_seeds)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        for _ in range(2)
    ]
    cold, warm = (run.stderr.strip().splitlines()[-1] for run in runs)
    assert "pandas" in cold, "the first run builds the network"
    assert warm == "loaded: []"
    assert runs[0].stdout == runs[1].stdout
    assert "serhetyaka" in runs[1].stdout


def test_graphs_of_a_network_read_from_a_folder_are_kept_and_read_back(
    toy_seeds: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corridors.routing import api  # noqa: PLC0415
    from corridors.routing.scenarios import apply_scenario  # noqa: PLC0415

    network = load_network(toy_seeds)
    assert network.digest
    applied = apply_scenario(network, "with_spur")
    built = api.routing_graph(applied)
    assert len(_entries(cache_folder)) == 1
    api._GRAPHS.clear()
    monkeypatch.setattr(RoutingGraph, "__init__", lambda *_a: pytest.fail("built again"))
    again = api.routing_graph(applied)
    assert again is not built
    assert again.scenario is applied, "a graph read back holds the scenario it was asked for"
    assert _answer(again) == _answer(built)


def test_graphs_of_a_network_built_otherwise_are_not_kept(
    toy_seeds: Path, cache_folder: Path
) -> None:
    from corridors.data.seeds import load_seeds  # noqa: PLC0415
    from corridors.routing.api import routing_graph  # noqa: PLC0415
    from corridors.routing.scenarios import apply_scenario  # noqa: PLC0415

    network = load_network(load_seeds(toy_seeds))
    assert not network.digest
    routing_graph(apply_scenario(network, "with_spur"))
    assert not _entries(cache_folder)


def test_the_calibration_is_computed_once_per_seeds_content(
    toy_seeds: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corridors.analysis import calibrate as calibration  # noqa: PLC0415

    first = calibration.stored_calibration(load_network(toy_seeds))
    assert list(cache_folder.glob("calibration-*.pickle"))
    monkeypatch.setattr(calibration, "calibrate", lambda *_a, **_k: pytest.fail("computed again"))
    again = calibration.stored_calibration(load_network(toy_seeds))
    assert again.to_frame().equals(first.to_frame())
    monkeypatch.undo()
    pairs = toy_seeds / "od_pairs.yaml"
    pairs.write_text(pairs.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    calls: list[object] = []
    original = calibration.calibrate
    monkeypatch.setattr(
        calibration, "calibrate", lambda *a, **k: calls.append(a) or original(*a, **k)
    )
    calibration.stored_calibration(load_network(toy_seeds))
    assert len(calls) == 1, "an edited seed computes afresh"
