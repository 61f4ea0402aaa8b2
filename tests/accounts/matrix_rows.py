"""Permission matrix rows for shared people and agencies (issue 6 §1 and §3); see
tests/matrix.py for the format.

The record: a pending request from Alpha to add Beta's council (agency C). Alpha's administrator asked;
Beta's administrator and the system administrator may decide; nobody else in Alpha sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from safeboard.core.models import AgencyJoinRequest
from tests.matrix import NO_POST, Row, none, pk, text

Kwargs = Callable[[Any], dict[str, Any]]


def _join_request(w: Any) -> dict[str, Any]:
    return {"pk": w.extras["agency_join_request"].pk}


def _email_link(w: Any) -> dict[str, Any]:
    return {"token": "not-a-real-token"}


def build(w: Any) -> None:
    w.extras["agency_join_request"] = AgencyJoinRequest.objects.create(
        agency=w.agency_c, partnership=w.alpha, requested_by=w.partnership_admin, reason="Matrix"
    )


#                                                          anon prA  prB  lead adm  oth  scr  sys
ROWS: dict[str, Row] = {
    # Taking an agency off the current partnership: its administrators (and the system administrator).
    "core:agency-remove": Row(
        pk("agency_a"),
        "302 403 403 403 200 404 403 200",
        "302 403 403 403 302 404 403 302",
        shows=text("agency_a", "name"),
    ),
    # Requests to add agencies: administrators, who decide for their agencies and follow their own requests.
    "core:agency-requests": Row(none, "302 403 403 403 200 200 403 200", NO_POST),
    "core:agency-request": Row(
        _join_request,
        "302 404 404 404 200 200 404 200",
        "302 404 404 404 403 200 404 200",
        shows=text("agency_c", "name"),
    ),
    "api:agency-leave": Row(pk("agency_a"), "401 405 405 405 405 405 405 405", "401 403 403 403 400 404 403 400"),
    # Everyone asks to change their own email address; the link sent to the new one works signed in or
    # not (it is the proof), and a broken link gets the same plain page for everyone.
    "accounts:email-change": Row(none, "302 200 200 200 200 200 200 200", "302 200 200 200 200 200 200 200"),
    "accounts:email-confirm": Row(
        _email_link, "200 200 200 200 200 200 200 200", "400 400 400 400 400 400 400 400", shows=lambda w: "link"
    ),
}
