"""Check rows read from ``seeds/`` against their schema, with messages a seed editor can act on.

Each message names the row (its id and line) and the key, says what is wrong and how to fix
it; a misspelt key, at any depth, gets a did-you-mean among the keys allowed at that place.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from corridors.data.files import SOURCES_FILE, Located, line_at
from corridors.data.problems import Kind, Problems
from corridors.data.schema import GAUGES_MM
from corridors.data.suggest import closest, did_you_mean

__all__ = ["describe_csv", "describe_yaml", "field_names", "model_at", "unique", "validate_rows"]

ModelT = TypeVar("ModelT", bound=BaseModel)

_LIST_SEPARATOR = ";"
_SHOWN_CHARS = 60
_GAUGES = ", ".join(str(g) for g in GAUGES_MM[:-1]) + f" or {GAUGES_MM[-1]}"

_PATTERN_FIXES = {"country": "use an ISO 3166-1 alpha-2 code in capitals, e.g. KZ"}

_FIXES_BY_ERROR = {
    "enum": "use one of the values listed",
    "float_parsing": "write a plain number",
    "int_parsing": "write a plain number",
    "int_from_float": "write a whole number",
    "float_type": "write a plain number",
    "int_type": "write a plain number",
    "finite_number": "write a finite number",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "string_type": "write text (quote it if it looks like a number or a date)",
    "list_type": "write a list, e.g. [a, b]",
    "tuple_type": "write a list, e.g. [a, b]",
    "dict_type": "write 'key: value' lines",
    "model_type": "write 'key: value' lines",
    "model_attributes_type": "write 'key: value' lines",
    "greater_than": "use a value in the range stated",
    "greater_than_equal": "use a value in the range stated",
    "less_than": "use a value in the range stated",
    "less_than_equal": "use a value in the range stated",
    "too_long": "give the number of values stated",
    "invalid_key": "write the key as a word, e.g. 'name:'",
}


def field_names(model: type[BaseModel]) -> list[str]:
    """Return the keys a model accepts, as written in seed files (aliases where they exist).

    Parameters
    ----------
    model
        A schema model.

    Returns
    -------
    list of str
        The keys.
    """
    return [f.alias or n for n, f in model.model_fields.items()]


def _unwrap(annotation: Any) -> list[Any]:
    """Split ``X | None`` and ``Annotated[X, ...]`` into the types they allow."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _step(annotation: Any, part: object) -> Any:
    """Return the annotation one step down ``part`` (a key or an index), or None."""
    for candidate in _unwrap(annotation):
        origin = typing.get_origin(candidate)
        args = typing.get_args(candidate)
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            for name, info in candidate.model_fields.items():
                if part in {name, info.alias}:
                    return info.annotation
        elif origin in {list, tuple} and isinstance(part, int) and args:
            return args[part] if origin is tuple and len(args) > part else args[0]
        elif origin is dict and len(args) == 2:
            return args[1]
    return None


def model_at(model: type[BaseModel], path: Sequence[object]) -> type[BaseModel] | None:
    """Return the schema model at a key path, e.g. ``ScenarioChanges`` at ``["changes"]``.

    Parameters
    ----------
    model
        The model of the whole row.
    path
        Keys and list indices from the row down.

    Returns
    -------
    type or None
        The model of the mapping at that path, or None when the path leads to no model.

    Examples
    --------
    >>> from corridors.data.schema import Scenario
    >>> model_at(Scenario, ["changes", "add_links", 0]).__name__
    'NewLink'
    """
    annotation: Any = model
    for part in path:
        annotation = _step(annotation, part)
        if annotation is None:
            return None
    for candidate in _unwrap(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _misplaced(key: str, model: type[BaseModel]) -> str:
    """Name the nested key a misplaced key belongs under, e.g. ``open`` under ``changes``."""
    for name, info in model.model_fields.items():
        inner = model_at(model, [info.alias or name])
        if inner is not None and key in field_names(inner):
            return f"move it under '{info.alias or name}'"
    return ""


def _extra_key_fix(model: type[BaseModel], loc: Sequence[object]) -> str:
    parent = model_at(model, loc[:-1]) or model
    key = str(loc[-1]) if loc else ""
    hint = did_you_mean(key, field_names(parent)) or _misplaced(key, parent)
    allowed = ", ".join(field_names(parent))
    fix = f"remove or rename the key ({hint})" if hint else "remove or rename the key"
    return f"{fix}; allowed here: {allowed}"


_PATTERN_FIX = "use lower-case letters, digits and underscores, starting with a letter or digit"


def _field_fix(error_type: str, model: type[BaseModel], loc: Sequence[object]) -> str:
    keys = [part for part in loc if isinstance(part, str)]
    field_name = keys[-1] if keys else ""
    cites = field_name in {"sources", "source"}
    too_short = error_type in {"too_short", "string_too_short"}
    if cites and (too_short or error_type == "missing"):
        return f"cite at least one source in '{field_name}' (an id from {SOURCES_FILE})"
    fixes = {
        "gauge": f"use {_GAUGES}, or leave it out when unknown",
        "missing": f"give '{field_name}' a value",
        "string_pattern_mismatch": _PATTERN_FIXES.get(field_name, _PATTERN_FIX),
        "too_short": f"give at least one value for '{field_name}'",
        "string_too_short": f"give '{field_name}' a value",
    }
    if error_type == "extra_forbidden":
        return _extra_key_fix(model, loc)
    return fixes.get(error_type) or _FIXES_BY_ERROR.get(error_type, f"correct '{field_name}'")


def _shown(error_type: str, value: object) -> str:
    if error_type in {"missing", "gauge"} or isinstance(value, Mapping):
        return ""
    text = repr(value)
    if len(text) > _SHOWN_CHARS:
        text = text[: _SHOWN_CHARS - 3] + "..."
    return f" (got {text})"


def _without_follow_ons(exc: ValidationError, model: type[BaseModel]) -> list[ErrorDetails]:
    """Drop "missing" errors of keys that a misspelt key was probably meant to be."""
    errors = exc.errors()
    meant: set[tuple[object, ...]] = set()
    for error in errors:
        if error["type"] == "extra_forbidden" and error["loc"]:
            parent_loc = tuple(error["loc"][:-1])
            parent = model_at(model, parent_loc) or model
            for name in closest(str(error["loc"][-1]), field_names(parent)):
                meant.add((*parent_loc, name))
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in meant)]


