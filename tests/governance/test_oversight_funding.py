"""Funding and annual agency accountability: totals and shares against a hand computation, uploads,
agencies without a session, scopes and query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from safeboard.core.services import ServiceError
from safeboard.governance.models import AccountabilitySession, FundingAgreement, FundingContribution, business_year_of
from safeboard.governance.oversight.services import save_agreement
from tests.factories import AgencyFactory
from tests.governance.test_oversight_attendance import queries_for

YEAR = 2025


@pytest.fixture
def contributions(world):  # type: ignore[no-untyped-def]
    agency_d = AgencyFactory(name="Alpha Schools Forum", partnerships=[world.alpha])
    rows = [
        (world.agency_a, "30000.00", "120.0", "4500.50"),
        (world.agency_b, "12500.00", "0", "0"),
        (agency_d, "0", "40.5", "1500.00"),
    ]
    made = [
        FundingContribution.objects.create(
            partnership=world.alpha,
            agency=agency,
            business_year=YEAR,
            cash=Decimal(cash),
            in_kind_hours=Decimal(hours),
            in_kind_value=Decimal(value),
        )
        for agency, cash, hours, value in rows
    ]
    FundingContribution.objects.create(  # another year
        partnership=world.alpha, agency=world.agency_a, business_year=YEAR - 1, cash=Decimal("99999")
    )
    FundingContribution.objects.create(  # another partnership
        partnership=world.beta, agency=world.agency_c, business_year=YEAR, cash=Decimal("77777")
    )
    return made


def test_funding_totals_and_shares_equal_a_hand_computation(world, signed_in, contributions):
    response = signed_in(world.partnership_admin).get(reverse("governance:funding") + f"?year={YEAR}")
    assert response.status_code == 200
    rows, totals = response.context["rows"], response.context["totals"]

    cash = sum(c.cash for c in contributions)
    in_kind = sum(c.in_kind_value for c in contributions)
    hours = sum(c.in_kind_hours for c in contributions)
    combined = cash + in_kind
    assert (totals["cash"], totals["in_kind_value"], totals["in_kind_hours"], totals["combined"]) == (
        Decimal("42500.00"),
        Decimal("6000.50"),
        Decimal("160.5"),
        Decimal("48500.50"),
    )
    assert (totals["cash"], totals["in_kind_value"], totals["in_kind_hours"], totals["combined"]) == (
        cash,
        in_kind,
        hours,
        combined,
    )
    assert {row.pk for row in rows} == {c.pk for c in contributions}
    for row in rows:
        c = next(c for c in contributions if c.pk == row.pk)
        assert row.combined == c.cash + c.in_kind_value
        assert row.cash_share == pytest.approx(float(c.cash / cash * 100))
        assert row.in_kind_share == pytest.approx(float(c.in_kind_value / in_kind * 100))
        assert row.combined_share == pytest.approx(float((c.cash + c.in_kind_value) / combined * 100))
    assert sum(row.combined_share for row in rows) == pytest.approx(100)
    assert "70.6%" in response.content.decode()  # 30,000 of 42,500 cash


def test_an_agency_lead_sees_their_own_agencys_funding_only(world, signed_in, contributions):
    response = signed_in(world.agency_lead).get(reverse("governance:funding") + f"?year={YEAR}")
    assert [row.agency_id for row in response.context["rows"]] == [world.agency_a.pk]
    assert response.context["totals"]["cash"] == Decimal("30000.00")  # other agencies' money is not counted
    assert b"Alpha Health Trust" not in response.content
    other = contributions[1]
    assert signed_in(world.agency_lead).get(reverse("governance:funding-edit", args=[other.pk])).status_code == 404


def test_a_contribution_is_recorded_once_per_agency_and_year(world, signed_in, contributions):
    client = signed_in(world.partnership_admin)
    data = {"agency": world.agency_a.pk, "business_year": YEAR, "cash": "1", "in_kind_hours": "0", "in_kind_value": "0"}
    response = client.post(reverse("governance:funding-new"), data)
    assert response.status_code == 200 and "already recorded" in response.content.decode()
    response = client.post(reverse("governance:funding-new"), {**data, "business_year": YEAR + 1, "cash": "-5"})
    assert response.status_code == 200 and "0 or more" in response.content.decode()
    response = client.post(reverse("governance:funding-new"), {**data, "business_year": YEAR + 1})
    assert response.status_code == 302 and response["Location"].endswith(f"?year={YEAR + 1}")


def test_a_stepped_agreement_has_an_amount_per_year_and_keeps_its_document(world, signed_in):
    client = signed_in(world.partnership_admin)
    pdf = SimpleUploadedFile("agreement.pdf", b"%PDF-1.4 invented", content_type="application/pdf")
    response = client.post(
        reverse("governance:agreement-new"),
        {
            "agency": world.agency_b.pk,
            "first_year": YEAR,
            "last_year": YEAR + 2,
            "cash_1": "10000",
            "cash_2": "10500",
            "cash_3": "11000",
            "document": pdf,
        },
    )
    assert response.status_code == 302
    agreement = FundingAgreement.objects.get()
    assert {s.business_year: s.cash for s in agreement.steps.all()} == {
        YEAR: Decimal("10000"),
        YEAR + 1: Decimal("10500"),
        YEAR + 2: Decimal("11000"),
    }
    for year, shown in ((YEAR - 1, False), (YEAR, True), (YEAR + 2, True), (YEAR + 3, False)):
        page = client.get(reverse("governance:funding") + f"?year={year}")
        assert (agreement in page.context["agreements"]) is shown, year
    page = client.get(reverse("governance:funding") + f"?year={YEAR + 1}")
    assert page.context["agreement_rows"][0][1].cash == Decimal("10500")
    download = client.get(reverse("governance:agreement-document", args=[agreement.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert (
        signed_in(world.agency_lead).get(reverse("governance:agreement-document", args=[agreement.pk])).status_code
        == 404
    )
    # Changing it: a year shorter, another amount; the dropped year's step goes.
    client = signed_in(world.partnership_admin)
    edit = reverse("governance:agreement-edit", args=[agreement.pk])
    form = client.get(edit).context["form"]
    assert form.initial["cash_2"] == Decimal("10500")
    response = client.post(
        edit,
        {
            "agency": world.agency_b.pk,
            "first_year": YEAR,
            "last_year": YEAR + 1,
            "cash_1": "10000",
            "cash_2": "12000",
            "version_seen": agreement.version,
        },
    )
    assert response.status_code == 302
    assert {s.business_year: s.cash for s in agreement.steps.all()} == {
        YEAR: Decimal("10000"),
        YEAR + 1: Decimal("12000"),
    }


def _agreement(world, first, last, **extra):  # type: ignore[no-untyped-def]
    data = {"agency": world.agency_a.pk, "first_year": first, "last_year": last}
    data.update({f"cash_{n}": "1000" for n in range(1, last - first + 2)})
    data.update(extra)
    return data


def test_the_form_asks_for_an_amount_for_every_year_and_none_beyond(world, signed_in):
    client = signed_in(world.partnership_admin)
    url = reverse("governance:agreement-new")
    page = client.post(url, {**_agreement(world, YEAR, YEAR + 2), "cash_3": ""}).content.decode()
    assert f"Enter the cash agreed for year 3 ({YEAR + 2} to {YEAR + 3})" in page
    page = client.post(url, _agreement(world, YEAR, YEAR + 1, cash_4="50")).content.decode()
    assert "clear the amount for year 4" in page
    page = client.post(url, _agreement(world, YEAR, YEAR - 1)).content.decode()
    assert "must be the same as or after the first" in page
    page = client.post(url, _agreement(world, YEAR, YEAR + 5)).content.decode()
    assert "at most 5 business years" in page
    page = client.post(url, _agreement(world, YEAR, YEAR, cash_1="-1")).content.decode()
    assert "0 or more" in page
    assert not FundingAgreement.objects.exists()


def test_agreements_of_one_agency_never_overlap(world, signed_in):
    client = signed_in(world.partnership_admin)
    url = reverse("governance:agreement-new")
    assert client.post(url, _agreement(world, YEAR, YEAR + 2)).status_code == 302
    # Overlapping in the last year: refused by the form, with what it clashes with.
    page = client.post(url, _agreement(world, YEAR + 2, YEAR + 4)).content.decode()
    assert f"already has an agreement covering {YEAR} to {YEAR + 3}" in page
    # The next years are fine, and so is another agency in the same years, and the same agency elsewhere.
    assert client.post(url, _agreement(world, YEAR + 3, YEAR + 4)).status_code == 302
    assert client.post(url, _agreement(world, YEAR, YEAR + 2, agency=world.agency_b.pk)).status_code == 302
    FundingAgreement.objects.create(partnership=world.beta, agency=world.agency_a, first_year=YEAR, last_year=YEAR)
    assert FundingAgreement.objects.filter(partnership=world.alpha, agency=world.agency_a).count() == 2
    # Changing the later agreement to start a year earlier is refused too.
    later = FundingAgreement.objects.get(partnership=world.alpha, agency=world.agency_a, first_year=YEAR + 3)
    edit = reverse("governance:agreement-edit", args=[later.pk])
    page = client.post(edit, {**_agreement(world, YEAR + 2, YEAR + 4), "version_seen": later.version}).content.decode()
    assert "already has an agreement covering" in page
    # The model refuses it as well (an import or the admin), and the service with the agency locked.
    clash = FundingAgreement(partnership=world.alpha, agency=world.agency_a, first_year=YEAR + 1, last_year=YEAR + 1)
    with pytest.raises(ValidationError, match="already has an agreement"):
        clash.full_clean()
    with pytest.raises(ServiceError, match="already has an agreement"):
        save_agreement(clash, {YEAR + 1: Decimal(5)})
    assert FundingAgreement.objects.filter(partnership=world.alpha).count() == 3


def test_uploads_must_be_documents(world, signed_in):
    client = signed_in(world.partnership_admin)
    bad = SimpleUploadedFile("run-me.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("governance:accountability-new"),
        {"agency": world.agency_a.pk, "held_on": "2025-06-01", "data_presented": "Figures", "document": bad},
    )
    assert response.status_code == 200 and "must be a document or an image" in response.content.decode()
    huge = SimpleUploadedFile("figures.txt", b"x" * (20 * 1024 * 1024 + 1), content_type="text/plain")
    response = client.post(
        reverse("governance:accountability-new"),
        {"agency": world.agency_a.pk, "held_on": "2025-06-01", "data_presented": "Figures", "document": huge},
    )
    assert response.status_code == 200 and "smaller than 20 MB" in response.content.decode()
    assert not AccountabilitySession.objects.exists()


def test_the_accountability_list_names_agencies_without_a_session_this_year(world, signed_in):
    client = signed_in(world.partnership_admin)
    today = timezone.localdate()
    response = client.post(
        reverse("governance:accountability-new"),
        {
            "agency": world.agency_a.pk,
            "held_on": today.isoformat(),
            "presented_by": world.agency_lead.pk,
            "data_presented": "Strategy discussion timeliness by month.",
            "document": SimpleUploadedFile("figures.csv", b"month,count\n", content_type="text/csv"),
        },
    )
    session = AccountabilitySession.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "governance:accountability-detail", args=[session.pk]
    )
    # A session last business year does not count for this one.
    year_start = dt.date(business_year_of(today), 4, 1)
    AccountabilitySession.objects.create(
        partnership=world.alpha, agency=world.agency_b, held_on=year_start - dt.timedelta(days=1), data_presented="Old"
    )
    missing = list(client.get(reverse("governance:accountability-list")).context["agencies_without_session"])
    assert missing == [world.agency_b]
    lead = signed_in(world.agency_lead).get(reverse("governance:accountability-list"))
    assert list(lead.context["agencies_without_session"]) == []  # their own agency has had its session
    assert {s.agency_id for s in lead.context["page"].object_list} == {world.agency_a.pk}
    detail = signed_in(world.agency_lead).get(reverse("governance:accountability-detail", args=[session.pk]))
    assert detail.status_code == 200 and b"Strategy discussion timeliness" in detail.content
    assert (
        signed_in(world.other_admin).get(reverse("governance:accountability-detail", args=[session.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("url_name", "grow"),
    [
        (
            "governance:accountability-list",
            lambda w, i: AccountabilitySession.objects.create(
                partnership=w.alpha,
                agency=AgencyFactory(partnerships=[w.alpha]),
                held_on=dt.date(2025, 5, 1),
                data_presented="d",
                presented_by=w.agency_lead,
            ),
        ),
        (
            "governance:funding",
            lambda w, i: FundingContribution.objects.create(
                partnership=w.alpha, agency=AgencyFactory(partnerships=[w.alpha]), business_year=YEAR, cash=Decimal(i)
            ),
        ),
    ],
)
def test_oversight_lists_run_a_fixed_number_of_queries(url_name, grow, world, signed_in):
    client = signed_in(world.partnership_admin)
    url = reverse(url_name) + f"?year={YEAR}"
    grow(world, 0)
    queries_for(client, url)
    before = queries_for(client, url)
    for i in range(1, 21):
        grow(world, i)
    assert queries_for(client, url) == before
