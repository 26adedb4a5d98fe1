"""Checks across the files of ``seeds/``: references, geography and parameters.

Every reference to an id (a source, node, link or scenario) goes through
:func:`check_reference`, which stays silent when the id's own file is unusable or its entry failed
validation, so that one problem is reported once. Links added by scenarios get exactly the checks
of the links in ``links.yaml`` (:func:`check_link`), and every ``source``/``sources`` field of
every record, at any depth, is checked by :func:`check_sources`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from corridors.data.files import (
    ALIGNMENTS_FILE,
    FACTS_FILE,
    LINES_FILE,
    LINKS_FILE,
    NODES_FILE,
    OD_PAIRS_FILE,
    PARAMETERS_FILE,
    PLACES_FILE,
    SCENARIOS_DIR,
    SOURCES_FILE,
)
from corridors.data.problems import Kind, Problems
from corridors.data.schema import REGION, AlignmentType, Link, Mode, NodeKind, Parameters, Scenario
from corridors.data.suggest import did_you_mean

if TYPE_CHECKING:
    from corridors.data.seeds import SeedData

__all__ = [
    "REGION",
    "check_all",
    "check_link",
    "check_reference",
    "check_sources",
    "cited_sources",
]


_MIN_LINK_KM = 0.1
_SOURCE_FIELDS = frozenset({"source", "sources"})
_NOUNS = {
    "speeds": "speed",
    "tariffs": "default tariff",
    "border_defaults": "default border step",
}


def _or_hint(hint: str, action: str) -> str:
    return f"{hint} or {action}" if hint else action


def _join(where: str, key: str) -> str:
    return f"{where}, key '{key}'" if where else f"key '{key}'"


def check_reference(
    kind: Kind,
    ident: str,
    known: Collection[str],
    at: tuple[str, str],
    problems: Problems,
    *,
    action: str,
    message: str | None = None,
) -> bool:
    """Check that an id refers to an existing entry; report it with a did-you-mean if not.

    Nothing is reported when the reference cannot be judged: the file defining ``kind`` is
    unusable, or the entry with this id failed validation.

    Parameters
    ----------
    kind
        What the id names.
    ident
        The id referred to.
    known
        The valid ids.
    at
        ``(file, where)``: where the reference is, for the message.
    problems
        Where problems are recorded.
    action
        The fix when no close id exists, e.g. ``add it to sources.yaml``.
    message
        The message instead of ``unknown KIND 'ID'``.

    Returns
    -------
    bool
        True when the id exists.
    """
    if ident in known:
        return True
    if problems.skip_reference(kind, ident):
        return False
    file, where = at
    hint = did_you_mean(ident, known)
    problems.add(file, where, message or f"unknown {kind.value} '{ident}'", _or_hint(hint, action))
    return False


def _walk(value: object, path: str, skip: Collection[str]) -> Iterator[tuple[str, str]]:
    if isinstance(value, BaseModel):
        yield from cited_sources(value, prefix=path, skip=skip)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}.{index}", skip)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}", skip)


def cited_sources(
    record: BaseModel, *, prefix: str = "", skip: Collection[str] = ()
) -> Iterator[tuple[str, str]]:
    """Yield every source id a record cites, at any depth, with the key path citing it.

    Parameters
    ----------
    record
        A validated record.
    prefix
        Key path of the record itself.
    skip
        Field names not to descend into, at any depth (checked elsewhere).

    Yields
    ------
    tuple of str
        ``(key path, source id)``, e.g. ``("published_length.source", "osm")``.

    Examples
    --------
    >>> from corridors.data.schema import Fact
    >>> fact = Fact(id="f", topic="t", statement="s", source="osm")
    >>> list(cited_sources(fact))
    [('source', 'osm')]
    """
    for name, info in type(record).model_fields.items():
        if name in skip:
            continue
        value = getattr(record, name)
        key = info.alias or name
        path = f"{prefix}.{key}" if prefix else key
        if name in _SOURCE_FIELDS:
            cited = [value] if isinstance(value, str) else value
            for source_id in cited if isinstance(cited, list) else []:
                if isinstance(source_id, str):
                    yield path, source_id
        else:
            yield from _walk(value, path, skip)


def check_sources(
    record: BaseModel,
    data: SeedData,
    file: str,
    where: str,
    problems: Problems,
    *,
    skip: Collection[str] = (),
) -> None:
    """Check that every source a record cites is in ``sources.yaml``.

    Parameters
    ----------
    record
        A validated record.
    data
        The seeds read so far.
    file, where
        Where the record is, for messages.
    problems
        Where problems are recorded.
    skip
        Field names not to descend into.
    """
    seen: set[tuple[str, str]] = set()
    for path, source_id in cited_sources(record, skip=skip):
        if (path, source_id) in seen:
            continue
        seen.add((path, source_id))
        check_reference(
            Kind.SOURCE,
            source_id,
            data.sources,
            (file, _join(where, path)),
            problems,
            action=f"add it to {SOURCES_FILE}",
        )


def _in_region(lon: float, lat: float) -> bool:
    min_lon, min_lat, max_lon, max_lat = REGION
    return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


def check_position(lon: float, lat: float, file: str, where: str, problems: Problems) -> bool:
    """Check that a position lies in the modelled region, and spot swapped coordinates.

    Parameters
    ----------
    lon, lat
        The position, in degrees.
    file, where
        Where the position is, for messages.
    problems
        Where problems are recorded.

    Returns
    -------
    bool
        True when the position is in the region.
    """
    if _in_region(lon, lat):
        return True
    if _in_region(lat, lon):
        problems.add(
            file,
            where,
            f"latitude and longitude look swapped (lat={lat}, lon={lon})",
            f"write lat={lon}, lon={lat}",
        )
        return False
    min_lon, min_lat, max_lon, max_lat = REGION
    problems.add(
        file,
        where,
        f"position lat={lat}, lon={lon} is outside the modelled region "
        f"(lat {min_lat}..{max_lat}, lon {min_lon}..{max_lon})",
        "check the coordinate and its sign",
    )
    return False


def _check_node(node_id: str, data: SeedData, file: str, where: str, problems: Problems) -> bool:
    known = check_reference(
        Kind.NODE,
        node_id,
        data.nodes,
        (file, where),
        problems,
        action=f"add the node to {NODES_FILE}",
    )
    if known and data.nodes[node_id].kind is NodeKind.POI:
        problems.add(
            file,
            where,
            f"node '{node_id}' is a point of interest, not a transport node",
            "link a transport node instead, or change the node's kind",
        )
        return False
    return known


def check_link(
    link: Link,
    coordinates: Callable[[], list[tuple[float, float]]],
    data: SeedData,
    problems: Problems,
    *,
    at: tuple[str, str],
    geometry_complete: bool = True,
) -> None:
    """Check one link, from ``links.yaml`` or added by a scenario.

    Parameters
    ----------
    link
        The link.
    coordinates
        Returns its vertices as ``(lon, lat)``, from its start node to its end node; called only
        when both nodes exist.
    data
        The seeds read so far.
    problems
        Where problems are recorded.
    at
        ``(file, where)``: where the link is, for messages.
    geometry_complete
        False when some of the link's vertices failed validation: its length is not checked.
    """
    from corridors.data.geometry import geodesic_length_km  # noqa: PLC0415  (keeps pyproj lazy)

    file, where = at
    check_sources(link, data, file, where, problems)
    ok_from = _check_node(link.from_, data, file, f"{where}, key 'from'", problems)
    ok_to = _check_node(link.to, data, file, f"{where}, key 'to'", problems)
    if link.from_ == link.to:
        problems.add(
            file,
            where,
            f"self-loop: 'from' and 'to' are both '{link.from_}'",
            "link two different nodes",
        )
        return
    if link.mode is not Mode.RAIL and link.gauge_mm is not None:
        problems.add(
            file,
            f"{where}, key 'gauge_mm'",
            f"a {link.mode.value} link has a gauge",
            "remove gauge_mm: only rail links have a gauge",
        )
    if link.alignment is AlignmentType.SCHEMATIC and link.published_length is None:
        problems.add(
            file,
            where,
            "a schematic link has no published length to be routed on",
            "add published_length with its source, or survey the alignment",
        )
    if ok_from and ok_to and geometry_complete:
        length = geodesic_length_km(coordinates())
        if length < _MIN_LINK_KM:
            problems.add(
                file,
                where,
                f"zero-length link ({length:.3f} km between '{link.from_}' and '{link.to}')",
                "check the coordinates of both nodes, or remove the link",
            )
        if link.border_at is not None:
            _check_border_point(link, coordinates(), data, (file, where), problems)


def _check_border_point(
    link: Link,
    coordinates: list[tuple[float, float]],
    data: SeedData,
    at: tuple[str, str],
    problems: Problems,
) -> None:
    """Check that a border point lies on its link (within 1 km) joining two countries."""
    file, where = at
    from shapely import LineString, Point  # noqa: PLC0415

    from corridors.data.geometry import geodesic_length_km  # noqa: PLC0415

    point = link.border_at
    if point is None:  # pragma: no cover - checked by the caller
        return
    key = f"{where}, key 'border_at'"
    if data.nodes[link.from_].country == data.nodes[link.to].country:
        problems.add(file, key, "a border point on a link within one country", "remove border_at")
        return
    line = LineString(coordinates)
    nearest = line.interpolate(line.project(Point(point.lon, point.lat)))
    off_km = geodesic_length_km([(point.lon, point.lat), (nearest.x, nearest.y)])
    if off_km > 1.0:
        problems.add(
            file,
            key,
            f"the border point is {off_km:.1f} km from the link's geometry",
            "give the point where the link crosses the border (within 1 km of it)",
        )


def _check_nodes(data: SeedData, problems: Problems) -> None:
    for node in data.nodes.values():
        where = f"node '{node.id}'"
        check_position(node.lon, node.lat, NODES_FILE, where, problems)
        check_sources(node, data, NODES_FILE, where, problems)


def _check_alignments(data: SeedData, problems: Problems) -> None:
    for link_id, points in data.alignments.items():
        known = check_reference(
            Kind.LINK,
            link_id,
            data.links,
            (ALIGNMENTS_FILE, f"link '{link_id}'"),
            problems,
            action=f"add the link to {LINKS_FILE}",
            message="alignment points for an unknown link",
        )
        if not known:
            continue
        complete = not problems.skip_reference(Kind.ALIGNMENT, link_id)
        for expected, point in enumerate(points, start=1):
            where = f"link '{link_id}', seq {point.seq}"
            if point.seq != expected and complete:
                problems.add(
                    ALIGNMENTS_FILE,
                    where,
                    f"seq {point.seq} where {expected} was expected",
                    "number the points of each link 1, 2, 3, ... in order along the link",
                )
                break
            check_position(point.lon, point.lat, ALIGNMENTS_FILE, where, problems)
            check_sources(point, data, ALIGNMENTS_FILE, where, problems)


def _check_links(data: SeedData, problems: Problems) -> None:
    for link in data.links.values():
        check_link(
            link,
            partial(data.link_coordinates, link.id),
            data,
            problems,
            at=(LINKS_FILE, f"link '{link.id}'"),
            geometry_complete=not problems.skip_reference(Kind.ALIGNMENT, link.id),
        )


def _check_lines(data: SeedData, problems: Problems) -> None:
    for line in data.lines.values():
        where = f"line '{line.id}'"
        previous: Link | None = None
        for link_id in line.links:
            known = check_reference(
                Kind.LINK,
                link_id,
                data.links,
                (LINES_FILE, where),
                problems,
                action=f"add it to {LINKS_FILE}",
            )
            if not known:
                previous = None
                continue
            link = data.links[link_id]
            if previous is not None and previous.to != link.from_:
                problems.add(
                    LINES_FILE,
                    where,
                    f"link '{link_id}' starts at '{link.from_}' but the link before it ends at "
                    f"'{previous.to}'",
                    "list the links in order along the line",
                )
            previous = link
        check_sources(line, data, LINES_FILE, where, problems)


def _check_crossing(
    link_id: str, links: Mapping[str, Link], data: SeedData, file: str, problems: Problems
) -> None:
    where = f"border crossing '{link_id}'"
    link = links.get(link_id)
    if link is None:
        check_reference(Kind.LINK, link_id, links, (file, where), problems, action="list a link id")
        return
    start, end = data.nodes.get(link.from_), data.nodes.get(link.to)
    if start is not None and end is not None and start.country == end.country:
        problems.add(
            file,
            where,
            f"link '{link_id}' does not cross a border ({start.country} to {end.country})",
            "remove the entry, or list the link that crosses the border",
        )


def _check_parameters(data: SeedData, problems: Problems) -> None:
    parameters = data.parameters
    if parameters is None:
        return
    check_sources(parameters, data, PARAMETERS_FILE, "", problems)
    modes = {link.mode for link in data.links.values()}
    for mode in sorted(modes):
        for key, message, fix in _missing_mode_parameters(mode, data, []):
            problems.add(PARAMETERS_FILE, f"key '{key}'", message, fix)
    for crossing in parameters.border_crossings:
        _check_crossing(crossing.link, data.links, data, PARAMETERS_FILE, problems)
    _check_parameter_references(parameters, data, problems)


def _check_price_years(parameters: Parameters, problems: Problems) -> None:
    """Every cost given in a year has that year's price index, to bring it to the basis."""
    basis = parameters.price_basis
    if basis is None:
        return
    dated: list[tuple[str, Any]] = [("break_of_gauge", parameters.break_of_gauge)]
    for key in ("tariffs", "transfers", "border_defaults", "border_sides", "border_crossings"):
        entries = getattr(parameters, key)
        dated.extend((f"{key} entry {i}", entry) for i, entry in enumerate(entries, start=1))
    for where, entry in dated:
        year = entry.year
        if year is not None and year not in basis.index:
            problems.add(
                PARAMETERS_FILE,
                f"{where}, key 'year'",
                f"no price index for {year} (price_basis.index has "
                f"{min(basis.index)}-{max(basis.index)})",
                f"add {year} to price_basis.index, citing its source",
            )


