#!/bin/sh
# Prints the DATABASE_URL for the PostgreSQL run of the suite, or nothing when no server answers.
# DATABASE_URL wins when it is set; otherwise a local server on 127.0.0.1:5432 is used. Either way the
# server must answer on its host and port. When none answers and CI is set (CI=true), it says so on
# stderr and exits 1, so that CI can never pass without its PostgreSQL run.
"$1" - <<'PY'
import os
import socket
import sys
from urllib.parse import urlsplit

url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/safeboard"
parts = urlsplit(url)
host, port = parts.hostname or "127.0.0.1", parts.port or 5432
try:
    socket.create_connection((host, port), timeout=2).close()
except OSError:
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        print(
            f"== PostgreSQL does not answer on {host}:{port} and CI is set: the PostgreSQL run cannot be skipped.",
            file=sys.stderr,
        )
        sys.exit(1)
else:
    print(url)
PY
