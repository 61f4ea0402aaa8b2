"""Board business pages: the start page, groups and their members, meetings, papers, attendance, minutes.

Built from the generic views in ``core/views_base.py``: every query starts from ``visible_to``; a
record out of sight is a 404, a record in sight that the person may not change is a 403. Records
created under another (a seat on a group, an item on an agenda) use ``ScopedChildCreateView``;
workflow steps (invite, circulate, cancel, approve, publish) use ``WorkflowStepView``, and their
services' refusals come back as messages. Scrutiny reads a meeting only once its minutes are
published, and then only the minutes (``visible_meetings`` and ``MeetingDetailView``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from safeboard.actions.models import Action
from safeboard.core.audit import AccessAction, record_access
from safeboard.core.concurrency import CONFLICT_MESSAGE, EditConflict
from safeboard.core.http import PartnershipRequest
from safeboard.core.permissions import Scope, grants_for
from safeboard.core.querysets import may, user_can
from safeboard.core.registers import MARK_ALL, with_everyone_marked
from safeboard.core.services import ServiceError
from safeboard.core.text import day_text, day_time_text
from safeboard.core.views_base import (
    FileDownloadView,
    PartnershipView,
    ScopedChildCreateView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectView,
    ScopedUpdateView,
    WorkflowStepView,
    add_refusal,
    safe_next_url,
)
from safeboard.governance.meetings import services
from safeboard.governance.meetings.access import published_for_scrutiny
from safeboard.governance.meetings.choices import MeetingStatus, MemberType, MinutesStatus
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
from safeboard.governance.meetings.models import (
    AbsenceFollowUp,
    AgendaItem,
    Attendance,
    Group,
    GroupMember,
    LayMemberInduction,
    Meeting,
    Paper,
)
from safeboard.governance.meetings.steps import meeting_next_step
from safeboard.governance.meetings.tables import GroupTable, MeetingTable

OVERSIGHT_LINKS = (
    ("Your board business", "governance:my-board", "governance.view_meeting"),
    ("Register of interests", "governance:interest-list", "core.view_interest"),
    ("Arrangements and terms of reference", "governance:document-list", "governance.view_partnershipdocument"),
    ("Attendance", "governance:attendance", "governance.count_attendance"),
    ("Business plan", "governance:plan-list", "governance.view_businessplan"),
    ("Challenge log", "governance:challenge-list", "governance.view_challenge"),
    ("Funding", "governance:funding", "governance.view_fundingcontribution"),
    ("Budgets", "governance:budget-list", "governance.view_budget"),
    ("Board self-assessment", "governance:selfassessment-list", "governance.view_selfassessment"),
    ("Chair's annual review", "governance:chairreview-list", "governance.view_chairreview"),
    ("Agency accountability", "governance:accountability-list", "governance.view_accountabilitysession"),
)


def visible_meetings(user: Any) -> models.QuerySet:
    """Meetings the person may read in full, and, where they hold ``governance.view_published_minutes``
    (scrutiny), the meetings of open groups whose minutes are published (``access.published_for_scrutiny``)."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    return Meeting.objects.filter(Meeting.objects.visibility(user) | published_for_scrutiny(user))


def _board_crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Board business", reverse("governance:home")), *extra]


