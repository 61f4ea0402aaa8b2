"""The benchmark database: which one, and how it is created, reused or rebuilt.

``configure()`` must run before anything imports Django models. It points the *test* settings
profile (fast hashing, in-memory email, tasks run at once) at the benchmark database:

* by default a SQLite file of our own, ``benchmarks/out/bench.sqlite3`` (git-ignored; another
  scale gets its own file);
* when ``DATABASE_URL`` is set, that database. It must be a throwaway one: a rebuild empties it.
  As a guard, a database that already holds tables but no benchmark data is refused.

A small table of our own (not a Django model, so migrations never see it) records what the
generator built: the scale, the steps, and the ids of the records the scenarios use. A run reuses
the data when that record matches what is asked for, and rebuilds it otherwise.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from benchmarks.generate import Scale

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = REPO_ROOT / "benchmarks" / "out"


def sqlite_path(scale: float) -> Path:
    """Our own SQLite file: one per scale, so a quick ``--scale 0.1`` run keeps the national data."""
    return OUT_DIR / ("bench.sqlite3" if scale == 1 else f"bench-scale-{scale:g}.sqlite3")


SETTINGS_MODULE = "safeboard.config.settings.test"
MANIFEST_TABLE = "safeboard_bench_manifest"


def add_import_paths() -> None:
    """Make ``safeboard`` (under src/) and ``benchmarks`` importable when run as a plain script."""
    for path in (str(REPO_ROOT), str(REPO_ROOT / "src")):
        if path not in sys.path:
            sys.path.insert(0, path)


@dataclass(frozen=True)
class Target:
    url: str
    sqlite_file: Path | None = None  # our own SQLite file under benchmarks/out: safe to delete

    @property
    def owned(self) -> bool:
        return self.sqlite_file is not None

    @property
    def label(self) -> str:
        """The address without its password, for printing."""
        parts = urlsplit(self.url)
        if parts.password:
            netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
            return urlunsplit(parts._replace(netloc=netloc))
        return self.url


def configure(scale: float = 1) -> Target:
    """Choose the database, set the environment the settings read, and start Django."""
    add_import_paths()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    external = os.environ.get("DATABASE_URL", "").strip()
    if external:
        target = Target(external)
    else:
        path = sqlite_path(scale)
        target = Target(f"sqlite:///{path}", sqlite_file=path)
    os.environ["DATABASE_URL"] = target.url
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    # The test profile creates folders under the var dir (media, static): keep them in out/ too.
    os.environ["SAFEBOARD_VAR_DIR"] = str(OUT_DIR / "var")

    import django

    django.setup()
    return target


@dataclass
class Manifest:
    status: str  # "generating" until the last step has finished, then "complete"
    scale: dict[str, int]
    steps: list[str]
    fingerprint: str = ""  # of the generator's source: changed code means rebuilt data
    marks: dict[str, Any] = field(default_factory=dict)  # ids and values the scenarios use
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    generated_at: str = ""


def _manifest_table_exists() -> bool:
    from django.db import connection

    return MANIFEST_TABLE in connection.introspection.table_names()


def read_manifest() -> Manifest | None:
    from django.db import connection

    if not _manifest_table_exists():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body FROM {MANIFEST_TABLE} WHERE name = %s", ["generator"])
        row = cursor.fetchone()
    return Manifest(**json.loads(row[0])) if row else None


def write_manifest(manifest: Manifest) -> None:
    from django.db import connection, transaction

    body = json.dumps(asdict(manifest))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MANIFEST_TABLE} (name varchar(40) PRIMARY KEY, body text NOT NULL)"
        )
        cursor.execute(f"DELETE FROM {MANIFEST_TABLE} WHERE name = %s", ["generator"])
        cursor.execute(f"INSERT INTO {MANIFEST_TABLE} (name, body) VALUES (%s, %s)", ["generator", body])


def _other_tables() -> list[str]:
    from django.db import connection

    return [name for name in connection.introspection.table_names() if name != MANIFEST_TABLE]


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)  # the settings use the database cache


def _wipe(target: Target) -> None:
    from django.core.management import call_command
    from django.db import connection

    if target.owned:
        connection.close()
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{target.sqlite_file}{suffix}").unlink(missing_ok=True)
        return
    # Someone else's server: empty every Django table (TRUNCATE on PostgreSQL).
    _migrate()
    with audit_guards_off():
        call_command("flush", interactive=False, verbosity=0)


@contextmanager
def audit_guards_off() -> Iterator[None]:
    """PostgreSQL refuses TRUNCATE on the audit tables (core migration 0008). A throwaway benchmark
    database is emptied as its owner may: with the tables' triggers switched off, then on again."""
    from django.db import connection

    from safeboard.core.audit import APPEND_ONLY_TABLES

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        for table in APPEND_ONLY_TABLES:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for table in APPEND_ONLY_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def _fingerprint(functions: list[Callable[..., object]]) -> str:
    """A digest of every file that holds a generation step (the core steps and each extension's)."""
    digest = hashlib.sha256()
    for path in sorted({inspect.getsourcefile(function) or "" for function in functions}):
        digest.update(Path(path).read_bytes() if path else b"")
    return digest.hexdigest()[:16]


def prepare(target: Target, scale: Scale, regenerate: bool) -> tuple[Manifest, bool]:
    """Migrate the benchmark database and make sure it holds data at ``scale``.

    Returns the manifest and whether the data was generated by this call.
    """
    from benchmarks.generate import GENERATOR_STEPS, generate

    wanted = Manifest(
        status="generating",
        scale=asdict(scale),
        steps=[s.name for s in GENERATOR_STEPS],
        fingerprint=_fingerprint([s.run for s in GENERATOR_STEPS]),
    )
    manifest = read_manifest()
    if regenerate:
        reason = "--regenerate was given"
    elif manifest is None:
        reason = "there is no benchmark data yet"
    elif manifest.status != "complete":
        reason = "the last generation did not finish"
    elif manifest.scale != wanted.scale:
        reason = "a different scale was asked for"
    elif manifest.steps != wanted.steps:
        reason = "the generator's steps have changed"
    elif manifest.fingerprint != wanted.fingerprint:
        reason = "the generator's code has changed"
    else:
        started = time.perf_counter()
        _migrate()  # picks up any new migration; the data stays
        print(
            f"Reusing the benchmark data (generated {manifest.generated_at} in {manifest.seconds:.0f} s); "
            f"migrate took {time.perf_counter() - started:.1f} s. Pass --regenerate to rebuild it."
        )
        return manifest, False

    if manifest is None and not target.owned and _other_tables():
        raise SystemExit(
            f"Refusing to use {target.label}: it already holds tables but no benchmark data.\n"
            "The benchmarks empty and refill their database, so DATABASE_URL must name a throwaway "
            "database, e.g.\n  createdb -h 127.0.0.1 -U postgres safeboard_bench\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/safeboard_bench make bench"
        )
    print(f"Building the benchmark data in {target.label}: {reason}.")
    started = time.perf_counter()
    _wipe(target)
    _migrate()
    print(f"  migrations applied in {time.perf_counter() - started:.1f} s")
    write_manifest(wanted)
    marks, counts, seconds = generate(scale)
    manifest = Manifest(
        status="complete",
        scale=wanted.scale,
        steps=wanted.steps,
        fingerprint=wanted.fingerprint,
        marks=marks,
        counts=counts,
        seconds=round(seconds, 1),
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
    write_manifest(manifest)
    return manifest, True