def _check_parameter_references(parameters: Parameters, data: SeedData, problems: Problems) -> None:
    """Links, nodes and observations named by parameter entries exist (and sides fit nodes)."""
    observation_ids = {o.id for o in data.observations}
    groups: list[tuple[str, Sequence[Any]]] = [
        ("speeds", parameters.speeds),
        ("tariffs", parameters.tariffs),
        ("transfers", parameters.transfers),
        ("border_sides", parameters.border_sides),
        ("border_crossings", parameters.border_crossings),
    ]
    _check_price_years(parameters, problems)
    for key, entries in groups:
        for position, entry in enumerate(entries, start=1):
            where = f"{key} entry {position}"
            for link_id in getattr(entry, "links", None) or []:
                check_reference(
                    Kind.LINK,
                    link_id,
                    data.links,
                    (PARAMETERS_FILE, where),
                    problems,
                    action="list a link id of links.yaml",
                )
            node_id = getattr(entry, "node", None)
            if node_id is not None and check_reference(
                Kind.NODE,
                node_id,
                data.nodes,
                (PARAMETERS_FILE, where),
                problems,
                action="name a node of nodes.csv",
            ):
                country = getattr(entry, "country", None)
                node = data.nodes[node_id]
                if country is not None and node.country != country:
                    problems.add(
                        PARAMETERS_FILE,
                        where,
                        f"node '{node_id}' lies in {node.country}, not {country}",
                        f"set country: {node.country}, or name a node in {country}",
                    )
            for observation_id in entry.observations if observation_ids else ():
                check_reference(
                    Kind.OBSERVATION,
                    observation_id,
                    observation_ids,
                    (PARAMETERS_FILE, where),
                    problems,
                    action="list an observation id of observations.yaml",
                )


