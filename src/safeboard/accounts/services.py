"""State changes for people, called by views, the API and commands alike."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from safeboard.accounts.emails import send_templated, site_link
from safeboard.accounts.models import APIToken, Membership, PasswordResetRequest, SignedInSession, User
from safeboard.accounts.rules import PersonRules
from safeboard.core.models import Agency, Partnership

logger = logging.getLogger(__name__)


class PersonError(Exception):
    """A change that is not allowed; the message says why in plain words."""


class LinkError(PersonError):
    """A confirmation link that is broken, used or out of date."""


# --- Activating and deactivating ----------------------------------------------------------------------


def deactivate(person: User, by: User | None = None) -> None:
    """Stop a person signing in, end every session they hold and revoke their API tokens.

    ``by`` is the person doing it (None for commands and tasks): they must be allowed to by the rule
    for shared people (``PersonRules.can_deactivate``), checked on the locked row.
    """
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if by is not None and not PersonRules(by, person).can_deactivate():
            raise PersonError(f"You may not deactivate {person}.")
        person.is_active = False
        person.deactivated_at = timezone.now()
        person.version += 1
        person.save()
        for token in APIToken.objects.filter(user=person, revoked_at__isnull=True):
            token.revoked_at = timezone.now()
            token.save()
        _end_sessions(person)


def reactivate(person: User, by: User | None = None) -> None:
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if by is not None and not PersonRules(by, person).can_deactivate():
            raise PersonError(f"You may not reactivate {person}.")
        person.is_active = True
        person.deactivated_at = None
        person.version += 1
        person.save()


def _end_sessions(person: User) -> None:
    """Delete every session the person holds (the sign-in signal records which ones they are)."""
    keys = SignedInSession.objects.filter(user=person).values_list("session_key", flat=True)
    Session.objects.filter(session_key__in=list(keys)).delete()
    SignedInSession.objects.filter(user=person).delete()


# --- Changing details (the API; the web pages use the same rule through their forms) ---------------------


class StaleVersion(PersonError):
    """The record changed since the caller read it."""


def change_details(*, person: User, by: User, changes: dict[str, Any], version: int) -> User:
    """Change the fields in ``changes`` if ``by`` may change every one of them; refuse a stale version.

    Email addresses never change here: only through the link sent to the new address.
    """
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.version != version:
            raise StaleVersion(f"{person} was changed since you read it. Read it again, then resend your change.")
        rules = PersonRules(by, person)
        allowed = set(rules.editable_fields()) - {"email"}
        refused = sorted(set(changes) - allowed)
        if refused:
            if rules.is_self:
                raise PersonError(f"You can change your own name, job title and phone only, not: {', '.join(refused)}.")
            if not rules.can_change_identity():
                raise PersonError(rules.who_can_change())
            raise PersonError(f"These cannot be changed here: {', '.join(refused)}.")
        if "agency" in changes and changes["agency"] is not None:
            agency: Agency = changes["agency"]
            if not agency_choices(person).filter(pk=agency.pk).exists():
                raise PersonError("Choose an agency that sits on a partnership this person works in.")
        for name, value in changes.items():
            setattr(person, name, value)
        person.version += 1
        person.save()
        return person


def agency_choices(person: User) -> Any:
    """Agencies a person may belong to: active ones on a partnership where they hold a role."""
    partnership_ids = PersonRules(person, person).partnership_ids
    links = Agency.partnerships.through.objects.filter(partnership_id__in=partnership_ids)
    return Agency.objects.filter(is_active=True, pk__in=links.values("agency_id"))


# --- Email address changes, confirmed by a link sent to the new address --------------------------------

EMAIL_CHANGE_SALT = "safeboard.accounts.email-change"


def request_email_change(*, person: User, new_email: str, requested_by: User) -> None:
    """Send a link to ``new_email``; the address changes only when it is followed. Tell the old address.

    The answer is the same whether or not another account already uses the address (that is not the
    requester's business): the other account's owner is told, and nothing changes.
    """
    new_email = User.objects.normalize_email(new_email).strip().lower()
    rules = PersonRules(requested_by, person)
    if not (rules.can_change_identity() or rules.is_self):
        raise PersonError(rules.who_can_change())
    if new_email == person.email:
        return
    by_themself = requested_by.pk == person.pk
    if User.objects.filter(email=new_email).exclude(pk=person.pk).exists():
        send_templated(
            to=new_email,
            subject="Someone tried to use your email address on Safeboard",
            template="accounts/email/email_change_in_use.txt",
            context={"email": new_email},
        )
        logger.info("Email change for person %s asked for an address another account uses", person.pk)
        return
    token = signing.dumps({"person": person.pk, "old": person.email, "new": new_email}, salt=EMAIL_CHANGE_SALT)
    hours = int(settings.SAFEBOARD_EMAIL_CHANGE_TIMEOUT.total_seconds() // 3600)
    context = {"person": person, "new_email": new_email, "requested_by": requested_by, "by_themself": by_themself}
    send_templated(
        to=new_email,
        subject="Confirm your new Safeboard email address",
        template="accounts/email/email_change_confirm.txt",
        context={**context, "link": site_link(reverse("accounts:email-confirm", args=[token])), "hours": hours},
    )
    send_templated(
        to=person.email,
        subject="Your Safeboard email address is about to change",
        template="accounts/email/email_change_requested.txt",
        context=context,
    )


@dataclass(frozen=True)
class EmailChange:
    person: User
    new_email: str


def read_email_change(token: str) -> EmailChange:
    """What a confirmation link asks for, if it is genuine, in date and not yet used."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=settings.SAFEBOARD_EMAIL_CHANGE_TIMEOUT)
    except signing.SignatureExpired:
        raise LinkError("This link has expired. Ask for the change again to get a new link.") from None
    except signing.BadSignature:
        raise LinkError("This link is not valid. Check that you copied all of it from the email.") from None
    person = User.objects.filter(pk=data.get("person")).first()
    if person is None or person.email != data.get("old"):
        raise LinkError("This link has already been used, or the address has changed since it was sent.")
    return EmailChange(person=person, new_email=data["new"])


def confirm_email_change(token: str) -> User:
    """Follow a confirmation link: the person's sign-in address becomes the new one."""
    with transaction.atomic():
        change = read_email_change(token)
        person = User.objects.select_for_update().get(pk=change.person.pk)
        if person.email != change.person.email:
            raise LinkError("This link has already been used, or the address has changed since it was sent.")
        if not person.is_active:
            raise LinkError("This account has been deactivated, so its email address cannot change.")
        if User.objects.filter(email=change.new_email).exclude(pk=person.pk).exists():
            raise LinkError("Another account already uses this address, so it cannot be used for this one.")
        old = person.email
        person.email = change.new_email
        person.version += 1
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            raise LinkError("Another account already uses this address, so it cannot be used for this one.") from None
    send_templated(
        to=old,
        subject="Your Safeboard email address has been changed",
        template="accounts/email/email_change_done.txt",
        context={"person": person, "old_email": old},
    )
    return person


# --- Adding people ---------------------------------------------------------------------------------------


def add_person(
    *,
    partnership: Partnership,
    role: str,
    email: str,
    full_name: str,
    job_title: str,
    agency: Agency | None,
    phone: str,
    added_by: User,
) -> None:
    """Give the person with ``email`` a role in ``partnership``, making their account if they have none.

    Deliberately returns nothing the caller could branch on: the administrator's page must answer
    the same whether or not the address already had an account anywhere on the platform. Someone who
    had one keeps their identity as it is (it is not this partnership's to set) and is told by email
    that they have a new role; someone new gets an email to choose their password.
    """
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        person = User.objects.select_for_update().filter(email=email).first()
        created = False
        if person is None:
            try:
                with transaction.atomic():
                    person = User(email=email, full_name=full_name, job_title=job_title, agency=agency, phone=phone)
                    person.set_unusable_password()
                    person.save()
                    created = True
            except IntegrityError:  # someone else added the same address a moment ago
                person = User.objects.select_for_update().get(email=email)
        membership, made = Membership.objects.get_or_create(
            user=person, partnership=partnership, role=role, defaults={"is_active": True}
        )
        if not made and not membership.is_active:
            membership.is_active = True
            membership.version += 1
            membership.save()
            made = True
    if created:
        send_welcome(person, partnership)
    elif made and person.is_active:
        send_templated(
            to=person.email,
            subject=f"You have a new role in {partnership.name}",
            template="accounts/email/role_given.txt",
            context={"person": person, "partnership": partnership, "membership": membership, "added_by": added_by},
        )


def send_welcome(person: User, partnership: Partnership) -> None:
    """The new person's email with a link to choose their password (Django's reset link)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    path = reverse(
        "accounts:password-reset-confirm",
        args=[urlsafe_base64_encode(force_bytes(person.pk)), default_token_generator.make_token(person)],
    )
    send_templated(
        to=person.email,
        subject="Your Safeboard account",
        template="accounts/email/welcome.txt",
        context={"person": person, "link": site_link(path), "partnership": partnership},
    )


# --- Password reset rate limits --------------------------------------------------------------------------


def note_password_reset_request(email: str, ip_address: str | None) -> bool:
    """Record a request to reset the password of ``email`` from ``ip_address``; False when over the limit.

    Limits are per account and per address, over the last hour (settings
    ``SAFEBOARD_PASSWORD_RESETS_PER_ACCOUNT`` and ``…_PER_ADDRESS``). Every request counts, including
    those for addresses with no account, so an address cannot probe many accounts either. Two requests
    at the same instant may both get through at the limit's edge: a rate limit, not a lock.
    """
    now = timezone.now()
    since = now - timedelta(hours=1)
    key = salted_hmac("safeboard.password-reset", email.strip().lower(), algorithm="sha256").hexdigest()
    PasswordResetRequest.objects.filter(requested_at__lt=since).delete()
    recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
    for_account = recent.filter(account_key=key).count()
    from_address = recent.filter(ip_address=ip_address).count() if ip_address else 0
    PasswordResetRequest.objects.create(account_key=key, ip_address=ip_address, requested_at=now)
    return (
        for_account < settings.SAFEBOARD_PASSWORD_RESETS_PER_ACCOUNT
        and from_address < settings.SAFEBOARD_PASSWORD_RESETS_PER_ADDRESS
    )
