"""The "My actions" panel on My work."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from safeboard.actions.models import Action
from safeboard.core.panels import WorkPanel
from safeboard.core.permissions import grants_for

PANEL_SIZE = 10


def my_actions_panel(request: HttpRequest) -> WorkPanel | None:
    """The person's live actions (they own them), across every partnership they can see: one query."""
    user = request.user
    if not user.is_authenticated or not grants_for(user).has_anywhere("actions.view_action"):
        return None
    rows = list(
        Action.objects.visible_to(user)
        .live()
        .filter(owner=user)
        .select_related("partnership", "agency")
        .order_by("due_date", "id")[: PANEL_SIZE + 1]
    )
    shown = rows[:PANEL_SIZE]
    return WorkPanel(
        title="My actions",
        template="actions/panels/my_actions.html",
        context={
            "actions": [(action, action.rag_status()) for action in shown],
            "more": len(rows) > PANEL_SIZE,
            "list_url": reverse("actions:action-list") + f"?owner={user.pk}",
            "several_partnerships": len({a.partnership_id for a in shown}) > 1,
        },
        order=20,
    )
