"""Exports for notebooks and GIS, on the toy network: the matrix with reasons, route and
comparison layers (GeoPackage, GeoJSON, CSV), short reprs and HTML tables, the scenario graph
for OSMnx, and the options route shares with compare and report.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import folium
import geopandas as gpd
import networkx as nx
import osmnx as ox
import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner

from corridors.analysis.compare import compare
from corridors.cli import main
from corridors.errors import InvalidArgument
from corridors.network.build import Network, build_network
from corridors.network.graph import node_key
from corridors.render.exports import comparison_layers, route_layers, write_layers
from corridors.routing.api import matrix, route, route_matrix
from corridors.routing.graph_view import scenario_graph
from corridors.routing.results import RouteSet
from tests.toy import write_toy_seeds


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    return write_toy_seeds(tmp_path / "toy")


@pytest.fixture
def toy(seeds: Path) -> Network:
    return build_network(seeds)


def run(seeds: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--seeds", str(seeds)])
    return result.exit_code, result.stdout, result.stderr


# ---------------------------------------------------------------------------- matrix


def test_matrix_gives_the_values_of_route_matrix_and_a_reason_for_every_gap(toy: Network) -> None:
    origins = ["Aktau seaport", "Uzen"]
    destinations = ["Serhetyaka", "Baku port", "Uzen"]
    found = matrix(toy, origins, destinations, weight="time", modes="rail")
    values = route_matrix(toy, origins, destinations, weight="time", modes="rail")
    assert isinstance(values, pd.DataFrame)
    pd.testing.assert_frame_equal(found.values, values)
    reasons = found.reasons
    assert reasons.loc["aktau_seaport", "serhetyaka"] == ""
    assert reasons.loc["uzen_station", "uzen_station"] == "same place"
    assert found.values.loc["uzen_station", "uzen_station"] == 0.0
    gap = reasons.loc["aktau_seaport", "baku_port"]
    assert gap.startswith("no route from Aktau seaport (aktau_seaport) to Baku port")
    assert "by rail in scenario 'current'" in gap
    assert "has no rail link" in gap
    assert found.values.loc["aktau_seaport", "serhetyaka"] == pytest.approx(
        route(toy, "Aktau seaport", "Serhetyaka", weight="time", modes="rail").best.time_h
    )
    assert repr(found) == ("<RouteMatrix 2 x 3 by time (h) in 'current', 3 cells without a route>")


def test_matrix_says_which_scenario_would_connect_a_gap(toy: Network) -> None:
    found = matrix(
        toy,
        "Zhetybai",
        "Serhetyaka",
        weight="distance",
        modes="rail",
        statuses="planned",
        avoid="uzen_line",
    )
    reason = found.reasons.iloc[0, 0]
    assert "no route from Zhetybai" in reason
    assert "scenario 'current'" in reason


def test_matrix_csv_and_json(toy: Network) -> None:
    found = matrix(toy, ["Aktau seaport"], ["Serhetyaka", "Baku port"], modes="rail")
    rows = list(csv.DictReader(io.StringIO(found.to_csv())))
    assert [row["destination"] for row in rows] == ["serhetyaka", "baku_port"]
    assert rows[0]["reason"] == ""
    assert float(rows[0]["value"]) > 0
    assert rows[1]["value"] == ""
    assert rows[1]["reason"].startswith("no route")
    assert rows[0]["unit"] == "US$/t"
    data = json.loads(found.to_json())
    assert data["values"][0][1] is None
    assert data["reasons"][0][1].startswith("no route")
    assert data["origins"][0] == {
        "node_id": "aktau_seaport",
        "name": "Aktau seaport",
        "asked": "Aktau seaport",
    }
    assert data["query"]["modes"] == ["rail"]


def test_matrix_command_prints_table_csv_and_json(seeds: Path) -> None:
    args = [
        "matrix",
        "Aktau seaport",
        "Uzen",
        "--to",
        "Serhetyaka",
        "--to",
        "Baku port",
        "--modes",
        "rail",
        "--by",
        "time",
    ]
    code, out, _ = run(seeds, *args)
    assert code == 0, out
    assert "no route [1]" in out
    assert "[1] no route from Aktau seaport" in out
    code, out, err = run(seeds, *args, "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0] == (
        "origin,origin_name,destination,destination_name,weight,value,unit,reason"
    )
    assert len(out.splitlines()) == 5
    code, out, _ = run(seeds, *args, "--format", "json")
    assert json.loads(out)["query"]["weight"] == "time"


def test_matrix_command_writes_a_file_or_refuses_the_suffix(seeds: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "times.csv"
    code, out, err = run(seeds, "matrix", "Aktau seaport", "--to", "Serhetyaka", "-o", str(target))
    assert code == 0, err
    assert out == ""
    assert f"wrote {target}" in err
    assert target.read_text(encoding="utf-8").startswith("origin,")
    code, out, err = run(
        seeds, "matrix", "Aktau seaport", "--to", "Uzen", "-o", str(tmp_path / "t.xlsx")
    )
    assert code == 2
    assert err.strip() == f"error: -o {tmp_path / 't.xlsx'}: give a file ending in .csv, .json"
    assert not (tmp_path / "t.xlsx").exists()


# ---------------------------------------------------------------------------- results


def test_route_set_layers(toy: Network) -> None:
    routes = route(toy, "Aktau seaport", "Serhetyaka", modes="rail")
    legs = routes.to_geodataframe()
    assert legs.equals(routes.to_geodataframe("legs"))
    assert list(legs["order"][:3]) == [1, 2, 3]
    assert str(legs["gauge_mm"].dtype) == "Int64"
    assert str(legs["year"].dtype) == "Int64"
    assert legs["gauge_mm"].iloc[0] == 1520
    assert legs.geom_type.unique().tolist() == ["LineString"]
    whole = routes.to_geodataframe("routes")
    assert len(whole) == len(routes.all_routes)
    assert whole.geom_type.unique().tolist() == ["MultiLineString"]
    assert whole.geometry.iloc[0].length == pytest.approx(
        sum(leg.geometry.length for leg in routes.best.legs)
    )
    steps = routes.to_geodataframe("steps")
    border = steps[steps["kind"] == "border"].iloc[0]
    assert border["at"] == "serhetyaka"
    point = toy.nodes.loc["serhetyaka"]
    assert (border.geometry.x, border.geometry.y) == (point["lon"], point["lat"])
    assert steps.crs == legs.crs == whole.crs == "EPSG:4326"
    with pytest.raises(InvalidArgument, match="unknown kind 'nodes'"):
        routes.to_geodataframe("nodes")
    frame = routes.best.to_frame()
    assert str(frame["gauge_mm"].dtype) == "Int64"
    assert "geometry" not in json.loads(routes.to_json())["routes"][0]["steps"][0]


def test_short_repr_and_escaped_html(toy: Network) -> None:
    routes = route(toy, "Aktau seaport", "Serhetyaka", modes="rail")
    best = routes.best
    assert repr(best) == (
        f"<Route #1 best: aktau_seaport > ... > serhetyaka, {best.length_km:,.0f} km, "
        f"{best.time_h:,.1f} h, US${best.cost_usd_per_t:,.1f}/t>"
    )
    assert repr(routes).startswith("<RouteSet aktau_seaport to serhetyaka in 'current'")
    assert len(repr(routes)) < 200
    hostile = dataclasses.replace(best, label="<script>alert(1)</script>")
    hostile_set = RouteSet(routes=(hostile,), by_mode={}, query=routes.query)
    for text in (hostile._repr_html_(), hostile_set._repr_html_()):
        assert text.startswith("<table>")
        assert "<script>" not in text
    assert "&lt;script&gt;" in hostile_set._repr_html_()
    assert "<td>border</td>" in best._repr_html_()


def test_explore_returns_a_folium_map(toy: Network) -> None:
    routes = route(toy, "Aktau seaport", "Serhetyaka", modes="rail")
    assert isinstance(routes.to_geodataframe().explore(), folium.Map)
    assert isinstance(routes.to_geodataframe("steps").explore(column="kind"), folium.Map)


# ---------------------------------------------------------------------------- files


def test_route_layers_as_geopackage_geojson_and_csv(toy: Network, tmp_path: Path) -> None:
    layers = route_layers(route(toy, "Aktau seaport", "Serhetyaka", modes="rail"))
    gpkg = tmp_path / "r.gpkg"
    assert write_layers(layers, gpkg) == [gpkg]
    assert [name for name, _ in pyogrio.list_layers(gpkg)] == ["routes", "legs", "steps"]
    assert len(gpd.read_file(gpkg, layer="legs")) == len(layers["legs"])
    geojson = tmp_path / "r.geojson"
    write_layers(layers, geojson)
    features = json.loads(geojson.read_text(encoding="utf-8"))["features"]
    kinds = {feature["properties"]["kind"] for feature in features}
    assert kinds == {"route", "leg", "step"}
    steps = [f["properties"] for f in features if f["properties"]["kind"] == "step"]
    assert {s["step"] for s in steps} >= {"border"}
    assert len(gpd.read_file(geojson)) == sum(len(frame) for frame in layers.values())
    table = tmp_path / "r.csv"
    write_layers(layers, table)
    assert len(pd.read_csv(table)) == len(layers["legs"])
    with pytest.raises(InvalidArgument, match=r"give a file ending in \.csv, \.geojson, \.gpkg"):
        write_layers(layers, tmp_path / "r.shp")


def test_route_and_compare_commands_write_layers(seeds: Path, tmp_path: Path) -> None:
    target = tmp_path / "route.gpkg"
    code, out, err = run(seeds, "route", "Aktau seaport", "Serhetyaka", "-o", str(target))
    assert code == 0, err
    assert "legs and steps" in out
    assert f"wrote {target}" in err
    assert len(gpd.read_file(target, layer="steps")) > 0
    target = tmp_path / "compare.geojson"
    code, _, err = run(
        seeds, "compare", "with_spur", "--od", "Aktau seaport:Serhetyaka", "-o", str(target)
    )
    assert code == 0, err
    features = json.loads(target.read_text(encoding="utf-8"))["features"]
    assert {(f["properties"]["pair"], f["properties"]["side"]) for f in features} == {
        (1, "base"),
        (1, "scenario"),
    }
    for bad in ("route.shp", "maps/"):
        code, _, err = run(seeds, "route", "Aktau seaport", "Serhetyaka", "-o", str(tmp_path / bad))
        assert code == 2
        assert len(err.strip().splitlines()) == 1
        assert "give a file ending in .csv, .geojson, .gpkg" in err
    assert not (tmp_path / "route.shp").exists()


def test_comparison_layers_mark_pair_side_and_outcome(toy: Network) -> None:
    comparison = compare(
        toy, "with_spur", [("Aktau seaport", "Serhetyaka"), ("Uzen", "Baku port")], modes="rail"
    )
    layers = comparison_layers(comparison)
    routes = layers["routes"]
    assert set(zip(routes["pair"], routes["side"], strict=True)) == {(1, "base"), (1, "scenario")}
    assert str(routes["pair"].dtype) == "Int64"
    assert set(layers["legs"]["outcome"]) == {comparison.pairs[0].outcome}


# ---------------------------------------------------------------------------- options


def test_compare_takes_statuses_and_via(seeds: Path) -> None:
    code, out, err = run(
        seeds,
        "compare",
        "with_spur",
        "--od",
        "Aktau seaport:Serhetyaka",
        "--statuses",
        "operational,planned",
        "--via",
        "Uzen",
        "--format",
        "json",
    )
    assert code == 0, err
    pair = json.loads(out)["pairs"][0]
    assert pair["base"]["routes"][0]["node_ids"].count("uzen_station") == 1
    assert "spur" not in [leg["link_id"] for leg in pair["base"]["routes"][0]["legs"]]
    code, out, _ = run(
        seeds,
        "compare",
        "with_spur",
        "--od",
        "Aktau seaport:Serhetyaka",
        "--statuses",
        "operational,planned",
        "--format",
        "json",
    )
    base = json.loads(out)["pairs"][0]["base"]["routes"][0]
    assert "spur" in [leg["link_id"] for leg in base["legs"]]


def test_compare_table_has_a_change_in_km(seeds: Path) -> None:
    code, out, err = run(seeds, "compare", "with_spur", "--od", "Aktau seaport:Serhetyaka")
    assert code == 0, err
    assert "change km" in out


def test_report_takes_modes_alternatives_and_avoid(seeds: Path, tmp_path: Path) -> None:
    target = tmp_path / "spur.html"
    code, _, err = run(
        seeds,
        "report",
        "with_spur",
        "--modes",
        "rail",
        "-k",
        "1",
        "--avoid",
        "zhetybai_station",
        "--od",
        "Aktau seaport:Serhetyaka",
        "-o",
        str(target),
    )
    assert code == 0, err
    data = json.loads(target.with_suffix(".json").read_text(encoding="utf-8"))
    pair = data["pairs"][0]
    assert pair["base"]["best"] is None
    assert "avoiding zhetybai_station cuts every route" in pair["base"]["reason"]
    folder = tmp_path / "all"
    code, _, err = run(seeds, "report", "--all", "--modes", "road", "-k", "1", "-o", str(folder))
    assert code == 0, err
    data = json.loads((folder / "with_spur.json").read_text(encoding="utf-8"))
    pair = data["pairs"][0]
    assert pair["outcome"] == "not connected"
    assert "by road" in pair["base"]["reason"]


# ---------------------------------------------------------------------------- graph


def test_scenario_graph_agrees_with_route_on_one_mode_without_borders(toy: Network) -> None:
    graph = scenario_graph(toy, "current", modes="rail")
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.graph["scenario"] == "current"
    assert {data["link_id"] for _, _, data in graph.edges(data=True)} == {
        "port_line",
        "main_line",
        "uzen_line",
        "border_line",
        "crossing",
    }
    for weight, attribute in (("time", "time_h"), ("cost", "cost_usd_per_t")):
        best = route(toy, "Aktau seaport", "Uzen", modes="rail", weight=weight).best
        path = ox.routing.shortest_path(
            graph, node_key("aktau_seaport"), node_key("uzen_station"), weight=attribute
        )
        assert [graph.nodes[n]["id"] for n in path] == best.node_ids
        assert nx.path_weight(graph, path, weight=attribute) == pytest.approx(best.value(weight))
    crossing = graph.get_edge_data(node_key("bolashak"), node_key("serhetyaka"))[0]
    assert crossing["border_time_h"] == 20.0  # the toy's rail default, one per side
    assert crossing["border_cost_usd_per_t"] == 8.0
    assert (
        graph.get_edge_data(node_key("uzen_station"), node_key("bolashak"))[0]["border_time_h"]
        == 0.0
    )


def test_scenario_graph_follows_the_scenario(toy: Network) -> None:
    spur = scenario_graph(toy, "with_spur")
    assert "new_spur" in {data["link_id"] for _, _, data in spur.edges(data=True)}
    planned = scenario_graph(toy, statuses=["operational", "planned"])
    assert "spur" in {data["link_id"] for _, _, data in planned.edges(data=True)}
    assert "spur" not in {data["link_id"] for _, _, data in scenario_graph(toy).edges(data=True)}
    with pytest.raises(InvalidArgument, match="unknown mode 'air'"):
        scenario_graph(toy, modes="air")


def test_matrix_html_escapes_and_marks_gaps(toy: Network) -> None:
    found = matrix(toy, ["Aktau seaport", "Uzen"], ["Baku port", "Uzen"], modes="rail")
    text = found._repr_html_()
    assert text.startswith("<table>")
    assert "- (same place)" in text
    assert "- (no route from Aktau seaport" in text
    assert "&#x27;current&#x27;" in text
    assert "<script" not in text
