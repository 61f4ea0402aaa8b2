"""axe on the pages of issue 9's effectiveness and money: the budget, the funding agreement form (with
errors), the self-assessment with its year-on-year results and its questions, the chair's review."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from safeboard.core.permissions import Role
from safeboard.governance.arrangements import services as arrangements
from safeboard.governance.effectiveness import services
from safeboard.governance.effectiveness.services import self_assessment_version
from safeboard.governance.models import (
    Budget,
    BudgetLine,
    ChairReview,
    FundingAgreement,
    FundingContribution,
    FundingStep,
    SelfAssessment,
)
from tests.browser.conftest import assert_accessible, session_cookie
from tests.factories import member
from tests.governance.test_effectiveness import answers

pytestmark = pytest.mark.browser


def test_the_money_and_effectiveness_pages_have_no_accessibility_violations(
    transactional_db, world, new_context, live_server
) -> None:
    year = 2026
    agreement = FundingAgreement.objects.create(
        partnership=world.alpha, agency=world.agency_a, first_year=year, last_year=year + 1
    )
    FundingStep.objects.create(agreement=agreement, business_year=year, cash=Decimal(20000))
    FundingStep.objects.create(agreement=agreement, business_year=year + 1, cash=Decimal(21000))
    FundingContribution.objects.create(partnership=world.alpha, agency=world.agency_a, business_year=year, cash=9000)
    budget = Budget.objects.create(partnership=world.alpha, business_year=year, notes="Invented notes.")
    BudgetLine.objects.create(budget=budget, title="Business unit staff", planned=Decimal(15000), spent=Decimal(7000))
    people = [member(world.alpha, Role.BOARD_MEMBER, world.agency_a, full_name=f"Member {i}") for i in range(7)]
    for assessment_year, rating in ((year - 1, 3), (year, 4)):
        assessment = SelfAssessment.objects.create(
            partnership=world.alpha,
            business_year=assessment_year,
            questionnaire_version=self_assessment_version(world.alpha),
            answer_by=timezone.localdate() + dt.timedelta(days=10),
        )
        for person in people[:6]:
            services.answer_self_assessment(assessment, person, answers(rating))
    police = people[6]
    arrangements.set_statutory_partner(partnership=world.alpha, position="police", person=police)
    review = ChairReview.objects.create(
        partnership=world.alpha,
        business_year=year - 1,
        chair=world.partnership_admin,
        reviewed_on=timezone.localdate(),
        strengths="Clear chairing.",
        areas_to_develop="Schools.",
        objectives="Peer review.",
    )

    context = new_context(bypass_csp=True)  # axe is injected as an inline script
    session_cookie(context, live_server, world.partnership_admin)
    page = context.new_page()
    for url in (
        reverse("governance:funding") + f"?year={year}",
        reverse("governance:budget-list"),
        budget.get_absolute_url(),
        reverse("governance:budget-line-new", args=[budget.pk]),
        reverse("governance:selfassessment-list"),
        assessment.get_absolute_url(),
        reverse("governance:chairreview-list"),
        review.get_absolute_url(),
        reverse("governance:chairreview-new"),
    ):
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)
    # Forms with errors: a stepped agreement without its amounts, a member's answers left blank.
    page.goto(reverse("governance:agreement-new"))
    page.get_by_label("First business year of the agreement").fill(str(year + 2))
    page.get_by_label("Last business year of the agreement").fill(str(year + 3))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the cash agreed for year 1")
    assert_accessible(page)

    member_context = new_context(bypass_csp=True)
    session_cookie(member_context, live_server, police)
    page = member_context.new_page()
    page.goto(assessment.get_absolute_url())
    page.get_by_role("button", name="Answer the self-assessment").click()
    expect(page.locator("h1")).to_contain_text("Answer the Board self-assessment")
    assert_accessible(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    # The statutory partner's My work lists the review and the budget waiting for them.
    page.goto("/")
    expect(page.locator("#main-content")).to_contain_text("Waiting for your sign-off")
    assert_accessible(page)
