"""The concurrency benchmark: what the audit trail costs when many people work at once.

    .venv/bin/python benchmarks/concurrency.py [--requests 1200] [--clients 50] [--workers 1 2 4]

Starts gunicorn (the production app server) on 127.0.0.1 against PostgreSQL, with 1, 2 and 4 sync
workers, each time with the access log on and off (``SAFEBOARD_ACCESS_LOG``, a setting for this
benchmark only: production refuses it). A bounded load generator of ``--clients`` threads, each
signed in as the administrator of one of many partnerships, makes ``--requests`` requests in all:
mostly person pages (each writes an access-log entry, in that partnership's chain) and some
progress updates on actions (a locked action row and change-log entries). It prints throughput
and latency per run, checks the audit trail afterwards with ``manage.py verify_audit``, and writes
every timing to ``benchmarks/out/concurrency-results.json``. See README.md.

It uses a PostgreSQL database of its own, created when missing: ``--database-url``, else
``CONCURRENCY_DATABASE_URL``, else the server of a PostgreSQL ``DATABASE_URL`` or the local one at
127.0.0.1:5432, with the database name ``safeboard_bench_concurrency``. With no PostgreSQL to
talk to it says so and stops without failing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import random
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = REPO_ROOT / "benchmarks" / "out"
DATABASE_NAME = "safeboard_bench_concurrency"
MARKER_TABLE = "safeboard_bench_concurrency"
DATA_VERSION = "1"  # raise it when the data below changes: the database is then rebuilt
PARTNERSHIPS = 60  # on the install; the clients work in the first 25 of them, two to a partnership
BUSY_PARTNERSHIPS = 25
PEOPLE_PER_PARTNERSHIP = 40
ACTIONS_PER_PARTNERSHIP = 20
UPDATE_SHARE = 0.2  # one request in five adds a progress update to an action; the rest read a person
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- The database ---------------------------------------------------------------------------------------


def target_url(given: str | None) -> str | None:
    """The benchmark's own database on the chosen PostgreSQL server, or None when none answers."""
    url = given or os.environ.get("CONCURRENCY_DATABASE_URL", "")
    if not url:
        base = os.environ.get("DATABASE_URL", "")
        if not base.startswith(("postgres://", "postgresql://")):
            base = "postgres://postgres@127.0.0.1:5432/postgres"
        url = urlunsplit(urlsplit(base)._replace(path=f"/{DATABASE_NAME}"))
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=2).close()
    except OSError:
        return None
    return url


def create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"Created the database {name}.")


def configure(url: str) -> None:
    for path in (str(REPO_ROOT), str(REPO_ROOT / "src")):
        if path not in sys.path:
            sys.path.insert(0, path)
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="safeboard.config.settings.test",
        SAFEBOARD_VAR_DIR=str(OUT_DIR / "var"),
    )
    import django

    django.setup()


