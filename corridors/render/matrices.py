"""A route matrix for the terminal: values, and a numbered note for every cell without one."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.table import Table

from corridors.render.escape import rich_text
from corridors.render.format import number

if TYPE_CHECKING:
    from corridors.routing.results import RouteMatrix

__all__ = ["matrix_table"]


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
        exists, with reason ``n`` in the caption (cells with the same reason share it).
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
    notes: dict[str, int] = {}
    values, reasons = route_matrix.values.to_numpy(), route_matrix.reasons.to_numpy()
    for i, origin in enumerate(route_matrix.origins):
        cells = [origin.name]
        for j in range(len(route_matrix.destinations)):
            reason = str(reasons[i, j])
            value = float(values[i, j])
            if reason == "same place":
                cells.append(reason)
            elif reason or not math.isfinite(value):
                cells.append(f"no route [{notes.setdefault(reason, len(notes) + 1)}]")
            else:
                cells.append(number(value))
        table.add_row(*(rich_text(cell) for cell in cells))
    if notes:
        table.caption = rich_text(
            "\n".join(f"[{index}] {reason}" for reason, index in notes.items())
        )
        table.caption_justify = "left"
    return table
