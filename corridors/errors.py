"""Domain errors raised by corridors.

Every error carries enough context (file, row or key, and the fix) to be shown to a user as one
line; the command line turns them into messages and exit codes, never tracebacks.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CorridorsError", "InvalidSeed", "SeedProblem", "UnknownPlace"]


class CorridorsError(Exception):
    """Base class of every error the package raises on purpose."""


@dataclass(frozen=True)
class SeedProblem:
    """One problem found in ``seeds/``.

    Attributes
    ----------
    file
        File name relative to the seeds folder, e.g. ``nodes.csv``.
    where
        The row or key, e.g. ``line 7 (id 'aktau')`` or ``link 'kti_uzen_bolashak', key 'to'``.
    message
        What is wrong.
    fix
        How to fix it.
    """

    file: str
    where: str
    message: str
    fix: str

    def __str__(self) -> str:
        location = f"{self.file}: {self.where}" if self.where else self.file
        return f"{location}: {self.message}. Fix: {self.fix}"


class InvalidSeed(CorridorsError):
    """``seeds/`` failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[SeedProblem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in seeds:"
        super().__init__("\n".join([head, *(str(p) for p in self.problems)]))


class UnknownPlace(CorridorsError):
    """A place name or id that matches no node; the message suggests the closest names."""
