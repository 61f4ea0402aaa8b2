"""Forms for groups, members, meetings, agenda items, papers, attendance and minutes.

Files people upload (papers, terms of reference, partner agreements) go through ``UploadField``,
the one upload rule in ``core/uploads.py``. Forms whose choices come from the partnership inherit
``PartnershipFormMixin``: the views give them the partnership and the person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from safeboard.accounts.models import User
from safeboard.actions.forms import possible_owners
from safeboard.core.concurrency import VersionedFormMixin
from safeboard.core.fields import NOTE, GovukDateField, GovukTimeField
from safeboard.core.forms import GovukForm, GovukModelForm, PartnershipFormMixin, form_field, model_choice_field
from safeboard.core.models import Agency, Partnership
from safeboard.core.people import PersonField
from safeboard.core.registers import Register, RegisterRow
from safeboard.core.text import day_time_text
from safeboard.core.uploads import UploadField
from safeboard.governance.meetings.choices import AttendanceStatus, GroupKind, MemberType
from safeboard.governance.meetings.models import (
    AgendaItem,
    Group,
    GroupMember,
    LayMemberInduction,
    Meeting,
    Paper,
)


def _people(partnership: Partnership) -> QuerySet[User]:
    """People with a role in the partnership (members, chairs, presenters, owners)."""
    return User.objects.in_partnership(partnership).filter(is_active=True).order_by("full_name", "id")


def _agencies(partnership: Partnership) -> QuerySet[Agency]:
    return Agency.objects.in_partnership(partnership).filter(is_active=True).order_by("name")


def _radios(field: forms.ChoiceField) -> None:
    """Show a choice as GOV.UK radios, without the empty "---------" choice."""
    # The stubs give the getter the setter's wide type; a ChoiceField's choices read back as pairs.
    current = cast("list[tuple[Any, Any]]", field.choices)
    choices = [(value, label) for value, label in current if value != ""]
    field.choices = choices
    field.widget = forms.RadioSelect(choices=choices, attrs={"class": "govuk-radios__input"})


def _confidential_radios(field: forms.ChoiceField) -> None:
    """ "Not confidential" first, then the reasons an item or paper may be confidential."""
    current = cast("list[tuple[Any, Any]]", field.choices)  # pairs, whatever the stubs say of the getter
    choices = [
        ("", "No, anyone who reads the meeting may read it"),
        *[(v, f"Yes: {label.lower()}") for v, label in current if v],
    ]
    field.choices = choices
    field.required = False
    field.widget = forms.RadioSelect(choices=choices, attrs={"class": "govuk-radios__input"})
    field.help_text = (
        "A confidential item and its papers are seen only by the group's members and the business unit, "
        "and are left out of the published minutes and of what scrutiny reads."
    )


# --- Groups and members ------------------------------------------------------------------------------------


class GroupForm(PartnershipFormMixin, VersionedFormMixin, GovukModelForm):
    instance: Group

    message_names = {
        "parent": "the group it reports to",
        "meeting_frequency": "how often it meets",
        "attendance_required": "the number of meetings each member must attend",
        "attendance_out_of": "the number of meetings it is out of",
        "access": "who may read its business",
        "named_readers": "the people who may read its business",
        "member_partnerships": "the partnerships it serves",
        "closes_on": "the date the group closes",
    }

    terms_document = UploadField(label="Terms of reference document (optional)", required=False)

    class Meta:
        model = Group
        fields = [
            "name",
            "kind",
            "parent",
            "terms_of_reference",
            "terms_document",
            "chair",
            "vice_chair",
            "meeting_frequency",
            "attendance_required",
            "attendance_out_of",
            "access",
            "named_readers",
            "member_partnerships",
            "closes_on",
        ]
        labels = {
            "access": "Who may read its business",
            "named_readers": "Other people who may read its business (optional)",
            "member_partnerships": "Other partnerships it serves (optional)",
            "kind": "Type of group",
            "parent": "Reports to (optional)",
            "terms_of_reference": "Terms of reference",
            "chair": "Chair (optional)",
            "vice_chair": "Vice-chair (optional)",
            "meeting_frequency": "How often it meets",
        }
        help_texts = {
            "attendance_required": "For example 3 (of 4 meetings a year). The business year follows the partnership's.",
            "terms_of_reference": "What the group is for, who sits on it and how it makes decisions.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.partnership = self.partnership
        parents = Group.objects.filter(partnership=self.partnership, is_active=True)
        if self.instance.pk:
            parents = parents.exclude(pk__in=self._descendants_and_self())
        model_choice_field(self, "parent").queryset = parents
        model_choice_field(self, "parent").empty_label = "Nobody: it reports to no other group"
        for name in ("chair", "vice_chair"):
            self.pick_person(name, _people(self.partnership), empty_label="Not chosen yet")
        _radios(form_field(self, "kind", forms.ChoiceField))
        access = form_field(self, "access", forms.ChoiceField)
        access.choices = [
            (
                "",
                "As its type suggests: members only for a case review group, exploitation panel or child death panel, otherwise open",
            ),
            *[(value, label) for value, label in cast("list[tuple[Any, Any]]", access.choices) if value != ""],
        ]
        access.widget = forms.RadioSelect(choices=access.choices, attrs={"class": "govuk-radios__input"})
        access.required = False
        named_readers = model_choice_field(self, "named_readers")
        named_readers.queryset = _people(self.partnership)
        named_readers.widget = forms.CheckboxSelectMultiple(
            choices=cast("Iterable[tuple[Any, Any]]", named_readers.choices),  # pairs, as the field's own
            attrs={"class": "govuk-checkboxes__input"},
        )
        named_readers.widget.choices = named_readers.choices
        # A shared group's other partnerships read it; only this (the host) partnership changes it.
        others = Partnership.objects.filter(is_active=True).exclude(pk=self.partnership.pk).order_by("name")
        member_partnerships = model_choice_field(self, "member_partnerships")
        member_partnerships.queryset = others
        member_partnerships.widget = forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"})
        member_partnerships.widget.choices = member_partnerships.choices

    def _descendants_and_self(self) -> set[int]:
        edges = dict(Group.objects.filter(partnership=self.partnership).values_list("pk", "parent_id"))
        found = {self.instance.pk}
        changed = True
        while changed:
            changed = False
            for pk, parent in edges.items():
                if parent in found and pk not in found:
                    found.add(pk)
                    changed = True
        return found

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("chair") and data.get("chair") == data.get("vice_chair"):
            self.add_error("vice_chair", "The vice-chair must be a different person from the chair.")
        return data


class MemberForm(PartnershipFormMixin, VersionedFormMixin, GovukModelForm):
    instance: GroupMember

    message_names = {
        "agency": "the agency they represent",
        "deputy_for": "the member they are a named deputy for",
        "agreement_signed_on": "the date the partner agreement was signed",
    }

    agreement_document = UploadField(label="Signed partner agreement (optional)", required=False)

    class Meta:
        model = GroupMember
        fields = [
            "person",
            "member_type",
            "agency",
            "deputy_for",
            "starts_on",
            "ends_on",
            "agreement_signed_on",
            "agreement_document",
        ]
        labels = {
            "member_type": "Type of seat",
            "agency": "Agency they represent (optional)",
            "deputy_for": "Named deputy for (only for a named deputy)",
            "starts_on": "Start date",
            "ends_on": "End date (optional)",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.instance.group
        self.pick_person(
            "person", _people(self.partnership), help_text="Only people with a role in this partnership can be chosen."
        )
        model_choice_field(self, "agency").queryset = _agencies(self.partnership)
        model_choice_field(self, "agency").empty_label = "None (for example a lay member or the independent chair)"
        deputies_for = GroupMember.objects.filter(group=group).exclude(member_type=MemberType.DEPUTY)
        if self.instance.pk:
            deputies_for = deputies_for.exclude(pk=self.instance.pk)
        model_choice_field(self, "deputy_for").queryset = deputies_for.select_related("person", "group")
        model_choice_field(self, "deputy_for").label_from_instance = lambda m: (  # type: ignore[method-assign, assignment]  # a label for this field only
            f"{m.person} ({m.get_member_type_display()})"
        )
        model_choice_field(self, "deputy_for").empty_label = "Nobody"
        _radios(form_field(self, "member_type", forms.ChoiceField))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("member_type") == MemberType.DEPUTY and not data.get("deputy_for"):
            self.add_error("deputy_for", "Choose the member this person is a named deputy for.")
        if data.get("deputy_for") and data.get("member_type") != MemberType.DEPUTY:
            self.add_error("deputy_for", "Only a named deputy can deputise for a member. Choose ‘Nobody’.")
        return data


class InductionForm(PartnershipFormMixin, VersionedFormMixin, GovukModelForm):
    instance: LayMemberInduction

    message_names = {
        "pack_sent_on": "the date the induction pack was sent",
        "buddy": "the buddy",
        "six_month_meeting_held_on": "the date of the six-month meeting with the chair",
    }

    class Meta:
        model = LayMemberInduction
        fields = ["pack_sent_on", "buddy", "six_month_meeting_held_on"]
        labels = {"buddy": "Buddy (an experienced board member)"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pick_person("buddy", _people(self.partnership), empty_label="Not chosen yet")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        starts_on = self.instance.member.starts_on
        for name in ("pack_sent_on", "six_month_meeting_held_on"):
            day = data.get(name)
            if day and day > timezone.localdate():
                self.add_error(name, "This date cannot be in the future.")
        held = data.get("six_month_meeting_held_on")
        if held and held < starts_on:
            self.add_error("six_month_meeting_held_on", "The meeting must be on or after the day they joined.")
        return data


# --- Meetings ----------------------------------------------------------------------------------------------


class MeetingForm(VersionedFormMixin, GovukModelForm):
    instance: Meeting

    message_names = {
        "venue": "the venue",
        "online_link": "the online meeting link",
    }

    date = GovukDateField(label="Date", error_messages={"required": "Enter the date of the meeting"})
    start_time = GovukTimeField(
        label="Start time",
        help_text="For example 10:00, 14:30 or 2:30pm",
        error_messages={"required": "Enter the time the meeting starts"},
    )
    end_time = GovukTimeField(
        label="End time",
        help_text="For example 12:30 or 4pm",
        error_messages={"required": "Enter the time the meeting ends"},
    )

    class Meta:
        model = Meeting
        fields = ["venue", "online_link"]
        labels = {
            "venue": "Venue (optional if there is an online link)",
            "online_link": "Online meeting link (optional if there is a venue)",
        }
        help_texts = {"online_link": "The full web address, starting https://"}

    field_order = ["date", "start_time", "end_time", "venue", "online_link"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            start = timezone.localtime(self.instance.starts_at)
            end = timezone.localtime(self.instance.ends_at)
            self.initial.setdefault("date", start.date())
            self.initial.setdefault("start_time", start.time().replace(second=0, microsecond=0))
            self.initial.setdefault("end_time", end.time().replace(second=0, microsecond=0))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", "The end time must be after the start time.")
            else:
                zone = timezone.get_current_timezone()
                self.instance.starts_at = timezone.make_aware(dt.datetime.combine(day, start), zone)
                self.instance.ends_at = timezone.make_aware(dt.datetime.combine(day, end), zone)
        if not (data.get("venue") or "").strip() and not data.get("online_link"):
            if "online_link" not in self.errors:
                self.add_error("venue", "Enter a venue, an online meeting link, or both.")
        return data

    @property
    def is_in_the_past(self) -> bool:
        return bool(self.instance.starts_at and self.instance.starts_at < timezone.now())


class AgendaItemForm(PartnershipFormMixin, VersionedFormMixin, GovukModelForm):
    instance: AgendaItem

    message_names = {
        "minutes_allowed": "the time allowed",
        "confidential_reason": "why the item is confidential",
    }

    class Meta:
        model = AgendaItem
        fields = ["number", "title", "presenter", "agency", "purpose", "minutes_allowed", "confidential_reason"]
        labels = {
            "number": "Item number",
            "presenter": "Presenter (optional)",
            "agency": "Agency (optional)",
            "confidential_reason": "Is this item confidential?",
        }
        help_texts = {"agency": "The agency presenting the item. Its safeguarding lead can then upload papers for it."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting = self.instance.meeting
        self.pick_person("presenter", _people(self.partnership), empty_label="Not chosen yet")
        model_choice_field(self, "agency").queryset = _agencies(self.partnership)
        model_choice_field(self, "agency").empty_label = "None"
        _radios(form_field(self, "purpose", forms.ChoiceField))
        _confidential_radios(form_field(self, "confidential_reason", forms.ChoiceField))
        self.fields["number"].widget.attrs["class"] = "govuk-input govuk-input--width-3"
        self.fields["minutes_allowed"].widget.attrs["class"] = "govuk-input govuk-input--width-3"
        if not self.instance.pk:
            numbers = AgendaItem.objects.filter(meeting=meeting).values_list("number", flat=True)
            self.initial.setdefault("number", max(numbers, default=0) + 1)

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        taken = AgendaItem.objects.filter(meeting=self.meeting, number=number).exclude(pk=self.instance.pk)
        if number < 1:
            raise ValidationError("Enter an item number of 1 or more.")
        if taken.exists():
            raise ValidationError(f"Item {number} is already on this agenda. Choose another number.")
        return number


class PaperForm(PartnershipFormMixin, GovukModelForm):
    message_names = {
        "agency": "the agency that wrote it",
        "confidential_reason": "why the paper is confidential",
    }

    file = UploadField(label="File")

    class Meta:
        model = Paper
        fields = ["title", "file", "agency", "confidential_reason"]
        labels = {
            "title": "Title of the paper",
            "agency": "Agency that wrote it (optional)",
            "confidential_reason": "Is this paper confidential?",
        }
        help_texts = {"agency": "Used to count papers that arrive late, by agency."}

    def __init__(self, *args: Any, agency_only: Agency | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agency_only is not None:
            # An agency lead uploads for their own agency only.
            model_choice_field(self, "agency").queryset = Agency.objects.filter(pk=agency_only.pk)
            self.fields["agency"].required = True
            model_choice_field(self, "agency").empty_label = None
        else:
            model_choice_field(self, "agency").queryset = _agencies(self.partnership)
            model_choice_field(self, "agency").empty_label = "None"
        _confidential_radios(form_field(self, "confidential_reason", forms.ChoiceField))


class ItemActionForm(PartnershipFormMixin, GovukForm):
    message_names = {
        "title": "what needs to be done",
        "owner": "the person who will do it",
    }

    title = forms.CharField(label="What needs to be done", max_length=200)
    owner = PersonField(
        label="Who will do it (owner)",
        scope="action-owners",
        error_messages={"required": "Select the person who will do it"},
    )
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Agency responsible")
    due_date = GovukDateField(label="Due date", error_messages={"required": "Enter the date the action is due"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pick_person("owner", possible_owners(self.partnership), scope="action-owners")
        model_choice_field(self, "agency").queryset = _agencies(self.partnership)


# --- Attendance --------------------------------------------------------------------------------------------


class AttendanceForm(GovukForm):
    """One choice per seat: present, apologies, deputy attended (and who), absent."""

    def __init__(self, *args: Any, seats: list[GroupMember], people: Any, current: dict[int, Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.seats = seats
        # The seats' named deputies hold no attendance line of their own, so they are not among ``seats``:
        # one query finds them (the service checks the choice again against the meeting's date).
        named_deputies: dict[int, list[GroupMember]] = {}
        for deputy in (
            GroupMember.objects.filter(deputy_for__in=[seat.pk for seat in seats], member_type=MemberType.DEPUTY)
            .select_related("person", "agency")
            .order_by("person__full_name", "id")
        ):
            if deputy.deputy_for_id is not None:
                named_deputies.setdefault(deputy.deputy_for_id, []).append(deputy)
        for seat in seats:
            existing = current.get(seat.pk)
            label = f"{seat.person}" + (f", {seat.agency}" if seat.agency_id else "")
            self.fields[f"status_{seat.pk}"] = forms.ChoiceField(
                label=f"Attendance of {label}",
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=existing.status if existing else "",
                error_messages={
                    "invalid_choice": f"Select whether {seat.person} was present, sent apologies, "
                    "sent a deputy or was absent"
                },
            )
            # Only the seat's named deputies can attend in its place (the service checks it too).
            deputies = [
                (s.person_id, f"{s.person}" + (f", {s.agency}" if s.agency_id else ""))
                for s in named_deputies.get(seat.pk, [])
            ]
            self.fields[f"deputy_{seat.pk}"] = forms.TypedChoiceField(
                choices=[("", "Nobody"), *deputies],
                coerce=int,
                empty_value=None,
                required=False,
                label=f"Who attended in place of {seat.person}",
                help_text="Only if a deputy attended: one of the seat's named deputies."
                if deputies
                else "This seat has no named deputy.",
                initial=existing.deputy_id if existing else None,
                error_messages={"invalid_choice": f"Select one of the named deputies for {seat.person}"},
            )
        # The GOV.UK classes for the fields added after the mixin styled the form.
        for name, field in self.fields.items():
            if name.startswith("deputy_"):
                field.widget.attrs.setdefault("class", "govuk-select")

    def rows(self) -> list[tuple[GroupMember, forms.BoundField, forms.BoundField]]:
        return [(seat, self[f"status_{seat.pk}"], self[f"deputy_{seat.pk}"]) for seat in self.seats]

    def status_field_names(self) -> list[str]:
        return [f"status_{seat.pk}" for seat in self.seats]

    def register(self) -> Register:
        """The seats as one register (core/registers.py): a row per seat, the deputy revealed by ‘Deputy attended’."""
        rows = []
        for seat, status, deputy in self.rows():
            deputy_for = seat.deputy_for if seat.deputy_for_id else None
            detail = ", ".join(
                part
                for part in (
                    str(seat.agency) if seat.agency_id else "",
                    seat.get_member_type_display().lower() if seat.member_type != MemberType.MEMBER else "",
                    f"deputy for {deputy_for.person}" if deputy_for is not None else "",
                )
                if part
            )
            rows.append(
                RegisterRow(key=str(seat.pk), label=str(seat.person), detail=detail, status=status, extra=deputy)
            )
        return Register(
            caption="Attendance of each member",
            # Short column headings, so that the table stays narrow and low.
            choices=(
                (AttendanceStatus.PRESENT, "Present"),
                (AttendanceStatus.APOLOGIES, "Apologies"),
                (AttendanceStatus.DEPUTY, "Deputy attended"),
                (AttendanceStatus.ABSENT, "Absent, no apologies"),
            ),
            rows=rows,
            person_header="Member",
            mark_all_value=AttendanceStatus.PRESENT,
            mark_all_label="Mark everyone present",
            reveal_value=AttendanceStatus.DEPUTY,
            extra_header="Deputy",
            extra_hint="Choose the deputy only when ‘Deputy attended’ is chosen.",
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for seat in self.seats:
            status = data.get(f"status_{seat.pk}")
            deputy = data.get(f"deputy_{seat.pk}")
            if status == AttendanceStatus.DEPUTY and not deputy:
                self.add_error(f"deputy_{seat.pk}", f"Select who attended in place of {seat.person}")
            elif deputy and status != AttendanceStatus.DEPUTY:
                self.add_error(f"deputy_{seat.pk}", f"Choose ‘Deputy attended’ for {seat.person}, or choose ‘Nobody’.")
        return data

    def entries(self) -> dict[int, tuple[str, int | None]]:
        return {
            seat.pk: (
                self.cleaned_data.get(f"status_{seat.pk}") or "",
                self.cleaned_data.get(f"deputy_{seat.pk}"),
            )
            for seat in self.seats
        }


# --- Minutes -----------------------------------------------------------------------------------------------


class MinutesForm(GovukForm):
    """Per agenda item the summary of the discussion and the decisions; the meeting's reflection."""

    version_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, meeting: Meeting, items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.items = items
        self.initial.setdefault("version_seen", meeting.version)
        for item in items:
            self.fields[f"discussion_{item.pk}"] = forms.CharField(
                label=f"Item {item.number}: summary of the discussion",
                required=False,
                max_length=AgendaItem._meta.get_field("discussion").max_length,
                error_messages={
                    "max_length": f"The summary of item {item.number}'s discussion must be "
                    f"{AgendaItem._meta.get_field('discussion').max_length:,} characters or fewer"
                },
                widget=forms.Textarea(attrs={"rows": 5, "class": "govuk-textarea"}),
                initial=item.discussion,
            )
            self.fields[f"decisions_{item.pk}"] = forms.CharField(
                label=f"Item {item.number}: decisions",
                required=False,
                max_length=AgendaItem._meta.get_field("decisions").max_length,
                error_messages={
                    "max_length": f"The decisions on item {item.number} must be "
                    f"{AgendaItem._meta.get_field('decisions').max_length:,} characters or fewer"
                },
                widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
                initial=item.decisions,
            )
        board = needs_difference_for_children(meeting)
        self.fields["difference_for_children"] = forms.CharField(
            label="What difference will this make for children?",
            required=False,
            max_length=Meeting._meta.get_field("difference_for_children").max_length,
            error_messages={
                "max_length": "What difference this will make for children must be "
                f"{Meeting._meta.get_field('difference_for_children').max_length:,} characters or fewer"
            },
            widget=forms.Textarea(attrs={"rows": 4, "class": "govuk-textarea"}),
            initial=meeting.difference_for_children,
            help_text=(
                "The board's reflection at the end of the meeting. Needed before the minutes can be approved."
                if board
                else "The group's reflection at the end of the meeting."
            ),
        )

    def item_fields(self) -> list[tuple[AgendaItem, forms.BoundField, forms.BoundField]]:
        return [(item, self[f"discussion_{item.pk}"], self[f"decisions_{item.pk}"]) for item in self.items]

    def texts(self) -> dict[int, tuple[str, str]]:
        return {
            item.pk: (self.cleaned_data[f"discussion_{item.pk}"], self.cleaned_data[f"decisions_{item.pk}"])
            for item in self.items
        }


