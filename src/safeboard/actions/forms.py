from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Exists, OuterRef, QuerySet

from safeboard.accounts.models import Membership, User
from safeboard.actions.models import Action, ActionEvidence, ActionUpdate
from safeboard.core.concurrency import VersionedFormMixin
from safeboard.core.fields import NOTE
from safeboard.core.forms import GovukForm, GovukModelForm, form_field, model_choice_field
from safeboard.core.models import Agency, Partnership
from safeboard.core.people import PersonField, register_person_scope
from safeboard.core.permissions import ROLE_GRANTS
from safeboard.core.uploads import ALLOWED_UPLOAD_EXTENSIONS, validate_upload


def _owner_roles() -> list[str]:
    """Roles that can see an action they own: anyone else could be given an action they cannot open.
    Read from the merged policy when asked (it is complete once Django is ready)."""
    return [role for role, grants in ROLE_GRANTS.items() if "actions.view_action" in grants]


def possible_owners(partnership: Partnership) -> QuerySet[User]:
    """Active people with an active role in the partnership that lets them see their own actions."""
    people: QuerySet[User] = (
        User.objects.filter(is_active=True)
        .filter(
            Exists(
                Membership.objects.filter(
                    user_id=OuterRef("pk"), partnership=partnership, is_active=True, role__in=_owner_roles()
                )
            )
        )
        .select_related("agency")
        .order_by("full_name", "id")
    )
    return people


register_person_scope("action-owners", possible_owners)


class ActionForm(VersionedFormMixin, GovukModelForm):
    message_names = {
        "title": "what needs to be done",
    }

    owner = PersonField(
        label="Owner",
        scope="action-owners",
        help_text="The person who will do it.",
        error_messages={"required": "Select the person who will do it"},
    )

    class Meta:
        model = Action
        fields = ["title", "detail", "owner", "agency", "due_date", "priority", "theme"]
        labels = {"title": "What needs to be done", "detail": "More detail (optional)", "theme": "Theme (optional)"}
        help_texts = {"due_date": "For example, 31 3 2027. A date in the past is allowed but you will be warned."}
        widgets = {"detail": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, partnership: Partnership, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership, self.user = partnership, user
        form_field(self, "owner", PersonField).limit_to(possible_owners(partnership), user, partnership)
        model_choice_field(self, "agency").queryset = (
            Agency.objects.visible_to(user).in_partnership(partnership).order_by("name")
        )
        self.fields["agency"].label = "Agency responsible"


class ProgressUpdateForm(GovukModelForm):
    message_names = {
        "text": "what has been done",
    }

    start = forms.BooleanField(
        required=False,
        label="Work on this action has started",
        help_text="Moves the action from open to in progress.",
    )

    class Meta:
        model = ActionUpdate
        fields = ["text"]
        labels = {"text": "What has been done"}
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, can_start: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_start:
            del self.fields["start"]


class EvidenceForm(GovukModelForm):
    message_names = {
        "description": "what this evidence shows",
        "file": "a file",
        "link": "the link",
    }

    class Meta:
        model = ActionEvidence
        fields = ["description", "file", "link"]
        labels = {
            "description": "What this evidence shows",
            "file": "Upload a file (optional)",
            "link": "Or give a link (optional)",
        }
        help_texts = {
            "file": "A document or image (PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, PNG or JPEG), "
            "up to 20 MB.",
            "link": "For example a page on your agency's intranet, starting https://",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "file": forms.FileInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in ALLOWED_UPLOAD_EXTENSIONS)

    def clean_file(self) -> UploadedFile[bytes] | None:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("file")
        if upload:
            validate_upload(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not cleaned.get("file") and not cleaned.get("link") and not self.has_error("file"):
            if not self.has_error("link"):
                self.add_error("file", "Upload a file or give a link")
        return cleaned


class ReviewForm(GovukForm):
    decision = forms.ChoiceField(
        label="Does this evidence show the action is done?",
        choices=[("accept", "Yes, accept it"), ("reject", "No, more is needed")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if the evidence shows the action is done, or no if more is needed",
            "invalid_choice": "Select yes if the evidence shows the action is done, or no if more is needed",
        },
    )
    note = forms.CharField(
        label="Note to the owner",
        required=False,
        max_length=NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when more is needed: say what is missing.",
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("decision") == "reject" and not cleaned.get("note", "").strip():
            self.add_error("note", "Say what more is needed")
        return cleaned


class ReasonForm(GovukForm):
    reason = forms.CharField(label="Reason", max_length=NOTE, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, label: str = "Reason", help_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text
        self.fields["reason"].error_messages["required"] = f"Enter {label.lower().rstrip('?')}"
