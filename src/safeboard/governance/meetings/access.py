"""Who may read a group's business: the rule every governance queryset applies in ``visible_to``.

On top of the role's grants (``governance/permissions.py``, read by ``ScopedQuerySet``), a record
of board business (a group, its seats, its meetings, their agenda items, papers and attendance) is
seen only when its group may be read:

- an **open** group by everyone whose role reads that kind of record in the partnership;
- a **members-only** group (panels that discuss children are members only by default) only by
  people entitled to it: anyone holding a current seat on it (members, lay members, named deputies,
  advisers and observers), its chair and vice-chair, the people the group names as readers, and
  the business unit of its host partnership (those who manage meetings there:
  ``governance.change_meeting`` across the partnership).

A **confidential** agenda item or paper (one with a ``confidential_reason``; a paper on a
confidential item is confidential too) is seen only by those entitled to the group's confidential
business: people holding a current seat as member or named deputy, the chair and vice-chair, and
the business unit. Lay members, observers, advisers and named readers are not; nor is scrutiny,
which never reads confidential business (``scrutiny_papers`` and ``published_for_scrutiny``).

A group serving several partnerships is read in each of its ``member_partnerships`` under the same
rule; every other action (change, delete, count…) stays with its host partnership, so a member
partnership's administrator cannot change the shared group for everyone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from safeboard.core.permissions import Scope, grants_for
from safeboard.core.querysets import NOTHING, ScopedQuerySet, permission_name
from safeboard.governance.meetings.choices import CONFIDENTIAL_SEATS, GroupAccess

if TYPE_CHECKING:
    from safeboard.core.models import Partnership

# Holding this across a partnership makes someone the partnership's business unit for board business.
BUSINESS_UNIT_PERMISSION = "governance.change_meeting"


def business_unit_partnerships(user: Any) -> list[int]:
    """The partnerships whose business unit the person is part of."""
    return [
        pid for pid, scope in grants_for(user).scopes(BUSINESS_UNIT_PERMISSION).items() if scope == Scope.PARTNERSHIP
    ]


class GroupBusinessQuerySet(ScopedQuerySet):
    """A ``ScopedQuerySet`` for records that belong to a group (``group_path`` leads to it; "" for
    the group itself), with the group's access rule and, for records that can be confidential, the
    confidential rule (``confidential_paths``: fields holding a confidential reason)."""

    partnership_field = "group__partnership"
    group_path: str = "group"
    confidential_paths: tuple[str, ...] = ()

    def _on_group(self, field: str) -> str:
        return f"{self.group_path}__{field}" if self.group_path else field

    def _group_ref(self) -> str:
        return f"{self.group_path}_id" if self.group_path else "pk"

    def visible_to(self, user: Any, action: str = "view", partnership: Partnership | None = None) -> Self:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(self.visibility(user, action, partnership))

    def visibility(self, user: Any, action: str = "view", partnership: Partnership | None = None) -> Q:
        """The whole rule as one condition: the role's reach, then the group's access rule."""
        perm = permission_name(self.model, action)
        grants = grants_for(user)
        if grants.everywhere(perm):
            reach = Q()
        else:
            by_partnership = grants.scopes(perm)
            if partnership is not None:
                by_partnership = {pid: s for pid, s in by_partnership.items() if pid == partnership.pk}
            if not by_partnership:
                return NOTHING
            # Reading reaches the groups a partnership shares in; everything else stays with the host.
            reach = self.reach(user, by_partnership, shared=action == "view")
        return reach & self.access_filter(user)

    def shared_in(self, partnership_ids: list[int]) -> Exists:
        """The record's group serves one of these partnerships as a member partnership."""
        from safeboard.governance.meetings.models import Group

        return Exists(
            Group.member_partnerships.through.objects.filter(
                group_id=OuterRef(self._group_ref()), partnership_id__in=partnership_ids
            )
        )

    def reach(self, user: Any, by_partnership: dict[int, Scope], shared: bool = False) -> Q:
        """``ScopedQuerySet.scope_filter``, with a shared group's member partnerships when ``shared``."""
        query = NOTHING
        for scope in Scope:
            ids = [pid for pid, s in by_partnership.items() if s == scope]
            if not ids:
                continue
            in_partnerships = Q(**{f"{self.partnership_field}__in": ids})
            if shared:
                in_partnerships |= Q(self.shared_in(ids))
            if scope == Scope.PARTNERSHIP:
                query |= in_partnerships
            elif scope == Scope.AGENCY and self.agency_field and user.agency_id:
                query |= in_partnerships & Q(**{f"{self.agency_field}_id": user.agency_id})
            elif scope in (Scope.AGENCY, Scope.OWN) and self.owner_field:
                query |= in_partnerships & Q(**{f"{self.owner_field}_id": user.pk})
        return query

    def scope_filter(self, user: Any, by_partnership: dict[int, Scope]) -> Q:
        return self.reach(user, by_partnership)

    def _seats(self, user: Any) -> models.QuerySet:
        from safeboard.governance.meetings.models import GroupMember

        today = timezone.localdate()
        return GroupMember.objects.filter(group_id=OuterRef(self._group_ref()), person_id=user.pk).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )

    def _core_entitled(self, user: Any) -> Q:
        """The business unit of the host partnership, the chair and the vice-chair."""
        return (
            Q(**{self._on_group("partnership_id__in"): business_unit_partnerships(user)})
            | Q(**{self._on_group("chair_id"): user.pk})
            | Q(**{self._on_group("vice_chair_id"): user.pk})
        )

    def access_filter(self, user: Any) -> Q:
        from safeboard.governance.meetings.models import Group

        named = Group.named_readers.through.objects.filter(group_id=OuterRef(self._group_ref()), user_id=user.pk)
        query = (
            Q(**{self._on_group("access"): GroupAccess.OPEN})
            | self._core_entitled(user)
            | Q(Exists(self._seats(user)))
            | Q(Exists(named))
        )
        if self.confidential_paths:
            not_confidential = Q(**{path: "" for path in self.confidential_paths})
            entitled = self._core_entitled(user) | Q(
                Exists(self._seats(user).filter(member_type__in=list(CONFIDENTIAL_SEATS)))
            )
            query &= not_confidential | entitled
        return query

    def in_partnership(self, partnership: Partnership) -> Self:
        """The partnership's records, and those of the groups it shares in as a member partnership."""
        return self.filter(Q(**{self.partnership_field: partnership}) | Q(self.shared_in([partnership.pk])))

    def hosted_by(self, partnership: Partnership) -> Self:
        """Only the records of groups the partnership hosts (for changes and the host's figures)."""
        return self.filter(**{self.partnership_field: partnership})


