"""Permission matrix rows for the action log (see tests/test_permission_matrix.py for the format).

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

Kwargs = Callable[[Any], dict[str, Any]]


def _none(w: Any) -> dict[str, Any]:
    return {}


def _extra(name: str) -> Kwargs:
    return lambda w: {"pk": w.extras[name].pk}


#                                 anon prA  prB  lead adm  oth  scr  sys
LIST_PAGE = "302 200 200 200 200 200 403 403"
ADD_PAGE = "302 403 403 403 200 200 403 403"
SEE = "302 200 404 200 200 404 404 404"
UPDATE = "302 200 404 200 200 404 404 404"
CHANGE = "302 403 404 403 200 404 404 404"
CLOSE = "302 403 404 403 200 404 404 404"

ROWS: dict[str, tuple[Kwargs, str]] = {
    "actions:action-list": (_none, LIST_PAGE),
    "actions:action-export-csv": (_none, LIST_PAGE),
    "actions:action-export-xlsx": (_none, LIST_PAGE),
    "actions:quarterly-report": (_none, LIST_PAGE),
    "actions:quarterly-report-pdf": (_none, LIST_PAGE),
    "actions:action-new": (_none, ADD_PAGE),
    "actions:action-detail": (_extra("action"), SEE),
    "actions:action-edit": (_extra("action"), CHANGE),
    "actions:action-update-new": (_extra("action"), UPDATE),
    "actions:action-evidence-new": (_extra("action"), UPDATE),
    "actions:evidence-download": (_extra("evidence"), SEE),
    "actions:evidence-review": (_extra("evidence"), CLOSE),
    "actions:action-close": (_extra("action"), CLOSE),
    "actions:action-cancel": (_extra("action"), CLOSE),
    "actions:action-reopen": (_extra("closed_action"), CLOSE),
    # The API lists what each caller may see (empty for some); one action is a 404 outside scope.
    "api:action-list": (_none, "401 200 200 200 200 200 200 200"),
    "api:action-detail": (_extra("action"), "401 200 404 200 200 404 404 404"),
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
