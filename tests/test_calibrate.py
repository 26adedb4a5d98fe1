"""Calibration against observations, on the toy network with observations written for the test."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from corridors.analysis.calibrate import calibrate
from corridors.cli import main
from corridors.data.seeds import load_seeds
from corridors.errors import InvalidSeed
from corridors.network.build import Network, build_network
from tests.toy import write_toy_seeds

OBSERVATIONS = """
- id: port_to_border_rail
  indicator: trip_time
  scope: trip
  origin: Aktau seaport
  destination: Serhetyaka
  mode: rail
  direction: forward
  cargo_unit: wagon
  year: 2024
  value: 0.7
  unit: days
  source: osm
- id: port_to_border_far_off
  indicator: trip_time
  scope: trip
  origin: Aktau seaport
  destination: Serhetyaka
  mode: rail
  direction: forward
  cargo_unit: wagon
  value: 100
  unit: h
  source: osm
- id: beyond_the_model
  indicator: trip_time
  scope: trip
  origin: Tashkent
  destination: Serhetyaka
  mode: rail
  direction: forward
  cargo_unit: wagon
  value: 50
  unit: h
  source: osm
- id: kz_rail_speed
  indicator: speed_without_delay
  scope: country
  country: KZ
  mode: rail
  direction: both
  cargo_unit: unspecified
  year: 2023
  value: 40
  unit: km/h
  source: osm
- id: kz_rail_tfi3
  indicator: cost_per_500km
  scope: country
  country: KZ
  mode: rail
  direction: both
  cargo_unit: unspecified
  payload_t: 20
  value: 1000
  unit: US$
  source: osm
- id: kz_rail_border
  indicator: border_time
  scope: country
  country: KZ
  mode: rail
  direction: outbound
  cargo_unit: unspecified
  value: 48.6
  unit: h
  source: osm
- id: ferry_per_truck
  indicator: trip_cost
  scope: trip
  origin: Aktau seaport
  destination: Turkmenbashi seaport
  mode: sea
  direction: forward
  cargo_unit: truck
  value: 800
  unit: US$/truck
  source: osm
"""


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = write_toy_seeds(tmp_path / "toy")
    (folder / "observations.yaml").write_text(textwrap.dedent(OBSERVATIONS), encoding="utf-8")
    return folder


def test_every_observation_is_compared_or_says_why(seeds: Path) -> None:
    network: Network = build_network(seeds)
    result = calibrate(network, network.seeds.observations)
    status = {c.observation.id: c.status for c in result.checks}
    assert status == {
        "port_to_border_rail": "within",
        "port_to_border_far_off": "outside",
        "beyond_the_model": "not routed",
        "kz_rail_speed": "within",
        "kz_rail_tfi3": "within",
        "kz_rail_border": "not comparable",
        "ferry_per_truck": "not comparable",
    }
    checks = {c.observation.id: c for c in result.checks}
    # 0.7 days is 16.8 h; the model's time is the best rail route's (17.0 h).
    assert checks["port_to_border_rail"].observed == pytest.approx(16.8)
    assert checks["port_to_border_rail"].model is not None
    assert "lies outside the model" in checks["beyond_the_model"].reason
    # TFI3 is the toy's rail tariff (0.1 US$/t-km) over 500 km for 20 t.
    assert checks["kz_rail_tfi3"].model == pytest.approx(1000.0)
    assert result.share_within == pytest.approx(3 / 4)
    summary = result.summary().set_index(["indicator", "mode"])
    assert summary.loc[("trip_time", "rail"), "compared"] == 2
    assert summary.loc[("trip_time", "rail"), "within"] == 1


def test_calibrate_command_prints_json(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDORS_CACHE", str(seeds.parent / "cache"))
    result = CliRunner().invoke(main, ["calibrate", "--seeds", str(seeds), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {row["id"] for row in data["checks"]} >= {"port_to_border_rail", "kz_rail_speed"}
    assert data["share_within"] == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "  source: osm\n- id: port_to_border_far_off",
            "  source: nowhere\n- id: port_to_border_far_off",
            "unknown source 'nowhere'",
        ),
        ("indicator: speed_without_delay", "indicator: speed", "key 'indicator'"),
        ("- id: port_to_border_far_off", "- id: port_to_border_rail", "duplicate id"),
        ("  origin: Tashkent\n", "", "needs an origin and a destination"),
    ],
)
def test_bad_observations_are_one_message_each(
    seeds: Path, old: str, new: str, message: str
) -> None:
    path = seeds / "observations.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InvalidSeed) as caught:
        load_seeds(seeds)
    assert len(caught.value.problems) == 1
    assert message in str(caught.value.problems[0])
