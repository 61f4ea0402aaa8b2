from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeboard.accounts.forms import (
    APITokenForm,
    CodeForm,
    GovukPasswordChangeForm,
    GovukPasswordResetForm,
    GovukSetPasswordForm,
    MembershipForm,
    NewPersonForm,
    OwnDetailsForm,
    OwnEmailForm,
    PersonFilter,
    PersonForm,
    SignInForm,
)
from safeboard.accounts.models import APIToken, Membership, User
from safeboard.accounts.rules import PersonRules
from safeboard.accounts.services import (
    LinkError,
    PersonError,
    add_person,
    confirm_email_change,
    deactivate,
    note_password_reset_request,
    reactivate,
    read_email_change,
    request_email_change,
)
from safeboard.accounts.tables import PersonTable
from safeboard.accounts.twofactor import has_authenticator, must_set_up_authenticator, owes_second_factor
from safeboard.core.http import AuthenticatedHttpRequest, PartnershipRequest, signed_in
from safeboard.core.middleware import client_ip
from safeboard.core.permissions import Role, forget_grants
from safeboard.core.querysets import may, user_can
from safeboard.core.views_base import (
    PartnershipView,
    PostOnlyView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    SignedInView,
)

logger = logging.getLogger(__name__)

# --- Sign-in --------------------------------------------------------------------------------------------


