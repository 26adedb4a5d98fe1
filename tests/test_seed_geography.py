"""Facts about the real seeds' geography: land links stay on land, borders fall where they are.

These tests read the repository's seeds (the session `network` fixture), not a toy network.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod, Transformer
from shapely import LineString, Point, box, ops

from corridors.data.boundaries import country_at, country_polygons, land
from corridors.network.build import Network
from corridors.routing.api import route, routing_graph
from corridors.routing.scenarios import apply_scenario

#: A land link may run over water only this far from the coast (Natural Earth 1:10m is coarse)...
COAST_TOLERANCE_KM = 1.5
#: ...and for at most this many kilometres in all.
MAX_OVER_WATER_KM = 2.0
#: Natural Earth 1:10m borders are good to a kilometre or two near the posts.
BORDER_TOLERANCE_KM = 2.0

GEOD = Geod(ellps="WGS84")


def over_water_km(line: LineString) -> float:
    """Kilometres of a line farther than the tolerance from land, measured in a local projection."""
    lon, lat = line.centroid.x, line.centroid.y
    local = Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +units=m", always_xy=True
    )

    def to_local(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(local.transform(xy[:, 0], xy[:, 1]))

    minx, miny, maxx, maxy = line.bounds
    nearby = land().intersection(box(minx - 0.5, miny - 0.5, maxx + 0.5, maxy + 0.5))
    coast = shapely.transform(nearby, to_local).buffer(COAST_TOLERANCE_KM * 1000.0)
    projected = shapely.transform(line, to_local)
    return float(projected.difference(coast).length) / 1000.0


def test_seeds_land_links_stay_on_land(network: Network) -> None:
    links = network.links[network.links["mode"] != "sea"]
    wet = {
        link_id: round(over_water_km(row.geometry), 1)
        for link_id, row in links.iterrows()
        if over_water_km(row.geometry) > MAX_OVER_WATER_KM
    }
    assert not wet, f"land links over water (km): {wet}"


def test_seeds_border_crossings_lie_in_their_country(network: Network) -> None:
    polygons = country_polygons()
    nodes = network.nodes[network.nodes["kind"] == "border_crossing"]
    misplaced = {}
    for node_id, row in nodes.iterrows():
        found = country_at(row["lon"], row["lat"])
        if found == row["country"]:
            continue
        point = Point(row["lon"], row["lat"])
        nearest = ops.nearest_points(point, polygons.geometry[row["country"]])[1]
        _, _, metres = GEOD.inv(point.x, point.y, nearest.x, nearest.y)
        if metres > BORDER_TOLERANCE_KM * 1000.0:
            misplaced[node_id] = (found, round(metres / 1000.0, 1))
    assert not misplaced, f"border posts outside their country (found, km): {misplaced}"


def km_outside(node: object, iso2: str) -> float:
    """How far a node lies outside its country's Natural Earth polygon (0 inside)."""
    point = Point(node["lon"], node["lat"])  # type: ignore[index]
    polygon = country_polygons().geometry[iso2]
    if polygon.contains(point):
        return 0.0
    nearest = ops.nearest_points(point, polygon)[1]
    return float(GEOD.inv(point.x, point.y, nearest.x, nearest.y)[2]) / 1000.0


@pytest.mark.parametrize("mode", ["rail", "road"])
def test_seeds_crossing_links_are_charged_where_the_border_is(network: Network, mode: str) -> None:
    # A crossing link is charged in both end countries, unless the border lies at an end node
    # (a post within the tolerance of Natural Earth's line): then that side has no kilometres.
    nodes = network.nodes
    links = network.links[network.links["mode"] == mode]
    wrong = {}
    for link_id, row in links.iterrows():
        start, end = nodes.loc[row["from"], "country"], nodes.loc[row["to"], "country"]
        if start == end:
            continue
        charged = {iso2 for iso2, km in row["km_by_country"] if km > 0}
        for node_id, iso2 in ((row["from"], start), (row["to"], end)):
            at_border = km_outside(nodes.loc[node_id], iso2) <= BORDER_TOLERANCE_KM
            if iso2 not in charged and not at_border:
                wrong[link_id] = (start, end, sorted(charged))
    assert not wrong, f"crossing links not charged where their border lies: {wrong}"


