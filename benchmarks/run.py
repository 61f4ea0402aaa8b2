"""``make bench``: time Safeboard's heaviest pages through the whole Django stack, at national scale.

    .venv/bin/python benchmarks/run.py [--iterations 30] [--regenerate] [--scale 1] [--only TEXT]

Builds (or reuses) the benchmark database, then for each scenario in ``scenarios.py``: a few
warm-up requests, N timed requests through ``django.test.Client`` (middleware, sessions, two-factor
check, view, templates), one more request with its SQL captured to count the queries, and N
timings of the page's main list query alone, as raw SQL on a bare cursor. See README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.database import OUT_DIR, configure, prepare  # noqa: E402

if TYPE_CHECKING:
    from benchmarks.scenarios import Prepared, Scenario, World


@dataclass
class Result:
    scenario: str
    page_ms: list[float]
    raw_ms: list[float]
    queries: int
    raw_sql_is_the_pages: bool | None  # None when the scenario names no main query
    response_bytes: int
    note: str = ""
    # The shell, timed in turn with this page's requests (one shell request before each page
    # request), so that both see the same load on a shared machine.
    shell_ms: list[float] | None = None

    @property
    def shell_p50(self) -> float | None:
        return statistics.median(self.shell_ms) if self.shell_ms else None

    @property
    def page_p50(self) -> float:
        return statistics.median(self.page_ms)

    @property
    def page_p95(self) -> float:
        return percentile(self.page_ms, 95)

    @property
    def raw_p50(self) -> float | None:
        return statistics.median(self.raw_ms) if self.raw_ms else None


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile: with 30 samples, p95 is the 29th fastest."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def timed(call: Callable[[], object], iterations: int, warmups: int) -> list[float]:
    for _ in range(warmups):
        call()
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def measure(scenario: Scenario, world: World, iterations: int, warmups: int, shell: Prepared | None = None) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prepared = scenario.prepare(world)
    for _ in range(warmups):  # the warm-ups also prove the page is the page (not a redirect)
        prepared.check(prepared.get())
    statuses: list[int] = []
    shell_ms: list[float] | None = None
    if shell is None:
        page_ms = timed(lambda: statuses.append(prepared.get().status_code), iterations, 0)
    else:
        shell_ms, page_ms = [], []
        for _ in range(iterations):
            shell_ms.extend(timed(shell.get, 1, 0))
            page_ms.extend(timed(lambda: statuses.append(prepared.get().status_code), 1, 0))
    if set(statuses) != {200}:
        raise RuntimeError(f"{scenario.name}: statuses {sorted(set(statuses))} while timing")
    # Counting queries wraps every cursor call, so it is done on one extra, untimed request.
    with CaptureQueriesContext(connection) as page_queries:
        response = prepared.get()
    prepared.check(response)

    raw_ms: list[float] = []
    matches = None
    if prepared.queryset is not None:
        sql, params = prepared.queryset.query.sql_with_params()

        def run_raw() -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        raw_ms = timed(run_raw, iterations, warmups)
        with CaptureQueriesContext(connection) as raw_query:
            run_raw()
        page_sql = {query["sql"] for query in page_queries.captured_queries}
        matches = raw_query.captured_queries[-1]["sql"] in page_sql
    return Result(
        scenario.name,
        page_ms,
        raw_ms,
        len(page_queries.captured_queries),
        matches,
        len(response.content),
        prepared.note,
        shell_ms,
    )


def shell_p50(results: list[Result]) -> float | None:
    from benchmarks.scenarios import SHELL

    return next((r.page_p50 for r in results if r.scenario == SHELL), None)


def table(results: list[Result], budgeted: set[str]) -> str:
    shell = shell_p50(results)
    lines = [
        "| Scenario | p50 ms | p95 ms | raw SQL p50 ms | ratio | × shell | queries |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        raw = "–" if r.raw_p50 is None else f"{r.raw_p50:.2f}" + ("" if r.raw_sql_is_the_pages else " †")
        ratio = "–" if not r.raw_p50 else f"{r.page_p50 / r.raw_p50:.1f}"
        own_shell = r.shell_p50 or shell
        times_shell = f"{r.page_p50 / own_shell:.2f}" if own_shell and r.scenario in budgeted else "–"
        cells = [r.scenario, f"{r.page_p50:.1f}", f"{r.page_p95:.1f}", raw, ratio, times_shell, str(r.queries)]
        lines.append(f"| {' | '.join(cells)} |")
    notes = [f"{r.scenario}: {r.note}" for r in results if r.note]
    if any(r.raw_sql_is_the_pages is False for r in results):
        notes.append(
            "† this raw SQL is not among the queries the page ran: the view's query has changed; "
            "update the scenario's queryset."
        )
    return "\n".join(lines + [""] + notes if notes else lines)


def budget_summary(results: list[Result], budgeted: set[str]) -> str:
    """The page-time budget: every list page and dashboard at p50 ≤ BUDGET × the shell's p50."""
    from benchmarks.scenarios import BUDGET, SHELL

    shell = shell_p50(results)
    pages = [r for r in results if r.scenario in budgeted]
    if shell is None or not pages:
        return ""

    def times(r: Result) -> float:
        return r.page_p50 / (r.shell_p50 or shell)

    over = [r for r in pages if times(r) > BUDGET]
    head = (
        f"Page-time budget: p50 ≤ {BUDGET:g} × the shell's p50 ({SHELL}: {shell:.1f} ms on its own; each page is "
        "compared with the shell timed in turn with it)"
    )
    if not over:
        return f"{head}: all {len(pages)} pages within it."
    listed = "; ".join(f"{r.scenario} {times(r):.2f} ×" for r in over)
    return f"{head}: {len(over)} of {len(pages)} pages over it: {listed}."


