"""Read and validate ``seeds/``, the hand-edited source of truth.

``load_seeds`` reads every file, checks each row against its schema, then checks references
(sources, nodes, links) and geography (region, swapped coordinates, self-loops, zero lengths).
Every problem found is collected and raised at once as :class:`~corridors.errors.InvalidSeed`,
each naming the file, the row or key and the fix.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.resources
import os
import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from corridors.data.schema import (
    REGION,
    AlignmentPoint,
    AlignmentType,
    Fact,
    Line,
    Link,
    Mode,
    Node,
    NodeKind,
    OdPair,
    Parameters,
    PlaceGroup,
    Scenario,
    Source,
)
from corridors.data.suggest import did_you_mean
from corridors.errors import InvalidSeed, SeedProblem

__all__ = [
    "REGION",
    "SeedData",
    "default_seeds_dir",
    "load_seeds",
]


SOURCES_FILE = "sources.yaml"
NODES_FILE = "nodes.csv"
LINKS_FILE = "links.yaml"
ALIGNMENTS_FILE = "alignments.csv"
LINES_FILE = "lines.yaml"
FACTS_FILE = "facts.yaml"
PARAMETERS_FILE = "parameters.yaml"
OD_PAIRS_FILE = "od_pairs.yaml"
PLACES_FILE = "places.yaml"
SCENARIOS_DIR = "scenarios"

_LIST_SEPARATOR = ";"
_LINE_KEY = "__line__"

ModelT = TypeVar("ModelT", bound=BaseModel)


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


@dataclass(frozen=True)
class SeedData:
    """Everything in ``seeds/``, validated.

    Attributes
    ----------
    root
        The folder the seeds were read from.
    sources, nodes, links, lines, facts
        Records keyed by id, in file order.
    alignments
        Intermediate vertices of each link, keyed by link id, ordered by ``seq``.
    parameters
        Speeds, tariffs, transfer, break-of-gauge and border parameters.
    scenarios
        Scenario files keyed by name.
    od_pairs
        Default origin-destination pairs for reports (``od_pairs.yaml``, optional).
    """

    root: Path
    sources: dict[str, Source]
    nodes: dict[str, Node]
    links: dict[str, Link]
    alignments: dict[str, list[AlignmentPoint]] = field(default_factory=dict)
    lines: dict[str, Line] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    parameters: Parameters | None = None
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    od_pairs: list[OdPair] = field(default_factory=list)
    places: dict[str, PlaceGroup] = field(default_factory=dict)

    @cached_property
    def content_key(self) -> str:
        """A hash of everything in the seeds: equal seeds give equal keys.

        Applied scenarios and routing graphs are memoised on it.
        """
        content = (
            self.sources,
            self.nodes,
            self.links,
            self.alignments,
            self.lines,
            self.facts,
            self.parameters,
            self.scenarios,
            self.od_pairs,
            self.places,
        )
        return hashlib.sha256(pickle.dumps(content, protocol=5)).hexdigest()

    def link_coordinates(self, link_id: str) -> list[tuple[float, float]]:
        """Return a link's vertices as ``(lon, lat)`` pairs, from its start node to its end node.

        Parameters
        ----------
        link_id
            Id of the link.

        Returns
        -------
        list of tuple
            ``(lon, lat)`` of the start node, each alignment point, and the end node.
        """
        link = self.links[link_id]
        start, end = self.nodes[link.from_], self.nodes[link.to]
        middle = [(p.lon, p.lat) for p in self.alignments.get(link_id, [])]
        return [(start.lon, start.lat), *middle, (end.lon, end.lat)]


class _Problems:
    """Collects problems while validation goes on."""

    def __init__(self) -> None:
        self.items: list[SeedProblem] = []
        # Ids of entries that failed their schema: references to them are not reported again.
        self.invalid_ids: set[str] = set()
        # Files that could not be read at all: references into them are not reported either.
        self.unreadable: set[str] = set()

    def add_unreadable(self, file: str, where: str, message: str, fix: str) -> None:
        self.unreadable.add(file)
        self.add(file, where, message, fix)

    def add(self, file: str, where: str, message: str, fix: str) -> None:
        self.items.append(SeedProblem(file, where, message, fix))


# --------------------------------------------------------------------------- reading files


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records the line of every mapping under ``__line__``."""


