"""Panels that modules add to "My work" (the home page): each person's list of things to do.

A module registers a function ``panel(request) -> WorkPanel | None`` in its ``AppConfig.ready``;
returning None hides the panel (nothing waits for this person, or they may not see it). A panel
says how many things wait (``count``) and how many of them are late (``urgent``): panels with
something late come first, then the rest by ``order``. Panels must run a fixed, small number of
queries whatever the data (a test counts them): the home page is the most visited page there is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from safeboard.core.http import AuthenticatedHttpRequest


@dataclass
class WorkPanel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50
    # How many things wait for the person (None: the panel is not a count, for example a summary).
    count: int | None = None
    # How many of them are overdue or late: panels with any come first.
    urgent: int = 0
    # One line for the summary at the top of My work, for example "3 pieces of evidence to review".
    summary: str = ""
    key: str = ""

    @property
    def anchor(self) -> str:
        return f"work-{self.key}" if self.key else ""


PanelFunction = Callable[[AuthenticatedHttpRequest], WorkPanel | None]  # My work is behind sign-in
WORK_PANELS: list[PanelFunction] = []


def register(panel: PanelFunction) -> PanelFunction:
    if panel not in WORK_PANELS:
        WORK_PANELS.append(panel)
    return panel


def panels_for(request: AuthenticatedHttpRequest) -> list[WorkPanel]:
    """The person's panels, most urgent first: those with late things, then by each panel's order."""
    shown = [p for p in (panel(request) for panel in WORK_PANELS) if p is not None]
    for number, panel in enumerate(shown, start=1):
        panel.key = panel.key or str(number)
    return sorted(shown, key=lambda p: (p.urgent == 0, p.order))


def plural(count: int, one: str, many: str) -> str:
    """``plural(3, "action", "actions")`` is "3 actions"."""
    return f"{count} {one if count == 1 else many}"
