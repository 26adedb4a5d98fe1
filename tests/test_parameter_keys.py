"""Every time and cost term of a route names the parameter entry that produced it."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.data.schema import BorderCrossing, BreakOfGauge, Speed, Transfer
from corridors.network.build import Network, build_network
from corridors.routing.api import route
from corridors.routing.costs import CostModel, parameter_key
from corridors.routing.results import terms_by_key
from tests.toy import write_toy_seeds


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory) -> Network:
    return build_network(write_toy_seeds(tmp_path_factory.mktemp("toy") / "seeds"))


def test_keys_are_built_from_the_selector_fields() -> None:
    speed = Speed(mode="road", status="under_construction", km_h=70, source="assumption")
    assert parameter_key("speed", speed) == "speed:road:under_construction"
    assert parameter_key("speed", Speed(mode="rail", km_h=40, source="x")) == "speed:rail"
    transfer = Transfer.model_validate(
        {"from": "rail", "to": "sea", "time_h": 1, "cost_usd_per_t": 1, "source": "x"}
    )
    assert parameter_key("transfer", transfer) == "transfer:rail->sea"
    crossing = BorderCrossing.model_validate(
        {
            "link": "kti_bolashak_serhetyaka",
            "name": "Bolashak - Serhetyaka",
            "forward": {"dwell_h": 1, "cost_usd_per_t": 1},
            "reverse": {"dwell_h": 2, "cost_usd_per_t": 1},
            "source": "x",
        }
    )
    key = parameter_key("border", crossing, direction="reverse")
    assert key == "border:kti_bolashak_serhetyaka:reverse"
    gauge = BreakOfGauge(time_h=1, cost_usd_per_t=1, source="x")
    assert parameter_key("break_of_gauge", gauge) == "break_of_gauge"


def test_link_terms_add_up_to_the_totals(toy: Network) -> None:
    parameters = toy.seeds.parameters
    assert parameters is not None
    model = CostModel(parameters)
    terms = model.link("toy", "rail", "operational", [("KZ", 30.0), ("TM", 10.0)], 80.0)
    assert terms.time_terms == (("speed:rail", 1.5), ("speed:rail", 0.5))
    assert terms.cost_terms == (("tariff:rail:*", 6.0), ("tariff:rail:*", 2.0))
    assert terms.time_h == sum(h for _, h in terms.time_terms)
    assert terms.cost_usd_per_t == sum(c for _, c in terms.cost_terms)
    sea = model.link("toy_lane", "sea", "operational", [], 100.0)
    assert sea.cost_terms == (("tariff:sea:*", pytest.approx(11.0)),)


def test_every_item_of_a_route_is_traced_to_its_keys(toy: Network) -> None:
    found = route(toy, "Aktau seaport", "Serhetyaka", modes=["rail"]).best
    for item in found.items:
        assert sum(v for _, v in item.time_terms) == pytest.approx(item.time_h)
        assert sum(v for _, v in item.cost_terms) == pytest.approx(item.cost_usd_per_t)
    keys = {key for item in found.items for key, _ in item.time_terms}
    assert "speed:rail" in keys
    assert "border_default:rail" in keys
    border = next(s for s in found.steps if s.kind == "border")
    assert border.time_terms == (("border_default:rail", 10.0), ("border_default:rail", 10.0))
    data = found.to_dict()
    assert data["steps"][0]["time_terms"] or data["steps"][0]["kind"] == "gauge_unknown"
    assert data["legs"][0]["time_terms"] == {
        "speed:rail": pytest.approx(found.legs[0].time_h, abs=1e-3)
    }


def test_frames_carry_the_terms_as_text(toy: Network) -> None:
    found = route(toy, "Aktau seaport", "Serhetyaka", modes=["rail"])
    legs = found.to_geodataframe("legs")
    assert legs["time_terms"].str.startswith("speed:rail=").all()


def test_terms_by_key_adds_repeated_keys() -> None:
    assert terms_by_key((("a", 1.0), ("b", 2.0), ("a", 3.0))) == {"a": 4.0, "b": 2.0}


def test_gpkg_export_takes_the_terms(toy: Network, tmp_path: Path) -> None:
    legs = route(toy, "Aktau seaport", "Serhetyaka", modes=["rail"]).to_geodataframe("steps")
    legs.to_file(tmp_path / "steps.gpkg")
    assert (tmp_path / "steps.gpkg").exists()
