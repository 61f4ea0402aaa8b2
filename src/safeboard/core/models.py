"""Tenancy: partnerships, the places they cover, and the agencies that sit on them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from safeboard.core.fields import NOTE, BoundedTextField
from safeboard.core.modules import MODULE_CHOICES
from safeboard.core.permissions import Scope
from safeboard.core.querysets import NOTHING, ScopedQuerySet
from safeboard.core.workdays import Division

if TYPE_CHECKING:
    from safeboard.accounts.models import User


class AuditedModel(models.Model):
    """Base for records whose every change goes into the change log.

    ``version`` rises by one with each edit made through a form (``save_checked``), a service
    (``bump_version``) or the API (``IfMatchUpdateMixin``), not on every save. Edit forms carry it as a
    hidden field and API writes as ``If-Match``, so that two people editing the same record cannot
    silently overwrite each other (see ``safeboard.core.concurrency`` and ``core/api/versioning.py``).
    """

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    # Fields whose values never go into the change log (the log says only that they changed).
    audit_redacted_fields: frozenset[str] = frozenset()
    # Bookkeeping fields left out of the change log altogether (a sign-in time is not an edit).
    audit_ignored_fields: frozenset[str] = frozenset()
    # Records holding personal data: viewing them is written to the access log.
    holds_personal_data = False

    # Set on the instance by the audit trail's signal handlers, between a change's "pre" and "post"
    # signals (safeboard.core.audit): declared for the type checker, never columns.
    _audit_before: dict[str, Any] | None
    _audit_partnerships: frozenset[int]
    _audit_links_before: list[Any]
    _audit_partnerships_before: set[int]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The change and its change-log entry commit together or not at all.
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)

    def audit_partnership_ids(self) -> set[int]:
        """The partnerships this record is in: its audit entries carry them, and its history page
        opens to their administrators.

        Worked out from the model's ``ScopedQuerySet.partnership_field`` path (a paper is in
        ``item__meeting__group__partnership``), so a model needs no code of its own. Records that sit
        in several partnerships, or whose place is not a plain path, override it.
        """
        from safeboard.core.audit import partnerships_by_path

        return partnerships_by_path(self)


class PartnershipQuerySet(ScopedQuerySet["Partnership"]):
    partnership_field = "pk"
    one_partnership_per_record = False

    def scope_filter(self, user: User, by_partnership: dict[int, Scope]) -> Q:
        return Q(pk__in=list(by_partnership))


class Partnership(AuditedModel):
    """A safeguarding children partnership (an LSCB). One install may host many."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, help_text="Used in the header, for example ‘Northmoor SCP’.")
    slug = models.SlugField(max_length=60, unique=True)
    modules = models.JSONField(default=list, blank=True, help_text="The modules this partnership uses.")
    business_year_start_month = models.PositiveSmallIntegerField(
        default=4, help_text="The month the business year starts (April is 4)."
    )
    action_amber_days = models.PositiveSmallIntegerField("Days before the due date an action turns amber", default=14)
    papers_due_days = models.PositiveSmallIntegerField("Days before a meeting its papers are due", default=7)
    deputy_stand_ins_per_year = models.PositiveSmallIntegerField(
        "Times a named deputy may stand in each business year",
        default=1,
        help_text="How often a member's named deputy may attend in their place in one business year.",
    )
    division = models.CharField(
        "Bank holidays",
        max_length=20,
        choices=Division.choices,
        default=Division.ENGLAND_AND_WALES,
        help_text="Whose bank holidays the partnership's working-day clocks skip.",
    )
    scrutiny_reads_board_papers = models.BooleanField(
        "Scrutiny may read the board's papers",
        default=False,
        help_text="The board's non-confidential papers, at meetings whose minutes are published.",
    )
    minutes_need_difference_for_children = models.BooleanField(
        "Board minutes need ‘What difference will this make for children?’ before approval", default=True
    )
    follow_up_apologies = models.BooleanField(
        "Apologies are followed up as absences are",
        default=False,
        help_text="When on, a member who sends apologies gets the same follow-up from the business unit as a "
        "member absent without apologies.",
    )
    is_active = models.BooleanField(default=True)
    # The number of the partnership's latest action reference (A-0042 is 42). Only
    # ``actions.services.next_reference`` moves it, with the row locked, so two actions never share one.
    last_action_number = models.PositiveIntegerField(default=0, editable=False)

    objects = PartnershipQuerySet.as_manager()
    audit_ignored_fields = frozenset({"last_action_number"})

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A partnership read before an action was added must not put the counter back when saved.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "last_action_number"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("core:partnership-detail", args=[self.pk])

    def clean(self) -> None:
        known = {key for key, _ in MODULE_CHOICES}
        unknown = [m for m in self.modules if m not in known]
        if unknown:
            raise ValidationError({"modules": f"Unknown modules: {', '.join(unknown)}."})
        if not 1 <= self.business_year_start_month <= 12:
            raise ValidationError({"business_year_start_month": "Enter a month from 1 to 12."})


