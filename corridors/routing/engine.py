"""Shortest-path trees and depth-first orders on a compressed sparse graph.

Graphs of more than :data:`SMALL_GRAPH_EDGES` edges are searched with SciPy's
``scipy.sparse.csgraph`` (Dijkstra with a Fibonacci heap, compiled). Smaller graphs, such as the
expanded graph of the model's own network (under a thousand edges), are searched by Dijkstra's
algorithm on the standard library's binary heap: importing SciPy's graph routines costs about
0.3 s, a hundred times one search on such a graph, and a one-off command-line route should not
pay it. Both engines follow the same rules, so they return the same trees:

- a vertex's predecessor is set when its distance strictly improves, so among equal paths the
  first found is kept;
- unreached vertices have distance ``inf`` and predecessor :data:`NO_PREDECESSOR`, as SciPy's;
- a depth-first order visits the children of a vertex in increasing index.

The agreement is tested on random graphs, and on the model's network for every query the test
suite routes.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = [
    "NO_PREDECESSOR",
    "SMALL_GRAPH_EDGES",
    "SparseGraph",
    "depth_first_order",
    "distances",
    "shortest_tree",
]

#: Graphs with at most this many edges are searched without SciPy.
SMALL_GRAPH_EDGES = 10_000

#: The predecessor of a root and of unreached vertices (SciPy's value).
NO_PREDECESSOR = -9999


@dataclass(frozen=True)
class SparseGraph:
    """A directed graph in compressed sparse row form.

    Attributes
    ----------
    indptr
        Row pointers (``size + 1``): the edges leaving vertex ``v`` are
        ``indptr[v]:indptr[v + 1]``.
    indices
        The target of each edge, increasing within a row.
    data
        The weight of each edge (positive).
    size
        The number of vertices.
    """

    indptr: NDArray[np.int64]
    indices: NDArray[np.int64]
    data: NDArray[np.float64]
    size: int
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def edge_count(self) -> int:
        """The number of edges."""
        return int(self.indices.size)

    @property
    def small(self) -> bool:
        """Whether the graph is searched without SciPy (see :data:`SMALL_GRAPH_EDGES`)."""
        return self.edge_count <= SMALL_GRAPH_EDGES

    def transposed(self) -> SparseGraph:
        """Return the graph with every edge reversed (built once).

        Returns
        -------
        SparseGraph
            Rows sorted by target, then source, as ``transpose().tocsr()`` sorts them.
        """
        found = self._cache.get("transposed")
        if found is None:
            sources = np.repeat(np.arange(self.size, dtype=np.int64), np.diff(self.indptr))
            order = np.lexsort((sources, self.indices))
            indptr = np.zeros(self.size + 1, dtype=np.int64)
            np.cumsum(np.bincount(self.indices, minlength=self.size), out=indptr[1:])
            found = SparseGraph(indptr, sources[order], self.data[order], self.size)
            self._cache["transposed"] = found
        return found

    def scipy(self) -> csr_matrix:
        """Return the graph as a SciPy CSR matrix (built once; imports SciPy).

        Returns
        -------
        scipy.sparse.csr_matrix
            ``size`` by ``size``, the weights as values.
        """
        found = self._cache.get("scipy")
        if found is None:
            from scipy.sparse import csr_matrix  # noqa: PLC0415

            found = csr_matrix((self.data, self.indices, self.indptr), shape=(self.size,) * 2)
            self._cache["scipy"] = found
        return found

    def _lists(self) -> tuple[list[int], list[int], list[float]]:
        """Return the arrays as Python lists, for the heap search (built once)."""
        found = self._cache.get("lists")
        if found is None:
            found = (self.indptr.tolist(), self.indices.tolist(), self.data.tolist())
            self._cache["lists"] = found
        return found


def shortest_tree(graph: SparseGraph, source: int) -> tuple[NDArray[np.float64], NDArray[np.int32]]:
    """Return the distances and predecessors of the shortest-path tree from one vertex.

    Parameters
    ----------
    graph
        The graph.
    source
        The root.

    Returns
    -------
    tuple of numpy.ndarray
        ``dist`` (``inf`` where unreached) and ``pred`` (:data:`NO_PREDECESSOR` at the root
        and where unreached), as :func:`scipy.sparse.csgraph.dijkstra` returns them.
    """
    if not graph.small:
        from scipy.sparse.csgraph import dijkstra  # noqa: PLC0415

        dist, pred = dijkstra(
            graph.scipy(), directed=True, indices=source, return_predecessors=True
        )
        return dist, pred
    dist_list, pred_list = _heap_tree(graph, source)
    return np.asarray(dist_list, dtype=np.float64), np.asarray(pred_list, dtype=np.int32)


def distances(graph: SparseGraph, sources: list[int]) -> NDArray[np.float64]:
    """Return the shortest distances from each of several vertices to every vertex.

    Parameters
    ----------
    graph
        The graph.
    sources
        The vertices searched from.

    Returns
    -------
    numpy.ndarray
        ``len(sources)`` by ``size``; ``inf`` where unreached.
    """
    if not graph.small:
        from scipy.sparse.csgraph import dijkstra  # noqa: PLC0415

        return np.atleast_2d(dijkstra(graph.scipy(), directed=True, indices=sources))
    rows = [_heap_tree(graph, source)[0] for source in sources]
    return np.asarray(rows, dtype=np.float64).reshape(len(sources), graph.size)


def _heap_tree(graph: SparseGraph, source: int) -> tuple[list[float], list[int]]:
    """Dijkstra's algorithm on a binary heap; the first of equal paths found is kept."""
    indptr, indices, data = graph._lists()
    dist = [math.inf] * graph.size
    pred = [NO_PREDECESSOR] * graph.size
    done = bytearray(graph.size)
    dist[source] = 0.0
    heap = [(0.0, source)]
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        reached, vertex = pop(heap)
        if done[vertex]:
            continue
        done[vertex] = 1
        for position in range(indptr[vertex], indptr[vertex + 1]):
            target = indices[position]
            if done[target]:
                continue
            candidate = reached + data[position]
            if candidate < dist[target]:
                dist[target] = candidate
                pred[target] = vertex
                push(heap, (candidate, target))
    return dist, pred