def _missing_mode_parameters(
    mode: Mode, data: SeedData, chain: Sequence[Scenario]
) -> list[tuple[str, str, str]]:
    """Return (key, message, fix) for each default a mode lacks in parameters and the chain.

    ``chain`` is the scenario adding a link of that mode with its bases; it may add speeds and
    tariffs but not border defaults.
    """
    parameters = data.parameters
    if parameters is None:
        return []
    speeds = [*parameters.speeds, *(s for sc in chain for s in sc.changes.speeds)]
    tariffs = [*parameters.tariffs, *(t for sc in chain for t in sc.changes.tariffs)]

    def into(key: str) -> str:
        if not chain:
            return ""
        if key == "border_defaults":
            return f" to {PARAMETERS_FILE}"
        return f" to {PARAMETERS_FILE} or to changes.{key}"

    name = mode.value
    missing = []
    if not any(
        s.mode is mode and s.status is None and s.country is None and s.links is None
        for s in speeds
    ):
        fix = f"add a speed with mode: {name} and no status{into('speeds')}"
        missing.append(("speeds", f"no speed for mode '{name}'", fix))
    if not any(
        t.mode is mode and t.country == "*" and t.unit is None and t.links is None for t in tariffs
    ):
        fix = f'add a tariff with mode: {name} and country: "*"{into("tariffs")}'
        missing.append(("tariffs", f"no default tariff for mode '{name}'", fix))
    if not any(b.mode is mode for b in parameters.border_defaults):
        fix = f"add a border default with mode: {name}{into('border_defaults')}"
        missing.append(("border_defaults", f"no default border step for mode '{name}'", fix))
    return missing


