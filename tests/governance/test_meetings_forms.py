"""Meetings' forms: file rules, dates, attendance, approval rules, and two people editing the minutes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeboard.core.services import ServiceError
from safeboard.core.uploads import MAX_UPLOAD_BYTES, UPLOAD_SIZE_MESSAGE, UPLOAD_TYPE_MESSAGE
from safeboard.governance.meetings import services
from safeboard.governance.models import (
    AgendaItem,
    Attendance,
    Group,
    GroupKind,
    GroupMember,
    Meeting,
    MemberType,
    MinutesStatus,
    Paper,
)
from tests.conftest import sign_in
from tests.governance.matrix_rows_meetings import make_meeting, pdf_bytes


@pytest.fixture
def board(world) -> Group:  # type: ignore[no-untyped-def]
    return Group.objects.create(partnership=world.alpha, name="Forms board", kind=GroupKind.BOARD)


@pytest.fixture
def meeting(board) -> Meeting:  # type: ignore[no-untyped-def]
    return make_meeting(board, timezone.now() + dt.timedelta(days=20), venue="Town Hall")


@pytest.fixture
def item(meeting, world) -> AgendaItem:  # type: ignore[no-untyped-def]
    return AgendaItem.objects.create(meeting=meeting, number=1, title="Police update", agency=world.agency_a)


def _upload(client, item, name: str, content: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("governance:paper-new", args=[item.pk]),
        {"title": "A paper", "file": SimpleUploadedFile(name, content), "agency": ""},
    )


# --- Files ---------------------------------------------------------------------------------------------------


def test_a_paper_of_the_wrong_type_is_refused_with_a_clear_message(world, signed_in, item, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = _upload(signed_in(world.partnership_admin), item, "install.exe", b"MZ\x90\x00")
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and UPLOAD_TYPE_MESSAGE.split(":")[0] in body
    assert not Paper.objects.exists()


def test_a_paper_over_20_mb_is_refused_with_a_clear_message(world, signed_in, item, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    too_big = b"%PDF-1.4\n" + b"0" * (MAX_UPLOAD_BYTES - 8)
    response = _upload(signed_in(world.partnership_admin), item, "huge.pdf", too_big)
    assert response.status_code == 200
    assert UPLOAD_SIZE_MESSAGE in response.content.decode()
    assert not Paper.objects.exists()


def test_a_file_whose_content_does_not_match_its_name_is_refused(world, signed_in, item, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = _upload(signed_in(world.partnership_admin), item, "report.pdf", b"<html>not a pdf</html>")
    assert response.status_code == 200
    assert "is not a real PDF file" in response.content.decode()
    assert not Paper.objects.exists()


def test_a_document_and_an_image_are_accepted(world, signed_in, item, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = signed_in(world.partnership_admin)
    assert _upload(client, item, "report.pdf", pdf_bytes()).status_code == 302
    assert _upload(client, item, "chart.png", b"\x89PNG\r\n\x1a\n rest").status_code == 302
    assert _upload(client, item, "figures.csv", b"a,b\n1,2\n").status_code == 302
    assert Paper.objects.count() == 3


def test_a_paper_downloads_through_storage_and_the_download_is_logged(world, signed_in, item, settings, tmp_path):
    from safeboard.core.audit import AccessLogEntry

    settings.MEDIA_ROOT = tmp_path
    client = signed_in(world.partnership_admin)
    _upload(client, item, "report.pdf", pdf_bytes())
    paper = Paper.objects.get()
    response = client.get(reverse("governance:paper-download", args=[paper.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert AccessLogEntry.objects.filter(object_id=str(paper.pk), action="download").count() == 1


# --- Dates ------------------------------------------------------------------------------------------------


def test_a_meeting_must_end_after_it_starts(world, signed_in, board):
    day = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = signed_in(world.partnership_admin).post(
        reverse("governance:meeting-new", args=[board.pk]),
        {"date": day, "start_time": "14:00", "end_time": "13:00", "venue": "Town Hall"},
    )
    assert response.status_code == 200
    assert "The end time must be after the start time." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_needs_a_venue_or_an_online_link(world, signed_in, board):
    day = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    url = reverse("governance:meeting-new", args=[board.pk])
    client = signed_in(world.partnership_admin)
    response = client.post(url, {"date": day, "start_time": "10:00", "end_time": "11:00"})
    assert "Enter a venue, an online meeting link, or both." in response.content.decode()
    assert not Meeting.objects.exists()
    online = {"date": day, "start_time": "10:00", "end_time": "11:00", "online_link": "https://meet.example.test/x"}
    assert client.post(url, online).status_code == 302


def test_a_meeting_in_the_past_is_allowed_with_a_warning(world, signed_in, board):
    day = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
    response = signed_in(world.partnership_admin).post(
        reverse("governance:meeting-new", args=[board.pk]),
        {"date": day, "start_time": "10:00", "end_time": "11:00", "venue": "Town Hall"},
        follow=True,
    )
    assert "This meeting&#x27;s date is in the past" in response.content.decode()
    assert Meeting.objects.count() == 1


def test_a_seat_cannot_end_before_it_starts(world, signed_in, board):
    response = signed_in(world.partnership_admin).post(
        reverse("governance:member-new", args=[board.pk]),
        {"person": world.agency_lead.pk, "member_type": "member", "starts_on": "2026-05-01", "ends_on": "2026-04-01"},
    )
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in response.content.decode()
    assert not GroupMember.objects.exists()


def test_a_named_deputy_must_say_whom_they_deputise_for(world, signed_in, board):
    response = signed_in(world.partnership_admin).post(
        reverse("governance:member-new", args=[board.pk]),
        {"person": world.practitioner_a.pk, "member_type": "deputy", "starts_on": "2026-05-01"},
    )
    assert "Choose the member this person is a named deputy for." in response.content.decode()


def test_only_people_of_the_partnership_can_be_given_a_seat(world, signed_in, board):
    response = signed_in(world.partnership_admin).post(
        reverse("governance:member-new", args=[board.pk]),
        {"person": world.other_admin.pk, "member_type": "member", "starts_on": "2026-05-01"},
    )
    assert response.status_code == 200
    assert not GroupMember.objects.exists()


def test_an_agenda_item_number_is_used_once_per_meeting(world, signed_in, meeting, item):
    response = signed_in(world.partnership_admin).post(
        reverse("governance:item-new", args=[meeting.pk]),
        {"number": 1, "title": "Another", "purpose": "information", "minutes_allowed": 10},
    )
    assert "Item 1 is already on this agenda." in response.content.decode()


# --- Attendance ---------------------------------------------------------------------------------------------


def test_a_deputy_attending_needs_the_deputys_name(world, signed_in, board):
    seat = GroupMember.objects.create(group=board, person=world.agency_lead, starts_on=dt.date(2020, 1, 1))
    GroupMember.objects.create(
        group=board,
        person=world.practitioner_a,
        member_type=MemberType.DEPUTY,
        deputy_for=seat,
        starts_on=dt.date(2020, 1, 1),
    )
    past = make_meeting(board, timezone.now() - dt.timedelta(days=1), venue="Town Hall")
    url = reverse("governance:meeting-attendance", args=[past.pk])
    client = signed_in(world.partnership_admin)
    response = client.post(url, {f"status_{seat.pk}": "deputy"})
    assert response.status_code == 200
    assert f"Select who attended in place of {world.agency_lead.full_name}" in response.content.decode()
    assert not Attendance.objects.exists()
    response = client.post(url, {f"status_{seat.pk}": "deputy", f"deputy_{seat.pk}": world.practitioner_a.pk})
    assert response.status_code == 302
    assert Attendance.objects.get().deputy == world.practitioner_a


def test_only_one_of_the_seats_named_deputies_can_attend_in_its_place(world, signed_in, board):
    seat = GroupMember.objects.create(group=board, person=world.agency_lead, starts_on=dt.date(2020, 1, 1))
    other_seat = GroupMember.objects.create(group=board, person=world.practitioner_b, starts_on=dt.date(2020, 1, 1))
    GroupMember.objects.create(
        group=board,
        person=world.practitioner_a,
        member_type=MemberType.DEPUTY,
        deputy_for=other_seat,  # a named deputy, but for another seat
        starts_on=dt.date(2020, 1, 1),
    )
    past = make_meeting(board, timezone.now() - dt.timedelta(days=1), venue="Town Hall")
    # The service refuses, whatever form or API called it.
    with pytest.raises(ServiceError, match="Only a named deputy"):
        services.record_attendance(past, {seat.pk: ("deputy", world.practitioner_a.pk)})
    with pytest.raises(ServiceError, match="Only a named deputy"):
        services.record_attendance(past, {seat.pk: ("deputy", world.partnership_admin.pk)})
    assert not Attendance.objects.exists()
    # The form offers only the seat's named deputies (none here), and refuses anyone else.
    url = reverse("governance:meeting-attendance", args=[past.pk])
    client = signed_in(world.partnership_admin)
    page = client.get(url).content.decode()
    assert "This seat has no named deputy." in page
    response = client.post(url, {f"status_{seat.pk}": "deputy", f"deputy_{seat.pk}": world.practitioner_a.pk})
    assert response.status_code == 200
    assert f"Select one of the named deputies for {world.agency_lead.full_name}" in response.content.decode()
    assert not Attendance.objects.exists()
    # The other seat's named deputy is accepted there.
    services.record_attendance(past, {other_seat.pk: ("deputy", world.practitioner_a.pk)})
    assert Attendance.objects.get().deputy == world.practitioner_a


# --- Approval ----------------------------------------------------------------------------------------------


def test_minutes_are_approved_only_at_a_later_meeting_of_the_same_group(world, signed_in, board):
    now = timezone.now()
    earlier = make_meeting(board, now - dt.timedelta(days=90), venue="Town Hall")
    held = make_meeting(
        board,
        now - dt.timedelta(days=2),
        venue="Town Hall",
        minutes_status=MinutesStatus.DRAFT,
        difference_for_children="Fewer children waiting for help.",
    )
    client = signed_in(world.partnership_admin)
    url = reverse("governance:minutes-approve", args=[held.pk])
    response = client.post(url, {"approved_at": earlier.pk})
    assert response.status_code == 200  # an earlier meeting is not even offered: refused as a choice
    assert "govuk-error-summary" in response.content.decode()
    other_group = Group.objects.create(partnership=world.alpha, name="Other group", kind=GroupKind.SUBGROUP)
    elsewhere = make_meeting(other_group, now + dt.timedelta(days=30), venue="Town Hall")
    assert client.post(url, {"approved_at": elsewhere.pk}).status_code == 200
    held.refresh_from_db()
    assert held.minutes_status == MinutesStatus.DRAFT
    # The service holds the same line whoever calls it.
    with pytest.raises(ServiceError, match="later meeting of the same group"):
        services.approve_minutes(held, earlier)


def test_board_minutes_need_the_difference_for_children_before_approval(world, signed_in, board):
    now = timezone.now()
    held = make_meeting(board, now - dt.timedelta(days=2), venue="Town Hall", minutes_status=MinutesStatus.DRAFT)
    later = make_meeting(board, now + dt.timedelta(days=60), venue="Town Hall")
    response = signed_in(world.partnership_admin).post(
        reverse("governance:minutes-approve", args=[held.pk]), {"approved_at": later.pk}
    )
    assert response.status_code == 200
    assert "What difference will this make for children?" in response.content.decode()
    held.refresh_from_db()
    assert held.minutes_status == MinutesStatus.DRAFT


def test_a_partnership_can_approve_board_minutes_without_the_difference_for_children(world, signed_in, board):
    """The check is a partnership setting, on by default; with it off the minutes are approved."""
    assert world.alpha.minutes_need_difference_for_children
    world.alpha.minutes_need_difference_for_children = False
    world.alpha.save()
    now = timezone.now()
    held = make_meeting(board, now - dt.timedelta(days=2), venue="Town Hall", minutes_status=MinutesStatus.DRAFT)
    later = make_meeting(board, now + dt.timedelta(days=60), venue="Town Hall")
    response = signed_in(world.partnership_admin).post(
        reverse("governance:minutes-approve", args=[held.pk]), {"approved_at": later.pk}
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.minutes_status == MinutesStatus.APPROVED


def test_minutes_are_published_only_after_approval(world, signed_in, board):
    held = make_meeting(
        board, timezone.now() - dt.timedelta(days=2), venue="Town Hall", minutes_status=MinutesStatus.DRAFT
    )
    client = signed_in(world.partnership_admin)
    response = client.post(reverse("governance:minutes-publish", args=[held.pk]), follow=True)
    held.refresh_from_db()
    assert held.minutes_status == MinutesStatus.DRAFT
    # The service's refusal comes back, as a message, on the meeting's page where the button was.
    assert response.redirect_chain == [(f"{held.get_absolute_url()}#minutes", 302)]
    assert [str(m) for m in response.context["messages"]] == ["Minutes are published once they have been approved."]


def test_a_step_with_its_own_page_shows_the_refusal_on_the_page(world, signed_in, board):
    cancelled = make_meeting(board, timezone.now() + dt.timedelta(days=9), venue="Town Hall", status="cancelled")
    response = signed_in(world.partnership_admin).post(reverse("governance:meeting-circulate", args=[cancelled.pk]))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This meeting has been cancelled: its papers cannot be circulated."
    ]
    assert b"There is a problem" in response.content
    cancelled.refresh_from_db()
    assert cancelled.papers_circulated_at is None


# --- Conflicts ---------------------------------------------------------------------------------------------


def test_two_people_writing_the_minutes_cannot_overwrite_each_other(world, board):
    from safeboard.core.permissions import Role
    from tests.factories import member

    held = make_meeting(board, timezone.now() - dt.timedelta(days=2), venue="Town Hall")
    topic = AgendaItem.objects.create(meeting=held, number=1, title="Neglect strategy")
    colleague = member(world.alpha, Role.PARTNERSHIP_ADMINISTRATOR, world.agency_b, full_name="Cal Colleague")
    first = sign_in(Client(), world.partnership_admin)
    second = sign_in(Client(), colleague)
    url = reverse("governance:meeting-minutes", args=[held.pk])
    opened = first.get(url).context["form"]["version_seen"].value()
    assert second.get(url).context["form"]["version_seen"].value() == opened

    def minutes(text: str, version: int) -> dict:
        return {
            "version_seen": version,
            f"discussion_{topic.pk}": text,
            f"decisions_{topic.pk}": "",
            "difference_for_children": "",
        }

    assert first.post(url, minutes("Ada's summary of the discussion.", opened)).status_code == 302
    response = second.post(url, minutes("Cal's own careful summary.", opened))
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved a change" in body
    assert "Cal&#x27;s own careful summary." in body  # their text is kept in the box
    assert "Ada&#x27;s summary of the discussion." in body  # and they see what was saved
    topic.refresh_from_db()
    assert topic.discussion == "Ada's summary of the discussion."
    # Saving again from the conflict page (which carries the new version) replaces it.
    retry = second.post(url, minutes("Cal's own careful summary.", response.context["form"]["version_seen"].value()))
    assert retry.status_code == 302
    topic.refresh_from_db()
    assert topic.discussion == "Cal's own careful summary."


def test_two_people_changing_a_meeting_cannot_overwrite_each_other(world, meeting):
    first = sign_in(Client(), world.partnership_admin)
    url = reverse("governance:meeting-edit", args=[meeting.pk])
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    data = {"date": day, "start_time": "10:00", "end_time": "12:00", "version_seen": meeting.version}
    assert first.post(url, {**data, "venue": "Room A"}).status_code == 302
    response = first.post(url, {**data, "venue": "Room B"})
    assert response.status_code == 409
    assert "Room B" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.venue == "Room A"


# --- Groups, seats and inductions ----------------------------------------------------------------------------


def test_choices_show_as_radios_with_every_option(world, signed_in, meeting):
    client = signed_in(world.partnership_admin)
    item_form = client.get(reverse("governance:item-new", args=[meeting.pk])).content.decode()
    for label in ("For decision", "For discussion", "For information"):
        assert label in item_form
    assert "---------" not in client.get(reverse("governance:group-new")).content.decode()


def test_a_group_cannot_report_to_itself_or_a_group_below_it(world, signed_in, board):
    child = Group.objects.create(partnership=world.alpha, name="Child", kind=GroupKind.SUBGROUP, parent=board)
    form = signed_in(world.partnership_admin).get(reverse("governance:group-edit", args=[board.pk])).context["form"]
    assert set(form.fields["parent"].queryset) == set()
    assert child not in form.fields["parent"].queryset


def test_changing_a_seat_to_lay_member_starts_an_induction_and_the_steps_are_recorded(world, signed_in, board):
    from safeboard.governance.models import LayMemberInduction

    seat = GroupMember.objects.create(group=board, person=world.practitioner_b, starts_on=dt.date(2026, 1, 5))
    client = signed_in(world.partnership_admin)
    response = client.post(
        reverse("governance:member-edit", args=[seat.pk]),
        {
            "person": seat.person_id,
            "member_type": "lay_member",
            "starts_on": "2026-01-05",
            "version_seen": seat.version,
        },
    )
    assert response.status_code == 302
    induction = LayMemberInduction.objects.get(member=seat)
    assert induction.six_month_meeting_due == dt.date(2026, 7, 5)
    url = reverse("governance:induction-edit", args=[induction.pk])
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(url, {"pack_sent_on": future, "version_seen": induction.version})
    assert "This date cannot be in the future." in response.content.decode()
    response = client.post(
        url, {"pack_sent_on": "2026-01-10", "buddy": world.agency_lead.pk, "version_seen": induction.version}
    )
    assert response.status_code == 302
    induction.refresh_from_db()
    assert induction.pack_sent_on == dt.date(2026, 1, 10) and induction.buddy == world.agency_lead


def test_the_terms_of_reference_document_downloads_for_everyone_who_sees_the_group(
    world, signed_in, board, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = signed_in(world.partnership_admin)
    response = client.post(
        reverse("governance:group-edit", args=[board.pk]),
        {
            "name": board.name,
            "kind": "board",
            "meeting_frequency": "quarterly",
            "attendance_required": 3,
            "attendance_out_of": 4,
            "terms_document": SimpleUploadedFile("terms.pdf", pdf_bytes()),
            "version_seen": board.version,
        },
    )
    assert response.status_code == 302
    download = signed_in(world.practitioner_a).get(reverse("governance:group-document", args=[board.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert signed_in(world.other_admin).get(reverse("governance:group-document", args=[board.pk])).status_code == 404


def test_attendance_required_cannot_exceed_the_meetings_it_is_out_of(world, signed_in):
    response = signed_in(world.partnership_admin).post(
        reverse("governance:group-new"),
        {
            "name": "Too keen",
            "kind": "subgroup",
            "meeting_frequency": "quarterly",
            "attendance_required": 5,
            "attendance_out_of": 4,
        },
    )
    assert response.status_code == 200
    assert "This cannot be more than the number of meetings it is out of." in response.content.decode()
