"""Time and cost of links and steps, from the parameters in ``seeds/parameters.yaml``.

A link's time is its routing length over the speed of its mode (and status); its cost charges the
kilometres in each country at that country's tariff. Steps (transfers between modes, breaks of
gauge, border crossings) have their own time and cost. When several parameter entries match, the
last one wins, so scenario overrides appended after the seeds take effect.

Every term carries the key of the parameter entry that produced it (:func:`parameter_key`), so a
route's time and cost can be traced, and varied, parameter by parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

from corridors.data.keys import parameter_key
from corridors.data.schema import Mode, Parameters, Speed, Tariff

__all__ = [
    "LinkTerms",
    "StepTerms",
    "Terms",
    "border_terms",
    "gauge_terms",
    "link_cost_usd_per_t",
    "link_terms",
    "link_time_h",
    "parameter_key",
    "route_km_by_country",
    "speed_km_h",
    "tariff_usd_per_t_km",
    "transfer_terms",
]


#: What a time or a cost is made of: ``(parameter key, contribution)`` pairs, in the order they
#: were added up (a key may repeat, e.g. a link that leaves a country and comes back).
Terms = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class StepTerms:
    """Time, cost, source and parameter key of one step."""

    time_h: float
    cost_usd_per_t: float
    source: str
    note: str = ""
    key: str = ""

    @property
    def time_terms(self) -> Terms:
        """The time as ``((key, hours),)``; empty for a step no parameter produced."""
        return ((self.key, self.time_h),) if self.key else ()

    @property
    def cost_terms(self) -> Terms:
        """The cost as ``((key, US$ per tonne),)``; empty for a step no parameter produced."""
        return ((self.key, self.cost_usd_per_t),) if self.key else ()


def speed_km_h(parameters: Parameters, mode: str, seed_status: str) -> float:
    """Average speed of a link of this mode whose status in the seeds is ``seed_status``.

    Parameters
    ----------
    parameters
        The effective parameters.
    mode
        ``rail``, ``road`` or ``sea``.
    seed_status
        The link's status in ``seeds/links.yaml`` (a status-specific speed applies to links
        built from that status).

    Returns
    -------
    float
        km/h.
    """
    return _speed_entry(parameters, mode, seed_status).km_h


def _speed_entry(parameters: Parameters, mode: str, seed_status: str) -> Speed:
    of_mode = [s for s in parameters.speeds if s.mode is Mode(mode)]
    specific = [s for s in of_mode if s.status is not None and s.status.value == seed_status]
    general = [s for s in of_mode if s.status is None]
    return (specific or general)[-1]


def tariff_usd_per_t_km(parameters: Parameters, mode: str, country: str) -> float:
    """Line-haul tariff of a mode in a country, or the mode's default (``*``).

    Parameters
    ----------
    parameters
        The effective parameters.
    mode
        ``rail``, ``road`` or ``sea``.
    country
        ISO2 code.

    Returns
    -------
    float
        US$ per tonne-km.
    """
    return _tariff_entry(parameters, mode, country).usd_per_t_km


def _tariff_entry(parameters: Parameters, mode: str, country: str) -> Tariff:
    specific = [t for t in parameters.tariffs if t.mode is Mode(mode) and t.country == country]
    if specific:
        return specific[-1]
    default = [t for t in parameters.tariffs if t.mode is Mode(mode) and t.country == "*"]
    return default[-1]


def route_km_by_country(
    km_by_country: list[tuple[str, float]], route_length_km: float
) -> list[tuple[str, float]]:
    """Share a link's routing length between countries in proportion to its geometry.

    Parameters
    ----------
    km_by_country
        The ``km_by_country`` column: ``(iso2, km)`` of the geometry.
    route_length_km
        Routing length (differs for schematic links).

    Returns
    -------
    list of tuple
        ``(iso2, km)`` summing to the routing length; empty for a lane entirely at sea.

    Examples
    --------
    >>> route_km_by_country([("KZ", 30.0), ("TM", 10.0)], 80.0)
    [('KZ', 60.0), ('TM', 20.0)]
    """
    pairs = [(str(iso2), float(km)) for iso2, km in km_by_country]
    total = sum(km for _, km in pairs)
    if total <= 0:
        return []
    scale = route_length_km / total
    return [(iso2, km * scale) for iso2, km in pairs]


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
        What each parameter entry contributes (the speed's hours; each country's tariff's
        US$ per tonne).
    """

    shares: list[tuple[str, float]]
    time_h: float
    cost_usd_per_t: float
    time_terms: Terms = ()
    cost_terms: Terms = ()


