"""Emails about people's accounts, and the one way to put a link to Safeboard in an email.

Links are built from ``SAFEBOARD_SITE_URL``, never from the request: a forged ``Host`` header must not
be able to send someone a password link that points at another site.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string


def site_link(path: str) -> str:
    """The full address of ``path`` (which starts with /) on the configured site."""
    return settings.SAFEBOARD_SITE_URL.rstrip("/") + path


def send_templated(*, to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    """Render a plain-text email and send it through the task queue (a slow mail server never holds up
    a page)."""
    from safeboard.accounts.tasks import send_email

    body = render_to_string(template, {"site_url": settings.SAFEBOARD_SITE_URL.rstrip("/"), **context})
    send_email.enqueue(subject=subject, body=body, to=[to])
