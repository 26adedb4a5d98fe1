"""Time and cost of links and steps, from the parameters in ``seeds/parameters.yaml``.

A link's time runs each country's kilometres at the speed for that country (or for the link, or its
status); its cost charges them at that country's tariff for the cargo unit, or a ferry line's fare.
Steps (transfers between modes, breaks of gauge, border crossings) have their own time and cost: a
border crossing is the outbound side of the country left plus the inbound side of the country
entered, unless the crossing has a figure of its own. The most specific matching entry wins; among
equally specific entries the last one, so scenario overrides appended after the seeds take effect.

Every term carries the key of the parameter entry that produced it (:func:`parameter_key`), so a
route's time and cost can be traced, and varied, parameter by parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from corridors.data.keys import parameter_key
from corridors.data.schema import (
    BorderDirection,
    CargoUnit,
    Mode,
    Parameters,
    Speed,
    Tariff,
)
from corridors.routing.terms import SOURCE_SEPARATOR, LinkTerms, StepTerms

__all__ = ["CostModel", "parameter_key", "route_km_by_country"]


T = TypeVar("T")


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


def _most_specific(candidates: Sequence[tuple[tuple[bool, ...], T]]) -> T | None:
    """Return the most specific entry; among equals the last (scenario overrides)."""
    best: tuple[tuple[bool, ...], T] | None = None
    for rank, entry in candidates:
        if best is None or rank >= best[0]:
            best = (rank, entry)
    return None if best is None else best[1]


class CostModel:
    """The parameters of a scenario for one cargo unit: every time and cost of links and steps.

    Parameters
    ----------
    parameters
        The effective parameters (the seeds' with a scenario's overrides appended).
    cargo
        The cargo unit (``container``, ``wagon``, ``bulk``, ``truck``); None for the default of
        ``cargo_units``.

    Examples
    --------
    >>> from corridors import load_network
    >>> model = CostModel(load_network().seeds.parameters, "wagon")
    >>> model.payload_t
    60.0
    """

    def __init__(self, parameters: Parameters, cargo: str | None = None) -> None:
        self.parameters = parameters
        units = parameters.cargo_units
        self.cargo = units.default if cargo is None else CargoUnit(cargo)
        specs = [spec for spec in units.units if spec.unit is self.cargo]
        if not specs:
            known = ", ".join(spec.unit.value for spec in units.units)
            raise ValueError(f"cargo unit '{self.cargo.value}' has no payload (known: {known})")
        self.payload_t = specs[-1].payload_t
        self.length_m = specs[-1].length_m
        self.price_basis = parameters.price_basis
        self._speeds = {m.value: [s for s in parameters.speeds if s.mode is m] for m in Mode}
        self._tariffs = {m.value: [t for t in parameters.tariffs if t.mode is m] for m in Mode}
        #: The key of each speed and tariff entry, computed once (by identity: entries are
        #: held by ``parameters`` for the model's life).
        self._keys: dict[tuple[str, int], str] = {}

    def _key(self, kind: str, entry: Speed | Tariff) -> str:
        """Return the :func:`parameter_key` of a speed or tariff entry, computed once."""
        found = self._keys.get((kind, id(entry)))
        if found is None:
            found = parameter_key(kind, entry)
            self._keys[kind, id(entry)] = found
        return found

    def money(self, value: float, year: int | None) -> float:
        """Bring a cost of ``year`` to the parameters' price basis.

        Parameters
        ----------
        value
            US$ of ``year``.
        year
            The year of the figure (None: on the basis already).

        Returns
        -------
        float
            US$ of the basis year.
        """
        if self.price_basis is None or year is None:
            return value
        return value * self.price_basis.factor(year)

    # ------------------------------------------------------------------ entries
    def speed_entry(
        self, mode: str, seed_status: str, country: str | None = None, link_id: str = ""
    ) -> Speed:
        """Return the speed entry for a link of this mode and status in a country.

        Parameters
        ----------
        mode, seed_status
            The link's mode and status in the seeds.
        country
            ISO2 of the kilometres run (None: no country applies, e.g. at sea).
        link_id
            The link, for section speeds.

        Returns
        -------
        Speed
            The most specific match: the link's, then country with status, status, country,
            the mode's general entry.
        """
        candidates = []
        for speed in self._speeds[str(mode)]:
            if speed.links is not None and link_id not in speed.links:
                continue
            if speed.country is not None and speed.country != country:
                continue
            if speed.status is not None and speed.status.value != seed_status:
                continue
            has_status, has_country = speed.status is not None, speed.country is not None
            rank = (speed.links is not None, has_status and has_country, has_status, has_country)
            candidates.append((rank, speed))
        found = _most_specific(candidates)
        if found is None:
            raise LookupError(f"no speed for mode '{mode}'")
        return found

    def tariff_entry(self, mode: str, country: str, link_id: str = "") -> Tariff:
        """Return the tariff entry for kilometres of a mode in a country, or a line's fare.

        Parameters
        ----------
        mode
            The link's mode.
        country
            ISO2, or ``*`` for kilometres outside any country.
        link_id
            The link, for line fares and rates.

        Returns
        -------
        Tariff
            The most specific match: the link's, then the country's, then ``*``; each for the
            cargo unit before any unit.
        """
        candidates = []
        for tariff in self._tariffs[str(mode)]:
            if tariff.links is not None and link_id not in tariff.links:
                continue
            if tariff.country not in ("*", country):
                continue
            if tariff.unit is not None and tariff.unit is not self.cargo:
                continue
            rank = (tariff.links is not None, tariff.country != "*", tariff.unit is not None)
            candidates.append((rank, tariff))
        found = _most_specific(candidates)
        if found is None:
            raise LookupError(f"no tariff for mode '{mode}'")
        return found

    # ------------------------------------------------------------------ links
    def link(
        self,
        link_id: str,
        mode: str,
        seed_status: str,
        km_by_country: list[tuple[str, float]],
        route_km: float,
    ) -> LinkTerms:
        """Time and cost of travelling a link: the one formula behind edge weights and legs.

        Parameters
        ----------
        link_id
            The link (for section speeds and line fares).
        mode, seed_status
            The link's mode and status in the seeds.
        km_by_country
            The link's ``(iso2, km)`` of geometry; ignored at sea.
        route_km
            The link's routing length.

        Returns
        -------
        LinkTerms
            Routing km by country, hours and US$ per tonne, with their parameter keys.
        """
        shares = [] if mode == Mode.SEA.value else route_km_by_country(km_by_country, route_km)
        rest = max(route_km - sum(km for _, km in shares), 0.0)
        pieces: list[tuple[str | None, float]] = [(c, km) for c, km in shares]
        if rest > 0 or not pieces:
            pieces.append((None, rest))
        time_terms = []
        for country, km in pieces:
            speed = self.speed_entry(mode, seed_status, country, link_id)
            time_terms.append((self._key("speed", speed), km / speed.km_h))
        cost_terms = []
        line = self.tariff_entry(mode, "", link_id)
        if line.links is not None:
            cost_terms.append((self._key("tariff", line), self._charge(line, route_km)))
        else:
            for country, km in pieces:
                tariff = self.tariff_entry(mode, country or "*", link_id)
                cost_terms.append((self._key("tariff", tariff), self._charge(tariff, km)))
        return LinkTerms(
            shares=shares,
            time_h=sum(h for _, h in time_terms),
            cost_usd_per_t=sum(usd for _, usd in cost_terms),
            time_terms=tuple(time_terms),
            cost_terms=tuple(cost_terms),
        )

    def _charge(self, tariff: Tariff, km: float) -> float:
        if tariff.usd_per_t is not None:
            return self.money(tariff.usd_per_t, tariff.year)
        return self.money(km * (tariff.usd_per_t_km or 0.0), tariff.year)

    # ------------------------------------------------------------------ steps
    def transfer(self, node: str, from_mode: str, to_mode: str) -> StepTerms:
        """Time and cost of moving cargo from one mode to another at a node.

        Parameters
        ----------
        node
            Where (for entries of one node).
        from_mode, to_mode
            The modes.

        Returns
        -------
        StepTerms
            The most specific matching entry (node, then cargo unit); zero with source
            ``assumption`` when none matches.
        """
        candidates = []
        for transfer in self.parameters.transfers:
            if transfer.from_mode is not Mode(from_mode) or transfer.to_mode is not Mode(to_mode):
                continue
            if transfer.node is not None and transfer.node != node:
                continue
            if transfer.unit is not None and transfer.unit is not self.cargo:
                continue
            candidates.append(((transfer.node is not None, transfer.unit is not None), transfer))
        found = _most_specific(candidates)
        if found is None:
            return StepTerms(0.0, 0.0, "assumption", "no transfer parameter; taken as free")
        key = parameter_key("transfer", found)
        cost = self.money(found.cost_usd_per_t, found.year)
        return StepTerms.of(found.time_h, cost, found.source, found.note, key)

    def gauge(self) -> StepTerms:
        """Time and cost of a break of gauge.

        Returns
        -------
        StepTerms
            From ``break_of_gauge``.
        """
        found = self.parameters.break_of_gauge
        key = parameter_key("break_of_gauge", found)
        cost = self.money(found.cost_usd_per_t, found.year)
        return StepTerms.of(found.time_h, cost, found.source, found.note, key)

    def border(
        self,
        link_id: str,
        mode: str,
        *,
        forward: bool,
        leaving: tuple[str, str],
        entering: tuple[str, str],
    ) -> StepTerms:
        """Dwell and cost of crossing a border on a link in one direction.

        Parameters
        ----------
        link_id
            The crossing link.
        mode
            Its mode.
        forward
            True in the link's written direction (``from`` to ``to``).
        leaving, entering
            ``(iso2, node id)`` of the country left and the country entered, with the node
            where each side is cleared (the link's end in that country).

        Returns
        -------
        StepTerms
            The crossing's own entry for that direction; else the outbound side of the country
            left plus the inbound side of the country entered, each from its post's entry,
            its country's, or the mode's default.
        """
        crossings = [c for c in self.parameters.border_crossings if c.link == link_id]
        if crossings:
            crossing = crossings[-1]
            side = crossing.forward if forward else crossing.reverse
            key = parameter_key("border", crossing, direction="forward" if forward else "reverse")
            cost = self.money(side.cost_usd_per_t, crossing.year)
            return StepTerms.of(side.dwell_h, cost, crossing.source, crossing.note, key)
        sides = [
            self.side(mode, BorderDirection.OUTBOUND, *leaving),
            self.side(mode, BorderDirection.INBOUND, *entering),
        ]
        return StepTerms(
            time_h=sum(side.time_h for side in sides),
            cost_usd_per_t=sum(side.cost_usd_per_t for side in sides),
            source=SOURCE_SEPARATOR.join(dict.fromkeys(side.source for side in sides)),
            note=" | ".join(
                f"{label}: {side.note}"
                for label, side in zip(
                    (f"leaving {leaving[0]}", f"entering {entering[0]}"), sides, strict=True
                )
                if side.note
            ),
            time_terms=tuple(t for side in sides for t in side.time_terms),
            cost_terms=tuple(t for side in sides for t in side.cost_terms),
        )

    def side(self, mode: str, direction: BorderDirection, country: str, node: str) -> StepTerms:
        """Dwell and cost of one side of a border.

        Parameters
        ----------
        mode
            The crossing's mode.
        direction
            Leaving (outbound) or entering (inbound) the country.
        country
            ISO2.
        node
            Where the side is cleared (a border post or port), for entries of one node.

        Returns
        -------
        StepTerms
            The most specific side entry (node, then cargo unit), else the mode's default.
        """
        candidates = []
        for side in self.parameters.border_sides:
            if side.mode is not Mode(mode) or side.direction is not direction:
                continue
            if side.country != country:
                continue
            if side.node is not None and side.node != node:
                continue
            if side.unit is not None and side.unit is not self.cargo:
                continue
            candidates.append(((side.node is not None, side.unit is not None), side))
        found = _most_specific(candidates)
        if found is not None:
            key = parameter_key("border_side", found)
            cost = self.money(found.cost_usd_per_t, found.year)
            return StepTerms.of(found.dwell_h, cost, found.source, found.note, key)
        defaults = [b for b in self.parameters.border_defaults if b.mode is Mode(mode)]
        if not defaults:
            raise LookupError(f"no border default for mode '{mode}'")
        default = defaults[-1]
        key = parameter_key("border_default", default)
        cost = self.money(default.cost_usd_per_t, default.year)
        return StepTerms.of(default.dwell_h, cost, default.source, default.note, key)