def depth_first_order(pred: NDArray[np.int32], root: int) -> NDArray[np.int32]:
    """Return the vertices of a shortest-path tree in depth-first order from its root.

    Parameters
    ----------
    pred
        The tree's predecessor array (:func:`shortest_tree`).
    root
        Its root.

    Returns
    -------
    numpy.ndarray
        The reached vertices, root first; children in increasing index, as
        :func:`scipy.sparse.csgraph.depth_first_order` visits them.
    """
    size = int(pred.size)
    children = np.flatnonzero(pred >= 0)
    parents = pred[children].astype(np.int64)
    if children.size > SMALL_GRAPH_EDGES:
        from scipy.sparse import csr_matrix  # noqa: PLC0415
        from scipy.sparse.csgraph import depth_first_order as scipy_order  # noqa: PLC0415

        tree = csr_matrix(
            (np.ones(children.size, dtype=np.int8), (parents, children)), shape=(size, size)
        )
        order: NDArray[np.int32] = scipy_order(tree, root, directed=True, return_predecessors=False)
        return order
    by_parent = np.lexsort((children, parents))
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(parents, minlength=size), out=indptr[1:])
    kids = children[by_parent].tolist()
    starts = indptr.tolist()
    visited = [root]
    stack = [(root, starts[root])]
    while stack:
        vertex, position = stack[-1]
        if position < starts[vertex + 1]:
            stack[-1] = (vertex, position + 1)
            child = kids[position]
            visited.append(child)
            stack.append((child, starts[child]))
        else:
            stack.pop()
    return np.asarray(visited, dtype=np.int32)
