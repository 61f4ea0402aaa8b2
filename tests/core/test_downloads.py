"""``FileDownloadView``: every file download (papers, terms of reference, partner agreements,
accountability documents, funding agreements, action evidence) goes through one view in core."""

from __future__ import annotations

import logging

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from safeboard.core.audit import AccessLogEntry
from safeboard.core.views_base import safe_download_name
from tests.actions import matrix_rows as action_rows
from tests.governance import matrix_rows_meetings, matrix_rows_oversight

# (URL name, the record in world.extras, its file field, whether the record holds personal data)
DOWNLOADS = [
    ("governance:paper-download", "meetings_paper", "file", True),
    ("governance:group-document", "meetings_group", "terms_document", False),
    ("governance:member-agreement", "meetings_seat", "agreement_document", True),
    ("governance:accountability-document", "oversight_session", "document", False),
    ("governance:agreement-document", "oversight_agreement", "document", False),
    ("actions:evidence-download", "evidence", "file", True),
]


@pytest.fixture
def records(world, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    matrix_rows_meetings.build(world)
    matrix_rows_oversight.build(world)
    action_rows.build(world)
    return world.extras


def _download_log(obj) -> int:  # type: ignore[no-untyped-def]
    return AccessLogEntry.objects.filter(object_id=str(obj.pk), action="download").count()


@pytest.mark.parametrize(("url_name", "key", "field", "personal"), DOWNLOADS)
def test_it_sends_the_file_as_a_safe_attachment(world, signed_in, records, url_name, key, field, personal):
    obj = records[key]
    response = signed_in(world.partnership_admin).get(reverse(url_name, args=[obj.pk]))
    assert response.status_code == 200
    stored = getattr(obj, field)
    assert b"".join(response.streaming_content) == stored.open("rb").read()
    name = safe_download_name(stored.name)
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    expected_type = "text/plain" if name.endswith(".txt") else "application/pdf"
    assert response["Content-Type"] == expected_type
    # A record with personal data logs who downloaded it; other records' documents are not logged.
    assert _download_log(obj) == (1 if personal else 0)


@pytest.mark.parametrize(("url_name", "key", "field", "personal"), DOWNLOADS)
def test_a_file_missing_from_storage_is_a_404_with_a_warning_and_nothing_logged(
    world, signed_in, records, caplog, url_name, key, field, personal
):
    obj = records[key]
    stored = getattr(obj, field)
    stored.storage.delete(stored.name)
    with caplog.at_level(logging.WARNING, logger="safeboard.views"):
        response = signed_in(world.partnership_admin).get(reverse(url_name, args=[obj.pk]))
    assert response.status_code == 404
    assert any("File missing from storage" in r.getMessage() and stored.name in r.getMessage() for r in caplog.records)
    assert _download_log(obj) == 0


def test_a_record_without_a_file_is_a_404(world, signed_in, records):
    group = records["meetings_group"]
    type(group).objects.filter(pk=group.pk).update(terms_document="")
    response = signed_in(world.partnership_admin).get(reverse("governance:group-document", args=[group.pk]))
    assert response.status_code == 404


def test_out_of_sight_is_a_404_and_visible_but_not_allowed_a_403(world, signed_in, records):
    paper, seat = records["meetings_paper"], records["meetings_seat"]
    assert signed_in(world.other_admin).get(reverse("governance:paper-download", args=[paper.pk])).status_code == 404
    assert _download_log(paper) == 0
    # The agency lead reads the seat, but the signed agreement is the business unit's record.
    response = signed_in(world.agency_lead).get(reverse("governance:member-agreement", args=[seat.pk]))
    assert response.status_code == 403
    assert _download_log(seat) == 0


def test_the_content_type_comes_from_the_stored_files_type_and_the_name_is_made_safe(
    world, signed_in, records, settings
):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False  # the view sends nosniff itself, whatever the middleware does
    evidence = records["evidence"]
    evidence.file.save('Evil "name"; x=1 \u00e9t\u00e9.html', ContentFile(b"<script>alert(1)</script>"), save=True)
    response = signed_in(world.partnership_admin).get(reverse("actions:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200
    # Not a type the upload rule allows: sent as plain bytes, as an attachment, never rendered.
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert '"name"' not in disposition and "; x=1" not in disposition


def test_safe_download_names():
    assert safe_download_name("governance/papers/2026/11/Quarterly report.pdf") == "Quarterly_report.pdf"
    assert safe_download_name('a\\b/Report "final"; x.pdf') == "Report_final_x.pdf"
    assert safe_download_name("folder/..") == "download"
