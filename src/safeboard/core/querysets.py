"""``visible_to``: every domain queryset is narrowed to what the person may see, first.

A model opts in by using ``ScopedQuerySet`` as its manager and naming the fields that place a
record: ``partnership_field`` (required), ``agency_field`` and ``owner_field`` (optional) and
``compartment_field`` for sealed records. Models whose placement is not a plain field (an agency
that belongs to several partnerships, a person whose partnerships come from their roles) override
``scope_filter``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Exists, OuterRef, Q

from safeboard.core.permissions import Scope, grants_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from safeboard.accounts.models import User
    from safeboard.core.models import Partnership

NOTHING = Q(pk__in=[])

_M = TypeVar("_M", bound=models.Model)


def permission_name(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class ScopedQuerySet(models.QuerySet[_M]):
    partnership_field: str = "partnership"
    agency_field: str | None = None
    owner_field: str | None = None
    compartment_field: str | None = None
    # False for records that sit in several partnerships at once (agencies, people): someone may see
    # such a record through their role in another partnership, so lists keep the full rule.
    one_partnership_per_record: bool = True

    def visible_to(
        self, user: User | AnonymousUser | None, action: str = "view", partnership: Partnership | None = None
    ) -> Self:
        """Records ``user`` may ``action`` ("view", "change", "delete"…); everything else is absent.

        Give ``partnership`` when the caller only wants that partnership's records (every list page):
        the rule is then written for that one partnership, so the database can walk the list's index
        instead of gathering all the person's partnerships and sorting them.
        """
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        perm = permission_name(self.model, action)
        grants = grants_for(user)
        if grants.everywhere(perm):
            queryset = self.all()
        else:
            by_partnership = grants.scopes(perm)
            if partnership is not None and self.one_partnership_per_record:
                by_partnership = {pid: s for pid, s in by_partnership.items() if pid == partnership.pk}
            if not by_partnership:
                return self.none()
            queryset = self.filter(self.scope_filter(user, by_partnership))
        if self.compartment_field:
            from safeboard.core.models import Compartment

            queryset = queryset.filter(
                Q(**{f"{self.compartment_field}__isnull": True})
                | Q(
                    Exists(
                        Compartment.members.through.objects.filter(
                            compartment_id=OuterRef(f"{self.compartment_field}_id"), user_id=user.pk
                        )
                    )
                )
            )
        return queryset

    def scope_filter(self, user: User, by_partnership: dict[int, Scope]) -> Q:
        """The condition for records reached by ``by_partnership`` (partnership id -> scope)."""
        query = NOTHING
        for scope in Scope:
            ids = [pid for pid, s in by_partnership.items() if s == scope]
            if not ids:
                continue
            in_partnerships = Q(**{f"{self.partnership_field}__in": ids})
            if scope == Scope.PARTNERSHIP:
                query |= in_partnerships
            elif scope == Scope.AGENCY and self.agency_field and user.agency_id:
                query |= in_partnerships & Q(**{f"{self.agency_field}_id": user.agency_id})
                if self.owner_field:
                    # A wider scope includes the narrower: what they own in another agency too.
                    query |= in_partnerships & Q(**{f"{self.owner_field}_id": user.pk})
            elif scope in (Scope.AGENCY, Scope.OWN) and self.owner_field:
                query |= in_partnerships & Q(**{f"{self.owner_field}_id": user.pk})
        return query

    def in_partnership(self, partnership: Partnership) -> Self:
        return self.filter(**{self.partnership_field: partnership})


def user_can(user: User | AnonymousUser | None, perm: str, partnership: Partnership | None) -> bool:
    """May ``user`` use ``perm`` in ``partnership`` at any scope? (For "add" buttons and views.)"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return grants_for(user).scope_in(perm, partnership.pk if partnership else None) is not None


def scoped[M: models.Model](model: type[M]) -> ScopedQuerySet[M]:
    """All of ``model``'s records, to narrow with ``visible_to`` (for code that works on any model).

    A model reached this way must use a ``ScopedQuerySet`` manager: anything else is a mistake in the
    code, never a reason to show everything.
    """
    queryset = model._default_manager.all()
    if not isinstance(queryset, ScopedQuerySet):
        raise ImproperlyConfigured(f"{model._meta.label} has no ScopedQuerySet manager, so no visible_to.")
    return queryset


def may(user: User | AnonymousUser | None, action: str, obj: models.Model) -> bool:
    """May ``user`` ``action`` ("change", "close"…) this one record? (One EXISTS query.)"""
    return scoped(type(obj)).visible_to(user, action).filter(pk=obj.pk).exists()


def partnership_of(obj: models.Model) -> Partnership | None:
    """The partnership a record belongs to, by its queryset's ``partnership_field`` (for example
    ``meeting__group__partnership``); None for records that sit in several partnerships at once."""
    from safeboard.core.models import Partnership

    if isinstance(obj, Partnership):
        return obj
    queryset = type(obj)._default_manager.all()
    if not getattr(queryset, "one_partnership_per_record", True):
        return None
    value: object = obj
    for part in getattr(queryset, "partnership_field", "partnership").split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value if isinstance(value, Partnership) else None
