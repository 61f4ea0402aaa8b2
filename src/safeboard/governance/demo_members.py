"""Invented demo data for members' business and the arrangements: registers of interests, interests
declared at board meetings (with who decided), the statutory partners, the published arrangements
signed off by all three and a new draft part-signed, the board's terms of reference, the business
plan's sign-off, every member's induction steps, seat criteria and read receipts.

Runs after ``governance/demo.py``'s own step (which appends this one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from safeboard.accounts.demo import DemoWorld
from safeboard.core.interests import Interest, InterestDeclaration, InterestKind
from safeboard.governance.arrangements.services import start_induction
from safeboard.governance.members.services import record_decisions
from safeboard.governance.models import (
    AgendaItem,
    BusinessPlan,
    DocumentKind,
    DocumentVersion,
    Group,
    GroupKind,
    GroupMember,
    ItemPurpose,
    Meeting,
    MinutesStatus,
    Paper,
    PaperRead,
    PartnershipDocument,
    SeatCriteria,
    SignOff,
    StatutoryPartner,
    StatutoryPosition,
)

ARRANGEMENTS_V1 = """Northmoor's safeguarding partners are the council, Riverside Constabulary and the integrated care board.
They share the lead for the partnership equally and meet as the board every two months.
Relevant agencies: schools and colleges, NHS trusts, probation, youth justice and the voluntary sector.
Independent scrutiny is by the independent chair and the scrutiny officer.
Case reviews follow the national panel's guidance."""

ARRANGEMENTS_V2 = """Northmoor's safeguarding partners are the council, Riverside Constabulary and the integrated care board.
They share the lead for the partnership equally and meet as the board every two months.
Relevant agencies: schools and colleges, early years settings, NHS trusts, probation, youth justice and the voluntary sector.
Independent scrutiny is by the independent chair, the scrutiny officer and a yearly peer review.
Case reviews follow the national panel's guidance.
Education is the fourth partner at the board's table, without a statutory vote."""

TERMS_V1 = """The board sets the partnership's priorities and signs off its yearly report.
It meets every two months; a meeting is quorate with one senior person from each statutory partner.
Members send a named deputy at most once a year."""


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _sign(
    subject: Any, partnership: Any, partners: dict[Any, StatutoryPartner], positions: list[Any], on: dt.date
) -> None:
    for position in positions:
        SignOff.objects.create(
            partnership=partnership,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            position=position,
            person=partners[position].person,
            signed_at=_at(on, 15),
        )


