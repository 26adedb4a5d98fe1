"""``corridors flows`` on the toy seeds: tables, outputs, and one-line errors for bad input."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner

from corridors.cli import main
from tests.toy import TOY_DEMAND, write_flow_toy_seeds


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_flow_toy_seeds(tmp_path_factory.mktemp("flows-cli") / "seeds")


def test_flows_prints_utilisation_and_writes_layer_map_and_section(
    seeds: Path, tmp_path: Path
) -> None:
    gpkg, html, md = tmp_path / "flows.gpkg", tmp_path / "flows.html", tmp_path / "flows.md"
    result = CliRunner().invoke(
        main,
        [
            "flows", "current", "--seeds", str(seeds), "--calibrate", "-o", str(gpkg),
            "--map", str(html), "--report", str(md),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Rail crossing" in result.output
    assert "utilisation %" in result.output
    assert "WAPE" in result.output
    layer = gpd.read_file(gpkg, layer="link_flows")
    assert {"link", "total_t", "t_grain", "utilisation"} <= set(layer.columns)
    assert layer.set_index("link").loc["lane_az", "t_containers"] == pytest.approx(100_000)
    page = html.read_text(encoding="utf-8")
    assert "Border road" in page
    assert "over capacity" in page
    section = md.read_text(encoding="utf-8")
    assert section.startswith("## Freight flows")
    assert "| Rail crossing |" in section


def test_flows_compares_two_scenarios(seeds: Path) -> None:
    result = CliRunner().invoke(
        main, ["flows", "with_spur", "--compare", "current", "--seeds", str(seeds)]
    )
    assert result.exit_code == 0, result.output
    assert "Links gaining most against current" in result.output
    assert "New spur" in result.output


def test_an_unknown_demand_scenario_is_one_line_and_exit_2(seeds: Path) -> None:
    result = CliRunner().invoke(
        main, ["flows", "current", "--demand", "dubled", "--seeds", str(seeds)]
    )
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: unknown demand scenario 'dubled'; did you mean 'doubled'? "
        "(in demand/scenarios.yaml: base, doubled)"
    ]


def test_a_bad_demand_file_is_reported_with_file_row_and_fix(tmp_path: Path) -> None:
    folder = write_flow_toy_seeds(
        tmp_path / "seeds", demand=TOY_DEMAND.replace("destination: serhetyaka, commodity: grain",
                                                      "destination: serhetyaka, commodity: grian")
    )  # fmt: skip
    gpkg = tmp_path / "out.gpkg"
    result = CliRunner().invoke(main, ["flows", "current", "--seeds", str(folder), "-o", str(gpkg)])
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: demand/base.yaml: cell 'grain_aktau_border'")
    assert "key 'commodity'" in line
    assert "Traceback" not in result.output
    assert not gpkg.exists()


def test_an_unknown_scenario_is_refused(seeds: Path) -> None:
    result = CliRunner().invoke(main, ["flows", "curent", "--seeds", str(seeds)])
    assert result.exit_code == 2
    assert "did you mean 'current'" in result.output


def test_a_wrong_output_suffix_is_refused(seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "flows.csv"
    result = CliRunner().invoke(main, ["flows", "current", "--seeds", str(seeds), "-o", str(out)])
    assert result.exit_code == 2
    assert "give a file ending in .gpkg" in result.output


def test_names_from_the_seeds_are_escaped_on_the_flow_map(tmp_path: Path) -> None:
    folder = write_flow_toy_seeds(tmp_path / "seeds")
    links = folder / "links.yaml"
    hostile = 'name: "Border {{ 7*7 }} <b>road</b>"'
    links.write_text(links.read_text().replace("name: Border road", hostile), encoding="utf-8")
    html = tmp_path / "flows.html"
    result = CliRunner().invoke(
        main, ["flows", "current", "--seeds", str(folder), "--map", str(html)]
    )
    assert result.exit_code == 0, result.output
    page = html.read_text(encoding="utf-8")
    assert "<b>road</b>" not in page
    assert "Border 49" not in page
    assert "&lt;b&gt;road&lt;/b&gt;" in page
