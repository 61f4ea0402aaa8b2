"""Registers: one table, a row per person (a seat, a trainee, a panel member), a radio button per
status, a "mark everyone …" button, and an extra field revealed only for the status that needs it
(who came as deputy). Used for meeting attendance; training registers and panels use it later.

A form builds its ``Register`` from its own bound fields (one choice field per row, optionally one
extra field per row); the page includes ``core/includes/register.html`` with ``register=…``.
Without JavaScript the extra fields are always shown (with a hint saying when to fill them in)
and "mark everyone" is a submit button whose name is ``MARK_ALL``: the view answers it with
``with_everyone_marked`` and shows the form again, nothing saved. With JavaScript
(``safeboard/register.mjs``) the button ticks the radios at once and the extra field of a row
appears when its status is chosen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.http import QueryDict

MARK_ALL = "mark_all"


@dataclass(frozen=True)
class RegisterRow:
    key: str
    label: str
    detail: str
    status: forms.BoundField
    extra: forms.BoundField | None = None

    @property
    def errors(self) -> list[str]:
        found = [str(error) for error in self.status.errors]
        if self.extra is not None:
            found += [str(error) for error in self.extra.errors]
        return found


@dataclass(frozen=True)
class Register:
    caption: str
    choices: tuple[tuple[str, str], ...]
    rows: list[RegisterRow]
    person_header: str = "Name"
    # The status every row is set to by the "mark everyone" button, and the button's words.
    mark_all_value: str = ""
    mark_all_label: str = ""
    # The status that reveals a row's extra field, and the extra column's heading and hint.
    reveal_value: str = ""
    extra_header: str = ""
    extra_hint: str = ""
    id: str = "register"

    @property
    def has_extra(self) -> bool:
        return any(row.extra is not None for row in self.rows)


def with_everyone_marked(data: QueryDict, field_names: Iterable[str], value: str) -> QueryDict:
    """The submitted register with every row not yet marked set to ``value`` (the no-JavaScript
    "mark everyone" button): rows already marked keep their choice."""
    marked = data.copy()
    for name in field_names:
        if not marked.get(name):
            marked[name] = value
    marked.pop(MARK_ALL, None)
    return marked
