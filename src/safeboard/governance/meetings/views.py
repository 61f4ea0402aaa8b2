"""Board business pages: the start page, groups and their members, meetings, papers, attendance, minutes.

Every query starts from ``visible_to``: a record out of sight is a 404, a record in sight that the
person may not change is a 403. Scrutiny reads a meeting only once its minutes are published, and
then only the minutes (``visible_meetings`` and ``MeetingDetailView``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView
from django.views.generic.edit import CreateView

from safeboard.actions.models import Action
from safeboard.core.audit import AccessAction, record_access
from safeboard.core.concurrency import CONFLICT_MESSAGE, EditConflict
from safeboard.core.permissions import Scope, grants_for
from safeboard.core.querysets import user_can
from safeboard.core.views_base import (
    PartnershipView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from safeboard.governance.meetings import services
from safeboard.governance.meetings.filters import GroupFilter, MeetingFilter
from safeboard.governance.meetings.forms import (
    AgendaItemForm,
    ApproveMinutesForm,
    AttendanceForm,
    CancelMeetingForm,
    GroupForm,
    InductionForm,
    ItemActionForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    PaperForm,
    _people,
)
from safeboard.governance.meetings.ical import meeting_calendar
from safeboard.governance.meetings.tables import GroupTable, MeetingTable
from safeboard.governance.models import (
    AbsenceFollowUp,
    AgendaItem,
    Attendance,
    Group,
    GroupMember,
    LayMemberInduction,
    Meeting,
    MeetingStatus,
    MemberType,
    MinutesStatus,
    Paper,
)

OVERSIGHT_LINKS = (
    ("Attendance", "governance:attendance", "governance.count_attendance"),
    ("Business plan", "governance:plan-list", "governance.view_businessplan"),
    ("Challenge log", "governance:challenge-list", "governance.view_challenge"),
    ("Funding", "governance:funding", "governance.view_fundingcontribution"),
    ("Agency accountability", "governance:accountability-list", "governance.view_accountabilitysession"),
)


def visible_meetings(user: Any) -> models.QuerySet:
    """Meetings the person may read in full, and, where they hold ``governance.view_published_minutes``
    (scrutiny), the meetings of those partnerships whose minutes are published."""
    full = Meeting.objects.visible_to(user)
    published_in = list(grants_for(user).scopes("governance.view_published_minutes")) if user.is_authenticated else []
    if not published_in:
        return full
    return full | Meeting.objects.filter(group__partnership__in=published_in, minutes_status=MinutesStatus.PUBLISHED)


def _can_change(model: type[models.Model], user: Any, pk: int) -> bool:
    return model.objects.visible_to(user, "change").filter(pk=pk).exists()  # type: ignore[attr-defined]


def _board_crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Board business", reverse("governance:home")), *extra]


def _safe_next(request: Any, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


# --- Start page ----------------------------------------------------------------------------------------


def group_tree(groups: list[Group]) -> list[tuple[Group, list]]:
    """Groups as a tree by parent (board first, then what reports to it): [(group, children)]."""
    children: dict[int | None, list[Group]] = defaultdict(list)
    ids = {g.pk for g in groups}
    for group in groups:
        children[group.parent_id if group.parent_id in ids else None].append(group)

    def nodes(parent: int | None, seen: frozenset[int]) -> list[tuple[Group, list]]:
        ordered = sorted(children.get(parent, []), key=lambda g: (_KIND_ORDER.get(g.kind, 9), g.name))
        return [(g, nodes(g.pk, seen | {g.pk})) for g in ordered if g.pk not in seen]

    return nodes(None, frozenset())


_KIND_ORDER = {"board": 0, "executive": 1, "subgroup": 2, "panel": 3, "task_and_finish": 4}


class HomeView(PartnershipView, TemplateView):
    template_name = "governance/meetings/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, partnership = self.request.user, self.request.partnership
        if not user_can(user, "governance.view_group", partnership):
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        today = timezone.localdate()
        groups = list(
            Group.objects.visible_to(user).in_partnership(partnership).filter(is_active=True).select_related("chair")
        )
        reads_meetings = user_can(user, "governance.view_meeting", partnership)
        context.update(
            title="Board business",
            groups=group_tree(groups),
            reads_meetings=reads_meetings,
            can_add_group=user_can(user, "governance.add_group", partnership),
            oversight_links=self._oversight_links(),
        )
        if reads_meetings:
            meetings = Meeting.objects.visible_to(user).in_partnership(partnership).select_related("group")
            due_by = timezone.make_aware(
                dt.datetime.combine(today + dt.timedelta(days=partnership.papers_due_days), dt.time.min)
            )
            year = services.business_year(partnership)
            context.update(
                upcoming=list(
                    meetings.filter(starts_at__gte=now)
                    .exclude(status=MeetingStatus.CANCELLED)
                    .order_by("starts_at", "id")[:5]
                ),
                minutes_waiting=list(
                    meetings.filter(
                        ends_at__lt=now - dt.timedelta(days=services.MINUTES_WAITING_DAYS),
                        minutes_status__in=[MinutesStatus.NONE, MinutesStatus.DRAFT],
                    )
                    .exclude(status=MeetingStatus.CANCELLED)
                    .order_by("starts_at", "id")[:10]
                ),
                papers_overdue=list(
                    AgendaItem.objects.visible_to(user)
                    .in_partnership(partnership)
                    .filter(meeting__starts_at__gte=now, meeting__starts_at__lt=due_by)
                    .exclude(meeting__status=MeetingStatus.CANCELLED)
                    .filter(~Exists(Paper.objects.filter(item=OuterRef("pk"))))
                    .select_related("meeting__group", "agency", "presenter")
                    .order_by("meeting__starts_at", "number", "id")[:20]
                ),
                year=year,
                late_papers=services.late_papers_by_agency(
                    Paper.objects.visible_to(user).in_partnership(partnership), partnership, year
                ),
                meetings_url=reverse("governance:meeting-list"),
            )
        context["published"] = list(
            visible_meetings(user)
            .filter(group__partnership=partnership, minutes_status=MinutesStatus.PUBLISHED)
            .select_related("group")
            .order_by("-starts_at", "-id")[:10]
        )
        return context

    def _oversight_links(self) -> list[tuple[str, str]]:
        links = []
        for label, name, perm in OVERSIGHT_LINKS:
            if not user_can(self.request.user, perm, self.request.partnership):
                continue
            try:
                links.append((label, reverse(name)))
            except NoReverseMatch:  # the oversight pages are not installed yet
                continue
        return links


# --- Groups ------------------------------------------------------------------------------------------------


class GroupListView(ScopedListView):
    model = Group
    filterset_class = GroupFilter
    table_class = GroupTable
    ordering = ("name", "id")
    select_related = ("parent", "chair")
    title = "Boards and groups"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if user_can(self.request.user, "governance.add_group", self.request.partnership):
            context.update(add_url=reverse("governance:group-new"), add_label="Add a group")
        context["breadcrumbs"] = _board_crumbs()
        return context


class GroupDetailView(ScopedDetailView):
    model = Group
    template_name = "governance/meetings/group_detail.html"

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("partnership", "parent", "chair", "vice_chair")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, group = self.request.user, self.object
        today = timezone.localdate()
        members = list(
            GroupMember.objects.visible_to(user)
            .filter(group=group)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .select_related("person", "agency", "deputy_for__person")
            .order_by("person__full_name", "id")
        )
        inductions = {i.member_id: i for i in LayMemberInduction.objects.visible_to(user).filter(member__group=group)}
        year = services.business_year(group.partnership)
        reads_meetings = user_can(user, "governance.view_meeting", group.partnership)
        context.update(
            title=group.name,
            members=[(m, inductions.get(m.pk)) for m in members],
            can_see_members=user_can(user, "governance.view_groupmember", group.partnership),
            subgroups=list(Group.objects.visible_to(user).filter(parent=group, is_active=True)),
            meetings=list(
                visible_meetings(user).filter(group=group).select_related("group").order_by("-starts_at", "-id")[:20]
            ),
            can_change=_can_change(Group, user, group.pk),
            can_add_member=user_can(user, "governance.add_groupmember", group.partnership),
            can_add_meeting=user_can(user, "governance.add_meeting", group.partnership),
            can_change_member=user_can(user, "governance.change_groupmember", group.partnership),
            can_see_history=user_can(user, "core.view_history", group.partnership),
            year=year,
            late_papers=services.late_papers_by_agency(
                Paper.objects.visible_to(user).filter(item__meeting__group=group), group.partnership, year
            )
            if reads_meetings
            else None,
            meetings_url=f"{reverse('governance:meeting-list')}?group={group.pk}",
            breadcrumbs=_board_crumbs(("Boards and groups", reverse("governance:group-list"))),
        )
        return context


class GroupCreateView(ScopedCreateView):
    model = Group
    form_class = GroupForm
    template_name = "core/form.html"
    extra_context = {"title": "Add a group"}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "partnership": self.request.partnership}


class GroupUpdateView(ScopedUpdateView):
    model = Group
    form_class = GroupForm
    template_name = "core/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "partnership": self.object.partnership}

    def extra_form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.object.partnership}

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


# --- Creating a record under another (a member of a group, a meeting of a group, an item...) ----------------


class ChildCreateView(PartnershipView, CreateView):
    """Creates a record under a parent: 404 when the parent is out of sight, then 403 without the
    ``add`` permission in the parent's partnership (or, for agency scope, for that parent)."""

    template_name = "core/form.html"
    parent_model: type[models.Model]
    add_perm: str
    title = ""

    def parent_queryset(self) -> models.QuerySet:
        return self.parent_model.objects.visible_to(self.request.user)  # type: ignore[attr-defined]

    def partnership_of(self, parent: Any) -> Any:
        raise NotImplementedError

    def allowed(self, parent: Any) -> bool:
        return user_can(self.request.user, self.add_perm, self.partnership_of(parent))

    def dispatch(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        if request.user.is_authenticated and request.partnership is not None:
            self.parent = get_object_or_404(self.parent_queryset(), pk=kwargs["pk"])
            if not self.allowed(self.parent):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "partnership": self.partnership_of(self.parent)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", self.title)
        kwargs.setdefault("object", self.parent)
        return super().get_context_data(**kwargs)


class MemberCreateView(ChildCreateView):
    model = GroupMember
    form_class = MemberForm
    parent_model = Group
    add_perm = "governance.add_groupmember"

    def partnership_of(self, parent: Group) -> Any:
        return parent.partnership

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "group": self.parent}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Add a member to {self.parent}")
        kwargs.setdefault("lede", "A lay member's seat starts their induction: pack, buddy and six-month meeting.")
        return super().get_context_data(**kwargs)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        self.object = services.save_member(form.save(commit=False))
        messages.success(self.request, f"{self.object.person} has been added to {self.parent}.")
        if self.object.member_type == MemberType.LAY_MEMBER:
            messages.info(self.request, "Their lay member induction has been started. Record each step as it happens.")
        return redirect(self.parent)


