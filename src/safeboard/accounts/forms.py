from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.db.models import Exists, OuterRef, Q

from safeboard.accounts.models import Membership, User
from safeboard.core.concurrency import VersionedFormMixin
from safeboard.core.filters import GovukFilterSet
from safeboard.core.forms import GovukForm, GovukFormMixin, GovukModelForm
from safeboard.core.models import Agency, Partnership
from safeboard.core.permissions import Role


class SignInForm(GovukForm):
    email = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"})
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code shown in the app, for example 123456.",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "govuk-input--width-5"}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError("The code is 6 numbers, for example 123456.")
        return code


class GovukPasswordResetForm(GovukFormMixin, PasswordResetForm):
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,  # type: ignore[no-untyped-def]
        html_email_template_name=None,
    ):
        """Send through the task queue so a slow mail server never holds up the page."""
        from django.template import loader

        from safeboard.accounts.tasks import send_email

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_email.enqueue(subject=subject, body=body, to=[to_email])


class GovukSetPasswordForm(GovukFormMixin, SetPasswordForm):
    pass


class GovukPasswordChangeForm(GovukFormMixin, PasswordChangeForm):
    pass


class PersonForm(VersionedFormMixin, GovukModelForm):
    """A partnership administrator's form for a person's details."""

    class Meta:
        model = User
        fields = ["full_name", "email", "job_title", "agency", "phone"]
        labels = {"full_name": "Full name"}

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.in_partnership(partnership)
        self.fields["agency"].required = True

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class OwnDetailsForm(VersionedFormMixin, GovukModelForm):
    """What a person may change about themselves."""

    class Meta:
        model = User
        fields = ["full_name", "job_title", "phone"]
        labels = {"full_name": "Full name"}


class NewPersonForm(GovukModelForm):
    role = forms.ChoiceField(label="Their first role in this partnership", choices=Role.choices)

    class Meta:
        model = User
        fields = ["full_name", "email", "job_title", "agency", "phone"]
        labels = {"full_name": "Full name"}

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.in_partnership(partnership)
        self.fields["agency"].required = True

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(
                "Someone already has an account with this email address. Ask a system administrator "
                "to give them a role here, or check the address."
            )
        return email


class MembershipForm(GovukForm):
    role = forms.ChoiceField(label="Role", choices=Role.choices)

    def __init__(self, *args: Any, person: User, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.partnership = partnership

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        if Membership.objects.filter(user=self.person, partnership=self.partnership, role=role).exists():
            raise forms.ValidationError(f"{self.person} already holds this role here.")
        return role


class APITokenForm(GovukForm):
    name = forms.CharField(
        label="What is this token for?", max_length=100, help_text="For example ‘Police quarterly data return’."
    )
    days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        choices=[(30, "30 days"), (90, "90 days"), (180, "180 days"), (365, "1 year")],
        initial=90,
        widget=forms.RadioSelect,
    )


class PersonFilter(GovukFilterSet):
    search = django_filters.CharFilter(label="Name or email contains", method="filter_search")
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.none(), empty_label="Any agency")
    role = django_filters.ChoiceFilter(
        label="Role here", choices=Role.choices, empty_label="Any role", method="filter_role"
    )
    is_active = django_filters.BooleanFilter(
        label="Status",
        widget=forms.Select(choices=[("", "Active and deactivated"), ("true", "Active"), ("false", "Deactivated")]),
    )

    class Meta:
        model = User
        fields = ["search", "agency", "role", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        if request is not None and request.partnership is not None:
            self.filters["agency"].queryset = Agency.objects.in_partnership(request.partnership)
            self.form.fields["agency"].queryset = self.filters["agency"].queryset

    def filter_search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        # A contains-search cannot use an ordinary index; narrowing to the partnership's members first
        # keeps it to thousands of rows rather than every person in the country (trigram indexes
        # serve it on PostgreSQL: accounts migration 0004).
        partnership = self.request.partnership if self.request is not None else None
        if partnership is not None:
            queryset = queryset.filter(pk__in=Membership.objects.filter(partnership=partnership).values("user_id"))
        return queryset.filter(Q(full_name__icontains=value) | Q(email__icontains=value.lower()))

    def filter_role(self, queryset, name, value):  # type: ignore[no-untyped-def]
        partnership = self.request.partnership
        return queryset.filter(
            Exists(
                Membership.objects.filter(user_id=OuterRef("pk"), partnership=partnership, role=value, is_active=True)
            )
        )
