"""Kilometres by country: Natural Earth pieces, a cited border point, and the end stretches."""

from __future__ import annotations

import pytest
from shapely import LineString, Point

from corridors.data.boundaries import km_by_country
from corridors.data.geometry import geometry_length_km

# Across the Turkmen-Afghan border at Serhetabat/Torghundi, south to north.
ACROSS = LineString([(62.30, 35.00), (62.29, 35.30)])


def test_natural_earth_splits_a_line_where_its_border_runs() -> None:
    shares = dict(km_by_country(ACROSS))
    assert set(shares) == {"AF", "TM"}
    assert sum(shares.values()) == pytest.approx(geometry_length_km(ACROSS), rel=1e-3)


def test_a_cited_border_point_splits_the_line_there() -> None:
    midway = ACROSS.interpolate(0.25, normalized=True)
    shares = km_by_country(ACROSS, ends=("AF", "TM"), border_at=Point(midway.x, midway.y))
    total = geometry_length_km(ACROSS)
    assert shares == [
        ("AF", pytest.approx(total / 4, rel=1e-3)),
        ("TM", pytest.approx(3 * total / 4, rel=1e-3)),
    ]


def test_end_stretches_belong_to_the_end_nodes_countries() -> None:
    # A domestic Afghan line whose southern end Natural Earth puts in Turkmenistan is Afghan
    # at its ends; a middle stretch in another country is kept.
    plain = km_by_country(ACROSS)
    clamped = km_by_country(ACROSS, ends=("TM", "TM"))
    assert [iso2 for iso2, _ in plain] == ["AF", "TM"]
    assert clamped == [("TM", pytest.approx(sum(km for _, km in plain)))]
