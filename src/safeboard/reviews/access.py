"""Who may read a case review: the rule the module's querysets apply in ``visible_to``.

The roles' grants (``reviews/permissions.py``) say how far someone reaches in a partnership:

- **across the partnership** (the review manager): every review;
- **their agency** (an agency's safeguarding lead): the reviews their agency is involved in, and of
  the agencies' summaries only their own agency's;
- **their own** (every other role but scrutiny): the reviews they are entitled to by what they are,
  not by their role: one of the partnership's three statutory partners
  (``governance.StatutoryPartner``), a person holding a current seat on one of its case review
  groups (``governance.Group`` of kind "case review"), or the review's own manager.

Scrutiny reaches nothing: it reads suppressed counts only (``ReviewFiguresView``). A wider reach
includes the narrower ones.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from safeboard.core.permissions import Scope
from safeboard.core.querysets import NOTHING, ScopedQuerySet


def entitled(user: Any, partnership_ref: str) -> Q:
    """The record's partnership (``partnership_ref``, a path to its id) is one where the person is a
    statutory partner or holds a current seat on a case review group."""
    from safeboard.governance.arrangements.models import StatutoryPartner
    from safeboard.governance.meetings.choices import GroupKind
    from safeboard.governance.meetings.models import GroupMember

    today = timezone.localdate()
    partner = StatutoryPartner.objects.filter(partnership_id=OuterRef(partnership_ref), person_id=user.pk)
    seat = GroupMember.objects.filter(
        group__partnership_id=OuterRef(partnership_ref),
        group__kind=GroupKind.CASE_REVIEW,
        person_id=user.pk,
        starts_on__lte=today,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return Q(Exists(partner)) | Q(Exists(seat))


_M = TypeVar("_M", bound=models.Model)


class ReviewScopedQuerySet(ScopedQuerySet[_M]):
    """Records of a review (``review_path`` leads to it; "" for the review itself). An agency's reach
    covers the reviews its agency is involved in, or, when ``agency_field`` is set, only the records
    of the agency itself (its summary)."""

    review_path = ""

    def _at(self, field: str) -> str:
        return f"{self.review_path}__{field}" if self.review_path else field

    def scope_filter(self, user: Any, by_partnership: dict[int, Scope]) -> Q:
        from safeboard.reviews.models import Review

        query = NOTHING
        for scope in Scope:
            ids = [pid for pid, s in by_partnership.items() if s == scope]
            if not ids:
                continue
            inside = Q(**{self._at("partnership_id__in"): ids})
            if scope == Scope.PARTNERSHIP:
                query |= inside
                continue
            own = Q(**{self._at("manager_id"): user.pk}) | entitled(user, self._at("partnership_id"))
            if scope == Scope.AGENCY and user.agency_id:
                involved = Q(
                    Exists(
                        Review.agencies.through.objects.filter(
                            review_id=OuterRef(f"{self.review_path}_id" if self.review_path else "pk"),
                            agency_id=user.agency_id,
                        )
                    )
                )
                if self.agency_field:  # the agency's own record (its summary) on a review it is involved in
                    involved &= Q(**{f"{self.agency_field}_id": user.agency_id})
                own |= involved
            query |= inside & own
        return query


def can_open_register(user: Any, partnership: Any) -> bool:
    """May the person open the review register of ``partnership``? The review manager and agency leads
    may; anyone else only as a statutory partner or a member of a case review group there."""
    from safeboard.core.models import Partnership
    from safeboard.core.permissions import grants_for

    scope = grants_for(user).scope_in("reviews.view_review", partnership.pk)
    if scope is None:
        return False
    if scope >= Scope.AGENCY:
        return True
    return Partnership.objects.filter(pk=partnership.pk).filter(entitled(user, "pk")).exists()
