"""One next step per record: where a record is in its life, and the one thing to do next.

A record page shows its stage and one primary button for the step that can succeed now; other
steps that make sense now are secondary links beside it; destructive steps (cancel, delete) go
lower on the page, never beside the primary button; a step that would only end on "not yet" is not
offered at all. A module works out its record's ``NextStep`` in one function (for example
``governance.meetings.steps.meeting_next_step``) and the page includes::

    {% include "core/includes/next_step.html" with next_step=next_step %}
    ...
    {% include "core/includes/destructive_steps.html" with next_step=next_step %}

A step that changes something without a form of its own is a POST button (``method="post"``),
with the CSRF token; one with a form or a confirmation page is a link to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Step:
    label: str
    url: str
    method: Literal["get", "post"] = "get"
    # Words read after the label by screen readers only, to say which record (``for item 3``).
    hidden_context: str = ""


@dataclass(frozen=True)
class NextStep:
    """The stages of a record's life (``stages``), where it is (``current``: an index into them,
    ``len(stages)`` once every stage is done, None when the record was stopped, for example a
    cancelled meeting, with ``status`` saying so), and what the person can do now."""

    stages: tuple[str, ...]
    current: int | None
    primary: Step | None = None
    secondary: tuple[Step, ...] = ()
    destructive: tuple[Step, ...] = ()
    # One sentence about the stage: what has happened, what is waiting, and for whom.
    note: str = ""
    status: str = ""
    heading: str = "What happens next"
    id: str = "next-step"

    @property
    def stage(self) -> str:
        if self.current is None or self.current >= len(self.stages):
            return self.status
        return self.stages[self.current]

    @property
    def stage_rows(self) -> list[tuple[str, str]]:
        """Each stage with "done", "current" or "to do", for the stage list."""
        rows = []
        for index, name in enumerate(self.stages):
            if self.current is None:
                state = "not reached"
            elif index < self.current:
                state = "done"
            elif index == self.current:
                state = "current"
            else:
                state = "to do"
            rows.append((name, state))
        return rows
