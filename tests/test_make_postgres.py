"""``make test`` cannot pass in CI without its PostgreSQL run, and says so when it skips it elsewhere."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOBODY = "postgres://postgres@127.0.0.1:9/nothing_listens_here"  # the discard port: no PostgreSQL


def make_test_postgres(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("CI", "DATABASE_URL")} | env
    # -o: take the virtualenv and static files as built, so nothing is installed or built here.
    stamps = [".venv/.installed", "node_modules/.installed", "src/safeboard/static_build/safeboard/safeboard.css"]
    command = ["make", "--no-print-directory", *[f"-o{s}" for s in stamps], "test-postgres"]
    return subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True, timeout=60)


def test_in_ci_an_unreachable_postgresql_fails_the_run():
    run = make_test_postgres(CI="true", DATABASE_URL=NOBODY)
    assert run.returncode != 0
    assert "CI is set" in run.stderr
    assert "Unit and integration tests on PostgreSQL" not in run.stdout


def test_outside_ci_an_unreachable_postgresql_is_skipped_out_loud():
    run = make_test_postgres(DATABASE_URL=NOBODY)
    assert run.returncode == 0
    assert "SKIPPED the PostgreSQL run" in run.stdout