def _chain(scenario: Scenario, data: SeedData) -> tuple[list[Scenario], bool]:
    """Return a scenario's bases, root first, and whether every one of them is known."""
    bases: list[Scenario] = []
    seen = {scenario.name}
    base = scenario.base
    while base is not None:
        if base in seen or base not in data.scenarios:
            return list(reversed(bases)), False
        seen.add(base)
        bases.append(data.scenarios[base])
        base = data.scenarios[base].base
    return list(reversed(bases)), True


def _check_base(scenario: Scenario, file: str, data: SeedData, problems: Problems) -> None:
    base = scenario.base
    if base is None:
        return
    if not check_reference(
        Kind.SCENARIO,
        base,
        data.scenarios,
        (file, "key 'base'"),
        problems,
        action=f"add {SCENARIOS_DIR}/{base}.yaml",
        message=f"unknown base scenario '{base}'",
    ):
        return
    seen = {scenario.name}
    current: str | None = base
    while current is not None and current in data.scenarios:
        if current in seen:
            problems.add(
                file,
                "key 'base'",
                f"scenarios inherit from each other in a loop through '{current}'",
                "point 'base' at a scenario that does not inherit from this one",
            )
            return
        seen.add(current)
        current = data.scenarios[current].base


def _check_added_links(
    scenario: Scenario,
    file: str,
    inherited: Mapping[str, tuple[str, Link]],
    data: SeedData,
    problems: Problems,
) -> dict[str, Link]:
    """Check a scenario's added links as links.yaml's are checked; return them by id."""
    own: dict[str, Link] = {}
    for link in scenario.changes.add_links:
        where = f"changes.add_links '{link.id}'"
        if link.id in data.links:
            problems.add(
                file,
                where,
                f"link '{link.id}' already exists",
                "give the new link its own id, or use set_status / open",
            )
            continue
        if link.id in inherited:
            problems.add(
                file,
                where,
                f"link '{link.id}' is already added by scenario '{inherited[link.id][0]}'",
                "give the new link its own id, or change the link in the scenario that adds it",
            )
            continue
        if link.id in own:
            problems.add(
                file,
                where,
                f"link '{link.id}' is added twice",
                "give each new link its own id, or merge the two entries",
            )
            continue
        own[link.id] = link
        inside = True
        for number, (lat, lon) in enumerate(link.waypoints, start=1):
            inside = (
                check_position(lon, lat, file, f"{where}, waypoint {number}", problems) and inside
            )

        def coordinates(new: Link = link) -> list[tuple[float, float]]:
            start, end = data.nodes[new.from_], data.nodes[new.to]
            waypoints = getattr(new, "waypoints", [])
            middle = [(lon, lat) for lat, lon in waypoints]
            return [(start.lon, start.lat), *middle, (end.lon, end.lat)]

        check_link(link, coordinates, data, problems, at=(file, where), geometry_complete=inside)
    return own


