"""Who may change a record that several partnerships share.

An agency (and a person: ``accounts/rules.py``) can sit in several partnerships at once. It belongs
to none of them alone, so the rule is:

- an administrator acts on what belongs to their own partnership: whether the agency sits on it,
  which roles a person holds there;
- the record's identity (an agency's name, type, code and email; a person's name, email, agency and
  phone) and whether it is active at all change only when *every* partnership it sits in is one the
  editor administers, or by the system administrator.

The web pages, the API and the templates all ask these checkers, so the rule lives in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING

from safeboard.core.permissions import Scope, grants_for

if TYPE_CHECKING:
    from safeboard.accounts.models import User
    from safeboard.core.models import Agency, Partnership


def administers(user: User, perm: str, partnership_id: int) -> bool:
    """True when ``user`` holds ``perm`` over every record of the partnership (or everywhere)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return grants_for(user).scope_in(perm, partnership_id) == Scope.PARTNERSHIP


def administers_all(user: User, perm: str, partnership_ids: Iterable[int]) -> bool:
    """True when ``user`` holds ``perm`` over every record of each of the partnerships.

    The system administrator always does. Nobody else does for an empty set: a record that sits in no
    partnership has no administrator but the system administrator.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    grants = grants_for(user)
    if grants.everywhere(perm):
        return True
    ids = set(partnership_ids)
    return bool(ids) and all(grants.scope_in(perm, pid) == Scope.PARTNERSHIP for pid in ids)


class AgencyRules:
    """What ``user`` may do to ``agency``: ``AgencyRules(user, agency).can_change_identity()``."""

    IDENTITY_FIELDS = ("name", "agency_type", "code", "email", "is_active")

    def __init__(self, user: User, agency: Agency) -> None:
        self.user = user
        self.agency = agency

    @cached_property
    def partnership_ids(self) -> frozenset[int]:
        from safeboard.core.models import Agency

        links = Agency.partnerships.through.objects.filter(agency_id=self.agency.pk)
        return frozenset(links.values_list("partnership_id", flat=True))

    def can_change_identity(self) -> bool:
        """Name, type, code, email, and deactivating it for everyone."""
        return administers_all(self.user, "core.change_agency", self.partnership_ids)

    def can_remove_from(self, partnership: Partnership | None) -> bool:
        """End the agency's membership of ``partnership`` (it stays on the others)."""
        if partnership is None or partnership.pk not in self.partnership_ids:
            return False
        return administers(self.user, "core.change_agency", partnership.pk)

    def can_decide_joining(self) -> bool:
        """Approve or decline another partnership's request to add this agency."""
        if not self.user.is_authenticated or not self.user.is_active:
            return False
        grants = grants_for(self.user)
        if grants.everywhere("core.decide_agencyjoinrequest"):
            return True
        return any(administers(self.user, "core.decide_agencyjoinrequest", pid) for pid in self.partnership_ids)

    def who_can_change(self) -> str:
        """A plain sentence for the agency's page when the user cannot change it."""
        return (
            f"{self.agency.name} also sits on partnerships you do not administer. Its name, type, code and "
            "email are shared by all of them, so only the system administrator, or someone who administers "
            "every partnership it sits on, can change them or deactivate it."
        )
