"""Calibration against observations, on the toy network with observations written for the test."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from corridors.analysis import calibrate as calibrate_module
from corridors.analysis.calibrate import calibrate
from corridors.cli import main
from corridors.data.seeds import load_seeds
from corridors.errors import InvalidSeed
from corridors.network.build import Network, build_network
from corridors.routing.api import route
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
  value: 1.1
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
  year: 2023
  value: 100
  unit: h
  source: osm
- id: port_to_border_slow_truck
  indicator: trip_time
  scope: trip
  origin: Aktau seaport
  destination: Serhetyaka
  mode: rail
  direction: forward
  cargo_unit: container
  year: 2024
  value: 200
  unit: h
  source: osm
  known_outlier: "A truck held at the border for a week."
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
        "port_to_border_slow_truck": "outside",
        "beyond_the_model": "not routed",
        "kz_rail_speed": "within",
        "kz_rail_tfi3": "within",
        "kz_rail_border": "outside",
        "ferry_per_truck": status["ferry_per_truck"],
    }
    checks = {c.observation.id: c for c in result.checks}
    # 1.1 days is 26.4 h; the model's time is the best rail route's.
    assert checks["port_to_border_rail"].observed == pytest.approx(26.4)
    assert checks["port_to_border_rail"].model is not None
    assert "lies outside the model" in checks["beyond_the_model"].reason
    # TFI3 is the toy's rail tariff (0.1 US$/t-km) over 500 km for 20 t.
    assert checks["kz_rail_tfi3"].model == pytest.approx(1000.0)
    # One side of a border: the toy has no side of its own, so the rail default per side.
    assert checks["kz_rail_border"].model == pytest.approx(10.0)
    # A fare per truck is the route's cost per tonne times the truck's payload (20 t).
    ferry = checks["ferry_per_truck"]
    assert ferry.status in {"within", "outside"}
    by_sea = route(network, "Aktau seaport", "Turkmenbashi seaport", modes="sea", cargo="truck")
    assert ferry.model == pytest.approx(by_sea.best.cost_usd_per_t * 20)
    summary = result.summary().set_index(["indicator", "mode"])
    assert summary.loc[("trip_time", "rail"), "compared"] == 3
    assert summary.loc[("trip_time", "rail"), "current"] == 2


def test_a_later_year_supersedes_an_earlier_one(seeds: Path) -> None:
    network = build_network(seeds)
    checks = {c.observation.id: c for c in calibrate(network, network.seeds.observations).checks}
    assert checks["port_to_border_far_off"].superseded
    assert not checks["port_to_border_rail"].superseded


def test_a_trip_observed_in_many_years_is_routed_once(
    seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = build_network(seeds)
    trips: list[tuple[object, ...]] = []

    def counting(applied: object, origin: str, destination: str, **options: object) -> object:
        trips.append((origin, destination, options["cargo"]))
        return route(applied, origin, destination, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(calibrate_module, "route", counting)
    checks = {c.observation.id: c for c in calibrate(network, network.seeds.observations).checks}
    # port_to_border_rail and port_to_border_far_off are one trip (2024 and 2023), by wagon: a
    # unit the toy does not list, so the default unit's route
    assert trips.count(("Aktau seaport", "Serhetyaka", None)) == 1
    assert len(trips) == len(set(trips)) == 4
    assert checks["port_to_border_rail"].model == checks["port_to_border_far_off"].model
    assert checks["beyond_the_model"].status == "not routed"


def test_known_outliers_are_listed_apart(seeds: Path) -> None:
    network = build_network(seeds)
    result = calibrate(network, network.seeds.observations)
    unexplained = {c.observation.id for c in result.unexplained}
    assert "port_to_border_slow_truck" not in unexplained
    assert "kz_rail_border" in unexplained
    frame = result.to_frame().set_index("id")
    assert frame.loc["port_to_border_slow_truck", "known_outlier"].startswith("A truck")


def test_observations_a_parameter_was_set_from_are_in_sample(seeds: Path) -> None:
    parameters = seeds / "parameters.yaml"
    text = parameters.read_text(encoding="utf-8").replace(
        "  - {mode: road, km_h: 50, source: assumption}",
        "  - {mode: road, km_h: 50, source: assumption}\n"
        "  - {mode: rail, country: KZ, km_h: 40, source: osm, observations: [kz_rail_speed]}",
    )
    parameters.write_text(text, encoding="utf-8")
    network = build_network(seeds)
    result = calibrate(network, network.seeds.observations)
    checks = {c.observation.id: c for c in result.checks}
    assert checks["kz_rail_speed"].in_sample
    assert not checks["port_to_border_rail"].in_sample
    current = [c for c in result.checks if c.status in {"within", "outside"} and not c.superseded]
    out = [c for c in current if not c.in_sample]
    assert result.share_within == pytest.approx(
        sum(c.status == "within" for c in current) / len(current)
    )
    assert result.share_within_out_of_sample == pytest.approx(
        sum(c.status == "within" for c in out) / len(out)
    )


def test_a_parameter_citing_an_unknown_observation_is_refused(seeds: Path) -> None:
    parameters = seeds / "parameters.yaml"
    text = parameters.read_text(encoding="utf-8").replace(
        "  - {mode: road, km_h: 50, source: assumption}",
        "  - {mode: road, km_h: 50, source: assumption}\n"
        "  - {mode: rail, country: KZ, km_h: 40, source: osm, observations: [kz_rail_sped]}",
    )
    parameters.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidSeed) as caught:
        load_seeds(seeds)
    message = "\n".join(caught.value.lines())
    assert "kz_rail_sped" in message
    assert "kz_rail_speed" in message  # the did-you-mean


def test_calibrate_command_prints_json(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDORS_CACHE", str(seeds.parent / "cache"))
    result = CliRunner().invoke(main, ["calibrate", "--seeds", str(seeds), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {row["id"] for row in data["checks"]} >= {"port_to_border_rail", "kz_rail_speed"}
    assert 0 < data["share_within"] < 1
    assert "share_within_out_of_sample" in data


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
