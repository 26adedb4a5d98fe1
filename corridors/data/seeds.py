"""Read and validate ``seeds/``, the hand-edited source of truth.

``load_seeds`` reads every file (:mod:`corridors.data.files`), checks each row against its
schema (:mod:`corridors.data.rows`), then checks references (sources, nodes, links, scenarios)
and geography (region, swapped coordinates, self-loops, zero lengths) across files
(:mod:`corridors.data.validate`). Every problem found is collected and raised at once as
:class:`~corridors.errors.InvalidSeed`, each naming the file, the row or key and the fix. A file
that cannot be used is reported once, and nothing is checked against it.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from corridors.data.files import (
    ALIGNMENTS_FILE,
    FACTS_FILE,
    LINES_FILE,
    LINKS_FILE,
    NODES_FILE,
    OBSERVATIONS_FILE,
    OD_PAIRS_FILE,
    PARAMETERS_FILE,
    PLACES_FILE,
    SCENARIOS_DIR,
    SOURCES_FILE,
    read_csv,
    read_yaml_list,
    read_yaml_mapping,
)
from corridors.data.location import default_seeds_dir
from corridors.data.problems import Kind, Problems
from corridors.data.rows import describe_csv, describe_yaml, field_names, unique, validate_rows
from corridors.data.schema import (
    REGION,
    AlignmentPoint,
    Fact,
    Line,
    Link,
    Node,
    Observation,
    OdPair,
    Parameters,
    PlaceGroup,
    Scenario,
    Source,
)
from corridors.data.validate import check_all
from corridors.errors import InvalidSeed

__all__ = [
    "ALIGNMENTS_FILE",
    "FACTS_FILE",
    "LINES_FILE",
    "LINKS_FILE",
    "NODES_FILE",
    "OBSERVATIONS_FILE",
    "OD_PAIRS_FILE",
    "PARAMETERS_FILE",
    "PLACES_FILE",
    "REGION",
    "SCENARIOS_DIR",
    "SOURCES_FILE",
    "SeedData",
    "load_seeds",
]

ModelT = TypeVar("ModelT", bound=BaseModel)


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
    observations: list[Observation] = field(default_factory=list)

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
            self.observations,
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


def _required_fields(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items() if f.is_required()]


def _load_scenarios(folder: Path, problems: Problems) -> dict[str, Scenario]:
    scenarios: dict[str, Scenario] = {}
    directory = folder / SCENARIOS_DIR
    if not directory.is_dir():
        return scenarios
    for path in sorted(directory.glob("*.yaml")):
        name = f"{SCENARIOS_DIR}/{path.name}"
        data = read_yaml_mapping(folder, name, problems)
        records = (
            validate_rows([data], Scenario, name, describe_yaml(""), problems)
            if data is not None
            else []
        )
        if not records:
            # References to this scenario (as a base) are not reported as unknown.
            problems.invalid(Kind.SCENARIO, path.stem)
            continue
        scenario = records[0]
        if scenario.name != path.stem:
            problems.add(
                name,
                "key 'name'",
                f"scenario name '{scenario.name}' differs from the file name",
                f"name the scenario '{path.stem}' or rename the file to {scenario.name}.yaml",
            )
            problems.invalid(Kind.SCENARIO, path.stem)
            problems.invalid(Kind.SCENARIO, scenario.name)
            continue
        scenarios[scenario.name] = scenario
    return scenarios


def load_seeds(root: Path | str | None = None) -> SeedData:
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
        With every problem found, each naming the file, the row or key, and the fix. A file that
        is missing, unreadable, empty or invalid as a whole is reported once, and references
        into it (or to entries that failed validation) are not reported again.
    """
    folder = Path(root) if root is not None else default_seeds_dir()
    problems = Problems()
    if not folder.is_dir():
        problems.add(
            str(folder), "", "seeds folder not found", "pass the folder that holds nodes.csv"
        )
        raise InvalidSeed(problems.items)
    for kind, file in (
        (Kind.SOURCE, SOURCES_FILE),
        (Kind.NODE, NODES_FILE),
        (Kind.LINK, LINKS_FILE),
        (Kind.ALIGNMENT, ALIGNMENTS_FILE),
        (Kind.OBSERVATION, OBSERVATIONS_FILE),
    ):
        problems.defines(kind, file)

    def from_yaml(
        name: str, model: type[ModelT], noun: str, kind: Kind | None, *, required: bool
    ) -> dict[str, ModelT]:
        rows = read_yaml_list(folder, name, problems, entries_required=required)
        if rows is None:
            return {}
        records = validate_rows(rows, model, name, describe_yaml(noun), problems, kind=kind)
        return unique(records, attrgetter("id"), name, problems)

    sources = from_yaml(SOURCES_FILE, Source, "source", Kind.SOURCE, required=True)
    node_rows = read_csv(
        folder,
        NODES_FILE,
        field_names(Node),
        _required_fields(Node),
        problems,
        id_column="id",
        kind=Kind.NODE,
    )
    node_records = validate_rows(
        node_rows or [],
        Node,
        NODES_FILE,
        describe_csv("id"),
        problems,
        kind=Kind.NODE,
        list_fields=["sources"],
    )
    nodes = unique(node_records, attrgetter("id"), NODES_FILE, problems)
    links = from_yaml(LINKS_FILE, Link, "link", Kind.LINK, required=True)
    point_rows = read_csv(
        folder,
        ALIGNMENTS_FILE,
        field_names(AlignmentPoint),
        _required_fields(AlignmentPoint),
        problems,
        id_column="link",
        kind=Kind.ALIGNMENT,
        rows_required=False,
    )
    alignments: dict[str, list[AlignmentPoint]] = {}
    for point in validate_rows(
        point_rows or [],
        AlignmentPoint,
        ALIGNMENTS_FILE,
        describe_csv("link"),
        problems,
        kind=Kind.ALIGNMENT,
        id_key="link",
    ):
        alignments.setdefault(point.link, []).append(point)
    for points in alignments.values():
        points.sort(key=attrgetter("seq"))
    lines = from_yaml(LINES_FILE, Line, "line", None, required=False)
    facts = from_yaml(FACTS_FILE, Fact, "fact", None, required=False)
    parameter_data = read_yaml_mapping(folder, PARAMETERS_FILE, problems)
    parameter_records = (
        validate_rows([parameter_data], Parameters, PARAMETERS_FILE, describe_yaml(""), problems)
        if parameter_data is not None
        else []
    )
    scenarios = _load_scenarios(folder, problems)
    od_pairs: list[OdPair] = []
    if (folder / OD_PAIRS_FILE).is_file():
        od_rows = read_yaml_list(folder, OD_PAIRS_FILE, problems, entries_required=False)
        od_pairs = validate_rows(
            od_rows or [], OdPair, OD_PAIRS_FILE, describe_yaml("pair"), problems
        )
    places: dict[str, PlaceGroup] = {}
    if (folder / PLACES_FILE).is_file():
        places = from_yaml(PLACES_FILE, PlaceGroup, "place", None, required=False)
    observations: dict[str, Observation] = {}
    if (folder / OBSERVATIONS_FILE).is_file():
        observations = from_yaml(
            OBSERVATIONS_FILE, Observation, "observation", Kind.OBSERVATION, required=False
        )
        for observation in observations.values():
            if observation.source not in sources and SOURCES_FILE not in problems.unusable:
                problems.add(
                    OBSERVATIONS_FILE,
                    f"observation '{observation.id}', key 'source'",
                    f"unknown source '{observation.source}'",
                    "add it to sources.yaml",
                )

    data = SeedData(
        folder,
        sources,
        nodes,
        links,
        alignments,
        lines,
        facts,
        parameter_records[0] if parameter_records else None,
        scenarios,
        od_pairs,
        places,
        list(observations.values()),
    )
    check_all(data, problems)
    if not problems.items:
        from corridors.data.boundaries import check_node_countries  # noqa: PLC0415

        for node_id, message, fix in check_node_countries(data.nodes.values()):
            problems.add(NODES_FILE, f"node '{node_id}'", message, fix)
    if problems.items:
        raise InvalidSeed(problems.items)
    return data
