"""Columns of a network's frames as plain dicts, built once per frame.

Maps and reports look up hundreds of node names, kinds and link geometries by id; a pandas
``.at`` or ``.loc`` lookup costs tens of microseconds each, a dict lookup a fraction of one.
The frames of a :class:`corridors.network.build.Network` are read-only, so a column's dict is
built the first time it is asked for and kept while its frame is alive.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pandas as pd

__all__ = ["column", "derived"]

#: Per (frame id, what): the frame (kept so its id stays its own) and the column's dict.
_BUILT: dict[tuple[int, str], tuple[pd.DataFrame, dict[Any, Any]]] = {}
_LIMIT = 64
_LOCK = threading.Lock()


def column(frame: pd.DataFrame, name: str) -> dict[str, Any]:
    """Return a column of a read-only frame as a dict keyed by the frame's index (as text).

    Parameters
    ----------
    frame
        A frame that is not modified afterwards (a network's ``nodes`` or ``links``).
    name
        The column.

    Returns
    -------
    dict
        Index label (``str``) to value; the same dict on every call for the same frame.

    Examples
    --------
    >>> frame = pd.DataFrame({"name": ["Aktau", "Kuryk"]}, index=["aktau", "kuryk"])
    >>> column(frame, "name")["kuryk"]
    'Kuryk'
    """
    return _kept(
        frame,
        f"column {name}",
        lambda: dict(zip(frame.index.astype(str), frame[name], strict=True)),
    )


def derived(frame: pd.DataFrame, name: str) -> dict[Any, Any]:
    """Return a dict kept with a read-only frame, for values computed from it (empty at first).

    Parameters
    ----------
    frame
        A frame that is not modified afterwards.
    name
        What the dict holds (e.g. ``"link popups"``); one dict per frame and name.

    Returns
    -------
    dict
        The same dict on every call for the same frame and name.

    Examples
    --------
    >>> frame = pd.DataFrame({"name": ["Aktau"]}, index=["aktau"])
    >>> derived(frame, "greetings").setdefault("aktau", "Hello Aktau")
    'Hello Aktau'
    >>> derived(frame, "greetings")
    {'aktau': 'Hello Aktau'}
    """
    return _kept(frame, f"derived {name}", dict)


def _kept(frame: pd.DataFrame, name: str, build: Callable[[], dict[Any, Any]]) -> dict[Any, Any]:
    key = (id(frame), name)
    with _LOCK:
        found = _BUILT.get(key)
        if found is not None and found[0] is frame:
            return found[1]
    values = build()
    with _LOCK:
        if len(_BUILT) >= _LIMIT:
            _BUILT.clear()
        found = _BUILT.get(key)
        if found is not None and found[0] is frame:  # built meanwhile by another thread
            return found[1]
        _BUILT[key] = (frame, values)
    return values
