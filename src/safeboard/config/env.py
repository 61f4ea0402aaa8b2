"""Typed readers for settings taken from environment variables.

A missing or malformed value stops start-up with a message that names the variable, so a
misconfigured server never comes up half-working.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def text(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off); it is {value!r}.")


def integer(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; it is {value!r}.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; it is {number}.")
    return number


def listing(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [part.strip() for part in value.split(",") if part.strip()]


def site_url(name: str, default: str | None = None, *, require_https: bool = False) -> str:
    """The public address of the site, for links in emails: ``https://host[:port]``, no path.

    Links to reset a password are built from it rather than from a request's Host header, so it
    must be a plain origin.
    """
    from urllib.parse import urlsplit

    value = text(name, default).strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"{name} must be the site's address, such as https://safeboard.example.org; it is {value!r}."
        )
    if require_https and parts.scheme != "https":
        raise ImproperlyConfigured(f"{name} must start with https:// in production; it is {value!r}.")
    return value


def secret(name: str, default: str | None = None) -> str:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE`` (a container or systemd secret).

    Setting both is refused, so that nobody wonders which one is in force.
    """
    value = os.environ.get(name)
    path = os.environ.get(f"{name}_FILE")
    if value is not None and path is not None:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    if path is not None:
        try:
            with open(path, encoding="utf-8") as handle:
                value = handle.read().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE names a file that cannot be read: {exc}") from None
        if not value:
            raise ImproperlyConfigured(f"{name}_FILE names an empty file.")
        return value
    if value is None and default is None:
        raise ImproperlyConfigured(f"Set {name}, or {name}_FILE to the path of a file that holds it.")
    return text(name, default)