def _construct_mapping_with_line(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping_with_line
)


def _read_yaml(root: Path, name: str, problems: _Problems) -> Any:
    path = root / name
    if not path.is_file():
        problems.add_unreadable(name, "", "file not found", f"create {path} (see seeds/README.md)")
        return None
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.add_unreadable(
            name, where, f"malformed YAML ({reason})", "correct the YAML syntax there"
        )
        return None
    except UnicodeDecodeError:
        problems.add_unreadable(name, "", "not UTF-8 text", "save the file as UTF-8")
        return None
    return data


def _read_yaml_list(root: Path, name: str, problems: _Problems) -> list[dict[str, Any]]:
    data = _read_yaml(root, name, problems)
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        problems.add_unreadable(
            name, "", "expected a list of entries", "write one '- key: value' mapping per entry"
        )
        return []
    return data


def _read_yaml_mapping(root: Path, name: str, problems: _Problems) -> dict[str, Any] | None:
    data = _read_yaml(root, name, problems)
    if data is None:
        if name not in problems.unreadable:
            problems.add_unreadable(name, "", "empty file", "write the keys the file needs")
        return None
    if not isinstance(data, dict):
        problems.add_unreadable(
            name, "", "expected a mapping of keys", "write 'key: value' lines at the top level"
        )
        return None
    return data


def _header_ok(
    header: list[str], allowed: list[str], required: list[str], name: str, problems: _Problems
) -> bool:
    ok = True
    for column in header:
        if column not in allowed:
            hint = did_you_mean(column, allowed)
            fix = f"rename it ({hint})" if hint else "remove it or rename it"
            problems.add(name, "header", f"unknown column '{column}'", f"{fix}; allowed: {allowed}")
            ok = False
    for column in required:
        if column not in header:
            problems.add(name, "header", f"missing column '{column}'", "add the column")
            ok = False
    return ok


def _read_csv(
    root: Path, name: str, model: type[BaseModel], problems: _Problems
) -> list[dict[str, Any]]:
    path = root / name
    if not path.is_file():
        problems.add_unreadable(name, "", "file not found", f"create {path} (see seeds/README.md)")
        return []
    allowed = list(model.model_fields)
    required = [n for n, f in model.model_fields.items() if f.is_required()]
    rows: list[dict[str, Any]] = []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header is None:
                problems.add_unreadable(
                    name, "", "empty file", f"add the header row: {','.join(allowed)}"
                )
                return []
            header = [h.strip() for h in header]
            if not _header_ok(header, allowed, required, name, problems):
                problems.unreadable.add(name)
                return []
            for values in reader:
                line = reader.line_num
                if not any(v.strip() for v in values):
                    continue
                if len(values) != len(header):
                    if "id" in header and header.index("id") < len(values):
                        problems.invalid_ids.add(values[header.index("id")].strip())
                    problems.add(
                        name,
                        f"line {line}",
                        f"{len(values)} fields where the header has {len(header)}",
                        "quote values that contain commas and give every column a value",
                    )
                    continue
                row: dict[str, Any] = {_LINE_KEY: line}
                for column, value in zip(header, values, strict=True):
                    row[column] = value.strip()
                rows.append(row)
    except csv.Error as exc:
        problems.add_unreadable(
            name, "", f"malformed CSV ({exc})", "correct the quoting in that row"
        )
        return []
    except UnicodeDecodeError:
        problems.add_unreadable(name, "", "not UTF-8 text", "save the file as UTF-8")
        return []
    return rows


# --------------------------------------------------------------------------- schema checks


_PATTERN_FIXES = {"country": "use an ISO 3166-1 alpha-2 code in capitals, e.g. KZ"}

