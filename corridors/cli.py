"""The ``corridors`` command line.

The only module that parses arguments, prints and chooses exit codes. Heavy libraries are
imported inside the commands that need them, so ``corridors --help`` starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from corridors.errors import CorridorsError, InvalidArgument, InvalidSeed

if TYPE_CHECKING:
    from corridors.network.build import Network

__all__ = ["main"]


def _fail(error: CorridorsError) -> NoReturn:
    """Print a domain error as one line per problem and exit non-zero."""
    if isinstance(error, InvalidSeed):
        for line in error.lines():
            click.echo(f"error: {line}", err=True)
    else:
        click.echo(f"error: {error}", err=True)
    sys.exit(2)


def _build(seeds: Path | None) -> Network:
    from corridors.network.cache import load_network  # noqa: PLC0415

    try:
        return load_network(seeds)
    except CorridorsError as error:
        _fail(error)


def _html_target(text: str, default_name: str, option: str) -> Path:
    """Where an HTML output goes: ``NAME.html`` as given; a folder (existing, or written with a
    trailing slash) gets ``default_name`` inside it; any other suffix is refused.
    """  # noqa: D205
    from corridors.atomic import check_writable  # noqa: PLC0415

    path = Path(text)
    if path.is_dir() or text.endswith(("/", "\\")):
        target = path / default_name
    elif path.suffix.lower() in {".html", ".htm"}:
        target = path
    else:
        message = (
            f"{option} {text}: give a file ending in .html, or a folder (with a trailing /) "
            f"for {default_name}"
        )
        _fail(InvalidArgument(message))
    try:
        check_writable([target])
    except CorridorsError as error:
        _fail(error)
    return target


def _folder_target(path: Path, option: str) -> Path:
    """Check an output folder: refuse it when a file stands there or it cannot be written."""
    from corridors.atomic import check_writable  # noqa: PLC0415

    if path.exists() and not path.is_dir():
        message = f"{option} {path}: a file stands there; give a folder"
        _fail(InvalidArgument(message))
    try:
        check_writable([path / ".corridors-check"])
    except CorridorsError as error:
        _fail(error)
    return path


def _file_target(text: str, suffixes: tuple[str, ...], option: str) -> Path:
    """Check a data output file: its suffix must be one of ``suffixes``; folders are refused."""
    from corridors.atomic import check_writable  # noqa: PLC0415

    path = Path(text)
    if path.is_dir() or text.endswith(("/", "\\")) or path.suffix.lower() not in suffixes:
        message = f"{option} {text}: give a file ending in {', '.join(suffixes)}"
        _fail(InvalidArgument(message))
    try:
        check_writable([path])
    except CorridorsError as error:
        _fail(error)
    return path


def _layers_target(text: str | None) -> Path | None:
    """Check ``-o/--output`` of route and compare: a .csv, .geojson or .gpkg file."""
    return _file_target(text, (".csv", ".geojson", ".gpkg"), "-o") if text else None


def _write_layers(layers: object, target: Path) -> None:
    from corridors.render.exports import write_layers  # noqa: PLC0415

    try:
        written = write_layers(layers, target)  # type: ignore[arg-type]
    except CorridorsError as error:
        _fail(error)
    for path in written:
        _say(f"wrote {path}")


def _say(message: str) -> None:
    """Print a message for the user on stderr (stdout carries only results, e.g. JSON)."""
    click.echo(message, err=True)


def _print_summary(network: Network) -> None:
    from rich.console import Console  # noqa: PLC0415

    from corridors.render.tables import gap_table, line_table, network_table  # noqa: PLC0415

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
    help="Seeds folder (default: $CORRIDORS_SEEDS, else ./seeds when it holds nodes.csv, else "
    "the seeds shipped with corridors).",
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
    """Validate seeds/ (with uncertainty.yaml when there is one) and print a summary."""
    from corridors.data.uncertainty import UNCERTAINTY_FILE  # noqa: PLC0415

    network = _build(seeds)
    if (network.seeds.root / UNCERTAINTY_FILE).is_file():
        _uncertainty(network)
    _print_summary(network)
    click.echo("seeds are valid")


@main.command()
@seeds_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("geo"),
    show_default="geo/",
    help="Folder for network.gpkg, nodes.geojson and links.geojson.",
)
@click.option("--quiet", is_flag=True, help="Do not print the summary tables.")
def build(seeds: Path | None, out_dir: Path, *, quiet: bool) -> None:
    """Validate seeds/, write the geodata into geo/ and print a summary."""
    from corridors.network.io import write_geodata  # noqa: PLC0415

    network = _build(seeds)
    out_dir = _folder_target(out_dir, "--out")
    try:
        written = write_geodata(network, out_dir)
    except CorridorsError as error:
        _fail(error)
    if not quiet:
        _print_summary(network)
    for path in written:
        _say(f"wrote {path}")


@main.command()
@seeds_option
def run(seeds: Path | None) -> None:
    """Run the main job: build geo/, write the maps and the scenario reports, print a summary."""
    from corridors.network.io import write_geodata  # noqa: PLC0415
    from corridors.render.maps import network_map  # noqa: PLC0415

    network = _build(seeds)
    try:
        written = write_geodata(network, Path("geo"))
    except CorridorsError as error:
        _fail(error)
    _print_summary(network)
    for path in written:
        _say(f"wrote {path}")
    maps = Path("maps")
    _save(network_map(network), maps / "network.html")
    for name in sorted(network.seeds.scenarios):
        _save(network_map(network, scenario=name), maps / f"network-{name}.html")
    index = _all_reports(network, maps / "reports", None)
    _say(f"wrote {index} and a report per scenario (HTML, Markdown, JSON) beside it")
    _say(f"open {maps / 'network.html'} and {index}")


tiles_option = click.option(
    "--tiles",
    default=None,
    help="Offer a tile basemap layer, e.g. OpenStreetMap (needs a network to show).",
)


def _save(folium_map: object, path: Path) -> None:
    from corridors.render.offline import save_map  # noqa: PLC0415

    try:
        written = save_map(folium_map, path)  # type: ignore[arg-type]
    except CorridorsError as error:
        _fail(error)
    _say(f"wrote {written}")


@main.command("map")
@click.option("--scenario", default=None, help="Draw statuses as this scenario sees them.")
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    default="maps/network.html",
    show_default="maps/network.html",
    help="An .html file, or a folder (trailing /) for network.html or network-SCENARIO.html.",
)
@tiles_option
@seeds_option
def map_command(scenario: str | None, output: str, tiles: str | None, seeds: Path | None) -> None:
    """Write the interactive network map (self-contained HTML)."""
    from corridors.render.maps import network_map  # noqa: PLC0415

    name = f"network-{scenario}.html" if scenario else "network.html"
    target = _html_target(output, name, "-o")
    network = _build(seeds)
    try:
        folium_map = network_map(network, scenario=scenario, tiles=tiles)
    except CorridorsError as error:
        _fail(error)
    _save(folium_map, target)


def _split(values: tuple[str, ...]) -> list[str]:
    """Accept repeated options and comma-separated lists alike."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


