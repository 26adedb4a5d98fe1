"""What a time or a cost is made of: the terms of links and steps, and where they come from.

Plain records with no dependency beyond the standard library: a routing graph keeps them for
every link and step, and one read from the on-disk cache needs nothing heavier to route.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SOURCE_SEPARATOR", "LinkTerms", "StepTerms", "Terms"]

#: How a step that draws on several parameter entries joins their source ids in its ``source``.
SOURCE_SEPARATOR = "; "

#: What a time or a cost is made of: ``(parameter key, contribution)`` pairs, in the order they
#: were added up (a key may repeat, e.g. a link that leaves a country and comes back).
Terms = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class StepTerms:
    """Time, cost and source of one step, with the parameter entries behind them."""

    time_h: float
    cost_usd_per_t: float
    source: str
    note: str = ""
    time_terms: Terms = ()
    cost_terms: Terms = ()

    @classmethod
    def of(
        cls, time_h: float, cost_usd_per_t: float, source: str, note: str, key: str
    ) -> StepTerms:
        """Terms of a step that one parameter entry produced.

        Parameters
        ----------
        time_h, cost_usd_per_t
            The entry's figures.
        source, note
            Where they come from.
        key
            The entry's :func:`parameter_key`.

        Returns
        -------
        StepTerms
            With one time and one cost term.
        """
        return cls(time_h, cost_usd_per_t, source, note, ((key, time_h),), ((key, cost_usd_per_t),))


@dataclass(frozen=True)
class LinkTerms:
    """Running time and line-haul cost of a link, its kilometres by country, and their keys.

    Attributes
    ----------
    shares
        Routing km by country.
    time_h, cost_usd_per_t
        The totals: the sums of ``time_terms`` and ``cost_terms``.
    time_terms, cost_terms
        What each parameter entry contributes (each country's speed's hours; each country's
        tariff's US$ per tonne, or the line's fare).
    """

    shares: list[tuple[str, float]]
    time_h: float
    cost_usd_per_t: float
    time_terms: Terms = ()
    cost_terms: Terms = ()