def _safe_next(request: HttpRequest, fallback: str = "core:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(fallback)


def sign_in_locked_out(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """Shown when django-axes refuses a sign-in after too many failures (per account or per IP)."""
    form = SignInForm(initial={"email": (credentials or {}).get("username", "")})
    return render(request, "accounts/sign_in.html", {"form": form, "locked_out": True}, status=429)


class SignInView(FormView[SignInForm]):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not owes_second_factor(request.user):
            return redirect(_safe_next(request))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(next=self.request.GET.get("next", ""), **kwargs)

    def form_valid(self, form: SignInForm) -> HttpResponse:
        request = self.request
        user = authenticate(
            request, username=form.cleaned_data["email"].lower(), password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            return sign_in_locked_out(request, {"username": form.cleaned_data["email"]})
        if user is None:
            form.add_error(None, "Enter the email address and password of an active Safeboard account.")
            return self.form_invalid(form)
        login(request, user)
        query = f"?next={quote(_safe_next(request))}"
        if has_authenticator(user):
            return redirect(reverse("accounts:sign-in-code") + query)
        if must_set_up_authenticator(user):
            return redirect(reverse("accounts:two-factor-setup") + query)
        return HttpResponseRedirect(_safe_next(request))


class SignInCodeView(SignedInView, FormView[CodeForm]):
    """The second step: a code from the person's authenticator app."""

    request: AuthenticatedHttpRequest  # as the view's sign-in base (Django's generic views say HttpRequest)

    template_name = "accounts/sign_in_code.html"
    form_class = CodeForm

    def form_valid(self, form: CodeForm) -> HttpResponse:
        user = self.request.user
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            verified, _ = device.verify_is_allowed()
            if verified and device.verify_token(form.cleaned_data["code"]):
                otp_login(self.request, device)
                return HttpResponseRedirect(_safe_next(self.request))
        form.add_error("code", "That code is not right, or it has expired. Enter the code the app shows now.")
        return self.form_invalid(form)


class TwoFactorSetupView(SignedInView, FormView[CodeForm]):
    """Link an authenticator app: scan the QR code (or type the key), then enter a code to confirm."""

    request: AuthenticatedHttpRequest  # as the view's sign-in base (Django's generic views say HttpRequest)

    template_name = "accounts/two_factor_setup.html"
    form_class = CodeForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if signed_in(request) and has_authenticator(request.user):
            if not request.user.is_verified():
                return redirect("accounts:sign-in-code")
            messages.info(request, "Your authenticator app is already set up.")
            return redirect("accounts:my-account")
        return super().dispatch(request, *args, **kwargs)

    def device(self) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=self.request.user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=self.request.user, name="Authenticator app", confirmed=False)
        return device

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        device = self.device()
        qr = segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code for your authenticator app")
        import base64

        key = base64.b32encode(device.bin_key).decode()
        grouped = " ".join(key[i : i + 4] for i in range(0, len(key), 4))
        return super().get_context_data(qr_svg=mark_safe(qr), secret_key=grouped, **kwargs)  # noqa: S308 (segno's own SVG)

    def form_valid(self, form: CodeForm) -> HttpResponse:
        device = self.device()
        if not device.verify_token(form.cleaned_data["code"]):
            form.add_error(
                "code", "That code is not right. Check the app is set up with this key and try the new code."
            )
            return self.form_invalid(form)
        device.confirmed = True
        device.save()
        otp_login(self.request, device)
        messages.success(
            self.request, "Your authenticator app is set up. You will need a code from it each time you sign in."
        )
        return HttpResponseRedirect(_safe_next(self.request))


class SignOutView(PostOnlyView):
    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        logout(request)
        messages.success(request, "You have signed out.")
        return redirect("accounts:sign-in")


class PasswordResetView(auth_views.PasswordResetView):
    """Sends a reset link, at most a few times an hour per account and per address.

    Over the limit it answers exactly as when it sends, so the page never says whether an address
    has an account or has been asked for too often. Links point at SAFEBOARD_SITE_URL, never at the
    request's Host header.
    """

    form_class = GovukPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")

    @property
    def extra_email_context(self) -> dict[str, str]:  # type: ignore[override]  # an attribute in the stubs; read at send time here
        return {"site_url": settings.SAFEBOARD_SITE_URL.rstrip("/")}

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        address = getattr(self.request, "client_ip", None) or client_ip(self.request)
        if not note_password_reset_request(form.cleaned_data["email"], address):
            logger.warning("Password reset not sent: too many requests for the account or from %s", address)
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = GovukSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = GovukPasswordChangeForm
    template_name = "core/form.html"
    success_url = reverse_lazy("accounts:my-account")
    extra_context = {"title": "Change your password"}

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response


# --- My account and API tokens -------------------------------------------------------------------------


class MyAccountView(SignedInView, TemplateView):
    request: AuthenticatedHttpRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
    template_name = "accounts/my_account.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return super().get_context_data(
            memberships=user.memberships.filter(is_active=True).select_related("partnership"),
            has_authenticator=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            tokens=APIToken.objects.visible_to(user).filter(revoked_at__isnull=True)[:20],
            **kwargs,
        )


class MyDetailsView(SignedInView, FormView[OwnDetailsForm]):
    request: AuthenticatedHttpRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
    template_name = "core/form.html"
    form_class = OwnDetailsForm
    extra_context = {"title": "Change your details"}

    def get_form_kwargs(self) -> dict[str, Any]:
        # The person's own row, not ``request.user``: that is a lazy wrapper, and saving through it
        # (the conflict check looks up ``type(instance)``) failed with a 500 on every POST.
        return {**super().get_form_kwargs(), "instance": User.objects.get(pk=self.request.user.pk)}

    def form_valid(self, form: OwnDetailsForm) -> HttpResponse:
        from safeboard.core.concurrency import CONFLICT_MESSAGE, EditConflict

        try:
            form.save_checked()
        except EditConflict:
            form.add_error(None, CONFLICT_MESSAGE)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        messages.success(self.request, "Your details have been saved.")
        return redirect("accounts:my-account")


class MyEmailView(SignedInView, FormView[OwnEmailForm]):
    """Ask to change one's own sign-in address: a link goes to the new one, a notice to the old one."""

    request: AuthenticatedHttpRequest  # as the view's sign-in base (Django's generic views say HttpRequest)

    template_name = "core/form.html"
    form_class = OwnEmailForm
    extra_context = {
        "title": "Change your email address",
        "lede": "We will send a link to the new address. Your address changes when you follow it; until then, "
        "sign in with your current one.",
    }

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "person": User.objects.get(pk=self.request.user.pk),
            "request": self.request,
        }

    def form_valid(self, form: OwnEmailForm) -> HttpResponse:
        request_email_change(person=form.person, new_email=form.cleaned_data["email"], requested_by=form.person)
        messages.success(
            self.request,
            f"We have sent a link to {form.cleaned_data['email']}. Follow it to change your email address. "
            "We have also told your current address.",
        )
        return redirect("accounts:my-account")


class EmailConfirmView(TemplateView):
    """The link sent to a new address. Opening it changes nothing (mail scanners open links); the
    button on the page does. It works without signing in: the link itself proves the address."""

    template_name = "accounts/email_confirm.html"

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            change = read_email_change(token)
        except LinkError as problem:
            return self.render_to_response({"problem": str(problem)})
        return self.render_to_response({"change": change})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            person = confirm_email_change(token)
        except LinkError as problem:
            return self.render_to_response({"problem": str(problem)}, status=400)
        messages.success(request, f"Your email address is now {person.email}. Use it to sign in.")
        if signed_in(request) and request.user.pk == person.pk:
            return redirect("accounts:my-account")
        return redirect("accounts:sign-in")


