"""The demo shows issue 9's effectiveness and money: stepped funding agreements, this year's budget with
spending lines, the self-assessment answered in two years (compared on its page) and the chair's review,
with the police's sign-offs waiting on their My work."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from safeboard.accounts.demo import build_demo
from safeboard.core.questionnaires.models import QuestionnaireResponse
from safeboard.governance.models import Budget, ChairReview, FundingAgreement, SelfAssessment
from tests.conftest import sign_in


def test_the_demo_has_a_budget_a_self_assessment_and_a_chairs_review(db):
    world = build_demo()
    partnership = world.partnerships["nm"]
    agreement = FundingAgreement.objects.filter(partnership=partnership).first()
    amounts = [step.cash for step in agreement.steps.order_by("business_year")]
    assert len(amounts) == 3 and amounts == sorted(amounts)
    budget = Budget.objects.filter(partnership=partnership).order_by("-business_year").first()
    assert budget.lines.count() == 5
    assessments = list(SelfAssessment.objects.filter(partnership=partnership).order_by("business_year"))
    assert len(assessments) == 2
    assert all(QuestionnaireResponse.objects.for_subject(a).count() >= 10 for a in assessments)
    review = ChairReview.objects.get(partnership=partnership)

    admin = sign_in(Client(), world.people["admin"])
    page = admin.get(assessments[-1].get_absolute_url())
    assert len(page.context["results"].years) == 2
    assert admin.get(budget.get_absolute_url()).status_code == 200
    assert admin.get(reverse("governance:budget-pdf", args=[budget.pk])).status_code == 200
    police = sign_in(Client(), world.people["lead.police"])
    panel = next(p for p in police.get(reverse("core:home")).context["panels"] if p.key == "sign-offs")
    labels = {label for label, _ in panel.context["waiting"]}
    assert {str(budget), str(review)} <= labels
    board = sign_in(Client(), world.people["board"])
    assert "Answer the self-assessment" in board.get(assessments[-1].get_absolute_url()).content.decode()
