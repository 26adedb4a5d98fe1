"""Freight demand: base-year cells and growth scenarios, as one table of tonnes a year.

A demand scenario scales the base-year cells by its growth rules (a rule matches a commodity
and the countries of the cell's ends) and adds cells of its own. Zones are places of
``places.yaml`` (routed from any member) or transport nodes.
"""

from __future__ import annotations

import pandas as pd

from corridors.data.flow_seeds import DEMAND_SCENARIOS_FILE, FlowSeeds, zone_countries
from corridors.data.schema import DemandCell, GrowthRule
from corridors.data.seeds import SeedData
from corridors.data.suggest import did_you_mean
from corridors.errors import InvalidArgument

__all__ = ["BASE_DEMAND", "DEMAND_COLUMNS", "demand_table", "zone_members"]

#: The name of the base-year demand (no growth rules).
BASE_DEMAND = "base"

#: Columns of a demand table.
DEMAND_COLUMNS = ["id", "origin", "destination", "commodity", "t_per_year", "source", "factor"]


def _matches(rule: GrowthRule, commodity: str, countries: tuple[str, str]) -> bool:
    if rule.commodity is not None and rule.commodity.value != commodity:
        return False
    if rule.between and sorted(countries) != sorted(rule.between):
        return False
    return not (rule.countries and not set(countries) & set(rule.countries))


def demand_table(
    seeds: SeedData, flow_seeds: FlowSeeds, scenario: str = BASE_DEMAND
) -> pd.DataFrame:
    """Return the demand of a scenario: one row per cell, tonnes a year.

    Parameters
    ----------
    seeds
        Validated seeds (for the zones' countries).
    flow_seeds
        Validated flow seeds.
    scenario
        ``base`` or a scenario id of ``seeds/demand/scenarios.yaml``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`DEMAND_COLUMNS`; ``factor`` is the product of the growth rules applied.

    Raises
    ------
    InvalidArgument
        For an unknown scenario (with a did-you-mean).

    Examples
    --------
    >>> from corridors.data.seeds import load_seeds
    >>> from corridors.data.flow_seeds import load_flow_seeds
    >>> seeds = load_seeds()
    >>> table = demand_table(seeds, load_flow_seeds(seeds))
    >>> bool((table["t_per_year"] > 0).all())
    True
    """
    cells: list[DemandCell] = list(flow_seeds.demand)
    rules: list[GrowthRule] = []
    if scenario != BASE_DEMAND:
        found = flow_seeds.scenarios.get(scenario)
        if found is None:
            names = [BASE_DEMAND, *flow_seeds.scenarios]
            hint = did_you_mean(scenario, names)
            message = (
                f"unknown demand scenario '{scenario}'"
                + (f"; {hint}" if hint else "")
                + f" (in {DEMAND_SCENARIOS_FILE}: {', '.join(names)})"
            )
            raise InvalidArgument(message)
        rules = list(found.rules)
        cells.extend(found.add)
    country = zone_countries(seeds)
    rows = []
    for cell in cells:
        ends = (country[cell.origin], country[cell.destination])
        factor = 1.0
        for rule in rules:
            if _matches(rule, cell.commodity.value, ends):
                factor *= rule.factor
        rows.append(
            (
                cell.id,
                cell.origin,
                cell.destination,
                cell.commodity.value,
                cell.t_per_year * factor,
                cell.source,
                factor,
            )
        )
    return pd.DataFrame(rows, columns=DEMAND_COLUMNS)


def zone_members(seeds: SeedData, zone: str) -> list[str]:
    """Return the transport nodes a zone's demand may start or end at.

    Parameters
    ----------
    seeds
        Validated seeds.
    zone
        A place id of ``places.yaml`` (its members) or a node id (itself).

    Returns
    -------
    list of str
        Node ids.
    """
    group = seeds.places.get(zone)
    if group is not None and group.members:
        return list(group.members)
    return [zone]
