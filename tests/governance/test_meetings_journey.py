"""The core journey of a board meeting, through the pages: set up the board, schedule, agenda and
papers (one late), invitations with a calendar file, circulation, attendance, minutes with an
action in the action log, approval at the next meeting, publication."""

from __future__ import annotations

import datetime as dt
import io

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from safeboard.actions.models import Action
from safeboard.governance.meetings import services
from safeboard.governance.models import (
    AbsenceFollowUp,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Group,
    GroupMember,
    LayMemberInduction,
    Meeting,
    MinutesStatus,
    Paper,
)
from tests.governance.matrix_rows_meetings import pdf_bytes


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _set_up_board(world, client) -> Group:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("governance:group-new"),
        {
            "name": "Alpha Safeguarding Board",
            "kind": "board",
            "terms_of_reference": "Leads the partnership's work.",
            "chair": world.partnership_admin.pk,
            "meeting_frequency": "quarterly",
            "attendance_required": 3,
            "attendance_out_of": 4,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    board = Group.objects.get(name="Alpha Safeguarding Board")
    assert board.partnership == world.alpha
    start = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    seats = [
        {"person": world.agency_lead.pk, "member_type": "member", "agency": world.agency_a.pk},
        {"person": world.practitioner_b.pk, "member_type": "lay_member"},
    ]
    for seat in seats:
        response = client.post(reverse("governance:member-new", args=[board.pk]), {**seat, "starts_on": start})
        assert response.status_code == 302, response.content.decode()[:3000]
    lead_seat = GroupMember.objects.get(group=board, person=world.agency_lead)
    response = client.post(
        reverse("governance:member-new", args=[board.pk]),
        {
            "person": world.practitioner_a.pk,
            "member_type": "deputy",
            "agency": world.agency_a.pk,
            "deputy_for": lead_seat.pk,
            "starts_on": start,
        },
    )
    assert response.status_code == 302
    return board


def test_a_board_meeting_from_scheduling_to_published_minutes(world, signed_in, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = signed_in(world.partnership_admin)
    board = _set_up_board(world, client)
    # A lay member's seat starts their induction.
    assert LayMemberInduction.objects.filter(member__person=world.practitioner_b, member__group=board).exists()

    # --- Schedule the meeting, ten days from now ---
    day = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(
        reverse("governance:meeting-new", args=[board.pk]),
        {"date": day.isoformat(), "start_time": "10:00", "end_time": "12:30", "venue": "Town Hall, Committee Room 1"},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(group=board)
    assert meeting.starts_at == _at(day, 10) and meeting.ends_at == _at(day, 12) + dt.timedelta(minutes=30)

    # --- The agenda ---
    for number, title, agency in ((1, "Police annual report", world.agency_a.pk), (2, "Neglect strategy", "")):
        response = client.post(
            reverse("governance:item-new", args=[meeting.pk]),
            {
                "number": number,
                "title": title,
                "agency": agency,
                "purpose": "decision",
                "minutes_allowed": 20,
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    police_item, neglect_item = AgendaItem.objects.filter(meeting=meeting).order_by("number")

    # --- Papers: one on time, one after the due date (seven days before the meeting) ---
    response = client.post(
        reverse("governance:paper-new", args=[police_item.pk]),
        {
            "title": "Police annual report 2025",
            "file": SimpleUploadedFile("police.pdf", pdf_bytes(2), "application/pdf"),
            "agency": world.agency_a.pk,
        },
    )
    assert response.status_code == 302
    with time_machine.travel(_at(day - dt.timedelta(days=2), 9), tick=False):
        client = signed_in(world.partnership_admin)  # a new session: the old one would have timed out
        response = client.post(
            reverse("governance:paper-new", args=[neglect_item.pk]),
            {
                "title": "Neglect strategy draft",
                "file": SimpleUploadedFile("neglect.docx", b"PK\x03\x04 invented", "application/octet-stream"),
                "agency": world.agency_b.pk,
            },
            follow=True,
        )
        assert "It is late" in response.content.decode()
    client = signed_in(world.partnership_admin)
    on_time = Paper.objects.get(title="Police annual report 2025")
    late = Paper.objects.get(title="Neglect strategy draft")
    assert not on_time.is_late and late.is_late
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert detail.count(">Late</strong>") == 1

    # The late paper is counted against its agency, in the database, for the meeting's business year.
    year = services.business_year(world.alpha, day)
    rows = services.late_papers_by_agency(Paper.objects.all(), world.alpha, year)
    assert {row["agency_name"]: (row["total"], row["late"]) for row in rows} == {
        world.agency_b.name: (1, 1),
        world.agency_a.name: (1, 0),
    }

    # --- Invitations: one email per member and named deputy, each with a calendar invitation ---
    mail.outbox.clear()
    response = client.post(reverse("governance:meeting-invite", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is not None
    seated = {world.agency_lead.email, world.practitioner_a.email, world.practitioner_b.email}
    assert len(mail.outbox) == 3
    assert {m.to[0] for m in mail.outbox} == seated
    uids = set()
    for message in mail.outbox:
        name, content, mimetype = message.attachments[0]
        assert name.endswith(".ics") and mimetype.startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(content)
        assert calendar["METHOD"] == "REQUEST"
        event = calendar.walk("VEVENT")[0]
        assert event.decoded("DTSTART") == meeting.starts_at
        assert event.decoded("DTSTART").utcoffset() == dt.timedelta(0)  # written in UTC
        assert event.decoded("DTEND") == meeting.ends_at
        assert str(event["LOCATION"]) == "Town Hall, Committee Room 1"
        assert str(event["URL"]).endswith(meeting.get_absolute_url())
        uids.add(str(event["UID"]))
    assert len(uids) == 1
    # The download carries the same, stable UID.
    download = client.get(reverse("governance:meeting-ics", args=[meeting.pk]))
    assert download["Content-Type"].startswith("text/calendar")
    assert str(icalendar.Calendar.from_ical(download.content).walk("VEVENT")[0]["UID"]) in uids

    # --- Circulate: ONE email to every member and deputy, agenda and paper links; time recorded ---
    assert client.get(reverse("governance:meeting-circulate", args=[meeting.pk])).status_code == 200
    mail.outbox.clear()
    response = client.post(reverse("governance:meeting-circulate", args=[meeting.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    circulated = mail.outbox[0]
    assert set(circulated.bcc) == seated and circulated.to == []
    assert "1. Police annual report" in circulated.body
    assert reverse("governance:paper-download", args=[on_time.pk]) in circulated.body
    assert reverse("governance:paper-download", args=[late.pk]) in circulated.body
    meeting.refresh_from_db()
    assert meeting.papers_circulated_at is not None
    assert "Circulated on" in client.get(meeting.get_absolute_url()).content.decode()

    # --- The meeting happens: attendance ---
    with time_machine.travel(_at(day, 15), tick=False):
        client = signed_in(world.partnership_admin)
        seats = {s.person_id: s for s in GroupMember.objects.filter(group=board)}
        lead, deputy, lay = (seats[u.pk] for u in (world.agency_lead, world.practitioner_a, world.practitioner_b))
        url = reverse("governance:meeting-attendance", args=[meeting.pk])
        assert client.get(url).status_code == 200
        form = {
            f"status_{lead.pk}": AttendanceStatus.ABSENT,
            f"status_{deputy.pk}": AttendanceStatus.PRESENT,
            f"status_{lay.pk}": AttendanceStatus.APOLOGIES,
        }
        assert client.post(url, form).status_code == 302
        assert client.post(url, form).status_code == 302  # saving twice makes no second follow-up
        follow_ups = AbsenceFollowUp.objects.filter(attendance__meeting=meeting)
        assert list(follow_ups.all().values_list("attendance__member_id", flat=True)) == [lead.pk]
        # Corrected before it was followed up: the follow-up goes.
        corrected = client.post(url, {**form, f"status_{lead.pk}": AttendanceStatus.APOLOGIES})
        assert corrected.status_code == 302, corrected.content.decode()[-3000:]
        assert not follow_ups.exists()
        client.post(url, form)
        follow_up = follow_ups.get()
        assert client.post(reverse("governance:followup-done", args=[follow_up.pk])).status_code == 302
        follow_up.refresh_from_db()
        assert follow_up.done_on == day
        # Once done, it stays as a record even if the attendance is corrected later.
        client.post(url, {**form, f"status_{lead.pk}": AttendanceStatus.APOLOGIES})
        assert follow_ups.filter(done_on=day).exists()
        assert Attendance.objects.get(meeting=meeting, member=lead).status == AttendanceStatus.APOLOGIES

    # --- Minutes, with an action that goes into the action log ---
    client = signed_in(world.partnership_admin)
    response = client.get(reverse("governance:meeting-minutes", args=[meeting.pk]))
    assert response.status_code == 200
    meeting.refresh_from_db()
    response = client.post(
        reverse("governance:meeting-minutes", args=[meeting.pk]),
        {
            "version_seen": meeting.version,
            f"discussion_{police_item.pk}": "The board questioned the rise in repeat referrals.",
            f"decisions_{police_item.pk}": "Report accepted.",
            f"discussion_{neglect_item.pk}": "Draft welcomed.",
            f"decisions_{neglect_item.pk}": "",
            "difference_for_children": "Children living with neglect will be seen sooner.",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    police_item.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.DRAFT
    assert police_item.decisions == "Report accepted."

    due = timezone.localdate() + dt.timedelta(days=60)
    response = client.post(
        reverse("governance:item-action-new", args=[police_item.pk]),
        {
            "title": "Share repeat referral figures by locality",
            "owner": world.agency_lead.pk,
            "agency": world.agency_a.pk,
            "due_date": due.isoformat(),
        },
    )
    assert response.status_code == 302
    action = Action.objects.for_source(police_item).get()
    assert action.title == "Share repeat referral figures by locality"
    assert action.partnership == world.alpha and action.owner == world.agency_lead and action.due_date == due
    assert action.source == police_item
    assert action.reference in client.get(meeting.get_absolute_url()).content.decode()

    # --- Approved at the next meeting of the board ---
    next_day = day + dt.timedelta(days=90)
    client.post(
        reverse("governance:meeting-new", args=[board.pk]),
        {
            "date": next_day.isoformat(),
            "start_time": "10:00",
            "end_time": "12:00",
            "online_link": "https://meet.example.test/board",
        },
    )
    next_meeting = Meeting.objects.get(group=board, starts_at__date=next_day)
    assert client.get(reverse("governance:minutes-approve", args=[meeting.pk])).status_code == 200
    response = client.post(reverse("governance:minutes-approve", args=[meeting.pk]), {"approved_at": next_meeting.pk})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.APPROVED and meeting.minutes_approved_at == next_meeting
    # Approved minutes cannot be changed any more.
    response = client.get(reverse("governance:meeting-minutes", args=[meeting.pk]))
    assert response.status_code == 302

    # --- Published: one email with a link to the members ---
    scrutiny = signed_in(world.scrutiny)
    assert scrutiny.get(meeting.get_absolute_url()).status_code == 404
    client = signed_in(world.partnership_admin)
    mail.outbox.clear()
    assert client.post(reverse("governance:minutes-publish", args=[meeting.pk])).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.PUBLISHED and meeting.minutes_published_at is not None
    assert len(mail.outbox) == 1 and set(mail.outbox[0].bcc) == seated
    assert meeting.get_absolute_url() in mail.outbox[0].body

    # Scrutiny now reads the minutes, and only the minutes.
    page = signed_in(world.scrutiny).get(meeting.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "The board questioned the rise in repeat referrals." in body
    assert "Children living with neglect will be seen sooner." in body
    assert "Police annual report 2025" not in body  # no papers
    assert world.agency_lead.full_name not in body  # no attendance
    assert action.reference not in body  # no actions


def test_the_agenda_pack_is_a_pdf_with_a_cover_then_every_pdf_paper(world, signed_in, settings, tmp_path):
    from django.core.files.base import ContentFile

    from tests.governance.matrix_rows_meetings import make_meeting, make_paper

    settings.MEDIA_ROOT = tmp_path
    board = Group.objects.create(partnership=world.alpha, name="Pack board", kind="board")
    meeting = make_meeting(board, timezone.now() + dt.timedelta(days=20), venue="Town Hall")
    first = AgendaItem.objects.create(meeting=meeting, number=1, title="Annual report")
    second = AgendaItem.objects.create(meeting=meeting, number=2, title="Budget")
    make_paper(first, world.partnership_admin, title="Annual report", file=ContentFile(pdf_bytes(2), name="a.pdf"))
    make_paper(second, world.partnership_admin, title="Budget figures", file=ContentFile(b"a,b\n1,2\n", name="b.csv"))
    make_paper(second, world.partnership_admin, title="Budget paper", file=ContentFile(pdf_bytes(3), name="c.pdf"))

    response = signed_in(world.partnership_admin).get(reverse("governance:meeting-pack", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    cover_pages = len(reader.pages) - 5  # the papers have 2 + 3 pages
    assert cover_pages >= 1
    cover = " ".join(reader.pages[i].extract_text() for i in range(cover_pages))
    assert "Pack board" in cover and "Agenda" in cover
    assert "1. Annual report" in cover and "2. Budget" in cover
    assert "Budget figures" in cover and "not included: not a PDF" in cover
    # The papers follow the cover, whole and in agenda order (blank test pages have no text).
    assert all(not reader.pages[i].extract_text().strip() for i in range(cover_pages, len(reader.pages)))
    bookmarks = [o.title for o in reader.outline if not isinstance(o, list)]
    assert bookmarks[-2:] == ["Annual report", "Budget paper"]


def test_the_agenda_pack_gives_each_item_its_time_and_the_page_its_paper_starts_on(
    world, signed_in, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from tests.governance.matrix_rows_meetings import make_meeting, make_paper

    settings.MEDIA_ROOT = tmp_path
    board = Group.objects.create(partnership=world.alpha, name="Timed board", kind="board")
    starts = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=20), dt.time(10, 0)))
    meeting = make_meeting(board, starts)
    first = AgendaItem.objects.create(meeting=meeting, number=1, title="Annual report", minutes_allowed=25)
    second = AgendaItem.objects.create(meeting=meeting, number=2, title="Budget", minutes_allowed=15)
    AgendaItem.objects.create(meeting=meeting, number=3, title="Any other business", minutes_allowed=5)
    make_paper(first, world.partnership_admin, title="Annual report", file=ContentFile(pdf_bytes(2), name="a.pdf"))
    make_paper(second, world.partnership_admin, title="Budget paper", file=ContentFile(pdf_bytes(3), name="c.pdf"))

    response = signed_in(world.partnership_admin).get(reverse("governance:meeting-pack", args=[meeting.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    cover_pages = len(reader.pages) - 5
    cover = " ".join(reader.pages[i].extract_text() for i in range(cover_pages))
    # 10:00 + 25 minutes + 15 minutes.
    assert "10:00" in cover and "10:25" in cover and "10:40" in cover
    assert f"Page {cover_pages + 1}" in cover and f"Page {cover_pages + 3}" in cover
    assert "No paper" in cover
    # The cover is printed by core.pdf: tagged, with its language.
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"]


def test_the_chair_signs_off_approved_minutes_and_the_pdf_shows_it(world, signed_in, settings, tmp_path):
    from safeboard.governance.meetings import services
    from tests.governance.matrix_rows_meetings import make_meeting

    settings.MEDIA_ROOT = tmp_path
    chair = world.agency_lead  # reads the partnership's meetings
    board = Group.objects.create(partnership=world.alpha, name="Signed board", kind="subgroup", chair=chair)
    held = make_meeting(board, timezone.now() - dt.timedelta(days=60), status="held")
    later = make_meeting(board, timezone.now() - dt.timedelta(days=2), status="held")
    AgendaItem.objects.create(meeting=held, number=1, title="Neglect strategy", discussion="Agreed the plan.")
    services.save_minutes(held, version_seen=held.version, texts={}, difference="")
    held.refresh_from_db()

    admin = signed_in(world.partnership_admin)
    url = reverse("governance:minutes-sign-off", args=[held.pk])
    # Not before approval, and never by someone who is not the group's chair.
    with pytest.raises(services.ServiceError):
        services.sign_off_minutes(held, chair)
    services.approve_minutes(held, later)
    assert admin.post(url).status_code == 403

    client = signed_in(chair)
    response = client.post(url)
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.minutes_signed_off_by == chair and held.minutes_signed_off_at is not None
    assert client.post(url, follow=True).status_code == 200  # a second time is refused with a message
    held.refresh_from_db()

    pdf = admin.get(reverse("governance:minutes-pdf", args=[held.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Neglect strategy" in text and "Agreed the plan." in text
    assert f"Signed off by {chair.full_name}" in text
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_approval_offers_only_later_meetings_of_the_same_group(world, signed_in):
    from tests.governance.matrix_rows_meetings import make_meeting

    board = Group.objects.create(partnership=world.alpha, name="Choice board", kind="subgroup")
    other = Group.objects.create(partnership=world.alpha, name="Other group", kind="subgroup")
    now = timezone.now()
    earlier = make_meeting(board, now - dt.timedelta(days=120), status="held")
    held = make_meeting(board, now - dt.timedelta(days=60), status="held", minutes_status="draft")
    later = make_meeting(board, now - dt.timedelta(days=2), status="held")
    elsewhere = make_meeting(other, now - dt.timedelta(days=1), status="held")
    response = signed_in(world.partnership_admin).get(reverse("governance:minutes-approve", args=[held.pk]))
    offered = [m.pk for m in response.context["form"].fields["approved_at"].queryset]
    assert offered == [later.pk]
    assert earlier.pk not in offered and elsewhere.pk not in offered