def prepare_data(url: str) -> dict:
    """Migrate; build the data unless this version of it is there. Returns the personas and records."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    tables = connection.introspection.table_names()
    if MARKER_TABLE in tables:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT body FROM {MARKER_TABLE}")
            body = json.loads(cursor.fetchone()[0])
        if body.get("version") == DATA_VERSION:
            return body
        print("The benchmark data is from an older version of this script: rebuilding it.")
    elif any(t.startswith("core_") for t in tables) and DATABASE_NAME not in url:
        raise SystemExit(f"Refusing to use {url}: it holds tables but no concurrency benchmark data.")
    from benchmarks.database import audit_guards_off

    with audit_guards_off():
        call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    body = generate()
    body["version"] = DATA_VERSION
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (body text NOT NULL)")
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
        cursor.execute(f"INSERT INTO {MARKER_TABLE} (body) VALUES (%s)", [json.dumps(body)])
    print(f"Built the benchmark data in {time.perf_counter() - started:.0f} s.")
    return body


def generate() -> dict:
    """Partnerships, each with an agency, an administrator, people and actions. Invented names only.

    Written with ``bulk_create`` (no audit entries for the set-up itself: the chains start empty).
    """
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeboard.accounts.models import Membership, User
    from safeboard.actions.models import Action
    from safeboard.core.models import Agency, AgencyType, Partnership
    from safeboard.core.permissions import Role

    password = make_password("concurrency-benchmark-password")
    due = dt.date.today() + dt.timedelta(days=90)
    with transaction.atomic():
        partnerships = Partnership.objects.bulk_create(
            Partnership(name=f"Benchshire {i:03d} Partnership", short_name=f"Benchshire {i:03d}", slug=f"bench-{i:03d}")
            for i in range(PARTNERSHIPS)
        )
        agencies = Agency.objects.bulk_create(
            Agency(name=f"Benchshire {i:03d} Children's Services", agency_type=AgencyType.CHILDRENS_SERVICES)
            for i in range(PARTNERSHIPS)
        )
        Agency.partnerships.through.objects.bulk_create(
            Agency.partnerships.through(agency_id=a.pk, partnership_id=p.pk)
            for a, p in zip(agencies, partnerships, strict=True)
        )
        people = User.objects.bulk_create(
            User(
                email=f"p{i:03d}-{n:02d}@bench.safeboard.invalid",
                full_name=f"Person {n:02d} of Benchshire {i:03d}",
                agency=agencies[i],
                password=password,
                phone=f"01632 9{i:03d}{n:02d}",
            )
            for i in range(PARTNERSHIPS)
            for n in range(PEOPLE_PER_PARTNERSHIP)
        )
        roles = []
        for index, person in enumerate(people):
            i, n = divmod(index, PEOPLE_PER_PARTNERSHIP)
            role = Role.PARTNERSHIP_ADMINISTRATOR if n < 2 else Role.PRACTITIONER
            roles.append(Membership(user=person, partnership=partnerships[i], role=role))
        Membership.objects.bulk_create(roles)
        TOTPDevice.objects.bulk_create(
            TOTPDevice(user=people[i * PEOPLE_PER_PARTNERSHIP + n], name="Benchmark app", confirmed=True)
            for i in range(PARTNERSHIPS)
            for n in range(2)
        )
        actions = Action.objects.bulk_create(
            Action(
                partnership=partnerships[i],
                reference=f"A-{n + 1:04d}",
                title=f"Refresh the neglect toolkit, part {n + 1}",
                owner=people[i * PEOPLE_PER_PARTNERSHIP + 2 + n],
                agency=agencies[i],
                due_date=due,
                created_by=people[i * PEOPLE_PER_PARTNERSHIP],
            )
            for i in range(PARTNERSHIPS)
            for n in range(ACTIONS_PER_PARTNERSHIP)
        )
    busy = []
    for i in range(BUSY_PARTNERSHIPS):
        first = i * PEOPLE_PER_PARTNERSHIP
        busy.append(
            {
                "partnership": partnerships[i].pk,
                "administrators": [people[first].pk, people[first + 1].pk],
                "people": [p.pk for p in people[first : first + PEOPLE_PER_PARTNERSHIP]],
                "actions": [a.pk for a in actions[i * ACTIONS_PER_PARTNERSHIP : (i + 1) * ACTIONS_PER_PARTNERSHIP]],
            }
        )
    return {"partnerships": busy}


def sign_in_clients(data: dict, clients: int) -> list[dict]:
    """A signed-in session (password and authenticator code done) for each client's persona."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeboard.accounts.models import User
    from safeboard.core.middleware import CURRENT_PARTNERSHIP

    personas = []
    for n in range(clients):
        place = data["partnerships"][n % len(data["partnerships"])]
        user = User.objects.get(pk=place["administrators"][(n // len(data["partnerships"])) % 2])
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session[CURRENT_PARTNERSHIP] = place["partnership"]
        session.save()
        personas.append(
            {
                "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "people": place["people"],
                "actions": place["actions"],
            }
        )
    return personas


# --- The app server and the load -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(url: str, workers: int, access_log: bool, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "safeboard.config.settings.test",
        "SAFEBOARD_VAR_DIR": str(OUT_DIR / "var"),
        "SAFEBOARD_ACCESS_LOG": "true" if access_log else "false",
        "DB_CONN_MAX_AGE": "600",  # each worker keeps its connection, as with a pool in production
        "LOG_LEVEL": "WARNING",
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "safeboard.config.wsgi",
        "--pythonpath",
        str(REPO_ROOT / "src"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--backlog",
        "256",
        "--log-level",
        "warning",
    ]
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with (OUT_DIR / "concurrency-gunicorn.log").open("ab") as log:  # its errors and the checkpoint witness lines
        server = subprocess.Popen(command, env=env, cwd=REPO_ROOT, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within a minute")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@dataclass
class Sample:
    kind: str  # "view" or "update"
    ms: float
    status: int


class LoadClient(threading.Thread):
    """One person at a keyboard: signed in, clicking through their partnership as fast as the server answers."""

    def __init__(self, port: int, persona: dict, requests: int, seed: int, cookie_name: str) -> None:
        super().__init__(daemon=True)
        self.port, self.persona, self.requests = port, persona, requests
        self.rng = random.Random(seed)
        self.cookies = {cookie_name: persona["session"]}
        self.samples: list[Sample] = []
        self.csrf = ""
        self.error = ""

    def call(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, content
        finally:
            conn.close()

    def prime(self) -> None:
        """The progress form once, for its CSRF token (untimed)."""
        status, content = self.call("GET", f"/actions/{self.persona['actions'][0]}/updates/new/")
        found = CSRF_FIELD.search(content.decode(errors="replace"))
        if status != 200 or not found:
            raise RuntimeError(f"could not open the progress update form (status {status})")
        self.csrf = found.group(1)

    def run(self) -> None:
        try:
            for n in range(self.requests):
                if self.rng.random() < UPDATE_SHARE:
                    kind, expected = "update", 302
                    action = self.rng.choice(self.persona["actions"])
                    body = urlencode({"csrfmiddlewaretoken": self.csrf, "text": f"Progress note {n}."})
                    started = time.perf_counter()
                    status, _ = self.call("POST", f"/actions/{action}/updates/new/", body)
                else:
                    kind, expected = "view", 200
                    person = self.rng.choice(self.persona["people"])
                    started = time.perf_counter()
                    status, _ = self.call("GET", f"/people/{person}/")
                self.samples.append(Sample(kind, (time.perf_counter() - started) * 1000, status))
                if status != expected:
                    self.error = f"{kind} answered {status}"
        except Exception as exc:  # noqa: BLE001  (reported with the run's figures)
            self.error = repr(exc)


@dataclass
class Run:
    """All rounds of one configuration (workers × access log on or off), taken together."""

    workers: int
    access_log: bool
    requests: int = 0
    seconds: float = 0.0
    cpu_seconds: float | None = 0.0  # app server and database processes; None where /proc cannot tell
    samples: list[Sample] = field(default_factory=list, repr=False)

    def add(self, seconds: float, cpu_seconds: float | None, samples: list[Sample]) -> None:
        self.seconds += seconds
        self.requests += len(samples)
        self.samples.extend(samples)
        self.cpu_seconds = None if cpu_seconds is None or self.cpu_seconds is None else self.cpu_seconds + cpu_seconds

    @property
    def cpu_ms_per_request(self) -> float | None:
        return None if self.cpu_seconds is None else self.cpu_seconds * 1000 / self.requests

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float, kind: str | None = None) -> float:
        values = sorted(s.ms for s in self.samples if kind is None or s.kind == kind)
        return values[max(0, math.ceil(q / 100 * len(values)) - 1)] if values else float("nan")


def run_load(port: int, personas: list[dict], total: int, seed: int, cookie_name: str) -> tuple[float, list[Sample]]:
    each, extra = divmod(total, len(personas))
    threads = [
        LoadClient(port, persona, each + (1 if n < extra else 0), seed * 1000 + n, cookie_name)
        for n, persona in enumerate(personas)
    ]
    for thread in threads:
        thread.prime()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    errors = sorted({t.error for t in threads if t.error})
    if errors:
        raise RuntimeError(f"requests failed: {errors}")
    return seconds, [s for t in threads for s in t.samples]


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU a process has used (Linux /proc), or None when it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_processes(server: subprocess.Popen, url: str) -> set[int]:
    """The gunicorn workers and the database backends serving them."""
    import psycopg

    workers = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server.pid:
                workers.add(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return workers | {row[0] for row in rows}


def _cpu_of(pids: set[int]) -> dict[int, float]:
    return {pid: cpu for pid in pids if (cpu := _cpu_seconds(pid)) is not None}


def measure(url: str, personas: list[dict], run: Run, requests: int, warmup: int, seed: int) -> None:
    """One round: start gunicorn, warm it up, time ``requests`` requests, stop it.

    Besides the wall-clock time, it adds up the CPU the app server's workers and their database
    backends spent on the timed requests: on a machine shared with other work, throughput varies with
    the neighbours, the CPU a request costs much less.
    """
    from django.conf import settings

    port = free_port()
    server = start_gunicorn(url, run.workers, run.access_log, port)
    try:
        run_load(port, personas, warmup, seed=seed * 2, cookie_name=settings.SESSION_COOKIE_NAME)
        measured = sys.platform == "linux"
        before = _cpu_of(_server_processes(server, url)) if measured else {}
        seconds, samples = run_load(
            port, personas, requests, seed=seed * 2 + 1, cookie_name=settings.SESSION_COOKIE_NAME
        )
        after = _cpu_of(set(before) | _server_processes(server, url)) if measured else {}
    finally:
        stop(server)
    cpu = sum(after[pid] - before.get(pid, 0.0) for pid in after) if measured else None
    run.add(seconds, cpu, samples)


# --- Report ---------------------------------------------------------------------------------------------


def table(runs: list[Run]) -> str:
    lines = [
        "| Workers | Access log | Requests/s | on ÷ off | p50 ms | p95 ms | person page p95 ms "
        "| progress update p95 ms | server CPU ms per request | on ÷ off from CPU |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    off = {r.workers: r for r in runs if not r.access_log}
    for r in runs:
        base = off.get(r.workers) if r.access_log else None
        ratio = f"{r.throughput / base.throughput:.2f}" if base else ""
        cpu, base_cpu = r.cpu_ms_per_request, base.cpu_ms_per_request if base else None
        cpu_ratio = f"{base_cpu / cpu:.2f}" if cpu and base_cpu else ""
        cells = [
            str(r.workers),
            "on" if r.access_log else "off",
            f"{r.throughput:.1f}",
            ratio,
            f"{r.percentile(50):.0f}",
            f"{r.percentile(95):.0f}",
            f"{r.percentile(95, 'view'):.0f}",
            f"{r.percentile(95, 'update'):.0f}",
            "–" if cpu is None else f"{cpu:.1f}",
            cpu_ratio,
        ]
        lines.append(f"| {' | '.join(cells)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=500, help="timed requests per round (default 500)")
    parser.add_argument("--warmup", type=int, default=100, help="untimed requests first, per round (default 100)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of each configuration, interleaved (default 2)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4], help="gunicorn workers (default 1 2 4)")
    parser.add_argument("--database-url", help="a PostgreSQL database for this benchmark alone")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    url = target_url(args.database_url)
    if url is None:
        print("Concurrency benchmark: no PostgreSQL answers (see --database-url); skipped.")
        return
    create_database(url)
    configure(url)
    import django
    from django.core.management import call_command
    from django.db import connection

    data = prepare_data(url)
    personas = sign_in_clients(data, args.clients)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    connection.close()
    label = urlunsplit(urlsplit(url)._replace(netloc=urlsplit(url).hostname or ""))
    print(f"\nConcurrency: gunicorn (sync workers) on 127.0.0.1, PostgreSQL {server_version} at {label}")
    print(
        f"{args.clients} clients in {BUSY_PARTNERSHIPS} partnerships (two to a partnership), "
        f"{args.rounds} rounds of {args.requests} timed requests (after {args.warmup} warm-up ones) "
        "per configuration; "
        f"{100 - UPDATE_SHARE * 100:.0f}% person pages, {UPDATE_SHARE * 100:.0f}% progress updates on actions"
    )
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}\n"
    )

    runs: list[Run] = []
    for workers in args.workers:
        on, off = Run(workers, True), Run(workers, False)
        # Rounds in the order on, off, off, on…: a machine that slows down or speeds up during the
        # measurement weighs on both alike.
        order = [on, off, off, on] * (args.rounds // 2) + ([on, off] if args.rounds % 2 else [])
        for n, run in enumerate(order):
            measure(url, personas, run, args.requests, args.warmup, seed=workers * 100 + n)
        runs += [on, off]
        print(
            f"  {workers} worker{'s' if workers > 1 else ''}: {on.throughput:.1f} requests/s with the access log on, "
            f"{off.throughput:.1f} off ({on.throughput / off.throughput:.2f} ×)",
            flush=True,
        )
    print()
    print(table(runs))
    ratios = [on.throughput / off.throughput for on, off in zip(runs[::2], runs[1::2], strict=True)]
    growth = " → ".join(
        f"{(on.throughput + off.throughput) / 2:.1f}" for on, off in zip(runs[::2], runs[1::2], strict=True)
    )
    print(f"\nThroughput by workers ({', '.join(map(str, args.workers))}; mean of on and off): {growth} requests/s.")
    print(f"With the access log on, throughput is {min(ratios):.2f}–{max(ratios):.2f} × that with it off (goal ≥ 0.8).")
    pairs = [(on, off) for on, off in zip(runs[::2], runs[1::2], strict=True) if on.cpu_seconds and off.cpu_seconds]
    if pairs:
        costs = [off.cpu_ms_per_request / on.cpu_ms_per_request for on, off in pairs]  # type: ignore[operator]
        print(
            "From the CPU each request costs the app server and the database, the access log on would give "
            f"{min(costs):.2f}–{max(costs):.2f} × the throughput with it off on a machine of its own."
        )
    print("Checking the audit trail after the runs (manage.py verify_audit):")
    call_command("verify_audit")
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f}. Total {time.perf_counter() - started:.0f} s.")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / "concurrency-results.json"
    out.write_text(
        json.dumps(
            {
                "postgresql": server_version,
                "clients": args.clients,
                "cpus": os.cpu_count(),
                "runs": [
                    {
                        **{k: v for k, v in asdict(r).items() if k != "samples"},
                        "throughput": r.throughput,
                        "p50_ms": r.percentile(50),
                        "p95_ms": r.percentile(95),
                        "samples_ms": [(s.kind, round(s.ms, 2)) for s in r.samples],
                    }
                    for r in runs
                ],
            },
            indent=1,
        )
    )
    print(f"Raw timings written to {out.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