class MemberUpdateView(ScopedUpdateView):
    model = GroupMember
    form_class = MemberForm
    template_name = "core/form.html"

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("group__partnership", "person")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), **self.extra_form_kwargs()}

    def extra_form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.object.group.partnership, "group": self.object.group}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Change the seat of {self.object.person} on {self.object.group}")
        return super().get_context_data(**kwargs)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        if response.status_code == 302 and self.object.member_type == MemberType.LAY_MEMBER:
            services.save_member(self.object)
        return response

    def get_success_url(self) -> str:
        return self.object.group.get_absolute_url()


class InductionUpdateView(ScopedUpdateView):
    model = LayMemberInduction
    form_class = InductionForm
    template_name = "core/form.html"

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("member__group__partnership", "member__person")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), **self.extra_form_kwargs()}

    def extra_form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.object.member.group.partnership}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        member = self.object.member
        kwargs.setdefault("title", f"Lay member induction: {member.person}")
        kwargs.setdefault(
            "lede",
            f"Joined {member.group} on {member.starts_on:%d %B %Y}. The induction pack is due within "
            f"{services.INDUCTION_PACK_DAYS} days; the six-month meeting with the chair is due by "
            f"{self.object.six_month_meeting_due:%d %B %Y}.",
        )
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        return self.object.member.group.get_absolute_url()


