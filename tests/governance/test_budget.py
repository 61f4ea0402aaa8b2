"""The budget (issue 9, section 6): stepped agreements give what was agreed for a year, contributions
what was received; spending lines against the budget; a summary for the annual report (agreed,
received, outstanding, spent, balance, shares) on the page, in CSV, Excel and PDF; sign-off by the three
statutory partners through the one sign-off mechanism."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from safeboard.core.services import ServiceError
from safeboard.governance.arrangements import services as arrangements
from safeboard.governance.models import Budget, BudgetLine, FundingAgreement, FundingContribution, FundingStep, SignOff
from tests.factories import AgencyFactory
from tests.governance.test_arrangements import partners  # noqa: F401  (a fixture)
from tests.governance.test_oversight_attendance import queries_for

YEAR = 2026


def _agreement(world, agency, first, amounts, partnership=None):  # type: ignore[no-untyped-def]
    agreement = FundingAgreement.objects.create(
        partnership=partnership or world.alpha, agency=agency, first_year=first, last_year=first + len(amounts) - 1
    )
    for offset, cash in enumerate(amounts):
        FundingStep.objects.create(agreement=agreement, business_year=first + offset, cash=Decimal(cash))
    return agreement


@pytest.fixture
def budget(world):  # type: ignore[no-untyped-def]
    # Agreed for 2026: A 20,000 (the middle step of 18,000 / 20,000 / 22,000), B 5,000.
    _agreement(world, world.agency_a, YEAR - 1, ["18000", "20000", "22000"])
    _agreement(world, world.agency_b, YEAR, ["5000"])
    # Received: A 15,000 (and help in kind), B 6,000 (more than agreed: nothing outstanding).
    FundingContribution.objects.create(
        partnership=world.alpha,
        agency=world.agency_a,
        business_year=YEAR,
        cash=Decimal("15000"),
        in_kind_value=Decimal("2500"),
    )
    FundingContribution.objects.create(
        partnership=world.alpha, agency=world.agency_b, business_year=YEAR, cash=Decimal("6000")
    )
    # Noise: another year, another partnership.
    FundingContribution.objects.create(
        partnership=world.alpha, agency=world.agency_a, business_year=YEAR + 1, cash=Decimal("99999")
    )
    _agreement(world, world.agency_c, YEAR, ["77777"], partnership=world.beta)
    budget = Budget.objects.create(partnership=world.alpha, business_year=YEAR)
    BudgetLine.objects.create(
        budget=budget, title="Business unit staff", planned=Decimal("18000"), spent=Decimal("9000")
    )
    BudgetLine.objects.create(
        budget=budget, title="Independent scrutiny", planned=Decimal("6000"), spent=Decimal("2000")
    )
    return budget


def test_the_summary_equals_a_hand_count(world, signed_in, budget):
    response = signed_in(world.partnership_admin).get(budget.get_absolute_url())
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.agreed, summary.received, summary.outstanding) == (
        Decimal("25000"),
        Decimal("21000"),
        Decimal("5000"),  # A owes 5,000; B paid 1,000 more than agreed, which is not "outstanding"
    )
    assert (summary.planned, summary.spent, summary.balance, summary.unplanned) == (
        Decimal("24000"),
        Decimal("11000"),
        Decimal("10000"),  # 21,000 received less 11,000 spent
        Decimal("1000"),
    )
    assert summary.in_kind_value == Decimal("2500")
    shares = {row.agency_id: (row.agreed_share, row.received_share) for row in summary.agencies}
    assert shares[world.agency_a.pk] == pytest.approx((80.0, 15000 / 21000 * 100))
    assert shares[world.agency_b.pk] == pytest.approx((20.0, 6000 / 21000 * 100))
    page = response.content.decode()
    assert "£25,000" in page and "80.0%" in page and "Business unit staff" in page
    assert "77,777" not in page and "99,999" not in page


def test_the_summary_downloads_as_csv_excel_and_pdf(world, signed_in, budget):
    client = signed_in(world.partnership_admin)
    url = reverse("governance:budget-export", args=[budget.pk])
    response = client.get(url + "?format=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Part", "Agency or budget line", "Agreed"]
    assert ["Spending", "Business unit staff"] == rows[3][:2] or ["Spending", "Business unit staff"] == rows[4][:2]
    total = rows[-1]
    assert total[0] == "Total" and Decimal(total[2]) == Decimal("25000") and Decimal(total[7]) == Decimal("11000")
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
    sheet = workbook["Budget"]
    assert sheet.cell(row=1, column=2).value == "Agency or budget line"
    assert sheet.max_row == 6  # header, two agencies, two lines, the total
    pdf = client.get(reverse("governance:budget-pdf", args=[budget.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_who_may_read_and_keep_the_budget(world, signed_in, budget):
    detail = budget.get_absolute_url()
    assert signed_in(world.agency_lead).get(detail).status_code == 404  # leads see their agency's funding only
    assert signed_in(world.other_admin).get(detail).status_code == 404
    assert signed_in(world.agency_lead).get(reverse("governance:budget-list")).status_code == 403
    line = budget.lines.first()
    edit = reverse("governance:budget-line-edit", args=[line.pk])
    assert signed_in(world.other_admin).post(edit, {"title": "Taken", "planned": "1", "spent": "0"}).status_code == 404
    line.refresh_from_db()
    assert line.title != "Taken"


def test_a_budget_is_started_once_a_year_and_its_lines_are_checked(world, signed_in, budget):
    client = signed_in(world.partnership_admin)
    page = client.post(reverse("governance:budget-new"), {"business_year": YEAR}).content.decode()
    assert "already a budget for this business year" in page
    response = client.post(reverse("governance:budget-new"), {"business_year": YEAR + 1})
    assert response.status_code == 302
    new = Budget.objects.get(business_year=YEAR + 1)
    url = reverse("governance:budget-line-new", args=[new.pk])
    page = client.post(url, {"title": "Training venues", "planned": "-5", "spent": "0"}).content.decode()
    assert "0 or more" in page
    assert client.post(url, {"title": "Training venues", "planned": "500", "spent": "0"}).status_code == 302
    page = client.post(url, {"title": "training venues", "planned": "1", "spent": "0"}).content.decode()
    assert "already has a line with this name" in page
    assert list(new.lines.values_list("title", flat=True)) == ["Training venues"]


def test_the_budget_is_signed_off_by_the_three_statutory_partners(world, signed_in, budget, partners):  # noqa: F811
    empty = Budget.objects.create(partnership=world.alpha, business_year=YEAR + 3)
    for position, person in partners.items():
        arrangements.set_statutory_partner(partnership=world.alpha, position=position, person=person)
    with pytest.raises(ServiceError, match="spending lines before it is signed off"):
        arrangements.sign_off(empty, partners["police"])
    url = reverse("governance:budget-sign-off", args=[budget.pk])
    # Someone who is not a statutory partner is refused (with a message), and nothing is signed.
    signed_in(world.partnership_admin).post(url)
    assert not SignOff.objects.about(budget).exists()
    for person in partners.values():
        client = signed_in(person)
        assert "Sign off for my organisation" in client.get(budget.get_absolute_url()).content.decode()
        assert client.post(url).status_code == 302
    assert SignOff.objects.about(budget).count() == 3
    page = signed_in(world.partnership_admin).get(budget.get_absolute_url()).content.decode()
    assert "Signed off</strong> by the three statutory partners" in page


def test_the_budget_page_runs_a_fixed_number_of_queries(world, signed_in, budget):
    client = signed_in(world.partnership_admin)
    url = budget.get_absolute_url()
    queries_for(client, url)
    before = queries_for(client, url)
    for i in range(10):
        agency = AgencyFactory(partnerships=[world.alpha])
        _agreement(world, agency, YEAR, [str(1000 + i)])
        FundingContribution.objects.create(partnership=world.alpha, agency=agency, business_year=YEAR, cash=Decimal(i))
        BudgetLine.objects.create(budget=budget, title=f"Line {i}", planned=Decimal(i), spent=Decimal(0))
    assert queries_for(client, url) == before


def test_a_statutory_partner_who_is_an_agency_lead_reads_the_whole_budget_they_sign(world, signed_in, budget):
    # Agency A's lead reads their own agency's funding only...
    client = signed_in(world.agency_lead)
    assert client.get(budget.get_absolute_url()).status_code == 404
    page = client.get(reverse("governance:funding") + f"?year={YEAR}")
    assert [row.agency_id for row in page.context["rows"]] == [world.agency_a.pk]
    # ...until they are named to sign for the police: then they read the budget in full, to sign it off.
    arrangements.set_statutory_partner(partnership=world.alpha, position="police", person=world.agency_lead)
    client = signed_in(world.agency_lead)
    response = client.get(budget.get_absolute_url())
    assert response.status_code == 200
    assert response.context["summary"].agreed == Decimal("25000")  # both agencies, not only their own
    assert client.post(reverse("governance:budget-sign-off", args=[budget.pk])).status_code == 302
    assert SignOff.objects.about(budget).get().position == "police"
    # They still cannot change it, and see nothing of Beta's.
    line = budget.lines.first()
    assert client.get(reverse("governance:budget-line-edit", args=[line.pk])).status_code == 403
    beta = Budget.objects.create(partnership=world.beta, business_year=YEAR)
    assert client.get(beta.get_absolute_url()).status_code == 404


def test_once_signed_off_the_planned_amounts_stay_and_spending_is_still_recorded(world, signed_in, budget, partners):  # noqa: F811
    arrangements.set_statutory_partner(partnership=world.alpha, position="police", person=partners["police"])
    arrangements.sign_off(budget, partners["police"])
    client = signed_in(world.partnership_admin)
    line = budget.lines.get(title="Business unit staff")
    edit = reverse("governance:budget-line-edit", args=[line.pk])
    response = client.post(
        edit, {"title": "Renamed", "planned": "99999", "spent": "12000", "note": "", "version_seen": line.version}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.title, line.planned, line.spent) == ("Business unit staff", Decimal("18000"), Decimal("12000"))
    page = client.get(budget.get_absolute_url()).content.decode()
    assert "Add a spending line" not in page
    response = client.post(
        reverse("governance:budget-line-new", args=[budget.pk]), {"title": "Extra", "planned": "1", "spent": "0"}
    )
    assert "no line can be added" in " ".join(response.content.decode().split())
    assert not budget.lines.filter(title="Extra").exists()
