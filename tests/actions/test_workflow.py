"""An action's life through the web pages: added, progressed, evidenced, reviewed, closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeboard.actions import services
from safeboard.actions.models import Action, ActionEvidence, ActionStatus, EvidenceReview
from safeboard.core.audit import AccessAction, AccessLogEntry
from safeboard.core.permissions import Role
from safeboard.core.services import ServiceError
from tests.actions.helpers import make_action
from tests.conftest import sign_in
from tests.factories import member


def action_form(world, **changes):  # type: ignore[no-untyped-def]
    data = {
        "title": "Review the escalation policy",
        "detail": "Agree changes with partners.",
        "owner": world.practitioner_a.pk,
        "agency": world.agency_a.pk,
        "due_date": (timezone.localdate() + dt.timedelta(days=40)).isoformat(),
        "priority": "high",
        "theme": "Escalation",
    }
    data.update(changes)
    return data


def test_it_takes_an_action_from_creation_to_closure_through_the_pages(world, signed_in):
    admin = sign_in(Client(), world.partnership_admin)
    owner = sign_in(Client(), world.practitioner_a)

    response = admin.post(reverse("actions:action-new"), action_form(world))
    assert response.status_code == 302
    action = Action.objects.get(title="Review the escalation policy")
    assert response["Location"] == action.get_absolute_url()
    assert action.reference == "A-0001" and action.status == ActionStatus.OPEN
    assert action.created_by == world.partnership_admin

    response = owner.post(
        reverse("actions:action-update-new", args=[action.pk]), {"text": "Draft shared with partners.", "start": "on"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    assert action.updates.get().author == world.practitioner_a

    upload = SimpleUploadedFile("policy.pdf", b"%PDF-1.4 the new policy", content_type="application/pdf")
    response = owner.post(
        reverse("actions:action-evidence-new", args=[action.pk]),
        {"description": "The agreed policy", "file": upload, "link": ""},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.AWAITING_REVIEW
    evidence = action.evidence.get()

    # The owner sees no review or close buttons on their own action.
    page = owner.get(action.get_absolute_url()).content.decode()
    assert reverse("actions:action-close", args=[action.pk]) not in page
    assert reverse("actions:evidence-review", args=[evidence.pk]) not in page

    page = admin.get(action.get_absolute_url()).content.decode()
    assert reverse("actions:evidence-review", args=[evidence.pk]) in page
    response = admin.post(reverse("actions:evidence-review", args=[evidence.pk]), {"decision": "accept", "note": ""})
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.review == EvidenceReview.ACCEPTED and evidence.reviewed_by == world.partnership_admin

    response = admin.post(reverse("actions:action-close", args=[action.pk]), {"reason": "The policy is in use."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.CLOSED
    assert action.closed_by == world.partnership_admin and action.closed_at is not None
    assert action.closure_reason == "The policy is in use."

    page = admin.get(action.get_absolute_url()).content.decode()
    assert "The policy is in use." in page and "Closed" in page
    # Closed actions are read-only.
    assert admin.get(reverse("actions:action-edit", args=[action.pk])).status_code == 403
    assert owner.get(reverse("actions:action-update-new", args=[action.pk])).status_code == 403
    assert owner.get(reverse("actions:action-evidence-new", args=[action.pk])).status_code == 403


def test_it_will_not_close_an_action_without_evidence_reviewed_by_someone_other_than_the_owner(world, signed_in):
    action = make_action(world)
    admin = signed_in(world.partnership_admin)
    url = reverse("actions:action-close", args=[action.pk])

    assert "cannot be closed yet" in admin.get(url).content.decode()
    response = admin.post(url, {"reason": "Done, we were told."})
    assert response.status_code == 200
    assert "cannot be closed yet" in response.content.decode()

    # Evidence waiting for review, or rejected, is not enough either.
    evidence = services.add_evidence(
        action=action, added_by=world.practitioner_a, description="Notes", link="https://example.test/a"
    )
    assert admin.post(url, {"reason": "Done."}).status_code == 200
    services.review_evidence(evidence=evidence, reviewer=world.partnership_admin, accept=False, note="Too thin")
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    assert admin.post(url, {"reason": "Done."}).status_code == 200

    # Evidence "accepted" by the owner themselves (as if written straight to the database) does not count.
    ActionEvidence.objects.create(
        action=action,
        description="Self-approved",
        link="https://example.test/b",
        added_by=world.practitioner_a,
        review=EvidenceReview.ACCEPTED,
        reviewed_by=world.practitioner_a,
        reviewed_at=timezone.now(),
    )
    with pytest.raises(ServiceError, match="someone other than the owner"):
        services.close_action(action=action, closed_by=world.partnership_admin, reason="Done.")
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS and action.closed_at is None


def test_an_owner_who_is_a_partnership_administrator_cannot_accept_evidence_or_close_their_own_action(world, signed_in):
    action = make_action(world, owner=world.partnership_admin)
    evidence = services.add_evidence(
        action=action, added_by=world.partnership_admin, description="Minutes", link="https://example.test/m"
    )
    client = signed_in(world.partnership_admin)

    page = client.get(action.get_absolute_url()).content.decode()
    assert reverse("actions:action-close", args=[action.pk]) not in page
    assert reverse("actions:evidence-review", args=[evidence.pk]) not in page

    response = client.post(reverse("actions:evidence-review", args=[evidence.pk]), {"decision": "accept", "note": ""})
    assert response.status_code == 200
    assert "someone else must review its evidence" in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.review == EvidenceReview.PENDING

    response = client.post(reverse("actions:action-close", args=[action.pk]), {"reason": "Done."})
    assert response.status_code == 200
    assert "someone else must close it" in response.content.decode()
    response = client.post(reverse("actions:action-cancel", args=[action.pk]), {"reason": "Not needed."})
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.status == ActionStatus.AWAITING_REVIEW

    # The services refuse too, whoever calls them.
    with pytest.raises(ServiceError):
        services.review_evidence(evidence=evidence, reviewer=world.partnership_admin, accept=True)
    with pytest.raises(ServiceError):
        services.close_action(action=action, closed_by=world.partnership_admin, reason="Done.")

    # A second administrator can.
    second = member(world.alpha, Role.PARTNERSHIP_ADMINISTRATOR, world.agency_b, full_name="Bea Second")
    services.review_evidence(evidence=evidence, reviewer=second, accept=True)
    services.close_action(action=action, closed_by=second, reason="Minutes show it was done.")
    action.refresh_from_db()
    assert action.status == ActionStatus.CLOSED and action.closed_by == second


def test_rejecting_evidence_needs_a_note_and_sends_the_action_back_to_in_progress(world, signed_in):
    action = make_action(world)
    evidence = services.add_evidence(
        action=action, added_by=world.practitioner_a, description="A", link="https://e.test"
    )
    client = signed_in(world.partnership_admin)
    url = reverse("actions:evidence-review", args=[evidence.pk])
    response = client.post(url, {"decision": "reject", "note": ""})
    assert response.status_code == 200 and "Say what more is needed" in response.content.decode()
    assert client.post(url, {"decision": "reject", "note": "Attach the audit."}).status_code == 302
    evidence.refresh_from_db()
    action.refresh_from_db()
    assert evidence.review == EvidenceReview.REJECTED and evidence.review_note == "Attach the audit."
    assert action.status == ActionStatus.IN_PROGRESS
    # Reviewed once is reviewed: the page says so and a second decision is refused.
    assert "already been reviewed" in client.get(url).content.decode()
    assert client.post(url, {"decision": "accept", "note": ""}).status_code == 200


def test_cancelling_needs_a_reason_and_reopening_puts_the_action_back_in_progress(world, signed_in):
    action = make_action(world)
    client = signed_in(world.partnership_admin)
    url = reverse("actions:action-cancel", args=[action.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "Enter why is this action no longer needed" in response.content.decode()
    assert client.post(url, {"reason": "Overtaken by the new strategy."}).status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.CANCELLED and action.closure_reason == "Overtaken by the new strategy."
    assert client.get(reverse("actions:action-close", args=[action.pk])).status_code == 403

    response = client.post(reverse("actions:action-reopen", args=[action.pk]), {"reason": "Needed after all."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS and action.closed_at is None
    assert action.updates.first().text == "Reopened: Needed after all."
    assert client.get(reverse("actions:action-reopen", args=[action.pk])).status_code == 403


@pytest.mark.parametrize(
    ("upload", "link", "message"),
    [
        (None, "", "Upload a file or give a link"),
        (SimpleUploadedFile("run.exe", b"MZ"), "", "must be a document or an image"),
        (SimpleUploadedFile("big.pdf", b"x" * (20 * 1024 * 1024 + 1)), "", "smaller than 20 MB"),
    ],
)
def test_evidence_must_be_a_document_or_image_under_20_mb_or_a_link(world, signed_in, upload, link, message):
    action = make_action(world)
    data = {"description": "Proof", "link": link}
    if upload is not None:
        data["file"] = upload
    response = signed_in(world.practitioner_a).post(reverse("actions:action-evidence-new", args=[action.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not action.evidence.exists()


def test_a_link_alone_is_evidence(world, signed_in):
    action = make_action(world)
    response = signed_in(world.practitioner_a).post(
        reverse("actions:action-evidence-new", args=[action.pk]),
        {"description": "The published leaflet", "link": "https://example.test/leaflet"},
    )
    assert response.status_code == 302
    assert action.evidence.get().link == "https://example.test/leaflet"


def test_evidence_files_download_only_inside_scope_and_each_download_is_logged(world, signed_in):
    action = make_action(world)
    upload = SimpleUploadedFile("minutes.txt", b"Minutes of the meeting", content_type="text/plain")
    evidence = services.add_evidence(action=action, added_by=world.practitioner_a, description="Minutes", file=upload)
    url = reverse("actions:evidence-download", args=[evidence.pk])

    response = signed_in(world.agency_lead).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Minutes of the meeting"
    assert "attachment" in response["Content-Disposition"]
    entry = AccessLogEntry.objects.get(action=AccessAction.DOWNLOAD)
    assert entry.actor_id == world.agency_lead.pk and entry.object_id == str(evidence.pk)
    assert entry.partnership_id == world.alpha.pk

    for outsider in (world.practitioner_b, world.other_admin, world.scrutiny, world.system_admin):
        assert sign_in(Client(), outsider).get(url).status_code == 404
    assert AccessLogEntry.objects.filter(action=AccessAction.DOWNLOAD).count() == 1


def test_two_people_editing_one_action_cannot_overwrite_each_other(world):
    second_admin = member(world.alpha, Role.PARTNERSHIP_ADMINISTRATOR, world.agency_b, full_name="Bea Second")
    action = make_action(world, title="Train school staff")
    first, second = sign_in(Client(), world.partnership_admin), sign_in(Client(), second_admin)
    url = reverse("actions:action-edit", args=[action.pk])
    opened = action.version
    assert first.get(url).status_code == 200 and second.get(url).status_code == 200

    base = action_form(world, title="Train school staff", due_date=action.due_date.isoformat())
    assert first.post(url, {**base, "title": "Train all school staff", "version_seen": opened}).status_code == 302
    response = second.post(url, {**base, "detail": "Include governors, please.", "version_seen": opened})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved a change" in body
    assert "Include governors, please." in body  # their typing is kept
    assert "Train all school staff" in body  # and they see what was saved
    action.refresh_from_db()
    assert action.title == "Train all school staff" and action.detail == "Agree changes with partners."


def test_a_workflow_step_makes_an_open_edit_form_stale(world, signed_in):
    action = make_action(world)
    client = signed_in(world.partnership_admin)
    opened = action.version
    services.add_evidence(action=action, added_by=world.practitioner_a, description="Done", link="https://e.test")
    url = reverse("actions:action-edit", args=[action.pk])
    response = client.post(url, {**action_form(world), "version_seen": opened})
    assert response.status_code == 409


def test_a_past_due_date_is_allowed_with_a_warning(world, signed_in):
    client = signed_in(world.partnership_admin)
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    response = client.post(reverse("actions:action-new"), action_form(world, due_date=past), follow=True)
    assert response.status_code == 200
    assert "has passed" in response.content.decode()
    assert Action.objects.get().due_date.isoformat() == past


def test_owner_and_agency_choices_come_from_the_current_partnership(world, signed_in):
    form = signed_in(world.partnership_admin).get(reverse("actions:action-new")).context["form"]
    owners = set(form.fields["owner"].queryset)
    assert {world.practitioner_a, world.practitioner_b, world.agency_lead, world.partnership_admin} <= owners
    assert world.other_admin not in owners and world.scrutiny not in owners and world.system_admin not in owners
    assert set(form.fields["agency"].queryset) == {world.agency_a, world.agency_b}

    response = signed_in(world.partnership_admin).post(
        reverse("actions:action-new"), action_form(world, owner=world.other_admin.pk, agency=world.agency_c.pk)
    )
    assert response.status_code == 200
    assert not Action.objects.exists()


def test_an_action_can_be_added_from_a_visible_record_and_links_back_to_it(world, signed_in):
    client = signed_in(world.partnership_admin)
    url = f"{reverse('actions:action-new')}?source_type=core.agency&source_id={world.agency_b.pk}"
    assert f"From: {world.agency_b.name}" in client.get(url).content.decode()
    assert client.post(url, action_form(world)).status_code == 302
    action = Action.objects.get()
    assert action.source == world.agency_b and action.source_label == world.agency_b.name
    assert list(Action.objects.for_source(world.agency_b)) == [action]
    page = client.get(action.get_absolute_url()).content.decode()
    assert f'href="{world.agency_b.get_absolute_url()}"' in page

    # A record the person cannot see, a made-up record, or a kind of record without scope rules: 404.
    for query in (
        f"source_type=core.agency&source_id={world.agency_c.pk}",
        "source_type=core.agency&source_id=999999",
        "source_type=core.agency&source_id=not-a-number",
        "source_type=sessions.session&source_id=x",
        "source_type=nothing.here&source_id=1",
    ):
        assert client.get(f"{reverse('actions:action-new')}?{query}").status_code == 404, query
        assert client.post(f"{reverse('actions:action-new')}?{query}", action_form(world)).status_code == 404
    assert Action.objects.count() == 1


def test_a_source_the_viewer_cannot_see_shows_its_label_without_a_link(world, signed_in):
    action = make_action(world, source=world.agency_c)  # a Beta agency: practitioner A cannot open it
    page = signed_in(world.practitioner_a).get(action.get_absolute_url()).content.decode()
    assert world.agency_c.name in page
    assert world.agency_c.get_absolute_url() not in page


def test_an_agency_lead_updates_their_agencys_actions_only(world, signed_in):
    mine = make_action(world)
    theirs = make_action(world, owner=world.practitioner_b, agency=world.agency_b)
    lead = signed_in(world.agency_lead)
    assert lead.post(reverse("actions:action-update-new", args=[mine.pk]), {"text": "Chased."}).status_code == 302
    assert lead.get(theirs.get_absolute_url()).status_code == 404
    assert lead.post(reverse("actions:action-update-new", args=[theirs.pk]), {"text": "Hi"}).status_code == 404
    assert lead.get(reverse("actions:action-edit", args=[mine.pk])).status_code == 403
    assert lead.get(reverse("actions:action-close", args=[mine.pk])).status_code == 403
    assert not theirs.updates.exists()


def test_a_practitioner_sees_and_updates_only_their_own_actions(world, signed_in):
    own = make_action(world)
    colleague = make_action(world, owner=world.agency_lead)  # same agency, someone else's
    client = signed_in(world.practitioner_a)
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(colleague.get_absolute_url()).status_code == 404
    assert client.post(reverse("actions:action-update-new", args=[colleague.pk]), {"text": "x"}).status_code == 404
    assert client.get(reverse("actions:action-new")).status_code == 403
    assert client.post(reverse("actions:action-new"), action_form(world)).status_code == 403
    listed = [a.pk for a in client.get(reverse("actions:action-list")).context["page"].object_list]
    assert listed == [own.pk]


def test_another_partnerships_administrator_gets_404_and_scrutiny_gets_403_on_the_list(world, signed_in):
    action = make_action(world)
    other = signed_in(world.other_admin)
    for name in ("actions:action-detail", "actions:action-edit", "actions:action-close", "actions:action-update-new"):
        response = other.get(reverse(name, args=[action.pk]))
        assert response.status_code == 404
        assert action.title not in response.content.decode()
    assert other.get(reverse("actions:action-list")).context["page"].object_list == []
    assert sign_in(Client(), world.scrutiny).get(reverse("actions:action-list")).status_code == 403