def _meeting_crumbs(meeting: Meeting) -> list[tuple[str, str]]:
    return _board_crumbs(
        (meeting.group.name, meeting.group.get_absolute_url()),
        (f"{day_text(timezone.localtime(meeting.starts_at))}", meeting.get_absolute_url()),
    )


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
    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
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
        user, partnership = self.request.user, self.request.partnership
        return [(label, reverse(name)) for label, name, perm in OVERSIGHT_LINKS if user_can(user, perm, partnership)]


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
        from safeboard.governance.arrangements.models import InductionStep

        members = list(
            GroupMember.objects.visible_to(user)
            .filter(group=group)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .annotate(has_induction_steps=Exists(InductionStep.objects.filter(member=OuterRef("pk"))))
            .select_related("person", "agency", "deputy_for__person", "criteria")
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
            can_change=may(user, "change", group),
            shared_with=list(group.member_partnerships.order_by("name")),
            can_add_member=user_can(user, "governance.add_groupmember", group.partnership),
            can_add_meeting=user_can(user, "governance.add_meeting", group.partnership),
            can_change_member=user_can(user, "governance.change_groupmember", group.partnership),
            can_see_history=user_can(user, "core.view_history", group.partnership),
            reads_forward_plan=user_can(user, "governance.view_forwardplanitem", self.request.partnership),
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


class GroupUpdateView(ScopedUpdateView):
    model = Group
    form_class = GroupForm
    template_name = "core/form.html"

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class GroupDocumentView(FileDownloadView):
    """The group's terms of reference document, for everyone who can see the group."""

    model = Group
    file_field = "terms_document"
    detail = "Terms of reference"


# --- Seats on a group and lay member induction --------------------------------------------------------------


class MemberCreateView(ScopedChildCreateView):
    model = GroupMember
    form_class = MemberForm
    parent_model = Group
    parent_field = "group"
    parent_select_related = ("partnership",)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Add a member to {self.parent}")
        kwargs.setdefault("lede", "A lay member's seat starts their induction: pack, buddy and six-month meeting.")
        return super().get_context_data(**kwargs)

    def save_object(self, form: forms.BaseForm) -> GroupMember:
        assert isinstance(form, MemberForm)  # form_class
        return services.save_member(form.save(commit=False))

    def get_success_message(self) -> str:
        return f"{self.object.person} has been added to {self.parent}."

    def saved(self, form: forms.BaseForm) -> None:
        if self.object.member_type == MemberType.LAY_MEMBER:
            messages.info(self.request, "Their lay member induction has been started. Record each step as it happens.")


class MemberUpdateView(ScopedUpdateView):
    model = GroupMember
    form_class = MemberForm
    template_name = "core/form.html"

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("group__partnership", "person")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Change the seat of {self.object.person} on {self.object.group}")
        return super().get_context_data(**kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if response.status_code == 302 and self.object.member_type == MemberType.LAY_MEMBER:
            services.save_member(self.object)
        return response

    def get_success_url(self) -> str:
        return self.object.group.get_absolute_url()


class MemberAgreementView(FileDownloadView):
    """A member's signed partner agreement: the business unit's record (403 for other readers)."""

    model = GroupMember
    permission = "change"
    file_field = "agreement_document"
    detail = "Partner agreement"
    select_related = ("group__partnership", "person")


class InductionUpdateView(ScopedUpdateView):
    model = LayMemberInduction
    form_class = InductionForm
    template_name = "core/form.html"

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("member__group__partnership", "member__person")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        member = self.object.member
        kwargs.setdefault("title", f"Lay member induction: {member.person}")
        kwargs.setdefault(
            "lede",
            f"Joined {member.group} on {day_text(member.starts_on)}. The induction pack is due within "
            f"{services.INDUCTION_PACK_DAYS} days; the six-month meeting with the chair is due by "
            f"{day_text(self.object.six_month_meeting_due)}.",
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
            return Meeting.objects.filter(published_for_scrutiny(user, partnership=partnership)).select_related("group")
        raise PermissionDenied

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = _board_crumbs()
        return context


def _warn_if_in_the_past(request: HttpRequest, form: forms.BaseForm) -> None:
    if getattr(form, "is_in_the_past", False):
        messages.warning(request, "This meeting's date is in the past. Check the date if that is a mistake.")


class MeetingCreateView(ScopedChildCreateView):
    model = Meeting
    form_class = MeetingForm
    parent_model = Group
    parent_field = "group"
    parent_select_related = ("partnership",)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Schedule a meeting of {self.parent}")
        return super().get_context_data(**kwargs)

    def get_success_message(self) -> str:
        return f"The meeting on {day_text(timezone.localtime(self.object.starts_at))} has been scheduled."

    def saved(self, form: forms.BaseForm) -> None:
        _warn_if_in_the_past(self.request, form)

    def get_success_url(self) -> str:
        return str(self.object.get_absolute_url())


class MeetingUpdateView(ScopedUpdateView):
    model = Meeting
    form_class = MeetingForm
    template_name = "core/form.html"

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("group__partnership")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Change the meeting of {self.object.group}")
        return super().get_context_data(**kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if response.status_code == 302:
            _warn_if_in_the_past(self.request, form)
        return response

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class MeetingObjectView(ScopedObjectView):
    """A page about one meeting the person may read in full (404 otherwise); managing it (the
    default ``permission``, "change") is a 403 for people who may only read it."""

    model = Meeting
    permission = "change"
    select_related = ("group__partnership",)

    @property
    def meeting(self) -> Meeting:
        meeting: Meeting = self.object
        return meeting

    def crumbs(self) -> list[tuple[str, str]]:
        return _meeting_crumbs(self.meeting)


class MeetingStepView(MeetingObjectView, WorkflowStepView):
    """A step of a meeting's workflow, back on the meeting's page (at ``anchor``) once done."""

    anchor = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("meeting", self.meeting)
        kwargs.setdefault("breadcrumbs", self.crumbs())
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}{self.anchor}"


class MeetingDetailView(PartnershipView, TemplateView):
    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
    template_name = "governance/meetings/meeting_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        meeting = get_object_or_404(
            visible_meetings(user).select_related("group__partnership", "minutes_approved_at", "minutes_signed_off_by"),
            pk=self.kwargs["pk"],
        )
        partnership = meeting.group.partnership
        full = Meeting.objects.visible_to(user).filter(pk=meeting.pk).exists()
        can_manage = full and may(user, "change", meeting)
        if full:
            items = list(
                AgendaItem.objects.visible_to(user)
                .filter(meeting=meeting)
                .select_related("presenter", "agency")
                .order_by("number")
            )
        else:
            # Scrutiny, for a meeting whose minutes are published: the items carry the minutes. Never
            # the confidential ones, whatever else the person may read.
            items = list(meeting.items.filter(confidential_reason="").order_by("number"))
        papers: dict[int, list[tuple[Paper, bool]]] = defaultdict(list)
        attendance: list[Attendance] = []
        follow_ups: dict[int, AbsenceFollowUp] = {}
        actions: dict[int, list[Action]] = {}
        # Scrutiny reads the board's non-confidential papers where the partnership allows it.
        for paper in (
            Paper.objects.visible_to(user).filter(item__meeting=meeting).select_related("agency").order_by("id")
        ):
            papers[paper.item_id].append((paper, services.paper_is_late(paper, meeting)))
        if full:
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
            # Declarations of interest and who decided each item (governance/members).
            from safeboard.governance.members.views import meeting_page_extras

            context.update(meeting_page_extras(user, meeting, items))
            # The annual cycle: papers asked for, decisions to ratify, late and supplementary packs.
            from safeboard.governance.cycle.views import meeting_cycle_extras

            context.update(meeting_cycle_extras(user, meeting, items, can_manage))
        paper_scope = grants_for(user).scope_in("governance.add_paper", partnership.pk)
        can_add_action = can_manage and user_can(user, "actions.add_action", partnership)
        # The group's chair reads the minutes once approved, to sign them off.
        show_minutes = (
            can_manage
            or meeting.minutes_status == MinutesStatus.PUBLISHED
            or (full and meeting.group.chair_id == user.pk and meeting.minutes_status == MinutesStatus.APPROVED)
        )
        context.update(
            meeting=meeting,
            title=f"{meeting.group.name}: {day_text(timezone.localtime(meeting.starts_at))}",
            full=full,
            has_confidential=any(item.confidential_reason for item in items)
            or any(paper.confidential_reason for listed in papers.values() for paper, _ in listed),
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
            can_print_minutes=meeting.minutes_status == MinutesStatus.PUBLISHED
            or (full and (can_manage or meeting.group.chair_id == user.pk)),
            is_past=meeting.starts_at <= timezone.now(),
            papers_due_on=meeting.papers_due_on,
            next_step=meeting_next_step(
                meeting, user, can_manage=can_manage, item_count=len(items), attendance_count=len(attendance)
            )
            if full
            else None,
            breadcrumbs=_board_crumbs((meeting.group.name, meeting.group.get_absolute_url())),
        )
        return context


class MeetingInviteView(MeetingStepView):
    http_method_names = ["post", "options"]
    success_message = "Invitations have been sent to the group's members and named deputies."

    def perform(self, form: forms.BaseForm) -> Meeting:
        return services.send_invitations(self.meeting)


class MeetingCancelView(MeetingStepView):
    """Cancel a meeting that has not been held (confirmation page, then POST)."""

    template_name = "governance/meetings/cancel.html"
    form_class = CancelMeetingForm
    success_message = "The meeting has been cancelled."

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Cancel the meeting on {day_text(self.meeting.starts_at)}")
        return super().get_context_data(**kwargs)

    def perform(self, form: forms.BaseForm) -> Meeting:
        return services.cancel_meeting(self.meeting, form.cleaned_data["reason"])


class MeetingCalendarView(MeetingObjectView):
    permission = "view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        response = HttpResponse(
            meeting_calendar(self.meeting, method="PUBLISH"), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="meeting-{self.meeting.pk}.ics"'
        return response


class MeetingCirculateView(MeetingStepView):
    """The agenda and how many papers each item has, then one button that sends them."""

    template_name = "governance/meetings/circulate.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        items = list(
            AgendaItem.objects.visible_to(self.request.user)
            .filter(meeting=self.meeting)
            .annotate(paper_count=models.Count("papers"))
            .order_by("number")
        )
        from safeboard.governance.cycle.services import papers_to_follow, unchecked_requests

        kwargs.update(
            title="Circulate the papers",
            items=items,
            recipients=len(services.recipient_emails(self.meeting)),
            unchecked=list(unchecked_requests(self.meeting)),
            to_follow=list(papers_to_follow(self.meeting).select_related("author")),
            goes_out_late=timezone.localdate() > self.meeting.papers_due_on,
        )
        return super().get_context_data(**kwargs)

    def perform(self, form: forms.BaseForm) -> Meeting:
        return services.circulate_papers(self.meeting)

    def get_success_message(self, result: Meeting) -> str:
        sent = timezone.localtime(result.papers_circulated_at)
        return f"The agenda and papers were sent to the group on {day_time_text(sent)}."


class MeetingPackView(MeetingObjectView):
    """The agenda pack: the open part (items and papers that are not confidential) or, for those
    entitled to the group's confidential business, the confidential part (404 for anyone else)."""

    permission = "view"
    confidential = False

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
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
        if self.confidential:
            # Confidential items, and open items that carry a confidential paper (with only those papers).
            papers = [paper for paper in papers if paper.is_confidential]
            with_papers = {paper.item_id for paper in papers}
            items = [item for item in items if item.is_confidential or item.pk in with_papers]
            if not items:
                raise Http404
        else:
            items = [item for item in items if not item.is_confidential]
            papers = [paper for paper in papers if not paper.is_confidential]
        pdf = services.agenda_pack_pdf(
            self.meeting, items, papers, base_url=request.build_absolute_uri("/"), confidential=self.confidential
        )
        part = "confidential part" if self.confidential else "open part"
        record_access(self.meeting, AccessAction.EXPORT, detail=f"Agenda pack, {part} (PDF)")
        response = HttpResponse(pdf, content_type="application/pdf")
        day = timezone.localtime(self.meeting.starts_at).date().isoformat()
        name = f"agenda-pack-confidential-{day}" if self.confidential else f"agenda-pack-{day}"
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response


class ConfidentialPackView(MeetingPackView):
    confidential = True


class AttendanceView(MeetingObjectView, FormView):
    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
    template_name = "governance/meetings/attendance.html"
    form_class = AttendanceForm

    def get_form_kwargs(self) -> dict[str, Any]:
        # Named deputies stand in on their member's seat ("deputy attended"): they have no line of their own.
        self.seats = [seat for seat in services.current_seats(self.meeting) if seat.member_type != MemberType.DEPUTY]
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

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if MARK_ALL in request.POST:
            # "Mark everyone present" without JavaScript: the register again, every unmarked row
            # present, nothing saved until "Save attendance".
            form = self.get_form()
            form.data = with_everyone_marked(request.POST, form.status_field_names(), request.POST[MARK_ALL])
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            counts = services.record_attendance(self.meeting, form.entries())
        except ServiceError as refusal:
            add_refusal(form, refusal)
            return self.form_invalid(form)
        message = "Attendance has been saved."
        if counts["follow_ups"]:
            new = counts["follow_ups"]
            message += f" The business unit has {new} new {'absence' if new == 1 else 'absences'} to follow up."
        messages.success(self.request, message)
        if self.meeting.starts_at > timezone.now():
            messages.warning(
                self.request, "This meeting has not happened yet. Check the attendance is for the right meeting."
            )
        return HttpResponseRedirect(f"{self.meeting.get_absolute_url()}#attendance")


class FollowUpDoneView(WorkflowStepView):
    """Marks an absence follow-up as done; back to where the button was (a panel or the meeting)."""

    model = AbsenceFollowUp
    permission = "change"
    select_related = ("attendance__meeting",)
    http_method_names = ["post", "options"]
    success_message = "The follow-up has been marked as done."

    def perform(self, form: forms.BaseForm) -> AbsenceFollowUp:
        return services.complete_follow_up(self.object, note=self.request.POST.get("note", "").strip())

    def get_success_url(self) -> str:
        return safe_next_url(self.request, self.object.attendance.meeting.get_absolute_url())


# --- Agenda items, papers, actions ---------------------------------------------------------------------------


class ItemCreateView(ScopedChildCreateView):
    model = AgendaItem
    form_class = AgendaItemForm
    parent_model = Meeting
    parent_field = "meeting"
    parent_select_related = ("group__partnership",)
    success_message = "Item {object} has been added to the agenda."

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", "Add an agenda item")
        kwargs.setdefault("lede", str(self.parent))
        return super().get_context_data(**kwargs)


class ItemUpdateView(ScopedUpdateView):
    model = AgendaItem
    form_class = AgendaItemForm
    template_name = "core/form.html"

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("meeting__group__partnership")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Change agenda item {self.object.number}")
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        return self.object.meeting.get_absolute_url()


class PaperCreateView(ScopedChildCreateView):
    """The business unit adds papers to any item; an agency lead to the items of their own agency."""

    model = Paper
    form_class = PaperForm
    parent_model = AgendaItem
    parent_field = "item"
    parent_select_related = ("meeting__group__partnership", "agency")

    def scope(self) -> Scope | None:
        return grants_for(self.request.user).scope_in("governance.add_paper", self.parent.meeting.group.partnership_id)

    def allowed(self) -> bool:
        scope = self.scope()
        if scope == Scope.PARTNERSHIP:
            return True
        agency_id = self.parent.agency_id
        return scope == Scope.AGENCY and bool(agency_id) and agency_id == self.request.user.agency_id

    def get_form_kwargs(self) -> dict[str, Any]:
        agency_only = self.request.user.agency if self.scope() != Scope.PARTNERSHIP else None
        kwargs = {**super().get_form_kwargs(), "agency_only": agency_only}
        if not self.request.POST:
            kwargs.setdefault("initial", {})["agency"] = self.parent.agency_id
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        meeting = self.parent.meeting
        due = meeting.papers_due_on
        lede = f"For item {self.parent} at {meeting}. Papers are due by {day_text(due)}."
        if timezone.localdate() > due:
            lede += " That date has passed: this paper will be marked as late."
        kwargs.setdefault("title", "Upload a paper")
        kwargs.setdefault("lede", lede)
        kwargs.setdefault("object", meeting)
        return super().get_context_data(**kwargs)

    def save_object(self, form: forms.BaseForm) -> Paper:
        return services.add_paper(
            item=self.parent,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
            agency=form.cleaned_data.get("agency"),
            uploaded_by=self.request.user,
            confidential_reason=form.cleaned_data.get("confidential_reason") or "",
        )

    def get_success_message(self) -> str:
        if services.paper_is_late(self.object, self.parent.meeting):
            return ""  # said as a warning instead (``saved``)
        return f"‘{self.object.title}’ has been uploaded."

    def saved(self, form: forms.BaseForm) -> None:
        meeting = self.parent.meeting
        if services.paper_is_late(self.object, meeting):
            messages.warning(
                self.request,
                f"‘{self.object.title}’ has been uploaded. It is late: papers were due by "
                f"{day_text(meeting.papers_due_on)}.",
            )

    def get_success_url(self) -> str:
        return f"{self.parent.meeting.get_absolute_url()}#item-{self.parent.pk}"


class PaperDownloadView(FileDownloadView):
    model = Paper
    select_related = ("item__meeting__group",)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        response = super().get(request, *args, **kwargs)
        # A read receipt for the business unit (governance/members): opening a paper records it.
        from safeboard.governance.members.services import record_paper_opened

        record_paper_opened(self.object, request.user)
        return response


class ItemActionCreateView(ScopedChildCreateView):
    """An action agreed on an agenda item, added to the partnership's action log with the item as source.
    Needs the right to manage the meeting and to add actions."""

    template_name = "governance/meetings/item_action.html"
    form_class = ItemActionForm
    parent_model = AgendaItem
    parent_select_related = ("meeting__group__partnership", "agency")
    permissions = ("actions.add_action",)

    def allowed(self) -> bool:
        return super().allowed() and may(self.request.user, "change", self.parent.meeting)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if self.parent.agency_id:
            kwargs.setdefault("initial", {})["agency"] = self.parent.agency_id
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        meeting = self.parent.meeting
        kwargs.update(
            title="Add an action from this item",
            item=self.parent,
            meeting=meeting,
            actions=list(
                Action.objects.visible_to(self.request.user).for_source(self.parent).order_by("due_date", "id")
            ),
            breadcrumbs=_meeting_crumbs(meeting),
        )
        return super().get_context_data(**kwargs)

    def save_object(self, form: forms.BaseForm) -> Action:
        data = form.cleaned_data
        return services.add_item_action(
            item=self.parent,
            title=data["title"],
            owner=data["owner"],
            agency=data["agency"],
            due_date=data["due_date"],
            by=self.request.user,
        )

    def get_success_message(self) -> str:
        return f"Action {self.object.reference} has been added to the action log."

    def saved(self, form: forms.BaseForm) -> None:
        if form.cleaned_data["due_date"] < timezone.localdate():
            messages.warning(self.request, "The due date is in the past, so the action is already overdue.")

    def get_success_url(self) -> str:
        if self.request.POST.get("another"):
            return reverse("governance:item-action-new", args=[self.parent.pk])
        return f"{self.parent.meeting.get_absolute_url()}#item-{self.parent.pk}"


# --- Minutes ----------------------------------------------------------------------------------------------


class MinutesView(MeetingObjectView, TemplateView):
    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
    template_name = "governance/meetings/minutes.html"

    def items(self) -> list[AgendaItem]:
        return list(AgendaItem.objects.visible_to(self.request.user).filter(meeting=self.meeting).order_by("number"))

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if self.meeting.minutes_status in (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED):
            messages.info(request, "These minutes have been approved, so they can no longer be changed.")
            return redirect(self.meeting)
        form = MinutesForm(meeting=self.meeting, items=self.items())
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
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
            assert isinstance(saved, Meeting)  # the minutes' conflict is on their meeting
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
        except ServiceError as refusal:
            messages.error(request, refusal.message)
            return redirect(self.meeting)
        messages.success(request, "The minutes have been saved as a draft.")
        return HttpResponseRedirect(f"{self.meeting.get_absolute_url()}#minutes")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.update(meeting=self.meeting, title="Write the minutes", breadcrumbs=self.crumbs())
        return super().get_context_data(**kwargs)


class MinutesApproveView(MeetingStepView):
    form_class = ApproveMinutesForm
    anchor = "#minutes"
    success_message = "The minutes have been approved. Publish them to let members read them."

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.meeting.minutes_status != MinutesStatus.DRAFT:
            messages.info(request, "Only draft minutes can be approved.")
            return redirect(self.meeting)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        # Only later meetings of the same group can approve minutes: nothing else is offered.
        choices = (
            Meeting.objects.visible_to(self.request.user)
            .filter(group_id=self.meeting.group_id, starts_at__gt=self.meeting.starts_at)
            .exclude(status=MeetingStatus.CANCELLED)
            .order_by("starts_at", "id")
        )
        return {**super().get_form_kwargs(), "meeting": self.meeting, "choices": choices}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.update(
            title="Approve the minutes",
            lede=f"Minutes of {self.meeting}. Choose the later meeting of {self.meeting.group} that approved them.",
        )
        return super().get_context_data(**kwargs)

    def perform(self, form: forms.BaseForm) -> Meeting:
        return services.approve_minutes(self.meeting, form.cleaned_data["approved_at"])


class MinutesSignOffView(MeetingObjectView, WorkflowStepView):
    """The group's chair signs off approved minutes (a button on the meeting page and on My work)."""

    permission = "view"
    http_method_names = ["post", "options"]
    success_message = "You have signed off the minutes. The signed copy shows your name and the date."

    def check_object(self, obj: Any) -> None:
        if obj.group.chair_id != self.request.user.pk:
            raise PermissionDenied("Only the chair of the group signs off its minutes.")

    def perform(self, form: forms.BaseForm) -> Meeting:
        return services.sign_off_minutes(self.meeting, self.request.user)

    def get_success_url(self) -> str:
        return safe_next_url(self.request, f"{self.meeting.get_absolute_url()}#minutes")


class MinutesPdfView(PartnershipView):
    """The minutes as a PDF, for those who may read them: the business unit and the group's chair at
    any stage after "not started", everyone who reads the meeting (and scrutiny) once published."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        from safeboard.core.pdf import pdf_response

        user = request.user
        meeting = get_object_or_404(
            visible_meetings(user).select_related("group__partnership", "minutes_approved_at", "minutes_signed_off_by"),
            pk=pk,
        )
        if meeting.minutes_status == MinutesStatus.NONE:
            raise Http404("No minutes have been written for this meeting")
        full = Meeting.objects.visible_to(user).filter(pk=meeting.pk).exists()
        reader = meeting.minutes_status == MinutesStatus.PUBLISHED or (
            full and (meeting.group.chair_id == user.pk or may(user, "change", meeting))
        )
        if not reader:
            raise PermissionDenied
        if full:
            items = list(AgendaItem.objects.visible_to(user).filter(meeting=meeting).order_by("number"))
            attendance = list(
                Attendance.objects.visible_to(user)
                .filter(meeting=meeting)
                .select_related("member__person", "member__agency", "deputy")
                .order_by("member__person__full_name", "id")
            )
        else:
            items, attendance = list(meeting.items.order_by("number")), []
        # The PDF is the minutes to circulate and sign: confidential items are minuted apart, never here.
        items = [item for item in items if not item.confidential_reason]
        pdf = services.minutes_pdf(meeting, items, attendance, base_url=request.build_absolute_uri("/"))
        record_access(meeting, AccessAction.EXPORT, detail="Minutes (PDF)")
        day = timezone.localtime(meeting.starts_at).date().isoformat()
        return pdf_response(pdf, f"minutes-{day}")


class MinutesPublishView(MeetingStepView):
    http_method_names = ["post", "options"]
    anchor = "#minutes"
    success_message = "The minutes have been published. Members have been sent a link."

    def perform(self, form: forms.BaseForm) -> Meeting:
        return services.publish_minutes(self.meeting)
