"""Reading seed files: lines, duplicate keys, byte-order marks and the problem collector."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.data.files import Located, line_at, load_yaml, read_csv, read_yaml_list
from corridors.data.problems import Kind, Problems, one_line
from corridors.errors import InvalidSeed, SeedProblem


def test_duplicate_keys_are_found_at_every_depth() -> None:
    text = "- id: a\n  x: {k: 1, k: 2}\n  id: b\n- id: c\n  sub:\n    - {m: 1}\n    - {m: 1, m: 2}"
    _, duplicates = load_yaml(text)
    assert duplicates == [("k", 2, 13, 2), ("id", 3, 3, 1), ("m", 7, 14, 7)]


def test_merge_keys_are_not_duplicates() -> None:
    text = "base: &base {a: 1, b: 2}\nchild:\n  <<: *base\n  b: 3\n"
    data, duplicates = load_yaml(text)
    assert duplicates == []
    assert data["child"] == {"a": 1, "b": 3}


def test_mappings_and_lists_remember_their_lines() -> None:
    data, _ = load_yaml("top:\n  items:\n    - one\n    - {k: v}\n  other: 1\n")
    assert isinstance(data, Located)
    assert line_at(data, ["top", "items", 1, "k"]) == 4
    assert line_at(data, ["top", "other"]) == 5
    assert line_at(data, ["top", "items", 7]) == 2
    assert line_at({"plain": "dict"}, ["plain"]) is None


def test_csv_rows_keep_the_line_they_start_on(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text('\ufeffid,name\nx,"two\nlines"\n\ny,plain\n', encoding="utf-8")
    problems = Problems()
    rows = read_csv(
        tmp_path, "a.csv", ["id", "name"], ["id"], problems, id_column="id", kind=Kind.NODE
    )
    assert problems.items == []
    assert rows is not None
    assert [(row.line, row["id"], row["name"]) for row in rows] == [
        (2, "x", "two\nlines"),
        (5, "y", "plain"),
    ]


def test_an_unreadable_file_makes_its_ids_unjudgeable(tmp_path: Path) -> None:
    (tmp_path / "links.yaml").write_text("- id: [x\n", encoding="utf-8")
    problems = Problems()
    problems.defines(Kind.LINK, "links.yaml")
    assert read_yaml_list(tmp_path, "links.yaml", problems) is None
    assert problems.unusable == {"links.yaml"}
    assert problems.skip_reference(Kind.LINK, "anything")
    assert not problems.skip_reference(Kind.NODE, "anything")


def test_an_entry_without_a_usable_id_makes_its_kind_unjudgeable() -> None:
    problems = Problems()
    problems.invalid(Kind.NODE, "aktau")
    assert problems.skip_reference(Kind.NODE, "aktau")
    assert not problems.skip_reference(Kind.NODE, "kuryk")
    problems.invalid(Kind.NODE, ["not", "a", "string"])
    assert problems.skip_reference(Kind.NODE, "kuryk")


@pytest.mark.parametrize("text", ["a\nb", "a\rb", "a\u2028b", "a\x1cb", "a\x85b", "tab\there"])
def test_problems_print_on_one_line(text: str) -> None:
    problems = Problems()
    problems.add("f.yaml", f"key '{text}'", text, text)
    (problem,) = problems.items
    assert len(str(problem).splitlines()) == 1
    assert one_line("plain text, with ünïcode") == "plain text, with ünïcode"


def test_invalid_seed_lines_limit() -> None:
    problem = SeedProblem("links.yaml", "link 'a'", "bad", "fix it")
    assert InvalidSeed([problem]).lines() == ["links.yaml: link 'a': bad. Fix: fix it"]
    assert InvalidSeed([problem] * 2).lines(limit=1)[-1] == "... and 1 more problem"
    assert InvalidSeed([problem] * 2).lines(limit=0) == ["... and 2 more problems"]