def profile_scenario(scenario: Scenario, world: World, iterations: int) -> Path:
    """Profile ``iterations`` requests of one scenario with pyinstrument (``pip install -e .[bench]``)."""
    from pyinstrument import Profiler

    prepared = scenario.prepare(world)
    prepared.check(prepared.get())
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(iterations):
            prepared.get()
    slug = "".join(c if c.isalnum() else "-" for c in scenario.name.lower()).strip("-")
    out = OUT_DIR / f"profile-{slug}.txt"
    tree = profiler.output_text(unicode=True, show_all=False)
    flat = profiler.output_text(unicode=True, flat=True, flat_time="self", show_all=True)
    out.write_text(f"{tree}\n\nBy time spent in each function itself:\n{flat}")
    (OUT_DIR / f"profile-{slug}.html").write_text(profiler.output_html())
    return out


def describe_database() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def code_version() -> str:
    """The commit measured, marked "dirty" when the working tree has uncommitted changes."""
    try:
        found = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=OUT_DIR.parents[1], capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    return found.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=30, help="timed requests per scenario (default 30)")
    parser.add_argument("--warmups", type=int, default=3, help="untimed requests first (default 3)")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the benchmark data even if it exists")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply the data sizes, e.g. 0.1 for a quick check (default 1: national)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="run only scenarios whose name contains TEXT (may be repeated)",
    )
    parser.add_argument("--generate-only", action="store_true", help="build the data, run no scenarios")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile the chosen scenarios with pyinstrument instead of timing them (writes benchmarks/out/profile-*)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()

    target = configure(args.scale)
    import django

    from benchmarks.generate import Scale, load_extensions
    from benchmarks.scenarios import SCENARIOS, SHELL, World

    load_extensions()
    manifest, generated = prepare(target, Scale().scaled(args.scale), args.regenerate)
    if args.generate_only:
        return

    chosen = [s for s in SCENARIOS if not args.only or any(t.lower() in s.name.lower() for t in args.only)]
    if any(s.budget for s in chosen) and not any(s.name == SHELL for s in chosen) and not args.profile:
        chosen.insert(0, next(s for s in SCENARIOS if s.name == SHELL))  # the budget needs the shell
    budgeted = {s.name for s in chosen if s.budget}
    sizes = {"partnerships": manifest.scale["partnerships"], **manifest.counts}
    counts = ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in sizes.items())
    database = describe_database()
    print(f"\nDatabase: {database} at {target.label}")
    print(f"Data: {counts}")
    print(f"Code: {code_version()}")
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}; {args.iterations} timed requests per scenario "
        f"after {args.warmups} warm-ups\n"
    )

    world = World(manifest.marks)
    if args.profile:
        for scenario in chosen:
            print(f"  {scenario.name}: {profile_scenario(scenario, world, args.iterations)}", flush=True)
        return
    results = []
    shell = next((s.prepare(world) for s in chosen if s.name == SHELL), None)
    for scenario in chosen:
        result = measure(scenario, world, args.iterations, args.warmups, shell if scenario.budget else None)
        results.append(result)
        beside = f" (shell in turn: {result.shell_p50:.1f} ms)" if result.shell_p50 else ""
        print(f"  {scenario.name}: p50 {result.page_p50:.1f} ms{beside}", flush=True)

    print()
    print(table(results, budgeted))
    summary = budget_summary(results, budgeted)
    if summary:
        print(f"\n{summary}")
    elapsed = time.perf_counter() - started
    # Other work on the machine skews the figures; the load average says how busy it was.
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.", end="")
    if generated:
        print(f"\nTotal {elapsed:.0f} s, of which generating the data took {manifest.seconds:.0f} s.")
    else:
        print(f"\nTotal {elapsed:.0f} s (data reused; generating it took {manifest.seconds:.0f} s).")
    vendor = database.split()[0].lower()
    out = OUT_DIR / (f"results-{vendor}.json" if args.scale == 1 else f"results-{vendor}-scale-{args.scale:g}.json")
    out.write_text(
        json.dumps(
            {
                "database": database,
                "scale": manifest.scale,
                "counts": manifest.counts,
                "iterations": args.iterations,
                "warmups": args.warmups,
                "cpus": os.cpu_count(),
                "load_average_at_end": os.getloadavg()[0],
                "code": code_version(),
                "results": [
                    asdict(r)
                    | {"page_p50": r.page_p50, "page_p95": r.page_p95, "raw_p50": r.raw_p50, "shell_p50": r.shell_p50}
                    for r in results
                ],
            },
            indent=2,
        )
    )
    print(f"Raw timings written to {out.relative_to(OUT_DIR.parents[1])}")


if __name__ == "__main__":
    main()