# --- Meetings ----------------------------------------------------------------------------------------------


class MeetingListView(ScopedListView):
    model = Meeting
    filterset_class = MeetingFilter
    table_class = MeetingTable
    ordering = ("-starts_at", "-id")
    select_related = ("group",)
    title = "Meetings"

    def base_queryset(self) -> models.QuerySet:
        user, partnership = self.request.user, self.request.partnership
        if user_can(user, "governance.view_meeting", partnership):
            return super().base_queryset()
        if user_can(user, "governance.view_published_minutes", partnership):
            return (
                visible_meetings(user)
                .filter(group__partnership=partnership, minutes_status=MinutesStatus.PUBLISHED)
                .select_related("group")
            )
        raise PermissionDenied

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = _board_crumbs()
        return context


class MeetingCreateView(ChildCreateView):
    model = Meeting
    form_class = MeetingForm
    parent_model = Group
    add_perm = "governance.add_meeting"

    def partnership_of(self, parent: Group) -> Any:
        return parent.partnership

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop("partnership")
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Schedule a meeting of {self.parent}")
        return super().get_context_data(**kwargs)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        form.instance.group = self.parent
        self.object = form.save()
        messages.success(
            self.request, f"The meeting on {timezone.localtime(self.object.starts_at):%d %B %Y} has been scheduled."
        )
        if form.is_in_the_past:
            messages.warning(self.request, "This meeting's date is in the past. Check the date if that is a mistake.")
        return redirect(self.object)


