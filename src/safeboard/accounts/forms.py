from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.db.models import Exists, OuterRef, Q, QuerySet

from safeboard.accounts.models import Membership, User
from safeboard.core.concurrency import VersionedFormMixin
from safeboard.core.filters import GovukFilterSet, filter_of
from safeboard.core.forms import GovukForm, GovukFormMixin, GovukModelForm, model_choice_field
from safeboard.core.http import SafeboardRequest
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
    message_names = {
        "code": "the code from your authenticator app",
    }

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
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
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
    """The form for someone who may change a person's identity (``PersonRules.can_change_identity``).

    The email address is not saved by the form: a new address takes effect only when the link sent
    to it is followed (``accounts.services.request_email_change``).
    """

    instance: User

    email = forms.EmailField(
        label="Email address",
        help_text="If you change it, we send a link to the new address and tell the old one. The address "
        "changes when the link is followed.",
    )

    class Meta:
        model = User
        fields = ["full_name", "job_title", "agency", "phone"]
        labels = {"full_name": "Full name"}

    field_order = ["full_name", "email", "job_title", "agency", "phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from safeboard.accounts.services import agency_choices

        super().__init__(*args, **kwargs)
        self.initial.setdefault("email", self.instance.email)
        choices = agency_choices(self.instance)
        if self.instance.agency_id:
            choices = choices | Agency.objects.filter(pk=self.instance.agency_id)
        model_choice_field(self, "agency").queryset = choices.distinct().order_by("name")
        self.fields["agency"].required = True

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).strip().lower()

    @property
    def new_email(self) -> str | None:
        """The address asked for, when it differs from the current one."""
        email = self.cleaned_data.get("email")
        return email if email and email != self.instance.email else None


class OwnDetailsForm(VersionedFormMixin, GovukModelForm):
    """What a person may change about themselves."""

    instance: User

    class Meta:
        model = User
        fields = ["full_name", "job_title", "phone"]
        labels = {"full_name": "Full name"}


class OwnEmailForm(GovukForm):
    """A person asks to change their own sign-in address: their password, then a link to the new one."""

    message_names = {
        "password": "your password",
    }

    email = forms.EmailField(
        label="New email address", help_text="We will send a link to it. Your address changes when you follow it."
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, person: User, request: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.request = request

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).strip().lower()
        if email == self.person.email:
            raise forms.ValidationError("This is already your email address. Enter a different one.")
        return email

    def clean_password(self) -> str:
        from django.contrib.auth import authenticate

        password = self.cleaned_data["password"]
        # Through authenticate(), not check_password(): a wrong password here counts towards the
        # account's sign-in lockout, so a borrowed session cannot be used to guess it.
        if authenticate(self.request, username=self.person.email, password=password) is None:
            raise forms.ValidationError("Your password is not right. Enter the password you sign in with.")
        return password


class NewPersonForm(GovukForm):
    """Add a person to this partnership.

    A plain form, not a model form: a model form would check the address is unused and so tell any
    administrator whether it has an account anywhere on the platform. Someone who already has one
    gets the role and keeps their own details (``accounts.services.add_person``).
    """

    message_names = {
        "role": "their first role",
    }

    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="Email address")
    job_title = forms.CharField(label="Job title", max_length=150, required=False)
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    phone = forms.CharField(label="Work phone", max_length=40, required=False)
    role = forms.ChoiceField(label="Their first role in this partnership", choices=Role.choices)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "agency").queryset = Agency.objects.in_partnership(partnership).filter(is_active=True)

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).strip().lower()


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
    message_names = {
        "name": "a name for the token",
        "days": "when the token expires",
    }

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

    request: SafeboardRequest | None

    class Meta:
        model = User
        fields = ["search", "agency", "role", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        if request is not None and request.partnership is not None:
            agencies = Agency.objects.in_partnership(request.partnership).only("id", "name")
            filter_of(self, "agency", django_filters.ModelChoiceFilter).queryset = agencies
            model_choice_field(self.form, "agency").queryset = agencies

    def filter_search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        # A contains-search cannot use an ordinary index; narrowing to the partnership's members first
        # keeps it to thousands of rows rather than every person in the country (trigram indexes
        # serve it on PostgreSQL: accounts migration 0004).
        partnership = self.request.partnership if self.request is not None else None
        if partnership is not None:
            queryset = queryset.filter(pk__in=Membership.objects.filter(partnership=partnership).values("user_id"))
        return queryset.filter(Q(full_name__icontains=value) | Q(email__icontains=value.lower()))

    def filter_role(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        assert self.request is not None  # the people list gives its request
        partnership = self.request.partnership
        return queryset.filter(
            Exists(
                Membership.objects.filter(user_id=OuterRef("pk"), partnership=partnership, role=value, is_active=True)
            )
        )
