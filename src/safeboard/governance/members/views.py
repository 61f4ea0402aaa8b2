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
from django.views.generic import FormView, TemplateView

from safeboard.accounts.models import User
from safeboard.core.audit import record_list_access
from safeboard.core.http import PartnershipRequest
from safeboard.core.interests import Interest, InterestDeclaration
from safeboard.core.permissions import Scope, grants_for
from safeboard.core.querysets import user_can
from safeboard.core.views_base import (
    PartnershipView,
    ScopedChildCreateView,
    ScopedCreateView,
    ScopedObjectView,
    ScopedUpdateView,
    WorkflowStepView,
)
from safeboard.governance.meetings.models import AgendaItem, Meeting
from safeboard.governance.members import services
from safeboard.governance.members.forms import ApologiesForm, DeclarationForm, InterestForm
from safeboard.governance.members.models import ItemDecision


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Board business", reverse("governance:home")), *extra]


def _writes_for_others(user: Any, perm: str, partnership: Any) -> bool:
    return grants_for(user).scope_in(perm, partnership.pk) == Scope.PARTNERSHIP


# --- The register of interests ------------------------------------------------------------------------------


class InterestListView(PartnershipView, TemplateView):
    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
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
            # Marks for the register's template, on the rows of this page only.
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
        "can_send_apologies": meeting.status == "scheduled"
        and meeting.starts_at > timezone.now()
        and user_can(user, "governance.send_apologies", partnership)
        and services.own_seat(meeting, user) is not None,
    }


# --- Members help themselves --------------------------------------------------------------------------------


class MyBoardView(PartnershipView, TemplateView):
    """A member's own board business: the meetings coming up at which they have a seat (with
    apologies), the papers for them they have not opened yet, and draft minutes waiting for approval."""

    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)

    template_name = "governance/members/mine.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from django.core.exceptions import PermissionDenied
        from django.db.models import Exists, OuterRef

        from safeboard.governance.meetings.choices import MeetingStatus, MinutesStatus
        from safeboard.governance.meetings.models import Attendance, GroupMember, Paper
        from safeboard.governance.members.models import PaperRead

        user, partnership = self.request.user, self.request.partnership
        if not user_can(user, "governance.view_meeting", partnership):
            raise PermissionDenied
        now = timezone.now()
        today = timezone.localdate()
        group_ids = list(
            GroupMember.objects.filter(person=user, group__partnership=partnership)
            .filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today))
            .values_list("group_id", flat=True)
        )
        meetings = Meeting.objects.visible_to(user, partnership=partnership).filter(group_id__in=group_ids)
        upcoming = list(
            meetings.filter(starts_at__gte=now, status=MeetingStatus.SCHEDULED)
            .select_related("group")
            .order_by("starts_at", "id")[:10]
        )
        mine = {
            a.meeting_id: a
            for a in Attendance.objects.filter(meeting__in=upcoming, member__person=user).select_related("deputy")
        }
        unread = list(
            Paper.objects.visible_to(user, partnership=partnership)
            .filter(item__meeting__in=upcoming)
            .filter(~Exists(PaperRead.objects.filter(paper=OuterRef("pk"), person=user)))
            .select_related("item__meeting__group")
            .order_by("item__meeting__starts_at", "item__number", "id")
        )
        drafts = list(
            meetings.filter(starts_at__lt=now, minutes_status=MinutesStatus.DRAFT)
            .select_related("group")
            .order_by("-starts_at", "-id")[:10]
        )
        return super().get_context_data(
            title="Your board business",
            upcoming=[(m, mine.get(m.pk)) for m in upcoming],
            unread=unread,
            drafts=drafts,
            breadcrumbs=_crumbs(),
            **kwargs,
        )


