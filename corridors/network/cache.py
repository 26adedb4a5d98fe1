"""Load the network once: from an on-disk cache keyed by the seeds' content, or by building it.

The cache lives in the user cache folder (``platformdirs.user_cache_dir("corridors")``, or
``$CORRIDORS_CACHE``). Its key is a SHA-256 of every file in the seeds folder (names and bytes)
and the package version, so editing a seed file, or upgrading, builds afresh: a cached network
is never stale. Set ``CORRIDORS_CACHE=off`` to never read or write it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from corridors.data.seeds import SeedData, resolve_seeds_dir
from corridors.network.build import Network, build_network

__all__ = ["cache_dir", "load_network", "seeds_digest"]

_FORMAT = 1


def _package_version() -> str:
    try:
        return version("corridors")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def cache_dir() -> Path | None:
    """Return the cache folder, or None when caching is switched off.

    Returns
    -------
    pathlib.Path or None
        ``$CORRIDORS_CACHE`` when set (``off`` disables the cache), otherwise the platform's
        user cache folder for ``corridors``.
    """
    setting = os.environ.get("CORRIDORS_CACHE", "")
    if setting.lower() in {"off", "0", "no", "false"}:
        return None
    if setting:
        return Path(setting)
    from platformdirs import user_cache_dir  # noqa: PLC0415

    return Path(user_cache_dir("corridors", appauthor=False))


def seeds_digest(folder: Path) -> str:
    """Hash every file in a seeds folder (relative names and bytes) with the package version.

    Parameters
    ----------
    folder
        The seeds folder.

    Returns
    -------
    str
        A hex digest; equal folders give equal digests.
    """
    digest = hashlib.sha256(f"corridors {_package_version()} format {_FORMAT}\n".encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def load_network(seeds: SeedData | Path | str | None = None, *, cache: bool = True) -> Network:
    """Return the network built from a seeds folder, reusing the on-disk cache when it is fresh.

    Parameters
    ----------
    seeds
        Validated seeds, or a seeds folder (default: see
        :func:`corridors.data.seeds.resolve_seeds_dir`: ``$CORRIDORS_SEEDS``, then ``seeds/``
        in the working directory, then the seeds shipped with the package).
    cache
        Read and write the on-disk cache (default True).

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
    if isinstance(seeds, SeedData):
        return build_network(seeds)
    folder = resolve_seeds_dir(seeds)
    where = cache_dir() if cache else None
    if where is None or not folder.is_dir():
        return build_network(folder)
    entry = where / f"network-{seeds_digest(folder)}.pickle"
    try:
        with entry.open("rb") as handle:
            network = pickle.load(handle)
        if isinstance(network, Network):
            return network
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    network = build_network(folder)
    _store(entry, network)
    return network


def _store(entry: Path, network: Network) -> None:
    """Write a cache entry atomically; a cache that cannot be written is skipped silently."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            pickle.dump(network, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(entry)
        for old in entry.parent.glob("network-*.pickle"):
            if old != entry and old.stat().st_mtime < entry.stat().st_mtime - 7 * 86400:
                old.unlink(missing_ok=True)
    except OSError:
        return