weight_option = click.option(
    "--by",
    "weight",
    type=click.Choice(["distance", "time", "cost", "generalised"]),
    default="generalised",
    show_default=True,
    help="What to minimise: km, hours, US$/t, or cost plus value of time.",
)
modes_option = click.option(
    "--modes", multiple=True, help="Allowed modes, e.g. --modes rail,road (default: all)."
)
statuses_option = click.option(
    "--statuses",
    multiple=True,
    help="Allowed link statuses in the scenario (default: operational).",
)
avoid_option = click.option(
    "--avoid", multiple=True, help="Nodes, links or ISO2 countries to avoid (repeatable)."
)
map_option = click.option(
    "--map",
    "map_path",
    type=click.Path(),
    default=None,
    help="Also write a map (self-contained HTML) to this .html file, or into this folder.",
)
snap_option = click.option(
    "--max-snap-km",
    type=click.FloatRange(0, 20000, min_open=True),
    default=None,
    help="Furthest a lon,lat may lie from the node it snaps to (default 50 km).",
)
layers_option = click.option(
    "-o",
    "--output",
    "layers_path",
    type=click.Path(),
    default=None,
    help="Also write the routes to a .gpkg (layers routes, legs, steps), a .geojson (one "
    "FeatureCollection, features with kind route, leg or step) or a .csv (the legs).",
)
via_option = click.option(
    "--via", multiple=True, help="Places to pass through, in order (repeatable)."
)
alternatives_option = click.option(
    "--alternatives",
    "-k",
    type=click.IntRange(1, 50),
    default=3,
    show_default=True,
    help="How many routes at most, the best included.",
)
cargo_option = click.option(
    "--cargo",
    type=click.Choice(["container", "wagon", "bulk", "truck"]),
    default=None,
    help="Cargo unit whose fares, handling and border figures apply (default: container, "
    "cargo_units in seeds/parameters.yaml).",
)
samples_option = click.option(
    "--samples",
    type=click.IntRange(0, 1_000_000),
    default=0,
    show_default=True,
    help="Monte Carlo samples of the uncertain parameters (seeds/uncertainty.yaml); 0: none.",
)
seed_option = click.option(
    "--seed",
    "random_seed",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Seed of the samples: the same seed gives the same numbers.",
)
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)


