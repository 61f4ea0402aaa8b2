"""The board business core journey, in a real browser, by two people.

The business manager schedules a meeting, adds the agenda and a paper, circulates the papers,
records attendance and minutes with an action; the action's owner adds evidence; the business
manager (not the owner) accepts the evidence and closes the action.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from safeboard.actions.models import Action, ActionStatus
from safeboard.governance.models import (
    AbsenceFollowUp,
    AgendaItem,
    Attendance,
    Group,
    GroupKind,
    GroupMember,
    Meeting,
    MemberType,
)
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

SUCCESS = ".govuk-notification-banner--success"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"


def fill_date(page: Page, field: str, day: dt.date) -> None:
    """The GOV.UK date input: day, month and year boxes."""
    page.locator(f"#id_{field}-day").fill(str(day.day))
    page.locator(f"#id_{field}-month").fill(str(day.month))
    page.locator(f"#id_{field}-year").fill(str(day.year))


def submit(page: Page, name: str) -> None:
    page.locator("#main-content").get_by_role("button", name=name, exact=True).click()


def test_a_meeting_from_scheduling_to_a_closed_action(transactional_db, world, new_context) -> None:
    board = Group.objects.create(partnership=world.alpha, name="Alpha Board", kind=GroupKind.BOARD)
    start = timezone.localdate() - dt.timedelta(days=400)
    seats = {
        person: GroupMember.objects.create(
            group=board, person=person, member_type=MemberType.MEMBER, agency=person.agency, starts_on=start
        )
        for person in (world.partnership_admin, world.practitioner_a, world.agency_lead)
    }
    meeting_day = timezone.localdate() + dt.timedelta(days=21)

    manager = new_context().new_page()
    sign_in(manager, world.partnership_admin)

    # Schedule the meeting.
    manager.goto(f"/board/groups/{board.pk}/meetings/new/")
    fill_date(manager, "date", meeting_day)
    manager.locator("#id_start_time").fill("10:00")
    manager.locator("#id_end_time").fill("12:00")
    manager.locator("#id_venue").fill("Alphaton Civic Centre, Room 2")
    submit(manager, "Save")
    expect(manager.locator(SUCCESS)).to_be_visible()
    meeting = Meeting.objects.get(group=board)
    expect(manager).to_have_url(re.compile(rf"/board/meetings/{meeting.pk}/$"))

    # The agenda and a paper.
    manager.goto(f"/board/meetings/{meeting.pk}/items/new/")
    manager.locator("#id_number").fill("1")
    manager.locator("#id_title").fill("Neglect audit findings")
    manager.get_by_label("For decision").check()
    submit(manager, "Save")
    item = AgendaItem.objects.get(meeting=meeting)
    manager.goto(f"/board/items/{item.pk}/papers/new/")
    manager.locator("#id_title").fill("Neglect audit report")
    manager.locator("#id_file").set_input_files({"name": "audit.pdf", "mimeType": "application/pdf", "buffer": PDF})
    submit(manager, "Save")
    expect(manager.locator("#main-content")).to_contain_text("Neglect audit report")

    # Circulate the papers: one email to the members.
    manager.goto(f"/board/meetings/{meeting.pk}/circulate/")
    submit(manager, "Send the agenda and papers")
    expect(manager.locator(SUCCESS)).to_be_visible()
    assert len(mail.outbox) == 1
    meeting.refresh_from_db()
    assert meeting.papers_circulated_at is not None

    # Attendance: the agency lead was absent without apologies, which makes a follow-up.
    manager.goto(f"/board/meetings/{meeting.pk}/attendance/")
    manager.get_by_label(f"Absent, no apologies: {world.agency_lead.full_name}", exact=True).check()
    manager.get_by_role("button", name="Mark everyone present").click()  # the others, at once
    submit(manager, "Save attendance")
    expect(manager.locator(SUCCESS)).to_be_visible()
    assert Attendance.objects.filter(meeting=meeting).count() == 3
    assert AbsenceFollowUp.objects.filter(attendance__member=seats[world.agency_lead]).exists()

    # Minutes, and an action from the item for practitioner A.
    manager.goto(f"/board/meetings/{meeting.pk}/minutes/")
    manager.locator(f"#id_discussion_{item.pk}").fill("The board discussed the audit and its three findings.")
    manager.locator(f"#id_decisions_{item.pk}").fill("Accepted the findings; an action was agreed.")
    manager.locator("#id_difference_for_children").fill("Neglect will be spotted at the first contact.")
    submit(manager, "Save the draft minutes")
    expect(manager.locator(SUCCESS)).to_be_visible()
    manager.goto(f"/board/items/{item.pk}/actions/new/")
    manager.locator("#id_title").fill("Brief every school on the neglect toolkit")
    # The owner is picked with the person picker (an autocomplete with JavaScript).
    manager.get_by_role("combobox", name="Owner").fill("pat")
    manager.get_by_role("option", name=re.compile(r"Pat Alpha\s*Alpha Police, Practitioner")).click()
    manager.locator("#id_agency").select_option(str(world.agency_a.pk))
    fill_date(manager, "due_date", timezone.localdate() + dt.timedelta(days=60))
    submit(manager, "Add the action")
    action = Action.objects.for_source(item).get()
    assert action.owner == world.practitioner_a

    # The owner updates the action with evidence.
    owner = new_context().new_page()
    sign_in(owner, world.practitioner_a)
    owner.goto(action.get_absolute_url())
    expect(owner.get_by_role("heading", level=1)).to_contain_text("Brief every school")
    owner.goto(f"/actions/{action.pk}/evidence/new/")
    owner.locator("#id_description").fill("Briefing slides and the list of schools that attended")
    owner.locator("#id_link").fill("https://intranet.example.test/briefing")
    submit(owner, "Save")
    action.refresh_from_db()
    assert action.status == ActionStatus.AWAITING_REVIEW
    # The owner is offered no way to close it.
    owner.goto(action.get_absolute_url())
    expect(owner.locator("#main-content").get_by_role("link", name=re.compile("^Close"))).to_have_count(0)

    # The business manager, not the owner, accepts the evidence and closes the action.
    evidence = action.evidence.get()
    manager.goto(f"/actions/evidence/{evidence.pk}/review/")
    manager.get_by_label("Yes, accept it").check()
    submit(manager, "Save the review")
    manager.goto(f"/actions/{action.pk}/close/")
    manager.locator("#id_reason").fill("Every school has had the briefing; the slides are on the intranet.")
    submit(manager, "Close the action")
    expect(manager.locator(SUCCESS)).to_be_visible()
    action.refresh_from_db()
    assert action.status == ActionStatus.CLOSED
    assert action.closed_by == world.partnership_admin
    expect(manager.locator("#main-content")).to_contain_text("Closed")
