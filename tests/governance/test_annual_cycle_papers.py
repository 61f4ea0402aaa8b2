"""The report pipeline per paper (issue 9, section 5): the author's deadline in working days before
the papers go out, the cover sheet required before a paper is sent, the check by the business unit or
the executive before circulation, the late pack, and the supplementary pack that carries only what
was added or changed since the pack went out (read from the real PDF)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from safeboard.core.permissions import Role
from safeboard.core.services import ServiceError
from safeboard.core.workdays import add_working_days
from safeboard.governance.cycle import services
from safeboard.governance.meetings import services as meeting_services
from safeboard.governance.meetings.services import save_member
from safeboard.governance.models import (
    AgendaItem,
    Group,
    GroupKind,
    GroupMember,
    Meeting,
    PaperStatus,
)
from tests.factories import member
from tests.governance.matrix_rows_meetings import make_meeting, make_paper, pdf_bytes
from tests.governance.test_annual_cycle import at, local

COVER = {
    "purpose": "To agree the annual report.",
    "decision_asked": "Approve the report for publication.",
    "impact_on_children": "Families see what the partnership did for them.",
    "risks": "None beyond late publication.",
}


@pytest.fixture
def setting(world, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    board = Group.objects.create(partnership=world.alpha, name="Pipeline board", kind=GroupKind.BOARD)
    save_member(
        GroupMember(group=board, person=world.agency_lead, agency=world.agency_a, starts_on=dt.date(2020, 1, 1))
    )
    # Thursday 14 January 2027; papers go out seven days before, on Thursday 7 January.
    meeting = make_meeting(board, local(dt.date(2027, 1, 14)), venue="Civic Centre")
    item = AgendaItem.objects.create(meeting=meeting, number=1, title="Annual report")
    return board, meeting, item


def test_the_authors_deadline_is_working_days_before_the_papers_go_out(world, setting):
    _, meeting, item = setting
    assert meeting.papers_due_on == dt.date(2027, 1, 7)
    request = services.request_paper(item=item, title="Annual report 2026", author=world.agency_lead)
    assert request.due_on == add_working_days(dt.date(2027, 1, 7), -3, world.alpha) == dt.date(2027, 1, 4)
    assert request.status == PaperStatus.REQUESTED
    # Over a weekend and the new year's bank holiday (Friday 1 January 2027): Monday 4 January is 3
    # working days back from Thursday 7 January, and 1 January does not count.
    assert services.author_deadline(meeting) == dt.date(2027, 1, 4)


def test_a_paper_needs_its_cover_sheet_and_only_its_author_sends_it(world, setting):
    _, meeting, item = setting
    request = services.request_paper(item=item, title="Annual report 2026", author=world.agency_lead)
    with pytest.raises(ServiceError, match="what difference this makes for children") as refusal:
        services.submit_paper(
            request,
            by=world.agency_lead,
            file=ContentFile(pdf_bytes(), name="r.pdf"),
            **{**COVER, "impact_on_children": " "},
        )
    assert refusal.value.field == "impact_on_children"
    with pytest.raises(ServiceError, match="Only the author"):
        services.submit_paper(request, by=world.practitioner_a, file=ContentFile(pdf_bytes(), name="r.pdf"), **COVER)
    request.refresh_from_db()
    assert request.status == PaperStatus.REQUESTED and request.paper is None

    sent = services.submit_paper(request, by=world.agency_lead, file=ContentFile(pdf_bytes(), name="r.pdf"), **COVER)
    assert sent.status == PaperStatus.SUBMITTED and sent.has_cover_sheet
    assert (
        sent.paper.item == item
        and sent.paper.title == "Annual report 2026"
        and sent.paper.uploaded_by == world.agency_lead
    )


def test_circulation_waits_for_every_sent_paper_to_be_checked(world, setting):
    board, meeting, item = setting
    request = services.request_paper(item=item, title="Annual report 2026", author=world.agency_lead)
    services.submit_paper(request, by=world.agency_lead, file=ContentFile(pdf_bytes(), name="r.pdf"), **COVER)
    with pytest.raises(ServiceError, match="Check this paper before circulating: ‘Annual report 2026’"):
        meeting_services.circulate_papers(meeting)

    # A board member outside the executive may not check it; a member of the executive may.
    outsider = member(world.alpha, Role.BOARD_MEMBER, world.agency_b, full_name="Olive Outside")
    with pytest.raises(ServiceError, match="business unit or a member of the executive"):
        services.check_paper(request, by=outsider)
    executive = Group.objects.create(partnership=world.alpha, name="Executive", kind=GroupKind.EXECUTIVE)
    GroupMember.objects.create(group=executive, person=outsider, starts_on=dt.date(2020, 1, 1))
    checked = services.check_paper(request, by=outsider)
    assert checked.status == PaperStatus.CHECKED and checked.checked_by == outsider
    with pytest.raises(ServiceError, match="not yet checked"):
        services.check_paper(request, by=world.partnership_admin)
    assert meeting_services.circulate_papers(meeting).papers_circulated_at is not None

    # Sending a new version after the check needs a new check.
    again = services.submit_paper(request, by=world.agency_lead, file=ContentFile(pdf_bytes(2), name="r2.pdf"), **COVER)
    assert again.status == PaperStatus.SUBMITTED and again.checked_at is None


def test_a_paper_not_yet_sent_does_not_hold_the_pack_back_but_is_listed_to_follow(world, setting, signed_in):
    _, meeting, item = setting
    services.request_paper(item=item, title="Neglect audit", author=world.agency_lead)
    page = signed_in(world.partnership_admin).get(reverse("governance:meeting-circulate", args=[meeting.pk]))
    assert "Not sent by their authors yet" in page.content.decode() and "Neglect audit" in page.content.decode()
    meeting_services.circulate_papers(meeting)


def test_the_pack_is_flagged_late_when_it_goes_out_after_its_circulation_date(world, setting, signed_in):
    _, meeting, _ = setting
    with at(dt.date(2027, 1, 7), 16):
        meeting_services.circulate_papers(meeting)
    meeting.refresh_from_db()
    assert not meeting.pack_went_out_late
    with at(dt.date(2027, 1, 8), 9):
        meeting_services.circulate_papers(meeting)
        meeting.refresh_from_db()
        assert meeting.pack_went_out_late
        page = signed_in(world.partnership_admin).get(meeting.get_absolute_url()).content.decode()
    assert "Pack late" in page and "went out after its circulation date, 7 January 2027" in page


def test_the_circulate_page_warns_that_the_pack_will_be_late(world, setting, signed_in):
    _, meeting, _ = setting
    with at(dt.date(2027, 1, 8)):
        page = signed_in(world.partnership_admin).get(reverse("governance:meeting-circulate", args=[meeting.pk]))
    assert "this pack will be marked as late" in page.content.decode()


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(page.extract_text() for page in reader.pages)


def test_the_supplementary_pack_carries_only_what_was_added_or_changed_since_circulation(world, setting, signed_in):
    _, meeting, item = setting
    budget = AgendaItem.objects.create(meeting=meeting, number=2, title="Budget")
    secret = AgendaItem.objects.create(meeting=meeting, number=3, title="Staffing", confidential_reason="staff")
    with at(dt.date(2027, 1, 5)):
        make_paper(item, world.partnership_admin, title="Annual report draft", uploaded_at=timezone.now())
        request = services.request_paper(item=budget, title="Budget forecast", author=world.agency_lead)
        services.submit_paper(request, by=world.agency_lead, file=ContentFile(pdf_bytes(), name="b.pdf"), **COVER)
        services.check_paper(request, by=world.partnership_admin)
    with at(dt.date(2027, 1, 6)):
        meeting_services.circulate_papers(meeting)
    with at(dt.date(2027, 1, 9)):
        client = signed_in(world.partnership_admin)
        # Added after circulation: a new paper, a new version of the budget paper, a confidential paper.
        make_paper(item, world.partnership_admin, title="Annual report appendix", uploaded_at=timezone.now())
        services.submit_paper(request, by=world.agency_lead, file=ContentFile(pdf_bytes(), name="b2.pdf"), **COVER)
        make_paper(secret, world.partnership_admin, title="Restructure costs", uploaded_at=timezone.now())
        response = client.get(reverse("governance:meeting-pack-supplementary", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Supplementary" in text
    assert "Annual report appendix" in text and "Budget forecast" in text
    assert "Annual report draft" not in text
    assert "Restructure costs" not in text and "Staffing" not in text  # the confidential part stays apart


def test_there_is_no_supplementary_pack_before_the_papers_go_out(world, setting, signed_in):
    _, meeting, _ = setting
    response = signed_in(world.partnership_admin).get(
        reverse("governance:meeting-pack-supplementary", args=[meeting.pk])
    )
    assert response.status_code == 404


def test_the_author_sends_the_paper_through_its_page_and_the_unit_checks_it(world, setting, signed_in, client):
    _, meeting, item = setting
    request = services.request_paper(item=item, title="Annual report 2026", author=world.agency_lead)
    author = signed_in(world.agency_lead)
    page = author.get(request.get_absolute_url()).content.decode()
    assert "Send the paper" in page and "4 January 2027" in page
    url = reverse("governance:paper-request-submit", args=[request.pk])
    missing = author.post(url, {"purpose": "To agree it."})
    assert missing.status_code == 200
    text = missing.content.decode()
    assert "Enter what the group is asked to decide" in text and "Enter the risks" in text
    sent = author.post(url, {**COVER, "file": ContentFile(pdf_bytes(), name="report.pdf"), "confidential_reason": ""})
    assert sent.status_code == 302
    request.refresh_from_db()
    assert request.status == PaperStatus.SUBMITTED
    # The author cannot check their own paper; the business unit can.
    assert author.post(reverse("governance:paper-request-check", args=[request.pk])).status_code == 403
    client.logout()
    unit = signed_in(world.partnership_admin)
    assert unit.post(reverse("governance:paper-request-check", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert request.status == PaperStatus.CHECKED
    assert Meeting.objects.get(pk=meeting.pk).papers_circulated_at is None