def validate_rows(
    rows: Sequence[Located],
    model: type[ModelT],
    file: str,
    describe: Callable[[Located], str],
    problems: Problems,
    *,
    kind: Kind | None = None,
    id_key: str = "id",
    list_fields: Sequence[str] = (),
) -> list[ModelT]:
    """Validate rows against a model, recording every schema error of every row.

    Parameters
    ----------
    rows
        Mappings read from the file.
    model
        The schema of one row.
    file
        The file's name, for messages.
    describe
        Names a row in messages, e.g. ``link 'port_line'``.
    problems
        Where problems are recorded.
    kind
        When given, a row that fails marks its ``id_key`` value invalid, so that references to
        it are not reported as unknown.
    id_key
        The key holding the row's id.
    list_fields
        CSV columns holding ``;``-separated lists.

    Returns
    -------
    list
        The rows that passed, as models, in file order.
    """
    records: list[ModelT] = []
    csv_rows = file.endswith(".csv")
    for row in rows:
        data: dict[Any, Any] = dict(row)
        for name in list_fields:
            value = data.get(name)
            if isinstance(value, str):
                data[name] = [v.strip() for v in value.split(_LIST_SEPARATOR) if v.strip()]
        if csv_rows:
            # An empty cell means "not given": the schema's default applies, or it is missing.
            data = {k: v for k, v in data.items() if v not in ("", [])}
        try:
            records.append(model.model_validate(data))
        except ValidationError as exc:
            if kind is not None:
                problems.invalid(kind, data.get(id_key))
            for error in _without_follow_ons(exc, model):
                loc = error["loc"]
                key = ".".join(str(part) for part in loc)
                line = line_at(row, loc) if not csv_rows else None
                parts = [describe(row)]
                parts.append(f"line {line}" if line is not None else "")
                parts.append(f"key '{key}'" if key else "")
                message = (
                    "unknown key"
                    if error["type"] == "extra_forbidden"
                    else f"{error['msg']}{_shown(error['type'], error.get('input'))}"
                )
                problems.add(
                    file,
                    ", ".join(part for part in parts if part),
                    message,
                    _field_fix(error["type"], model, loc),
                )
    return records


def describe_csv(id_column: str) -> Callable[[Located], str]:
    """Name CSV rows in messages by line and id, e.g. ``line 4 (id 'aktau_seaport')``.

    Parameters
    ----------
    id_column
        The column identifying a row.

    Returns
    -------
    callable
        Row to description.
    """

    def describe(row: Located) -> str:
        ident = row.get(id_column)
        suffix = f" ({id_column} '{ident}')" if ident else ""
        return f"line {row.line}{suffix}"

    return describe


def describe_yaml(kind: str) -> Callable[[Located], str]:
    """Name YAML entries in messages by kind and id, e.g. ``link 'port_line'``.

    Parameters
    ----------
    kind
        What an entry is, e.g. ``link``; an empty string for a file holding one mapping.

    Returns
    -------
    callable
        Entry to description; the line of the key at fault is added by
        :func:`validate_rows`.
    """

    def describe(row: Located) -> str:
        if not kind:
            return ""
        ident = row.get("id")
        if isinstance(ident, str) and ident:
            return f"{kind} '{ident}'"
        return f"{kind} without id"

    return describe


def unique(
    records: Sequence[ModelT], key: Callable[[ModelT], str], file: str, problems: Problems
) -> dict[str, ModelT]:
    """Key records by id, reporting each repeated id (the first entry is kept).

    Parameters
    ----------
    records
        Validated records.
    key
        Returns a record's id.
    file
        The file's name, for messages.
    problems
        Where problems are recorded.

    Returns
    -------
    dict
        Records by id, in file order.
    """
    out: dict[str, ModelT] = {}
    for record in records:
        ident = key(record)
        if ident in out:
            problems.add(
                file,
                f"id '{ident}'",
                "duplicate id",
                "give each entry its own id, or merge the two entries",
            )
            continue
        out[ident] = record
    return out
