"""The data migration from flat three-year agreements to stepped ones (governance 0007): each agreement
becomes three yearly steps of its old amount; where two of one agency overlapped, the newer stands for
the shared years and the older ends the year before it.

The migration's function runs here against today's tables, through a stand-in for the historical app
registry that hands each agreement its old flat figure (``cash_per_year``, gone from today's model). A
real backwards-and-forwards migration would need a transactional test, whose flush at the end empties
the tables that data migrations fill (bank holidays) for the tests after it in the same process.
"""

from __future__ import annotations

import importlib
from decimal import Decimal
from typing import Any

from safeboard.governance.models import FundingAgreement, FundingStep

MIGRATION = importlib.import_module("safeboard.governance.migrations.0007_funding_steps_and_budget")


class _Agreements:
    """``FundingAgreement`` as the historical registry gives it: rows with their flat ``cash_per_year``."""

    def __init__(self, flat: dict[int, Decimal]) -> None:
        self.flat = flat
        self.objects = self

    def order_by(self, *fields: str) -> list[Any]:
        rows = list(FundingAgreement.objects.order_by(*fields))
        for row in rows:
            row.cash_per_year = self.flat[row.pk]
        return rows


class _Apps:
    def __init__(self, flat: dict[int, Decimal]) -> None:
        self.models = {"FundingAgreement": _Agreements(flat), "FundingStep": FundingStep}

    def get_model(self, app_label: str, name: str) -> Any:
        assert app_label == "governance"
        return self.models[name]


def test_flat_agreements_become_yearly_steps(world) -> None:
    def old(agency, first: int) -> FundingAgreement:  # type: ignore[no-untyped-def]
        # Before the migration an agreement had a first year only; last_year is filled in by it.
        return FundingAgreement.objects.create(
            partnership=world.alpha, agency=agency, first_year=first, last_year=first
        )

    flat = old(world.agency_a, 2024)
    older, newer = old(world.agency_b, 2023), old(world.agency_b, 2025)
    elsewhere = FundingAgreement.objects.create(
        partnership=world.beta, agency=world.agency_b, first_year=2024, last_year=2024
    )
    amounts = {
        flat.pk: Decimal("12000"),
        older.pk: Decimal("5000"),
        newer.pk: Decimal("6000"),
        elsewhere.pk: Decimal("700"),
    }

    MIGRATION.agreements_into_steps(_Apps(amounts), None)

    def steps(agreement: FundingAgreement) -> dict[int, Decimal]:
        return dict(FundingStep.objects.filter(agreement=agreement).values_list("business_year", "cash"))

    for agreement in (flat, older, newer, elsewhere):
        agreement.refresh_from_db()
    assert flat.last_year == 2026
    assert steps(flat) == {2024: Decimal("12000"), 2025: Decimal("12000"), 2026: Decimal("12000")}
    # The older agreement of agency B now ends the year before the newer one starts.
    assert older.last_year == 2024
    assert steps(older) == {2023: Decimal("5000"), 2024: Decimal("5000")}
    assert steps(newer) == {2025: Decimal("6000"), 2026: Decimal("6000"), 2027: Decimal("6000")}
    # Another partnership's agreement of the same agency is its own matter: not shortened.
    assert elsewhere.last_year == 2026 and len(steps(elsewhere)) == 3
    # Run twice, it changes nothing more.
    MIGRATION.agreements_into_steps(_Apps(amounts), None)
    assert FundingStep.objects.count() == 11
