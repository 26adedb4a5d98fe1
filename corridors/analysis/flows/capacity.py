"""Capacities and volume-delay functions on the expanded routing graph.

Each capacity element covers edges of the :class:`~corridors.routing.graph.RoutingGraph`: a link
element each listed link (a section each; its running time is the free time), a crossing element
the listed crossing links together (the border dwell of each direction is the free time), a port
element the sea links that call at the port (its reference dwell is the free time). The delay an
edge carries is the sum over its elements of ``t0 * alpha * (v / c) ** beta``: a BPR-type function
whose free part is already in the edge's time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import sparse

from corridors.data.schema import CapacityFile, CapacityKind, Mode
from corridors.routing.graph import EdgeKind, RoutingGraph

__all__ = ["CapacityModel", "capacity_model"]


@dataclass(frozen=True)
class CapacityModel:
    """Capacity elements mapped onto the edges of a routing graph.

    Attributes
    ----------
    elements
        One row per element (a link element gives one row per listed link): ``id``, ``kind``,
        ``name``, ``link`` (for link rows), ``capacity_t``, ``alpha``, ``beta``, ``source``.
    incidence
        Elements x edges: 1 where an edge's flow counts toward an element's volume.
    free_time_h
        Elements x edges: the free time an element's delay scales on each edge it covers.
    """

    elements: pd.DataFrame
    incidence: sparse.csr_matrix
    free_time_h: sparse.csr_matrix

    def volumes(self, edge_flow: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return each element's volume (tonnes a year) for edge flows.

        Parameters
        ----------
        edge_flow
            Tonnes a year on every edge of the graph.

        Returns
        -------
        numpy.ndarray
            One volume per element.
        """
        return np.asarray(self.incidence @ edge_flow, dtype=float)

    def utilisation(self, edge_flow: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return each element's volume over its capacity.

        Parameters
        ----------
        edge_flow
            Tonnes a year on every edge.

        Returns
        -------
        numpy.ndarray
            v / c per element.
        """
        capacity = self.elements["capacity_t"].to_numpy(dtype=float)
        return np.asarray(self.volumes(edge_flow) / capacity, dtype=float)

    def element_delay_h(self, edge_flow: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return each element's relative delay factor ``alpha * (v / c) ** beta``.

        Parameters
        ----------
        edge_flow
            Tonnes a year on every edge.

        Returns
        -------
        numpy.ndarray
            The factor the free time is multiplied by to give the delay.
        """
        ratio = self.utilisation(edge_flow)
        alpha = self.elements["alpha"].to_numpy()
        beta = self.elements["beta"].to_numpy()
        return np.asarray(alpha * ratio**beta, dtype=float)

    def edge_delay_h(self, edge_flow: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return the congestion delay (hours) on every edge for edge flows.

        Parameters
        ----------
        edge_flow
            Tonnes a year on every edge.

        Returns
        -------
        numpy.ndarray
            Hours added to each edge's time.
        """
        return np.asarray(self.free_time_h.T @ self.element_delay_h(edge_flow), dtype=float)


def capacity_model(graph: RoutingGraph, capacity: CapacityFile) -> CapacityModel:
    """Map capacity elements onto a routing graph's edges.

    Parameters
    ----------
    graph
        The routing graph of a scenario.
    capacity
        The capacity seeds.

    Returns
    -------
    CapacityModel
        Elements whose links or port are not in the scenario's graph are left out.
    """
    edges = graph.edges
    kind = edges["kind"]
    is_link = kind == EdgeKind.LINK
    link_pos = {link_id: i for i, link_id in enumerate(graph.link_ids)}
    modes = graph.link_modes
    vertex_place = graph.vertex_place
    rows: list[dict[str, object]] = []
    entries: list[tuple[int, int, float]] = []
    for element in capacity.elements:
        delay = capacity.volume_delay[element.kind]
        base = {
            "id": element.id,
            "kind": element.kind.value,
            "name": element.name,
            "capacity_t": element.t_per_year,
            "alpha": delay.alpha,
            "beta": delay.beta,
            "source": element.source,
        }
        if element.kind is CapacityKind.PORT:
            position = graph.place_pos.get(str(element.node))
            if position is None:
                continue
            sea = is_link & np.isin(
                edges["link"], [i for i, m in enumerate(modes) if m == Mode.SEA.value]
            )
            calls = np.flatnonzero(
                sea
                & (
                    (vertex_place[edges["src"]] == position)
                    | (vertex_place[edges["dst"]] == position)
                )
            )
            if not calls.size:
                continue
            row = len(rows)
            rows.append({**base, "link": "", "node": element.node})
            entries.extend((row, int(e), float(element.free_dwell_h or 0.0)) for e in calls)
            continue
        groups = (
            [element.links]
            if element.kind is CapacityKind.CROSSING
            else [[x] for x in element.links]
        )
        for group in groups:
            positions = [link_pos[x] for x in group if x in link_pos]
            if not positions:
                continue
            row = len(rows)
            rows.append({**base, "link": ",".join(group), "node": ""})
            for e in np.flatnonzero(is_link & np.isin(edges["link"], positions)):
                link_id = graph.link_ids[int(edges["link"][e])]
                if element.kind is CapacityKind.CROSSING:
                    mode = str(modes[int(edges["link"][e])])
                    free = graph.border_terms(
                        link_id, mode, forward=bool(edges["forward"][e])
                    ).time_h
                else:
                    free = float(edges["time_h"][e])
                entries.append((row, int(e), free))
    shape = (len(rows), graph.edge_count)
    r = np.array([x[0] for x in entries], dtype=np.int64)
    c = np.array([x[1] for x in entries], dtype=np.int64)
    t = np.array([x[2] for x in entries], dtype=float)
    incidence = sparse.csr_matrix((np.ones(len(entries)), (r, c)), shape=shape)
    free = sparse.csr_matrix((t, (r, c)), shape=shape)
    columns = ["id", "kind", "name", "link", "node", "capacity_t", "alpha", "beta", "source"]
    return CapacityModel(pd.DataFrame(rows, columns=columns), incidence, free)
