"""The ``corridors`` command line.

The only module that parses arguments, prints and chooses exit codes. Heavy libraries are
imported inside the commands that need them, so ``corridors --help`` starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from corridors.errors import CorridorsError, InvalidSeed

if TYPE_CHECKING:
    from corridors.network import Network

__all__ = ["main"]

_REPO_ROOT = Path(__file__).resolve().parents[1]


def _fail(error: CorridorsError) -> None:
    """Print a domain error as one line per problem and exit non-zero."""
    if isinstance(error, InvalidSeed):
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
    else:
        click.echo(f"error: {error}", err=True)
    sys.exit(2)


def _build(seeds: Path | None) -> Network:
    from corridors.network import build_network  # noqa: PLC0415

    try:
        return build_network(seeds)
    except CorridorsError as error:
        _fail(error)
        raise  # unreachable: _fail exits


def _print_summary(network: Network) -> None:
    from rich.console import Console  # noqa: PLC0415

    from corridors.summary import gap_table, line_table, network_table  # noqa: PLC0415

    console = Console(width=120)
    console.print(network_table(network))
    console.print(line_table(network))
    gaps = gap_table(network)
    if gaps is not None:
        console.print(gaps)


seeds_option = click.option(
    "--seeds",
    "seeds",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Seeds folder (default: seeds/ of this repository, or $CORRIDORS_SEEDS).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="corridors")
def main() -> None:
    """Model the transport corridors linking Kazakhstan and Turkmenistan to Iran, Afghanistan
    and the Caspian ports.
    """  # noqa: D205


@main.command()
@seeds_option
def validate(seeds: Path | None) -> None:
    """Validate seeds/ and print a summary; write nothing."""
    network = _build(seeds)
    _print_summary(network)
    click.echo("seeds are valid")


@main.command()
@seeds_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=_REPO_ROOT / "geo",
    show_default="geo/",
    help="Folder for network.gpkg, nodes.geojson and links.geojson.",
)
@click.option("--quiet", is_flag=True, help="Do not print the summary tables.")
def build(seeds: Path | None, out_dir: Path, *, quiet: bool) -> None:
    """Validate seeds/, write the geodata into geo/ and print a summary."""
    from corridors.network import write_geodata  # noqa: PLC0415

    network = _build(seeds)
    written = write_geodata(network, out_dir)
    if not quiet:
        _print_summary(network)
    for path in written:
        click.echo(f"wrote {path}")


@main.command()
@seeds_option
@click.pass_context
def run(ctx: click.Context, seeds: Path | None) -> None:
    """Run the main job: validate seeds/, build geo/ and print the summary."""
    ctx.invoke(build, seeds=seeds, out_dir=_REPO_ROOT / "geo", quiet=False)