class LocalAuthorityArea(AuditedModel):
    """A council area the partnership covers (a shared board may cover several)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(max_length=120)
    code = models.CharField(max_length=12, blank=True, help_text="The ONS code, for example E08000035.")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="unique_area_name_in_partnership")]

    def __str__(self) -> str:
        return self.name


class Locality(AuditedModel):
    """A locality inside an area: where early help, schools and police teams are organised."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="localities")
    area = models.ForeignKey(
        LocalAuthorityArea, on_delete=models.PROTECT, related_name="localities", null=True, blank=True
    )
    name = models.CharField(max_length=120)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="unique_locality_name_in_partnership")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.area_id and self.partnership_id:
            area = self.area
            if area is not None and area.partnership_id != self.partnership_id:
                raise ValidationError({"area": "Choose an area of this partnership."})


class AgencyType(models.TextChoices):
    """The statutory partner categories."""

    CHILDRENS_SERVICES = "childrens_services", "Local authority children's services"
    POLICE = "police", "Police"
    NHS_TRUST = "nhs_trust", "NHS trust"
    INTEGRATED_CARE_BOARD = "integrated_care_board", "Integrated care board"
    PROBATION = "probation", "Probation service"
    YOUTH_JUSTICE = "youth_justice", "Youth justice service"
    SCHOOLS = "schools", "Schools and colleges"
    DISTRICT_COUNCIL = "district_council", "District council"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    OTHER = "other", "Other"


class AgencyQuerySet(ScopedQuerySet["Agency"]):
    partnership_field = "partnerships"
    one_partnership_per_record = False

    def scope_filter(self, user: User, by_partnership: dict[int, Scope]) -> Q:
        # An agency may sit on several partnerships; test membership with EXISTS so that an agency
        # is listed once, and so that no join multiplies rows.
        wide = [pid for pid, scope in by_partnership.items() if scope == Scope.PARTNERSHIP]
        narrow = [pid for pid, scope in by_partnership.items() if scope < Scope.PARTNERSHIP]
        links = Agency.partnerships.through.objects.filter(agency_id=OuterRef("pk"))
        query = NOTHING
        if wide:
            query |= Q(Exists(links.filter(partnership_id__in=wide)))
        if narrow and user.agency_id:
            query |= Q(pk=user.agency_id) & Q(Exists(links.filter(partnership_id__in=narrow)))
        return query

    def in_partnership(self, partnership: Partnership) -> AgencyQuerySet:
        links = Agency.partnerships.through.objects.filter(agency_id=OuterRef("pk"), partnership=partnership)
        return self.filter(Exists(links))


