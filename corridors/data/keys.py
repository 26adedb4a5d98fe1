"""Stable keys of parameter entries, and the value each key stands for.

A route's time and cost terms carry the key of the parameter entry that produced them
(:mod:`corridors.routing.costs`); ranges in ``seeds/uncertainty.yaml`` name the same keys.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel

from corridors.data.schema import Parameters

__all__ = ["TERMS", "parameter_key", "parameter_values"]

#: What a key's value is: ``time`` (hours, or km/h for a speed) or ``cost`` (US$ per tonne, or
#: per tonne-km for a tariff).
TERMS = ("time", "cost")

#: Fields of a parameter entry that are never part of its key: where it comes from and its name.
_NOT_SELECTORS = frozenset({"source", "note", "name", "observations"})


def parameter_key(kind: str, entry: BaseModel | None = None, *, direction: str = "") -> str:
    """Return the stable key of a parameter entry, built from its selector fields.

    The selectors are every field of the entry that is not a number, a nested value, empty, or
    one of ``source``, ``note``, ``name`` and ``observations``, in the order the model declares
    them, by their name in the seed file (a list of ids joined with ``+``); a ``from`` and
    ``to`` pair is written ``from->to``. Entries that gain new selector fields get keys with
    them, without a change here.

    Parameters
    ----------
    kind
        What the entry is: ``speed``, ``tariff``, ``transfer``, ``border``, ``border_side``,
        ``border_default``, ``break_of_gauge``.
    entry
        The parameter entry (None for a kind with a single entry).
    direction
        Appended last (``forward`` or ``reverse`` for a border crossing).

    Returns
    -------
    str
        For example ``speed:rail``, ``tariff:rail:KZ``, ``transfer:rail->sea``,
        ``border:kti_bolashak_serhetyaka:reverse``, ``border_default:road``,
        ``break_of_gauge``.

    Examples
    --------
    >>> from corridors.data.schema import Tariff
    >>> tariff = Tariff(mode="rail", country="KZ", usd_per_t_km=0.088, source="x")
    >>> parameter_key("tariff", tariff)
    'tariff:rail:KZ'
    """
    parts = [kind]
    if entry is not None:
        selectors: dict[str, str] = {}
        for name, info in type(entry).model_fields.items():
            value = getattr(entry, name)
            label = info.alias or name
            if label in _NOT_SELECTORS or value is None or value == "":
                continue
            if isinstance(value, Enum):
                selectors[label] = str(value.value)
            elif isinstance(value, str):
                selectors[label] = value
            elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                selectors[label] = "+".join(value)
        if "from" in selectors and "to" in selectors:
            pair = f"{selectors['from']}->{selectors.pop('to')}"
            selectors["from"] = pair
        parts.extend(selectors.values())
    if direction:
        parts.append(direction)
    return ":".join(parts)


def parameter_values(parameters: Parameters) -> dict[tuple[str, str], float]:
    """Return the value of every parameter entry, by key and term, as routing would use it.

    When several entries have the same key, the last wins, as in routing.

    Parameters
    ----------
    parameters
        The effective parameters.

    Returns
    -------
    dict
        ``(key, "time")`` to km/h for a speed and hours for a step; ``(key, "cost")`` to US$
        per tonne-km for a tariff and US$ per tonne for a step.
    """
    values: dict[tuple[str, str], float] = {}
    for speed in parameters.speeds:
        values[parameter_key("speed", speed), "time"] = speed.km_h
    for tariff in parameters.tariffs:
        price = tariff.usd_per_t if tariff.usd_per_t is not None else tariff.usd_per_t_km
        values[parameter_key("tariff", tariff), "cost"] = price or 0.0
    for transfer in parameters.transfers:
        key = parameter_key("transfer", transfer)
        values[key, "time"], values[key, "cost"] = transfer.time_h, transfer.cost_usd_per_t
    gauge = parameters.break_of_gauge
    key = parameter_key("break_of_gauge", gauge)
    values[key, "time"], values[key, "cost"] = gauge.time_h, gauge.cost_usd_per_t
    for default in parameters.border_defaults:
        key = parameter_key("border_default", default)
        values[key, "time"], values[key, "cost"] = default.dwell_h, default.cost_usd_per_t
    for entry in parameters.border_sides:
        key = parameter_key("border_side", entry)
        values[key, "time"], values[key, "cost"] = entry.dwell_h, entry.cost_usd_per_t
    for crossing in parameters.border_crossings:
        for direction, side in (("forward", crossing.forward), ("reverse", crossing.reverse)):
            key = parameter_key("border", crossing, direction=direction)
            values[key, "time"], values[key, "cost"] = side.dwell_h, side.cost_usd_per_t
    return values
