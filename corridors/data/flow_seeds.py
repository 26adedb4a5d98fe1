"""Read and validate the freight-flow seeds: demand, commodities, capacities, observed volumes.

The files are ``seeds/demand/base.yaml`` (base-year demand cells), ``seeds/demand/scenarios.yaml``
(growth scenarios), ``seeds/demand/commodities.yaml`` (commodity groups and their route-choice
scale), ``seeds/demand/observed_volumes.yaml`` (published volumes for calibration) and
``seeds/capacity.yaml`` (capacities and volume-delay functions). They are read after
:func:`~corridors.data.seeds.load_seeds`, against its records: every problem names the file, the
entry and the fix (with a did-you-mean for names) and all are raised at once as
:class:`~corridors.errors.InvalidSeed`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from corridors.data.files import read_yaml_list, read_yaml_mapping
from corridors.data.problems import Problems
from corridors.data.rows import describe_yaml, unique, validate_rows
from corridors.data.schema import (
    CapacityFile,
    CapacityKind,
    Commodity,
    CommodityGroup,
    DemandCell,
    DemandScenario,
    NodeKind,
    ObservedVolume,
)
from corridors.data.seeds import SeedData
from corridors.data.suggest import did_you_mean
from corridors.errors import InvalidSeed

__all__ = [
    "CAPACITY_FILE",
    "COMMODITIES_FILE",
    "DEMAND_FILE",
    "DEMAND_SCENARIOS_FILE",
    "OBSERVED_VOLUMES_FILE",
    "FlowSeeds",
    "load_flow_seeds",
    "zone_countries",
]

DEMAND_FILE = "demand/base.yaml"
DEMAND_SCENARIOS_FILE = "demand/scenarios.yaml"
COMMODITIES_FILE = "demand/commodities.yaml"
OBSERVED_VOLUMES_FILE = "demand/observed_volumes.yaml"
CAPACITY_FILE = "capacity.yaml"


@dataclass(frozen=True)
class FlowSeeds:
    """The validated freight-flow seeds.

    Attributes
    ----------
    commodities
        Commodity groups by id, each with its route-choice scale.
    demand
        Base-year demand cells, in file order.
    scenarios
        Demand scenarios by id.
    capacity
        Volume-delay functions and capacity elements.
    observed
        Published volumes, in file order.
    """

    commodities: dict[Commodity, CommodityGroup]
    demand: list[DemandCell]
    scenarios: dict[str, DemandScenario]
    capacity: CapacityFile
    observed: list[ObservedVolume]


def zone_countries(seeds: SeedData) -> dict[str, str]:
    """Return the country of every zone a demand cell may name: places and transport nodes.

    Parameters
    ----------
    seeds
        Validated seeds.

    Returns
    -------
    dict
        Zone id to ISO2 country; places with members, then transport nodes.
    """
    zones = {p.id: p.country for p in seeds.places.values() if p.members}
    for node in seeds.nodes.values():
        if node.kind is not NodeKind.POI:
            zones.setdefault(node.id, node.country)
    return zones


def _known(  # noqa: PLR0917
    problems: Problems,
    file: str,
    where: str,
    value: str,
    choices: Iterable[str],
    what: str,
    fix: str,
) -> bool:
    choices = list(choices)
    if value in choices:
        return True
    hint = did_you_mean(value, choices)
    problems.add(file, where, f"unknown {what} '{value}'", f"{hint + '; ' if hint else ''}{fix}")
    return False


def _check_cells(
    cells: Iterable[DemandCell], file: str, where: str, seeds: SeedData, problems: Problems
) -> None:
    zones = zone_countries(seeds)
    fix = "name a place of places.yaml (with members) or a transport node of nodes.csv"
    for cell in cells:
        at = f"{where}cell '{cell.id}'"
        for key in ("origin", "destination"):
            _known(problems, file, f"{at}, key '{key}'", getattr(cell, key), zones, "zone", fix)
        _known(problems, file, f"{at}, key 'source'", cell.source, seeds.sources, "source", _SOURCE)


_SOURCE = "add it to sources.yaml, or write 'source: assumption' with a note"


def load_flow_seeds(seeds: SeedData) -> FlowSeeds:
    """Read and validate the freight-flow seeds of a seeds folder.

    Parameters
    ----------
    seeds
        The validated seeds the flow files refer to (zones, links, nodes, sources).

    Returns
    -------
    FlowSeeds
        The validated records.

    Raises
    ------
    InvalidSeed
        With every problem found, each naming the file, the entry and key, and the fix.
    """
    problems = Problems()
    root = seeds.root

    def from_list(name: str, model: type, noun: str) -> list:  # type: ignore[type-arg]
        rows = read_yaml_list(root, name, problems, entries_required=True)
        return validate_rows(rows or [], model, name, describe_yaml(noun), problems)

    groups = from_list(COMMODITIES_FILE, CommodityGroup, "commodity")
    commodities: dict[Commodity, CommodityGroup] = {g.id: g for g in groups}
    if groups or COMMODITIES_FILE not in problems.unusable:
        for commodity in Commodity:
            if commodity not in commodities and COMMODITIES_FILE not in problems.unusable:
                problems.add(
                    COMMODITIES_FILE,
                    "",
                    f"commodity '{commodity.value}' has no entry",
                    "add its name, logit_scale_per_usd and source",
                )
    for group in groups:
        _known(
            problems,
            COMMODITIES_FILE,
            f"commodity '{group.id.value}', key 'source'",
            group.source,
            seeds.sources,
            "source",
            _SOURCE,
        )

    cells: list[DemandCell] = from_list(DEMAND_FILE, DemandCell, "cell")
    demand = list(unique(cells, attrgetter("id"), DEMAND_FILE, problems).values())
    _check_cells(demand, DEMAND_FILE, "", seeds, problems)

    scenario_rows: list[DemandScenario] = from_list(
        DEMAND_SCENARIOS_FILE, DemandScenario, "scenario"
    )
    scenarios = unique(scenario_rows, attrgetter("id"), DEMAND_SCENARIOS_FILE, problems)
    _check_scenarios(scenarios, demand, seeds, problems)
    capacity = _load_capacity(seeds, problems)
    observed_rows: list[ObservedVolume] = from_list(OBSERVED_VOLUMES_FILE, ObservedVolume, "volume")
    observed = list(
        unique(observed_rows, attrgetter("id"), OBSERVED_VOLUMES_FILE, problems).values()
    )
    element_ids = [e.id for e in capacity.elements] if capacity is not None else None
    for volume in observed:
        at = f"volume '{volume.id}'"
        _known(
            problems,
            OBSERVED_VOLUMES_FILE,
            f"{at}, key 'source'",
            volume.source,
            seeds.sources,
            "source",
            _SOURCE,
        )
        if element_ids is None:
            continue
        for element in volume.elements:
            _known(
                problems,
                OBSERVED_VOLUMES_FILE,
                f"{at}, key 'elements'",
                element,
                element_ids,
                "capacity element",
                f"name an element id of {CAPACITY_FILE}",
            )
    if problems.items or capacity is None:
        raise InvalidSeed(problems.items)
    return FlowSeeds(commodities, demand, scenarios, capacity, observed)


def _load_capacity(seeds: SeedData, problems: Problems) -> CapacityFile | None:
    data = read_yaml_mapping(seeds.root, CAPACITY_FILE, problems)
    if data is None:
        return None
    records = validate_rows([data], CapacityFile, CAPACITY_FILE, describe_yaml(""), problems)
    if not records:
        return None
    capacity = records[0]
    links = set(seeds.links)
    for scenario in seeds.scenarios.values():
        links.update(link.id for link in scenario.changes.add_links)
    ports = [n.id for n in seeds.nodes.values() if n.kind is NodeKind.SEAPORT]
    unique(capacity.elements, attrgetter("id"), CAPACITY_FILE, problems)
    for delay in capacity.volume_delay.values():
        _known(
            problems, CAPACITY_FILE, "volume_delay", delay.source, seeds.sources, "source", _SOURCE
        )
    for element in capacity.elements:
        at = f"element '{element.id}'"
        _known(
            problems,
            CAPACITY_FILE,
            f"{at}, key 'source'",
            element.source,
            seeds.sources,
            "source",
            _SOURCE,
        )
        for link in element.links:
            if not _known(
                problems,
                CAPACITY_FILE,
                f"{at}, key 'links'",
                link,
                sorted(links),
                "link",
                "name a link of links.yaml or one a scenario adds",
            ):
                continue
            record = seeds.links.get(link)
            if record is None or element.kind is not CapacityKind.CROSSING:
                continue
            if seeds.nodes[record.from_].country == seeds.nodes[record.to].country:
                problems.add(
                    CAPACITY_FILE,
                    f"{at}, key 'links'",
                    f"link '{link}' does not cross a border",
                    "give a link whose ends lie in two countries, or use kind: link",
                )
        if element.node is not None:
            _known(
                problems,
                CAPACITY_FILE,
                f"{at}, key 'node'",
                element.node,
                ports,
                "seaport",
                "name a seaport node of nodes.csv",
            )
    return capacity


def _check_scenarios(
    scenarios: dict[str, DemandScenario],
    demand: list[DemandCell],
    seeds: SeedData,
    problems: Problems,
) -> None:
    countries = {node.country for node in seeds.nodes.values()}
    for scenario in scenarios.values():
        at = f"scenario '{scenario.id}', "
        _check_cells(scenario.add, DEMAND_SCENARIOS_FILE, at, seeds, problems)
        taken = {cell.id for cell in demand}
        for cell in scenario.add:
            if cell.id in taken:
                problems.add(
                    DEMAND_SCENARIOS_FILE,
                    f"{at}cell '{cell.id}'",
                    "id already used by a base-year cell",
                    "give the added cell its own id",
                )
        for number, rule in enumerate(scenario.rules, start=1):
            where = f"{at}rule {number}"
            _known(
                problems,
                DEMAND_SCENARIOS_FILE,
                f"{where}, key 'source'",
                rule.source,
                seeds.sources,
                "source",
                _SOURCE,
            )
            for country in [*rule.between, *rule.countries]:
                _known(
                    problems,
                    DEMAND_SCENARIOS_FILE,
                    where,
                    country,
                    sorted(countries),
                    "country",
                    "use the ISO2 code of a country in nodes.csv",
                )
