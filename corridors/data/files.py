"""Read the YAML and CSV files of ``seeds/`` into mappings that remember their line numbers.

Reading never raises: every problem (a missing, empty or unreadable file, malformed YAML or
CSV, a duplicate key or column) is recorded in a :class:`~corridors.data.problems.Problems`
with its line, and the file is then treated as unusable so that nothing is checked against it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import yaml

from corridors.data.location import NODES_FILE
from corridors.data.problems import Kind, Problems

__all__ = [
    "ALIGNMENTS_FILE",
    "FACTS_FILE",
    "LINES_FILE",
    "LINKS_FILE",
    "NODES_FILE",
    "OD_PAIRS_FILE",
    "PARAMETERS_FILE",
    "PLACES_FILE",
    "SCENARIOS_DIR",
    "SOURCES_FILE",
    "Located",
    "LocatedList",
    "line_at",
    "load_yaml",
    "read_csv",
    "read_yaml_list",
    "read_yaml_mapping",
]

SOURCES_FILE = "sources.yaml"
LINKS_FILE = "links.yaml"
ALIGNMENTS_FILE = "alignments.csv"
LINES_FILE = "lines.yaml"
FACTS_FILE = "facts.yaml"
PARAMETERS_FILE = "parameters.yaml"
OD_PAIRS_FILE = "od_pairs.yaml"
PLACES_FILE = "places.yaml"
OBSERVATIONS_FILE = "observations.yaml"
SCENARIOS_DIR = "scenarios"

_README = "see seeds/README.md"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class Located(dict[Any, Any]):
    """A mapping read from a seed file, with the line it starts on and the line of each key.

    Attributes
    ----------
    line
        1-based line of the mapping's first key.
    key_lines
        1-based line of each key.
    """

    def __init__(
        self, items: dict[Any, Any], line: int, key_lines: dict[Any, int] | None = None
    ) -> None:
        super().__init__(items)
        self.line = line
        self.key_lines: dict[Any, int] = dict(key_lines or {})


class LocatedList(list[Any]):
    """A list read from a YAML file, with the line of each item.

    Attributes
    ----------
    line
        1-based line of the list.
    item_lines
        1-based line of each item.
    """

    def __init__(self, items: list[Any], line: int, item_lines: list[int]) -> None:
        super().__init__(items)
        self.line = line
        self.item_lines = item_lines


#: libyaml's parser when PyYAML was built with it (about 10x faster), else the Python one; the
#: constructor that records lines and duplicate keys is the same either way.
_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SeedLoader(_BASE_LOADER):  # type: ignore[valid-type, misc]
    """A safe YAML loader that records lines and every duplicate mapping key."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        #: (key, line, column, line of the first occurrence) of every duplicate key.
        self.duplicates: list[tuple[str, int, int, int]] = []


def _construct_mapping(loader: _SeedLoader, node: yaml.MappingNode) -> Located:
    key_lines: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == _MERGE_TAG:
            continue
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            continue  # construct_mapping reports an unhashable key
        line = key_node.start_mark.line + 1
        try:
            first = key_lines.get(key)
        except TypeError:  # a tuple holding a list, say: construct_mapping reports it
            continue
        if first is not None:
            loader.duplicates.append((str(key), line, key_node.start_mark.column + 1, first))
        else:
            key_lines[key] = line
    mapping = loader.construct_mapping(node, deep=True)
    return Located(mapping, node.start_mark.line + 1, key_lines)


def _construct_sequence(loader: _SeedLoader, node: yaml.SequenceNode) -> LocatedList:
    items = loader.construct_sequence(node, deep=True)
    lines = [child.start_mark.line + 1 for child in node.value]
    return LocatedList(items, node.start_mark.line + 1, lines)


_SeedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_SeedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _read_text(root: Path, name: str, problems: Problems) -> str | None:
    path = root / name
    if not path.is_file():
        problems.add_unusable(name, "", "file not found", f"create {path} ({_README})")
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add_unusable(
            name, "", f"cannot read the file ({exc.strerror})", "make the file readable"
        )
        return None
    try:
        # utf-8-sig drops the byte-order mark that spreadsheets and some editors write.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add_unusable(
            name,
            f"line {line}",
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x})",
            "save the file as UTF-8",
        )
        return None


