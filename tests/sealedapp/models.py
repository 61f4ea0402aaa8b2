from django.conf import settings
from django.db import models

from safeboard.core.models import Agency, AuditedModel, Compartment, Partnership
from safeboard.core.querysets import ScopedQuerySet


class NoteQuerySet(ScopedQuerySet["Note"]):
    agency_field = "agency"
    owner_field = "owner"
    compartment_field = "compartment"


class Note(AuditedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    compartment = models.ForeignKey(Compartment, on_delete=models.PROTECT, null=True, blank=True)
    text = models.CharField(max_length=100)

    objects = NoteQuerySet.as_manager()

    def __str__(self) -> str:
        return self.text

    def source_label(self) -> str:
        """What the action log shows for an action from this note: a reference, never its text
        (which, in a sealed module, may name a child)."""
        return f"Sealed note N-{self.pk:05d}"
