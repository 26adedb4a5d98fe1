"""Fuzzing the seed files: whatever is in them, validation reports problems, never a traceback.

Each example mutates one or more of the small seed and scenario files (byte and line edits,
deleted and duplicated keys, values of the wrong type, a byte-order mark, an empty file,
random text) and checks that ``load_seeds`` either returns or raises ``InvalidSeed``, and that
``corridors validate`` exits with 0 or 2 and prints only ``error: `` lines on failure.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from corridors.cli import main
from corridors.data.seeds import load_seeds
from corridors.errors import CorridorsError, InvalidSeed, SeedProblem
from corridors.network.build import build_network
from corridors.routing.api import route
from corridors.routing.scenarios import apply_scenario
from tests.seedfiles import FULL_SEEDS

# Deterministic by default so that CI is repeatable; set CORRIDORS_HYPOTHESIS_EXAMPLES (and
# CORRIDORS_HYPOTHESIS_RANDOM=1) to explore more widely.
EXAMPLES = int(os.environ.get("CORRIDORS_HYPOTHESIS_EXAMPLES", "40"))
fuzz_settings = settings(
    max_examples=EXAMPLES,
    derandomize=os.environ.get("CORRIDORS_HYPOTHESIS_RANDOM") != "1",
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

ORIGINAL = {name: text.encode("utf-8") for name, text in FULL_SEEDS.items()}
NAMES = sorted(ORIGINAL)

# Values of the wrong type, or of strange YAML types, to put after a key.
ODD_VALUES = [
    "",
    "[]",
    "{}",
    "null",
    "~",
    "-1",
    "0",
    "1e999",
    ".nan",
    "-.inf",
    "true",
    "yes",
    '"x"',
    "[[1, 2], [3]]",
    "{a: [b, {c: d}]}",
    "2020-01-01",
    "!!binary aGVsbG8=",
    "!!python/object:os.system ls",
    "&anchor x",
    "*anchor",
    "[unclosed",
    "'quote",
    "1520",
    "1000",
    "zhetybai_station",
    "gas_field",
    "assumption",
    "- item",
    "{from: rail, to: road}",
    "\t",
    "port_line",
    "[main_line, main_line]",
]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def _position(draw: st.DrawFn, data: bytes) -> int:
    return draw(st.integers(0, max(len(data) - 1, 0)))


def _line_index(draw: st.DrawFn, data: bytes) -> int:
    return draw(st.integers(0, len(_lines(data)) - 1))


def _text(draw: st.DrawFn, max_size: int) -> bytes:
    return draw(st.text(max_size=max_size)).encode("utf-8", errors="surrogatepass")


def _replace_byte(draw: st.DrawFn, data: bytes) -> bytes:
    at = _position(draw, data)
    return data[:at] + draw(st.binary(min_size=1, max_size=1)) + data[at + 1 :]


def _insert_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    at = _position(draw, data)
    return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]


def _delete_span(draw: st.DrawFn, data: bytes) -> bytes:
    at = _position(draw, data)
    return data[:at] + data[at + draw(st.integers(1, 40)) :]


def _truncate(draw: st.DrawFn, data: bytes) -> bytes:
    return data[: _position(draw, data)]


def _delete_line(draw: st.DrawFn, data: bytes) -> bytes:
    lines, index = _lines(data), _line_index(draw, data)
    return b"".join(lines[:index] + lines[index + 1 :])


def _duplicate_line(draw: st.DrawFn, data: bytes) -> bytes:
    lines, index = _lines(data), _line_index(draw, data)
    return b"".join([*lines[: index + 1], lines[index], *lines[index + 1 :]])


def _swap_lines(draw: st.DrawFn, data: bytes) -> bytes:
    lines, index, other = _lines(data), _line_index(draw, data), _line_index(draw, data)
    lines[index], lines[other] = lines[other], lines[index]
    return b"".join(lines)


def _indent_line(draw: st.DrawFn, data: bytes) -> bytes:
    lines, index = _lines(data), _line_index(draw, data)
    return b"".join([*lines[:index], b"  " + lines[index], *lines[index + 1 :]])


def _odd_value(draw: st.DrawFn, data: bytes) -> bytes:
    lines, index = _lines(data), _line_index(draw, data)
    key, colon, _ = lines[index].partition(b":")
    value = draw(st.sampled_from(ODD_VALUES)).encode("utf-8")
    lines[index] = key + b": " + value + b"\n" if colon else value + b"," + lines[index]
    return b"".join(lines)


def _insert_text(draw: st.DrawFn, data: bytes) -> bytes:
    lines, index = _lines(data), _line_index(draw, data)
    return b"".join([*lines[:index], _text(draw, 30) + b"\n", *lines[index:]])


MUTATIONS = {
    "replace a byte": _replace_byte,
    "insert bytes": _insert_bytes,
    "delete a span": _delete_span,
    "truncate": _truncate,
    "delete a line (and its key)": _delete_line,
    "duplicate a line (and its key)": _duplicate_line,
    "swap two lines": _swap_lines,
    "indent a line": _indent_line,
    "a value of the wrong type": _odd_value,
    "insert random text": _insert_text,
    "byte-order mark": lambda _, data: b"\xef\xbb\xbf" + data,
    "empty file": lambda _, data: b"",
    "random text": lambda draw, _: _text(draw, 200),
}


@st.composite
def mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """One mutation of a file's bytes."""
    mutate = MUTATIONS[draw(st.sampled_from(sorted(MUTATIONS)))]
    return mutate(draw, data)


