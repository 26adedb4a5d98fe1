"""The README's Python examples run, and its set-up commands are the ones CI uses."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from corridors.cli import main

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


def console_commands() -> list[str]:
    blocks = re.findall(r"```console\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [line[2:].split("  #")[0].strip() for line in lines if line.startswith("$ corridors ")]


@pytest.mark.parametrize("command", console_commands())
def test_readme_command_runs(command: str) -> None:
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, f"{command}\n{result.output}"
