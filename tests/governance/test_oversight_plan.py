"""The business plan: priorities (a warning above five), objectives, actions in the shared log,
measures of impact, flags for actions without one, progress by RAG, printable HTML and a PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from safeboard.actions.models import RAG, Action, ActionStatus
from safeboard.actions.services import create_action
from safeboard.governance.models import BusinessPlan, Measure, Objective, Priority, business_year_of


def this_year(world) -> int:  # type: ignore[no-untyped-def]
    return business_year_of(timezone.localdate(), world.alpha.business_year_start_month)


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def plan(world):  # type: ignore[no-untyped-def]
    year = this_year(world)
    return BusinessPlan.objects.create(
        partnership=world.alpha, title="Keeping children safe 2026", first_year=year, last_year=year + 2
    )


def add_priority(client, plan, number: int):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("governance:priority-new", args=[plan.pk]),
        {
            "number": number,
            "title": f"Priority title {number}",
            "sponsor": plan.partnership.memberships.first().user_id,
            "rationale": "What the audits showed.",
        },
    )


def test_the_plan_journey_from_priorities_to_a_pdf(world, signed_in):
    client = signed_in(world.partnership_admin)
    year = this_year(world)

    response = client.post(
        reverse("governance:plan-new"), {"title": "Our plan", "first_year": year, "last_year": year + 2}
    )
    plan = BusinessPlan.objects.get(title="Our plan")
    assert response.status_code == 302 and plan.partnership == world.alpha

    for number in range(1, 6):
        response = add_priority(client, plan, number)
        assert response.status_code == 302
        assert not any("more than 5" in m for m in messages_of(response))
    response = add_priority(client, plan, 6)
    assert response.status_code == 302
    assert any("more than 5 priorities" in m for m in messages_of(response)), "a warning at the sixth priority"
    assert plan.priorities.count() == 6  # a warning, not an error
    assert b"more than 5 priorities" in client.get(plan.get_absolute_url()).content

    priority = plan.priorities.get(number=1)
    response = client.post(
        reverse("governance:objective-new", args=[priority.pk]),
        {"business_year": year, "text": "Spot neglect earlier."},
    )
    assert response.status_code == 302
    objective = Objective.objects.get(priority=priority)

    due = timezone.localdate() + dt.timedelta(days=90)
    response = client.post(
        reverse("governance:objective-action-new", args=[objective.pk]),
        {
            "title": "Train school staff on neglect",
            "owner": world.practitioner_a.pk,
            "agency": world.agency_a.pk,
            "due_date": due.isoformat(),
        },
    )
    action = Action.objects.get(title="Train school staff on neglect")
    assert response.status_code == 302 and response["Location"] == reverse("governance:measure-new", args=[action.pk])
    assert action.source == objective and action.partnership == world.alpha
    assert list(Action.objects.visible_to(world.partnership_admin).for_source(objective)) == [action]

    page = client.get(plan.get_absolute_url())
    assert b"No measure of impact" in page.content
    assert page.context["flagged_actions"] == 1

    response = client.post(
        reverse("governance:measure-new", args=[action.pk]),
        {
            "description": "Children re-referred for neglect within a year",
            "baseline": "24",
            "target": "15",
            "unit": "%",
        },
    )
    assert response.status_code == 302
    page = client.get(plan.get_absolute_url())
    assert b"No measure of impact" not in page.content and page.context["flagged_actions"] == 0
    assert b"Children re-referred for neglect" in page.content

    # A second action with only a proxy measure is flagged as such.
    second = create_action(
        partnership=world.alpha,
        title="Count training places",
        owner=world.practitioner_b,
        agency=world.agency_b,
        due_date=due,
        created_by=world.partnership_admin,
        source=objective,
    )
    Measure.objects.create(action=second, description="Training places filled", is_proxy=True)
    page = client.get(plan.get_absolute_url())
    assert b"Proxy measures only" in page.content and page.context["flagged_actions"] == 1

    printable = client.get(plan.get_absolute_url() + "?print=1")
    assert printable.status_code == 200 and b"Train school staff on neglect" in printable.content
    assert b"<script" not in printable.content and b"style=" not in printable.content

    pdf = client.get(reverse("governance:plan-pdf", args=[plan.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Our plan" in text and "Train school staff on neglect" in text and "Proxy measures only" in text


def test_progress_per_priority_counts_actions_by_rag(world, signed_in, plan):
    year = this_year(world)
    today = timezone.localdate()
    first = Priority.objects.create(plan=plan, number=1, title="One", sponsor=world.partnership_admin, rationale="r")
    second = Priority.objects.create(plan=plan, number=2, title="Two", sponsor=world.partnership_admin, rationale="r")
    o1 = Objective.objects.create(priority=first, business_year=year, text="a")
    o1b = Objective.objects.create(priority=first, business_year=year + 1, text="b")
    o2 = Objective.objects.create(priority=second, business_year=year, text="c")
    made = []
    for objective, days in ((o1, -5), (o1, -1), (o1b, 3), (o1b, 60), (o2, 100), (o2, -30)):
        made.append(
            create_action(
                partnership=world.alpha,
                title=f"Action {days}",
                owner=world.practitioner_a,
                agency=world.agency_a,
                due_date=today + dt.timedelta(days=days),
                created_by=world.partnership_admin,
                source=objective,
            )
        )
    Action.objects.filter(pk=made[-1].pk).update(status=ActionStatus.CLOSED)
    # An action from somewhere else is not part of the plan.
    create_action(
        partnership=world.alpha,
        title="Elsewhere",
        owner=world.practitioner_a,
        agency=world.agency_a,
        due_date=today,
        created_by=world.partnership_admin,
    )

    tree = signed_in(world.partnership_admin).get(plan.get_absolute_url()).context["tree"]
    progress = {entry["priority"].number: {rag: n for rag, _, n in entry["progress"]} for entry in tree}
    hand = {1: dict.fromkeys(RAG.values, 0), 2: dict.fromkeys(RAG.values, 0)}
    for action in Action.objects.filter(pk__in=[a.pk for a in made]):
        number = Objective.objects.get(pk=action.source_id).priority.number
        hand[number][action.rag_status(today)] += 1
    assert progress == hand
    assert progress[1] == {RAG.RED: 2, RAG.AMBER: 1, RAG.GREEN: 1, RAG.DONE: 0}


def test_a_plan_covers_one_to_three_years(world, signed_in):
    client = signed_in(world.partnership_admin)
    response = client.post(reverse("governance:plan-new"), {"title": "Too long", "first_year": 2026, "last_year": 2029})
    # The hint under the field says "up to three business years" too, so check the form's errors.
    assert response.status_code == 200
    assert response.context["form"].errors == {"last_year": ["A plan covers up to three business years."]}
    response = client.post(
        reverse("governance:plan-new"), {"title": "Backwards", "first_year": 2026, "last_year": 2025}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "last_year": ["The last business year must be the same as or after the first."]
    }
    assert not BusinessPlan.objects.filter(title__in=["Too long", "Backwards"]).exists()


def test_an_objective_year_must_be_inside_the_plan(world, signed_in, plan):
    priority = Priority.objects.create(plan=plan, number=1, title="One", sponsor=world.partnership_admin, rationale="r")
    response = signed_in(world.partnership_admin).post(
        reverse("governance:objective-new", args=[priority.pk]), {"business_year": plan.first_year - 1, "text": "x"}
    )
    assert response.status_code == 200 and not Objective.objects.exists()


def test_a_past_due_date_is_a_warning_not_an_error(world, signed_in, plan):
    priority = Priority.objects.create(plan=plan, number=1, title="One", sponsor=world.partnership_admin, rationale="r")
    objective = Objective.objects.create(priority=priority, business_year=plan.first_year, text="x")
    response = signed_in(world.partnership_admin).post(
        reverse("governance:objective-action-new", args=[objective.pk]),
        {
            "title": "Late already",
            "owner": world.practitioner_a.pk,
            "agency": world.agency_a.pk,
            "due_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302 and Action.objects.filter(title="Late already").exists()
    assert any("in the past" in m for m in messages_of(response))


def test_everyone_in_the_partnership_reads_the_plan_but_sees_only_their_actions(world, signed_in, plan):
    priority = Priority.objects.create(
        plan=plan, number=1, title="Visible priority", sponsor=world.partnership_admin, rationale="r"
    )
    objective = Objective.objects.create(priority=priority, business_year=plan.first_year, text="x")
    create_action(
        partnership=world.alpha,
        title="Owned by B",
        owner=world.practitioner_b,
        agency=world.agency_b,
        due_date=timezone.localdate(),
        created_by=world.partnership_admin,
        source=objective,
    )
    page = signed_in(world.practitioner_a).get(plan.get_absolute_url())
    assert b"Visible priority" in page.content and b"Owned by B" not in page.content
    assert signed_in(world.practitioner_b).get(plan.get_absolute_url()).content.count(b"Owned by B") == 1
    assert signed_in(world.other_admin).get(plan.get_absolute_url()).status_code == 404
    assert signed_in(world.practitioner_a).get(reverse("governance:priority-new", args=[plan.pk])).status_code == 403


def test_a_measure_can_be_edited_without_losing_someone_elses_change(world, signed_in, plan):
    priority = Priority.objects.create(plan=plan, number=1, title="One", sponsor=world.partnership_admin, rationale="r")
    objective = Objective.objects.create(priority=priority, business_year=plan.first_year, text="x")
    action = create_action(
        partnership=world.alpha,
        title="A",
        owner=world.practitioner_a,
        agency=world.agency_a,
        due_date=timezone.localdate(),
        created_by=world.partnership_admin,
        source=objective,
    )
    measure = Measure.objects.create(action=action, description="Before")
    client = signed_in(world.partnership_admin)
    url = reverse("governance:measure-edit", args=[measure.pk])
    data = {"description": "Mine", "version_seen": measure.version}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "description": "Stale"})
    assert response.status_code == 409 and b"Stale" in response.content
    measure.refresh_from_db()
    assert measure.description == "Mine"


def test_the_plan_page_runs_a_fixed_number_of_queries(world, signed_in, plan):
    from tests.governance.test_oversight_attendance import queries_for

    client = signed_in(world.partnership_admin)
    url = plan.get_absolute_url()

    def grow(n: int) -> None:
        for i in range(n):
            priority = Priority.objects.create(
                plan=plan,
                number=plan.priorities.count() + 1,
                title=f"P{i}",
                sponsor=world.partnership_admin,
                rationale="r",
            )
            objective = Objective.objects.create(priority=priority, business_year=plan.first_year, text="x")
            action = create_action(
                partnership=world.alpha,
                title=f"A{i}",
                owner=world.practitioner_a,
                agency=world.agency_a,
                due_date=timezone.localdate(),
                created_by=world.partnership_admin,
                source=objective,
            )
            Measure.objects.create(action=action, description="m")

    grow(1)
    queries_for(client, url)
    before = queries_for(client, url)
    grow(4)
    assert queries_for(client, url) == before
    list_url = reverse("governance:plan-list")
    queries_for(client, list_url)
    before = queries_for(client, list_url)
    for i in range(20):
        BusinessPlan.objects.create(partnership=world.alpha, title=f"Plan {i}", first_year=2020, last_year=2021)
    assert queries_for(client, list_url) == before


def test_each_measure_is_charted_from_baseline_through_latest_to_target(world, signed_in, plan):
    from decimal import Decimal

    priority = Priority.objects.create(plan=plan, number=1, title="One", sponsor=world.partnership_admin, rationale="r")
    objective = Objective.objects.create(priority=priority, business_year=plan.first_year, text="x")
    action = create_action(
        partnership=world.alpha,
        title="Neglect screening",
        owner=world.practitioner_a,
        agency=world.agency_a,
        due_date=timezone.localdate(),
        created_by=world.partnership_admin,
        source=objective,
    )
    Measure.objects.create(
        action=action,
        description="Children seen within 10 days",
        baseline=Decimal(62),
        latest_value=Decimal(71),
        latest_on=dt.date(2026, 9, 30),
        target=Decimal(85),
        unit="%",
    )
    Measure.objects.create(action=action, description="Not measured yet")
    response = signed_in(world.partnership_admin).get(plan.get_absolute_url())
    charts = response.context["measure_charts"]
    assert len(charts) == 1  # a measure without figures has nothing to chart
    chart = charts[0][1]
    assert chart.categories == ("Baseline", "Latest, 30 September 2026", "Target")
    assert [float(v) for v in chart.series[0].values] == [62, 71, 85]
    body = response.content.decode()
    assert "Measures of impact: baseline, latest and target" in body and "71%" in body