class APITokenCreateView(SignedInView, FormView[APITokenForm]):
    request: AuthenticatedHttpRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
    template_name = "core/form.html"
    form_class = APITokenForm
    extra_context = {
        "title": "Create a personal API token",
        "lede": "A token lets another system read and update Safeboard as you, seeing only what you may see.",
    }

    def form_valid(self, form: APITokenForm) -> HttpResponse:
        token, secret = APIToken.issue(self.request.user, form.cleaned_data["name"], form.cleaned_data["days"])
        return render(self.request, "accounts/api_token_created.html", {"token": token, "secret": secret})


class APITokenRevokeView(PostOnlyView):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        token = get_object_or_404(APIToken.objects.visible_to(request.user), pk=pk, revoked_at__isnull=True)
        token.revoked_at = timezone.now()
        token.save()
        messages.success(request, f"The token ‘{token.name}’ has been revoked. It no longer works.")
        return redirect("accounts:my-account")


# --- People ----------------------------------------------------------------------------------------------


class PersonListView(ScopedListView):
    model = User
    filterset_class = PersonFilter
    table_class = PersonTable
    ordering = ("full_name", "id")
    select_related = ("agency",)
    title = "People"

    def base_queryset(self) -> QuerySet[Any]:
        partnership = self.request.partnership
        if not (
            user_can(self.request.user, "accounts.view_membership", partnership)
            or user_can(self.request.user, "accounts.add_user", partnership)
        ):
            raise PermissionDenied
        return super().base_queryset()

    def counted(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # The list pages through people in name order and stops at 51; the count must reach
        # 1,001, and reading people in id order it tests every person of the install on the way.
        # Naming the partnership's members by id as well lets the database start from the
        # partnership's memberships instead (benchmarks/README.md).
        members = Membership.objects.filter(partnership=self.request.partnership).values("user_id")
        return queryset.filter(pk__in=members)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if user_can(self.request.user, "accounts.add_user", self.request.partnership):
            context.update(add_url=reverse("accounts:person-new"), add_label="Add a person")
        return context


class PersonDetailView(ScopedDetailView):
    model = User
    template_name = "accounts/person_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, person, partnership = self.request.user, self.object, self.request.partnership
        rules = PersonRules(user, person)
        administers_here = user_can(user, "accounts.change_user", partnership) and not rules.is_self
        context.update(
            memberships=Membership.objects.visible_to(user).filter(user=person).select_related("partnership")
            if user_can(user, "accounts.view_membership", partnership) or person == user
            else [],
            can_change=rules.can_edit(),
            # Administrators who may not change this person are told who can.
            who_can_change=rules.who_can_change() if administers_here and not rules.can_change_identity() else "",
            can_deactivate=rules.can_deactivate(),
            can_add_role=user_can(user, "accounts.add_membership", partnership)
            and person.memberships.filter(partnership=partnership).exists(),
            can_remove_role=user_can(user, "accounts.delete_membership", partnership),
            can_see_history=user_can(user, "core.view_history", partnership),
        )
        return context


class PersonCreateView(PartnershipView, FormView[NewPersonForm]):
    """Add a person to the partnership, or give the role to the person who already has the address.

    The answer is the same either way (issue 6 §5): the page must not tell an administrator whether an
    address has an account anywhere on the platform.
    """

    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)

    template_name = "core/form.html"
    form_class = NewPersonForm
    extra_context = {
        "title": "Add a person",
        "lede": "Someone new gets an email with a link to set their password, then sets up an authenticator app. "
        "Someone who already has a Safeboard account keeps their own details and gets an email about the new role.",
    }

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if signed_in(request) and request.partnership is not None:
            if not user_can(request.user, "accounts.add_user", request.partnership):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "partnership": self.request.partnership}

    def form_valid(self, form: NewPersonForm) -> HttpResponse:
        data = form.cleaned_data
        add_person(
            partnership=self.request.partnership,
            role=data["role"],
            email=data["email"],
            full_name=data["full_name"],
            job_title=data["job_title"],
            agency=data["agency"],
            phone=data["phone"],
            added_by=self.request.user,
        )
        forget_grants(self.request.user)
        messages.success(
            self.request,
            f"{data['email']} is now {Role(data['role']).label.lower()} in {self.request.partnership}. We have "
            "emailed them: someone new gets a link to set their password; someone who already has a Safeboard "
            "account is told about the new role.",
        )
        return redirect("accounts:person-list")