def load_yaml(text: str) -> tuple[Any, list[tuple[str, int, int, int]]]:
    r"""Parse YAML text with line numbers, collecting duplicate mapping keys.

    Parameters
    ----------
    text
        The YAML text.

    Returns
    -------
    tuple
        The data (mappings as :class:`Located`, lists as :class:`LocatedList`) and the
        duplicate keys as ``(key, line, column, first_line)``.

    Raises
    ------
    yaml.YAMLError
        When the text is not valid YAML.

    Examples
    --------
    >>> data, duplicates = load_yaml("a: 1\nb: 2\na: 3\n")
    >>> duplicates
    [('a', 3, 1, 1)]
    """
    loader = _SeedLoader(text)
    try:
        data = loader.get_single_data()
        return data, sorted(loader.duplicates, key=lambda d: (d[1], d[2]))
    finally:
        loader.dispose()


def _character(value: object) -> str:
    return chr(value) if isinstance(value, int) else str(value)


def _parse_problem(exc: Exception, text: str) -> tuple[str, str, str]:
    """Return (where, message, fix) for a YAML text that cannot be parsed."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = exc.problem or exc.context or "syntax error"
        if exc.problem and exc.context and not exc.context.startswith("while"):
            reason = f"{exc.context}, {exc.problem}"
        return where, f"malformed YAML ({reason})", "correct the YAML syntax there"
    if isinstance(exc, yaml.reader.ReaderError):
        line = text[: exc.position].count("\n") + 1
        return (
            f"line {line}",
            f"character {_character(exc.character)!r} is not allowed in YAML",
            "remove it, or write the text in quotes with an escape",
        )
    if isinstance(exc, RecursionError):
        return "", "values nested too deeply", f"write the entries as in {_README}"
    first = (str(exc).splitlines() or ["syntax error"])[0]
    return "", f"malformed YAML ({first})", "correct the YAML syntax"


def _read_yaml(root: Path, name: str, problems: Problems) -> Any:
    """Return a YAML file's data, or None after recording why it cannot be used."""
    text = _read_text(root, name, problems)
    if text is None:
        return None
    try:
        data, duplicates = load_yaml(text)
    except (yaml.YAMLError, RecursionError) as exc:
        problems.add_unusable(name, *_parse_problem(exc, text))
        return None
    for key, line, column, first in duplicates:
        problems.add_unusable(
            name,
            f"line {line}, column {column}",
            f"duplicate key '{key}' (first given on line {first})",
            f"keep one '{key}': the second would silently replace the first",
        )
    if duplicates:
        return None
    if data is None:
        problems.add_unusable(name, "", "file is empty", f"write its entries ({_README})")
    return data


