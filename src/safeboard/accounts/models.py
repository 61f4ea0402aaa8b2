"""People, their roles in partnerships, and their personal API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Self

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from safeboard.core.models import Agency, AuditedModel, Partnership
from safeboard.core.permissions import Grants, Role, Scope, grants_for, role_needs_two_factor
from safeboard.core.querysets import NOTHING, ScopedQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class UserQuerySet(ScopedQuerySet["User"]):
    """People are placed in a partnership by their roles there (active memberships)."""

    partnership_field = "memberships__partnership"
    one_partnership_per_record = False

    def scope_filter(self, user: User, by_partnership: dict[int, Scope]) -> Q:
        query = NOTHING
        wide = [pid for pid, scope in by_partnership.items() if scope == Scope.PARTNERSHIP]
        agency = [pid for pid, scope in by_partnership.items() if scope == Scope.AGENCY]
        if wide:
            query |= Q(Exists(Membership.objects.filter(user_id=OuterRef("pk"), partnership_id__in=wide)))
        if agency and user.agency_id:
            query |= Q(agency_id=user.agency_id) & Q(
                Exists(Membership.objects.filter(user_id=OuterRef("pk"), partnership_id__in=agency))
            )
        if by_partnership:
            query |= Q(pk=user.pk)  # everyone with any scope sees their own profile
        return query

    def in_partnership(self, partnership: Partnership) -> UserQuerySet:
        return self.filter(Exists(Membership.objects.filter(user_id=OuterRef("pk"), partnership=partnership)))


# The django-stubs plugin cannot follow from_queryset() here (models import each other in a cycle),
# so the base is dynamic to mypy and User.objects is untyped: code that reads it annotates the result.
class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("A person needs an email address to sign in.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_system_administrator", True)
        fields.setdefault("full_name", "System administrator")
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, AuditedModel):
    """A person who signs in. They work for one agency and hold roles in partnerships."""

    email = models.EmailField("Email address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    phone = models.CharField("Work phone", max_length=40, blank=True)
    is_active = models.BooleanField(
        default=True, help_text="Deactivated people cannot sign in and their sessions end at once."
    )
    is_system_administrator = models.BooleanField(default=False)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    _safeboard_grants: Grants  # cached for the request by core.permissions.grants_for
    is_verified: Callable[[], bool]  # put on the signed-in person by django_otp's OTPMiddleware

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    audit_redacted_fields = frozenset({"password"})
    audit_ignored_fields = frozenset({"last_login"})
    holds_personal_data = True

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = "person"
        verbose_name_plural = "people"
        indexes = [
            # The people list is ordered by name and paged by (full_name, id).
            models.Index(fields=["full_name", "id"], name="user_name_keyset"),
            models.Index(fields=["agency", "full_name", "id"], name="user_agency_name"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_staff(self) -> bool:
        return False

    @property
    def is_superuser(self) -> bool:
        return False

    def has_perm(self, perm: str, obj: object = None) -> bool:
        """True when the person holds ``perm`` in any partnership (templates, DRF's defaults)."""
        return self.is_active and grants_for(self).has_anywhere(perm)

    def has_module_perms(self, app_label: str) -> bool:
        return False

    def audit_partnership_ids(self) -> set[int]:
        # A person is in the partnerships where they hold an active role.
        if self.pk is None:
            return set()
        return set(self.memberships.filter(is_active=True).values_list("partnership_id", flat=True))

    def needs_two_factor(self) -> bool:
        """Anyone who can see personal data must sign in with an authenticator app code."""
        if self.is_system_administrator:
            return True
        roles = self.memberships.filter(is_active=True).values_list("role", flat=True)
        return any(role_needs_two_factor(role) for role in roles)


class MembershipQuerySet(ScopedQuerySet["Membership"]):
    agency_field = "user__agency"
    owner_field = "user"


class Membership(AuditedModel):
    """A person holds a role in a partnership."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=40, choices=Role.choices)
    is_active = models.BooleanField(default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__name", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "partnership", "role"], name="unique_role_per_person")]
        indexes = [models.Index(fields=["partnership", "role", "user"], name="membership_partnership_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.partnership}"


TOKEN_PREFIX = "sbk"


class APITokenQuerySet(ScopedQuerySet["APIToken"]):
    """Tokens belong to one person and are seen by that person only."""

    def visible_to(
        self, user: User | AnonymousUser | None, action: str = "view", partnership: Partnership | None = None
    ) -> Self:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(user=user)

    def usable(self) -> APITokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class APIToken(AuditedModel):
    """A personal API token. Only a hash is stored; the token is shown once, when it is made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, for example ‘Police data return’.")
    key_id = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = APITokenQuerySet.as_manager()

    audit_redacted_fields = frozenset({"key_hash"})

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_id})"

    def audit_partnership_ids(self) -> set[int]:
        # A personal token is in its owner's partnerships.
        return self.user.audit_partnership_ids()

    @staticmethod
    def hash_secret(secret: str) -> str:
        # Tokens are 256-bit random values, so a plain SHA-256 is enough (no need for a slow hash).
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str, days: int = 90) -> tuple[APIToken, str]:
        """Create a token and return it with the only copy of its secret."""
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_id=key_id,
            key_hash=cls.hash_secret(secret),
            expires_at=timezone.now() + timedelta(days=days),
        )
        return token, f"{TOKEN_PREFIX}_{key_id}_{secret}"

    @classmethod
    def authenticate(cls, presented: str) -> APIToken | None:
        try:
            prefix, key_id, secret = presented.split("_", 2)
        except ValueError:
            return None
        if prefix != TOKEN_PREFIX:
            return None
        token = cls.objects.usable().select_related("user").filter(key_id=key_id).first()
        if token is None or not hmac.compare_digest(token.key_hash, cls.hash_secret(secret)):
            return None
        return token

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class SignedInSession(models.Model):
    """Which sessions belong to whom, so that deactivating a person can end all of theirs at once.

    Django's database sessions store the user inside an encoded blob, which cannot be searched.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, db_index=True)
    signed_in_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} since {self.signed_in_at:%Y-%m-%d %H:%M}"


class PasswordResetRequest(models.Model):
    """One request to reset a password, kept for an hour so that requests can be rate-limited.

    The address typed is stored only as a keyed hash: this table must not become a list of the
    addresses people (or attackers) type. Bookkeeping, not a change to anyone's record, so it is not
    in the change log.
    """

    account_key = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # "How many requests for this account in the last hour?"
            models.Index(fields=["account_key", "requested_at"], name="reset_request_account"),
            # "How many requests from this address in the last hour?"
            models.Index(fields=["ip_address", "requested_at"], name="reset_request_address"),
            # Clearing requests older than an hour.
            models.Index(fields=["requested_at"], name="reset_request_time"),
        ]

    def __str__(self) -> str:
        return f"Password reset request at {self.requested_at:%Y-%m-%d %H:%M}"