class Agency(AuditedModel):
    """An organisation that is a partner on one or more boards (a police force covers many).

    An agency that sits on several partnerships belongs to none of them alone: its name, type, code
    and email change only by someone who administers every one of them (see ``core/rules.py``).
    """

    name = models.CharField(max_length=200, unique=True)
    agency_type = models.CharField("Type of agency", max_length=40, choices=AgencyType.choices)
    code = models.CharField(
        "Agency code",
        max_length=20,
        blank=True,
        help_text="A national code, if it has one: for example the ODS code of an NHS body.",
    )
    partnerships = models.ManyToManyField(Partnership, related_name="agencies", blank=True)
    email = models.EmailField("Safeguarding contact email", blank=True)
    is_active = models.BooleanField(default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        indexes = [models.Index(fields=["agency_type", "name"], name="agency_type_name")]
        constraints = [
            # Optional, but unique when given (the join page finds an agency by its exact code).
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="unique_agency_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.code = self.code.strip().upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("core:agency-detail", args=[self.pk])

    def audit_partnership_ids(self) -> set[int]:
        # Every board the agency sits on.
        return set(self.partnerships.values_list("pk", flat=True)) if self.pk is not None else set()


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class AgencyJoinRequestQuerySet(ScopedQuerySet["AgencyJoinRequest"]):
    """A request is seen by the partnership that asks and by the partnerships the agency sits on."""

    partnership_field = "partnership"
    one_partnership_per_record = False

    def scope_filter(self, user: User, by_partnership: dict[int, Scope]) -> Q:
        ids = [pid for pid, scope in by_partnership.items() if scope == Scope.PARTNERSHIP]
        if not ids:
            return NOTHING
        links = Agency.partnerships.through.objects.filter(agency_id=OuterRef("agency_id"), partnership_id__in=ids)
        return Q(partnership_id__in=ids) | Q(Exists(links))

    def awaiting_decision_by(self, user: User) -> AgencyJoinRequestQuerySet:
        """Pending requests ``user`` may approve: for agencies on a partnership they administer.

        An agency on no partnership has no administrator of its own, so only the system administrator
        decides for it. The asking partnership never decides its own request.
        """
        from safeboard.core.permissions import grants_for

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        pending = self.filter(status=JoinRequestStatus.PENDING)
        grants = grants_for(user)
        if grants.everywhere("core.decide_agencyjoinrequest"):
            return pending
        ids = [
            pid for pid, scope in grants.scopes("core.decide_agencyjoinrequest").items() if scope == Scope.PARTNERSHIP
        ]
        if not ids:
            return self.none()
        links = Agency.partnerships.through.objects.filter(agency_id=OuterRef("agency_id"), partnership_id__in=ids)
        return pending.filter(Exists(links))


class AgencyJoinRequest(AuditedModel):
    """A partnership asks to add an agency that already sits on other partnerships (or on none).

    An administrator of a partnership the agency sits on, or the system administrator, decides
    (``core.services.decide_join_request``).
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="join_requests")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="agency_join_requests", help_text="The partnership asking."
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = BoundedTextField("Why your partnership needs this agency", max_length=NOTE, blank=True)
    status = models.CharField(max_length=20, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = BoundedTextField("Note to the partnership that asked", max_length=NOTE, blank=True)

    objects = AgencyJoinRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "partnership"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            )
        ]
        indexes = [
            # "Waiting for your decision": pending requests for the agencies on the approver's boards.
            models.Index(fields=["status", "agency"], name="join_request_status_agency"),
            # A partnership's own requests, newest first.
            models.Index(fields=["partnership", "-created_at"], name="join_request_partnership"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership.short_name} asks to add {self.agency}"

    def get_absolute_url(self) -> str:
        return reverse("core:agency-request", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == JoinRequestStatus.PENDING


class Compartment(AuditedModel):
    """A named access list that seals records: only the people on it see what is filed in it.

    The exploitation module files intelligence here; a role alone never opens a sealed record.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="compartments")
    name = models.CharField(max_length=120)
    purpose = BoundedTextField(blank=True, max_length=NOTE)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="compartments", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="unique_compartment_name")]

    def __str__(self) -> str:
        return self.name


from safeboard.core.audit import (  # noqa: E402,F401  (models of this app)
    AccessLogEntry,
    AccessLogPartnership,
    AuditCheckpoint,
    ChangeLogEntry,
    ChangeLogPartnership,
)
from safeboard.core.interests import Interest, InterestDeclaration  # noqa: E402,F401  (models of this app)
from safeboard.core.questionnaires.models import (  # noqa: E402,F401  (models of this app)
    Questionnaire,
    QuestionnaireResponse,
    QuestionnaireVersion,
)
from safeboard.core.reminders import ReminderClaim  # noqa: E402,F401  (models of this app)
from safeboard.core.workdays import BankHoliday  # noqa: E402,F401  (models of this app)
