"""Benchmark the command line: ``corridors route`` cold and warm against ``import networkx``.

Run from anywhere, with the interpreter of the environment ``corridors`` is installed in::

    .venv/bin/python tests/benchmarks/cli_benchmark.py [--repeat 5] [--json [PATH]]

Each command runs as a fresh process from an empty temporary working folder (so the packaged
seeds are read, or the source tree's ``seeds/`` in an editable install), with
``$CORRIDORS_CACHE`` set to a temporary folder:

- ``python -c "pass"``: the interpreter's start-up;
- ``python -c "import networkx"``: the reference;
- ``python -c "import numpy, pandas, ..."``: the libraries that build the network, which a
  cold route needs and a warm one does not (it reads the stored routing graph, arrays and
  plain records, with NumPy alone);
- ``corridors route "Aktau seaport" Gorgan`` cold: an empty cache folder for every repeat, so
  the network is validated and built, and it and the routing graph are cached;
- the same, warm: the cache entries written by a first, untimed run are read.

For each it reports the best and median wall-clock seconds, the best CPU seconds (user plus
system, steadier than wall-clock time on a busy machine) and the peak resident memory, read
from the finished process's own resource usage (``os.wait4``). The target is a warm route
within 3x of ``import networkx``. Timings are never asserted; the exit code is 0 unless a
command fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: A warm route should take at most this many times as long as ``import networkx``.
TARGET_RATIO = 3.0

ROUTE_ARGS = ["route", "Aktau seaport", "Gorgan"]
LIBRARIES = "numpy, pandas, scipy.sparse.csgraph, geopandas, pydantic"


@dataclass
class Sample:
    """One finished process."""

    wall_s: float
    cpu_s: float | None
    max_rss_mib: float | None


@dataclass
class Row:
    """One benchmarked command and its samples."""

    name: str
    command: list[str]
    samples: list[Sample] = field(default_factory=list)

    @property
    def best_wall_s(self) -> float:
        return min(s.wall_s for s in self.samples)

    @property
    def median_wall_s(self) -> float:
        return statistics.median(s.wall_s for s in self.samples)

    @property
    def best_cpu_s(self) -> float | None:
        values = [s.cpu_s for s in self.samples if s.cpu_s is not None]
        return min(values) if values else None

    @property
    def peak_rss_mib(self) -> float | None:
        values = [s.max_rss_mib for s in self.samples if s.max_rss_mib is not None]
        return max(values) if values else None

    def summary(self, reference: Row | None) -> dict[str, Any]:
        ratio = self.best_wall_s / reference.best_wall_s if reference else None
        cpu, ref_cpu = self.best_cpu_s, reference.best_cpu_s if reference else None
        return {
            "name": self.name,
            "command": self.command,
            "best_wall_s": round(self.best_wall_s, 4),
            "median_wall_s": round(self.median_wall_s, 4),
            "best_cpu_s": round(cpu, 4) if cpu is not None else None,
            "peak_rss_mib": round(self.peak_rss_mib, 1) if self.peak_rss_mib else None,
            "x_networkx_wall": round(ratio, 2) if ratio is not None else None,
            "x_networkx_cpu": round(cpu / ref_cpu, 2) if cpu and ref_cpu else None,
            "samples": [asdict(s) for s in self.samples],
        }


def _rss_mib(max_rss: int) -> float:
    """``ru_maxrss`` in MiB: kilobytes on Linux, bytes on macOS."""
    return max_rss / (1024 * 1024) if sys.platform == "darwin" else max_rss / 1024


def run_once(command: Sequence[str], cwd: Path, env: dict[str, str]) -> tuple[Sample, str]:
    """Run a command to completion; return its sample and its standard output.

    Raises
    ------
    RuntimeError
        When the command exits non-zero.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
            sample = Sample(wall, usage.ru_utime + usage.ru_stime, _rss_mib(usage.ru_maxrss))
        else:  # pragma: no cover - Windows
            process.wait()
            sample = Sample(time.perf_counter() - start, None, None)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        if process.returncode != 0:
            stderr = err.read().decode("utf-8", "replace")
            message = f"{' '.join(command)} exited {process.returncode}:\n{stderr}"
            raise RuntimeError(message)
    return sample, stdout


def corridors_command() -> list[str]:
    """The ``corridors`` console script beside this interpreter, else ``python -m corridors``."""
    folder = Path(sys.executable).parent
    for name in ("corridors", "corridors.exe"):
        if (folder / name).is_file():
            return [str(folder / name)]
    found = shutil.which("corridors")
    return [found] if found else [sys.executable, "-m", "corridors"]


