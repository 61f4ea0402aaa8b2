"""Questionnaires stored and read: versions in use cannot change, new versions leave old answers
readable, and the example questionnaires work on the web and the API (through a test module)."""

from __future__ import annotations

import copy
import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from safeboard.core.audit import AccessLogEntry
from safeboard.core.models import Compartment
from safeboard.core.permissions import ROLE_GRANTS, Role, Scope
from safeboard.core.questionnaires.definition import DefinitionError
from safeboard.core.questionnaires.forms import questionnaire_form
from safeboard.core.questionnaires.models import (
    Questionnaire,
    QuestionnaireError,
    QuestionnaireResponse,
    QuestionnaireVersion,
    VersionStatus,
)
from safeboard.core.questionnaires.services import (
    AnswersInvalid,
    add_version,
    override_level,
    publish,
    submit_response,
    update_draft,
)
from tests.core.questionnaire_helpers import (
    EVALUATION_ANSWERS,
    EXAMPLES,
    SCREENING_ANSWERS,
    as_posted,
    example,
    published,
)
from tests.sealedapp.models import Note

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _a_fixed_day():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def screening(world):
    return published("exploitation-screening", world.alpha)


@pytest.fixture
def evaluation(world):
    return published("training-evaluation", None)  # used by every partnership


def renamed(definition: dict) -> dict:
    """A second version: one question reworded under a new key, one dropped, one added."""
    data = copy.deepcopy(definition)
    signs = data["sections"][1]["questions"]
    signs[3] = {**signs[3], "key": "unexplained_items", "label": "Does the child have things nobody can account for?"}
    data["sections"][2]["questions"].pop()  # the summary goes
    data["sections"][0]["questions"].append({"key": "locality", "type": "short_text", "label": "Which locality?"})
    return data


# --- Versions -------------------------------------------------------------------------------------------------


def test_versions_are_numbered_and_publishing_supersedes_the_last(world, screening):
    questionnaire = screening.questionnaire
    second = add_version(questionnaire, renamed(screening.definition))
    assert (second.number, second.status) == (2, VersionStatus.DRAFT)
    publish(second, by=world.partnership_admin)
    screening.refresh_from_db()
    second.refresh_from_db()
    assert screening.status == VersionStatus.SUPERSEDED
    assert second.status == VersionStatus.PUBLISHED and second.published_by == world.partnership_admin
    assert questionnaire.published_version == second
    with pytest.raises(QuestionnaireError, match="already published"):
        publish(second)


def test_the_database_allows_one_published_version_only(screening):
    second = add_version(screening.questionnaire, renamed(screening.definition))
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireVersion.objects.filter(pk=second.pk).update(status=VersionStatus.PUBLISHED)


def test_a_published_version_cannot_be_edited_only_superseded(screening):
    changed = renamed(screening.definition)
    with pytest.raises(QuestionnaireError, match="Version 1 is in use, so its questions cannot be changed"):
        update_draft(screening, changed)
    screening.definition = changed
    with pytest.raises(QuestionnaireError, match="in use"):
        screening.save()  # the model refuses too, whoever calls it
    with pytest.raises(QuestionnaireError, match="cannot be deleted"):
        QuestionnaireVersion.objects.get(pk=screening.pk).delete()
    assert QuestionnaireVersion.objects.get(pk=screening.pk).definition == example("exploitation-screening")


def test_a_superseded_version_and_a_draft_with_answers_are_in_use_too(world, screening):
    draft = add_version(screening.questionnaire, renamed(screening.definition))
    update_draft(draft, screening.definition)  # a draft nobody has answered can change
    publish(draft)
    superseded = QuestionnaireVersion.objects.get(pk=screening.pk)
    superseded.definition = renamed(screening.definition)
    with pytest.raises(QuestionnaireError, match="in use"):
        superseded.save()
    # A draft with a response (stored before the rules, say by an import) is in use as well.
    third = add_version(screening.questionnaire, renamed(screening.definition))
    QuestionnaireResponse.objects.create(
        partnership=world.alpha,
        questionnaire_version=third,
        answers={},
        submitted_by=world.practitioner_a,
        submitted_at=dt.datetime.now(dt.UTC),
    )
    with pytest.raises(QuestionnaireError, match="in use"):
        update_draft(third, screening.definition)


