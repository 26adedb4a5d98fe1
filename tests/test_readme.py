"""The README's Python examples run, and its set-up commands are the ones CI uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
CI_RUN = Path(__file__).resolve().parents[1] / ".ci" / "run"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_readme_python_example_runs(index: int, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(python_blocks()[index], f"README.md example {index + 1}", "exec"), {})
    assert capsys.readouterr().out


def test_ci_runs_the_readme_test_command() -> None:
    commands = re.findall(r"^(.*python3 -m venv .*)$", README.read_text(encoding="utf-8"), re.M)
    assert len(commands) == 2
    test_command = commands[1]
    assert "pytest" in test_command
    assert test_command in CI_RUN.read_text(encoding="utf-8").splitlines()