class MeetingUpdateView(ScopedUpdateView):
    model = Meeting
    form_class = MeetingForm
    template_name = "core/form.html"

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("group__partnership")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Change the meeting of {self.object.group}")
        return super().get_context_data(**kwargs)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        if response.status_code == 302 and form.is_in_the_past:
            messages.warning(self.request, "This meeting's date is in the past. Check the date if that is a mistake.")
        return response

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class MeetingObjectView(PartnershipView):
    """A page about one meeting the person may read in full (404 otherwise). ``change_required``
    adds a 403 for people who may read it but not manage it."""

    change_required = True

    def dispatch(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        allowed = request.method.lower() in self.http_method_names
        if allowed and request.user.is_authenticated and request.partnership is not None:
            self.meeting = get_object_or_404(
                Meeting.objects.visible_to(request.user).select_related("group__partnership"), pk=kwargs["pk"]
            )
            if self.change_required and not _can_change(Meeting, request.user, self.meeting.pk):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def crumbs(self) -> list[tuple[str, str]]:
        return _board_crumbs(
            (self.meeting.group.name, self.meeting.group.get_absolute_url()),
            (f"{timezone.localtime(self.meeting.starts_at):%d %B %Y}", self.meeting.get_absolute_url()),
        )


class MeetingDetailView(PartnershipView, TemplateView):
    template_name = "governance/meetings/meeting_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        meeting = get_object_or_404(
            visible_meetings(user).select_related("group__partnership", "minutes_approved_at"), pk=self.kwargs["pk"]
        )
        partnership = meeting.group.partnership
        full = Meeting.objects.visible_to(user).filter(pk=meeting.pk).exists()
        can_manage = full and _can_change(Meeting, user, meeting.pk)
        if full:
            items = list(
                AgendaItem.objects.visible_to(user)
                .filter(meeting=meeting)
                .select_related("presenter", "agency")
                .order_by("number")
            )
        else:
            # Scrutiny, for a meeting whose minutes are published: the items carry the minutes.
            items = list(meeting.items.order_by("number"))
        papers: dict[int, list[tuple[Paper, bool]]] = defaultdict(list)
        attendance: list[Attendance] = []
        follow_ups: dict[int, AbsenceFollowUp] = {}
        actions: dict[int, list[Action]] = {}
        if full:
            for paper in (
                Paper.objects.visible_to(user).filter(item__meeting=meeting).select_related("agency").order_by("id")
            ):
                papers[paper.item_id].append((paper, services.paper_is_late(paper, meeting)))
            attendance = list(
                Attendance.objects.visible_to(user)
                .filter(meeting=meeting)
                .select_related("member__person", "member__agency", "deputy")
                .order_by("member__person__full_name", "id")
            )
            follow_ups = {
                f.attendance_id: f for f in AbsenceFollowUp.objects.visible_to(user).filter(attendance__meeting=meeting)
            }
            actions = services.actions_by_item(Action.objects.visible_to(user), items)
        paper_scope = grants_for(user).scope_in("governance.add_paper", partnership.pk)
        can_add_action = can_manage and user_can(user, "actions.add_action", partnership)
        show_minutes = can_manage or meeting.minutes_status == MinutesStatus.PUBLISHED
        context.update(
            meeting=meeting,
            title=f"{meeting.group.name}: {timezone.localtime(meeting.starts_at):%d %B %Y}",
            full=full,
            can_manage=can_manage,
            agenda=[
                (
                    item,
                    papers.get(item.pk, []),
                    actions.get(item.pk, []),
                    paper_scope == Scope.PARTNERSHIP
                    or (paper_scope == Scope.AGENCY and item.agency_id and item.agency_id == user.agency_id),
                )
                for item in items
            ],
            attendance=[(a, follow_ups.get(a.pk)) for a in attendance],
            can_see_follow_ups=user_can(user, "governance.view_absencefollowup", partnership),
            can_add_action=can_add_action,
            show_minutes=show_minutes,
            minutes_editable=can_manage and meeting.minutes_status in (MinutesStatus.NONE, MinutesStatus.DRAFT),
            is_past=meeting.starts_at <= timezone.now(),
            papers_due_on=meeting.papers_due_on,
            breadcrumbs=_board_crumbs((meeting.group.name, meeting.group.get_absolute_url())),
        )
        return context


