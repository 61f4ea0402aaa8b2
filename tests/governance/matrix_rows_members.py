"""Permission matrix rows for members' business: the register of interests and declarations.

Persona order: anon prA prB lead adm oth scr sys (see tests/test_permission_matrix.py). The records
live in Alpha: a board on which agency A's safeguarding lead has a seat, a meeting with one item, and
an entry in the lead's register of interests. Everyone keeps a register of their own; the lead's
entry is read by the lead and the business unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from safeboard.core.interests import Interest, InterestKind
from safeboard.governance.models import AgendaItem, Group, GroupKind, GroupMember, ItemPurpose
from tests.governance.matrix_rows_meetings import make_meeting

Kwargs = Callable[[Any], dict[str, Any]]


def _none(w: Any) -> dict[str, Any]:
    return {}


def _extra(name: str) -> Kwargs:
    return lambda w: {"pk": w.extras[name].pk}


#                 anon prA prB lead adm oth scr sys
OWN_REGISTER = "302 200 200 200 200 200 200 403"  # every role keeps their own register
LEADS_ENTRY = "302 404 404 200 200 404 404 404"  # the lead's own entry: the lead and the business unit
MEETING = "302 404 404 200 200 404 404 404"  # meeting readers seated or not; practitioners never see it
POST_ONLY = "302 405 405 405 405 405 405 405"

ROWS: dict[str, tuple[Kwargs, str]] = {
    "governance:interest-list": (_none, OWN_REGISTER),
    "governance:interest-new": (_none, OWN_REGISTER),
    "governance:interest-edit": (_extra("members_interest"), LEADS_ENTRY),
    "governance:interest-review": (_extra("members_interest"), POST_ONLY),
    "governance:item-declare": (_extra("members_item"), MEETING),
    "governance:meeting-declare": (_extra("members_meeting"), MEETING),
}


def build(world: Any) -> None:
    group = Group.objects.create(partnership=world.alpha, name="Members matrix board", kind=GroupKind.BOARD)
    GroupMember.objects.create(
        group=group, person=world.agency_lead, agency=world.agency_a, starts_on=dt.date(2020, 1, 1)
    )
    meeting = make_meeting(group, timezone.now() + dt.timedelta(days=10), venue="Room 1")
    item = AgendaItem.objects.create(meeting=meeting, number=1, title="Contract award", purpose=ItemPurpose.DECISION)
    interest = Interest.objects.create(
        partnership=world.alpha,
        person=world.agency_lead,
        kind=InterestKind.OFFICE,
        organisation="Alphaton Youth Trust",
        description="Trustee",
        since=dt.date(2021, 5, 1),
        last_reviewed_on=dt.date(2026, 1, 1),
    )
    world.extras.update(members_meeting=meeting, members_item=item, members_interest=interest)
