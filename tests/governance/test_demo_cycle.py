"""The demo shows the annual cycle: the board's series and a forward plan for the year, next
quarter's agendas built from it, a paper waiting for its check, one owed by the police lead, and a
decision by chair's action waiting to be ratified."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from safeboard.accounts.demo import build_demo
from safeboard.governance.models import (
    ForwardPlanItem,
    Group,
    GroupKind,
    ItemDecision,
    MeetingSeries,
    PaperRequest,
    PaperStatus,
)
from tests.conftest import sign_in


def test_the_demo_has_a_forward_plan_for_the_year(db):
    world = build_demo()
    board = Group.objects.get(partnership=world.partnerships["nm"], kind=GroupKind.BOARD)
    assert MeetingSeries.objects.filter(group=board).exists()
    plan = ForwardPlanItem.objects.filter(group=board)
    assert plan.count() == 12 and plan.filter(agenda_item__isnull=False).exists()
    assert plan.filter(agenda_item__isnull=True).count() >= 6
    assert PaperRequest.objects.filter(status=PaperStatus.SUBMITTED).exists()
    assert PaperRequest.objects.filter(status=PaperStatus.REQUESTED, author=world.people["lead.police"]).exists()
    assert ItemDecision.objects.filter(group=board, needs_ratification=True, ratified_at__isnull=True).exists()
    client = sign_in(Client(), world.people["admin"])
    page = client.get(reverse("governance:forward-plan", args=[board.pk])).content.decode()
    assert "Draft annual report" in page and "Build next quarter" in page
    home = client.get("/").content.decode()
    assert "paper to check" in home and "decision to ratify" in home
    police = sign_in(Client(), world.people["lead.police"])
    assert "Papers you owe" in police.get("/").content.decode()