def test_a_draft_must_be_a_usable_definition(screening):
    bad = copy.deepcopy(screening.definition)
    bad["sections"][0]["questions"][0]["type"] = "essay"
    with pytest.raises(DefinitionError):
        add_version(screening.questionnaire, bad)
    other = copy.deepcopy(screening.definition)
    other["key"] = "something_else"
    with pytest.raises(QuestionnaireError, match="not for this questionnaire"):
        add_version(screening.questionnaire, other)


# --- Responses ---------------------------------------------------------------------------------------------------


def test_answers_are_stored_with_their_version_score_and_level(world, screening):
    response = submit_response(
        screening, partnership=world.alpha, data=SCREENING_ANSWERS, submitted_by=world.practitioner_a
    )
    response.refresh_from_db()
    assert response.questionnaire_version == screening
    assert response.answers["latest_episode"] == "2026-11-20"
    assert (response.score, response.level, response.section_scores) == (
        14,
        "high",
        {"about": 0, "signs": 12, "view": 2},
    )
    assert response.final_level == "high" and response.score_level_label == "High"


def test_wrong_answers_are_refused_with_a_message_per_question_and_nothing_is_stored(world, screening):
    with pytest.raises(AnswersInvalid) as refused:
        submit_response(
            screening,
            partnership=world.alpha,
            data={**SCREENING_ANSWERS, "worry": ""},
            submitted_by=world.practitioner_a,
        )
    assert refused.value.errors == {"worry": "Select a rating on the scale of 1 to 5"}
    assert not QuestionnaireResponse.objects.exists()


def test_no_answers_to_a_draft_or_to_another_partnerships_questionnaire(world, screening):
    draft = add_version(screening.questionnaire, renamed(screening.definition))
    with pytest.raises(QuestionnaireError, match="still a draft"):
        submit_response(draft, partnership=world.alpha, data={}, submitted_by=world.practitioner_a)
    with pytest.raises(QuestionnaireError, match="belongs to another partnership"):
        submit_response(screening, partnership=world.beta, data=SCREENING_ANSWERS, submitted_by=world.other_admin)


def test_a_platform_questionnaire_is_answered_in_any_partnership(world, evaluation):
    for partnership, person in ((world.alpha, world.practitioner_a), (world.beta, world.other_admin)):
        response = submit_response(evaluation, partnership=partnership, data=EVALUATION_ANSWERS, submitted_by=person)
        assert response.score is None and response.level == ""


def test_professional_judgement_sets_another_level_with_a_reason(world, screening):
    response = submit_response(
        screening, partnership=world.alpha, data=SCREENING_ANSWERS, submitted_by=world.practitioner_a
    )
    with pytest.raises(QuestionnaireError, match="Give the reason"):
        override_level(response, level="medium", reason=" ", by=world.partnership_admin)
    with pytest.raises(QuestionnaireError, match="Choose one of the questionnaire's levels"):
        override_level(response, level="extreme", reason="Because", by=world.partnership_admin)
    changed = override_level(response, level="medium", reason="A safety plan is working.", by=world.partnership_admin)
    assert (changed.level, changed.level_override, changed.final_level) == ("high", "medium", "medium")
    assert changed.final_level_label == "Medium" and changed.overridden_by == world.partnership_admin


def test_a_response_about_a_sealed_record_is_sealed_with_it(world, screening, monkeypatch):
    sealed = Compartment.objects.create(partnership=world.alpha, name="Operation Kestrel")
    note = Note.objects.create(partnership=world.alpha, agency=world.agency_a, compartment=sealed, text="Child K")
    response = submit_response(
        screening, partnership=world.alpha, data=SCREENING_ANSWERS, submitted_by=world.practitioner_a, subject=note
    )
    assert response.compartment == sealed
    # The administrator sees the partnership's responses, but not a sealed one while off the list.
    assert not QuestionnaireResponse.objects.visible_to(world.partnership_admin).filter(pk=response.pk).exists()
    sealed.members.add(world.partnership_admin)
    assert QuestionnaireResponse.objects.visible_to(world.partnership_admin).filter(pk=response.pk).exists()
    assert list(QuestionnaireResponse.objects.for_subject(note)) == [response]


# --- A new version leaves old answers readable -------------------------------------------------------------------