# --- Scrutiny ------------------------------------------------------------------------------------------------

SCRUTINY_PERMISSION = "governance.view_published_minutes"


def scrutiny_partnerships(user: Any, partnership: Partnership | None = None) -> list[int]:
    """Partnerships where the person reads published minutes only (scrutiny)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    ids = list(grants_for(user).scopes(SCRUTINY_PERMISSION))
    if partnership is not None:
        ids = [pid for pid in ids if pid == partnership.pk]
    return ids


def published_for_scrutiny(user: Any, prefix: str = "", partnership: Partnership | None = None) -> Q:
    """Meetings (reached through ``prefix``, a path ending in ``__`` or "") whose minutes scrutiny may
    read: published, of an open group, hosted by or shared with a partnership where the person is
    scrutiny. Their confidential items are never shown to scrutiny (``MeetingDetailView``)."""
    from safeboard.governance.meetings.choices import MinutesStatus
    from safeboard.governance.meetings.models import Group

    ids = scrutiny_partnerships(user, partnership)
    if not ids:
        return NOTHING
    shared = Exists(
        Group.member_partnerships.through.objects.filter(group_id=OuterRef(f"{prefix}group_id"), partnership_id__in=ids)
    )
    return Q(**{f"{prefix}minutes_status": MinutesStatus.PUBLISHED, f"{prefix}group__access": GroupAccess.OPEN}) & (
        Q(**{f"{prefix}group__partnership_id__in": ids}) | Q(shared)
    )


def scrutiny_papers(user: Any, partnership: Partnership | None = None) -> Q:
    """Papers scrutiny may read where its partnership allows it (``scrutiny_reads_board_papers``):
    the board's (a group of kind "board"), not confidential, at meetings whose minutes it may read."""
    from safeboard.core.models import Partnership as PartnershipModel
    from safeboard.governance.meetings.choices import GroupKind

    ids = scrutiny_partnerships(user, partnership)
    if not ids:
        return NOTHING
    allowed = list(
        PartnershipModel.objects.filter(pk__in=ids, scrutiny_reads_board_papers=True).values_list("pk", flat=True)
    )
    if not allowed:
        return NOTHING
    return (
        Q(item__meeting__group__kind=GroupKind.BOARD, item__meeting__group__partnership_id__in=allowed)
        & Q(confidential_reason="", item__confidential_reason="")
        & published_for_scrutiny(user, "item__meeting__", partnership)
    )