@main.command("route")
@click.argument("origin")
@click.argument("destination")
@weight_option
@click.option(
    "--alternatives",
    "-k",
    type=click.IntRange(1, 50),
    default=3,
    show_default=True,
    help="How many routes at most, the best included.",
)
@click.option(
    "--scenario", default="current", show_default=True, help="A scenario in seeds/scenarios/."
)
@modes_option
@statuses_option
@avoid_option
@click.option("--via", multiple=True, help="Places to pass through, in order (repeatable).")
@snap_option
@cargo_option
@samples_option
@seed_option
@click.option(
    "--within-h",
    type=click.FloatRange(0, min_open=True),
    default=None,
    help="With --samples: the probability of arriving within these hours.",
)
@format_option
@map_option
@layers_option
@seeds_option
def route_command(
    origin: str,
    destination: str,
    weight: str,
    alternatives: int,
    scenario: str,
    modes: tuple[str, ...],
    statuses: tuple[str, ...],
    avoid: tuple[str, ...],
    via: tuple[str, ...],
    max_snap_km: float | None,
    cargo: str | None,
    samples: int,
    random_seed: int,
    within_h: float | None,
    output_format: str,
    map_path: str | None,
    layers_path: str | None,
    seeds: Path | None,
) -> None:
    """Route from ORIGIN to DESTINATION (node ids, names such as Актау, or lon,lat)."""
    from corridors.errors import NoRoute  # noqa: PLC0415
    from corridors.routing.api import resolve_scenario, route  # noqa: PLC0415
    from corridors.routing.store import load_routing_graph  # noqa: PLC0415

    if within_h is not None and not samples:
        _fail(InvalidArgument("--within-h needs --samples N (e.g. --samples 1000)"))
    map_target = _html_target(map_path, "route.html", "--map") if map_path else None
    layers_target = _layers_target(layers_path)
    try:
        # The scenario's routing graph, read from the on-disk cache when the seeds are
        # unchanged: a route then needs neither the network nor the libraries it is built with.
        graph = load_routing_graph(seeds, scenario, cargo)
        routes = route(
            graph,
            origin,
            destination,
            weight=weight,
            alternatives=alternatives,
            modes=_split(modes) or None,
            statuses=_split(statuses) or None,
            avoid=_split(avoid),
            via=list(via),
            max_snap_km=max_snap_km,
        )
    except NoRoute as error:
        click.echo(f"no route: {error}", err=True)
        sys.exit(1)
    except CorridorsError as error:
        _fail(error)
    if samples or map_target is not None or layers_target is not None:
        # What needs the network reads it from the folder asked for (cached), as every command.
        network = _build(seeds)
        applied = resolve_scenario(network, scenario)
        reliability = _reliability(network, applied, routes, samples, random_seed, within_h)
    else:
        network, reliability = None, None
    if map_target is not None and network is not None:
        from corridors.render.maps import route_map  # noqa: PLC0415

        spread = (
            [(float(p[0]), float(p[2])) for p in reliability.simulation.percentiles("time")]
            if reliability is not None
            else []
        )
        _save(route_map(network, routes, time_ranges=spread), map_target)
    if layers_target is not None:
        from corridors.render.exports import route_layers  # noqa: PLC0415

        _write_layers(route_layers(routes), layers_target)
    _print_routes(routes, reliability, output_format)


def _print_routes(routes: Any, reliability: Any, output_format: str) -> None:
    """Print a route answer as JSON, or as tables (with its reliability, if any)."""
    if output_format == "json":
        if reliability is None:
            click.echo(routes.to_json())
        else:
            import json  # noqa: PLC0415

            data = {**routes.to_dict(), "uncertainty": reliability.to_dict()}
            click.echo(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False))
        return
    from rich.console import Console  # noqa: PLC0415

    from corridors.render.route_tables import carec_table, legs_table, routes_table  # noqa: PLC0415

    console = Console(width=140)
    for place in routes.places:
        if place.snap_km:
            click.echo(
                f"snapped {place.query} to {place.name} ({place.node_id}), "
                f"{place.snap_km:,.1f} km away"
            )
    console.print(routes_table(routes))
    console.print(legs_table(routes.best))
    console.print(carec_table(routes.best))
    if reliability is not None:
        from corridors.render.uncertainty import reliability_table, tornado_table  # noqa: PLC0415

        console.print(reliability_table(reliability))
        console.print(tornado_table(reliability))


def _uncertainty(network: Network) -> Any:
    from corridors.data.uncertainty import load_uncertainty  # noqa: PLC0415

    try:
        return load_uncertainty(network.seeds)
    except CorridorsError as error:
        _fail(error)


def _reliability(
    network: Network,
    applied: Any,
    routes: Any,
    samples: int,
    random_seed: int,
    within_h: float | None,
) -> Any:
    """Return the route set's reliability, or None without ``--samples``."""
    if not samples:
        return None
    from corridors.analysis.uncertainty import route_reliability  # noqa: PLC0415

    return route_reliability(
        routes,
        applied,
        _uncertainty(network),
        samples=samples,
        seed=random_seed,
        within_h=within_h,
    )


