"""The one number formatter of every table, map, panel and report."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["number"]


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