def needs_difference_for_children(meeting: Meeting) -> bool:
    """A board meeting's minutes need the answer before approval, unless the partnership says not
    (``Partnership.minutes_need_difference_for_children``, on by default)."""
    return meeting.group.kind == GroupKind.BOARD and meeting.group.partnership.minutes_need_difference_for_children


class ApproveMinutesForm(GovukForm):
    message_names = {
        "approved_at": "the meeting at which the minutes were approved",
    }

    approved_at = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        label="Meeting at which the minutes were approved",
        help_text="A later meeting of the same group.",
        empty_label="Choose a meeting",
    )

    def __init__(self, *args: Any, meeting: Meeting, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        model_choice_field(self, "approved_at").queryset = choices
        model_choice_field(self, "approved_at").label_from_instance = lambda m: (  # type: ignore[method-assign, assignment]  # a label for this field only
            f"{day_time_text(timezone.localtime(m.starts_at))}"
        )

    def clean_approved_at(self) -> Meeting:
        later = self.cleaned_data["approved_at"]
        if later.starts_at <= self.meeting.starts_at:
            raise ValidationError("Choose a meeting held after this one: minutes are approved at a later meeting.")
        return later

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if needs_difference_for_children(self.meeting) and not self.meeting.difference_for_children.strip():
            raise ValidationError(
                "Before a board meeting's minutes can be approved, record the answer to "
                "‘What difference will this make for children?’ in the minutes."
            )
        return data


class CancelMeetingForm(GovukForm):
    message_names = {
        "reason": "the reason the meeting is cancelled",
    }

    reason = forms.CharField(
        label="Why is the meeting cancelled?",
        max_length=NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Members who were invited get an email with this reason.",
    )
