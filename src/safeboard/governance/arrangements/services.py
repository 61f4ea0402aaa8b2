"""State changes for the partnership's documents, sign-off, seat criteria and induction.

Lock, check, change; a refusal is a ``ServiceError``. Every write checks that what it links (a
person, a group, a record signed off) belongs to the same partnership.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from safeboard.core.concurrency import bump_version
from safeboard.core.models import Partnership
from safeboard.core.querysets import partnership_of
from safeboard.core.services import ServiceError
from safeboard.governance.arrangements.models import (
    INDUCTION_STEPS,
    DocumentVersion,
    InductionStep,
    PartnershipDocument,
    SignOff,
    StatutoryPartner,
    StatutoryPosition,
)
from safeboard.governance.meetings.models import GroupMember
from safeboard.governance.oversight.models import Budget

ALL_POSITIONS = frozenset(StatutoryPosition.values)


def _has_role(person: Any, partnership: Partnership) -> bool:
    return bool(person.memberships.filter(partnership=partnership, is_active=True).exists())


# --- Statutory partners -------------------------------------------------------------------------------------


def set_statutory_partner(*, partnership: Partnership, position: str, person: Any) -> StatutoryPartner:
    """Name the person who signs for ``position``; they must hold a role in the partnership."""
    if position not in ALL_POSITIONS:
        raise ServiceError("Choose the local authority, the police or health.", field="position")
    if not _has_role(person, partnership):
        raise ServiceError(f"{person} has no role in this partnership.", field="person")
    with transaction.atomic():
        Partnership.objects.select_for_update().filter(pk=partnership.pk).exists()
        partner = StatutoryPartner.objects.filter(partnership=partnership, position=position).first()
        if partner is None:
            return StatutoryPartner.objects.create(
                partnership=partnership, position=position, person=person, named_on=timezone.localdate()
            )
        if partner.person_id != person.pk:
            partner.person = person
            partner.named_on = timezone.localdate()
            bump_version(partner)
            partner.save()
    return partner


# --- Documents and versions ---------------------------------------------------------------------------------


def add_version(*, document: PartnershipDocument, text: str, changes: str, review_by: dt.date) -> DocumentVersion:
    """A new draft version. One draft at a time; it must be reviewed by a date in the future."""
    if review_by <= timezone.localdate():
        raise ServiceError("The review date must be in the future.", field="review_by")
    with transaction.atomic():
        locked = PartnershipDocument.objects.select_for_update().get(pk=document.pk)
        if locked.versions.filter(published_on__isnull=True).exists():
            raise ServiceError("There is already a draft version: publish it before starting another.")
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        if number > 1 and not changes.strip():
            raise ServiceError("Say what changed from the last version.", field="changes")
        return DocumentVersion.objects.create(
            document=locked, number=number, text=text, changes=changes, review_by=review_by
        )


def current_version(document: PartnershipDocument) -> DocumentVersion | None:
    return document.versions.filter(published_on__isnull=False).order_by("-number").first()


def publish_version(version: DocumentVersion) -> DocumentVersion:
    """Publish a draft. The arrangements need the three statutory partners' sign-off first."""
    with transaction.atomic():
        locked = DocumentVersion.objects.select_for_update(of=("self",)).select_related("document").get(pk=version.pk)
        if not locked.is_draft:
            raise ServiceError("This version has already been published.")
        if locked.document.needs_sign_off:
            missing = ALL_POSITIONS - signed_positions(locked)
            if missing:
                names = ", ".join(sorted(StatutoryPosition(p).label.split(" (")[0].lower() for p in missing))
                raise ServiceError(f"The statutory partners have not all signed it off yet (waiting for: {names}).")
        locked.published_on = timezone.localdate()
        bump_version(locked)
        locked.save()
    return locked


def changes_between(older: DocumentVersion | None, newer: DocumentVersion) -> list[tuple[str, str]]:
    """The lines added (``+``) and removed (``-``) from ``older`` to ``newer``, in order."""
    before = older.text.splitlines() if older else []
    lines = []
    for line in difflib.ndiff(before, newer.text.splitlines()):
        if line[:2] in ("+ ", "- ") and line[2:].strip():
            lines.append((line[0], line[2:]))
    return lines


# --- Sign-off -----------------------------------------------------------------------------------------------


def signed_positions(subject: models.Model) -> set[str]:
    return set(SignOff.objects.about(subject).values_list("position", flat=True))


def sign_off(subject: models.Model, person: Any) -> SignOff:
    """``person`` signs ``subject`` off for the statutory partner they stand for in its partnership.

    ``subject`` is a draft version of a document that needs sign-off, a business plan, a year's budget
    (once it has spending lines) or a chair's annual review (later the annual report)."""
    partnership = partnership_of(subject)
    if partnership is None:
        raise ServiceError("This record cannot be signed off.")
    partner = StatutoryPartner.objects.filter(partnership=partnership, person=person).first()
    if partner is None:
        raise ServiceError("Only the statutory partners (local authority, police and health) sign this off.")
    with transaction.atomic():
        locked = type(subject)._default_manager.select_for_update(of=("self",)).get(pk=subject.pk)
        if isinstance(locked, DocumentVersion):
            if not locked.document.needs_sign_off:
                raise ServiceError("This document does not need the statutory partners' sign-off.")
            if not locked.is_draft:
                raise ServiceError("This version has already been published.")
        if isinstance(locked, Budget) and not locked.lines.exists():
            raise ServiceError("Add the budget's spending lines before it is signed off.")
        if SignOff.objects.about(locked).filter(position=partner.position).exists():
            raise ServiceError(f"This has already been signed off for {partner.get_position_display().lower()}.")
        return SignOff.objects.create(
            partnership=partnership,
            subject_type=ContentType.objects.get_for_model(locked),
            subject_id=locked.pk,
            position=partner.position,
            person=person,
            signed_at=timezone.now(),
        )


# --- Induction for every member -----------------------------------------------------------------------------


def start_induction(member: GroupMember) -> list[InductionStep]:
    """The induction steps of a new seat, due so many days after it starts (once: never duplicated)."""
    created = []
    for kind, days in INDUCTION_STEPS:
        step, made = InductionStep.objects.get_or_create(
            member=member, kind=kind, defaults={"due_on": member.starts_on + dt.timedelta(days=days)}
        )
        if made:
            created.append(step)
    return created


def complete_step(step: InductionStep, done_on: dt.date | None = None) -> InductionStep:
    done_on = done_on or timezone.localdate()
    with transaction.atomic():
        locked = InductionStep.objects.select_for_update(of=("self",)).select_related("member").get(pk=step.pk)
        if locked.done_on is not None:
            raise ServiceError("This step was already marked as done.")
        if done_on > timezone.localdate() or done_on < locked.member.starts_on:
            raise ServiceError("The date must be between the day the seat started and today.")
        locked.done_on = done_on
        bump_version(locked)
        locked.save()
    return locked
