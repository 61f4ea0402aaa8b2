"""Property-based check: for random people and roles, lists and detail pages agree with the rules.

The reference below re-derives visibility from the role table in the plainest way possible, with
no querysets; the application answers through ``visible_to`` and its views. They must agree for
every generated world.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from safeboard.accounts.models import Membership, User
from safeboard.core.models import Agency, Partnership
from safeboard.core.permissions import ROLE_GRANTS, Role, Scope
from tests.conftest import sign_in

# Every role can come up, but the ones whose scopes differ come up most often.
DECISIVE = [Role.PARTNERSHIP_ADMINISTRATOR, Role.AGENCY_SAFEGUARDING_LEAD, Role.PRACTITIONER, Role.SCRUTINY]
roles = st.one_of(st.sampled_from(DECISIVE), st.sampled_from(list(Role)))
memberships = st.lists(st.tuples(st.integers(0, 1), roles), max_size=3, unique_by=lambda m: m)
person = st.fixed_dictionaries({"agency": st.integers(0, 3), "memberships": memberships})  # agency 3 = none


def best_scope(roles: list[str], perm: str) -> Scope | None:
    scopes = [ROLE_GRANTS[Role(r)].get(perm) for r in roles]
    scopes = [s for s in scopes if s is not None]
    return max(scopes) if scopes else None


def reference_sees_person(viewer: dict, subject: dict, same_person: bool) -> bool:
    if viewer["sysadmin"]:
        return True
    if same_person:
        return bool(viewer["memberships"])
    for partnership in (0, 1):
        roles = [r for p, r in viewer["memberships"] if p == partnership]
        scope = best_scope(roles, "accounts.view_user")
        subject_in = any(p == partnership for p, _ in subject["memberships"])
        if not subject_in or scope is None:
            continue
        if scope == Scope.PARTNERSHIP:
            return True
        if scope == Scope.AGENCY and viewer["agency"] != 3 and viewer["agency"] == subject["agency"]:
            return True
    return False


# Agencies 0 and 1 sit on partnership 0, agency 1 also on partnership 1, agency 2 on partnership 1 only.
AGENCY_PARTNERSHIPS = {0: {0}, 1: {0, 1}, 2: {1}}


def reference_sees_agency(viewer: dict, agency: int) -> bool:
    if viewer["sysadmin"]:
        return True
    return any(p in AGENCY_PARTNERSHIPS[agency] for p, _ in viewer["memberships"])


class ScopePropertyTests(TestCase):
    @example(  # an agency lead must not see another agency's people in the same partnership
        viewer={"agency": 0, "memberships": [(0, Role.AGENCY_SAFEGUARDING_LEAD)], "sysadmin": False},
        subjects=[
            {"agency": 1, "memberships": [(0, Role.PRACTITIONER)]},
            {"agency": 0, "memberships": [(0, Role.TRAINER)]},
        ],
    )
    @example(  # an administrator of one partnership sees nobody who only belongs to the other
        viewer={"agency": 2, "memberships": [(1, Role.PARTNERSHIP_ADMINISTRATOR)], "sysadmin": False},
        subjects=[
            {"agency": 1, "memberships": [(0, Role.PRACTITIONER)]},
            {"agency": 1, "memberships": [(1, Role.SCRUTINY)]},
        ],
    )
    @example(  # scrutiny and practitioners see only themselves
        viewer={"agency": 0, "memberships": [(0, Role.SCRUTINY), (1, Role.PRACTITIONER)], "sysadmin": False},
        subjects=[{"agency": 0, "memberships": [(0, Role.PRACTITIONER)]}],
    )
    @example(  # no role anywhere: nothing at all
        viewer={"agency": 0, "memberships": [], "sysadmin": False},
        subjects=[{"agency": 0, "memberships": [(0, Role.PRACTITIONER)]}],
    )
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        viewer=st.fixed_dictionaries(
            {"agency": st.integers(0, 3), "memberships": memberships, "sysadmin": st.booleans()}
        ),
        subjects=st.lists(person, min_size=1, max_size=5),
    )
    def test_lists_and_details_agree_with_the_rules(self, viewer, subjects):
        partnerships = [Partnership.objects.create(name=f"P{i}", short_name=f"P{i}", slug=f"p{i}") for i in (0, 1)]
        agencies = []
        for i in range(3):
            agency = Agency.objects.create(name=f"Agency {i}", agency_type="other")
            agency.partnerships.set([partnerships[p] for p in AGENCY_PARTNERSHIPS[i]])
            agencies.append(agency)

        def make(spec: dict, name: str, **extra) -> User:  # type: ignore[no-untyped-def]
            user = User.objects.create_user(
                f"{name}@example.test",
                None,
                full_name=name,
                agency=agencies[spec["agency"]] if spec["agency"] < 3 else None,
                **extra,
            )
            for p, role in spec["memberships"]:
                Membership.objects.create(user=user, partnership=partnerships[p], role=role)
            return user

        me = make(viewer, "viewer", is_system_administrator=viewer["sysadmin"])
        others = [make(s, f"subject{i}") for i, s in enumerate(subjects)]

        # The queryset: exactly the people the rules allow.
        expected_people = {
            u.pk for u, s in zip(others, subjects, strict=True) if reference_sees_person(viewer, s, False)
        }
        if reference_sees_person(viewer, viewer, True):
            expected_people.add(me.pk)
        assert set(User.objects.visible_to(me).values_list("pk", flat=True)) == expected_people
        expected_agencies = {agencies[i].pk for i in range(3) if reference_sees_agency(viewer, i)}
        assert set(Agency.objects.visible_to(me).values_list("pk", flat=True)) == expected_agencies

        # The pages: a detail page is 200 exactly for visible people, 404 for the rest (403 for someone
        # with no partnership at all); each list shows only visible records of the current partnership.
        client = sign_in(Client(), me)
        has_partnership = viewer["sysadmin"] or bool(viewer["memberships"])
        for user in [me, *others]:
            status = client.get(reverse("accounts:person-detail", args=[user.pk])).status_code
            if not has_partnership:
                assert status == 403
            else:
                assert status == (200 if user.pk in expected_people else 404), (viewer, user.full_name)
        for i, agency in enumerate(agencies):
            status = client.get(reverse("core:agency-detail", args=[agency.pk])).status_code
            if has_partnership:
                assert status == (200 if reference_sees_agency(viewer, i) else 404)
        response = client.get(reverse("accounts:person-list"))
        if response.status_code == 200:
            current = response.wsgi_request.partnership
            listed = {u.pk for u in response.context["page"].object_list}
            members_here = set(Membership.objects.filter(partnership=current).values_list("user_id", flat=True))
            assert listed == expected_people & members_here
        agency_page = client.get(reverse("core:agency-list"))
        if agency_page.status_code == 200:
            current = agency_page.wsgi_request.partnership
            listed = {a.pk for a in agency_page.context["page"].object_list}
            assert listed == {a.pk for a in agencies if current in a.partnerships.all()} & expected_agencies
