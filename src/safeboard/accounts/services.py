"""State changes for people, called by views, the API and commands alike."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from safeboard.accounts.models import APIToken, SignedInSession, User


def deactivate(person: User) -> None:
    """Stop a person signing in, end every session they hold and revoke their API tokens."""
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        person.is_active = False
        person.deactivated_at = timezone.now()
        person.version += 1
        person.save()
        for token in APIToken.objects.filter(user=person, revoked_at__isnull=True):
            token.revoked_at = timezone.now()
            token.save()
        _end_sessions(person)


def reactivate(person: User) -> None:
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        person.is_active = True
        person.deactivated_at = None
        person.version += 1
        person.save()


def _end_sessions(person: User) -> None:
    """Delete every session the person holds (the sign-in signal records which ones they are)."""
    keys = SignedInSession.objects.filter(user=person).values_list("session_key", flat=True)
    Session.objects.filter(session_key__in=list(keys)).delete()
    SignedInSession.objects.filter(user=person).delete()
