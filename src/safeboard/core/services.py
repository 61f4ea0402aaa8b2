"""State changes that belong to core, and the one error every module's services raise.

``ServiceError``: a service function locks the rows it changes, checks the current state and either
changes it or raises ``ServiceError`` with a plain-English reason ("This meeting is already
cancelled."). Views turn it into a message (``WorkflowStepView`` and ``ScopedChildCreateView`` in
``core/views_base.py`` do it for you), the API into a 400 answer, and tasks into a line in their log.

The platform's shared records: agencies sit on several partnerships, so adding one to a partnership is
a request that someone who administers it already approves, and taking it off a partnership ends that
membership only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeboard.core.models import Agency, AgencyJoinRequest, JoinRequestStatus, Partnership
from safeboard.core.permissions import Role
from safeboard.core.rules import AgencyRules, administers

if TYPE_CHECKING:
    from safeboard.accounts.models import User


class ServiceError(Exception):
    """A state change that is not allowed now. The message says why, in words a user understands.

    ``field`` names the form field the reason belongs to, when there is one (for example a priority
    number that another priority of the plan already has); otherwise the reason is about the whole
    request and is shown at the top of the page.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class AgencyError(ServiceError):
    """A step on an agency's partnerships that is not allowed now."""


class AlreadyDecided(AgencyError):
    """Someone decided this request first."""


def find_agencies(text: str) -> list[Agency]:
    """Agencies whose name or code is exactly ``text`` (any case). Never a partial match.

    The join page must not list every agency on the platform, so it finds one only when the person
    already knows its exact name or national code.
    """
    text = " ".join(text.split())
    if not text:
        return []
    return list(Agency.objects.filter(Q(name__iexact=text) | Q(code__iexact=text), is_active=True).order_by("name"))


def request_to_join(
    *, agency: Agency, partnership: Partnership, requested_by: User, reason: str = ""
) -> AgencyJoinRequest:
    """Ask for ``agency`` to sit on ``partnership`` too.

    Someone who already administers a partnership the agency sits on (or the system administrator)
    needs no one's approval: the request is recorded as approved at once.
    """
    if not administers(requested_by, "core.add_agencyjoinrequest", partnership.pk):
        raise AgencyError("You may not add agencies to this partnership.")
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        if not agency.is_active:
            raise AgencyError(f"{agency} has been deactivated, so it cannot join a partnership.")
        if agency.partnerships.filter(pk=partnership.pk).exists():
            raise AgencyError(f"{agency} already sits on {partnership}.")
        if AgencyJoinRequest.objects.filter(
            agency=agency, partnership=partnership, status=JoinRequestStatus.PENDING
        ).exists():
            raise AgencyError(
                f"{partnership} has already asked to add {agency}. The request is waiting for a decision."
            )
        request = AgencyJoinRequest.objects.create(
            agency=agency, partnership=partnership, requested_by=requested_by, reason=reason
        )
        if AgencyRules(requested_by, agency).can_decide_joining():
            _approve(request, requested_by, note="")
            return request
    _tell_approvers(request)
    return request


def decide_join_request(
    *, request: AgencyJoinRequest, decided_by: User, approve: bool, note: str = ""
) -> AgencyJoinRequest:
    """Approve (the agency joins the asking partnership) or decline a pending request."""
    with transaction.atomic():
        request = (
            AgencyJoinRequest.objects.select_for_update().select_related("agency", "partnership").get(pk=request.pk)
        )
        if not request.is_pending:
            raise AlreadyDecided(f"This request has already been {request.get_status_display().lower()}.")
        # Lock the agency too: its partnerships decide who may approve.
        Agency.objects.select_for_update().filter(pk=request.agency_id).first()
        if not AgencyRules(decided_by, request.agency).can_decide_joining():
            raise AgencyError("Only an administrator of a partnership this agency sits on can decide this request.")
        if approve:
            if not request.partnership.is_active:
                raise AgencyError(f"{request.partnership} is no longer active, so the agency cannot join it.")
            _approve(request, decided_by, note)
        else:
            request.status = JoinRequestStatus.DECLINED
            _record_decision(request, decided_by, note)
    _tell_requester(request)
    return request


def _approve(request: AgencyJoinRequest, by: User, note: str) -> None:
    request.agency.partnerships.add(request.partnership)
    request.status = JoinRequestStatus.APPROVED
    _record_decision(request, by, note)


def _record_decision(request: AgencyJoinRequest, by: User, note: str) -> None:
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = note
    request.version += 1
    request.save()


def remove_from_partnership(*, agency: Agency, partnership: Partnership, removed_by: User) -> None:
    """End the agency's membership of ``partnership``; it stays on (and active for) every other."""
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        if not AgencyRules(removed_by, agency).can_remove_from(partnership):
            raise AgencyError(f"You may not take {agency} off {partnership}.")
        agency.partnerships.remove(partnership)


# --- Emails -------------------------------------------------------------------------------------------


def _tell_requester(request: AgencyJoinRequest) -> None:
    from safeboard.accounts.emails import send_templated

    person = request.requested_by
    if not person.is_active:
        return
    send_templated(
        to=person.email,
        subject=f"Your request to add {request.agency} has been {request.get_status_display().lower()}",
        template="core/email/join_request_decided.txt",
        context={"request": request, "person": person},
    )


def _tell_approvers(request: AgencyJoinRequest) -> None:
    """Email the people who can decide: administrators of the agency's partnerships, or the system
    administrators when it sits on none."""
    from safeboard.accounts.emails import send_templated
    from safeboard.accounts.models import User

    partnership_ids = list(request.agency.partnerships.values_list("pk", flat=True))
    if partnership_ids:
        approvers = User.objects.filter(
            is_active=True,
            memberships__partnership_id__in=partnership_ids,
            memberships__partnership__is_active=True,
            memberships__role=Role.PARTNERSHIP_ADMINISTRATOR,
            memberships__is_active=True,
        )
    else:
        approvers = User.objects.filter(is_active=True, is_system_administrator=True)
    for email in sorted(set(approvers.values_list("email", flat=True))):
        send_templated(
            to=email,
            subject=f"{request.partnership} asks to add {request.agency}",
            template="core/email/join_request_waiting.txt",
            context={"request": request},
        )
