#!/bin/sh
# Prints the DATABASE_URL for the PostgreSQL run of the suite, or nothing when no server answers.
# DATABASE_URL wins when it is set; otherwise a local server on 127.0.0.1:5432 is used.
if [ -n "$DATABASE_URL" ]; then
    echo "$DATABASE_URL"
    exit 0
fi
"$1" - <<'PY'
import socket
try:
    socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
except OSError:
    pass
else:
    print("postgres://postgres@127.0.0.1:5432/safeboard")
PY