@main.command("compare")
@click.argument("scenario")
@click.option("--base", default="current", show_default=True, help="The scenario to compare with.")
@click.option(
    "--od", "pairs", multiple=True, required=True, help="ORIGIN:DESTINATION pair (repeatable)."
)
@weight_option
@alternatives_option
@modes_option
@statuses_option
@avoid_option
@via_option
@cargo_option
@samples_option
@seed_option
@format_option
@map_option
@layers_option
@seeds_option
def compare_command(
    scenario: str,
    base: str,
    pairs: tuple[str, ...],
    weight: str,
    alternatives: int,
    modes: tuple[str, ...],
    statuses: tuple[str, ...],
    avoid: tuple[str, ...],
    via: tuple[str, ...],
    cargo: str | None,
    samples: int,
    random_seed: int,
    output_format: str,
    map_path: str | None,
    layers_path: str | None,
    seeds: Path | None,
) -> None:
    """Compare SCENARIO with a base scenario over origin-destination pairs.

    With --samples, each pair also gets P10-P90 on both sides, the probability that the
    scenario improves it, and a verdict (robust improvement, within the noise, ...).
    """
    from corridors.analysis.compare import compare, parse_od  # noqa: PLC0415

    map_target = _html_target(map_path, f"compare-{scenario}.html", "--map") if map_path else None
    layers_target = _layers_target(layers_path)
    network = _build(seeds)
    try:
        od = [parse_od(pair) for pair in pairs]
        comparison = compare(
            network,
            scenario,
            od,
            base=base,
            weight=weight,
            alternatives=alternatives,
            modes=_split(modes) or None,
            statuses=_split(statuses) or None,
            avoid=_split(avoid),
            via=list(via),
            cargo=cargo,
        )
    except CorridorsError as error:
        _fail(error)
    if map_target is not None:
        from corridors.render.maps import comparison_map  # noqa: PLC0415

        _save(comparison_map(network, comparison), map_target)
    if layers_target is not None:
        from corridors.render.exports import comparison_layers  # noqa: PLC0415

        _write_layers(comparison_layers(comparison), layers_target)
    robust = None
    if samples:
        from corridors.analysis.uncertainty import comparison_reliability  # noqa: PLC0415

        robust = comparison_reliability(
            comparison, _uncertainty(network), samples=samples, seed=random_seed
        )
    if output_format == "json":
        if robust is None:
            click.echo(comparison.to_json())
        else:
            import json  # noqa: PLC0415

            data = {
                **comparison.to_dict(),
                "uncertainty": {
                    "samples": samples,
                    "seed": random_seed,
                    "pairs": [item.to_dict() for item in robust],
                },
            }
            click.echo(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False))
        return
    from rich.console import Console  # noqa: PLC0415

    from corridors.render.tables import comparison_table  # noqa: PLC0415

    console = Console(width=180)
    console.print(comparison_table(comparison))
    if robust is not None:
        from corridors.analysis.uncertainty.reliability import uncertain_weight  # noqa: PLC0415
        from corridors.render.uncertainty import improvement_table  # noqa: PLC0415

        console.print(improvement_table(robust, uncertain_weight(comparison.weight)))


@main.command("matrix")
@click.argument("origins", nargs=-1, required=True)
@click.option(
    "--to",
    "destinations",
    multiple=True,
    help="A destination (repeatable; default: the origins).",
)
@weight_option
@click.option(
    "--scenario", default="current", show_default=True, help="A scenario in seeds/scenarios/."
)
@modes_option
@statuses_option
@avoid_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    "output_path",
    type=click.Path(),
    default=None,
    help="Write a .csv (one row per origin and destination) or a .json file instead.",
)
@cargo_option
@seeds_option
def matrix_command(
    origins: tuple[str, ...],
    destinations: tuple[str, ...],
    weight: str,
    scenario: str,
    modes: tuple[str, ...],
    statuses: tuple[str, ...],
    avoid: tuple[str, ...],
    output_format: str,
    output_path: str | None,
    cargo: str | None,
    seeds: Path | None,
) -> None:
    """Best-route values from every ORIGIN to every --to destination, and why a cell has none."""
    from corridors.routing.api import matrix  # noqa: PLC0415

    target = _file_target(output_path, (".csv", ".json"), "-o") if output_path else None
    network = _build(seeds)
    try:
        found = matrix(
            network,
            list(origins),
            list(destinations) or None,
            scenario=scenario,
            weight=weight,
            modes=_split(modes) or None,
            statuses=_split(statuses) or None,
            avoid=_split(avoid),
            cargo=cargo,
        )
    except CorridorsError as error:
        _fail(error)
    if target is not None:
        from corridors.render.exports import write_matrix  # noqa: PLC0415

        try:
            written = write_matrix(found, target)
        except CorridorsError as error:
            _fail(error)
        for path in written:
            _say(f"wrote {path}")
        return
    if output_format == "csv":
        click.echo(found.to_csv(), nl=False)
        return
    if output_format == "json":
        click.echo(found.to_json())
        return
    from rich.console import Console  # noqa: PLC0415

    from corridors.render.matrices import matrix_notes, matrix_table  # noqa: PLC0415

    Console(width=160).print(matrix_table(found))
    for note in matrix_notes(found):
        click.echo(note)


