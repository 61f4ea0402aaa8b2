"""The partnership's arrangements and terms of reference: versions, changes, review dates with
reminders, sign-off by the three statutory partners (acceptance 5, on a frozen clock); seat criteria
and every member's induction with overdue reminders (issue 9, section 3)."""

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

from safeboard.core.permissions import Role
from safeboard.core.services import ServiceError
from safeboard.governance.arrangements import services
from safeboard.governance.meetings.services import save_member
from safeboard.governance.models import (
    BusinessPlan,
    DocumentKind,
    DocumentVersion,
    Group,
    GroupKind,
    GroupMember,
    InductionStep,
    MemberType,
    PartnershipDocument,
    SeatCriteria,
    SignOff,
    StatutoryPartner,
)
from tests.factories import member

LONDON = ZoneInfo("Europe/London")


def at(day: dt.date, hour: int = 9) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour, 0), tzinfo=LONDON), tick=False)


def reminders_on(day: dt.date) -> list[tuple[str, list[str]]]:
    mail.outbox.clear()
    with at(day, 7):
        call_command("send_due_reminders", stdout=io.StringIO())
    return [(message.subject, message.to) for message in mail.outbox]


@pytest.fixture
def partners(world):
    return {
        "local_authority": member(world.alpha, Role.BOARD_MEMBER, world.agency_b, full_name="Laura Council"),
        "police": member(world.alpha, Role.BOARD_MEMBER, world.agency_a, full_name="Paul Police"),
        "health": member(world.alpha, Role.BOARD_MEMBER, world.agency_b, full_name="Helen Health"),
    }


def test_the_arrangements_are_signed_off_by_the_three_partners_then_published_and_reviewed(world, signed_in, partners):
    """Acceptance 5: review date with reminders before it, and sign-off by the three statutory partners."""
    with at(dt.date(2027, 1, 10)):
        # One test client: ``signed_in`` signs it in as each person in turn, on the frozen day.
        def admin():  # type: ignore[no-untyped-def]
            return signed_in(world.partnership_admin)

        response = admin().post(reverse("governance:statutory-partners"), {k: v.pk for k, v in partners.items()})
        assert response.status_code == 302
        assert StatutoryPartner.objects.filter(partnership=world.alpha).count() == 3
        response = admin().post(
            reverse("governance:document-new"),
            {"kind": DocumentKind.ARRANGEMENTS, "title": "Alpha arrangements", "owner": world.partnership_admin.pk},
        )
        assert response.status_code == 302
        document = PartnershipDocument.objects.get()
        response = admin().post(
            reverse("governance:version-new", args=[document.pk]),
            {"text": "Who we are.\nHow we work together.", "review_by": "2028-01-31"},
        )
        assert response.status_code == 302
        version = DocumentVersion.objects.get()
        publish = reverse("governance:version-publish", args=[version.pk])
        sign = reverse("governance:version-sign-off", args=[version.pk])

        # Not yet signed off: publishing is refused and says who is missing.
        admin().post(publish)
        version.refresh_from_db()
        assert version.is_draft
        page = admin().get(document.get_absolute_url()).content.decode()
        assert "waiting for: health, local authority, police" in page

        # Someone who is not a statutory partner cannot sign; the business unit cannot sign for them.
        admin().post(sign)
        assert not SignOff.objects.exists()
        for name in ("local_authority", "police"):
            assert signed_in(partners[name]).post(sign).status_code == 302
        signed_in(partners["police"]).post(sign)  # twice for one partner counts once
        assert SignOff.objects.count() == 2
        admin().post(publish)
        version.refresh_from_db()
        assert version.is_draft

        signed_in(partners["health"]).post(sign)
        assert set(SignOff.objects.values_list("position", flat=True)) == {"local_authority", "police", "health"}
        assert signed_in(world.partnership_admin).post(publish).status_code == 302
        version.refresh_from_db()
        assert version.published_on == dt.date(2027, 1, 10)
        page = signed_in(world.agency_lead).get(document.get_absolute_url()).content.decode()
        assert "Signed</strong> by Helen Health on 10 Jan 2027" in page

    # The owner is reminded a month before the review date, then on the first day overdue, then weekly.
    owner = [world.partnership_admin.email]
    subject = "Review due: Alpha arrangements (Alpha)"
    assert reminders_on(dt.date(2027, 12, 31)) == []
    assert reminders_on(dt.date(2028, 1, 1)) == [(subject, owner)]
    assert reminders_on(dt.date(2028, 1, 1)) == []
    assert reminders_on(dt.date(2028, 1, 31)) == []
    assert reminders_on(dt.date(2028, 2, 1)) == [(subject, owner)]
    assert "was due on 31 January 2028" in mail.outbox[0].body
    assert reminders_on(dt.date(2028, 2, 8)) == [(subject, owner)]

    # A new version, signed off and published, ends the old version's reminders.
    with at(dt.date(2028, 2, 10)):
        second = services.add_version(
            document=document,
            text="Who we are.\nHow we work with schools.",
            changes="Schools",
            review_by=dt.date(2029, 2, 28),
        )
        for person in partners.values():
            services.sign_off(second, person)
        services.publish_version(second)
    assert reminders_on(dt.date(2028, 2, 15)) == []


