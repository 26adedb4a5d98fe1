"""The built network: real geometry, geodesic lengths, sources, and the committed geo/ files."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Geod
from shapely import Point

from corridors.data.boundaries import country_polygons, land
from corridors.errors import InvalidSeed
from corridors.network.build import (
    GEO_FILES,
    LINK_COLUMNS,
    NODE_COLUMNS,
    Network,
    build_network,
    length_gaps,
    line_lengths,
)
from corridors.network.io import join_list, write_geodata

REPO = Path(__file__).resolve().parents[1]
GEOD = Geod(ellps="WGS84")


def test_places_named_by_the_source_documents_are_nodes(network: Network) -> None:
    local_names = " / ".join(network.nodes["name_local"])
    for spelling in [
        "Актау",
        "Курык",
        "Туркменбаши",
        "Гарабогаз",
        "Герат",
        "Кандагар",
        "Тургунди",
        "Спин-Булдак",
        "Туркестан",
        "Ашхабад",
        "Астана",
        "Галкыныш",
    ]:
        assert spelling in local_names, spelling
    assert network.nodes.loc["galkynysh_gas_field", "kind"] == "poi"
    terminal = network.nodes.loc["grain_terminal_tm_af"]
    assert "assumption" in terminal["sources"]
    assert terminal["confidence"] == "low"


def test_reference_places_are_all_present(network: Network) -> None:
    required = {
        "aktau",
        "aktau_seaport",
        "mangyshlak_station",
        "kuryk_seaport",
        "ersai_station",
        "borzhakty_station",
        "kuryk_station",
        "zhetybai_station",
        "zhanaozen_uzen_station",
        "zhanaozen",
        "bolashak",
        "temirbaba_garabogaz_bcp",
        "beineu",
        "turkestan",
        "astana",
        "almaty",
        "serhetyaka",
        "gyzylgaya",
        "bereket",
        "balkanabat_station",
        "etrek",
        "akyayla",
        "turkmenbashi",
        "turkmenbashi_station",
        "turkmenbashi_seaport",
        "garabogaz",
        "ashgabat",
        "serhetabat",
        "galkynysh_gas_field",
        "incheh_borun",
        "sabz_dasht_junction",
        "gorgan",
        "khaf",
        "shamtigh_iran",
        "shamtigh_afghanistan",
        "ghorian",
        "rozanak",
        "robat_paryan",
        "herat_rail_hub",
        "herat",
        "torghundi",
        "kandahar",
        "spin_boldak",
        "chaman",
        "baku_port_alat",
        "baku",
    }
    assert required <= set(network.nodes.index)


def test_every_node_and_link_cites_a_known_source(network: Network) -> None:
    known = set(network.seeds.sources)
    for frame in (network.nodes, network.links):
        for ident, sources in frame["sources"].items():
            assert isinstance(sources, list), ident
            assert sources, ident
            assert set(sources) <= known, ident


def test_lengths_are_geodesic_and_computed_from_geometry(network: Network) -> None:
    for ident, row in network.links.iterrows():
        lons, lats = row.geometry.xy
        expected = GEOD.line_length(list(lons), list(lats)) / 1000
        assert row["length_km"] == pytest.approx(expected, abs=0.001), ident
        assert len(row.geometry.coords) >= 2


def test_link_geometry_starts_and_ends_at_its_nodes(network: Network) -> None:
    nodes = network.nodes
    for ident, row in network.links.iterrows():
        start, end = row.geometry.coords[0], row.geometry.coords[-1]
        assert start == (nodes.loc[row["from"], "lon"], nodes.loc[row["from"], "lat"]), ident
        assert end == (nodes.loc[row["to"], "lon"], nodes.loc[row["to"], "lat"]), ident


def test_surveyed_links_are_within_5_percent_of_their_published_length(network: Network) -> None:
    links = network.links
    checked = links[(links["alignment"] == "surveyed") & links["published_length_km"].notna()]
    assert len(checked) >= 3
    for ident, row in checked.iterrows():
        gap = abs(row["length_km"] - row["published_length_km"]) / row["published_length_km"]
        assert gap <= 0.05, f"{ident}: {row['length_km']} km vs {row['published_length_km']} km"


def test_lines_are_within_5_percent_of_their_chosen_published_length(network: Network) -> None:
    lines = line_lengths(network)
    chosen = lines[lines["published_km"].notna()]
    assert {"kti_railway", "kti_uzen_bereket", "kti_bereket_gorgan", "khaf_herat"} <= set(
        chosen["id"]
    )
    for row in chosen.itertuples():
        assert abs(row.gap_pct) <= 5.0, row.id


def test_schematic_links_route_on_their_published_length(network: Network) -> None:
    links = network.links
    schematic = links[links["alignment"] == "schematic"]
    assert "af_herat_kandahar_rail" in schematic.index
    for ident, row in schematic.iterrows():
        assert row["route_length_km"] == pytest.approx(row["published_length_km"]), ident
    surveyed = links[links["alignment"] != "schematic"]
    assert (surveyed["route_length_km"] == surveyed["length_km"]).all()
    herat_kandahar = links.loc["af_herat_kandahar_rail"]
    assert herat_kandahar["length_km"] < 0.8 * herat_kandahar["published_length_km"]


def test_length_gaps_report_flags_a_bad_figure(broken_seeds) -> None:
    on_figure = build_network(broken_seeds("links.yaml"))
    assert length_gaps(on_figure).empty  # port_line is within 10 % of its 14 km
    off_figure = build_network(broken_seeds("links.yaml", "km: 14", "km: 20"))
    gaps = length_gaps(off_figure)
    assert list(gaps["id"]) == ["port_line"]
    built = off_figure.links.loc["port_line", "length_km"]
    assert gaps.loc[0, "length_gap_pct"] == pytest.approx((built - 20) / 20 * 100, abs=0.1)
    assert gaps.loc[0, "published_length_source"] == "osm"


def test_length_gaps_leave_out_schematic_links(network: Network) -> None:
    gaps = length_gaps(network)
    herat_kandahar = network.links.loc["af_herat_kandahar_rail"]
    assert abs(herat_kandahar["length_gap_pct"]) > 10  # off its figure, but routed on it
    assert "af_herat_kandahar_rail" not in set(gaps["id"])
    assert (gaps["length_gap_pct"].abs() > 10).all()


def test_real_seeds_kuryk_port_branch_leaves_the_main_line_at_its_published_length(
    network: Network,
) -> None:
    # Issue #10: the 13.9 km branch (Railway Gazette) runs from a junction on the
    # Mangyshlak-Uzen line, not from Borzhakty station (16.5 km from Ersai as mapped).
    links = network.links
    branch = links.loc["kz_borzhakty_ersai"]
    assert branch["to"] == "ersai_station"
    main_line = network.seeds.lines["mangyshlak_uzen"].links
    main_line_nodes = set(links.loc[main_line, "from"]) | set(links.loc[main_line, "to"])
    assert branch["from"] in main_line_nodes
    assert branch["from"] != "borzhakty_station"
    assert branch["published_length_km"] == pytest.approx(13.9)
    assert abs(branch["length_km"] - 13.9) / 13.9 <= 0.05, branch["length_km"]
    junction = network.nodes.loc[branch["from"]]
    assert "assumption" in junction["sources"]
    assert "kz_borzhakty_ersai" not in set(length_gaps(network)["id"])


def test_sea_lanes_stay_on_water(network: Network) -> None:
    sea = network.links[network.links["mode"] == "sea"]
    assert len(sea) >= 5
    for ident, row in sea.iterrows():
        line = row.geometry
        total_km = row["length_km"]
        steps = int(total_km)  # about one sample per kilometre
        for i in range(1, steps):
            fraction = i / steps
            km_from_start, km_to_end = fraction * total_km, (1 - fraction) * total_km
            if min(km_from_start, km_to_end) < 3.0:  # the port approaches touch the coast
                continue
            point = line.interpolate(fraction, normalized=True)
            assert not land().contains(point), f"{ident} crosses land at {point.wkt}"


def test_countries_follow_the_geometry(network: Network) -> None:
    links = network.links
    assert links.loc["kti_bolashak_serhetyaka", "countries"] == ["KZ", "TM"]
    assert links.loc["kti_akyayla_incheh_borun", "countries"] == ["TM", "IR"]
    shares = dict(links.loc["kti_uzen_bolashak", "km_by_country"])
    assert float(shares["KZ"]) == pytest.approx(
        links.loc["kti_uzen_bolashak", "length_km"], abs=0.1
    )


def test_nodes_lie_in_their_country(network: Network) -> None:
    polygons = country_polygons()
    for ident, row in network.nodes.iterrows():
        distance_deg = polygons.geometry[row["country"]].distance(Point(row["lon"], row["lat"]))
        assert distance_deg < 0.1, ident


def _geojson_features(path: Path) -> list[dict[str, object]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["features"]


def test_committed_geo_matches_what_seeds_build(network: Network, tmp_path: Path) -> None:
    fresh = tmp_path / "geo"
    write_geodata(network, fresh)
    committed = REPO / "geo"
    hint = "geo/ is stale: run `corridors build` and commit geo/"
    for name in ("nodes.geojson", "links.geojson"):
        assert _geojson_features(committed / name) == _geojson_features(fresh / name), hint
    for layer in ("nodes", "links"):
        expected = gpd.read_file(fresh / "network.gpkg", layer=layer)
        actual = gpd.read_file(committed / "network.gpkg", layer=layer)
        pd.testing.assert_frame_equal(actual, expected, obj=hint)


def test_geodata_layers_and_columns(tmp_path: Path, network: Network) -> None:
    written = write_geodata(network, tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(GEO_FILES)
    nodes = gpd.read_file(tmp_path / "out" / "network.gpkg", layer="nodes")
    links = gpd.read_file(tmp_path / "out" / "network.gpkg", layer="links")
    assert nodes.crs.to_epsg() == 4326
    assert links.crs.to_epsg() == 4326
    assert list(nodes.columns) == [*NODE_COLUMNS, "geometry"]
    assert list(links.columns) == [*LINK_COLUMNS, "geometry"]
    assert len(links) == len(network.links)
    assert not list((tmp_path / "out").glob(".build-*"))


def test_invalid_seeds_write_nothing(broken_seeds, tmp_path: Path) -> None:
    folder = broken_seeds("links.yaml", "to: aktau_seaport", "to: mangyshlak_station")
    out = tmp_path / "geo"
    out.mkdir()
    (out / "links.geojson").write_text("previous", encoding="utf-8")
    with pytest.raises(InvalidSeed):
        write_geodata(build_network(folder), out)
    assert sorted(p.name for p in out.iterdir()) == ["links.geojson"]
    assert (out / "links.geojson").read_text(encoding="utf-8") == "previous"


def test_list_columns_are_lists_in_memory_and_text_in_geo(network: Network) -> None:
    row = network.links.loc["kti_bolashak_serhetyaka"]
    assert isinstance(row["countries"], list)
    assert isinstance(row["km_by_country"], list)
    written = gpd.read_file(REPO / "geo" / "links.geojson").set_index("id")
    assert written.loc["kti_bolashak_serhetyaka", "countries"] == join_list(row["countries"])
    assert written.loc["kti_bolashak_serhetyaka", "km_by_country"] == join_list(
        row["km_by_country"]
    )