def _check_scenario(scenario: Scenario, data: SeedData, problems: Problems) -> None:
    file = f"{SCENARIOS_DIR}/{scenario.name}.yaml"
    check_sources(scenario, data, file, "", problems, skip={"add_links"})
    _check_base(scenario, file, data, problems)
    bases, complete = _chain(scenario, data)
    inherited = {link.id: (base.name, link) for base in bases for link in base.changes.add_links}
    own = _check_added_links(scenario, file, inherited, data, problems)
    links: dict[str, Link] = {
        **data.links,
        **{link_id: link for link_id, (_, link) in inherited.items()},
        **own,
    }
    changes = scenario.changes
    action = f"add it to {LINKS_FILE} or to changes.add_links"
    for key, ids in (
        ("open", changes.open),
        ("close", changes.close),
        ("set_status", list(changes.set_status)),
        ("set_gauge", list(changes.set_gauge)),
    ):
        for link_id in ids:
            # A base that failed validation may add the link: it cannot be judged then.
            if link_id in links or not complete:
                continue
            at = (file, f"changes.{key}")
            check_reference(Kind.LINK, link_id, links, at, problems, action=action)
    for link_id in changes.set_gauge:
        link = links.get(link_id)
        if link is not None and link.mode is not Mode.RAIL:
            problems.add(
                file,
                "changes.set_gauge",
                f"link '{link_id}' is a {link.mode.value} link, which has no gauge",
                f"remove '{link_id}' from set_gauge: only rail links have a gauge",
            )
    for crossing in changes.border_crossings:
        if crossing.link in links or complete:
            _check_crossing(crossing.link, links, data, file, problems)
    base_modes = {link.mode for link in data.links.values()}
    for link in own.values():
        if link.mode in base_modes:
            continue  # the parameters of base modes are checked in parameters.yaml
        missing = _missing_mode_parameters(link.mode, data, [*bases, scenario])
        if missing:
            nouns = [_NOUNS[key] for key, _, _ in missing]
            listed = ", ".join(nouns[:-1]) + f" or {nouns[-1]}" if len(nouns) > 1 else nouns[0]
            problems.add(
                file,
                f"changes.add_links '{link.id}', key 'mode'",
                f"no {listed} for mode '{link.mode.value}'",
                "; ".join(fix for _, _, fix in missing),
            )
        base_modes.add(link.mode)


