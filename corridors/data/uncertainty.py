"""Read and check ``seeds/uncertainty.yaml``: the ranges of the uncertain parameters.

The file is checked against the seeds it goes with: every source it cites is in
``sources.yaml``, every key names a parameter entry of ``parameters.yaml`` (with a did-you-mean),
every parameter is covered by a kind, and each range holds the parameter's value
(``low <= most likely <= high``).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path

from corridors.data.files import read_yaml_mapping
from corridors.data.keys import parameter_values
from corridors.data.problems import Problems
from corridors.data.rows import describe_yaml, validate_rows
from corridors.data.schema import Parameters, Term, Uncertainty, UncertaintyKind
from corridors.data.seeds import SeedData
from corridors.data.suggest import did_you_mean
from corridors.data.validate import check_sources
from corridors.errors import InvalidSeed

__all__ = ["UNCERTAINTY_FILE", "kind_of", "load_uncertainty"]

UNCERTAINTY_FILE = "uncertainty.yaml"


def kind_of(uncertainty: Uncertainty, key: str, term: Term) -> UncertaintyKind | None:
    """Return the first kind whose pattern matches a key and term, or None.

    Parameters
    ----------
    uncertainty
        The ranges.
    key, term
        A parameter key and which of its values.

    Returns
    -------
    UncertaintyKind or None
        The kind.
    """
    return next((k for k in uncertainty.kinds if k.term is term and fnmatchcase(key, k.keys)), None)


def load_uncertainty(seeds: SeedData, root: Path | str | None = None) -> Uncertainty:
    """Read ``uncertainty.yaml`` of a seeds folder and check it against those seeds.

    Parameters
    ----------
    seeds
        The validated seeds (their sources and parameters).
    root
        The folder holding ``uncertainty.yaml`` (default: the seeds' own folder).

    Returns
    -------
    Uncertainty
        The kinds and ranges.

    Raises
    ------
    InvalidSeed
        Naming the file, the entry and the fix for each problem.
    """
    folder = Path(root) if root is not None else seeds.root
    problems = Problems()
    data = read_yaml_mapping(folder, UNCERTAINTY_FILE, problems)
    records = (
        validate_rows([data], Uncertainty, UNCERTAINTY_FILE, describe_yaml(""), problems)
        if data is not None
        else []
    )
    if not records:
        raise InvalidSeed(problems.items)
    uncertainty = records[0]
    check_sources(uncertainty, seeds, UNCERTAINTY_FILE, "", problems)
    if seeds.parameters is not None:
        _check_against(uncertainty, seeds.parameters, problems)
    if problems.items:
        raise InvalidSeed(problems.items)
    return uncertainty


def _check_against(uncertainty: Uncertainty, parameters: Parameters, problems: Problems) -> None:
    values = parameter_values(parameters)
    keys = sorted({key for key, _ in values})
    for (key, term), _value in values.items():
        if kind_of(uncertainty, key, Term(term)) is None:
            problems.add(
                UNCERTAINTY_FILE,
                "key 'kinds'",
                f"no kind covers the {term} of '{key}'",
                f"add a kind with term: {term} whose keys pattern matches '{key}'",
            )
    for position, entry in enumerate(uncertainty.ranges):
        where = f"ranges[{position}] (key '{entry.key}')"
        likely = values.get((entry.key, entry.term.value))
        if likely is None:
            if entry.key in keys:
                message = f"'{entry.key}' has no {entry.term.value} value"
                fix = "use the other term"
            else:
                message = f"unknown parameter key '{entry.key}'"
                hint = did_you_mean(entry.key, keys)
                fix = f"{hint}; " if hint else ""
                fix += "use a key that routes carry (corridors route --json lists them)"
            problems.add(UNCERTAINTY_FILE, where, message, fix)
            continue
        scale = likely if entry.factors else 1.0
        low = None if entry.low is None else entry.low * scale
        high = None if entry.high is None else entry.high * scale
        if (low is not None and low > likely) or (high is not None and high < likely):
            shown = f"{entry.low if entry.low is not None else '-'}..{entry.high or '-'}"
            problems.add(
                UNCERTAINTY_FILE,
                where,
                f"range {shown} does not hold the most likely value {likely:g} "
                "(from parameters.yaml)",
                "set low at or below and high at or above the value in parameters.yaml",
            )