class MeetingInviteView(MeetingObjectView):
    http_method_names = ["post", "options"]

    def post(self, request, pk: int):  # type: ignore[no-untyped-def]
        try:
            services.send_invitations(self.meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Invitations have been sent to the group's members and named deputies.")
        return redirect(self.meeting)


class MeetingCancelView(MeetingObjectView, FormView):
    """Cancel a meeting that has not been held (confirmation page, then POST)."""

    template_name = "governance/meetings/cancel.html"
    form_class = CancelMeetingForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            meeting=self.meeting,
            title=f"Cancel the meeting on {self.meeting.starts_at:%d %B %Y}",
            breadcrumbs=self.crumbs(),
            **kwargs,
        )

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        try:
            services.cancel_meeting(self.meeting, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, "The meeting has been cancelled.")
        return redirect(self.meeting)


class MeetingCalendarView(MeetingObjectView):
    change_required = False

    def get(self, request, pk: int):  # type: ignore[no-untyped-def]
        response = HttpResponse(
            meeting_calendar(self.meeting, method="PUBLISH"), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="meeting-{self.meeting.pk}.ics"'
        return response


class MeetingCirculateView(MeetingObjectView, TemplateView):
    template_name = "governance/meetings/circulate.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        items = list(
            AgendaItem.objects.visible_to(self.request.user)
            .filter(meeting=self.meeting)
            .annotate(paper_count=models.Count("papers"))
            .order_by("number")
        )
        context.update(
            meeting=self.meeting,
            title="Circulate the papers",
            items=items,
            recipients=len(services.recipient_emails(self.meeting)),
            breadcrumbs=self.crumbs(),
        )
        return context

    def post(self, request, pk: int):  # type: ignore[no-untyped-def]
        try:
            meeting = services.circulate_papers(self.meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"The agenda and papers were sent to the group on {timezone.localtime(meeting.papers_circulated_at):%d %B %Y at %H:%M}.",
            )
        return redirect(self.meeting)


class MeetingPackView(MeetingObjectView):
    change_required = False

    def get(self, request, pk: int):  # type: ignore[no-untyped-def]
        user = request.user
        items = list(
            AgendaItem.objects.visible_to(user)
            .filter(meeting=self.meeting)
            .select_related("presenter", "agency")
            .order_by("number")
        )
        papers = list(
            Paper.objects.visible_to(user)
            .filter(item__meeting=self.meeting)
            .select_related("item", "agency")
            .order_by("item__number", "id")
        )
        pdf = services.agenda_pack_pdf(self.meeting, items, papers, base_url=request.build_absolute_uri("/"))
        record_access(self.meeting, AccessAction.EXPORT, detail="Agenda pack (PDF)")
        response = HttpResponse(pdf, content_type="application/pdf")
        day = timezone.localtime(self.meeting.starts_at).date().isoformat()
        response["Content-Disposition"] = f'attachment; filename="agenda-pack-{day}.pdf"'
        return response