def check_all(data: SeedData, problems: Problems) -> None:
    """Run every check across files, recording what fails.

    Parameters
    ----------
    data
        The seeds that passed their schemas.
    problems
        Where problems are recorded; it already holds the problems found while reading, so that
        references into unusable files and to invalid entries are skipped.
    """
    _check_nodes(data, problems)
    _check_alignments(data, problems)
    _check_links(data, problems)
    _check_lines(data, problems)
    _check_parameters(data, problems)
    for scenario in data.scenarios.values():
        _check_scenario(scenario, data, problems)
    for number, pair in enumerate(data.od_pairs, start=1):
        where = f"pair {number} ({pair.origin}:{pair.destination})"
        for key, node_id in (("origin", pair.origin), ("destination", pair.destination)):
            _check_node(node_id, data, OD_PAIRS_FILE, f"{where}, key '{key}'", problems)
        check_sources(pair, data, OD_PAIRS_FILE, where, problems)
    for group in data.places.values():
        where = f"place '{group.id}'"
        for number, member in enumerate(group.members, start=1):
            _check_node(member, data, PLACES_FILE, f"{where}, member {number}", problems)
        check_sources(group, data, PLACES_FILE, where, problems)
    for fact in data.facts.values():
        check_sources(fact, data, FACTS_FILE, f"fact '{fact.id}'", problems)