_FIXES_BY_ERROR = {
    "enum": "use one of the values listed",
    "float_parsing": "write a plain number",
    "int_parsing": "write a plain number",
    "float_type": "write a plain number",
    "int_type": "write a plain number",
}


def _field_fix(error_type: str, model: type[BaseModel], field_name: str) -> str:
    cites = field_name in {"sources", "source"}
    if cites and error_type in {"missing", "too_short", "string_too_short"}:
        return f"cite at least one source in '{field_name}' (an id from {SOURCES_FILE})"
    if error_type == "missing":
        return f"give '{field_name}' a value"
    if error_type == "extra_forbidden":
        hint = did_you_mean(field_name, _field_names(model))
        return f"remove or rename the key ({hint})" if hint else "remove or rename the key"
    if error_type == "string_pattern_mismatch":
        return _PATTERN_FIXES.get(field_name, "use lower-case letters, digits and underscores")
    if error_type in {"too_short", "string_too_short"}:
        return f"give at least one value for '{field_name}'"
    return _FIXES_BY_ERROR.get(error_type, f"correct '{field_name}'")


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def _validate_rows(
    rows: Sequence[Mapping[str, Any]],
    model: type[ModelT],
    file: str,
    describe: Callable[[Mapping[str, Any]], str],
    problems: _Problems,
    *,
    list_fields: Sequence[str] = (),
) -> list[ModelT]:
    records: list[ModelT] = []
    for row in rows:
        data: dict[str, Any] = _strip_lines(dict(row))
        for name in list_fields:
            value = data.get(name)
            if isinstance(value, str):
                data[name] = [v.strip() for v in value.split(_LIST_SEPARATOR) if v.strip()]
        if file.endswith(".csv"):
            # An empty cell means "not given": the schema's default applies, or it is missing.
            data = {k: v for k, v in data.items() if v not in ("", [])}
        try:
            records.append(model.model_validate(data))
        except ValidationError as exc:
            if isinstance(data.get("id"), str):
                problems.invalid_ids.add(data["id"])
            for error in exc.errors():
                loc = ".".join(str(part) for part in error["loc"])
                top = str(error["loc"][0]) if error["loc"] else ""
                value = error.get("input")
                shown = (
                    ""
                    if error["type"] in {"missing"} or isinstance(value, dict)
                    else (f" (got {value!r})")
                )
                problems.add(
                    file,
                    f"{describe(row)}, key '{loc}'",
                    f"{error['msg']}{shown}",
                    _field_fix(error["type"], model, top),
                )
    return records


def _describe_csv(row: Mapping[str, Any]) -> str:
    ident = row.get("id") or row.get("link")
    suffix = f" ({'id' if 'id' in row else 'link'} '{ident}')" if ident else ""
    return f"line {row.get(_LINE_KEY, '?')}{suffix}"


def _describe_yaml(kind: str) -> Callable[[Mapping[str, Any]], str]:
    def describe(row: Mapping[str, Any]) -> str:
        ident = row.get("id")
        named = f"{kind} '{ident}'" if ident else f"{kind} without id"
        return f"{named} (line {row.get(_LINE_KEY, '?')})"

    return describe


def _unique(
    records: Sequence[ModelT], key: Callable[[ModelT], str], file: str, problems: _Problems
) -> dict[str, ModelT]:
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


# --------------------------------------------------------------------------- cross checks


def _or_hint(hint: str, action: str) -> str:
    return f"{hint} or {action}" if hint else action


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != _LINE_KEY}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def _in_region(lon: float, lat: float) -> bool:
    min_lon, min_lat, max_lon, max_lat = REGION
    return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


def _check_position(lon: float, lat: float, file: str, where: str, problems: _Problems) -> None:
    if _in_region(lon, lat):
        return
    if _in_region(lat, lon):
        problems.add(
            file,
            where,
            f"latitude and longitude look swapped (lat={lat}, lon={lon})",
            f"write lat={lon}, lon={lat}",
        )
        return
    min_lon, min_lat, max_lon, max_lat = REGION
    problems.add(
        file,
        where,
        f"position lat={lat}, lon={lon} is outside the modelled region "
        f"(lat {min_lat}..{max_lat}, lon {min_lon}..{max_lon})",
        "check the coordinate and its sign",
    )