def build(world: DemoWorld) -> None:
    partnership = world.partnerships["nm"]
    people = world.people
    admin = people["admin"]
    today = timezone.localdate()
    board = Group.objects.get(partnership=partnership, kind=GroupKind.BOARD)

    # --- The statutory partners and what they sign -------------------------------------------------------------
    partners = {
        position: StatutoryPartner.objects.create(partnership=partnership, position=position, person=people[key])
        for position, key in (
            (StatutoryPosition.LOCAL_AUTHORITY, "board"),
            (StatutoryPosition.POLICE, "lead.police"),
            (StatutoryPosition.HEALTH, "cdop"),
        )
    }
    arrangements = PartnershipDocument.objects.create(
        partnership=partnership,
        kind=DocumentKind.ARRANGEMENTS,
        title="Northmoor multi-agency safeguarding arrangements",
        owner=admin,
    )
    published_on = today - dt.timedelta(days=340)
    first = DocumentVersion.objects.create(
        document=arrangements,
        number=1,
        text=ARRANGEMENTS_V1,
        review_by=today + dt.timedelta(days=25),  # the keeper's reminder is due
        published_on=published_on,
    )
    _sign(first, partnership, partners, list(StatutoryPosition.values), published_on - dt.timedelta(days=7))
    draft = DocumentVersion.objects.create(
        document=arrangements,
        number=2,
        text=ARRANGEMENTS_V2,
        changes="Early years settings added as relevant agencies; a yearly peer review; education at the table.",
        review_by=today + dt.timedelta(days=390),
    )
    # Waiting for health.
    _sign(
        draft,
        partnership,
        partners,
        [StatutoryPosition.LOCAL_AUTHORITY, StatutoryPosition.POLICE],
        today - dt.timedelta(days=3),
    )
    terms = PartnershipDocument.objects.create(
        partnership=partnership,
        kind=DocumentKind.TERMS_OF_REFERENCE,
        group=board,
        title="Board terms of reference",
        owner=admin,
    )
    DocumentVersion.objects.create(
        document=terms, number=1, text=TERMS_V1, review_by=today + dt.timedelta(days=200), published_on=published_on
    )
    plan = BusinessPlan.objects.filter(partnership=partnership).order_by("-first_year").first()
    if plan is not None:
        _sign(plan, partnership, partners, list(StatutoryPosition.values), today - dt.timedelta(days=60))

    # --- Registers of interests ---------------------------------------------------------------------------------
    entries = {
        "chair": (InterestKind.OFFICE, "Dales Children's Charity", "Trustee, unpaid", 2019, 60),
        "lead.police": (InterestKind.PERSONAL, "Northmoor Youth Services Ltd", "Spouse is a director", 2021, 200),
        "board": (
            InterestKind.EMPLOYMENT,
            "Northmoor Council",
            "Employed as director of children's services",
            2018,
            300,
        ),
        "lay": (InterestKind.MEMBERSHIP, "Northmoor Parents' Forum", "Member of the steering group", 2022, 380),
    }
    interests = {}
    for key, (kind, organisation, description, since, reviewed_days_ago) in entries.items():
        interests[key] = Interest.objects.create(
            partnership=partnership,
            person=people[key],
            kind=kind,
            organisation=organisation,
            description=description,
            since=dt.date(since, 4, 1),
            last_reviewed_on=today - dt.timedelta(days=reviewed_days_ago),  # the lay member's is overdue
        )

    # --- Declarations at held board meetings, and who decided ---------------------------------------------------
    held = list(Meeting.objects.filter(group=board, starts_at__lt=timezone.now()).order_by("starts_at"))
    item_type = ContentType.objects.get_for_model(AgendaItem)
    for meeting in held[:2]:
        item = AgendaItem.objects.filter(meeting=meeting).order_by("number").first()
        if item is None:
            continue
        if item.purpose != ItemPurpose.DECISION:
            item.purpose = ItemPurpose.DECISION
            item.save(update_fields=["purpose", "updated_at"])
        InterestDeclaration.objects.create(
            partnership=partnership,
            person=people["lead.police"],
            interest=interests["lead.police"],
            subject_type=item_type,
            subject_id=item.pk,
            description="Spouse is a director of a provider bidding for the contract.",
            stands_aside=True,
            declared_at=meeting.starts_at,
            recorded_by=admin,
        )
        if meeting.minutes_status in (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED):
            record_decisions(meeting, at=meeting.ends_at)
    if held:
        InterestDeclaration.objects.create(
            partnership=partnership,
            person=people["chair"],
            interest=interests["chair"],
            subject_type=ContentType.objects.get_for_model(Meeting),
            subject_id=held[-1].pk,
            description="Trustee of a charity that works with children in Northmoor.",
            stands_aside=False,
            declared_at=held[-1].starts_at,
            recorded_by=admin,
        )

    # --- Induction for every member, seat criteria, read receipts ------------------------------------------------
    for seat in GroupMember.objects.filter(group=board).exclude(member_type="observer").order_by("id"):
        steps = start_induction(seat)
        for step in steps:
            if step.due_on < today - dt.timedelta(days=30):
                step.done_on = step.due_on - dt.timedelta(days=2)
                step.save(update_fields=["done_on", "updated_at"])
    for seat in GroupMember.objects.filter(group=board, person__in=[people["lead.police"], people["board"]]):
        SeatCriteria.objects.create(
            member=seat,
            seniority="Chief officer, or a named deputy at the level below",
            criteria="Able to commit the agency's resources and speak for it at the board.",
        )
    for paper in Paper.objects.filter(item__meeting__group=board).order_by("id")[:6]:
        for key in ("chair", "board"):
            PaperRead.objects.create(
                paper=paper, person=people[key], first_opened_at=paper.uploaded_at + dt.timedelta(days=1)
            )