def test_publishing_a_new_version_leaves_old_answers_readable_with_their_own_questions(world, screening, signed_in):
    old = submit_response(screening, partnership=world.alpha, data=SCREENING_ANSWERS, submitted_by=world.practitioner_a)
    second = publish(add_version(screening.questionnaire, renamed(screening.definition)))
    new_answers = {k: v for k, v in SCREENING_ANSWERS.items() if k not in ("money_or_goods", "summary")}
    new = submit_response(
        second,
        partnership=world.alpha,
        data={**new_answers, "unexplained_items": "yes", "locality": "North"},
        submitted_by=world.practitioner_a,
    )
    client = signed_in(world.practitioner_a)
    page = client.get(reverse("core:questionnaire-response-detail", args=[old.pk])).content.decode()
    assert "Answers to version 1" in page
    assert "Does the child have money, phones, clothes or other things that nobody can explain?" in page
    assert "Seen twice at an address the police know." in page
    assert "Which locality?" not in page and "things nobody can account for" not in page
    assert "14 (High)" in page
    page = client.get(reverse("core:questionnaire-response-detail", args=[new.pk])).content.decode()
    assert "Answers to version 2" in page and "Does the child have things nobody can account for?" in page
    assert "Which locality?" in page and "North" in page
    # And over the API, each response names its own version.
    api = client.get(reverse("api:questionnaireresponse-list")).json()["results"]
    assert {(r["id"], r["version_number"]) for r in api} == {(old.pk, 1), (new.pk, 2)}


def test_viewing_a_response_is_written_to_the_access_log(world, screening, signed_in):
    response = submit_response(
        screening, partnership=world.alpha, data=SCREENING_ANSWERS, submitted_by=world.practitioner_a
    )
    signed_in(world.partnership_admin).get(reverse("core:questionnaire-response-detail", args=[response.pk]))
    assert AccessLogEntry.objects.filter(object_id=str(response.pk), actor_id=world.partnership_admin.pk).exists()


# --- The GOV.UK form ---------------------------------------------------------------------------------------------


def test_the_form_draws_every_question_type_the_gov_uk_way(screening, evaluation):
    html = questionnaire_form(screening).render()
    assert '<h2 class="govuk-heading-m">Signs of possible exploitation</h2>' in html
    assert 'class="govuk-radios govuk-radios--inline"' in html  # yes/no and ratings side by side
    assert 'name="missing" type="radio" value="yes"' in html
    assert 'type="checkbox" value="carrying"' in html
    assert 'id="q-latest_episode-day" name="latest_episode-day"' in html and 'name="latest_episode-year"' in html
    assert "For example, 27 3 2026" in html
    assert "Answer this only if you answered ‘Yes’ for ‘Has the child gone missing" in html
    assert '<div class="govuk-input__suffix" aria-hidden="true">times</div>' in html
    assert '<textarea class="govuk-textarea"' in html
    assert "4 – Very worried" not in html and "5 – Very worried" in html
    evaluation_html = questionnaire_form(evaluation).render()
    assert "What is your job title? (optional)" in evaluation_html


def test_a_bound_form_keeps_what_was_typed_and_links_each_error(screening):
    data = {
        "missing": "yes",
        "missing_episodes": "lots",
        "latest_episode-day": "31",
        "latest_episode-month": "",
        "latest_episode-year": "2026",
        "places": ["online"],
    }
    form = questionnaire_form(screening, data=data)
    assert not form.is_valid()
    html = form.render()
    assert '<a href="#q-missing_episodes">Enter a number</a>' in html
    assert '<a href="#q-latest_episode-month">The date the child last went missing must include a month</a>' in html
    assert (
        'value="lots"' in html
        and 'id="q-latest_episode-day" name="latest_episode-day" type="text" inputmode="numeric" value="31"' in html
    )
    assert 'value="online" checked' in html and 'value="yes" checked' in html
    assert 'govuk-input--error" id="q-latest_episode-month"' in html
    assert 'govuk-input--error" id="q-latest_episode-day"' not in html


def test_a_form_can_start_from_earlier_answers(world, screening):
    response = submit_response(
        screening, partnership=world.alpha, data=SCREENING_ANSWERS, submitted_by=world.practitioner_a
    )
    html = questionnaire_form(screening, initial=response.answers).render()
    assert 'name="latest_episode-day" type="text" inputmode="numeric" value="20"' in html
    assert 'value="carrying" checked' in html and 'value="excluded" checked' in html


# --- Web and API, through the test module ----------------------------------------------------------------------


