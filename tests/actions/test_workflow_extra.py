"""The loophole: whoever added evidence cannot review it, even after handing the action to someone else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeboard.actions.models import ActionEvidence
from safeboard.actions.services import create_action, review_evidence
from safeboard.core.services import ServiceError


def test_the_person_who_added_evidence_cannot_review_it_after_reassigning_the_action(world):
    action = create_action(
        partnership=world.alpha,
        title="Check the escalation policy",
        owner=world.partnership_admin,
        agency=world.agency_a,
        due_date=timezone.localdate() + dt.timedelta(days=30),
        created_by=world.partnership_admin,
    )
    evidence = ActionEvidence.objects.create(
        action=action, description="Policy v2", link="https://example.test/p", added_by=world.partnership_admin
    )
    action.owner = world.practitioner_a  # handed on, so the administrator is no longer the owner
    action.save()
    with pytest.raises(ServiceError, match="person who added this evidence"):
        review_evidence(evidence=evidence, reviewer=world.partnership_admin, accept=True)