def test_changes_between_versions_are_shown_line_by_line(world, signed_in):
    board = Group.objects.create(partnership=world.alpha, name="Alpha Board", kind=GroupKind.BOARD)
    terms = PartnershipDocument.objects.create(
        partnership=world.alpha,
        kind=DocumentKind.TERMS_OF_REFERENCE,
        group=board,
        title="Board terms of reference",
        owner=world.partnership_admin,
    )
    with at(dt.date(2027, 1, 10)):
        first = services.add_version(
            document=terms, text="Meets quarterly.\nQuorum of five.", changes="", review_by=dt.date(2028, 1, 1)
        )
        services.publish_version(first)  # terms of reference need no statutory sign-off
        with pytest.raises(ServiceError, match="Say what changed"):
            services.add_version(document=terms, text="x", changes=" ", review_by=dt.date(2029, 1, 1))
        services.add_version(
            document=terms,
            text="Meets quarterly.\nQuorum of six.",
            changes="Quorum raised",
            review_by=dt.date(2029, 1, 1),
        )
        with pytest.raises(ServiceError, match="already a draft"):
            services.add_version(document=terms, text="y", changes="z", review_by=dt.date(2029, 1, 1))
        page = signed_in(world.partnership_admin).get(terms.get_absolute_url()).content.decode()
    assert "Changes from version 1" in page
    assert "Removed: </span>Quorum of five." in page
    assert "Added: </span>Quorum of six." in page
    assert "Meets quarterly." not in page.split('id="changes"', 1)[1].split("The text", 1)[0]


def test_the_business_plan_is_signed_off_by_the_statutory_partners(world, signed_in, partners):
    for position, person in partners.items():
        services.set_statutory_partner(partnership=world.alpha, position=position, person=person)
    plan = BusinessPlan.objects.create(partnership=world.alpha, title="Plan 2027", first_year=2027, last_year=2028)
    client = signed_in(partners["police"])
    assert client.post(reverse("governance:plan-sign-off", args=[plan.pk])).status_code == 302
    assert SignOff.objects.about(plan).get().position == "police"
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Signed</strong> by Paul Police" in page
    assert "Sign off for my organisation" not in page  # already signed
    assert "Sign off for my organisation" in signed_in(partners["health"]).get(plan.get_absolute_url()).content.decode()


def test_a_statutory_partner_must_hold_a_role_in_the_partnership(world):
    with pytest.raises(ServiceError, match="no role in this partnership"):
        services.set_statutory_partner(partnership=world.alpha, position="police", person=world.other_admin)


def test_a_partner_of_beta_cannot_sign_off_alphas_plan(world):
    services.set_statutory_partner(partnership=world.beta, position="police", person=world.other_admin)
    plan = BusinessPlan.objects.create(partnership=world.alpha, title="Plan", first_year=2027, last_year=2027)
    with pytest.raises(ServiceError, match="Only the statutory partners"):
        services.sign_off(plan, world.other_admin)


# --- Induction for every member and seat criteria ---------------------------------------------------------


@pytest.fixture
def seat(world):
    board = Group.objects.create(partnership=world.alpha, name="Alpha Board", kind=GroupKind.BOARD)
    return save_member(
        GroupMember(group=board, person=world.agency_lead, agency=world.agency_a, starts_on=dt.date(2027, 3, 1))
    )


