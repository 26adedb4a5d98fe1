"""Scenarios: a base plus changes, applied to the network.

A scenario opens or closes links, changes statuses and gauges, adds links with waypoints, opens
every link due by a year, and overrides speeds, tariffs, transfers, border steps or the value of
time. Only links whose status is ``operational`` after the changes are routable by default.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from dataclasses import dataclass, field

import pandas as pd

from corridors.data.schema import AlignmentPoint, Link, Parameters, Scenario, Status
from corridors.data.seeds import SCENARIOS_DIR, SeedData
from corridors.data.suggest import did_you_mean
from corridors.errors import InvalidArgument, UnknownScenario
from corridors.network.build import Network, build_network

__all__ = [
    "BASE_SCENARIO",
    "LinkChange",
    "ScenarioNetwork",
    "apply_scenario",
    "scenario_chain",
]

#: The scenario routes are computed in unless another is named.
BASE_SCENARIO = "current"

#: How many applied scenarios are kept (memoised on the seeds' content and the name).
APPLIED_CACHE_SIZE = 32

_APPLIED: OrderedDict[tuple[str, str], ScenarioNetwork] = OrderedDict()


@dataclass(frozen=True)
class LinkChange:
    """One change a scenario makes to a link, against the seeds."""

    link_id: str
    change: str
    before: str
    after: str


@dataclass(frozen=True)
class ScenarioNetwork:
    """The network as a scenario sees it.

    Attributes
    ----------
    name
        The scenario's name.
    scenario
        The scenario record (None for the plain seeds).
    network
        Nodes and links; ``links["status"]`` is the status in this scenario and
        ``links["seed_status"]`` the status in ``seeds/links.yaml``.
    parameters
        Parameters with the scenario's overrides applied (later entries win).
    changes
        Every change against the seeds, in the order applied.
    base
        The network built from the seeds, without the scenario.
    """

    name: str
    scenario: Scenario | None
    network: Network
    parameters: Parameters
    changes: tuple[LinkChange, ...]
    base: Network = field(repr=False, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        """What identifies this scenario network: the seeds' content key and the name.

        A scenario network made by hand (no scenario record) is also told apart by identity.
        """
        if self.scenario is None:
            return (self.base.seeds.content_key, f"{self.name}#{id(self.network)}")
        return (self.base.seeds.content_key, self.name)

    @property
    def routable_links(self) -> pd.Index:
        """Ids of the links that are operational in this scenario."""
        links = self.network.links
        routable: pd.Index = links.index[links["status"] == Status.OPERATIONAL.value]
        return routable


def scenario_chain(seeds: SeedData, name: str) -> list[Scenario]:
    """Return a scenario and its bases, root first.

    Parameters
    ----------
    seeds
        Validated seeds.
    name
        The scenario's name.

    Returns
    -------
    list of Scenario
        From the root base down to ``name``.

    Raises
    ------
    UnknownScenario
        When no scenario has that name.
    """
    if name not in seeds.scenarios:
        hint = did_you_mean(name, seeds.scenarios)
        known = ", ".join(sorted(seeds.scenarios))
        message = (
            f"unknown scenario '{name}'"
            + (f"; {hint}" if hint else "")
            + f" (scenarios in {SCENARIOS_DIR}/: {known})"
        )
        raise UnknownScenario(message)
    chain: list[Scenario] = []
    current: str | None = name
    while current is not None:
        scenario = seeds.scenarios[current]
        chain.append(scenario)
        current = scenario.base
    return list(reversed(chain))


def _with_added_links(seeds: SeedData, chain: list[Scenario]) -> SeedData:
    added = [link for scenario in chain for link in scenario.changes.add_links]
    if not added:
        return seeds
    links = dict(seeds.links)
    alignments = dict(seeds.alignments)
    for new in added:
        fields = new.model_dump(by_alias=True, exclude={"waypoints"})
        links[new.id] = Link.model_validate(fields)
        alignments[new.id] = [
            AlignmentPoint(link=new.id, seq=i, lat=lat, lon=lon, source=new.sources[0])
            for i, (lat, lon) in enumerate(new.waypoints, start=1)
        ]
    return dataclasses.replace(seeds, links=links, alignments=alignments)


def _merged_parameters(base: Parameters, chain: list[Scenario]) -> Parameters:
    parameters = base
    for scenario in chain:
        changes = scenario.changes
        update: dict[str, object] = {}
        if changes.speeds:
            update["speeds"] = [*parameters.speeds, *changes.speeds]
        if changes.tariffs:
            update["tariffs"] = [*parameters.tariffs, *changes.tariffs]
        if changes.transfers:
            update["transfers"] = [*parameters.transfers, *changes.transfers]
        if changes.border_sides:
            update["border_sides"] = [*parameters.border_sides, *changes.border_sides]
        if changes.border_crossings:
            update["border_crossings"] = [*parameters.border_crossings, *changes.border_crossings]
        if changes.value_of_time_usd_per_t_h is not None:
            update["value_of_time_usd_per_t_h"] = parameters.value_of_time_usd_per_t_h.model_copy(
                update={
                    "value": changes.value_of_time_usd_per_t_h,
                    "source": "assumption",
                    "note": f"set by scenario '{scenario.name}'",
                }
            )
        if update:
            parameters = parameters.model_copy(update=update)
    return parameters


def _apply_changes(links: pd.DataFrame, chain: list[Scenario]) -> list[LinkChange]:
    log: list[LinkChange] = []

    def set_status(link_id: str, status: str, change: str) -> None:
        before = str(links.at[link_id, "status"])
        if before != status:
            links.at[link_id, "status"] = status
            log.append(LinkChange(link_id, change, before, status))

    operational = Status.OPERATIONAL.value
    for scenario in chain:
        changes = scenario.changes
        for new in changes.add_links:
            log.append(LinkChange(new.id, "added", "", new.status.value))
        if scenario.year is not None:
            due = links["year"].notna() & (links["year"].astype("float64") <= scenario.year)
            for link_id in links.index[due]:
                set_status(link_id, operational, f"opened by year {scenario.year}")
        for status in changes.open_statuses:
            for link_id in links.index[links["seed_status"] == status.value]:
                set_status(link_id, operational, f"opened ({status.value})")
        for link_id in changes.open:
            set_status(link_id, operational, "opened")
        for link_id, status in changes.set_status.items():
            set_status(link_id, status.value, "status set")
        for link_id in changes.close:
            set_status(link_id, "closed", "closed")
        for link_id, gauge in changes.set_gauge.items():
            before = links.loc[link_id, "gauge_mm"]
            links.loc[link_id, "gauge_mm"] = gauge
            shown = "" if before is None or before is pd.NA else str(before)
            log.append(LinkChange(link_id, "gauge set", shown, str(gauge)))
    return log


def apply_scenario(network: Network, name: str = BASE_SCENARIO) -> ScenarioNetwork:
    """Apply a scenario (and its bases) to a network.

    Parameters
    ----------
    network
        The network built from seeds.
    name
        A scenario in ``seeds/scenarios/``.

    Returns
    -------
    ScenarioNetwork
        The network with the scenario's statuses, gauges, added links and parameters. It is
        applied once per seeds content and name, and the same object is returned after that;
        treat it (and the network) as read-only.

    Raises
    ------
    UnknownScenario
        When no scenario has that name (the message lists the known ones).

    Examples
    --------
    >>> from corridors import load_network
    >>> today = apply_scenario(load_network(), "current")
    >>> "af_herat_kandahar_rail" in today.routable_links
    False
    """
    seeds = network.seeds
    key = (seeds.content_key, name)
    known = _APPLIED.get(key)
    if known is not None:
        _APPLIED.move_to_end(key)
        return known
    chain = scenario_chain(seeds, name)
    if seeds.parameters is None:  # pragma: no cover - load_seeds requires parameters.yaml
        message = "seeds have no parameters.yaml"
        raise InvalidArgument(message)
    extended = _with_added_links(seeds, chain)
    built = network if extended is seeds else build_network(extended)
    links = built.links.copy()
    links["seed_status"] = links["status"]
    log = _apply_changes(links, chain)
    scenario_network = Network(seeds=extended, nodes=built.nodes, links=links)
    applied = ScenarioNetwork(
        name=name,
        scenario=chain[-1],
        network=scenario_network,
        parameters=_merged_parameters(seeds.parameters, chain),
        changes=tuple(log),
        base=network,
    )
    _APPLIED[key] = applied
    while len(_APPLIED) > APPLIED_CACHE_SIZE:
        _APPLIED.popitem(last=False)
    return applied