@pytest.fixture
def note_grants(monkeypatch):
    """The test module's grants: practitioners record against their own notes, administrators any."""
    monkeypatch.setitem(ROLE_GRANTS[Role.PRACTITIONER], "sealedapp.view_note", Scope.OWN)
    monkeypatch.setitem(ROLE_GRANTS[Role.PRACTITIONER], "sealedapp.change_note", Scope.OWN)
    monkeypatch.setitem(ROLE_GRANTS[Role.SCRUTINY], "sealedapp.view_note", Scope.PARTNERSHIP)


@pytest.fixture
def note(world):
    return Note.objects.create(
        partnership=world.alpha, agency=world.agency_a, owner=world.practitioner_a, text="Note A"
    )


def test_on_the_web_answers_are_checked_kept_and_stored_with_their_version(
    world, screening, note, note_grants, signed_in
):
    client = signed_in(world.practitioner_a)
    url = reverse("sealedapp:note-questionnaire", args=[note.pk, screening.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Exploitation screening (example)" in page.content.decode()
    wrong = client.post(url, {"missing": "yes", "missing_episodes": "lots"})
    assert wrong.status_code == 200 and "There is a problem" in wrong.content.decode()
    assert 'value="lots"' in wrong.content.decode()
    assert not QuestionnaireResponse.objects.exists()
    form = as_posted(SCREENING_ANSWERS)
    saved = client.post(url, form)
    response = QuestionnaireResponse.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse(
        "core:questionnaire-response-detail", args=[response.pk]
    )
    assert (response.questionnaire_version, response.subject, response.score, response.submitted_by) == (
        screening,
        note,
        14,
        world.practitioner_a,
    )


def test_on_the_web_the_test_module_checks_scope_first(world, screening, note, note_grants, signed_in):
    url = reverse("sealedapp:note-questionnaire", args=[note.pk, screening.pk])
    assert signed_in(world.practitioner_b).get(url).status_code == 404  # not their note
    assert signed_in(world.scrutiny).get(url).status_code == 403  # may read it, may not record
    draft = add_version(screening.questionnaire, renamed(screening.definition))
    draft_url = reverse("sealedapp:note-questionnaire", args=[note.pk, draft.pk])
    assert signed_in(world.practitioner_a).get(draft_url).status_code == 404


def test_on_the_api_answers_are_checked_and_stored_with_their_version(world, evaluation, note, note_grants):
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {world.token_secret}")
    url = reverse("sealedapp:note-responses-api", args=[note.pk])
    bad = api.post(url, {"version": evaluation.pk, "answers": {**EVALUATION_ANSWERS, "usefulness": 9}}, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"answers": {"usefulness": ["Select a rating on the scale of 1 to 5"]}}
    answers = {**EVALUATION_ANSWERS, "attended_on": "2026-11-03", "recommend": True, "usefulness": 5}
    good = api.post(url, {"version": evaluation.pk, "answers": answers}, format="json")
    assert good.status_code == 201, good.json()
    body = good.json()
    assert body["questionnaire_version"] == evaluation.pk and body["version_number"] == 1
    assert body["answers"]["attended_on"] == "2026-11-03" and body["answers"]["recommend"] == "yes"
    assert body["subject_type"] == "sealedapp.note" and body["subject_id"] == str(note.pk)
    assert [r["id"] for r in api.get(url).json()] == [body["id"]]
    missing = api.post(url, {"answers": answers}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()["errors"]


def test_the_api_checks_answers_against_a_version_without_storing_them(world, screening):
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {world.token_secret}")
    url = reverse("api:questionnaireversion-validate", args=[screening.pk])
    ok = api.post(url, {"answers": SCREENING_ANSWERS}, format="json")
    assert ok.status_code == 200
    assert (ok.json()["score"], ok.json()["level"], ok.json()["answers"]["worry"]) == (14, "high", 4)
    bad = api.post(
        url,
        {"answers": {**SCREENING_ANSWERS, "concern_date": {"day": "1", "month": "13", "year": "2026"}}},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"]["answers"] == {"concern_date": ["The date the concern was raised must be a real date"]}
    assert not QuestionnaireResponse.objects.exists()
    definition = api.get(reverse("api:questionnaireversion-detail", args=[screening.pk])).json()
    assert definition["definition"]["key"] == "exploitation_screening_example"
    outsider = APIClient()
    outsider.force_authenticate(world.other_admin)
    assert outsider.post(url, {"answers": SCREENING_ANSWERS}, format="json").status_code == 404


# --- The administrators' pages -------------------------------------------------------------------------------------


def test_administrators_list_preview_and_publish(
    world, screening, evaluation, signed_in, django_assert_max_num_queries
):
    client = signed_in(world.partnership_admin)
    with django_assert_max_num_queries(20):
        listing = client.get(reverse("core:questionnaire-list")).content.decode()
    assert "Exploitation screening (example)" in listing and "Training evaluation (example)" in listing
    assert "Every partnership" in listing and "This partnership" in listing
    draft = add_version(screening.questionnaire, renamed(screening.definition))
    preview_url = reverse("core:questionnaire-version-preview", args=[draft.pk])
    assert "Which locality?" in client.get(preview_url).content.decode()
    checked = client.post(preview_url, {"missing": "maybe"}).content.decode()
    assert "Select yes or no" in checked and "There is a problem" in checked
    form = as_posted({k: v for k, v in SCREENING_ANSWERS.items() if k not in ("money_or_goods", "summary")})
    fine = client.post(preview_url, {**form, "unexplained_items": "no", "locality": "North"}).content.decode()
    assert "These answers are valid" in fine and "Score 14: High" in fine
    assert not QuestionnaireResponse.objects.exists()
    done = client.post(reverse("core:questionnaire-version-publish", args=[draft.pk]))
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    again = client.post(reverse("core:questionnaire-version-publish", args=[draft.pk]), follow=True)
    assert "Version 2 is already published." in again.content.decode()


def test_a_platform_questionnaire_cannot_be_published_by_one_partnership(world, evaluation, signed_in):
    draft = add_version(evaluation.questionnaire, evaluation.definition | {"title": "Training evaluation, shorter"})
    client = signed_in(world.partnership_admin)
    page = client.get(reverse("core:questionnaire-detail", args=[evaluation.questionnaire_id])).content.decode()
    assert "Every partnership uses this questionnaire" in page and "Publish<span" not in page
    assert client.post(reverse("core:questionnaire-version-publish", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_the_list_page_query_count_does_not_grow_with_questionnaires(world, signed_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(world.partnership_admin)
    published("exploitation-screening", world.alpha)
    client.get(reverse("core:questionnaire-list"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("core:questionnaire-list")).status_code == 200
        return len(captured.captured_queries)

    baseline = queries()
    published("training-evaluation", world.alpha)
    published("training-evaluation", None)
    add_version(
        Questionnaire.objects.get(partnership=None).versions.get().questionnaire, example("training-evaluation")
    )
    assert queries() == baseline


# --- Loading from files -------------------------------------------------------------------------------------------


def test_the_loader_adds_a_version_once_and_can_publish(world):
    out = io.StringIO()
    path = str(EXAMPLES / "training-evaluation.json")
    call_command("load_questionnaire", path, "--publish", stdout=out)
    assert "Training evaluation (example): added as version 1 (published)." in out.getvalue()
    call_command("load_questionnaire", path, stdout=out)
    assert "already loaded as version 1" in out.getvalue()
    questionnaire = Questionnaire.objects.get(key="training_evaluation_example")
    assert questionnaire.partnership is None and questionnaire.versions.count() == 1
    call_command(
        "load_questionnaire",
        str(EXAMPLES / "exploitation-screening.json"),
        "--partnership",
        world.alpha.slug,
        stdout=out,
    )
    assert Questionnaire.objects.get(key="exploitation_screening_example").partnership == world.alpha


def test_the_loader_reads_yaml_and_names_every_problem(tmp_path):
    import yaml

    good = tmp_path / "evaluation.yaml"
    good.write_text(yaml.safe_dump(example("training-evaluation")), encoding="utf-8")
    call_command("load_questionnaire", str(good), stdout=io.StringIO())
    assert Questionnaire.objects.filter(key="training_evaluation_example").exists()
    bad = tmp_path / "bad.json"
    data = example("training-evaluation")
    data["sections"][0]["questions"][1]["scale"] = {"min": 5, "max": 1}
    data["sections"][1]["questions"][1]["show_if"]["question"] = "nowhere"
    bad.write_text(__import__("json").dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("load_questionnaire", str(bad))
    assert "the scale's min must be below its max" in str(refused.value)
    assert "show_if names 'nowhere'" in str(refused.value)
