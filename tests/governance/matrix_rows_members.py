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
from tests.matrix import NO_POST, POST_ONLY, Row, none, pk, text

Kwargs = Callable[[Any], dict[str, Any]]


#                 anon prA prB lead adm oth scr sys
OWN_REGISTER = "302 200 200 200 200 200 200 403"  # every role keeps their own register
LEADS_ENTRY = "302 404 404 200 200 404 404 404"  # the lead's own entry: the lead and the business unit
MEETING = "302 404 404 200 200 404 404 404"  # meeting readers seated or not; practitioners never see it
UNIT_ADDS = "302 403 403 403 200 200 403 403"  # the business unit, in its own partnership
UNIT_CHANGES = "302 404 404 403 200 404 404 404"  # Alpha's record: the lead reads it, the unit changes it

ROWS: dict[str, Row] = {
    "governance:interest-list": Row(none, OWN_REGISTER, NO_POST),
    "governance:interest-new": Row(none, OWN_REGISTER, OWN_REGISTER),
    "governance:interest-edit": Row(
        pk("members_interest"), LEADS_ENTRY, LEADS_ENTRY, shows=text("members_interest", "organisation")
    ),
    "governance:interest-review": Row(pk("members_interest"), POST_ONLY, "302 404 404 302 302 404 404 404"),
    "governance:item-declare": Row(pk("members_item"), MEETING, MEETING, shows=text("members_item", "title")),
    "governance:meeting-declare": Row(pk("members_meeting"), MEETING, MEETING, shows=lambda w: "Members matrix board"),
    # The partnership's documents: read by those who read board business, kept by the business unit.
    "governance:document-list": Row(none, "302 403 403 200 200 200 403 403", NO_POST),
    "governance:document-new": Row(none, UNIT_ADDS, UNIT_ADDS),
    "governance:statutory-partners": Row(none, UNIT_ADDS, "302 403 403 403 302 302 403 403"),
    "governance:document-detail": Row(
        pk("members_document"), MEETING, NO_POST, shows=text("members_document", "title")
    ),
    "governance:version-new": Row(
        pk("members_document"), UNIT_CHANGES, UNIT_CHANGES, shows=text("members_document", "title")
    ),
    "governance:version-sign-off": Row(pk("members_version"), POST_ONLY, "302 404 404 302 302 404 404 404"),
    "governance:version-publish": Row(pk("members_version"), POST_ONLY, "302 404 404 403 302 404 404 404"),
    # Only a statutory partner signs; anyone else in Alpha is told so and sent back (the service refuses).
    "governance:plan-sign-off": Row(pk("members_plan"), POST_ONLY, "302 302 302 302 302 404 302 404"),
    # The lead's seat: its criteria are the business unit's to write; its induction is the lead's to read.
    "governance:member-criteria": Row(
        pk("members_seat"), UNIT_CHANGES, UNIT_CHANGES, shows=lambda w: w.agency_lead.full_name
    ),
    "governance:member-induction": Row(
        pk("members_seat"), MEETING, "302 404 404 405 405 404 404 404", shows=lambda w: w.agency_lead.full_name
    ),
    "governance:induction-step-done": Row(pk("members_step"), POST_ONLY, "302 404 404 403 302 404 404 404"),
    # Members help themselves: their own board business, apologies for their own seat, draft minutes.
    "governance:my-board": Row(none, "302 403 403 200 200 200 403 403", NO_POST),
    # The lead has a seat; the business unit has none, so it records attendance instead (403).
    "governance:meeting-apologies": Row(
        pk("members_meeting"),
        "302 404 404 200 403 404 404 404",
        "302 404 404 302 403 404 404 404",
        shows=lambda w: "Members matrix board",
    ),
    "governance:draft-minutes": Row(
        pk("members_past_meeting"), MEETING, "302 404 404 405 405 404 404 404", shows=lambda w: "Members matrix board"
    ),
    "governance:read-receipts": Row(
        pk("members_meeting"), UNIT_CHANGES, "302 404 404 403 405 404 404 404", shows=lambda w: "Members matrix board"
    ),
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