@main.command("flows")
@click.argument("scenario")
@click.option(
    "--demand",
    default="base",
    show_default=True,
    help="Demand: base, or a scenario of seeds/demand/scenarios.yaml (e.g. target_2030).",
)
@click.option(
    "--compare",
    "compare_with",
    default=None,
    help="Assign the same demand in this scenario too and show what moves (e.g. current).",
)
@click.option("--calibrate", is_flag=True, help="Compare with seeds/demand/observed_volumes.yaml.")
@click.option("--top", default=15, show_default=True, type=click.IntRange(1, 500), help="Rows.")
@click.option("-o", "--output", default=None, help="Write the link flows to a .gpkg layer.")
@click.option("--map", "map_path", default=None, help="Draw the flow map (an .html file).")
@click.option("--report", "report_path", default=None, help="Write a Markdown section (.md).")
@click.option(
    "--tolerance",
    default=1e-4,
    show_default=True,
    type=click.FloatRange(min=1e-9, max=0.5),
    help="Relative gap to converge to.",
)
@seeds_option
def flows_command(
    scenario: str,
    demand: str,
    compare_with: str | None,
    calibrate: bool,
    top: int,
    output: str | None,
    map_path: str | None,
    report_path: str | None,
    tolerance: float,
    seeds: Path | None,
) -> None:
    """Assign freight demand in SCENARIO: flows and utilisation per link, crossing and port."""
    from rich.console import Console  # noqa: PLC0415

    from corridors.analysis.flows import (  # noqa: PLC0415
        AssignmentSettings,
        calibration_table,
        flows,
    )
    from corridors.data.flow_seeds import load_flow_seeds  # noqa: PLC0415
    from corridors.routing.scenarios import apply_scenario  # noqa: PLC0415

    gpkg = _file_target(output, (".gpkg",), "-o") if output else None
    html = _html_target(map_path, f"flows_{scenario}.html", "--map") if map_path else None
    markdown = _file_target(report_path, (".md",), "--report") if report_path else None
    network = _build(seeds)
    settings = AssignmentSettings(tolerance=tolerance)
    try:
        flow_seeds = load_flow_seeds(network.seeds)
        result = flows(apply_scenario(network, scenario), flow_seeds, demand, settings=settings)
        base = None
        if compare_with is not None:
            base = flows(
                apply_scenario(network, compare_with), flow_seeds, demand, settings=settings
            )
    except CorridorsError as error:
        _fail(error)
    calibration = calibration_table(result, flow_seeds.observed) if calibrate else None
    from corridors.render.flow_tables import flow_section, flow_tables  # noqa: PLC0415

    options: dict[str, Any] = {"calibration": calibration, "base": base, "top": top}
    console = Console(width=140)
    for table in flow_tables(result, **options):
        console.print(table)
    try:
        if gpkg is not None:
            from corridors.render.flow_maps import write_flow_layer  # noqa: PLC0415

            for path in write_flow_layer(result, gpkg):
                _say(f"wrote {path}")
        if markdown is not None:
            from corridors.atomic import write_together  # noqa: PLC0415

            for path in write_together({markdown: flow_section(result, **options)}):
                _say(f"wrote {path}")
    except CorridorsError as error:
        _fail(error)
    if html is not None:
        from corridors.render.flow_maps import flow_map  # noqa: PLC0415

        _save(flow_map(result), html)


