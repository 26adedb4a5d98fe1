"""Tables of assigned flows: per link and direction, per capacity element, and comparisons."""

from __future__ import annotations

import numpy as np
import pandas as pd

from corridors.analysis.flows.assignment import FlowResult
from corridors.routing.graph import EdgeKind

__all__ = ["compare_flows", "element_flows", "link_flows", "link_origins"]


def link_flows(result: FlowResult) -> pd.DataFrame:
    """Return the flow on every link that carries any, by direction and commodity.

    Parameters
    ----------
    result
        An assignment.

    Returns
    -------
    pandas.DataFrame
        Indexed by link id: ``name``, ``mode``, ``from``, ``to``, ``forward_t``,
        ``reverse_t``, ``total_t``, one ``t_<commodity>`` column per commodity, ``delay_h``
        (the largest congestion delay of its edges), sorted by ``total_t`` descending.
    """
    graph = result.graph
    edges = graph.edges
    count = graph.edge_count
    is_link = edges["kind"] == EdgeKind.LINK
    link = edges["link"][is_link]
    flow = result.edge_flow[:count][is_link]
    forward = edges["forward"][is_link]
    size = len(graph.link_ids)
    total = flow.sum(axis=1)
    frame = pd.DataFrame(index=pd.Index(graph.link_ids, name="link"))
    frame["name"] = graph.links["name"].to_numpy()
    frame["mode"] = graph.links["mode"].to_numpy()
    frame["from"] = graph.links["from"].to_numpy()
    frame["to"] = graph.links["to"].to_numpy()
    frame["forward_t"] = np.bincount(link, weights=total * forward, minlength=size)
    frame["reverse_t"] = np.bincount(link, weights=total * ~forward, minlength=size)
    frame["total_t"] = frame["forward_t"] + frame["reverse_t"]
    for i, commodity in enumerate(result.commodities):
        frame[f"t_{commodity}"] = np.bincount(link, weights=flow[:, i], minlength=size)
    delay = np.zeros(size)
    np.maximum.at(delay, link, result.edge_delay_h[is_link])
    frame["delay_h"] = delay
    carried = frame[frame["total_t"] > 0.5]
    return carried.sort_values("total_t", ascending=False)


def link_origins(result: FlowResult, top: int = 5) -> dict[str, list[tuple[str, float]]]:
    """Return the origin zones sending the most tonnes over each link.

    Parameters
    ----------
    result
        An assignment.
    top
        How many origins per link.

    Returns
    -------
    dict
        Link id to ``(zone, tonnes a year)`` pairs, largest first.
    """
    graph = result.graph
    edges = graph.edges
    is_link = np.flatnonzero(edges["kind"] == EdgeKind.LINK)
    by_origin = result.edge_by_origin[is_link].toarray()
    links = edges["link"][is_link]
    size = len(graph.link_ids)
    per_link = np.zeros((size, len(result.zones)))
    np.add.at(per_link, links, by_origin)
    out: dict[str, list[tuple[str, float]]] = {}
    for position in np.flatnonzero(per_link.sum(axis=1) > 0.5):
        row = per_link[position]
        order = np.argsort(row)[::-1][:top]
        out[graph.link_ids[position]] = [
            (result.zones[i], float(row[i])) for i in order if row[i] > 0.5
        ]
    return out


def element_flows(result: FlowResult) -> pd.DataFrame:
    """Return the volume, capacity, utilisation and delay of every capacity element.

    Parameters
    ----------
    result
        An assignment.

    Returns
    -------
    pandas.DataFrame
        One row per element (link elements one per link): ``id``, ``kind``, ``name``, ``link``,
        ``node``, ``volume_t``, ``capacity_t``, ``utilisation``, ``delay_factor`` (delay over
        free time), ``alpha`` and ``beta`` of its function, ``source``; the most used first.
    """
    model = result.capacity
    flow = result.graph_edge_flow
    frame = model.elements.copy()
    frame["volume_t"] = model.volumes(flow)
    frame["utilisation"] = frame["volume_t"] / frame["capacity_t"]
    frame["delay_factor"] = model.element_delay_h(flow)
    columns = ["id", "kind", "name", "link", "node", "volume_t", "capacity_t", "utilisation"]
    ordered = frame[[*columns, "delay_factor", "alpha", "beta", "source"]]
    return ordered.sort_values("utilisation", ascending=False).reset_index(drop=True)


def compare_flows(base: FlowResult, other: FlowResult, top: int = 10) -> dict[str, pd.DataFrame]:
    """Compare the flows of two scenarios: what moves where, and which pairs move.

    Parameters
    ----------
    base, other
        Assignments of the same demand in two scenarios.
    top
        Rows kept in each table.

    Returns
    -------
    dict
        ``links``: the links whose flow changes most (``base_t``, ``other_t``, ``change_t``);
        ``gained``: the links that gain most (new lines first); ``lost``: the links that lose
        most (the routes traffic comes from); ``elements``: crossings and ports by change.
    """
    left = link_flows(base)
    right = link_flows(other)
    names = pd.concat([right[["name", "mode"]], left[["name", "mode"]]])
    names = names[~names.index.duplicated()]
    links = names.assign(
        base_t=left["total_t"].reindex(names.index).fillna(0.0),
        other_t=right["total_t"].reindex(names.index).fillna(0.0),
    )
    links["change_t"] = links["other_t"] - links["base_t"]
    moved = links.reindex(links["change_t"].abs().sort_values(ascending=False).index)
    a = (
        element_flows(base)
        .groupby("id")
        .agg(name=("name", "first"), kind=("kind", "first"), volume_t_base=("volume_t", "max"))
    )
    b = element_flows(other).groupby("id").agg(volume_t_other=("volume_t", "max"))
    elements = a.join(b, how="inner")
    elements["change_t"] = elements["volume_t_other"] - elements["volume_t_base"]
    elements = elements.reindex(elements["change_t"].abs().sort_values(ascending=False).index)
    return {
        "links": moved.head(top),
        "gained": links.sort_values("change_t", ascending=False).head(top),
        "lost": links.sort_values("change_t").head(top),
        "elements": elements.head(top),
    }
