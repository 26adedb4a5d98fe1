"""The on-disk network cache: written once, read back, never stale, and never in the way."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corridors.data.seeds import load_seeds
from corridors.network import build, cache
from corridors.network.build import Network
from corridors.network.cache import cache_dir, cache_entry, load_network, seeds_digest

REPOSITORY_SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache folder, named by $CORRIDORS_CACHE."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CORRIDORS_CACHE", str(folder))
    return folder


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("network-*.pickle")) if folder.is_dir() else []


def _no_build(*_args: object, **_kwargs: object) -> Network:
    pytest.fail("the network was built although a fresh cache entry exists")


def _rename_port(folder: Path, old: str, new: str) -> None:
    nodes = folder / "nodes.csv"
    text = nodes.read_text(encoding="utf-8")
    assert f"aktau_seaport,{old}," in text
    nodes.write_text(text.replace(f"aktau_seaport,{old},", f"aktau_seaport,{new},"))


def test_cache_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDORS_CACHE", str(tmp_path))
    assert cache_dir() == tmp_path
    for off in ("off", "OFF", "0", "no", "false"):
        monkeypatch.setenv("CORRIDORS_CACHE", off)
        assert cache_dir() is None
    monkeypatch.delenv("CORRIDORS_CACHE")
    default = cache_dir()
    assert default is not None
    assert "corridors" in default.parts


def test_first_load_writes_an_entry_and_the_second_reads_it(
    small_seeds: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = load_network(small_seeds)
    entries = _entries(cache_folder)
    assert entries == [cache_entry(small_seeds, cache_folder)]
    assert not list(cache_folder.glob(".*.tmp")), "a partial file was left behind"

    monkeypatch.setattr(build, "build_network", _no_build)
    again = load_network(small_seeds)
    assert again is not built
    assert list(again.nodes.index) == list(built.nodes.index)
    assert again.links["length_km"].tolist() == built.links["length_km"].tolist()
    assert again.seeds.nodes == built.seeds.nodes
    assert again.seeds.parameters == built.seeds.parameters


def test_the_digest_covers_names_bytes_and_subfolders(small_seeds: Path) -> None:
    first = seeds_digest(small_seeds)
    assert seeds_digest(small_seeds) == first
    (small_seeds / "scenarios").mkdir()
    (small_seeds / "scenarios" / "extra.yaml").write_text("name: extra\n", encoding="utf-8")
    second = seeds_digest(small_seeds)
    assert second != first
    (small_seeds / "scenarios" / "extra.yaml").rename(small_seeds / "scenarios" / "other.yaml")
    assert seeds_digest(small_seeds) not in {first, second}


def test_editing_a_seed_file_builds_afresh(small_seeds: Path, cache_folder: Path) -> None:
    before = load_network(small_seeds)
    digest = seeds_digest(small_seeds)
    assert before.nodes.loc["aktau_seaport", "name"] == "Aktau seaport"

    _rename_port(small_seeds, "Aktau seaport", "Aktau sea port")
    assert seeds_digest(small_seeds) != digest
    after = load_network(small_seeds)
    assert after.nodes.loc["aktau_seaport", "name"] == "Aktau sea port"
    assert len(_entries(cache_folder)) == 2

    _rename_port(small_seeds, "Aktau sea port", "Aktau seaport")
    assert seeds_digest(small_seeds) == digest
    assert load_network(small_seeds).nodes.loc["aktau_seaport", "name"] == "Aktau seaport"


def test_other_code_versions_build_afresh(
    small_seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest = seeds_digest(small_seeds)
    monkeypatch.setattr(cache, "_package_version", lambda: "99")
    assert seeds_digest(small_seeds) != digest
    monkeypatch.undo()
    monkeypatch.setattr(cache, "code_digest", lambda *_: "edited code")
    assert seeds_digest(small_seeds) != digest


def test_an_edit_to_the_network_building_code_builds_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = Path(cache.__file__).resolve().parents[1]
    copy = tmp_path / "corridors"
    for subpackage in ("data", "network"):
        shutil.copytree(package / subpackage, copy / subpackage)
    monkeypatch.setattr(cache, "__file__", str(copy / "network" / "cache.py"))
    cache.code_digest.cache_clear()
    try:
        original = cache.code_digest()
        build_file = copy / "network" / "build.py"
        build_file.write_text(
            build_file.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8"
        )
        cache.code_digest.cache_clear()
        assert cache.code_digest() != original
    finally:
        cache.code_digest.cache_clear()


def test_cache_off_writes_nothing(
    small_seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDORS_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    before = sorted(tmp_path.rglob("*"))
    network = load_network(small_seeds)
    assert "aktau_seaport" in network.nodes.index
    assert sorted(tmp_path.rglob("*")) == before


def test_cache_false_neither_reads_nor_writes(
    small_seeds: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_network(small_seeds, cache=False)
    assert _entries(cache_folder) == []
    load_network(small_seeds)
    assert len(_entries(cache_folder)) == 1
    calls: list[object] = []
    original_build = build.build_network

    def counting_build(folder: Path) -> Network:
        calls.append(folder)
        return original_build(folder)

    monkeypatch.setattr(build, "build_network", counting_build)
    load_network(small_seeds, cache=False)
    assert calls == [small_seeds]


def test_validated_seeds_bypass_the_cache(small_seeds: Path, cache_folder: Path) -> None:
    network = load_network(load_seeds(small_seeds))
    assert "aktau_seaport" in network.nodes.index
    assert _entries(cache_folder) == []


@pytest.mark.parametrize(
    "content",
    [b"", b"not a pickle at all", b"\x80\x05\x95garbage", b"\x80\x04K\x01.", None],
    ids=["empty", "text", "corrupt", "not-a-network", "truncated"],
)
def test_a_corrupt_entry_is_rebuilt_silently(
    small_seeds: Path, cache_folder: Path, content: bytes | None
) -> None:
    load_network(small_seeds)
    entry = cache_entry(small_seeds, cache_folder)
    good = entry.read_bytes()
    entry.write_bytes(good[: len(good) // 2] if content is None else content)
    network = load_network(small_seeds)
    assert network.nodes.loc["aktau_seaport", "name"] == "Aktau seaport"
    assert entry.read_bytes() != (content or b""), "the bad entry was not replaced"
    assert isinstance(cache.read_entry(entry, Network), Network)


def test_an_unwritable_cache_folder_does_not_fail_the_load(
    small_seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    monkeypatch.setenv("CORRIDORS_CACHE", str(blocker / "cache"))
    network = load_network(small_seeds)
    assert "aktau_seaport" in network.nodes.index
    assert blocker.read_text(encoding="utf-8") == "in the way"


def test_a_failing_write_leaves_no_partial_file(
    small_seeds: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.pickle, "dump", refuse)
    network = load_network(small_seeds)
    assert "aktau_seaport" in network.nodes.index
    assert list(cache_folder.iterdir()) == []


def test_old_entries_are_pruned_and_recent_ones_kept(small_seeds: Path, cache_folder: Path) -> None:
    cache_folder.mkdir()
    old = cache_folder / "network-old.pickle"
    recent = cache_folder / "network-recent.pickle"
    unrelated = cache_folder / "notes.txt"
    for path in (old, recent, unrelated):
        path.write_bytes(b"x")
    month_ago = old.stat().st_mtime - 30 * 86400
    os.utime(old, (month_ago, month_ago))
    os.utime(unrelated, (month_ago, month_ago))
    load_network(small_seeds)
    assert not old.exists()
    assert recent.exists()
    assert unrelated.exists()


def test_a_cache_file_round_trips_and_prunes_its_own_kind_only(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    old_outlines, old_network = folder / "outlines-old.pickle", folder / "network-old.pickle"
    for path in (old_outlines, old_network):
        path.write_bytes(b"x")
        month_ago = path.stat().st_mtime - 30 * 86400
        os.utime(path, (month_ago, month_ago))
    cache.write_entry(folder / "outlines-new.pickle", ({"type": "Feature"},))
    assert cache.read_entry(folder / "outlines-new.pickle") == ({"type": "Feature"},)
    assert not old_outlines.exists()
    assert old_network.exists()
    assert cache.read_entry(old_network) is None  # not a pickle: read as missing
    assert cache.read_entry(folder / "outlines-missing.pickle") is None


def test_invalid_seeds_are_not_cached(broken_seeds, cache_folder: Path) -> None:
    from corridors.errors import InvalidSeed  # noqa: PLC0415

    folder = broken_seeds("nodes.csv", "KZ,43.59956", "XX,43.59956")
    with pytest.raises(InvalidSeed):
        load_network(folder)
    assert _entries(cache_folder) == []


# --------------------------------------------------------------------------- the command line


def _route(seeds: Path, cache_folder: Path, cwd: Path) -> dict[str, object]:
    """Run ``corridors route "Aktau seaport" Gorgan --format json`` in a fresh interpreter."""
    env = {**os.environ, "CORRIDORS_CACHE": str(cache_folder)}
    env.pop("CORRIDORS_SEEDS", None)
    command = ["route", "Aktau seaport", "Gorgan", "--format", "json", "--seeds", str(seeds)]
    done = subprocess.run(
        [sys.executable, "-m", "corridors", *command],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _leg_names(result: dict[str, object]) -> list[str]:
    routes = result["routes"]
    assert isinstance(routes, list)
    assert routes
    return [leg["name"] for leg in routes[0]["legs"] if leg["kind"] == "leg"]


def test_cli_route_reuses_the_cache_and_sees_an_edited_seed(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(REPOSITORY_SEEDS, seeds)
    cache_folder = tmp_path / "cache"
    workdir = tmp_path / "work"
    workdir.mkdir()

    first = _route(seeds, cache_folder, workdir)
    [entry] = _entries(cache_folder)
    written = entry.stat().st_mtime_ns
    second = _route(seeds, cache_folder, workdir)
    assert second == first
    assert _entries(cache_folder) == [entry]
    assert entry.stat().st_mtime_ns == written, "the warm run rewrote the cache entry"
    old_name = "Aktau port railway, Mangyshlak-Aktau port"
    assert old_name in _leg_names(first)

    links = seeds / "links.yaml"
    text = links.read_text(encoding="utf-8")
    assert text.count(f"name: {old_name}\n") == 1
    new_name = "Aktau port railway (renamed in this test)"
    links.write_text(text.replace(f"name: {old_name}\n", f"name: {new_name}\n"), encoding="utf-8")
    edited = _route(seeds, cache_folder, workdir)
    assert len(_entries(cache_folder)) == 2
    assert new_name in _leg_names(edited)
    assert old_name not in _leg_names(edited)
    assert list(workdir.iterdir()) == [], "route wrote into the working directory"


def test_concurrent_loads_share_one_entry(small_seeds: Path, cache_folder: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    with ThreadPoolExecutor(max_workers=3) as pool:
        networks = list(pool.map(lambda _: load_network(small_seeds), range(3)))
    assert all("aktau_seaport" in n.nodes.index for n in networks)
    assert _entries(cache_folder) == [cache_entry(small_seeds, cache_folder)]
    assert not list(cache_folder.glob(".*.tmp"))
    assert isinstance(cache.read_entry(_entries(cache_folder)[0], Network), Network)