class AttendanceView(MeetingObjectView, FormView):
    template_name = "governance/meetings/attendance.html"
    form_class = AttendanceForm

    def get_form_kwargs(self) -> dict[str, Any]:
        self.seats = services.current_seats(self.meeting)
        current = {
            a.member_id: a for a in Attendance.objects.visible_to(self.request.user).filter(meeting=self.meeting)
        }
        return {
            **super().get_form_kwargs(),
            "seats": self.seats,
            "people": _people(self.meeting.group.partnership),
            "current": current,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.update(meeting=self.meeting, title="Record attendance", breadcrumbs=self.crumbs())
        return super().get_context_data(**kwargs)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        counts = services.record_attendance(self.meeting, form.entries())
        message = "Attendance has been saved."
        if counts["follow_ups"]:
            message += f" {counts['follow_ups']} absence without apologies added to the business unit's follow-ups."
        messages.success(self.request, message)
        if self.meeting.starts_at > timezone.now():
            messages.warning(
                self.request, "This meeting has not happened yet. Check the attendance is for the right meeting."
            )
        return HttpResponseRedirect(f"{self.meeting.get_absolute_url()}#attendance")


class FollowUpDoneView(PartnershipView):
    http_method_names = ["post", "options"]

    def post(self, request, pk: int):  # type: ignore[no-untyped-def]
        follow_up = get_object_or_404(
            AbsenceFollowUp.objects.visible_to(request.user).select_related("attendance__meeting"), pk=pk
        )
        if not _can_change(AbsenceFollowUp, request.user, follow_up.pk):
            raise PermissionDenied
        try:
            services.complete_follow_up(follow_up, note=request.POST.get("note", "").strip())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The follow-up has been marked as done.")
        return redirect(_safe_next(request, follow_up.attendance.meeting.get_absolute_url()))


# --- Agenda items, papers, actions ---------------------------------------------------------------------------


class ItemCreateView(ChildCreateView):
    model = AgendaItem
    form_class = AgendaItemForm
    parent_model = Meeting
    add_perm = "governance.add_agendaitem"

    def parent_queryset(self) -> models.QuerySet:
        return super().parent_queryset().select_related("group__partnership")

    def partnership_of(self, parent: Meeting) -> Any:
        return parent.group.partnership

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "meeting": self.parent}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", "Add an agenda item")
        kwargs.setdefault("lede", str(self.parent))
        return super().get_context_data(**kwargs)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        self.object = form.save()
        messages.success(self.request, f"Item {self.object} has been added to the agenda.")
        return redirect(self.parent)


class ItemUpdateView(ScopedUpdateView):
    model = AgendaItem
    form_class = AgendaItemForm
    template_name = "core/form.html"

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("meeting__group__partnership")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), **self.extra_form_kwargs()}

    def extra_form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.object.meeting.group.partnership, "meeting": self.object.meeting}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Change agenda item {self.object.number}")
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        return self.object.meeting.get_absolute_url()


class PaperCreateView(ChildCreateView):
    """The business unit adds papers to any item; an agency lead to the items of their own agency."""

    model = Paper
    form_class = PaperForm
    parent_model = AgendaItem
    add_perm = "governance.add_paper"

    def parent_queryset(self) -> models.QuerySet:
        return super().parent_queryset().select_related("meeting__group__partnership", "agency")

    def partnership_of(self, parent: AgendaItem) -> Any:
        return parent.meeting.group.partnership

    def scope(self) -> Scope | None:
        return grants_for(self.request.user).scope_in(self.add_perm, self.parent.meeting.group.partnership_id)

    def allowed(self, parent: AgendaItem) -> bool:
        scope = self.scope()
        if scope == Scope.PARTNERSHIP:
            return True
        return scope == Scope.AGENCY and bool(parent.agency_id) and parent.agency_id == self.request.user.agency_id

    def get_form_kwargs(self) -> dict[str, Any]:
        agency_only = self.request.user.agency if self.scope() != Scope.PARTNERSHIP else None
        kwargs = {**super().get_form_kwargs(), "agency_only": agency_only}
        if not self.request.POST:
            kwargs.setdefault("initial", {})["agency"] = self.parent.agency_id
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        meeting = self.parent.meeting
        due = meeting.papers_due_on
        lede = f"For item {self.parent} at {meeting}. Papers are due by {due:%d %B %Y}."
        if timezone.localdate() > due:
            lede += " That date has passed: this paper will be marked as late."
        kwargs.setdefault("title", "Upload a paper")
        kwargs.setdefault("lede", lede)
        kwargs.setdefault("object", meeting)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        paper = services.add_paper(
            item=self.parent,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
            agency=form.cleaned_data.get("agency"),
            uploaded_by=self.request.user,
        )
        self.object = paper
        if services.paper_is_late(paper, self.parent.meeting):
            messages.warning(
                self.request,
                f"‘{paper.title}’ has been uploaded. It is late: papers were due by "
                f"{self.parent.meeting.papers_due_on:%d %B %Y}.",
            )
        else:
            messages.success(self.request, f"‘{paper.title}’ has been uploaded.")
        return HttpResponseRedirect(f"{self.parent.meeting.get_absolute_url()}#item-{self.parent.pk}")


