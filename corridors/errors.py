"""Domain errors raised by corridors.

Every error carries enough context (file, row or key, and the fix) to be shown to a user as one
line; the command line turns them into messages and exit codes, never tracebacks.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CorridorsError",
    "InvalidArgument",
    "InvalidSeed",
    "MissingAsset",
    "NoRoute",
    "OutputError",
    "SeedProblem",
    "UnknownPlace",
    "UnknownScenario",
]


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


class InvalidSeed(CorridorsError, ValueError):
    """``seeds/`` failed validation; ``problems`` lists every problem found.

    The message shows at most :attr:`SHOWN` problems, then how many more there are.
    """

    #: Problems shown in the message and on the command line; ``problems`` keeps them all.
    SHOWN = 50

    def __init__(self, problems: list[SeedProblem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in seeds:"
        super().__init__("\n".join([head, *self.lines()]))

    def lines(self, limit: int | None = SHOWN) -> list[str]:
        """Return one line per problem, at most ``limit`` of them, then ``... and N more``.

        Parameters
        ----------
        limit
            Problems to show; None shows all.

        Returns
        -------
        list of str
            The problems as ``FILE: WHERE: MESSAGE. Fix: FIX``, and a last line
            ``... and N more problems`` when some are left out.

        Examples
        --------
        >>> error = InvalidSeed([SeedProblem("links.yaml", "", "file is empty", "write it")] * 3)
        >>> error.lines(limit=1)
        ['links.yaml: file is empty. Fix: write it', '... and 2 more problems']
        """
        shown = self.problems if limit is None else self.problems[: max(limit, 0)]
        lines = [str(problem) for problem in shown]
        hidden = len(self.problems) - len(shown)
        if hidden:
            lines.append(f"... and {hidden} more problem{'s' if hidden != 1 else ''}")
        return lines


class InvalidArgument(CorridorsError, ValueError):
    """An argument out of its domain (an unknown weight, mode or status; a bad count)."""


class UnknownPlace(CorridorsError, LookupError):
    """A place that resolves to no routable node; the message says why and how to fix it.

    Attributes
    ----------
    query
        What was typed.
    suggestions
        Close names or candidate node ids, best first.
    outside
        True when the name is a known place outside the model's network.
    """

    def __init__(
        self,
        message: str,
        *,
        query: str = "",
        suggestions: tuple[str, ...] = (),
        outside: bool = False,
    ) -> None:
        super().__init__(message)
        self.query = query
        self.suggestions = suggestions
        self.outside = outside


class UnknownScenario(CorridorsError, LookupError):
    """A scenario name that matches no file in ``seeds/scenarios/``."""


class NoRoute(CorridorsError, LookupError):
    """No route joins the places under the given restrictions; the message says why."""


class MissingAsset(CorridorsError, LookupError):
    """A map refers to a script or stylesheet that has no offline copy."""


class OutputError(CorridorsError, OSError):
    """An output could not be written; the message names the path and the fix.

    Attributes
    ----------
    path
        The path that could not be written.
    """

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(message)
        self.path = path