def _type_name(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"the value {value!r}"[:80]


def read_yaml_list(
    root: Path, name: str, problems: Problems, *, entries_required: bool = True
) -> list[Located] | None:
    """Read a YAML file holding a list of mappings.

    Parameters
    ----------
    root
        The seeds folder.
    name
        The file's name in it.
    problems
        Where problems are recorded.
    entries_required
        Report an empty list (``[]``) as an empty file.

    Returns
    -------
    list of Located or None
        The entries, or None when the file cannot be used (the problem is recorded).
    """
    data = _read_yaml(root, name, problems)
    if data is None:
        return None
    if not isinstance(data, list):
        problems.add_unusable(
            name,
            f"line {getattr(data, 'line', 1)}",
            f"expected a list of entries, found {_type_name(data)}",
            "write one '- key: value' mapping per entry",
        )
        return None
    lines = getattr(data, "item_lines", [1] * len(data))
    for line, item in zip(lines, data, strict=True):
        if not isinstance(item, Located):
            problems.add_unusable(
                name,
                f"line {line}",
                f"expected an entry of 'key: value' lines, found {_type_name(item)}",
                "write each entry as '- key: value' with its keys indented below",
            )
            return None
    if not data and entries_required:
        problems.add_unusable(name, "", "file is empty", f"write its entries ({_README})")
        return None
    return list(data)


def read_yaml_mapping(root: Path, name: str, problems: Problems) -> Located | None:
    """Read a YAML file holding one mapping (``parameters.yaml``, a scenario).

    Parameters
    ----------
    root
        The seeds folder.
    name
        The file's name in it.
    problems
        Where problems are recorded.

    Returns
    -------
    Located or None
        The mapping, or None when the file cannot be used (the problem is recorded).
    """
    data = _read_yaml(root, name, problems)
    if data is None:
        return None
    if not isinstance(data, Located):
        problems.add_unusable(
            name,
            f"line {getattr(data, 'line', 1)}",
            f"expected 'key: value' lines at the top level, found {_type_name(data)}",
            f"write the keys the file needs ({_README})",
        )
        return None
    return data


def _header_ok(
    header: list[str],
    allowed: Sequence[str],
    required: Sequence[str],
    name: str,
    problems: Problems,
) -> bool:
    from corridors.data.suggest import closest, did_you_mean  # noqa: PLC0415

    ok = True
    seen: set[str] = set()
    meant: set[str] = set()  # columns a misspelt column was probably meant to be
    for number, column in enumerate(header, start=1):
        if not column:
            problems.add(
                name,
                "header",
                f"column {number} has no name",
                "name the column, or remove the trailing comma",
            )
            ok = False
        elif column in seen:
            problems.add(
                name,
                "header",
                f"duplicate column '{column}'",
                "keep one column of each name: the second would replace the first",
            )
            ok = False
        elif column not in allowed:
            hint = did_you_mean(column, allowed)
            meant.update(closest(column, allowed))
            fix = f"rename it ({hint})" if hint else "remove it or rename it"
            problems.add(
                name, "header", f"unknown column '{column}'", f"{fix}; allowed: {list(allowed)}"
            )
            ok = False
        seen.add(column)
    for column in required:
        if column not in header and column not in meant:
            problems.add(name, "header", f"missing column '{column}'", "add the column")
            ok = False
    return ok


def read_csv(
    root: Path,
    name: str,
    allowed: Sequence[str],
    required: Sequence[str],
    problems: Problems,
    *,
    id_column: str,
    kind: Kind,
    rows_required: bool = True,
) -> list[Located] | None:
    """Read a CSV file with a header row; each row keeps its line.

    Parameters
    ----------
    root
        The seeds folder.
    name
        The file's name in it.
    allowed
        Every column the file may have.
    required
        Columns the file must have.
    problems
        Where problems are recorded.
    id_column
        The column whose value identifies a row in messages and references.
    kind
        The kind of id in ``id_column``: a row that cannot be read marks its id invalid.
    rows_required
        Report a file with a header and no rows as empty.

    Returns
    -------
    list of Located or None
        The rows (cells stripped, keyed by column), or None when the file cannot be used.
    """
    text = _read_text(root, name, problems)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Located] = []
    start = 1
    try:
        header = next(reader, None)
        if header is None:
            problems.add_unusable(
                name, "", "file is empty", f"add the header row: {','.join(allowed)}"
            )
            return None
        header = [column.strip() for column in header]
        if not _header_ok(header, allowed, required, name, problems):
            problems.unusable.add(name)
            return None
        start = reader.line_num + 1
        for values in reader:
            line, start = start, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                ident = (
                    values[header.index(id_column)]
                    if id_column in header and header.index(id_column) < len(values)
                    else None
                )
                problems.invalid(kind, ident)
                problems.add(
                    name,
                    f"line {line}",
                    f"{len(values)} fields where the header has {len(header)}",
                    "quote values that contain commas and give every column a value",
                )
                continue
            cells = {column: value.strip() for column, value in zip(header, values, strict=True)}
            rows.append(Located(cells, line, dict.fromkeys(cells, line)))
    except csv.Error as exc:
        problems.add_unusable(
            name,
            f"line {start}",
            f"malformed CSV ({exc})",
            "correct the quoting in that row: a quoted value ends with a quote, and a quote "
            'inside it is written twice ("")',
        )
        return None
    if not rows and rows_required:
        problems.add_unusable(
            name, "", "file is empty (a header but no rows)", "add one row per entry"
        )
        return None
    return rows


def line_at(data: object, path: Sequence[object]) -> int | None:
    r"""Return the line of the deepest key or item of ``path`` found in ``data``.

    Parameters
    ----------
    data
        A mapping or list read by this module.
    path
        Keys and list indices, e.g. a pydantic error location.

    Returns
    -------
    int or None
        The line, or None when ``data`` carries no lines.

    Examples
    --------
    >>> data, _ = load_yaml("a:\n  b: [1, 2]\n  c: 3\n")
    >>> line_at(data, ["a", "c"]), line_at(data, ["a", "missing"])
    (3, 1)
    """
    line: int | None = getattr(data, "line", None)
    current = data
    for part in path:
        if isinstance(current, Located) and isinstance(part, Hashable) and part in current:
            line = current.key_lines.get(part, line)
            current = current[part]
        elif (
            isinstance(current, LocatedList) and isinstance(part, int) and 0 <= part < len(current)
        ):
            line = current.item_lines[part]
            current = current[part]
        else:
            break
    return line
