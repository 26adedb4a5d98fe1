"""The one number formatter of every table, map, panel and report."""

from __future__ import annotations

import math
import re
from typing import Any

__all__ = ["number", "web_address"]

_WITH_REMARK = re.compile(r"(https?://\S+)\s+\([^()]*\)")


def number(value: Any, template: str = "{:,.1f}") -> str:
    """Format a number for people, or return ``""`` for a missing one (None, NaN, ``pd.NA``).

    Parameters
    ----------
    value
        The number.
    template
        A :meth:`str.format` template: ``"{:,.1f}"`` (default), ``"{:+,.1f}"`` for a change,
        ``"{:g}"`` for a published figure as written, ``"{:+.1f} %"`` for a gap.

    Returns
    -------
    str
        The formatted number.

    Examples
    --------
    >>> number(1234.56)
    '1,234.6'
    >>> number(-3.25, "{:+,.1f}")
    '-3.2'
    >>> number(float("nan"))
    ''
    """
    if value is None:
        return ""
    try:
        if math.isnan(value):
            return ""
    except TypeError:
        return ""
    return template.format(value)


def web_address(text: str | None) -> str:
    """Return the ``http(s)`` address a source's ``url`` field starts with, or ``""``.

    Only web addresses become links: a field holding a file path, a ``javascript:`` address or
    prose gives ``""``; an address followed by a remark in brackets gives the address alone.
    Escaping for the page is left to :mod:`corridors.render.escape`.

    Parameters
    ----------
    text
        A ``url`` field from ``seeds/sources.yaml``.

    Returns
    -------
    str
        The address, or ``""``.

    Examples
    --------
    >>> web_address("https://www.openstreetmap.org (extract published in github.com/x)")
    'https://www.openstreetmap.org'
    >>> web_address("javascript:alert(1)")
    ''
    """
    address = (text or "").strip()
    if not address.startswith(("http://", "https://")):
        return ""
    remark = _WITH_REMARK.fullmatch(address)
    return remark.group(1) if remark else address
