"""Board business over the API, read-only: groups, meetings with their agenda, attendance.

Scoped exactly as the web pages: every queryset starts from ``visible_to`` (a record out of sight
is a 404, and absent from every list). Draft minutes are shown only to those who manage the
meeting, as on the meeting's page. People are named only to callers who hold a role that sees
personal data in the record's partnership: scrutiny never gets a name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import django_filters.rest_framework as filters
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from safeboard.core.api.filters import ApiFilterSet
from safeboard.core.ids import IdFilter
from safeboard.core.permissions import ROLES_WITHOUT_PERSONAL_DATA, grants_for
from safeboard.governance.meetings.choices import AttendanceStatus, GroupKind, MeetingStatus, MinutesStatus
from safeboard.governance.meetings.models import AgendaItem, Attendance, Group, Meeting


def sees_people(user: Any, partnership_id: int) -> bool:
    """Does the caller hold, in this partnership, a role that may see people's names?"""
    roles = grants_for(user).roles.get(partnership_id, set())
    return any(role not in ROLES_WITHOUT_PERSONAL_DATA for role in roles)


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


def person_ref(person: Any, context: Mapping[str, Any], partnership_id: int) -> dict[str, Any] | None:
    """``{"id", "name"}`` of a person, or None when there is none or the caller may not see names."""
    if person is None or not sees_people(context["request"].user, partnership_id):
        return None
    return {"id": person.pk, "name": person.full_name}


# --- Groups ----------------------------------------------------------------------------------------------


class GroupSerializer(serializers.ModelSerializer):
    chair = serializers.SerializerMethodField()
    vice_chair = serializers.SerializerMethodField()

    class Meta:
        model = Group
        fields = [
            "id",
            "partnership",
            "name",
            "kind",
            "parent",
            "terms_of_reference",
            "chair",
            "vice_chair",
            "meeting_frequency",
            "attendance_required",
            "attendance_out_of",
            "access",
            "is_active",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_chair(self, group: Group) -> dict[str, Any] | None:
        return person_ref(group.chair, self.context, group.partnership_id)

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_vice_chair(self, group: Group) -> dict[str, Any] | None:
        return person_ref(group.vice_chair, self.context, group.partnership_id)


class GroupFilter(ApiFilterSet):
    kind = filters.ChoiceFilter(choices=GroupKind.choices)

    class Meta:
        model = Group
        fields = ["partnership", "kind", "is_active", "parent"]


class GroupViewSet(viewsets.ReadOnlyModelViewSet):
    """The board and its groups the caller may see, in every partnership they work in. Filter by
    ``partnership``, ``kind``, ``is_active`` or ``parent``."""

    serializer_class = GroupSerializer
    filterset_class = GroupFilter

    def get_queryset(self) -> QuerySet[Group]:
        return Group.objects.visible_to(self.request.user).select_related("chair", "vice_chair")


# --- Meetings and their agenda -------------------------------------------------------------------------


class AgendaItemSerializer(serializers.ModelSerializer):
    presenter = serializers.SerializerMethodField()
    discussion = serializers.SerializerMethodField(help_text="The minutes of the item, once they may be read.")
    decisions = serializers.SerializerMethodField(help_text="The decisions on the item, once they may be read.")

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "number",
            "title",
            "purpose",
            "agency",
            "presenter",
            "minutes_allowed",
            "confidential_reason",
            "discussion",
            "decisions",
        ]
        read_only_fields = fields

    def _meeting(self, item: AgendaItem) -> Meeting:
        meeting: Meeting = self.context["meeting"]
        return meeting

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_presenter(self, item: AgendaItem) -> dict[str, Any] | None:
        return person_ref(item.presenter, self.context, self._meeting(item).group.partnership_id)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_discussion(self, item: AgendaItem) -> str | None:
        return item.discussion if minutes_readable(self._meeting(item)) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decisions(self, item: AgendaItem) -> str | None:
        return item.decisions if minutes_readable(self._meeting(item)) else None


def minutes_readable(meeting: Meeting) -> bool:
    """As on the meeting's page: draft minutes only for those who manage the meeting."""
    return meeting.minutes_status == MinutesStatus.PUBLISHED or bool(getattr(meeting, "caller_manages", False))