def setting(repeat: int, corridors: list[str]) -> dict[str, Any]:
    """What a report says about how it was measured: repeats, Python, command, CPUs, load."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "repeat": repeat,
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "corridors": corridors,
        "cpu_count": os.cpu_count(),
        "load_average": [round(x, 2) for x in load] if load else None,
    }


def benchmark(repeat: int, corridors: list[str]) -> dict[str, Any]:
    """Run every command ``repeat`` times; return the report."""
    env = {key: value for key, value in os.environ.items() if key != "CORRIDORS_SEEDS"}
    route = [*corridors, *ROUTE_ARGS]
    rows = {
        "start": Row("python -c pass", [sys.executable, "-c", "pass"]),
        "networkx": Row("python -c 'import networkx'", [sys.executable, "-c", "import networkx"]),
        "libraries": Row(f"import {LIBRARIES}", [sys.executable, "-c", f"import {LIBRARIES}"]),
        "cold": Row("corridors route, cold cache", route),
        "warm": Row("corridors route, warm cache", route),
    }
    with tempfile.TemporaryDirectory(prefix="corridors-bench-") as scratch:
        root = Path(scratch)
        work = root / "work"
        work.mkdir()
        warm_cache = root / "warm-cache"
        first, _ = run_once(route, work, {**env, "CORRIDORS_CACHE": str(warm_cache)})
        del first  # untimed: writes the warm cache and compiles any missing bytecode
        for index in range(repeat):
            for key in ("start", "networkx", "libraries"):
                sample, _ = run_once(rows[key].command, work, env)
                rows[key].samples.append(sample)
            cold_cache = root / f"cold-cache-{index}"
            sample, _ = run_once(route, work, {**env, "CORRIDORS_CACHE": str(cold_cache)})
            rows["cold"].samples.append(sample)
            sample, stdout = run_once(route, work, {**env, "CORRIDORS_CACHE": str(warm_cache)})
            rows["warm"].samples.append(sample)
            if "gorgan" not in stdout.lower():
                message = f"unexpected route output:\n{stdout}"
                raise RuntimeError(message)
        leftovers = sorted(p.name for p in work.iterdir())
    reference = rows["networkx"]
    warm_ratio = rows["warm"].best_wall_s / reference.best_wall_s
    return {
        **setting(repeat, corridors),
        "rows": {key: row.summary(reference) for key, row in rows.items()},
        "target": {
            "what": "warm corridors route within this many times import networkx (wall)",
            "ratio": TARGET_RATIO,
            "measured": round(warm_ratio, 2),
            "met": warm_ratio <= TARGET_RATIO,
        },
        "written_to_working_folder": leftovers,
    }


def cell(value: float | None, digits: int) -> str:
    """A table cell: the number to ``digits`` decimals, ``-`` when there is none."""
    return "-" if value is None else f"{value:.{digits}f}"


#: A table's extra columns: title, the row's key, width, decimals.
Column = tuple[str, str, int, int]


def row_lines(report: dict[str, Any], width: int, extra: Sequence[Column] = ()) -> list[str]:
    """Return a table's header, rule and rows (command, best, median, CPU, peak memory, extra)."""
    header = f"{'command':<{width}} {'best s':>7} {'median s':>8} {'cpu s':>6} {'peak MiB':>8}"
    header += "".join(f" {title:>{size}}" for title, _, size, _ in extra)
    lines = [header, "-" * len(header)]
    for row in report["rows"].values():
        lines.append(
            f"{row['name']:<{width}} {cell(row['best_wall_s'], 3):>7} "
            f"{cell(row['median_wall_s'], 3):>8} {cell(row['best_cpu_s'], 3):>6} "
            f"{cell(row['peak_rss_mib'], 1):>8}"
            + "".join(f" {cell(row[key], digits):>{size}}" for _, key, size, digits in extra)
        )
    lines += [
        "",
        f"best of {report['repeat']}; python {report['python']}; {report['cpu_count']} CPUs; "
        f"load average {report['load_average']}",
    ]
    return lines


def table(report: dict[str, Any]) -> str:
    """Format the report as a plain-text table."""
    extra = [("x nx", "x_networkx_wall", 5, 2), ("x nx cpu", "x_networkx_cpu", 8, 2)]
    target = report["target"]
    verdict = "met" if target["met"] else "not met"
    lines = [
        *row_lines(report, 64, extra),
        f"target: warm route within {target['ratio']:.1f}x import networkx: "
        f"{target['measured']:.2f}x, {verdict}",
    ]
    return "\n".join(lines)


def arguments(description: str) -> argparse.ArgumentParser:
    """Return a parser with the options of the command benchmarks: --repeat, --json, --corridors."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (best of)")
    parser.add_argument(
        "--json",
        nargs="?",
        const="-",
        default=None,
        metavar="PATH",
        help="also write the report as JSON to PATH (to standard output, instead of the table, "
        "when no PATH is given)",
    )
    parser.add_argument(
        "--corridors",
        default=None,
        help="the corridors command to run (default: the console script beside this Python)",
    )
    return parser


def parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the options, refusing a repeat below 1; ``corridors`` becomes the command's words."""
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    args.corridors = args.corridors.split() if args.corridors else corridors_command()
    return args


def emit(report: dict[str, Any], text: str, json_target: str | None) -> None:
    """Print the table (or, with ``--json`` alone, the JSON report); write the JSON to a path."""
    if json_target == "-":
        print(json.dumps(report, indent=2))
        return
    print(text)
    if json_target:
        Path(json_target).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table (and the JSON report when asked)."""
    args = parse(arguments((__doc__ or "").splitlines()[0]), argv)
    report = benchmark(args.repeat, args.corridors)
    emit(report, table(report), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
