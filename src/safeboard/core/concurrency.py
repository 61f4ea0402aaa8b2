"""Optimistic locking: two people editing one record cannot silently overwrite each other.

Edit forms carry the ``version`` the person started from. Saving locks the row, compares versions
and refuses if someone else saved in between; the second person keeps what they typed and sees a
clear message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models, transaction

from safeboard.core.models import AuditedModel

if TYPE_CHECKING:  # the mixin goes before a ModelForm: type it as one, leave it a plain class at run time
    _ModelFormBase = forms.BaseModelForm[Any]
else:
    _ModelFormBase = object


class EditConflict(Exception):
    def __init__(self, current: AuditedModel) -> None:
        super().__init__(f"{current} was changed by someone else")
        self.current = current


CONFLICT_MESSAGE = (
    "Someone else saved a change to this record while you were editing it. Your changes have not "
    "been saved. Check the record's history, then save again to replace their version with yours."
)


class VersionedFormMixin(_ModelFormBase):
    """Adds the hidden ``version_seen`` field to a model form of an ``AuditedModel``."""

    instance: AuditedModel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version_seen"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        if self.instance.pk:
            self.initial.setdefault("version_seen", self.instance.version)

    def save_checked(self) -> models.Model:
        """Save unless the record moved on since the form was opened; raise ``EditConflict`` if so."""
        instance = self.instance
        if instance.pk is None:
            saved: models.Model = self.save()
            return saved
        with transaction.atomic():
            current = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
            seen = self.cleaned_data.get("version_seen")
            if seen is None or current.version != seen:
                raise EditConflict(current)
            instance.version = current.version + 1
            saved = self.save()
            return saved


def bump_version(instance: AuditedModel) -> None:
    """For service functions that change a record outside a form: move its version on."""
    instance.version = (instance.version or 0) + 1
