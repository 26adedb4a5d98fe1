"""Real-seed facts: the model against the observations in seeds/observations.yaml.

These tests read the repository's seeds: when a parameter or an observation changes, they say
whether the model still reproduces what it did, and that every miss is explained.
"""

from __future__ import annotations

from corridors.analysis.calibrate import calibrate
from corridors.network.build import Network


def test_real_seeds_reproduce_most_current_observations(network: Network) -> None:
    result = calibrate(network, network.seeds.observations)
    assert result.share_within >= 0.8, result.summary()


def test_real_seeds_explain_every_current_miss(network: Network) -> None:
    result = calibrate(network, network.seeds.observations)
    unexplained = [
        f"{c.observation.id}: observed {c.observed:g}, model {c.model:g} {c.unit}"
        for c in result.unexplained
    ]
    assert not unexplained, "\n".join(unexplained)


def test_real_seeds_compare_observations_out_of_sample(network: Network) -> None:
    result = calibrate(network, network.seeds.observations)
    out = [c for c in result.checks if c.status in {"within", "outside"} and not c.in_sample]
    # Trips and the figures no parameter was set from are held against the model too.
    assert len(out) >= 20
    assert any(c.observation.scope.value == "trip" for c in out)