class PaperDownloadView(PartnershipView):
    def get(self, request, pk: int):  # type: ignore[no-untyped-def]
        paper = get_object_or_404(Paper.objects.visible_to(request.user).select_related("item__meeting__group"), pk=pk)
        try:
            handle = paper.file.open("rb")
        except FileNotFoundError:
            raise Http404("The file is missing") from None
        record_access(paper, AccessAction.DOWNLOAD)
        return FileResponse(handle, as_attachment=True, filename=Path(paper.file.name).name)


def _stream(file: Any) -> FileResponse:
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    return FileResponse(handle, as_attachment=True, filename=Path(file.name).name)


class GroupDocumentView(PartnershipView):
    """The group's terms of reference document, for everyone who can see the group."""

    def get(self, request, pk: int):  # type: ignore[no-untyped-def]
        group = get_object_or_404(Group.objects.visible_to(request.user), pk=pk)
        if not group.terms_document:
            raise Http404("No document")
        record_access(group, AccessAction.DOWNLOAD, detail="Terms of reference")
        return _stream(group.terms_document)


class MemberAgreementView(PartnershipView):
    """A member's signed partner agreement: the business unit's record (403 for other readers)."""

    def get(self, request, pk: int):  # type: ignore[no-untyped-def]
        seat = get_object_or_404(GroupMember.objects.visible_to(request.user).select_related("group"), pk=pk)
        if not _can_change(GroupMember, request.user, seat.pk):
            raise PermissionDenied
        if not seat.agreement_document:
            raise Http404("No document")
        record_access(seat, AccessAction.DOWNLOAD, detail="Partner agreement")
        return _stream(seat.agreement_document)


