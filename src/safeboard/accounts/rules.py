"""Who may change a person: one checker for the web pages, the API and the templates.

A person's identity (name, email address, agency, phone, job title) and whether their account is
active belong to no single partnership: they hold roles in any number of them, and changing their
agency widens what an agency lead sees in each. So:

- an administrator acts on roles in their own partnership (adding and ending them: the membership
  views check that);
- the identity changes, and the account is deactivated or reactivated, only by someone who
  administers *every* partnership where the person holds an active role, or by the system
  administrator;
- the person themself changes their own name, job title and phone, and their email address through
  a link sent to the new address (``accounts.services.request_email_change``).

``PersonRules(user, person).can_change_identity()`` is the rule; ``tests/accounts/test_rules.py`` pins it.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from safeboard.core.rules import administers_all

if TYPE_CHECKING:
    from safeboard.accounts.models import User

IDENTITY_FIELDS = ("full_name", "email", "job_title", "agency", "phone")
OWN_FIELDS = ("full_name", "job_title", "phone")


class PersonRules:
    def __init__(self, user: User, person: User) -> None:
        self.user = user
        self.person = person

    @cached_property
    def partnership_ids(self) -> frozenset[int]:
        """The partnerships the person's identity matters to: where they hold an active role.

        Someone whose roles have all been ended still belongs to the partnerships they held them in.
        """
        from safeboard.accounts.models import Membership

        roles = Membership.objects.filter(user_id=self.person.pk)
        active = frozenset(roles.filter(is_active=True).values_list("partnership_id", flat=True))
        return active or frozenset(roles.values_list("partnership_id", flat=True))

    @property
    def is_self(self) -> bool:
        return self.user.is_authenticated and self.user.pk == self.person.pk

    def can_change_identity(self) -> bool:
        """Name, email address, agency, phone and job title, as an administrator."""
        return administers_all(self.user, "accounts.change_user", self.partnership_ids)

    def can_change_own_details(self) -> bool:
        """The person themself: name, job title and phone (their email through a confirmation link)."""
        return self.is_self and self.user.is_active

    def can_edit(self) -> bool:
        return self.can_change_identity() or self.can_change_own_details()

    def editable_fields(self) -> tuple[str, ...]:
        if self.can_change_identity():
            return IDENTITY_FIELDS
        if self.can_change_own_details():
            return OWN_FIELDS
        return ()

    def can_deactivate(self) -> bool:
        """Deactivate or reactivate the account: never one's own."""
        return not self.is_self and administers_all(self.user, "accounts.deactivate_user", self.partnership_ids)

    def who_can_change(self) -> str:
        """A plain sentence for the person's page, shown to an administrator who cannot change them."""
        return (
            f"{self.person.full_name} also holds roles in partnerships you do not administer, so only a "
            "system administrator, or someone who administers every partnership they work in, can change "
            "their name, email address, agency, phone or job title, or deactivate their account. "
            f"{self.person.full_name} can change their own name, job title and phone under My account. "
            "You can still give them roles in your partnership and end them."
        )
