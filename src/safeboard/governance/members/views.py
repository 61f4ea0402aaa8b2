"""Members' pages: the register of interests, declarations on an item or a meeting, and (with the
meeting page) who decided each item.

Every query starts from ``visible_to``; a record out of sight is a 404. The register page lists the
entries the person may see in the current partnership: their own, or, for the business unit and the
board (who read one another's registers), everyone's.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from safeboard.accounts.models import User
from safeboard.core.audit import record_list_access
from safeboard.core.interests import Interest, InterestDeclaration
from safeboard.core.permissions import Scope, grants_for
from safeboard.core.querysets import user_can
from safeboard.core.views_base import (
    PartnershipView,
    ScopedChildCreateView,
    ScopedCreateView,
    ScopedUpdateView,
    WorkflowStepView,
)
from safeboard.governance.meetings.models import AgendaItem, Meeting
from safeboard.governance.members import services
from safeboard.governance.members.forms import DeclarationForm, InterestForm
from safeboard.governance.members.models import ItemDecision


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Board business", reverse("governance:home")), *extra]


def _writes_for_others(user: Any, perm: str, partnership: Any) -> bool:
    return grants_for(user).scope_in(perm, partnership.pk) == Scope.PARTNERSHIP


# --- The register of interests ------------------------------------------------------------------------------


class InterestListView(PartnershipView, TemplateView):
    template_name = "governance/members/interest_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from django.core.exceptions import PermissionDenied

        user, partnership = self.request.user, self.request.partnership
        if not user_can(user, "core.view_interest", partnership):
            raise PermissionDenied
        today = timezone.localdate()
        entries = list(
            Interest.objects.visible_to(user, partnership=partnership)
            .filter(partnership=partnership)
            .select_related("person")
            .order_by("person__full_name", "person_id", "-since", "id")
        )
        if entries:
            record_list_access(Interest, [e.pk for e in entries], "Register of interests")
        by_person: dict[Any, list[Interest]] = defaultdict(list)
        for entry in entries:
            entry.current = entry.is_current(today)  # type: ignore[attr-defined]
            entry.review_overdue = entry.current and entry.review_due_on < today  # type: ignore[attr-defined]
            by_person[entry.person].append(entry)
        changeable = {
            pk
            for pk in Interest.objects.visible_to(user, "change", partnership=partnership)
            .filter(pk__in=[e.pk for e in entries])
            .values_list("pk", flat=True)
        }
        return super().get_context_data(
            title="Register of interests",
            registers=list(by_person.items()),
            own_only=all(person.pk == user.pk for person in by_person),
            changeable=changeable,
            can_add=user_can(user, "core.add_interest", partnership),
            breadcrumbs=_crumbs(),
            **kwargs,
        )


class InterestCreateView(ScopedCreateView):
    model = Interest
    form_class = InterestForm
    template_name = "core/form.html"
    extra_context = {
        "title": "Add an interest",
        "lede": "Anything that others might think affects how you take part in the partnership's decisions.",
    }

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "for_others": _writes_for_others(self.request.user, "core.add_interest", self.request.partnership),
        }

    def save_object(self, form: forms.BaseModelForm) -> Interest:
        data = form.cleaned_data
        person = data.get("person") or self.request.user
        return services.add_interest(
            partnership=self.request.partnership,
            person=person,
            kind=data["kind"],
            organisation=data["organisation"],
            description=data["description"],
            since=data["since"],
        )

    def get_success_url(self) -> str:
        return reverse("governance:interest-list")


class InterestUpdateView(ScopedUpdateView):
    model = Interest
    form_class = InterestForm
    template_name = "core/form.html"

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("partnership", "person")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Change an interest of {self.object.person}")
        kwargs.setdefault("lede", "Give the date it ended when it no longer applies; the entry stays in the register.")
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        return reverse("governance:interest-list")


class InterestReviewView(WorkflowStepView):
    """The yearly review: one button on the register page."""

    model = Interest
    permission = "change"
    http_method_names = ["post", "options"]
    success_message = "The interest has been marked as reviewed today."

    def perform(self, form: forms.BaseForm) -> Interest:
        return services.review_interest(self.object)

    def get_success_url(self) -> str:
        return reverse("governance:interest-list")


# --- Declarations -------------------------------------------------------------------------------------------


class DeclareView(ScopedChildCreateView):
    """Declare an interest in an item (or a whole meeting). The business unit records anyone's
    declaration; a member declares their own. Only people seated on the group can declare."""

    form_class = DeclarationForm
    permissions = ("core.add_interestdeclaration",)

    def meeting(self) -> Meeting:
        return self.parent.meeting if isinstance(self.parent, AgendaItem) else self.parent

    def for_others(self) -> bool:
        return _writes_for_others(self.request.user, "core.add_interestdeclaration", self.parent_partnership())

    def get_form_kwargs(self) -> dict[str, Any]:
        seated = User.objects.filter(
            pk__in=services.seated_people(self.meeting()).values("person_id"), is_active=True
        ).order_by("full_name", "id")
        return {**super().get_form_kwargs(), "seated": seated, "for_others": self.for_others()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        what = f"item {self.parent}" if isinstance(self.parent, AgendaItem) else "this meeting"
        kwargs.setdefault("title", "Declare an interest")
        kwargs.setdefault("lede", f"In {what}, {self.meeting()}. Whoever stands aside takes no part in the decision.")
        return super().get_context_data(**kwargs)

    def save_object(self, form: forms.BaseForm) -> InterestDeclaration:
        data = form.cleaned_data
        return services.declare_interest(
            subject=self.parent,
            person=data["person"],
            description=data["description"],
            interest=data.get("interest"),
            stands_aside=data["stands_aside"],
            recorded_by=self.request.user,
        )

    def get_success_message(self) -> str:
        aside = " and stands aside from it" if self.object.stands_aside else ""
        return f"{self.object.person} has declared an interest{aside}."

    def get_success_url(self) -> str:
        meeting = self.meeting()
        anchor = f"#item-{self.parent.pk}" if isinstance(self.parent, AgendaItem) else "#declarations"
        return f"{meeting.get_absolute_url()}{anchor}"


class ItemDeclareView(DeclareView):
    parent_model = AgendaItem
    parent_select_related = ("meeting__group__partnership",)


class MeetingDeclareView(DeclareView):
    parent_model = Meeting
    parent_select_related = ("group__partnership",)


# --- On the meeting page ------------------------------------------------------------------------------------


def meeting_page_extras(user: Any, meeting: Meeting, items: list[AgendaItem]) -> dict[str, Any]:
    """Declarations and who decided, for the meeting page (a fixed number of queries). Sets
    ``declared`` and ``who_decided`` on each item and returns the meeting's own declarations."""
    partnership = meeting.group.partnership
    declared: dict[int, list[InterestDeclaration]] = defaultdict(list)
    for declaration in (
        InterestDeclaration.objects.visible_to(user).about_any(items).select_related("person").order_by("id")
    ):
        declared[declaration.subject_id].append(declaration)
    records = {
        r.item_id: r
        for r in ItemDecision.objects.visible_to(user)
        .filter(item__in=items)
        .prefetch_related(
            models.Prefetch("decided_by", queryset=User.objects.order_by("full_name")),
            models.Prefetch("stood_aside", queryset=User.objects.order_by("full_name")),
        )
    }
    present = services.attendees(meeting) if any(services.is_decision(i) for i in items) else set()
    names = {u.pk: u for u in User.objects.filter(pk__in=present).order_by("full_name")} if present else {}
    for item in items:
        item.declared = declared.get(item.pk, [])  # type: ignore[attr-defined]
        record = records.get(item.pk)
        if record is not None:
            item.who_decided = (list(record.decided_by.all()), list(record.stood_aside.all()), True)  # type: ignore[attr-defined]
        elif services.is_decision(item) and present:
            aside = {d.person_id for d in item.declared if d.stands_aside}  # type: ignore[attr-defined]
            decided = [names[pk] for pk in names if pk not in aside]
            item.who_decided = (decided, [d.person for d in item.declared if d.stands_aside], False)  # type: ignore[attr-defined]
        else:
            item.who_decided = None  # type: ignore[attr-defined]
    return {
        "meeting_declarations": list(
            InterestDeclaration.objects.visible_to(user).about(meeting).select_related("person").order_by("id")
        ),
        "can_declare": user_can(user, "core.add_interestdeclaration", partnership) and meeting.status != "cancelled",
    }