class PersonUpdateView(ScopedUpdateView):
    """A person's details. Who may change what is ``PersonRules`` (accounts/rules.py): an administrator
    of every partnership the person works in (or the system administrator) changes their identity;
    the person changes their own name, job title and phone. Anyone else who can see them gets 403."""

    model = User
    template_name = "core/form.html"
    context_object_name = "person"

    def get_object(self, queryset: QuerySet[Any] | None = None) -> User:
        person: User = super(ScopedUpdateView, self).get_object(queryset)
        self.rules = PersonRules(self.request.user, person)
        if not self.rules.can_edit():
            raise PermissionDenied(self.rules.who_can_change())
        return person

    def get_form_class(self) -> type[PersonForm] | type[OwnDetailsForm]:
        return PersonForm if self.rules.can_change_identity() else OwnDetailsForm

    def form_valid(self, form: PersonForm | OwnDetailsForm) -> HttpResponse:
        new_email = getattr(form, "new_email", None)
        response = super().form_valid(form)
        if response.status_code == 302 and new_email:
            request_email_change(person=self.object, new_email=new_email, requested_by=self.request.user)
            messages.info(
                self.request,
                f"We have sent a link to {new_email}. The email address changes when someone follows it; "
                "we have told the current address too.",
            )
        return response

    def get_success_url(self) -> str:
        return reverse("accounts:person-detail", args=[self.object.pk])


class PersonDeactivateView(PartnershipView, TemplateView):
    """Deactivating a person ends their sessions at once; reactivating lets them sign in again.

    Only someone who administers every partnership the person works in (or the system administrator)
    may: a partnership cannot shut someone out of another partnership's work.
    """

    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)

    template_name = "accounts/person_deactivate.html"

    def person(self, pk: int) -> User:
        person = get_object_or_404(User.objects.visible_to(self.request.user), pk=pk)
        rules = PersonRules(self.request.user, person)
        if not rules.can_deactivate():
            raise PermissionDenied("" if rules.is_self else rules.who_can_change())
        return person

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(person=self.person(kwargs["pk"]), **kwargs)

    def post(self, request: PartnershipRequest, pk: int) -> HttpResponse:
        person = self.person(pk)
        try:
            if person.is_active:
                deactivate(person, by=request.user)
                messages.success(request, f"{person} has been deactivated and signed out everywhere.")
            else:
                reactivate(person, by=request.user)
                messages.success(request, f"{person} can sign in again.")
        except PersonError as refused:
            raise PermissionDenied(str(refused)) from None
        return redirect("accounts:person-detail", pk=pk)


class MembershipCreateView(PartnershipView, FormView[MembershipForm]):
    request: PartnershipRequest  # as the view's sign-in base (Django's generic views say HttpRequest)
    template_name = "core/form.html"
    form_class = MembershipForm

    def person(self) -> User:
        person = get_object_or_404(User.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        if not user_can(self.request.user, "accounts.add_membership", self.request.partnership):
            raise PermissionDenied
        return person

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "person": self.person(), "partnership": self.request.partnership}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=f"Give {self.person()} a role in {self.request.partnership}", **kwargs)

    def form_valid(self, form: MembershipForm) -> HttpResponse:
        membership, _ = Membership.objects.update_or_create(
            user=form.person,
            partnership=self.request.partnership,
            role=form.cleaned_data["role"],
            defaults={"is_active": True},
        )
        forget_grants(self.request.user)
        messages.success(
            self.request, f"{form.person} is now {membership.get_role_display().lower()} in {self.request.partnership}."
        )
        return redirect("accounts:person-detail", pk=form.person.pk)


class MembershipRemoveView(PostOnlyView):
    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        # 404 for a role out of sight; 403 for one the person sees but may not remove.
        membership = get_object_or_404(Membership.objects.visible_to(request.user), pk=pk)
        if not may(request.user, "delete", membership):
            raise PermissionDenied
        if membership.role == Role.PARTNERSHIP_ADMINISTRATOR:
            others = Membership.objects.filter(
                partnership=membership.partnership,
                role=Role.PARTNERSHIP_ADMINISTRATOR,
                is_active=True,
                user__is_active=True,
            ).exclude(pk=membership.pk)
            if not others.exists():
                messages.error(
                    request, "A partnership needs at least one administrator. Give someone else the role first."
                )
                return redirect("accounts:person-detail", pk=membership.user_id)
        person_id = membership.user_id
        label = str(membership)
        membership.delete()
        messages.success(request, f"Removed: {label}.")
        return redirect("accounts:person-detail", pk=person_id)