@main.command("report")
@click.argument("scenario", required=False)
@click.option(
    "--base", default=None, help="Scenario to compare with (default: the scenario's base)."
)
@click.option(
    "--od",
    "pairs",
    multiple=True,
    help="ORIGIN:DESTINATION pair (repeatable; default: seeds/od_pairs.yaml).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    default=None,
    help="An .html file (Markdown and JSON with the same name are written beside it), or a "
    "folder for SCENARIO.html/.md/.json; with --all, a folder. Default: maps/reports/.",
)
@click.option("--all", "every", is_flag=True, help="Report every scenario, with an index page.")
@click.option(
    "--pdf", is_flag=True, help="Also print each report to an A4 landscape PDF (needs Chromium)."
)
@weight_option
@modes_option
@alternatives_option
@avoid_option
@cargo_option
@samples_option
@seed_option
@seeds_option
def report_command(
    scenario: str | None,
    base: str | None,
    pairs: tuple[str, ...],
    output: str | None,
    every: bool,
    weight: str,
    modes: tuple[str, ...],
    alternatives: int,
    avoid: tuple[str, ...],
    cargo: str | None,
    samples: int,
    random_seed: int,
    seeds: Path | None,
    pdf: bool = False,
) -> None:
    """Write a scenario report (HTML, Markdown, JSON) comparing SCENARIO with its base."""
    from corridors.analysis.compare import parse_od  # noqa: PLC0415
    from corridors.render.report import build_report, write_report  # noqa: PLC0415

    if not every and not scenario:
        _fail(InvalidArgument("name a SCENARIO, or use --all"))
    options: dict[str, Any] = {
        "alternatives": alternatives,
        "modes": _split(modes) or None,
        "avoid": _split(avoid),
        "cargo": cargo,
    }
    if samples:
        options.update(samples=samples, seed=random_seed)
    name = scenario or ""
    if every:
        folder = _folder_target(Path(output or "maps/reports"), "-o")
    else:
        target = _report_target(output or "maps/reports/", name)
    network = _build(seeds)
    try:
        od = [parse_od(pair) for pair in pairs] if pairs else None
        if every:
            _say(f"wrote {_all_reports(network, folder, od, pdf=pdf, weight=weight, **options)}")
            return
        known = network.seeds.scenarios.get(name)
        chosen_base = base or (known.base if known and known.base else "current")
        report = build_report(network, name, base=chosen_base, pairs=od, weight=weight, **options)
        for path in write_report(report, target, pdf=pdf):
            _say(f"wrote {path}")
    except CorridorsError as error:
        _fail(error)


def _report_target(path: str, scenario: str) -> Path:
    """Return the report's HTML file; its Markdown and JSON go beside it with the same name."""
    from corridors.atomic import check_writable  # noqa: PLC0415

    target = _html_target(path, f"{scenario}.html", "-o")
    try:
        check_writable([target.with_suffix(".md"), target.with_suffix(".json")])
    except CorridorsError as error:
        _fail(error)
    return target


def _all_reports(
    network: Network,
    folder: Path,
    od: list[tuple[str, str]] | None,
    *,
    pdf: bool = False,
    **options: Any,
) -> Path:
    """Write every scenario's report with a progress bar; return the index page."""
    from rich.progress import Progress  # noqa: PLC0415

    from corridors.render.report import write_all_reports  # noqa: PLC0415

    names = sorted(network.seeds.scenarios)
    with Progress(transient=True) as progress:
        task = progress.add_task("Writing scenario reports", total=len(names))
        return write_all_reports(
            network,
            folder,
            scenarios=names,
            pairs=od,
            on_done=lambda _: progress.advance(task),
            pdf=pdf,
            **options,
        )


@main.command("places")
@click.argument("query", required=False, default="")
@format_option
@seeds_option
def places_command(query: str, output_format: str, seeds: Path | None) -> None:
    """List the places you can route between (or those matching QUERY), with modes and countries."""
    from corridors.routing.places import list_places  # noqa: PLC0415

    network = _build(seeds)
    frame = list_places(network, query)
    if output_format == "json":
        click.echo(frame.to_json(orient="records", force_ascii=False, indent=2))
        return
    if frame.empty:
        _say(f"error: no place matches '{query}'. Fix: try part of a name, or run corridors places")
        sys.exit(2)
    from rich.console import Console  # noqa: PLC0415

    from corridors.render.tables import places_table  # noqa: PLC0415

    Console(width=140).print(places_table(frame))


@main.command("calibrate")
@click.option(
    "--scenario", default="current", show_default=True, help="The scenario the model runs in."
)
@click.option(
    "--all", "show_all", is_flag=True, help="List every observation, not only those compared."
)
@format_option
@seeds_option
def calibrate_command(
    scenario: str, show_all: bool, output_format: str, seeds: Path | None
) -> None:
    """Hold the model against the observed trips and indicators of seeds/observations.yaml."""
    from corridors.analysis.calibrate import calibrate  # noqa: PLC0415

    network = _build(seeds)
    try:
        result = calibrate(network, network.seeds.observations, scenario=scenario)
    except CorridorsError as error:
        _fail(error)
    if output_format == "json":
        click.echo(result.to_json())
        return
    from rich.console import Console  # noqa: PLC0415

    from corridors.render.tables import calibration_tables  # noqa: PLC0415

    console = Console(width=160)
    for table in calibration_tables(result, show_all=show_all):
        console.print(table)


# --------------------------------------------------------------------------- osm


