"""State changes for people, called by views, the API and commands alike."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from safeboard.accounts.models import APIToken, User


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
    """Delete the person's sessions.

    Django's database sessions are not indexed by user, so we scan the live (unexpired) ones; with
    a 30-minute idle timeout that set stays small. Even without this, the authentication middleware
    turns a deactivated person away on their very next request.
    """
    key = str(person.pk)
    doomed = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500)
        if session.get_decoded().get("_auth_user_id") == key
    ]
    Session.objects.filter(session_key__in=doomed).delete()
