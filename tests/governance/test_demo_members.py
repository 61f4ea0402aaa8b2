"""The demo shows issue 9's members' business: interests declared (with who decided, leaving out whoever
stood aside) and the arrangements signed off by the three statutory partners, with a draft waiting."""

from __future__ import annotations

from django.test import Client

from safeboard.accounts.demo import build_demo
from safeboard.core.interests import Interest, InterestDeclaration
from safeboard.governance.models import DocumentKind, DocumentVersion, ItemDecision, SignOff
from tests.conftest import sign_in


def test_the_demo_has_interests_declared_and_arrangements_signed_off(db):
    world = build_demo()
    police = world.people["lead.police"]
    assert Interest.objects.filter(partnership=world.partnerships["nm"]).count() >= 4
    declarations = InterestDeclaration.objects.filter(person=police, stands_aside=True)
    assert declarations.exists()
    decision = ItemDecision.objects.filter(stood_aside=police).first()
    assert decision is not None and not decision.decided_by.filter(pk=police.pk).exists()
    assert decision.decided_by.exists()
    published, draft = DocumentVersion.objects.filter(document__kind=DocumentKind.ARRANGEMENTS).order_by("number")
    assert published.published_on and draft.is_draft
    assert SignOff.objects.about(published).count() == 3
    assert SignOff.objects.about(draft).count() == 2
    # The pages show them.
    client = sign_in(Client(), world.people["admin"])
    page = client.get(published.document.get_absolute_url()).content.decode()
    assert "Waiting" in page and "Version 2" in page
    item_page = client.get(decision.item.meeting.get_absolute_url()).content.decode()
    assert "Stood aside:</strong> Detective Inspector Sam Reid" in item_page
