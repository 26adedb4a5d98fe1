"""Benchmark the network map against geopandas' ``.explore()`` of the same data.

Run from the repository root, with the interpreter of the environment ``corridors`` is
installed in::

    .venv/bin/python tests/benchmarks/map_benchmark.py [--seeds PATH] [--repeat 5] [--browser]

The network is loaded (from the cache when fresh) and written as ``nodes.geojson`` and
``links.geojson`` to a temporary folder; geopandas reads them back, so ``.explore()`` maps the
same two files. For both maps it reports, in seconds of wall-clock time, the first build in
this process (folium and the country outlines warm up there) and the best of ``repeat``
builds, the best page render (``get_root().render()``) and the page size; for the network map
also writing it self-contained (assets inlined, written atomically). With ``--browser`` each
page is opened in headless Chromium with network requests blocked (the ``.explore()`` page
with its assets inlined the same way): load-to-drawn time and DOM elements. The targets: the
network map builds within 3x ``.explore()`` and loads no slower. Timings are never asserted.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

#: The network map should build within this many times ``.explore()`` of the same files.
TARGET_RATIO = 3.0


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def _best(repeat: int, action: Callable[[], Any]) -> float:
    return min(_timed(action)[0] for _ in range(repeat))


def _explore(links: Any, nodes: Any) -> Any:
    folium_map = links.explore()
    nodes.explore(m=folium_map)
    return folium_map


def _browser(page: Path) -> dict[str, Any]:
    """Open a page in headless Chromium (no network): load time and DOM elements."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.browser import count, open_page  # noqa: PLC0415

    with open_page(page) as (browser_page, report):
        return {
            "load_s": round(report.load_seconds, 3),
            "dom_elements": count(browser_page, "*"),
            "errors": report.console_errors + report.page_errors,
        }


def benchmark(seeds: Path | None, repeat: int, *, browser: bool) -> dict[str, Any]:
    """Time both maps; return the report."""
    import geopandas as gpd  # noqa: PLC0415

    from corridors.network.cache import load_network  # noqa: PLC0415
    from corridors.network.io import write_geodata  # noqa: PLC0415
    from corridors.render.maps import network_map  # noqa: PLC0415
    from corridors.render.offline import inline_assets, save_map  # noqa: PLC0415

    network = load_network(seeds)
    with tempfile.TemporaryDirectory(prefix="corridors-map-bench-") as scratch:
        folder = Path(scratch)
        write_geodata(network, folder)
        links = gpd.read_file(folder / "links.geojson")
        nodes = gpd.read_file(folder / "nodes.geojson")
        first_explore, explored = _timed(lambda: _explore(links, nodes))
        first_map, drawn = _timed(lambda: network_map(network))
        explore_page = explored.get_root().render()
        map_page = drawn.get_root().render()
        rows = {
            "explore": {
                "what": "links.explore(); nodes.explore(m=...)",
                "first_build_s": first_explore,
                "build_s": _best(repeat, lambda: _explore(links, nodes)),
                "render_s": _best(repeat, lambda: explored.get_root().render()),
                "page_bytes": len(explore_page.encode()),
            },
            "network_map": {
                "what": "corridors.render.maps.network_map(network)",
                "first_build_s": first_map,
                "build_s": _best(repeat, lambda: network_map(network)),
                "render_s": _best(repeat, lambda: drawn.get_root().render()),
                "page_bytes": len(map_page.encode()),
                "save_s": _best(repeat, lambda: save_map(drawn, folder / "network.html")),
            },
        }
        if browser:
            explore_file = folder / "explore.html"
            explore_file.write_text(inline_assets(explore_page), encoding="utf-8")
            rows["explore"]["browser"] = _browser(explore_file)
            rows["network_map"]["browser"] = _browser(save_map(drawn, folder / "network.html"))
    ratio = rows["network_map"]["build_s"] / rows["explore"]["build_s"]
    return {
        "repeat": repeat,
        "links": len(network.links),
        "nodes": len(network.nodes),
        "rows": rows,
        "target": {
            "what": "network map build within this many times .explore() (best wall)",
            "ratio": TARGET_RATIO,
            "measured": round(ratio, 2),
            "met": ratio <= TARGET_RATIO,
        },
    }


def table(report: dict[str, Any]) -> str:
    """Format the report as a plain-text table."""
    header = (
        f"{'map':<12} {'first s':>8} {'build s':>8} {'render s':>9} {'save s':>7} "
        f"{'page KB':>8} {'load s':>7} {'DOM':>6}"
    )
    lines = [header, "-" * len(header)]
    for name, row in report["rows"].items():
        seen = row.get("browser", {})
        save = f"{row['save_s']:.3f}" if "save_s" in row else "-"
        lines.append(
            f"{name:<12} {row['first_build_s']:>8.3f} {row['build_s']:>8.3f} "
            f"{row['render_s']:>9.3f} {save:>7} {row['page_bytes'] / 1024:>8.0f} "
            f"{seen.get('load_s', '-'):>7} {seen.get('dom_elements', '-'):>6}"
        )
    lines.append(f"\n{report['links']} links, {report['nodes']} nodes; best of {report['repeat']}")
    lines.append(_verdict(report["target"]))
    return "\n".join(lines)


def _verdict(target: dict[str, Any]) -> str:
    outcome = "met" if target["met"] else "not met"
    return (
        f"target: network map build within {target['ratio']:.1f}x .explore(): "
        f"{target['measured']:.2f}x, {outcome}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table (or the JSON report)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--seeds", type=Path, default=None, help="seeds folder (default: as the CLI)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per measure (best of)")
    parser.add_argument("--browser", action="store_true", help="also open both pages in Chromium")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    report = benchmark(args.seeds, args.repeat, browser=args.browser)
    print(json.dumps(report, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
