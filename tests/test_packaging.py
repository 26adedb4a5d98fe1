"""The wheel carries what the package needs: installed from it, corridors runs from any folder.

The sdist and the wheel are built (``python -m build``, the wheel from the sdist) from a copy of
the sources, so the checkout is not written to, and the wheel is installed into a fresh virtual
environment made in a temporary folder. Most tests install it there with ``--no-deps`` and let
that environment see this one's third-party libraries (a ``.pth`` file naming this
environment's site-packages), which takes seconds: corridors itself, its seeds and its metadata
then come from the wheel alone, never from the source tree. One slow test installs the wheel
into a fully isolated environment and lets pip resolve the dependencies it declares.

Every command runs from an empty temporary folder, with ``$CORRIDORS_CACHE`` in a temporary
folder and no ``$CORRIDORS_SEEDS``, so the packaged seeds are read.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

import pytest

from corridors._version import __version__

REPOSITORY = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "corridors", "seeds")
EXTERNAL = re.compile(r'<(?:script|link)[^>]+(?:src|href)="https?://', re.I)
GEO_FILES = {"network.gpkg", "nodes.geojson", "links.geojson"}
TIMEOUT_S = 900


@dataclass(frozen=True)
class Installed:
    """A virtual environment with the wheel installed in it."""

    root: Path
    python: Path
    corridors: Path
    site_packages: Path
    cache: Path


def _run(
    command: list[str | Path], *, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT_S,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done


def _clean_env(cache: Path) -> dict[str, str]:
    """This environment's variables, without ones that would point back at the sources."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CORRIDORS_SEEDS", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    }
    env["CORRIDORS_CACHE"] = str(cache)
    return env


def _bin(venv: Path, name: str) -> Path:
    folder = venv / ("Scripts" if sys.platform == "win32" else "bin")
    return folder / (f"{name}.exe" if sys.platform == "win32" else name)