if TYPE_CHECKING:
    from corridors.data.osm import OsmPlan
    from corridors.data.seeds import SeedData


@main.group("osm")
def osm_group() -> None:
    """Refine link alignments along OpenStreetMap track or road (writes seeds/)."""


tolerance_option = click.option(
    "--tolerance-km",
    type=float,
    default=5.0,
    show_default=True,
    help="Refuse a vertex that snaps, or a path that strays, farther than this.",
)


def _osm_report(plan: OsmPlan, seeds_data: SeedData, *, dry_run: bool) -> None:
    """Print each refined link, then write the plan (unless a dry run)."""
    from corridors.data.osm import apply_plan  # noqa: PLC0415

    for refinement in plan.refinements:
        click.echo(refinement.describe())
    try:
        written, left = apply_plan(seeds_data, plan, dry_run=dry_run)
    except CorridorsError as error:
        _fail(error)
    if dry_run:
        _say(f"dry run: nothing written (rows would cite source '{plan.source.id}')")
    for path in written:
        _say(f"wrote {path}")
    for link_id in left:
        _say(f"note: set 'alignment: surveyed' for link '{link_id}' in links.yaml by hand")


def _osm_seeds(seeds: Path | None) -> SeedData:
    from corridors.data.location import resolve_seeds_dir  # noqa: PLC0415
    from corridors.data.seeds import load_seeds  # noqa: PLC0415

    try:
        return load_seeds(resolve_seeds_dir(seeds))
    except CorridorsError as error:
        _fail(error)


@osm_group.command("refine")
@click.argument("links", nargs=-1, required=True)
@click.option(
    "--extract",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="An OSM XML extract (.osm, .osm.bz2 or .osm.gz) covering the links.",
)
@seeds_option
@tolerance_option
@click.option("--dry-run", is_flag=True, help="Print the new lengths; write nothing.")
def osm_refine(
    links: tuple[str, ...], extract: Path, seeds: Path | None, tolerance_km: float, *, dry_run: bool
) -> None:
    """Redraw LINKS along the OSM ways of an extract.

    Their vertices are snapped to the nearest OSM nodes of their mode, joined by the shortest
    OSM path, and written as their new rows in alignments.csv, citing the extract.
    """
    from corridors.data.osm import plan_from_extract  # noqa: PLC0415

    data = _osm_seeds(seeds)
    try:
        plan = plan_from_extract(data, links, extract, tolerance_km=tolerance_km)
    except CorridorsError as error:
        _fail(error)
    _osm_report(plan, data, dry_run=dry_run)