def test_every_member_gets_induction_steps_and_is_reminded_when_they_are_overdue(world, signed_in, seat):
    steps = list(seat.induction_steps.order_by("due_on", "id"))
    assert len(steps) == 5
    welcome = steps[0]
    assert welcome.due_on == dt.date(2027, 3, 15)
    # Observers have no induction; a named deputy does.
    observer = save_member(
        GroupMember(
            group=seat.group, person=world.practitioner_a, member_type=MemberType.OBSERVER, starts_on=seat.starts_on
        )
    )
    assert not observer.induction_steps.exists()
    expected = [("Your induction to Alpha Board: overdue", [world.agency_lead.email])]
    assert reminders_on(dt.date(2027, 3, 15)) == []
    assert reminders_on(dt.date(2027, 3, 16)) == expected
    assert reminders_on(dt.date(2027, 3, 23)) == expected
    with at(dt.date(2027, 3, 24)):
        response = signed_in(world.partnership_admin).post(reverse("governance:induction-step-done", args=[welcome.pk]))
    assert response.status_code == 302
    welcome.refresh_from_db()
    assert welcome.done_on == dt.date(2027, 3, 24)
    assert reminders_on(dt.date(2027, 3, 30)) == expected  # the next step (register of interests) was due on 29 March
    assert reminders_on(dt.date(2027, 3, 31)) == []
    # The member reads their own induction; someone else's is out of sight.
    assert signed_in(world.agency_lead).get(reverse("governance:member-induction", args=[seat.pk])).status_code == 200
    other = member(world.alpha, Role.BOARD_MEMBER, world.agency_b)
    assert signed_in(other).get(reverse("governance:member-induction", args=[seat.pk])).status_code == 404
    # Only the business unit records a step.
    step = steps[1]
    assert (
        signed_in(world.agency_lead).post(reverse("governance:induction-step-done", args=[step.pk])).status_code == 403
    )


def test_a_seat_has_criteria_the_business_unit_writes(world, signed_in, seat):
    url = reverse("governance:member-criteria", args=[seat.pk])
    response = signed_in(world.partnership_admin).post(
        url, {"seniority": "Chief superintendent or above", "criteria": "", "met": "on"}
    )
    assert response.status_code == 302
    assert SeatCriteria.objects.get(member=seat).seniority == "Chief superintendent or above"
    assert signed_in(world.agency_lead).post(url, {"seniority": "Anyone"}).status_code == 403
    assert InductionStep.objects.filter(member=seat).count() == 5


def test_the_group_page_shows_each_seats_criteria_and_links_to_its_induction(world, signed_in, seat):
    SeatCriteria.objects.create(member=seat, seniority="Chief superintendent or above", met=False)
    page = signed_in(world.partnership_admin).get(seat.group.get_absolute_url()).content.decode()
    assert "Expected: Chief superintendent or above" in page and "Not met" in page
    assert reverse("governance:member-induction", args=[seat.pk]) in page
    # A seat from before inductions were kept has no steps, so no link that would lead nowhere.
    older = GroupMember.objects.create(group=seat.group, person=world.practitioner_a, starts_on=dt.date(2019, 1, 1))
    page = signed_in(world.partnership_admin).get(seat.group.get_absolute_url()).content.decode()
    assert reverse("governance:member-induction", args=[older.pk]) not in page


def test_the_business_managers_panel_lists_overdue_induction_steps(world, signed_in):
    board = Group.objects.create(partnership=world.alpha, name="Alpha Board", kind=GroupKind.BOARD)
    today = timezone.localdate()
    late = save_member(GroupMember(group=board, person=world.agency_lead, starts_on=today - dt.timedelta(days=20)))
    save_member(GroupMember(group=board, person=world.practitioner_a, starts_on=today - dt.timedelta(days=3)))
    body = signed_in(world.partnership_admin).get(reverse("core:home")).content.decode()
    assert "Members&#x27; induction steps overdue" in body or "Members' induction steps overdue" in body
    assert reverse("governance:member-induction", args=[late.pk]) in body
    assert "Welcome letter and induction pack sent" in body
    assert world.practitioner_a.full_name not in body.split("induction steps overdue", 1)[1].split("</ul>", 1)[0]
