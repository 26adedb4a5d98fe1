"""Base-year flows against published volumes: the weighted absolute percentage error."""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridors.analysis.flows.assignment import FlowResult
from corridors.data.schema import ObservedVolume

__all__ = ["calibration_table", "wape"]


def wape(modelled: pd.Series, observed: pd.Series) -> float:
    """Return the weighted absolute percentage error, ``sum |m - o| / sum o`` (a fraction).

    Parameters
    ----------
    modelled, observed
        Values, aligned.

    Returns
    -------
    float
        NaN when nothing was observed.

    Examples
    --------
    >>> wape(pd.Series([90.0, 30.0]), pd.Series([100.0, 20.0]))
    0.16666666666666666
    """
    total = float(observed.sum())
    if total <= 0:
        return float("nan")
    return float((modelled - observed).abs().sum()) / total


def calibration_table(result: FlowResult, observed: list[ObservedVolume]) -> pd.DataFrame:
    """Compare modelled volumes with published ones, element by element.

    Parameters
    ----------
    result
        The base-year assignment.
    observed
        Published volumes (``seeds/demand/observed_volumes.yaml``).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``, ``commodity``, ``year``, ``observed_t``, ``modelled_t``,
        ``error_pct`` and ``source``; volumes naming no element of the scenario are left out.
    """
    model = result.capacity
    elements = model.elements
    commodity_index = {c: i for i, c in enumerate(result.commodities)}
    per_commodity = result.edge_flow[: result.graph.edge_count]
    rows = []
    for volume in observed:
        chosen = np.flatnonzero(elements["id"].isin(volume.elements).to_numpy())
        if not chosen.size:
            continue
        if volume.commodity is None:
            flow = per_commodity.sum(axis=1)
        elif volume.commodity.value in commodity_index:
            flow = per_commodity[:, commodity_index[volume.commodity.value]]
        else:
            flow = np.zeros(per_commodity.shape[0])
        covered = np.asarray(model.incidence[chosen].sum(axis=0)).ravel()
        modelled = float(covered @ flow)
        rows.append(
            {
                "id": volume.id,
                "name": volume.name,
                "commodity": volume.commodity.value if volume.commodity else "all",
                "year": volume.year,
                "observed_t": volume.t_per_year,
                "modelled_t": modelled,
                "error_pct": 100 * (modelled - volume.t_per_year) / volume.t_per_year,
                "source": volume.source,
            }
        )
    columns = ["id", "name", "commodity", "year", "observed_t", "modelled_t", "error_pct", "source"]
    return pd.DataFrame(rows, columns=columns)