def _check_sources(
    cited: Sequence[str], sources: Mapping[str, Source], file: str, where: str, problems: _Problems
) -> None:
    for source_id in cited:
        if SOURCES_FILE in problems.unreadable or source_id in problems.invalid_ids:
            continue
        if source_id not in sources:
            hint = did_you_mean(source_id, sources)
            problems.add(
                file,
                where,
                f"unknown source '{source_id}'",
                _or_hint(hint, f"add it to {SOURCES_FILE}"),
            )


def _check_node_reference(
    node_id: str, nodes: Mapping[str, Node], file: str, where: str, problems: _Problems
) -> bool:
    if node_id in problems.invalid_ids or NODES_FILE in problems.unreadable:
        return False
    if node_id in nodes:
        if nodes[node_id].kind is NodeKind.POI:
            problems.add(
                file,
                where,
                f"node '{node_id}' is a point of interest, not a transport node",
                "link a transport node instead, or change the node's kind",
            )
            return False
        return True
    hint = did_you_mean(node_id, nodes)
    problems.add(
        file,
        where,
        f"unknown node '{node_id}'",
        _or_hint(hint, f"add the node to {NODES_FILE}"),
    )
    return False


def _check_links(data: SeedData, problems: _Problems) -> None:
    from corridors.data.geometry import geodesic_length_km  # noqa: PLC0415  (keeps pyproj lazy)

    for link in data.links.values():
        where = f"link '{link.id}'"
        _check_sources(link.sources, data.sources, LINKS_FILE, where, problems)
        for published in [link.published_length, *link.other_published_lengths]:
            if published is not None:
                _check_sources(
                    [published.source],
                    data.sources,
                    LINKS_FILE,
                    f"{where}, published length",
                    problems,
                )
        ok_from = _check_node_reference(
            link.from_, data.nodes, LINKS_FILE, f"{where}, key 'from'", problems
        )
        ok_to = _check_node_reference(
            link.to, data.nodes, LINKS_FILE, f"{where}, key 'to'", problems
        )
        if link.from_ == link.to:
            problems.add(
                LINKS_FILE,
                where,
                f"self-loop: 'from' and 'to' are both '{link.from_}'",
                "link two different nodes",
            )
            continue
        if link.mode is Mode.RAIL:
            if link.gauge_mm is not None and link.gauge_mm not in {1435, 1520, 1676}:
                problems.add(
                    LINKS_FILE,
                    f"{where}, key 'gauge_mm'",
                    f"unexpected gauge {link.gauge_mm}",
                    "use 1435, 1520 or 1676, or leave it empty when unknown",
                )
        elif link.gauge_mm is not None:
            problems.add(
                LINKS_FILE,
                f"{where}, key 'gauge_mm'",
                f"a {link.mode.value} link has a gauge",
                "remove gauge_mm",
            )
        if link.alignment is AlignmentType.SCHEMATIC and link.published_length is None:
            problems.add(
                LINKS_FILE,
                where,
                "a schematic link has no published length to be routed on",
                "add published_length with its source, or survey the alignment",
            )
        if ok_from and ok_to:
            length = geodesic_length_km(data.link_coordinates(link.id))
            if length < 0.1:
                problems.add(
                    LINKS_FILE,
                    where,
                    f"zero-length link ({length:.3f} km between '{link.from_}' and '{link.to}')",
                    "check the coordinates of both nodes, or remove the link",
                )


