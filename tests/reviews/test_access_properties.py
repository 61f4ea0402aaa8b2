"""Property-based check of who sees a case review and an agency's summary.

``RULES`` says, in plain terms and written out here rather than imported, how far each role reaches
in a partnership where it is held: the review manager every review; an agency's lead the reviews
their agency is involved in (and of the summaries only their own agency's); every other role but
scrutiny only as a statutory partner or with a current seat on a case review group of that
partnership; scrutiny nothing. Whoever manages a review sees it. For random people and reviews in
two partnerships, ``visible_to`` and the review's page must agree with the reference.
"""

from __future__ import annotations

import datetime as dt

from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from safeboard.accounts.models import Membership, User
from safeboard.core.models import Agency, Partnership
from safeboard.core.permissions import Role
from safeboard.governance.arrangements.models import StatutoryPartner
from safeboard.governance.meetings.choices import GroupKind
from safeboard.governance.meetings.models import Group, GroupMember
from safeboard.reviews.choices import AgeBand, Ethnicity, Sex
from safeboard.reviews.models import AgencySummary, Review, ReviewChild, ReviewType
from tests.conftest import sign_in

ALL, INVOLVED, ENTITLED = "all", "involved", "entitled"
RULES: dict[str, str | None] = {
    Role.REVIEW_MANAGER: ALL,
    Role.AGENCY_SAFEGUARDING_LEAD: INVOLVED,
    Role.SCRUTINY: None,
    **{
        role: ENTITLED
        for role in Role
        if role not in (Role.REVIEW_MANAGER, Role.AGENCY_SAFEGUARDING_LEAD, Role.SCRUTINY)
    },
}
ROLES = [Role.REVIEW_MANAGER, Role.AGENCY_SAFEGUARDING_LEAD, Role.SCRUTINY, Role.BOARD_MEMBER, Role.PRACTITIONER]

# Agencies 0 and 1 sit on both partnerships.
membership = st.tuples(st.integers(0, 1), st.sampled_from(ROLES))
viewer_strategy = st.fixed_dictionaries(
    {
        "agency": st.integers(0, 1),
        "memberships": st.lists(membership, max_size=2, unique_by=lambda m: m),
        "partner_in": st.sets(st.integers(0, 1), max_size=2),
        # A seat on partnership p's case review group: (p, ended) or none.
        "seat": st.one_of(st.none(), st.tuples(st.integers(0, 1), st.booleans())),
    }
)
review_strategy = st.fixed_dictionaries(
    {
        "partnership": st.integers(0, 1),
        "involved": st.sets(st.integers(0, 1), max_size=2),
        "managed_by_viewer": st.booleans(),
        "summary_agency": st.integers(0, 1),
    }
)


def reference_sees(viewer: dict, review: dict) -> tuple[bool, bool]:  # type: ignore[type-arg]
    """(sees the review, sees its one summary)."""
    p = review["partnership"]
    reaches = {RULES[role] for q, role in viewer["memberships"] if q == p} - {None}
    if not reaches:
        return False, False
    entitled = (
        p in viewer["partner_in"]
        or (viewer["seat"] is not None and viewer["seat"][0] == p and not viewer["seat"][1])
        or (review["managed_by_viewer"] and Role.REVIEW_MANAGER in {r for q, r in viewer["memberships"] if q == p})
    )
    if review["managed_by_viewer"]:
        entitled = True
    if ALL in reaches or entitled:
        return True, True
    if INVOLVED in reaches:
        return viewer["agency"] in review["involved"], viewer["agency"] == review["summary_agency"]
    return False, False


class ReviewAccess(TestCase):
    def setUp(self) -> None:
        self.partnerships = [
            Partnership.objects.create(name=f"P{i}", short_name=f"P{i}", slug=f"p{i}", modules=["reviews"])
            for i in (0, 1)
        ]
        self.agencies = [Agency.objects.create(name=f"Agency {i}", agency_type="police") for i in (0, 1)]
        for agency in self.agencies:
            agency.partnerships.set(self.partnerships)
        self.manager = User.objects.create_user("rm@example.test", None, full_name="Other Manager")
        for partnership in self.partnerships:
            Membership.objects.create(user=self.manager, partnership=partnership, role=Role.REVIEW_MANAGER)
        self.groups = [
            Group.objects.create(partnership=p, name=f"CRG {p.pk}", kind=GroupKind.CASE_REVIEW)
            for p in self.partnerships
        ]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(viewer=viewer_strategy, review=review_strategy)
    @example(
        viewer={"agency": 0, "memberships": [(0, Role.BOARD_MEMBER)], "partner_in": set(), "seat": (0, True)},
        review={"partnership": 0, "involved": {0}, "managed_by_viewer": False, "summary_agency": 0},
    )
    @example(
        viewer={"agency": 0, "memberships": [(0, Role.AGENCY_SAFEGUARDING_LEAD)], "partner_in": set(), "seat": None},
        review={"partnership": 0, "involved": {0}, "managed_by_viewer": False, "summary_agency": 1},
    )
    def test_visible_to_and_the_page_agree_with_the_rules(self, viewer: dict, review: dict) -> None:  # type: ignore[type-arg]
        person = User.objects.create_user(
            f"v{User.objects.count()}@example.test", None, full_name="Viewer", agency=self.agencies[viewer["agency"]]
        )
        for p, role in viewer["memberships"]:
            Membership.objects.create(user=person, partnership=self.partnerships[p], role=role)
        for p in viewer["partner_in"]:
            StatutoryPartner.objects.update_or_create(
                partnership=self.partnerships[p], position="police", defaults={"person": person}
            )
        if viewer["seat"] is not None:
            p, ended = viewer["seat"]
            GroupMember.objects.create(
                group=self.groups[p],
                person=person,
                starts_on=dt.date(2020, 1, 1),
                ends_on=dt.date(2021, 1, 1) if ended else None,
            )
        partnership = self.partnerships[review["partnership"]]
        record = Review.objects.create(
            partnership=partnership,
            reference=f"R{Review.objects.count()}",
            review_type=ReviewType.objects.filter(partnership=partnership).first(),
            manager=person if review["managed_by_viewer"] else self.manager,
            incident_on=dt.date(2026, 1, 1),
            aware_on=dt.date(2026, 1, 2),
        )
        record.agencies.set([self.agencies[a] for a in review["involved"]])
        ReviewChild.objects.create(
            review=record, case_reference="C", age_band=AgeBand.UNDER_ONE, sex=Sex.MALE, ethnicity=Ethnicity.WHITE
        )
        summary = AgencySummary.objects.create(
            review=record, agency=self.agencies[review["summary_agency"]], summary="Known."
        )
        sees, sees_summary = reference_sees(viewer, review)
        assert Review.objects.visible_to(person).filter(pk=record.pk).exists() == sees
        assert ReviewChild.objects.visible_to(person).filter(review=record).exists() == sees
        assert AgencySummary.objects.visible_to(person).filter(pk=summary.pk).exists() == (sees and sees_summary)
        if viewer["memberships"]:
            client = sign_in(Client(), person)
            session = client.session
            session["partnership_id"] = partnership.pk
            session.save()
            response = client.get(record.get_absolute_url())
            assert response.status_code == (200 if sees else 404)
            if sees:
                assert ("Known." in response.content.decode()) == sees_summary
