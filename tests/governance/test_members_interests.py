"""The register of interests, declarations and who decided (issue 9, section 2; acceptance 3)."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safeboard.core.interests import Interest, InterestDeclaration, InterestKind
from safeboard.core.permissions import Role
from safeboard.core.services import ServiceError
from safeboard.governance.members import services
from safeboard.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Group,
    GroupKind,
    GroupMember,
    ItemDecision,
    ItemPurpose,
    MeetingStatus,
    MemberType,
    MinutesStatus,
)
from tests.factories import member
from tests.governance.matrix_rows_meetings import make_meeting

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def board(world):
    """A board with three members (one of them the lead of agency A), a named deputy, and a held meeting
    whose item 1 is for decision and item 2 for information."""
    group = Group.objects.create(partnership=world.alpha, name="Alpha Board", kind=GroupKind.BOARD)
    start = dt.date(2020, 1, 1)
    chair = member(world.alpha, Role.BOARD_MEMBER, world.agency_b, full_name="Cara Chair")
    health = member(world.alpha, Role.BOARD_MEMBER, world.agency_b, full_name="Hana Health")
    deputy = member(world.alpha, Role.BOARD_MEMBER, world.agency_b, full_name="Dev Deputy")
    seats = {
        person: GroupMember.objects.create(group=group, person=person, agency=person.agency, starts_on=start)
        for person in (world.agency_lead, chair, health)
    }
    GroupMember.objects.create(
        group=group,
        person=deputy,
        agency=deputy.agency,
        member_type=MemberType.DEPUTY,
        deputy_for=seats[health],
        starts_on=start,
    )
    meeting = make_meeting(
        group,
        timezone.now() - dt.timedelta(days=3),
        status=MeetingStatus.HELD,
        minutes_status=MinutesStatus.DRAFT,
        difference_for_children="Young people get a youth service sooner.",
    )
    decision = AgendaItem.objects.create(
        meeting=meeting, number=1, title="Award the youth contract", purpose=ItemPurpose.DECISION
    )
    AgendaItem.objects.create(meeting=meeting, number=2, title="Police update", purpose=ItemPurpose.INFORMATION)
    Attendance.objects.create(meeting=meeting, member=seats[world.agency_lead], status=AttendanceStatus.PRESENT)
    Attendance.objects.create(meeting=meeting, member=seats[chair], status=AttendanceStatus.PRESENT)
    Attendance.objects.create(meeting=meeting, member=seats[health], status=AttendanceStatus.DEPUTY, deputy=deputy)
    later = make_meeting(group, timezone.now() + dt.timedelta(days=30))
    return {
        "group": group,
        "meeting": meeting,
        "later": later,
        "item": decision,
        "chair": chair,
        "health": health,
        "deputy": deputy,
    }


def test_a_declared_interest_stands_the_person_aside_and_the_decision_shows_who_decided(world, signed_in, board):
    """Acceptance 3: declare → standing aside → the decision names who decided, without them."""
    item = board["item"]
    client = signed_in(world.partnership_admin)
    response = client.post(
        reverse("governance:item-declare", args=[item.pk]),
        {"person": world.agency_lead.pk, "description": "Trustee of a bidder", "stands_aside": "on"},
    )
    assert response.status_code == 302
    declaration = InterestDeclaration.objects.about(item).get()
    assert declaration.person == world.agency_lead and declaration.stands_aside
    assert declaration.recorded_by == world.partnership_admin

    response = client.post(
        reverse("governance:minutes-approve", args=[board["meeting"].pk]), {"approved_at": board["later"].pk}
    )
    assert response.status_code == 302
    record = ItemDecision.objects.get(item=item)
    # The health member sent a deputy: the deputy decided in their place; the lead stood aside.
    assert set(record.decided_by.all()) == {board["chair"], board["deputy"]}
    assert set(record.stood_aside.all()) == {world.agency_lead}
    # An item for information has no decision to record.
    assert ItemDecision.objects.count() == 1

    page = client.get(board["meeting"].get_absolute_url()).content.decode()
    decided = page.split(f'id="item-{item.pk}-decided"', 1)[1].split("</p>", 1)[0]
    assert "Decided by" in decided
    assert "Cara Chair" in decided and "Dev Deputy" in decided
    before_aside = decided.split("Stood aside", 1)[0]
    assert "Lee Lead" not in before_aside
    assert "Lee Lead" in decided.split("Stood aside", 1)[1]
    assert "Hana Health" not in decided


def test_declaring_without_standing_aside_keeps_the_person_among_those_who_decided(world, board):
    services.declare_interest(
        subject=board["item"],
        person=board["chair"],
        description="Knows a bidder's director",
        recorded_by=world.partnership_admin,
        stands_aside=False,
    )
    decided, aside = services.deciders(board["item"])
    assert board["chair"].pk in decided and aside == set()


def test_only_someone_seated_on_the_group_can_declare_and_only_once(world, board):
    with pytest.raises(ServiceError, match="seat on this group"):
        services.declare_interest(
            subject=board["item"], person=world.practitioner_a, description="x", recorded_by=world.partnership_admin
        )
    services.declare_interest(
        subject=board["item"], person=board["chair"], description="x", recorded_by=world.partnership_admin
    )
    with pytest.raises(ServiceError, match="already declared"):
        services.declare_interest(
            subject=board["item"], person=board["chair"], description="y", recorded_by=world.partnership_admin
        )


def test_an_interest_from_someone_elses_register_is_refused(world, board):
    theirs = Interest.objects.create(
        partnership=world.alpha,
        person=board["chair"],
        kind=InterestKind.OFFICE,
        description="Trustee",
        since=dt.date(2020, 1, 1),
        last_reviewed_on=dt.date(2026, 1, 1),
    )
    with pytest.raises(ServiceError, match="own register"):
        services.declare_interest(
            subject=board["item"],
            person=board["health"],
            description="x",
            interest=theirs,
            recorded_by=world.partnership_admin,
        )


def test_a_member_declares_their_own_interest_but_nobody_elses(world, signed_in, board):
    client = signed_in(board["chair"])
    url = reverse("governance:item-declare", args=[board["item"].pk])
    response = client.post(url, {"person": board["health"].pk, "description": "Not mine to declare"})
    assert response.status_code == 200
    assert not InterestDeclaration.objects.exists()
    response = client.post(url, {"person": board["chair"].pk, "description": "Mine", "stands_aside": "on"})
    assert response.status_code == 302
    assert InterestDeclaration.objects.get().person == board["chair"]


def test_a_declaration_in_the_whole_meeting_is_shown_under_the_standing_item(world, signed_in, board):
    client = signed_in(board["chair"])
    response = client.post(
        reverse("governance:meeting-declare", args=[board["meeting"].pk]),
        {"person": board["chair"].pk, "description": "Employed by a provider"},
    )
    assert response.status_code == 302
    page = client.get(board["meeting"].get_absolute_url()).content.decode()
    standing = page.split('id="declarations"', 1)[1].split('id="agenda"', 1)[0]
    assert "Cara Chair: Employed by a provider" in standing


def test_people_keep_their_own_register_and_the_business_unit_keeps_everyones(world, signed_in, board):
    client = signed_in(board["chair"])
    response = client.post(
        reverse("governance:interest-new"),
        {
            "kind": InterestKind.OFFICE,
            "organisation": "Alphaton Youth Trust",
            "description": "Trustee",
            "since": "2021-05-01",
            "person": world.agency_lead.pk,  # ignored: a member writes in their own register
        },
    )
    assert response.status_code == 302
    entry = Interest.objects.get()
    assert entry.person == board["chair"] and entry.partnership == world.alpha
    assert entry.last_reviewed_on == timezone.localdate()
    # Board members read one another's register; a practitioner sees only their own.
    assert (
        "Alphaton Youth Trust" in signed_in(board["health"]).get(reverse("governance:interest-list")).content.decode()
    )
    page = signed_in(world.practitioner_a).get(reverse("governance:interest-list"))
    assert "Alphaton Youth Trust" not in page.content.decode()
    # Only the owner and the business unit change it; the Beta unit does not find it.
    assert signed_in(board["health"]).get(reverse("governance:interest-edit", args=[entry.pk])).status_code == 403
    assert signed_in(world.other_admin).get(reverse("governance:interest-edit", args=[entry.pk])).status_code == 404
    admin = signed_in(world.partnership_admin)
    response = admin.post(
        reverse("governance:interest-new"),
        {
            "kind": InterestKind.FINANCIAL,
            "description": "Shares in a care provider",
            "since": "2019-01-01",
            "person": world.agency_lead.pk,
        },
    )
    assert response.status_code == 302
    assert Interest.objects.get(kind=InterestKind.FINANCIAL).person == world.agency_lead


def test_the_beta_unit_cannot_put_someone_in_alpha_in_its_register(world):
    with pytest.raises(ServiceError, match="no role in this partnership"):
        services.add_interest(
            partnership=world.beta,
            person=world.agency_lead,
            kind=InterestKind.OTHER,
            description="x",
            since=dt.date(2020, 1, 1),
        )


def test_a_future_since_date_is_refused(world, signed_in):
    response = signed_in(world.practitioner_a).post(
        reverse("governance:interest-new"),
        {
            "kind": InterestKind.OTHER,
            "description": "x",
            "since": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "in the future" in response.content.decode()
    assert not Interest.objects.exists()


# --- Reminders of the yearly review, on a frozen clock ------------------------------------------------------


def run_on(day: dt.date) -> list[tuple[str, list[str]]]:
    mail.outbox.clear()
    with time_machine.travel(dt.datetime.combine(day, dt.time(7, 0), tzinfo=LONDON), tick=False):
        call_command("send_due_reminders", stdout=io.StringIO())
    return [(message.subject, message.to) for message in mail.outbox]


def test_the_yearly_review_is_reminded_a_fortnight_before_then_weekly_once_overdue(world, signed_in):
    entry = Interest.objects.create(
        partnership=world.alpha,
        person=world.practitioner_a,
        kind=InterestKind.EMPLOYMENT,
        description="Paid adviser to a provider",
        since=dt.date(2024, 1, 1),
        last_reviewed_on=dt.date(2026, 3, 1),
    )
    due = entry.review_due_on
    assert due == dt.date(2027, 3, 1)
    expected = [("Review your register of interests (Alpha)", [world.practitioner_a.email])]
    assert run_on(due - dt.timedelta(days=15)) == []
    assert run_on(due - dt.timedelta(days=14)) == expected
    assert run_on(due - dt.timedelta(days=14)) == []  # twice on one day sends nothing twice
    assert run_on(due) == []
    assert run_on(due + dt.timedelta(days=1)) == expected
    assert "was due on 01 March 2027" in mail.outbox[0].body
    assert run_on(due + dt.timedelta(days=2)) == []
    assert run_on(due + dt.timedelta(days=8)) == expected
    # Reviewed: no more reminders until next year's.
    with time_machine.travel(dt.datetime(2027, 3, 10, 9, 0, tzinfo=LONDON), tick=False):
        response = signed_in(world.practitioner_a).post(reverse("governance:interest-review", args=[entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.last_reviewed_on == dt.date(2027, 3, 10)
    assert run_on(due + dt.timedelta(days=15)) == []


def test_an_ended_interest_is_not_reminded(world):
    Interest.objects.create(
        partnership=world.alpha,
        person=world.practitioner_a,
        kind=InterestKind.EMPLOYMENT,
        description="Former job",
        since=dt.date(2020, 1, 1),
        ended_on=dt.date(2026, 6, 1),
        last_reviewed_on=dt.date(2026, 3, 1),
    )
    assert run_on(dt.date(2027, 2, 15)) == []


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_meeting_page_and_the_register_run_a_fixed_number_of_queries(world, signed_in, board):
    client = signed_in(world.partnership_admin)
    meeting_url = board["meeting"].get_absolute_url()
    register_url = reverse("governance:interest-list")

    def grow(numbers: range) -> None:
        for number in numbers:
            _add(number)
        services.record_decisions(board["meeting"])

    def _add(number: int) -> None:
        item = AgendaItem.objects.create(
            meeting=board["meeting"], number=number, title=f"Decision {number}", purpose=ItemPurpose.DECISION
        )
        for person in (board["chair"], board["health"]):
            services.declare_interest(
                subject=item, person=person, description="An interest", recorded_by=world.partnership_admin
            )
        for person in (board["chair"], board["health"], board["deputy"]):
            Interest.objects.create(
                partnership=world.alpha,
                person=person,
                kind=InterestKind.OTHER,
                description=f"Interest {number}",
                since=dt.date(2020, 1, 1),
                last_reviewed_on=dt.date(2026, 1, 1),
            )

    grow(range(3, 4))  # one of each first, so both pages show every kind of row
    _queries(client, meeting_url)
    before = (_queries(client, meeting_url), _queries(client, register_url))
    grow(range(4, 10))
    after = (_queries(client, meeting_url), _queries(client, register_url))
    assert after[0] == before[0], f"meeting page: {before[0]} queries with few rows, {after[0]} with more (N+1?)"
    # The register writes the access log, whose chain adds a signed checkpoint every so many entries:
    # one query more or less from one request to the next, never one per row.
    assert after[1] <= before[1] + 1, f"register: {before[1]} queries with few rows, {after[1]} with more (N+1?)"
