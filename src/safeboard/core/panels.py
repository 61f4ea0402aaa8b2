"""Panels that modules add to "My work" (the home page).

A module registers a function ``panel(request) -> WorkPanel | None`` in its ``AppConfig.ready``;
returning None hides the panel (nothing to show, or not allowed). Panels must run a fixed, small
number of queries: the home page is the most visited page there is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class WorkPanel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


PanelFunction = Callable[[HttpRequest], WorkPanel | None]
WORK_PANELS: list[PanelFunction] = []


def register(panel: PanelFunction) -> PanelFunction:
    if panel not in WORK_PANELS:
        WORK_PANELS.append(panel)
    return panel


def panels_for(request: HttpRequest) -> list[WorkPanel]:
    shown = [p for p in (panel(request) for panel in WORK_PANELS) if p is not None]
    return sorted(shown, key=lambda p: p.order)