@osm_group.command("fetch")
@click.argument("links", nargs=-1, required=True)
@seeds_option
@tolerance_option
@click.option(
    "--overpass-url",
    envvar="CORRIDORS_OVERPASS_URL",
    default=None,
    help="Overpass API base URL (default: osmnx's; or $CORRIDORS_OVERPASS_URL).",
)
@click.option("--dry-run", is_flag=True, help="Print the new lengths; write nothing.")
def osm_fetch(
    links: tuple[str, ...],
    seeds: Path | None,
    tolerance_km: float,
    overpass_url: str | None,
    *,
    dry_run: bool,
) -> None:
    """Redraw LINKS along OSM ways from the Overpass API (online).

    As 'osm refine', with the ways around each link downloaded; answers are cached in the user
    cache folder (or $CORRIDORS_CACHE; off disables it).
    """
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import Progress  # noqa: PLC0415

    from corridors.data.osm import osm_cache_dir, plan_from_overpass  # noqa: PLC0415

    data = _osm_seeds(seeds)
    console = Console(stderr=True)
    failure: CorridorsError | None = None
    with Progress(console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("Fetching OSM ways", total=len(links))
        try:
            plan = plan_from_overpass(
                data,
                links,
                tolerance_km=tolerance_km,
                overpass_url=overpass_url,
                cache_folder=osm_cache_dir(),
                on_done=lambda _: progress.advance(task),
            )
        except CorridorsError as error:
            failure = error
    if failure is not None:
        _fail(failure)
    _osm_report(plan, data, dry_run=dry_run)


@main.command("sweep")
@click.option(
    "--scenario",
    "scenarios",
    multiple=True,
    help="Scenarios to sweep (repeatable or comma-separated; default: current).",
)
@click.option(
    "--od",
    "pairs",
    multiple=True,
    help="ORIGIN:DESTINATION pair (repeatable; default: every pair of seeds/od_pairs.yaml).",
)
@click.option(
    "--samples",
    type=click.IntRange(1, 1_000_000),
    default=1000,
    show_default=True,
    help="Monte Carlo samples of the uncertain parameters, shared by every scenario and pair.",
)
@seed_option
@weight_option
@alternatives_option
@click.option(
    "--scheduler",
    default=None,
    help="Address of an existing Dask scheduler, e.g. tcp://10.0.0.5:8786 "
    "(default: a local cluster).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=2,
    show_default=True,
    help="Worker processes of the local cluster.",
)
@click.option("--serial", is_flag=True, help="Run every task in this process, without Dask.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("sweep"),
    show_default=True,
    help="Folder for sweep.parquet (one row per scenario, sample, pair and route), "
    "summary.csv and chart.svg.",
)
@click.option("--quiet", is_flag=True, help="No progress bar and no table.")
@seeds_option
def sweep_command(
    scenarios: tuple[str, ...],
    pairs: tuple[str, ...],
    samples: int,
    random_seed: int,
    weight: str,
    alternatives: int,
    scheduler: str | None,
    workers: int,
    out_dir: Path,
    seeds: Path | None,
    *,
    serial: bool,
    quiet: bool,
) -> None:
    """Sweep scenarios x parameter samples x origin-destination pairs on Dask."""
    import logging  # noqa: PLC0415

    from corridors.analysis.compare import parse_od  # noqa: PLC0415
    from corridors.analysis.uncertainty.sweep import connect, local_client, sweep  # noqa: PLC0415
    from corridors.render.uncertainty import sweep_table  # noqa: PLC0415

    if serial and scheduler:
        _fail(InvalidArgument("--serial and --scheduler exclude each other; give one"))
    folder = _folder_target(out_dir, "--out")
    network = _build(seeds)
    uncertainty = _uncertainty(network)
    try:
        od = (
            [parse_od(pair) for pair in pairs]
            if pairs
            else [(p.origin, p.destination) for p in network.seeds.od_pairs]
        )
    except CorridorsError as error:
        _fail(error)
    if not od:
        _fail(InvalidArgument("no pairs: give --od ORIGIN:DESTINATION or fill seeds/od_pairs.yaml"))
    chosen = _split(scenarios) or ["current"]
    client: Any = None
    if not serial:
        try:
            client = connect(scheduler) if scheduler else local_client(workers)
        except (OSError, ValueError) as error:
            message = (
                f"cannot reach the Dask scheduler {scheduler}: {error}. Fix: give the address "
                "the scheduler prints (tcp://HOST:PORT), or leave --scheduler out for a local "
                "cluster"
            )
            _fail(InvalidArgument(message))
        # the nanny warns about each worker it stops at the end; the results are complete
        logging.getLogger("distributed").setLevel(logging.ERROR)
    try:
        result = _sweep_with_progress(
            sweep,
            network,
            uncertainty,
            chosen,
            od,
            {
                "samples": samples,
                "seed": random_seed,
                "weight": weight,
                "alternatives": alternatives,
            },
            client,
            quiet=quiet,
        )
    except CorridorsError as error:
        _fail(error)
    finally:
        if client is not None:
            cluster = client.cluster
            client.close()
            if cluster is not None and not scheduler:
                cluster.close()
    summary = result.summary()
    written = _write_sweep(result.frame, summary, folder)
    if not quiet:
        from rich.console import Console  # noqa: PLC0415

        Console(width=160).print(sweep_table(summary))
    for path in written:
        click.echo(f"wrote {path}")


def _write_sweep(frame: Any, summary: Any, folder: Path) -> list[Path]:
    """Write a sweep's rows (Parquet), summary (CSV) and chart (SVG) together."""
    import io  # noqa: PLC0415

    from corridors.atomic import write_together  # noqa: PLC0415
    from corridors.render.uncertainty import range_chart_svg  # noqa: PLC0415

    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    best = summary[summary["rank"] == 1]
    rows = [
        (f"{r.scenario}: {r.origin} to {r.destination}", r.time_h_p10, r.time_h_p50, r.time_h_p90)
        for r in best.itertuples(index=False)
    ]
    try:
        return write_together(
            {
                folder / "sweep.parquet": buffer.getvalue(),
                folder / "summary.csv": summary.to_csv(index=False, lineterminator="\n"),
                folder / "chart.svg": range_chart_svg(rows, unit="h") + "\n",
            }
        )
    except CorridorsError as error:
        _fail(error)


def _sweep_with_progress(
    sweep: Any,
    network: Network,
    uncertainty: Any,
    scenarios: list[str],
    od: list[tuple[str, str]],
    options: dict[str, Any],
    client: Any,
    *,
    quiet: bool,
) -> Any:
    """Run a sweep with a progress bar on standard error (none with ``quiet``)."""
    if quiet:
        return sweep(network, uncertainty, scenarios, od, client=client, **options)
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import Progress  # noqa: PLC0415

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("sweep", total=len(scenarios) * len(od))

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return sweep(
            network, uncertainty, scenarios, od, client=client, progress=advance, **options
        )
