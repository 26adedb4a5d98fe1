"""Sweeps on Dask: a LocalCluster on loopback gives exactly the single-process numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from corridors.analysis.uncertainty.sweep import COLUMNS, local_client, sweep
from corridors.data.schema import Uncertainty
from corridors.data.uncertainty import load_uncertainty
from corridors.errors import UnknownScenario
from corridors.network.build import Network, build_network
from tests.toy import write_toy_seeds

PAIRS = [("Aktau seaport", "Serhetyaka"), ("Aktau", "Baku port")]


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory) -> Network:
    return build_network(write_toy_seeds(tmp_path_factory.mktemp("toy") / "seeds"))


@pytest.fixture(scope="module")
def uncertainty(toy: Network) -> Uncertainty:
    return load_uncertainty(toy.seeds)


def test_a_sweep_has_one_row_per_scenario_sample_pair_and_route(
    toy: Network, uncertainty: Uncertainty
) -> None:
    seen: list[tuple[int, int]] = []
    result = sweep(
        toy,
        uncertainty,
        ["current", "with_spur"],
        PAIRS,
        samples=50,
        seed=1,
        weight="time",
        progress=lambda done, total: seen.append((done, total)),
    )
    frame = result.frame
    assert list(frame.columns) == COLUMNS
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    counts = frame.groupby(["scenario", "origin", "destination", "rank"]).size()
    assert set(counts) == {50}
    # exactly one best route per scenario, pair and sample
    best = frame.groupby(["scenario", "origin", "destination", "sample"])["best"].sum()
    assert set(best) == {1}
    summary = result.summary()
    row = summary.iloc[0]
    assert row["time_h_p10"] <= row["time_h_p50"] <= row["time_h_p90"]
    assert 0 <= row["p_best"] <= 1


def test_the_same_draws_in_every_scenario(toy: Network, uncertainty: Uncertainty) -> None:
    result = sweep(toy, uncertainty, ["current", "dear_time"], PAIRS[:1], samples=40, seed=3)
    frame = result.frame
    today = frame[frame["scenario"] == "current"].reset_index(drop=True)
    dear = frame[frame["scenario"] == "dear_time"].reset_index(drop=True)
    # a dearer value of time changes no time: sample by sample the times are the same
    pd.testing.assert_series_equal(today["time_h"], dear["time_h"])


def test_a_local_cluster_gives_the_single_process_numbers(
    toy: Network, uncertainty: Uncertainty
) -> None:
    scenarios = ["current", "with_spur"]
    alone = sweep(toy, uncertainty, scenarios, PAIRS, samples=30, seed=5)
    with local_client(2, processes=False) as client:
        spread = sweep(toy, uncertainty, scenarios, PAIRS, samples=30, seed=5, client=client)
    pd.testing.assert_frame_equal(alone.frame, spread.frame, check_exact=True)


def test_an_unknown_scenario_stops_before_any_work(toy: Network, uncertainty: Uncertainty) -> None:
    with pytest.raises(UnknownScenario, match="curent"):
        sweep(toy, uncertainty, ["curent"], PAIRS, samples=5)
