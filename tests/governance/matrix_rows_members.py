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

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from safeboard.core.interests import Interest, InterestDeclaration, InterestKind
from safeboard.governance.arrangements.services import set_statutory_partner, sign_off
from safeboard.governance.meetings.services import save_member
from safeboard.governance.models import (
    AgendaItem,
    BusinessPlan,
    DocumentKind,
    DocumentVersion,
    Group,
    GroupKind,
    GroupMember,
    ItemDecision,
    ItemPurpose,
    MeetingStatus,
    MinutesStatus,
    PartnershipDocument,
    SeatCriteria,
)
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
UNIT_ADDS = "302 403 403 403 200 200 403 403"  # the business unit, in its own partnership
UNIT_CHANGES = "302 404 404 403 200 404 404 404"  # Alpha's record: the lead reads it, the unit changes it

ROWS: dict[str, tuple[Kwargs, str]] = {
    "governance:interest-list": (_none, OWN_REGISTER),
    "governance:interest-new": (_none, OWN_REGISTER),
    "governance:interest-edit": (_extra("members_interest"), LEADS_ENTRY),
    "governance:interest-review": (_extra("members_interest"), POST_ONLY),
    "governance:item-declare": (_extra("members_item"), MEETING),
    "governance:meeting-declare": (_extra("members_meeting"), MEETING),
    # The partnership's documents: read by those who read board business, kept by the business unit.
    "governance:document-list": (_none, "302 403 403 200 200 200 403 403"),
    "governance:document-new": (_none, UNIT_ADDS),
    "governance:statutory-partners": (_none, UNIT_ADDS),
    "governance:document-detail": (_extra("members_document"), MEETING),
    "governance:version-new": (_extra("members_document"), UNIT_CHANGES),
    "governance:version-sign-off": (_extra("members_version"), POST_ONLY),
    "governance:version-publish": (_extra("members_version"), POST_ONLY),
    "governance:plan-sign-off": (_extra("members_plan"), POST_ONLY),
    # The lead's seat: its criteria are the business unit's to write; its induction is the lead's to read.
    "governance:member-criteria": (_extra("members_seat"), UNIT_CHANGES),
    "governance:member-induction": (_extra("members_seat"), MEETING),
    "governance:induction-step-done": (_extra("members_step"), POST_ONLY),
    # Members help themselves: their own board business, apologies for their own seat, draft minutes.
    "governance:my-board": (_none, "302 403 403 200 200 200 403 403"),
    # The lead has a seat; the business unit has none, so it records attendance instead (403).
    "governance:meeting-apologies": (_extra("members_meeting"), "302 404 404 200 403 404 404 404"),
    "governance:draft-minutes": (_extra("members_past_meeting"), MEETING),
    "governance:read-receipts": (_extra("members_meeting"), UNIT_CHANGES),
}


def build(world: Any) -> None:
    group = Group.objects.create(partnership=world.alpha, name="Members matrix board", kind=GroupKind.BOARD)
    seat = save_member(
        GroupMember(group=group, person=world.agency_lead, agency=world.agency_a, starts_on=dt.date(2020, 1, 1))
    )
    meeting = make_meeting(group, timezone.now() + dt.timedelta(days=10), venue="Room 1")
    past = make_meeting(
        group, timezone.now() - dt.timedelta(days=10), status=MeetingStatus.HELD, minutes_status=MinutesStatus.DRAFT
    )
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
    document = PartnershipDocument.objects.create(
        partnership=world.alpha,
        kind=DocumentKind.ARRANGEMENTS,
        title="Alpha safeguarding arrangements",
        owner=world.partnership_admin,
    )
    version = DocumentVersion.objects.create(
        document=document, number=1, text="Who we are.", review_by=dt.date(2030, 1, 1)
    )
    plan = BusinessPlan.objects.create(partnership=world.alpha, title="Members plan", first_year=2026, last_year=2027)
    # One of each record the history test walks: a declaration, who decided, a statutory partner and
    # their sign-off, a seat's criteria.
    InterestDeclaration.objects.create(
        partnership=world.alpha,
        person=world.agency_lead,
        interest=interest,
        subject_type=ContentType.objects.get_for_model(item),
        subject_id=item.pk,
        description="Trustee of a bidder",
        declared_at=timezone.now(),
        recorded_by=world.partnership_admin,
    )
    ItemDecision.objects.create(item=item, recorded_at=timezone.now(), decision="Awarded.")
    set_statutory_partner(partnership=world.alpha, position="police", person=world.agency_lead)
    sign_off(plan, world.agency_lead)
    SeatCriteria.objects.create(member=seat, seniority="Detective superintendent or above")
    world.extras.update(
        members_meeting=meeting,
        members_item=item,
        members_interest=interest,
        members_seat=seat,
        members_step=seat.induction_steps.first(),
        members_document=document,
        members_version=version,
        members_plan=plan,
        members_past_meeting=past,
    )
