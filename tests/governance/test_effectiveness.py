"""Effectiveness (issue 9, section 6): the yearly board self-assessment on the core questionnaires, its
results compared year on year with small numbers hidden; the chair's annual review, read by the chair and
the statutory partners and signed off by the three of them; their "My work" panel of sign-offs waiting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeboard.core.permissions import Role, forget_grants
from safeboard.core.questionnaires.models import QuestionnaireResponse
from safeboard.core.services import ServiceError
from safeboard.governance.arrangements import services as arrangements
from safeboard.governance.arrangements.panels import sign_offs_panel
from safeboard.governance.effectiveness import services
from safeboard.governance.effectiveness.services import self_assessment_version
from safeboard.governance.models import Budget, BudgetLine, BusinessPlan, ChairReview, SelfAssessment, SignOff
from tests.factories import member
from tests.governance.test_arrangements import partners  # noqa: F401  (a fixture)

RATINGS = [
    "chair_holds_to_account",
    "independent_voice",
    "members_senior_enough",
    "challenge_welcomed",
    "challenge_followed_up",
    "roles_clear",
    "few_clear_priorities",
    "priorities_from_evidence",
    "plan_reviewed",
    "children_heard",
    "frontline_heard",
    "difference_known",
    "papers_on_time",
    "meetings_decide",
    "groups_work_together",
]


def answers(rating: int, **extra: str) -> dict[str, str]:
    return {**{key: str(rating) for key in RATINGS}, **extra}


def board_members(world, n: int):  # type: ignore[no-untyped-def]
    return [member(world.alpha, Role.BOARD_MEMBER, world.agency_a, full_name=f"Member {i}") for i in range(n)]


def test_a_member_answers_the_years_self_assessment_once(world, signed_in):
    assessment = services.start_self_assessment(
        partnership=world.alpha, business_year=2026, answer_by=timezone.localdate() + dt.timedelta(days=14)
    )
    version = assessment.questionnaire_version
    assert version.questionnaire.key == "board_self_assessment" and version.questionnaire.partnership is None
    person = board_members(world, 1)[0]
    client = signed_in(person)
    url = reverse("governance:selfassessment-answer", args=[assessment.pk])
    page = client.get(url).content.decode()
    assert "The chair holds every partner to account" in page
    # A missing rating is refused with the question's own message; nothing is stored.
    page = client.post(url, answers(4, chair_holds_to_account="")).content.decode()
    assert "Select how far you agree, from 1 to 5" in page
    assert not QuestionnaireResponse.objects.exists()
    response = client.post(url, answers(4, one_change="Shorter papers."))
    assert response.status_code == 302
    stored = QuestionnaireResponse.objects.for_subject(assessment).get()
    assert stored.submitted_by == person and stored.answers["papers_on_time"] == 4
    # Once only.
    assert client.post(url, answers(2)).status_code == 302
    assert QuestionnaireResponse.objects.for_subject(assessment).count() == 1
    with pytest.raises(ServiceError, match="already answered"):
        services.answer_self_assessment(assessment, person, answers(2))
    # A second self-assessment for the same year is refused; the default questionnaire is loaded once.
    with pytest.raises(ServiceError, match="already a self-assessment"):
        services.start_self_assessment(
            partnership=world.alpha, business_year=2026, answer_by=timezone.localdate() + dt.timedelta(days=1)
        )
    assert self_assessment_version(world.beta) == version


def test_after_the_date_to_answer_by_nobody_can_answer(world, signed_in):
    assessment = services.start_self_assessment(
        partnership=world.alpha, business_year=2026, answer_by=timezone.localdate()
    )
    person = board_members(world, 1)[0]
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        with pytest.raises(ServiceError, match="has closed"):
            services.answer_self_assessment(assessment, person, answers(3))
        response = signed_in(person).post(reverse("governance:selfassessment-answer", args=[assessment.pk]), answers(3))
        assert response.status_code == 302
    assert not QuestionnaireResponse.objects.exists()


def _year(world, year: int, ratings: list[int]) -> SelfAssessment:  # type: ignore[no-untyped-def]
    assessment = SelfAssessment.objects.create(
        partnership=world.alpha,
        business_year=year,
        questionnaire_version=self_assessment_version(world.alpha),
        answer_by=timezone.localdate() + dt.timedelta(days=30),
    )
    for person, rating in zip(board_members(world, len(ratings)), ratings, strict=True):
        services.answer_self_assessment(assessment, person, answers(rating))
    return assessment


def test_results_are_compared_year_on_year_with_small_numbers_hidden(world, signed_in):
    # 2025: 6 members, 4 agree (rating 4 or 5), 2 neither. 2026: 8 members, 7 agree, 1 disagrees.
    _year(world, 2025, [5, 4, 4, 5, 3, 3])
    this_year = _year(world, 2026, [5, 5, 4, 4, 4, 5, 4, 1])
    response = signed_in(world.partnership_admin).get(this_year.get_absolute_url())
    assert response.status_code == 200
    results = response.context["results"]
    assert results.years == ["2025 to 2026", "2026 to 2027"]
    assert results.respondents.counts == [6, 8]
    question = results.sections[0].questions[0]
    assert question.key == "chair_holds_to_account"
    # Disagree 0 and 1, neither 2 and 0, agree 4 and 7: the 1, the 2 and the 4 are below 5, and the 7
    # is hidden as well, or it would give away the 1 (8 answered less 7 agreeing, less 0 neither).
    assert question.table.cells == [[0, None], [None, 0], [None, None]]
    assert question.table.column_totals == [6, 8]
    # The share who agree is only shown where its count is shown.
    assert question.agree == [None, None]
    page = response.content.decode()
    assert "Leadership and chairing: members who agree, by year" in page  # the chart, with its table
    assert "Members who answered, by year" in page
    # No one's name is on the results.
    assert "Member 3" not in page


def test_a_hand_count_where_nothing_needs_hiding(world, signed_in):
    _year(world, 2025, [5] * 6 + [3] * 5)
    this_year = _year(world, 2026, [4] * 10 + [1] * 5)
    results = signed_in(world.agency_lead).get(this_year.get_absolute_url()).context["results"]
    question = results.sections[-1].questions[-1]
    assert question.table.cells == [[0, 5], [5, 0], [6, 10]]
    assert question.table.column_totals == [11, 15]
    assert question.agree == [pytest.approx(6 / 11 * 100), pytest.approx(10 / 15 * 100)]


def test_who_may_see_and_answer_the_self_assessment(world, signed_in):
    assessment = _year(world, 2026, [])
    detail = assessment.get_absolute_url()
    answer = reverse("governance:selfassessment-answer", args=[assessment.pk])
    assert signed_in(world.other_admin).get(detail).status_code == 404
    assert signed_in(world.practitioner_a).get(detail).status_code == 404
    assert signed_in(world.practitioner_a).get(reverse("governance:selfassessment-list")).status_code == 403
    assert signed_in(world.agency_lead).get(answer).status_code == 200
    lay = member(world.alpha, Role.LAY_MEMBER)
    assert signed_in(lay).get(answer).status_code == 200
    assert signed_in(world.other_admin).post(answer, answers(5)).status_code == 404
    assert not QuestionnaireResponse.objects.exists()


# --- The chair's annual review ------------------------------------------------------------------------------


@pytest.fixture
def review(world, partners):  # type: ignore[no-untyped-def]  # noqa: F811
    chair = member(world.alpha, Role.INDEPENDENT_CHAIR, full_name="Clara Chair")
    for position, person in partners.items():
        arrangements.set_statutory_partner(partnership=world.alpha, position=position, person=person)
    return ChairReview.objects.create(
        partnership=world.alpha,
        business_year=2025,
        chair=chair,
        reviewed_on=timezone.localdate(),
        strengths="Keeps meetings to the point.",
        areas_to_develop="Hear more from schools.",
        objectives="Chair two meetings with young advisers.",
    )


def test_the_business_unit_records_the_chairs_review(world, signed_in, partners):  # noqa: F811
    chair = member(world.alpha, Role.INDEPENDENT_CHAIR, full_name="Clara Chair")
    client = signed_in(world.partnership_admin)
    url = reverse("governance:chairreview-new")
    data = {
        "business_year": "2025",
        "chair": chair.pk,
        "reviewed_on-day": "1",
        "reviewed_on-month": "5",
        "reviewed_on-year": "2026",
        "strengths": "Clear chairing.",
        "areas_to_develop": "Scrutiny of health.",
        "objectives": "Lead the peer review.",
    }
    future = timezone.localdate() + dt.timedelta(days=3)
    page = client.post(
        url, {**data, "reviewed_on-day": future.day, "reviewed_on-month": future.month, "reviewed_on-year": future.year}
    ).content.decode()
    assert "must be today or in the past" in page
    assert client.post(url, data).status_code == 302
    assert "already a chair" in client.post(url, data).content.decode()
    assert ChairReview.objects.get().chair == chair


def test_the_review_is_read_by_the_chair_the_partners_and_the_unit_only(world, signed_in, review, partners):  # noqa: F811
    url = review.get_absolute_url()
    for person in (world.partnership_admin, review.chair, *partners.values()):
        assert signed_in(person).get(url).status_code == 200, person
    other_board_member = member(world.alpha, Role.BOARD_MEMBER, world.agency_a)
    for person in (other_board_member, world.agency_lead, world.practitioner_a, world.other_admin):
        assert signed_in(person).get(url).status_code == 404, person
    # A statutory partner of Beta reads nothing of Alpha's.
    arrangements.set_statutory_partner(partnership=world.beta, position="police", person=world.other_admin)
    assert signed_in(world.other_admin).get(url).status_code == 404
    # The chair and the partners read it; they cannot change it.
    edit = reverse("governance:chairreview-edit", args=[review.pk])
    assert signed_in(review.chair).get(edit).status_code == 403
    assert signed_in(partners["police"]).get(edit).status_code == 403


def test_the_review_is_signed_off_by_the_three_partners_and_then_frozen(world, signed_in, review, partners):  # noqa: F811
    url = reverse("governance:chairreview-sign-off", args=[review.pk])
    signed_in(review.chair).post(url)  # the chair is not a statutory partner: refused with a message
    assert not SignOff.objects.about(review).exists()
    edit = reverse("governance:chairreview-edit", args=[review.pk])
    assert signed_in(world.partnership_admin).get(edit).status_code == 200
    for person in partners.values():
        assert signed_in(person).post(url).status_code == 302
    assert SignOff.objects.about(review).count() == 3
    assert signed_in(world.partnership_admin).get(edit).status_code == 403
    page = signed_in(world.partnership_admin).get(review.get_absolute_url()).content.decode()
    assert page.count('govuk-tag--green">Signed') == 3


def test_statutory_partners_see_what_waits_for_their_sign_off(world, signed_in, review, partners):  # noqa: F811
    year = review.business_year + 1
    budget = Budget.objects.create(partnership=world.alpha, business_year=year)
    BudgetLine.objects.create(budget=budget, title="Staff", planned=Decimal(1))
    Budget.objects.create(partnership=world.alpha, business_year=year + 1)  # no lines yet: not ready
    plan = BusinessPlan.objects.create(partnership=world.alpha, title="Plan", first_year=year, last_year=year + 2)
    police = signed_in(partners["police"])
    panel = next(p for p in police.get(reverse("core:home")).context["panels"] if p.key == "sign-offs")
    assert {label for label, _ in panel.context["waiting"]} == {str(review), str(budget), "Business plan: Plan"}
    police.post(reverse("governance:budget-sign-off", args=[budget.pk]))
    police.post(reverse("governance:plan-sign-off", args=[plan.pk]))
    police.post(reverse("governance:chairreview-sign-off", args=[review.pk]))
    assert not [p for p in police.get(reverse("core:home")).context["panels"] if p.key == "sign-offs"]
    # Health has signed nothing yet: all three still wait for them. Nobody else gets the panel.
    health = signed_in(partners["health"])
    assert [p.count for p in health.get(reverse("core:home")).context["panels"] if p.key == "sign-offs"] == [3]
    admin = signed_in(world.partnership_admin)
    assert not [p for p in admin.get(reverse("core:home")).context["panels"] if p.key == "sign-offs"]


def test_the_sign_off_panel_runs_a_fixed_number_of_queries(world, review, partners):  # noqa: F811
    def count() -> int:
        request = RequestFactory().get("/")
        request.user = partners["local_authority"]
        request.partnership = world.alpha
        forget_grants(request.user)
        sign_offs_panel(request)
        with CaptureQueriesContext(connection) as captured:
            assert sign_offs_panel(request) is not None
        return len(captured)

    few = count()
    for i in range(5):
        budget = Budget.objects.create(partnership=world.alpha, business_year=2030 + i)
        BudgetLine.objects.create(budget=budget, title="Staff", planned=Decimal(1))
        BusinessPlan.objects.create(partnership=world.alpha, title=f"Plan {i}", first_year=2030, last_year=2031)
    assert count() == few <= 5
