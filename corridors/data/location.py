"""Where the seeds are: a folder given, ``$CORRIDORS_SEEDS``, ``seeds/`` here, or the package's.

A module of the standard library alone, so that a command can find its seeds (and the on-disk
cache keyed by their content) without importing what reads them.
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

__all__ = ["NODES_FILE", "default_seeds_dir", "packaged_seeds_dir", "resolve_seeds_dir"]

#: The file every seeds folder has; a ``seeds/`` folder without it is not one.
NODES_FILE = "nodes.csv"


def packaged_seeds_dir() -> Path:
    """Return the default model's seeds: shipped in the package, or ``seeds/`` of the source tree.

    Returns
    -------
    pathlib.Path
        ``corridors/_seeds`` in an installed wheel; the repository's ``seeds/`` when running
        from a source checkout (an editable install).
    """
    installed = Path(str(importlib.resources.files("corridors"))) / "_seeds"
    if (installed / NODES_FILE).is_file():
        return installed
    return Path(__file__).resolve().parents[2] / "seeds"


def resolve_seeds_dir(seeds: Path | str | None = None) -> Path:
    """Return the seeds folder to read.

    The first that applies wins: ``seeds`` (``--seeds PATH``), ``$CORRIDORS_SEEDS``, a
    ``seeds/`` folder holding ``nodes.csv`` in the working directory, the packaged seeds.

    Parameters
    ----------
    seeds
        A folder given explicitly.

    Returns
    -------
    pathlib.Path
        The folder.
    """
    if seeds is not None:
        return Path(seeds)
    env = os.environ.get("CORRIDORS_SEEDS")
    if env:
        return Path(env)
    local = Path.cwd() / "seeds"
    if (local / NODES_FILE).is_file():
        return local
    return packaged_seeds_dir()


def default_seeds_dir() -> Path:
    """Return the seeds folder read when none is given (see :func:`resolve_seeds_dir`).

    Returns
    -------
    pathlib.Path
        The folder to read seeds from.
    """
    return resolve_seeds_dir(None)