@st.composite
def broken_seeds(draw: st.DrawFn) -> dict[str, bytes | None]:
    """The small seeds with one to three files mutated (or deleted)."""
    files: dict[str, bytes | None] = dict(ORIGINAL)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(NAMES))
        current = files[name]
        if draw(st.integers(0, 19)) == 0:
            files[name] = None  # a deleted file
        else:
            files[name] = draw(mutations(current or b""))
    return files


@pytest.fixture(autouse=True, scope="module")
def _no_cache() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CORRIDORS_CACHE", "off")
        yield


def _write(folder: Path, files: dict[str, bytes | None]) -> Path:
    for name, data in files.items():
        if data is None:
            continue
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def problems_or_none(folder: Path) -> list[SeedProblem] | None:
    """Load the seeds: None when they are valid, else the problems (any other error fails)."""
    try:
        load_seeds(folder)
    except InvalidSeed as error:
        return error.problems
    return None


@fuzz_settings
@given(broken_seeds())
def test_load_seeds_reports_problems_and_never_crashes(files: dict[str, bytes | None]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = _write(Path(tmp), files)
        problems = problems_or_none(folder)
    for problem in problems or []:
        text = str(problem)
        assert len(text.splitlines()) == 1, text
        assert text.startswith(f"{problem.file}: ")
        assert ". Fix: " in text
        assert problem.fix
    if problems is not None:
        assert problems


@settings(fuzz_settings, max_examples=max(EXAMPLES // 2, 1))
@given(broken_seeds())
def test_validate_exits_with_0_or_2_and_prints_only_errors(
    files: dict[str, bytes | None],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = _write(Path(tmp), files)
        result = CliRunner().invoke(main, ["validate", "--seeds", str(folder)])
    assert result.exit_code in {0, 2}, (result.output, result.exception)
    if result.exit_code == 2:
        lines = result.output.splitlines()
        assert lines
        assert all(line.startswith("error: ") for line in lines), result.output
        assert len(lines) <= InvalidSeed.SHOWN + 1


@fuzz_settings
@given(st.sampled_from(NAMES), st.text(max_size=300))
def test_any_text_in_any_file_is_reported_not_raised(name: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files: dict[str, bytes | None] = {
            **ORIGINAL,
            name: text.encode("utf-8", errors="surrogatepass"),
        }
        folder = _write(Path(tmp), files)
        problems = problems_or_none(folder)
    lines = InvalidSeed(problems).lines(limit=None) if problems else []
    assert all(len(line.splitlines()) == 1 for line in lines)


LINK_IDS = ["port_line", "main_line", "new_road", "fz_link", "bogus", "Port_Line", ""]
NODE_IDS = [
    "aktau_seaport",
    "mangyshlak_station",
    "zhetybai_station",
    "zhetybai_yard",
    "gas_field",
    "nowhere",
]
SOURCE_IDS = ["osm", "assumption", "nope"]
coordinates = st.floats(allow_nan=True, allow_infinity=True) | st.floats(20, 60)


@st.composite
def added_links(draw: st.DrawFn) -> dict[str, object]:
    """A link to add, mostly well-formed, sometimes not."""
    link: dict[str, object] = {
        "id": draw(st.sampled_from(LINK_IDS)),
        "name": "A new link",
        "from": draw(st.sampled_from(NODE_IDS)),
        "to": draw(st.sampled_from(NODE_IDS)),
        "mode": draw(st.sampled_from(["rail", "road", "sea", "air"])),
        "status": draw(st.sampled_from(["operational", "planned", "closed"])),
        "alignment": draw(st.sampled_from(["approximate", "schematic"])),
        "sources": draw(st.lists(st.sampled_from(SOURCE_IDS), max_size=2)),
        "confidence": "low",
        "waypoints": draw(st.lists(st.tuples(coordinates, coordinates), max_size=3)),
    }
    if draw(st.booleans()):
        link["gauge_mm"] = draw(st.sampled_from([1435, 1520, 1676, 1000, -5]))
    if draw(st.booleans()):
        link["published_length"] = {
            "km": draw(st.sampled_from([0, 12.5, 300, -1])),
            "source": draw(st.sampled_from(SOURCE_IDS)),
        }
    return link


@st.composite
def scenario_changes(draw: st.DrawFn) -> dict[str, object]:
    """A scenario's changes, mixing valid and invalid ids, values and links."""
    ids = st.lists(st.sampled_from(LINK_IDS), max_size=3)
    statuses = st.sampled_from(["operational", "under_construction", "planned", "shut"])
    changes: dict[str, object] = {
        "open": draw(ids),
        "close": draw(ids),
        "set_status": draw(st.dictionaries(st.sampled_from(LINK_IDS), statuses, max_size=2)),
        "set_gauge": draw(
            st.dictionaries(
                st.sampled_from(LINK_IDS), st.sampled_from([1435, 1520, 1676, 1000, -5])
            )
        ),
        "add_links": draw(st.lists(added_links(), max_size=2)),
        "speeds": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "mode": st.sampled_from(["rail", "road", "sea"]),
                        "km_h": st.sampled_from([10, 60, 0]),
                        "source": st.sampled_from(SOURCE_IDS),
                    }
                ),
                max_size=2,
            )
        ),
    }
    return {key: value for key, value in changes.items() if draw(st.booleans())}


@settings(fuzz_settings, max_examples=max(EXAMPLES // 2, 1))
@given(
    st.sampled_from([None, "current", "plan", "fz", "nope"]),
    scenario_changes(),
)
def test_a_scenario_that_validates_applies_and_routes(
    base: str | None, changes: dict[str, object]
) -> None:
    scenario: dict[str, object] = {"name": "fz", "title": "Fuzzed", "description": "Fuzzed."}
    if base is not None:
        scenario["base"] = base
    scenario["changes"] = changes
    files: dict[str, bytes | None] = {
        **ORIGINAL,
        "scenarios/fz.yaml": yaml.safe_dump(scenario, allow_unicode=True).encode("utf-8"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = _write(Path(tmp), files)
        try:
            seeds = load_seeds(folder)
        except InvalidSeed:
            event("the scenario does not validate")
            return
        event("the scenario validates")
        network = build_network(seeds)
        applied = apply_scenario(network, "fz")
        assert set(applied.routable_links) <= set(applied.network.links.index)
        with contextlib.suppress(CorridorsError):  # domain errors are reported, not crashes
            route(network, "mangyshlak_station", "aktau_seaport", scenario="fz")
