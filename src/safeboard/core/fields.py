"""Free text with a limit the model itself enforces.

A ``TextField``'s ``max_length`` reaches its form field and DRF's model serializers, but Django adds no
validator for it, so ``full_clean()`` (imports, services) let any length through and a 1 MB "detail"
was stored. ``BoundedTextField`` requires a ``max_length`` and validates it on the model too. Every
free-text field is either a ``CharField`` (whose ``max_length`` Django validates) or one of these;
``tests/core/test_text_limits.py`` walks every model and fails on a ``TextField`` without a limit.

Sizes used: ``NOTE`` for a reason or a short note, ``PARAGRAPHS`` for a description or progress
written in a few paragraphs, ``DOCUMENT`` for minutes and terms of reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.validators import MaxLengthValidator
from django.db import models

NOTE = 2_000
PARAGRAPHS = 10_000
DOCUMENT = 50_000


if TYPE_CHECKING:
    _TextField = models.TextField[str, str]
else:
    _TextField = models.TextField


class BoundedTextField(_TextField):
    """A ``TextField`` that refuses text longer than ``max_length`` in the model, the form and the API."""

    def __init__(self, *args: Any, max_length: int, **kwargs: Any) -> None:
        kwargs["max_length"] = max_length
        super().__init__(*args, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))
