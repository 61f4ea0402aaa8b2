"""The data migration from flat three-year agreements to stepped ones: each agreement becomes three
yearly steps of its old amount; where two of one agency overlapped, the newer stands for the shared years."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("governance", "0006_annual_cycle")]
AFTER = [("governance", "0008_funding_agreement_steps_only")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flat_agreements_become_yearly_steps() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    # Only governance went back: the partnership and agencies are made with today's models.
    from safeboard.core.models import Agency, Partnership

    FundingAgreement = old.get_model("governance", "FundingAgreement")
    partnership = Partnership.objects.create(name="Migration SCP", short_name="MSCP", slug="migration-scp")
    police, health = (Agency.objects.create(name=name) for name in ("Migration Police", "Migration Health"))
    flat = FundingAgreement.objects.create(
        partnership_id=partnership.pk, agency_id=police.pk, first_year=2024, cash_per_year=Decimal("12000")
    )
    older = FundingAgreement.objects.create(
        partnership_id=partnership.pk, agency_id=health.pk, first_year=2023, cash_per_year=Decimal("5000")
    )
    newer = FundingAgreement.objects.create(
        partnership_id=partnership.pk, agency_id=health.pk, first_year=2025, cash_per_year=Decimal("6000")
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Agreement = new.get_model("governance", "FundingAgreement")
    Step = new.get_model("governance", "FundingStep")

    def steps(pk: int) -> dict[int, Decimal]:
        return dict(Step.objects.filter(agreement_id=pk).values_list("business_year", "cash"))

    assert Agreement.objects.get(pk=flat.pk).last_year == 2026
    assert steps(flat.pk) == {2024: Decimal("12000"), 2025: Decimal("12000"), 2026: Decimal("12000")}
    # The older health agreement now ends the year before the newer one starts.
    assert Agreement.objects.get(pk=older.pk).last_year == 2024
    assert steps(older.pk) == {2023: Decimal("5000"), 2024: Decimal("5000")}
    assert steps(newer.pk) == {2025: Decimal("6000"), 2026: Decimal("6000"), 2027: Decimal("6000")}

    # And back again, to leave the database as the other tests expect it.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