def test_seeds_domestic_links_are_charged_in_their_country_at_both_ends(network: Network) -> None:
    nodes = network.nodes
    wrong = {}
    for link_id, row in network.links[network.links["mode"] != "sea"].iterrows():
        start, end = nodes.loc[row["from"], "country"], nodes.loc[row["to"], "country"]
        shares = row["km_by_country"]
        if start != end or not shares:
            continue
        if shares[0][0] != start or shares[-1][0] != end:
            wrong[link_id] = shares
    assert not wrong, f"domestic links charged to another country at an end: {wrong}"


@pytest.mark.parametrize(
    ("origin", "destination", "post", "countries"),
    [
        ("Shymkent", "Tashkent", "gisht_kuprik", ["KZ", "UZ"]),
        ("Turkmenabat", "Bukhara", "alat_road_post", ["TM", "UZ"]),
        ("Tashkent", "Mazar-i-Sharif", "hairatan", ["UZ", "AF"]),
    ],
)
def test_seeds_trucks_cross_into_and_out_of_uzbekistan_at_the_road_posts(
    network: Network, origin: str, destination: str, post: str, countries: list[str]
) -> None:
    best = route(network, origin, destination, modes=["road"]).best
    assert best.countries == countries
    assert [(step.kind, step.at) for step in best.steps] == [("border", post)]


def test_seeds_every_uzbek_road_crossing_takes_uzbek_cpmm_sides(network: Network) -> None:
    nodes, links = network.nodes, network.links
    roads = links[links["mode"] == "road"]
    uzbek = [
        link_id
        for link_id, row in roads.iterrows()
        if {nodes.loc[row["from"], "country"], nodes.loc[row["to"], "country"]} & {"UZ"}
        and nodes.loc[row["from"], "country"] != nodes.loc[row["to"], "country"]
    ]
    assert len(uzbek) == 3
    graph = routing_graph(apply_scenario(network, "current"))
    for link_id in uzbek:
        for forward in (True, False):
            keys = [
                key for key, _ in graph.border_terms(link_id, "road", forward=forward).time_terms
            ]
            assert any(key.startswith("border_side:UZ:road") for key in keys), (link_id, keys)


def test_seeds_trucks_reach_the_kuryk_ferries_by_road(network: Network) -> None:
    best = route(network, "Aktau", "Kuryk seaport", modes=["road"]).best
    assert best.node_ids[-3:] == ["zhetybai", "kuryk", "kuryk_seaport"]


@pytest.mark.parametrize("port", ["amirabad_port", "anzali_port"])
def test_seeds_iranian_caspian_ports_have_a_road_inland(network: Network, port: str) -> None:
    best = route(network, port, "Tehran", modes=["road"]).best
    assert best.node_ids[0] == port
    assert best.node_ids[-1] == "tehran"


def test_seeds_every_seaport_has_a_land_link(network: Network) -> None:
    links = network.links
    land_links = links[links["mode"] != "sea"]
    on_land = set(land_links["from"]) | set(land_links["to"])
    ports = network.nodes[network.nodes["kind"] == "seaport"]
    assert set(ports.index) <= on_land, sorted(set(ports.index) - on_land)


def test_seeds_abumoslem_torbat_routes_on_the_mapped_track_length(network: Network) -> None:
    row = network.links.loc["ir_abumoslem_torbat_heydarieh"]
    # The drawn junction-to-junction line is about 94 km; the mapped track is 117 km.
    assert row["length_km"] < 100.0
    assert row["route_length_km"] == pytest.approx(117.0)
