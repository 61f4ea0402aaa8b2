"""Permission matrix rows for who may read a group's business: members-only groups, confidential
items and papers, scrutiny and the board's papers, and a group that serves two partnerships.

Persona order: anon prA prB lead adm oth scr sys (see tests/test_permission_matrix.py). A key
``name@variant`` is a further row for the URL ``name`` with other records. The records (``build``):

- an open board in Alpha whose meeting has published minutes, an open item with an open paper and
  a commercially confidential paper, and an item that identifies a child (with its paper); Alpha
  lets scrutiny read the board's papers; agency A's lead has no seat on it;
- a case review group (members only by its kind) with published minutes, a seat, attendance, a
  follow-up and a lay member's induction; agency A's lead has no seat on it;
- a child death panel (members only) on which agency A's lead holds a member's seat, with a
  confidential item;
- a joint group hosted by Beta that Alpha shares in (open), with a meeting.

``build`` also returns the secret words the leak test (``test_board_access_leaks.py``) looks for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from safeboard.actions.models import Action
from safeboard.core.models import Partnership
from safeboard.core.permissions import Role
from safeboard.governance.meetings import services
from safeboard.governance.models import (
    AbsenceFollowUp,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Challenge,
    Group,
    GroupKind,
    GroupMember,
    LayMemberInduction,
    MeetingStatus,
    MemberType,
    MinutesStatus,
)
from tests.factories import member
from tests.governance.matrix_rows_meetings import make_meeting, make_paper, pdf_bytes
from tests.matrix import API_NO_POST, NO_POST, Row, api_id, pk, text

Kwargs = Callable[[Any], dict[str, Any]]


#                 anon prA prB lead adm oth scr sys
UNIT = "302 404 404 404 200 404 404 404"  # only Alpha's business unit (nobody else is entitled)
API_UNIT = "401 404 404 404 200 404 404 404"
SEATED = "302 404 404 200 200 404 404 404"  # agency A's lead holds a member's seat, and the unit
PUBLISHED_BOARD = "302 404 404 200 200 404 200 404"  # open board, published minutes: scrutiny reads them
SHARED_READ = "302 404 404 200 200 200 404 404"  # Beta hosts, Alpha shares in: both read it
SHARED_CHANGE = "302 404 404 403 403 200 404 404"  # ... but only Beta (the host) changes it

# What pages about the records show.
CRG = text("access_crg", "name")
SHARED = text("access_shared", "name")

ROWS: dict[str, Row] = {
    # A members-only group: nobody outside it finds it, its meetings, papers, seats or attendance.
    "governance:group-detail@members-only": Row(pk("access_crg"), UNIT, NO_POST, shows=CRG),
    "governance:group-edit@members-only": Row(pk("access_crg"), UNIT, UNIT, shows=CRG),
    "governance:group-document@members-only": Row(pk("access_crg"), UNIT, NO_POST, shows=lambda w: "terms"),
    "governance:meeting-new@members-only": Row(pk("access_crg"), UNIT, UNIT, shows=CRG),
    "governance:member-edit@members-only": Row(pk("access_crg_seat"), UNIT, UNIT, shows=lambda w: "Rey Reviewer"),
    "governance:induction-edit@members-only": Row(
        pk("access_crg_induction"), UNIT, "302 404 404 404 409 404 404 404", shows=lambda w: "Lou Lay"
    ),
    "governance:meeting-detail@members-only": Row(pk("access_crg_meeting"), UNIT, NO_POST, shows=CRG),
    "governance:meeting-ics@members-only": Row(
        pk("access_crg_meeting"), UNIT, "302 404 404 404 405 404 404 404", shows=CRG
    ),
    "governance:meeting-pack@members-only": Row(
        pk("access_crg_meeting"), UNIT, "302 404 404 404 405 404 404 404", shows=lambda w: "Basalt"
    ),
    "governance:item-edit@members-only": Row(pk("access_crg_item"), UNIT, UNIT, shows=text("access_crg_item", "title")),
    "governance:paper-download@members-only": Row(pk("access_crg_paper"), UNIT, NO_POST, shows=lambda w: "report"),
    "api:board-group-detail@members-only": Row(pk("access_crg"), API_UNIT, API_NO_POST, shows=CRG),
    "api:board-meeting-detail@members-only": Row(
        pk("access_crg_meeting"), API_UNIT, API_NO_POST, shows=api_id("access_crg_meeting")
    ),
    "api:board-attendance-detail@members-only": Row(
        pk("access_crg_attendance"), API_UNIT, API_NO_POST, shows=api_id("access_crg_attendance")
    ),
    # A members-only panel agency A's lead sits on: the lead reads it, confidential part included.
    "governance:meeting-detail@seated": Row(
        pk("access_cdop_meeting"), SEATED, NO_POST, shows=text("access_cdop", "name")
    ),
    "governance:meeting-pack-confidential": Row(
        pk("access_cdop_meeting"), SEATED, "302 404 404 405 405 404 404 404", shows=text("access_cdop_item", "title")
    ),
    "governance:item-edit@seated": Row(
        pk("access_cdop_item"),
        "302 404 404 403 200 404 404 404",
        "302 404 404 403 200 404 404 404",
        shows=text("access_cdop_item", "title"),
    ),
    # The open board: scrutiny reads its published minutes and (Alpha allows it) its open papers,
    # never a confidential item or paper; the lead has no seat, so no confidential business either.
    "governance:meeting-detail@published-board": Row(
        pk("access_board_meeting"), PUBLISHED_BOARD, NO_POST, shows=text("access_board", "name")
    ),
    "governance:paper-download@board-open-paper": Row(
        pk("access_board_open_paper"), PUBLISHED_BOARD, NO_POST, shows=lambda w: "report"
    ),
    "governance:paper-download@confidential-item": Row(
        pk("access_board_conf_paper"), UNIT, NO_POST, shows=lambda w: "report"
    ),
    "governance:paper-download@confidential-paper": Row(
        pk("access_board_conf_paper_open_item"), UNIT, NO_POST, shows=lambda w: "report"
    ),
    "governance:meeting-pack-confidential@open-board": Row(
        pk("access_board_meeting"),
        UNIT,
        "302 404 404 405 405 404 404 404",
        shows=text("access_board_conf_item", "title"),
    ),
    "governance:item-edit@confidential": Row(
        pk("access_board_conf_item"), UNIT, UNIT, shows=text("access_board_conf_item", "title")
    ),
    "governance:item-action-new@confidential": Row(
        pk("access_board_conf_item"), UNIT, UNIT, shows=text("access_board_conf_item", "title")
    ),
    "governance:paper-new@confidential": Row(
        pk("access_board_conf_item"), UNIT, UNIT, shows=text("access_board_conf_item", "title")
    ),
    # A group Beta hosts and Alpha shares in: read in both, changed only by Beta.
    "governance:group-detail@shared": Row(
        pk("access_shared"), "302 200 200 200 200 200 200 404", NO_POST, shows=SHARED
    ),
    "governance:group-edit@shared": Row(
        pk("access_shared"), "302 403 403 403 403 200 403 404", "302 403 403 403 403 200 403 404", shows=SHARED
    ),
    "governance:meeting-new@shared": Row(
        pk("access_shared"), "302 403 403 403 403 200 403 404", "302 403 403 403 403 200 403 404", shows=SHARED
    ),
    "governance:meeting-detail@shared": Row(pk("access_shared_meeting"), SHARED_READ, NO_POST, shows=SHARED),
    "governance:meeting-edit@shared": Row(pk("access_shared_meeting"), SHARED_CHANGE, SHARED_CHANGE, shows=SHARED),
    "governance:meeting-attendance@shared": Row(
        pk("access_shared_meeting"), SHARED_CHANGE, "302 404 404 403 403 302 404 404", shows=SHARED
    ),
    "governance:item-new@shared": Row(pk("access_shared_meeting"), SHARED_CHANGE, SHARED_CHANGE, shows=SHARED),
    "api:board-meeting-detail@shared": Row(
        pk("access_shared_meeting"),
        "401 404 404 200 200 200 404 404",
        API_NO_POST,
        shows=api_id("access_shared_meeting"),
    ),
    # A challenge scrutiny raised to the board itself: scrutiny follows it, the unit answers it.
    "governance:challenge-detail@board-by-scrutiny": Row(
        pk("access_board_challenge"),
        "302 404 404 404 200 404 200 404",
        NO_POST,
        shows=text("access_board_challenge", "issue"),
    ),
    "governance:challenge-respond@board-by-scrutiny": Row(
        pk("access_board_challenge"),
        "302 404 404 404 200 404 403 404",
        "302 404 404 404 200 404 403 404",
        shows=text("access_board_challenge", "issue"),
    ),
}

# Words that appear only in confidential or members-only business (the leak test looks for them).
SECRETS = {
    "crg": ["Basalt", "Rapid review of child B"],
    "cdop": ["Obsidian", "Death of infant O"],
    "board_confidential": ["Zircon", "Quartz"],
}


def build(world: Any) -> None:
    now = timezone.now()
    past = now - dt.timedelta(days=40)
    Partnership.objects.filter(pk=world.alpha.pk).update(scrutiny_reads_board_papers=True)
    world.alpha.refresh_from_db()
    admin, lead = world.partnership_admin, world.agency_lead

    # The open board: published minutes; an open item, a confidential item and a confidential paper.
    board = Group.objects.create(partnership=world.alpha, name="Access matrix board", kind=GroupKind.BOARD)
    board_meeting = make_meeting(
        board, past, status=MeetingStatus.HELD, minutes_status=MinutesStatus.PUBLISHED, minutes_published_at=now
    )
    open_item = AgendaItem.objects.create(
        meeting=board_meeting, number=1, title="Annual report", discussion="The report was agreed."
    )
    open_paper = make_paper(open_item, admin, title="Annual report draft")
    conf_paper_open_item = make_paper(
        open_item, admin, title="Quartz contract prices", confidential_reason="commercial"
    )
    conf_item = AgendaItem.objects.create(
        meeting=board_meeting,
        number=2,
        title="Zircon family case",
        discussion="Zircon discussion of the family.",
        decisions="Zircon decision.",
        agency=world.agency_a,
        confidential_reason="child_or_family",
    )
    conf_paper = make_paper(conf_item, admin, title="Zircon chronology")

    # A case review group: members only by its kind; the lead has no seat.
    crg = Group.objects.create(
        partnership=world.alpha,
        name="Basalt case review group",
        kind=GroupKind.CASE_REVIEW,
        terms_document=ContentFile(pdf_bytes(), name="terms.pdf"),
    )
    reviewer = GroupMember.objects.create(
        group=crg,
        person=member(world.alpha, Role.BOARD_MEMBER, world.agency_a, full_name="Rey Reviewer"),
        agency=world.agency_a,
        starts_on=dt.date(2020, 1, 1),
    )
    lay = GroupMember.objects.create(
        group=crg,
        person=member(world.alpha, Role.LAY_MEMBER, None, full_name="Lou Lay"),
        member_type=MemberType.LAY_MEMBER,
        starts_on=dt.date(2020, 1, 1),
    )
    induction = LayMemberInduction.objects.create(member=lay)
    crg_meeting = make_meeting(
        crg, past, status=MeetingStatus.HELD, minutes_status=MinutesStatus.PUBLISHED, minutes_published_at=now
    )
    crg_item = AgendaItem.objects.create(
        meeting=crg_meeting,
        number=1,
        title="Rapid review of child B",
        discussion="Basalt discussion.",
        agency=world.agency_a,
    )
    crg_paper = make_paper(crg_item, admin, title="Basalt rapid review report", agency=world.agency_a)
    crg_attendance = Attendance.objects.create(meeting=crg_meeting, member=reviewer, status=AttendanceStatus.ABSENT)
    AbsenceFollowUp.objects.create(attendance=crg_attendance)

    # A child death panel the lead sits on, with a confidential item.
    cdop = Group.objects.create(partnership=world.alpha, name="Obsidian child death panel", kind=GroupKind.CHILD_DEATH)
    GroupMember.objects.create(group=cdop, person=lead, agency=world.agency_a, starts_on=dt.date(2020, 1, 1))
    cdop_meeting = make_meeting(cdop, past, status=MeetingStatus.HELD)
    cdop_item = AgendaItem.objects.create(
        meeting=cdop_meeting, number=1, title="Death of infant O", confidential_reason="child_or_family"
    )
    make_paper(cdop_item, admin, title="Obsidian notification form")

    # A joint group hosted by Beta that Alpha shares in.
    shared = Group.objects.create(partnership=world.beta, name="Garnet joint procedures group", kind=GroupKind.SUBGROUP)
    shared.member_partnerships.add(world.alpha)
    shared_meeting = make_meeting(shared, now + dt.timedelta(days=20))
    AgendaItem.objects.create(meeting=shared_meeting, number=1, title="Garnet procedures update")

    # Actions agreed on secret items: the action log must not carry the items' titles.
    for item in (conf_item, crg_item):
        services.add_item_action(
            item=item, title="Follow up the review", owner=admin, agency=world.agency_a, due_date=now.date(), by=admin
        )
    assert Action.objects.filter(source_label__icontains="Zircon").count() == 0

    board_challenge = Challenge.objects.create(
        partnership=world.alpha,
        raised_on=now.date(),
        raised_by=world.scrutiny,
        raised_by_scrutiny=True,
        agency=None,
        issue="The board has not heard from children this year.",
    )

    world.extras.update(
        access_board_challenge=board_challenge,
        access_board=board,
        access_board_meeting=board_meeting,
        access_board_open_paper=open_paper,
        access_board_conf_paper=conf_paper,
        access_board_conf_paper_open_item=conf_paper_open_item,
        access_board_conf_item=conf_item,
        access_crg=crg,
        access_crg_seat=reviewer,
        access_crg_induction=induction,
        access_crg_meeting=crg_meeting,
        access_crg_item=crg_item,
        access_crg_paper=crg_paper,
        access_crg_attendance=crg_attendance,
        access_cdop=cdop,
        access_cdop_meeting=cdop_meeting,
        access_cdop_item=cdop_item,
        access_shared=shared,
        access_shared_meeting=shared_meeting,
    )