class MeetingSerializer(serializers.ModelSerializer):
    partnership = serializers.IntegerField(source="group.partnership_id", read_only=True)
    items = serializers.SerializerMethodField(help_text="The agenda, in order.")
    difference_for_children = serializers.SerializerMethodField(
        help_text="What difference will this make for children? Part of the minutes."
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "partnership",
            "group",
            "starts_at",
            "ends_at",
            "venue",
            "online_link",
            "status",
            "invitations_sent_at",
            "papers_circulated_at",
            "minutes_status",
            "minutes_published_at",
            "difference_for_children",
            "items",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_items(self, meeting: Meeting) -> list[dict[str, Any]]:
        context = {**self.context, "meeting": meeting}
        items = meeting.visible_items  # type: ignore[attr-defined]  # the viewset's Prefetch(to_attr=...)
        return list(AgendaItemSerializer(items, many=True, context=context).data)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_difference_for_children(self, meeting: Meeting) -> str | None:
        return meeting.difference_for_children if minutes_readable(meeting) else None


class MeetingFilter(ApiFilterSet):
    partnership = IdFilter(field_name="group__partnership", label="Partnership id")
    status = filters.ChoiceFilter(choices=MeetingStatus.choices)
    minutes_status = filters.ChoiceFilter(choices=MinutesStatus.choices)
    starts_after = filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label="On or after (YYYY-MM-DD)")
    starts_before = filters.DateFilter(field_name="starts_at", lookup_expr="date__lt", label="Before (YYYY-MM-DD)")

    class Meta:
        model = Meeting
        fields = ["partnership", "group", "status", "minutes_status", "starts_after", "starts_before"]


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Meetings the caller may read in full, each with its agenda. Filter by ``partnership``,
    ``group``, ``status``, ``minutes_status``, ``starts_after`` or ``starts_before``. The minutes
    (``discussion``, ``decisions``, ``difference_for_children``) are null until they are published,
    except for those who manage the meeting."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self) -> QuerySet[Meeting]:
        user = self.request.user
        items = AgendaItem.objects.visible_to(user).select_related("presenter").order_by("number", "id")
        manages = Meeting.objects.visible_to(user, "change").filter(pk=OuterRef("pk"))
        return (
            Meeting.objects.visible_to(user)
            .select_related("group")
            .annotate(caller_manages=Exists(manages))
            .prefetch_related(Prefetch("items", queryset=items, to_attr="visible_items"))
        )


# --- Attendance ----------------------------------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer):
    partnership = serializers.IntegerField(source="meeting.group.partnership_id", read_only=True)
    person = serializers.SerializerMethodField(help_text="Who holds the seat.")
    agency = serializers.IntegerField(source="member.agency_id", read_only=True, allow_null=True)
    deputy = serializers.SerializerMethodField(help_text="Who came in their place, if a deputy attended.")

    class Meta:
        model = Attendance
        fields = ["id", "partnership", "meeting", "member", "person", "agency", "status", "deputy", "note", "version"]
        read_only_fields = fields

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_person(self, attendance: Attendance) -> dict[str, Any] | None:
        return person_ref(attendance.member.person, self.context, attendance.meeting.group.partnership_id)

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_deputy(self, attendance: Attendance) -> dict[str, Any] | None:
        return person_ref(attendance.deputy, self.context, attendance.meeting.group.partnership_id)


class AttendanceFilter(ApiFilterSet):
    partnership = IdFilter(field_name="meeting__group__partnership", label="Partnership id")
    group = IdFilter(field_name="meeting__group", label="Group id")
    status = filters.ChoiceFilter(choices=AttendanceStatus.choices)

    class Meta:
        model = Attendance
        fields = ["partnership", "group", "meeting", "member", "status"]


class AttendanceViewSet(viewsets.ReadOnlyModelViewSet):
    """Attendance recorded at meetings, one row per seat and meeting, as far as the caller may see
    it (an agency lead: their own agency's seats). Filter by ``partnership``, ``group``, ``meeting``,
    ``member`` (the seat) or ``status``. Figures-only readers (scrutiny) see no rows."""

    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilter

    def get_queryset(self) -> QuerySet[Attendance]:
        return Attendance.objects.visible_to(self.request.user).select_related(
            "meeting__group", "member__person", "deputy"
        )