def _check_alignments(data: SeedData, problems: _Problems) -> None:
    for link_id, points in data.alignments.items():
        if link_id in problems.invalid_ids or LINKS_FILE in problems.unreadable:
            continue
        if link_id not in data.links:
            hint = did_you_mean(link_id, data.links)
            problems.add(
                ALIGNMENTS_FILE,
                f"link '{link_id}'",
                "alignment points for an unknown link",
                _or_hint(hint, f"add the link to {LINKS_FILE}"),
            )
            continue
        for expected, point in enumerate(points, start=1):
            where = f"link '{link_id}', seq {point.seq}"
            if point.seq != expected:
                problems.add(
                    ALIGNMENTS_FILE,
                    where,
                    f"seq {point.seq} where {expected} was expected",
                    "number the points of each link 1, 2, 3, ... in order along the link",
                )
                break
            _check_position(point.lon, point.lat, ALIGNMENTS_FILE, where, problems)
            _check_sources([point.source], data.sources, ALIGNMENTS_FILE, where, problems)


def _check_lines(data: SeedData, problems: _Problems) -> None:
    for line in data.lines.values():
        where = f"line '{line.id}'"
        previous: Link | None = None
        for link_id in line.links:
            link = data.links.get(link_id)
            if link is None and (
                link_id in problems.invalid_ids or LINKS_FILE in problems.unreadable
            ):
                previous = None
                continue
            if link is None:
                hint = did_you_mean(link_id, data.links)
                problems.add(
                    LINES_FILE,
                    where,
                    f"unknown link '{link_id}'",
                    _or_hint(hint, f"add it to {LINKS_FILE}"),
                )
                previous = None
                continue
            if previous is not None and previous.to != link.from_:
                problems.add(
                    LINES_FILE,
                    where,
                    f"link '{link_id}' starts at '{link.from_}' but the link before it ends at "
                    f"'{previous.to}'",
                    "list the links in order along the line",
                )
            previous = link
        for published in [line.published_length, *line.other_published_lengths]:
            if published is not None:
                _check_sources([published.source], data.sources, LINES_FILE, where, problems)


def _load_parameters(folder: Path, problems: _Problems) -> Parameters | None:
    data = _read_yaml_mapping(folder, PARAMETERS_FILE, problems)
    if data is None:
        return None
    records = _validate_rows([data], Parameters, PARAMETERS_FILE, lambda _: "top level", problems)
    return records[0] if records else None


def _load_scenarios(folder: Path, problems: _Problems) -> dict[str, Scenario]:
    scenarios: dict[str, Scenario] = {}
    directory = folder / SCENARIOS_DIR
    if not directory.is_dir():
        return scenarios
    for path in sorted(directory.glob("*.yaml")):
        name = f"{SCENARIOS_DIR}/{path.name}"
        data = _read_yaml_mapping(folder, name, problems)
        if data is None:
            continue
        records = _validate_rows([data], Scenario, name, lambda _: "scenario", problems)
        if not records:
            continue
        scenario = records[0]
        if scenario.name != path.stem:
            problems.add(
                name,
                "key 'name'",
                f"scenario name '{scenario.name}' differs from the file name",
                f"name the scenario '{path.stem}' or rename the file to {scenario.name}.yaml",
            )
            continue
        scenarios[scenario.name] = scenario
    return scenarios


def _check_parameters(data: SeedData, problems: _Problems) -> None:
    parameters = data.parameters
    if parameters is None:
        return
    _check_sources(parameters.cited_sources(), data.sources, PARAMETERS_FILE, "top level", problems)
    modes = {link.mode for link in data.links.values()}
    for mode in sorted(modes):
        if not any(s.mode is mode and s.status is None for s in parameters.speeds):
            problems.add(
                PARAMETERS_FILE,
                "key 'speeds'",
                f"no speed for mode '{mode.value}'",
                f"add a speed with mode: {mode.value} and no status",
            )
        if not any(t.mode is mode and t.country == "*" for t in parameters.tariffs):
            problems.add(
                PARAMETERS_FILE,
                "key 'tariffs'",
                f"no default tariff for mode '{mode.value}'",
                f'add a tariff with mode: {mode.value} and country: "*"',
            )
        if not any(b.mode is mode for b in parameters.border_defaults):
            problems.add(
                PARAMETERS_FILE,
                "key 'border_defaults'",
                f"no default border step for mode '{mode.value}'",
                f"add a border default with mode: {mode.value}",
            )
    for crossing in parameters.border_crossings:
        _check_crossing(crossing.link, data, PARAMETERS_FILE, problems)