class ItemActionCreateView(PartnershipView, FormView):
    """An action agreed on an agenda item, added to the partnership's action log with the item as source."""

    template_name = "governance/meetings/item_action.html"
    form_class = ItemActionForm

    def dispatch(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        if request.user.is_authenticated and request.partnership is not None:
            self.item = get_object_or_404(
                AgendaItem.objects.visible_to(request.user).select_related("meeting__group__partnership", "agency"),
                pk=kwargs["pk"],
            )
            partnership = self.item.meeting.group.partnership
            if not (
                _can_change(Meeting, request.user, self.item.meeting_id)
                and user_can(request.user, "actions.add_action", partnership)
            ):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = {**super().get_form_kwargs(), "partnership": self.item.meeting.group.partnership}
        if self.item.agency_id:
            kwargs.setdefault("initial", {})["agency"] = self.item.agency_id
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        meeting = self.item.meeting
        kwargs.update(
            title="Add an action from this item",
            item=self.item,
            meeting=meeting,
            actions=list(Action.objects.visible_to(self.request.user).for_source(self.item).order_by("due_date", "id")),
            breadcrumbs=_board_crumbs(
                (meeting.group.name, meeting.group.get_absolute_url()),
                (f"{timezone.localtime(meeting.starts_at):%d %B %Y}", meeting.get_absolute_url()),
            ),
        )
        return super().get_context_data(**kwargs)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        data = form.cleaned_data
        try:
            action = services.add_item_action(
                item=self.item,
                title=data["title"],
                owner=data["owner"],
                agency=data["agency"],
                due_date=data["due_date"],
                by=self.request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, f"Action {action.reference} has been added to the action log.")
        if data["due_date"] < timezone.localdate():
            messages.warning(self.request, "The due date is in the past, so the action is already overdue.")
        if self.request.POST.get("another"):
            return redirect("governance:item-action-new", pk=self.item.pk)
        return HttpResponseRedirect(f"{self.item.meeting.get_absolute_url()}#item-{self.item.pk}")


# --- Minutes ----------------------------------------------------------------------------------------------


class MinutesView(MeetingObjectView, TemplateView):
    template_name = "governance/meetings/minutes.html"

    def items(self) -> list[AgendaItem]:
        return list(AgendaItem.objects.visible_to(self.request.user).filter(meeting=self.meeting).order_by("number"))

    def get(self, request, pk: int):  # type: ignore[no-untyped-def]
        if self.meeting.minutes_status in (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED):
            messages.info(request, "These minutes have been approved, so they can no longer be changed.")
            return redirect(self.meeting)
        form = MinutesForm(meeting=self.meeting, items=self.items())
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, pk: int):  # type: ignore[no-untyped-def]
        items = self.items()
        form = MinutesForm(request.POST, meeting=self.meeting, items=items)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            services.save_minutes(
                self.meeting,
                version_seen=form.cleaned_data.get("version_seen"),
                texts=form.texts(),
                difference=form.cleaned_data["difference_for_children"],
            )
        except EditConflict as conflict:
            saved = conflict.current
            saved_items = {i.pk: i for i in AgendaItem.objects.filter(meeting=saved).order_by("number")}
            data = request.POST.copy()
            data["version_seen"] = str(saved.version)
            form = MinutesForm(data, meeting=saved, items=items)
            form.is_valid()
            form.add_error(None, CONFLICT_MESSAGE)
            conflict_values = []
            for item in items:
                other = saved_items.get(item.pk, item)
                conflict_values.append((f"Item {item.number}: summary of the discussion", other.discussion))
                conflict_values.append((f"Item {item.number}: decisions", other.decisions))
            conflict_values.append(("What difference will this make for children?", saved.difference_for_children))
            return self.render_to_response(
                self.get_context_data(form=form, conflict=saved, conflict_values=conflict_values), status=409
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.meeting)
        messages.success(request, "The minutes have been saved as a draft.")
        return HttpResponseRedirect(f"{self.meeting.get_absolute_url()}#minutes")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.update(meeting=self.meeting, title="Write the minutes", breadcrumbs=self.crumbs())
        return super().get_context_data(**kwargs)


class MinutesApproveView(MeetingObjectView, FormView):
    template_name = "core/form.html"
    form_class = ApproveMinutesForm

    def get(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.meeting.minutes_status != MinutesStatus.DRAFT:
            messages.info(request, "Only draft minutes can be approved.")
            return redirect(self.meeting)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        choices = (
            Meeting.objects.visible_to(self.request.user)
            .filter(group_id=self.meeting.group_id)
            .exclude(pk=self.meeting.pk)
            .exclude(status=MeetingStatus.CANCELLED)
            .order_by("starts_at", "id")
        )
        return {**super().get_form_kwargs(), "meeting": self.meeting, "choices": choices}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.update(
            title="Approve the minutes",
            lede=f"Minutes of {self.meeting}. Choose the later meeting of {self.meeting.group} that approved them.",
            object=self.meeting,
            breadcrumbs=self.crumbs(),
        )
        return super().get_context_data(**kwargs)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        try:
            services.approve_minutes(self.meeting, form.cleaned_data["approved_at"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, "The minutes have been approved. Publish them to let members read them.")
        return HttpResponseRedirect(f"{self.meeting.get_absolute_url()}#minutes")


class MinutesPublishView(MeetingObjectView):
    http_method_names = ["post", "options"]

    def post(self, request, pk: int):  # type: ignore[no-untyped-def]
        try:
            services.publish_minutes(self.meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The minutes have been published. Members have been sent a link.")
        return HttpResponseRedirect(f"{self.meeting.get_absolute_url()}#minutes")
