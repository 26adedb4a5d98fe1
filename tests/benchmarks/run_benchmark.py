"""Benchmark the main job: ``corridors run`` against ``corridors validate``, warm cache.

Run from anywhere, with the interpreter of the environment ``corridors`` is installed in::

    .venv/bin/python tests/benchmarks/run_benchmark.py [--repeat 5] [--seeds PATH] [--json [PATH]]

Each command runs as a fresh process in a temporary working folder (``run`` writes ``geo/``,
``maps/`` and ``maps/reports/`` there), with ``$CORRIDORS_CACHE`` set to a temporary folder
that a first, untimed ``corridors run`` fills (so both commands read the cached network; it
also compiles any missing bytecode). Without ``--seeds`` the seeds ``corridors`` finds from an
empty folder are read (the packaged seeds, or the source tree's ``seeds/`` in an editable
install). The two commands take turns, ``repeat`` times each.

For each command it reports the best and median wall-clock seconds, the best CPU seconds (user
plus system, steadier than wall-clock time on a busy machine) and the peak resident memory of
the finished process (``os.wait4``), then the work ``run`` does beyond ``validate`` (best of
``run`` minus best of ``validate``, wall and CPU). The target is at most 3 s beyond
``validate``. Timings are never asserted; the exit code is 0 unless a command fails.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_benchmark import Row, arguments, cell, emit, parse, row_lines, run_once, setting

#: ``corridors run`` should take at most this many seconds beyond ``corridors validate``.
TARGET_EXTRA_S = 3.0


def benchmark(repeat: int, corridors: list[str], seeds: Path | None) -> dict[str, Any]:
    """Run ``validate`` and ``run`` ``repeat`` times each, in turns; return the report."""
    env = {key: value for key, value in os.environ.items() if key != "CORRIDORS_SEEDS"}
    options = ["--seeds", str(seeds.resolve())] if seeds is not None else []
    rows = {
        "validate": Row("corridors validate, warm cache", [*corridors, "validate", *options]),
        "run": Row("corridors run, warm cache", [*corridors, "run", *options]),
    }
    with tempfile.TemporaryDirectory(prefix="corridors-run-bench-") as scratch:
        root = Path(scratch)
        work = root / "work"
        work.mkdir()
        env["CORRIDORS_CACHE"] = str(root / "cache")
        run_once(rows["run"].command, work, env)  # untimed: fills the cache, compiles bytecode
        for _ in range(repeat):
            for key in ("validate", "run"):
                sample, stdout = run_once(rows[key].command, work, env)
                rows[key].samples.append(sample)
                if key == "validate" and "seeds are valid" not in stdout:
                    message = f"unexpected validate output:\n{stdout}"
                    raise RuntimeError(message)
        written = sorted(p.name for p in work.iterdir())
        reports = sorted(p.name for p in (work / "maps" / "reports").glob("*.html"))
    validate, run = rows["validate"], rows["run"]
    extra_wall = run.best_wall_s - validate.best_wall_s
    run_cpu, validate_cpu = run.best_cpu_s, validate.best_cpu_s
    extra_cpu = run_cpu - validate_cpu if run_cpu is not None and validate_cpu is not None else None
    return {
        **setting(repeat, corridors),
        "seeds": str(seeds) if seeds is not None else None,
        "rows": {key: _summary(row) for key, row in rows.items()},
        "target": {
            "what": "corridors run at most this many seconds beyond corridors validate (wall)",
            "extra_s": TARGET_EXTRA_S,
            "measured_wall_s": round(extra_wall, 3),
            "measured_cpu_s": round(extra_cpu, 3) if extra_cpu is not None else None,
            "met": extra_wall <= TARGET_EXTRA_S,
        },
        "written": written,
        "reports": reports,
    }


def _summary(row: Row) -> dict[str, Any]:
    """A row's figures (no reference command here)."""
    return {key: value for key, value in row.summary(None).items() if "networkx" not in key}


def table(report: dict[str, Any]) -> str:
    """Format the report as a plain-text table."""
    target = report["target"]
    verdict = "met" if target["met"] else "not met"
    lines = [
        *row_lines(report, 34),
        f"run minus validate: {target['measured_wall_s']:.2f} s wall, "
        f"{cell(target['measured_cpu_s'], 2)} s CPU",
        f"target: run at most {target['extra_s']:.1f} s beyond validate: "
        f"{target['measured_wall_s']:.2f} s, {verdict}",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table (and the JSON report when asked)."""
    parser = arguments((__doc__ or "").splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=None, help="the seeds folder to read")
    args = parse(parser, argv)
    report = benchmark(args.repeat, args.corridors, args.seeds)
    emit(report, table(report), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