def link_terms(
    parameters: Parameters,
    mode: str,
    seed_status: str,
    km_by_country: list[tuple[str, float]],
    route_km: float,
) -> LinkTerms:
    """Time and cost of travelling a link: the one formula behind edge weights and legs.

    Parameters
    ----------
    parameters
        The effective parameters.
    mode, seed_status
        The link's mode and status in the seeds (speeds are by status).
    km_by_country
        The link's ``(iso2, km)`` of geometry; ignored at sea.
    route_km
        The link's routing length.

    Returns
    -------
    LinkTerms
        Routing km by country, hours and US$ per tonne.
    """
    shares = [] if mode == Mode.SEA.value else route_km_by_country(km_by_country, route_km)
    time_terms = _link_time_terms(parameters, mode, seed_status, route_km)
    cost_terms = _link_cost_terms(parameters, mode, shares, route_km)
    return LinkTerms(
        shares=shares,
        time_h=sum(h for _, h in time_terms),
        cost_usd_per_t=sum(usd for _, usd in cost_terms),
        time_terms=time_terms,
        cost_terms=cost_terms,
    )


def _link_time_terms(parameters: Parameters, mode: str, seed_status: str, route_km: float) -> Terms:
    speed = _speed_entry(parameters, mode, seed_status)
    return ((parameter_key("speed", speed), route_km / speed.km_h),)


def _link_cost_terms(
    parameters: Parameters, mode: str, shares: list[tuple[str, float]], route_km: float
) -> Terms:
    terms = []
    for iso2, km in shares:
        tariff = _tariff_entry(parameters, mode, iso2)
        terms.append((parameter_key("tariff", tariff), km * tariff.usd_per_t_km))
    rest = max(route_km - sum(km for _, km in shares), 0.0)
    if rest > 0 or not terms:
        tariff = _tariff_entry(parameters, mode, "*")
        terms.append((parameter_key("tariff", tariff), rest * tariff.usd_per_t_km))
    return tuple(terms)


def link_time_h(parameters: Parameters, mode: str, seed_status: str, route_km: float) -> float:
    """Return the running time of a link.

    Parameters
    ----------
    parameters
        The effective parameters.
    mode, seed_status
        The link's mode and status in the seeds.
    route_km
        The link's routing length.

    Returns
    -------
    float
        Hours.
    """
    return sum(h for _, h in _link_time_terms(parameters, mode, seed_status, route_km))


def link_cost_usd_per_t(
    parameters: Parameters, mode: str, shares: list[tuple[str, float]], route_km: float
) -> float:
    """Line-haul cost of a link: each country's kilometres at that country's tariff.

    Parameters
    ----------
    parameters
        The effective parameters.
    mode
        The link's mode.
    shares
        ``(iso2, km)`` of the routing length; empty for sea lanes.
    route_km
        The routing length, charged at the mode's default tariff where ``shares`` do not cover it.

    Returns
    -------
    float
        US$ per tonne.
    """
    return sum(usd for _, usd in _link_cost_terms(parameters, mode, shares, route_km))


def transfer_terms(parameters: Parameters, from_mode: str, to_mode: str) -> StepTerms:
    """Time and cost of moving cargo from one mode to another.

    Parameters
    ----------
    parameters
        The effective parameters.
    from_mode, to_mode
        The modes.

    Returns
    -------
    StepTerms
        The last matching transfer entry; zero with source ``assumption`` when none matches.
    """
    matches = [
        t
        for t in parameters.transfers
        if t.from_mode is Mode(from_mode) and t.to_mode is Mode(to_mode)
    ]
    if not matches:
        return StepTerms(0.0, 0.0, "assumption", "no transfer parameter; taken as free")
    found = matches[-1]
    key = parameter_key("transfer", found)
    return StepTerms(found.time_h, found.cost_usd_per_t, found.source, found.note, key)


def gauge_terms(parameters: Parameters) -> StepTerms:
    """Time and cost of a break of gauge.

    Parameters
    ----------
    parameters
        The effective parameters.

    Returns
    -------
    StepTerms
        From ``break_of_gauge``.
    """
    found = parameters.break_of_gauge
    key = parameter_key("break_of_gauge", found)
    return StepTerms(found.time_h, found.cost_usd_per_t, found.source, found.note, key)


def border_terms(parameters: Parameters, link_id: str, mode: str, *, forward: bool) -> StepTerms:
    """Dwell and cost of crossing a border on a link in one direction.

    Parameters
    ----------
    parameters
        The effective parameters.
    link_id
        The crossing link.
    mode
        Its mode, for the default when the crossing has no entry of its own.
    forward
        True in the link's written direction (``from`` to ``to``).

    Returns
    -------
    StepTerms
        The crossing's entry for that direction, or the mode's default.
    """
    crossings = [c for c in parameters.border_crossings if c.link == link_id]
    if crossings:
        crossing = crossings[-1]
        side = crossing.forward if forward else crossing.reverse
        key = parameter_key("border", crossing, direction="forward" if forward else "reverse")
        return StepTerms(side.dwell_h, side.cost_usd_per_t, crossing.source, crossing.note, key)
    default = [b for b in parameters.border_defaults if b.mode is Mode(mode)][-1]
    key = parameter_key("border_default", default)
    return StepTerms(default.dwell_h, default.cost_usd_per_t, default.source, default.note, key)
