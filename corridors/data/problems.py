"""Collect the problems found while reading and validating ``seeds/``.

One problem must not cause a cascade of follow-on problems. The collector therefore remembers
which files could not be used at all and which ids belong to entries that failed their schema;
a reference to such an id, or to any id of an unusable file, is not reported again.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from corridors.errors import SeedProblem

__all__ = ["Kind", "Problems", "one_line"]


class Kind(StrEnum):
    """A kind of id that other files refer to."""

    SOURCE = "source"
    NODE = "node"
    LINK = "link"
    SCENARIO = "scenario"
    OBSERVATION = "observation"
    #: Links whose alignment points are incomplete because a point failed its schema.
    ALIGNMENT = "alignment"


def one_line(text: str) -> str:
    r"""Escape line breaks and other control characters so that ``text`` prints on one line.

    Parameters
    ----------
    text
        Any text, e.g. a key or value copied from a seed file.

    Returns
    -------
    str
        The text with every control or line-separating character written as an escape.

    Examples
    --------
    >>> one_line("a\nb")
    'a\\nb'
    """
    if text.isprintable() and not any(ch in text for ch in "\r\n"):
        return text
    return "".join(
        ch if ch == " " or unicodedata.category(ch)[0] not in "CZ" else repr(ch)[1:-1]
        for ch in text
    )


class Problems:
    """Problems found so far, and what later checks should skip because of them.

    Attributes
    ----------
    items
        Every problem, in the order found.
    unusable
        Files that could not be read or are invalid as a whole.
    """

    def __init__(self) -> None:
        self.items: list[SeedProblem] = []
        self.unusable: set[str] = set()
        self._invalid: dict[Kind, set[str]] = {kind: set() for kind in Kind}
        self._incomplete: set[Kind] = set()
        self._defined_in: dict[Kind, str] = {}

    def add(self, file: str, where: str, message: str, fix: str) -> None:
        """Record a problem.

        Parameters
        ----------
        file
            File name relative to the seeds folder.
        where
            The row or key, or an empty string for the whole file.
        message
            What is wrong.
        fix
            How to fix it.
        """
        self.items.append(SeedProblem(file, one_line(where), one_line(message), one_line(fix)))

    def add_unusable(self, file: str, where: str, message: str, fix: str) -> None:
        """Record a problem that makes a whole file unusable, so that its ids are not checked.

        Parameters
        ----------
        file
            File name relative to the seeds folder.
        where
            Where in the file, or an empty string.
        message
            What is wrong.
        fix
            How to fix it.
        """
        self.unusable.add(file)
        self.add(file, where, message, fix)

    def defines(self, kind: Kind, file: str) -> None:
        """Say which file defines the ids of a kind.

        Parameters
        ----------
        kind
            The kind of id.
        file
            The file that lists them.
        """
        self._defined_in[kind] = file

    def invalid(self, kind: Kind, ident: object) -> None:
        """Record that the entry with this id failed validation.

        Parameters
        ----------
        kind
            The kind of id.
        ident
            The entry's id as written; when it is not a string, every reference to an id of
            this kind is taken on trust from then on.
        """
        if isinstance(ident, str) and ident.strip():
            self._invalid[kind].add(ident.strip())
        else:
            self._incomplete.add(kind)

    def is_invalid(self, kind: Kind, ident: str) -> bool:
        """Tell whether an entry with this id failed validation.

        Parameters
        ----------
        kind
            The kind of id.
        ident
            The id.

        Returns
        -------
        bool
            True when the entry failed validation.
        """
        return ident in self._invalid[kind]

    def skip_reference(self, kind: Kind, ident: str) -> bool:
        """Tell whether a reference to an id must not be checked, because of an earlier problem.

        Parameters
        ----------
        kind
            The kind of id referred to.
        ident
            The id referred to.

        Returns
        -------
        bool
            True when the file defining the kind is unusable, the entry with this id failed
            validation, or an entry of this kind failed without a readable id.
        """
        file = self._defined_in.get(kind)
        return (
            (file is not None and file in self.unusable)
            or ident in self._invalid[kind]
            or kind in self._incomplete
        )