class ApologiesView(ScopedObjectView, FormView):
    """A member sends apologies for a meeting and names the deputy who will attend (404 out of sight,
    403 without a seat of their own on the group)."""

    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)

    model = Meeting
    select_related = ("group__partnership",)
    template_name = "governance/members/apologies.html"
    form_class = ApologiesForm

    def check_object(self, obj: Any) -> None:
        from django.core.exceptions import PermissionDenied

        if not user_can(self.request.user, "governance.send_apologies", obj.group.partnership):
            raise PermissionDenied
        self.seat = services.own_seat(obj, self.request.user)
        if self.seat is None:
            raise PermissionDenied("You do not have a seat on this group on the meeting's day.")

    def get_form_kwargs(self) -> dict[str, Any]:
        assert self.seat is not None  # get_object refused the page otherwise
        return {**super().get_form_kwargs(), "deputies": services.named_deputies(self.seat, self.object)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        meeting = self.object
        limit = meeting.group.partnership.deputy_stand_ins_per_year
        kwargs.update(
            title="Send your apologies",
            meeting=meeting,
            limit=limit,
            breadcrumbs=_crumbs(
                (meeting.group.name, meeting.group.get_absolute_url()),
                (f"{timezone.localtime(meeting.starts_at):%d %B %Y}", meeting.get_absolute_url()),
            ),
        )
        return super().get_context_data(**kwargs)

    def form_valid(self, form: Any) -> Any:
        from django.contrib import messages
        from django.http import HttpResponseRedirect

        from safeboard.core.services import ServiceError
        from safeboard.core.views_base import add_refusal

        try:
            attendance = services.send_apologies(
                meeting=self.object,
                person=self.request.user,
                deputy=form.cleaned_data.get("deputy"),
                note=form.cleaned_data.get("note", ""),
            )
        except ServiceError as refusal:
            add_refusal(form, refusal)
            return self.form_invalid(form)
        if attendance.deputy_id:
            messages.success(self.request, f"Your apologies have been sent. {attendance.deputy} will attend for you.")
        else:
            messages.success(self.request, "Your apologies have been sent.")
        return HttpResponseRedirect(reverse("governance:my-board"))


class DraftMinutesView(ScopedObjectView, TemplateView):
    """Draft minutes, for the members and named deputies of the group who are asked to approve them."""

    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)

    model = Meeting
    select_related = ("group__partnership",)
    template_name = "governance/members/draft_minutes.html"

    def check_object(self, obj: Any) -> None:
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        from safeboard.core.querysets import may
        from safeboard.governance.meetings.choices import MinutesStatus

        if obj.minutes_status != MinutesStatus.DRAFT:
            raise Http404("No draft minutes")
        if not (
            may(self.request.user, "change", obj)
            or services.seated_people(obj).filter(person=self.request.user).exists()
        ):
            raise PermissionDenied

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        meeting = self.object
        return super().get_context_data(
            title="Draft minutes",
            meeting=meeting,
            items=list(AgendaItem.objects.visible_to(self.request.user).filter(meeting=meeting).order_by("number")),
            breadcrumbs=_crumbs((meeting.group.name, meeting.group.get_absolute_url())),
            **kwargs,
        )


class ReadReceiptsView(ScopedObjectView, TemplateView):
    """For the business unit: who of the group has opened each paper of a meeting."""

    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)

    model = Meeting
    permission = "change"
    select_related = ("group__partnership",)
    template_name = "governance/members/read_receipts.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from safeboard.governance.meetings.models import Paper
        from safeboard.governance.members.models import PaperRead

        meeting = self.object
        people = sorted(
            {seat.person for seat in services.seated_people(meeting).select_related("person")},
            key=lambda p: (p.full_name, p.pk),
        )
        papers = list(
            Paper.objects.visible_to(self.request.user)
            .filter(item__meeting=meeting)
            .select_related("item")
            .order_by("item__number", "id")
        )
        opened: dict[int, set[int]] = defaultdict(set)
        for paper_id, person_id in PaperRead.objects.filter(paper__in=papers).values_list("paper_id", "person_id"):
            opened[paper_id].add(person_id)
        rows = [
            (
                paper,
                [p for p in people if p.pk in opened[paper.pk]],
                [p for p in people if p.pk not in opened[paper.pk]],
            )
            for paper in papers
        ]
        return super().get_context_data(
            title="Who has opened the papers",
            meeting=meeting,
            rows=rows,
            breadcrumbs=_crumbs(
                (meeting.group.name, meeting.group.get_absolute_url()),
                (f"{timezone.localtime(meeting.starts_at):%d %B %Y}", meeting.get_absolute_url()),
            ),
            **kwargs,
        )
