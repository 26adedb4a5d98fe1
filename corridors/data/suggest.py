"""Did-you-mean suggestions for misspelt ids, names and keys."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["closest", "did_you_mean"]

# Suggestions scoring this much below the best one are left out.
_CLOSE_TO_BEST = 0.05


def closest(
    word: str, choices: Iterable[str], *, limit: int = 3, cutoff: float = 0.75
) -> list[str]:
    """Return the choices that best match ``word``, best first.

    Parameters
    ----------
    word
        The misspelt word.
    choices
        The valid words.
    limit
        At most this many suggestions.
    cutoff
        Minimum Jaro-Winkler similarity (0-1) for a suggestion; it favours typos and
        shared prefixes, which is how ids and place names get misspelt.

    Returns
    -------
    list of str
        Up to ``limit`` suggestions, as good as the best one give or take a little; empty
        when nothing is close.
    """
    from rapidfuzz import process, utils  # noqa: PLC0415  (only a mistake needs it)
    from rapidfuzz.distance import JaroWinkler  # noqa: PLC0415

    matches = process.extract(
        word,
        list(dict.fromkeys(choices)),
        scorer=JaroWinkler.normalized_similarity,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=cutoff,
    )
    if not matches:
        return []
    best = matches[0][1]
    return [str(match[0]) for match in matches if match[1] >= best - _CLOSE_TO_BEST]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Phrase the closest choices as a hint, e.g. ``did you mean 'aktau_seaport'?``.

    Parameters
    ----------
    word
        The misspelt word.
    choices
        The valid words.

    Returns
    -------
    str
        The hint, or an empty string when nothing is close.
    """
    found = closest(word, choices)
    if not found:
        return ""
    return "did you mean " + " or ".join(f"'{f}'" for f in found) + "?"
