"""Permission matrix rows for the action log (see tests/matrix.py for the format).

The records: an action owned by practitioner A (agency A, Alpha) with one evidence file, and a
closed action of practitioner A for the reopen page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from safeboard.actions.models import ActionEvidence, ActionStatus
from safeboard.actions.services import create_action
from tests.matrix import API_NO_POST, NO_POST, Row, none, pk, text

Kwargs = Callable[[Any], dict[str, Any]]


#                                 anon prA  prB  lead adm  oth  scr  sys
LIST_PAGE = "302 200 200 200 200 200 403 403"
ADD_PAGE = "302 403 403 403 200 200 403 403"
SEE = "302 200 404 200 200 404 404 404"
UPDATE = "302 200 404 200 200 404 404 404"
CHANGE = "302 403 404 403 200 404 404 404"
CLOSE = "302 403 404 403 200 404 404 404"

ROWS: dict[str, Row] = {
    "actions:action-list": Row(none, LIST_PAGE, NO_POST),
    "actions:action-export-csv": Row(none, LIST_PAGE, NO_POST),
    "actions:action-export-xlsx": Row(none, LIST_PAGE, NO_POST),
    "actions:quarterly-report": Row(none, LIST_PAGE, NO_POST),
    "actions:quarterly-report-pdf": Row(none, LIST_PAGE, NO_POST),
    "actions:action-new": Row(none, ADD_PAGE, ADD_PAGE),
    "actions:action-detail": Row(pk("action"), SEE, NO_POST, shows=text("action", "title")),
    "actions:action-edit": Row(pk("action"), CHANGE, CHANGE, shows=text("action", "title")),
    "actions:action-update-new": Row(pk("action"), UPDATE, UPDATE, shows=text("action", "title")),
    "actions:action-evidence-new": Row(pk("action"), UPDATE, UPDATE, shows=text("action", "title")),
    "actions:evidence-download": Row(pk("evidence"), SEE, NO_POST, shows=lambda w: "The refreshed toolkit."),
    "actions:evidence-review": Row(pk("evidence"), CLOSE, CLOSE, shows=text("evidence", "description")),
    "actions:action-close": Row(pk("action"), CLOSE, CLOSE, shows=text("action", "title")),
    "actions:action-cancel": Row(pk("action"), CLOSE, CLOSE, shows=text("action", "title")),
    "actions:action-reopen": Row(pk("closed_action"), CLOSE, CLOSE, shows=text("closed_action", "title")),
    # The API lists what each caller may see (empty for some); one action is a 404 outside scope.
    "api:action-list": Row(none, "401 200 200 200 200 200 200 200", API_NO_POST),
    "api:action-detail": Row(
        pk("action"), "401 200 404 200 200 404 404 404", API_NO_POST, shows=text("action", "title")
    ),
}


def build(world: Any) -> None:
    today = timezone.localdate()
    action = create_action(
        partnership=world.alpha,
        title="Refresh the neglect toolkit",
        owner=world.practitioner_a,
        agency=world.agency_a,
        due_date=today + dt.timedelta(days=30),
        created_by=world.partnership_admin,
        theme="Neglect",
    )
    evidence = ActionEvidence(action=action, description="The new toolkit", added_by=world.practitioner_a)
    evidence.file.save("toolkit.txt", ContentFile(b"The refreshed toolkit."), save=False)
    evidence.save()
    closed = create_action(
        partnership=world.alpha,
        title="Publish the annual report",
        owner=world.practitioner_a,
        agency=world.agency_a,
        due_date=today - dt.timedelta(days=10),
        created_by=world.partnership_admin,
    )
    closed.status = ActionStatus.CLOSED
    closed.closed_by = world.partnership_admin
    closed.closed_at = timezone.now()
    closed.closure_reason = "Published."
    closed.save()
    world.extras.update(action=action, evidence=evidence, closed_action=closed)
