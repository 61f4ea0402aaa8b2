#!/bin/sh
# Prints the path of a Python 3.12 or newer (Django 6 needs it), preferring the newest.
# Looks on PATH first, then in pyenv's versions folder (where this project's machines keep them).
for candidate in python3.14 python3.13 python3.12 \
    "$HOME"/.pyenv/versions/3.14*/bin/python3 "$HOME"/.pyenv/versions/3.13*/bin/python3 \
    "$HOME"/.pyenv/versions/3.12*/bin/python3 /usr/local/bin/python3 /usr/bin/python3 python3; do
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
        command -v "$candidate" 2>/dev/null || echo "$candidate"
        exit 0
    fi
done
echo "Safeboard needs Python 3.12 or newer and none was found. Install python3.12+ and try again." >&2
exit 1