def _check_crossing(link_id: str, data: SeedData, file: str, problems: _Problems) -> None:
    where = f"border crossing '{link_id}'"
    link = data.links.get(link_id)
    if link is None:
        hint = did_you_mean(link_id, data.links)
        problems.add(file, where, f"unknown link '{link_id}'", _or_hint(hint, "list a link id"))
        return
    start, end = data.nodes.get(link.from_), data.nodes.get(link.to)
    if start is not None and end is not None and start.country == end.country:
        problems.add(
            file,
            where,
            f"link '{link_id}' does not cross a border ({start.country} to {end.country})",
            "remove the entry, or list the link that crosses the border",
        )


def _check_scenarios(data: SeedData, problems: _Problems) -> None:
    for scenario in data.scenarios.values():
        file = f"{SCENARIOS_DIR}/{scenario.name}.yaml"
        _check_sources(scenario.sources, data.sources, file, "key 'sources'", problems)
        if scenario.base is not None and scenario.base not in data.scenarios:
            hint = did_you_mean(scenario.base, data.scenarios)
            problems.add(
                file,
                "key 'base'",
                f"unknown base scenario '{scenario.base}'",
                _or_hint(hint, f"add {SCENARIOS_DIR}/{scenario.base}.yaml"),
            )
        seen = {scenario.name}
        base = scenario.base
        while base is not None and base in data.scenarios:
            if base in seen:
                problems.add(
                    file,
                    "key 'base'",
                    f"scenarios inherit from each other in a loop through '{base}'",
                    "point 'base' at a scenario that does not inherit from this one",
                )
                break
            seen.add(base)
            base = data.scenarios[base].base
        changes = scenario.changes
        added = {link.id for link in changes.add_links}
        known = set(data.links) | added
        for key, ids in (
            ("open", changes.open),
            ("close", changes.close),
            ("set_status", list(changes.set_status)),
            ("set_gauge", list(changes.set_gauge)),
        ):
            for link_id in ids:
                if link_id not in known and not _added_by_a_base(link_id, scenario, data):
                    hint = did_you_mean(link_id, known)
                    problems.add(
                        file,
                        f"changes.{key}",
                        f"unknown link '{link_id}'",
                        _or_hint(hint, f"add it to {LINKS_FILE} or to changes.add_links"),
                    )
        for link in changes.add_links:
            where = f"changes.add_links '{link.id}'"
            if link.id in data.links:
                problems.add(
                    file,
                    where,
                    f"link '{link.id}' already exists",
                    "give the new link its own id, or use set_status / open",
                )
            for key, node_id in (("from", link.from_), ("to", link.to)):
                _check_node_reference(node_id, data.nodes, file, f"{where}, key '{key}'", problems)
            for lat, lon in link.waypoints:
                _check_position(lon, lat, file, f"{where}, waypoint", problems)
            _check_sources(link.sources, data.sources, file, where, problems)
        for crossing in changes.border_crossings:
            _check_crossing(crossing.link, data, file, problems)


def _added_by_a_base(link_id: str, scenario: Scenario, data: SeedData) -> bool:
    base = scenario.base
    seen: set[str] = set()
    while base is not None and base in data.scenarios and base not in seen:
        seen.add(base)
        if any(link.id == link_id for link in data.scenarios[base].changes.add_links):
            return True
        base = data.scenarios[base].base
    return False