def _site_packages(python: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    done = _run([python, "-c", code], cwd=python.parent)
    return Path(done.stdout.strip())


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under a folder (bytecode caches aside) with its size and modification time."""
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An sdist and a wheel built from it (``python -m build``), from a copy of the sources."""
    source = tmp_path_factory.mktemp("source")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in SOURCES:
        origin = REPOSITORY / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=ignore)
        else:
            shutil.copy2(origin, source / name)
    folder = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", folder, source], cwd=source)
    return folder


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    """The wheel, built from the sdist."""
    [built] = dist.glob("corridors-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """A fresh environment with the wheel installed without its dependencies.

    The dependencies are this environment's own, named by a ``.pth`` line after the fresh
    environment's site-packages, so everything of corridors comes from the wheel.
    """
    root = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", root], cwd=root.parent)
    python = _bin(root, "python")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            wheel,
        ],
        cwd=root.parent,
    )
    site_packages = _site_packages(python)
    here = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    here |= {p for p in sys.path if Path(p).name in {"site-packages", "dist-packages"}}
    (site_packages / "_corridors_test_dependencies.pth").write_text(
        "".join(f"{path}\n" for path in sorted(here)), encoding="utf-8"
    )
    cache = tmp_path_factory.mktemp("cache")
    return Installed(root, python, _bin(root, "corridors"), site_packages, cache)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


@pytest.fixture
def untouched(installed: Installed) -> Iterator[None]:
    """Fail when a test writes into the environment, the checkout's outputs or its seeds."""
    watched = [installed.root, REPOSITORY / "geo", REPOSITORY / "maps", REPOSITORY / "seeds"]
    before = [_snapshot(folder) for folder in watched]
    yield
    for folder, snapshot in zip(watched, before, strict=True):
        assert _snapshot(folder) == snapshot, f"something was written in {folder}"


def _corridors(installed: Installed, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _run([installed.corridors, *args], cwd=cwd, env=_clean_env(installed.cache))


# --------------------------------------------------------------------------- the wheel itself


def test_wheel_carries_the_seeds_the_types_marker_and_the_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        [metadata_name] = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(metadata_name).decode("utf-8"))
        [entry_points_name] = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        entry_points = archive.read(entry_points_name).decode("utf-8")
        seeds = REPOSITORY / "seeds"
        for path in sorted(p for p in seeds.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            member = f"corridors/_seeds/{path.relative_to(seeds).as_posix()}"
            assert member in names, f"{member} is missing from the wheel"
            assert archive.read(member) == path.read_bytes(), f"{member} differs from seeds/"
    assert "corridors/py.typed" in names
    assert "corridors/_seeds/nodes.csv" in names
    scenarios = {n for n in names if re.fullmatch(r"corridors/_seeds/scenarios/[^/]+\.yaml", n)}
    assert scenarios, "no scenario files in the wheel"
    assert {f"corridors/_seeds/scenarios/{p.name}" for p in seeds.glob("scenarios/*.yaml")} == (
        scenarios
    )
    modules = {p.relative_to(REPOSITORY).as_posix() for p in REPOSITORY.glob("corridors/**/*.py")}
    assert modules <= names, f"modules missing from the wheel: {sorted(modules - names)}"
    assert not [n for n in names if n.startswith(("tests/", "seeds/", "geo/", "maps/"))]

    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    assert metadata["Name"] == "corridors"
    assert project["project"]["dynamic"] == ["version"]
    assert metadata["Version"] == __version__
    required = [r for r in metadata.get_all("Requires-Dist", []) if "extra ==" not in r]
    assert sorted(required) == sorted(project["project"]["dependencies"])
    assert re.search(r"^corridors = corridors\.cli:main$", entry_points, re.M)


def test_sdist_carries_the_seeds_and_the_license(dist: Path) -> None:
    [sdist] = dist.glob("corridors-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    seeds = REPOSITORY / "seeds"
    expected = {
        f"seeds/{p.relative_to(seeds).as_posix()}"
        for p in seeds.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert expected <= names, f"missing from the sdist: {sorted(expected - names)}"
    assert {"pyproject.toml", "README.md", "LICENSE", "corridors/py.typed"} <= names


def test_corridors_comes_from_the_wheel(installed: Installed, workdir: Path) -> None:
    code = (
        "import corridors, importlib.metadata as m; "
        "from corridors.data.location import packaged_seeds_dir, resolve_seeds_dir; "
        "print(corridors.__file__); print(packaged_seeds_dir()); print(resolve_seeds_dir()); "
        "print(m.version('corridors'))"
    )
    done = _run([installed.python, "-c", code], cwd=workdir, env=_clean_env(installed.cache))
    module, packaged, resolved, version = done.stdout.split("\n")[:4]
    package = installed.site_packages / "corridors"
    assert Path(module) == package / "__init__.py"
    assert Path(packaged) == package / "_seeds"
    assert Path(resolved) == package / "_seeds"
    assert version == "0.1.0"
    assert _corridors(installed, workdir, "--version").stdout.strip().endswith("0.1.0")


# --------------------------------------------------------------------------- the commands


@pytest.mark.usefixtures("untouched")
def test_route_from_an_empty_folder(installed: Installed, workdir: Path) -> None:
    done = _corridors(installed, workdir, "route", "Aktau seaport", "Gorgan", "--format", "json")
    result = json.loads(done.stdout)
    assert isinstance(result["routes"], list)
    assert result["routes"]
    best = result["routes"][0]
    assert best["origin"] == "aktau_seaport"
    assert best["destination"] == "gorgan"
    assert best["node_ids"][-1] == "gorgan"
    assert list(workdir.iterdir()) == []
    assert sorted(p.name.split("-")[0] for p in installed.cache.iterdir()) == ["network", "routing"]

    table = _corridors(installed, workdir, "route", "Aktau seaport", "Gorgan")
    assert "Gorgan" in table.stdout
    assert list(workdir.iterdir()) == []


@pytest.mark.usefixtures("untouched")
def test_map_is_written_in_the_working_folder_and_self_contained(
    installed: Installed, workdir: Path
) -> None:
    _corridors(installed, workdir, "map", "-o", "m.html")
    assert sorted(p.name for p in workdir.iterdir()) == ["m.html"]
    text = (workdir / "m.html").read_text(encoding="utf-8")
    assert "L.map(" in text or "leaflet" in text.lower()
    assert not EXTERNAL.search(text), "the map loads a script or a stylesheet from the web"


@pytest.mark.usefixtures("untouched")
def test_report_is_written_where_asked(installed: Installed, workdir: Path) -> None:
    _corridors(installed, workdir, "report", "current", "-o", "r/current.html")
    assert sorted(p.name for p in workdir.iterdir()) == ["r"]
    written = sorted(p.name for p in (workdir / "r").iterdir())
    assert written == ["current.html", "current.json", "current.md"]
    assert not EXTERNAL.search((workdir / "r" / "current.html").read_text(encoding="utf-8"))
    report = json.loads((workdir / "r" / "current.json").read_text(encoding="utf-8"))
    assert report


@pytest.mark.slow
@pytest.mark.usefixtures("untouched")
def test_run_writes_geo_and_maps_in_the_working_folder(installed: Installed, workdir: Path) -> None:
    _corridors(installed, workdir, "run")
    assert sorted(p.name for p in workdir.iterdir()) == ["geo", "maps"]
    assert {p.name for p in (workdir / "geo").iterdir()} == GEO_FILES
    scenarios = sorted(p.stem for p in (REPOSITORY / "seeds" / "scenarios").glob("*.yaml"))
    maps = {p.name for p in (workdir / "maps").glob("*.html")}
    assert maps == {"network.html", *(f"network-{name}.html" for name in scenarios)}
    reports = {p.name for p in (workdir / "maps" / "reports").iterdir()}
    assert "index.html" in reports
    for name in scenarios:
        assert {f"{name}.html", f"{name}.md", f"{name}.json"} <= reports
    for page in (workdir / "maps").rglob("*.html"):
        assert not EXTERNAL.search(page.read_text(encoding="utf-8")), page


# --------------------------------------------------------------------------- with its dependencies


@pytest.mark.slow
def test_wheel_installs_with_its_declared_dependencies(wheel: Path, tmp_path: Path) -> None:
    """pip resolves the declared dependencies into an isolated environment; corridors runs."""
    root = tmp_path / "isolated"
    _run([sys.executable, "-m", "venv", root], cwd=tmp_path)
    python = _bin(root, "python")
    env = _clean_env(tmp_path / "cache")
    _run([python, "-m", "pip", "install", "--quiet", wheel], cwd=tmp_path, env=env)
    _run([python, "-m", "pip", "check"], cwd=tmp_path, env=env)
    work = tmp_path / "empty"
    work.mkdir()
    done = _run(
        [_bin(root, "corridors"), "route", "Aktau seaport", "Gorgan", "--format", "json"],
        cwd=work,
        env=env,
    )
    assert json.loads(done.stdout)["routes"][0]["destination"] == "gorgan"
    assert list(work.iterdir()) == []
