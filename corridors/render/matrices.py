"""A route matrix for the terminal: values, and a numbered note for every cell without one."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.table import Table

from corridors.render.escape import rich_text
from corridors.render.format import number

if TYPE_CHECKING:
    from corridors.routing.results import RouteMatrix

__all__ = ["matrix_notes", "matrix_table"]


def _numbers(route_matrix: RouteMatrix) -> dict[str, int]:
    """Return a number for every distinct reason of a cell without a route, in reading order."""
    numbers: dict[str, int] = {}
    for reason in route_matrix.reasons.to_numpy().ravel():
        if reason and reason != "same place":
            numbers.setdefault(str(reason), len(numbers) + 1)
    return numbers


def matrix_notes(route_matrix: RouteMatrix) -> list[str]:
    """Return the numbered reasons of :func:`matrix_table`, one line each.

    Parameters
    ----------
    route_matrix
        The answer of :func:`corridors.matrix`.

    Returns
    -------
    list of str
        ``[n] reason``, in the order the table numbers them.
    """
    return [f"[{number}] {reason}" for reason, number in _numbers(route_matrix).items()]


def matrix_table(route_matrix: RouteMatrix) -> Table:
    """Tabulate a matrix: origins down, destinations across, gaps with a numbered reason.

    Parameters
    ----------
    route_matrix
        The answer of :func:`corridors.matrix`.

    Returns
    -------
    rich.table.Table
        One row per origin; ``same place`` on a diagonal, ``no route [n]`` where no route
        exists; reason ``n`` is line ``n`` of :func:`matrix_notes` (cells with the same
        reason share it).
    """
    query = route_matrix.query
    table = Table(
        title=rich_text(
            f"Best routes by {query['weight']} ({query['unit']}) in scenario "
            f"'{query['scenario']}', modes {'/'.join(query['modes'])}"
        )
    )
    table.add_column(rich_text("from \\ to"))
    for place in route_matrix.destinations:
        table.add_column(rich_text(place.name), justify="right")
    notes = _numbers(route_matrix)
    values, reasons = route_matrix.values.to_numpy(), route_matrix.reasons.to_numpy()
    for i, origin in enumerate(route_matrix.origins):
        cells = [origin.name]
        for j in range(len(route_matrix.destinations)):
            reason = str(reasons[i, j])
            value = float(values[i, j])
            if reason == "same place":
                cells.append(reason)
            elif reason or not math.isfinite(value):
                cells.append(f"no route [{notes[reason]}]" if reason in notes else "no route")
            else:
                cells.append(number(value))
        table.add_row(*(rich_text(cell) for cell in cells))
    return table