def load_seeds(root: Path | str | None = None) -> SeedData:  # noqa: PLR0912, PLR0915
    """Read and validate every file in ``seeds/``.

    Parameters
    ----------
    root
        The seeds folder; defaults to :func:`default_seeds_dir`.

    Returns
    -------
    SeedData
        The validated records.

    Raises
    ------
    InvalidSeed
        With every problem found, each naming the file, the row or key, and the fix.
    """
    folder = Path(root) if root is not None else default_seeds_dir()
    problems = _Problems()
    if not folder.is_dir():
        problems.add(
            str(folder), "", "seeds folder not found", "pass the folder that holds nodes.csv"
        )
        raise InvalidSeed(problems.items)

    def from_yaml(name: str, model: type[ModelT], kind: str) -> dict[str, ModelT]:
        rows = _read_yaml_list(folder, name, problems)
        records = _validate_rows(rows, model, name, _describe_yaml(kind), problems)
        return _unique(records, attrgetter("id"), name, problems)

    sources = from_yaml(SOURCES_FILE, Source, "source")
    node_rows = _read_csv(folder, NODES_FILE, Node, problems)
    node_records = _validate_rows(
        node_rows, Node, NODES_FILE, _describe_csv, problems, list_fields=["sources"]
    )
    nodes = _unique(node_records, attrgetter("id"), NODES_FILE, problems)
    links = from_yaml(LINKS_FILE, Link, "link")
    point_rows = _read_csv(folder, ALIGNMENTS_FILE, AlignmentPoint, problems)
    alignments: dict[str, list[AlignmentPoint]] = {}
    for point in _validate_rows(
        point_rows, AlignmentPoint, ALIGNMENTS_FILE, _describe_csv, problems
    ):
        alignments.setdefault(point.link, []).append(point)
    for points in alignments.values():
        points.sort(key=attrgetter("seq"))
    lines = from_yaml(LINES_FILE, Line, "line")
    facts = from_yaml(FACTS_FILE, Fact, "fact")
    parameters = _load_parameters(folder, problems)
    scenarios = _load_scenarios(folder, problems)
    od_pairs: list[OdPair] = []
    if (folder / OD_PAIRS_FILE).is_file():
        od_rows = _read_yaml_list(folder, OD_PAIRS_FILE, problems)
        od_pairs = _validate_rows(od_rows, OdPair, OD_PAIRS_FILE, _describe_yaml("pair"), problems)

    places: dict[str, PlaceGroup] = {}
    if (folder / PLACES_FILE).is_file():
        places = from_yaml(PLACES_FILE, PlaceGroup, "place")

    data = SeedData(
        folder,
        sources,
        nodes,
        links,
        alignments,
        lines,
        facts,
        parameters,
        scenarios,
        od_pairs,
        places,
    )
    for node in nodes.values():
        where = f"node '{node.id}'"
        _check_position(node.lon, node.lat, NODES_FILE, where, problems)
        _check_sources(node.sources, sources, NODES_FILE, where, problems)
    _check_alignments(data, problems)
    _check_links(data, problems)
    _check_lines(data, problems)
    _check_parameters(data, problems)
    _check_scenarios(data, problems)
    for number, pair in enumerate(data.od_pairs, start=1):
        where = f"pair {number} ({pair.origin}:{pair.destination})"
        for key, node_id in (("origin", pair.origin), ("destination", pair.destination)):
            _check_node_reference(
                node_id, data.nodes, OD_PAIRS_FILE, f"{where}, key '{key}'", problems
            )
        _check_sources(pair.sources, data.sources, OD_PAIRS_FILE, where, problems)
    for group in places.values():
        where = f"place '{group.id}'"
        for number, member in enumerate(group.members, start=1):
            _check_node_reference(
                member, data.nodes, PLACES_FILE, f"{where}, member {number}", problems
            )
        _check_sources(group.sources, data.sources, PLACES_FILE, where, problems)
        for alias in group.aliases:
            _check_sources([alias.source], data.sources, PLACES_FILE, where, problems)
    for fact in facts.values():
        _check_sources([fact.source], sources, FACTS_FILE, f"fact '{fact.id}'", problems)
    if not problems.items:
        from corridors.data.boundaries import check_node_countries  # noqa: PLC0415

        for node_id, message, fix in check_node_countries(data.nodes.values()):
            problems.add(NODES_FILE, f"node '{node_id}'", message, fix)
    if problems.items:
        raise InvalidSeed(problems.items)
    return data
