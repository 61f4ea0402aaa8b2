"""Property-based check: for random people, roles and records, every answer agrees with the rules.

``RULES`` below states who sees what in plain terms, written out here from the policy in
``docs/permissions.md`` rather than imported from the code; the reference functions apply it with
no querysets. The application answers through ``visible_to`` and its views. For every generated
world, each detail page must give exactly the status the reference expects (200, 404 out of sight,
403 for someone with no partnership at all), each list page must answer 200 or 403 as the rules
say and list exactly the records the reference allows. The records: people, agencies, actions, board
meetings, and notes of the test-only module (``tests/sealedapp``), some of them sealed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from safeboard.accounts.models import Membership, User
from safeboard.actions.models import Action
from safeboard.core.models import Agency, Compartment, Partnership
from safeboard.core.permissions import ROLE_GRANTS, Role, Scope
from safeboard.governance.models import Group, GroupKind, Meeting, MeetingStatus, MinutesStatus
from tests.conftest import sign_in
from tests.sealedapp.models import Note

ALL, AGENCY, OWN = "partnership", "agency", "own"
FULL, PUBLISHED = "full", "published"

# Who sees what inside a partnership where they hold the role: people (profiles), actions, board
# meetings and the test module's notes. Everyone sees their own profile and every agency on their
# partnerships. An agency's reach covers what the person owns as well. A sealed note needs the
# person on its compartment's list as well as the reach. The system administrator sees every
# person and agency, and no casework (actions, meetings, notes) unless they hold a role.
RULES: dict[str, dict[str, str | None]] = {
    Role.PARTNERSHIP_ADMINISTRATOR: {"people": ALL, "actions": ALL, "meetings": FULL, "notes": ALL},
    Role.INDEPENDENT_CHAIR: {"people": OWN, "actions": ALL, "meetings": FULL, "notes": None},
    Role.BOARD_MEMBER: {"people": OWN, "actions": ALL, "meetings": FULL, "notes": None},
    Role.LAY_MEMBER: {"people": OWN, "actions": ALL, "meetings": FULL, "notes": None},
    Role.AGENCY_SAFEGUARDING_LEAD: {"people": AGENCY, "actions": AGENCY, "meetings": FULL, "notes": AGENCY},
    Role.QUALITY_ASSURANCE_OFFICER: {"people": OWN, "actions": ALL, "meetings": None, "notes": None},
    # They run the panels that meet as groups, so they read the meetings of open groups.
    Role.REVIEW_MANAGER: {"people": OWN, "actions": ALL, "meetings": FULL, "notes": None},
    Role.CHILD_DEATH_REVIEW_COORDINATOR: {"people": OWN, "actions": ALL, "meetings": FULL, "notes": None},
    Role.TRAINING_ADMINISTRATOR: {"people": OWN, "actions": ALL, "meetings": None, "notes": None},
    Role.TRAINER: {"people": OWN, "actions": OWN, "meetings": None, "notes": None},
    Role.PRACTITIONER: {"people": OWN, "actions": OWN, "meetings": None, "notes": OWN},
    Role.EXPLOITATION_TEAM_MEMBER: {"people": OWN, "actions": OWN, "meetings": None, "notes": None},
    # Scrutiny: figures and published minutes only.
    Role.SCRUTINY: {"people": OWN, "actions": None, "meetings": PUBLISHED, "notes": None},
}
# The lists of people are for those who look after people: administrators and agency leads.
LISTS_PEOPLE = {Role.PARTNERSHIP_ADMINISTRATOR, Role.AGENCY_SAFEGUARDING_LEAD}
# The test module has no grants of its own; these give its notes the three scopes (see RULES).
NOTE_GRANTS = {
    Role.PRACTITIONER: Scope.OWN,
    Role.AGENCY_SAFEGUARDING_LEAD: Scope.AGENCY,
    Role.PARTNERSHIP_ADMINISTRATOR: Scope.PARTNERSHIP,
}
REACH_ORDER = {None: 0, OWN: 1, AGENCY: 2, ALL: 3, PUBLISHED: 1, FULL: 2}

# Agencies 0 and 1 sit on partnership 0, agency 1 also on partnership 1, agency 2 on partnership 1 only.
AGENCY_PARTNERSHIPS = {0: {0}, 1: {0, 1}, 2: {1}}
NO_AGENCY = 3

# Every role can come up, but the ones whose reach differs come up most often.
DECISIVE = [Role.PARTNERSHIP_ADMINISTRATOR, Role.AGENCY_SAFEGUARDING_LEAD, Role.PRACTITIONER, Role.SCRUTINY]
roles = st.one_of(st.sampled_from(DECISIVE), st.sampled_from(list(Role)))
memberships = st.lists(st.tuples(st.integers(0, 1), roles), max_size=3, unique_by=lambda m: m)
person = st.fixed_dictionaries({"agency": st.integers(0, NO_AGENCY), "memberships": memberships})
# Who owns a record: the viewer, or subject 0 (there is always one).
owner = st.sampled_from(["viewer", "subject"])
placed = {"partnership": st.integers(0, 1), "agency": st.integers(0, 2), "owner": owner}
action = st.fixed_dictionaries(placed)
meeting = st.fixed_dictionaries({"partnership": st.integers(0, 1), "published": st.booleans()})
note = st.fixed_dictionaries({**placed, "sealed": st.booleans(), "viewer_on_list": st.booleans()})


def reach(viewer: dict, partnership: int, column: str) -> str | None:
    """The widest reach the viewer's roles in ``partnership`` give over ``column``."""
    reaches = [RULES[role][column] for p, role in viewer["memberships"] if p == partnership]
    return max(reaches, key=REACH_ORDER.__getitem__, default=None)


def sees_person(viewer: dict, subject: dict, same_person: bool) -> bool:
    if viewer["sysadmin"]:
        return True
    if same_person:
        return bool(viewer["memberships"])
    for partnership in (0, 1):
        if not any(p == partnership for p, _ in subject["memberships"]):
            continue
        how_far = reach(viewer, partnership, "people")
        if how_far == ALL:
            return True
        if how_far == AGENCY and viewer["agency"] != NO_AGENCY and viewer["agency"] == subject["agency"]:
            return True
    return False


def sees_agency(viewer: dict, agency: int) -> bool:
    return viewer["sysadmin"] or any(p in AGENCY_PARTNERSHIPS[agency] for p, _ in viewer["memberships"])


def sees_placed(viewer: dict, record: dict, column: str) -> bool:
    """Actions and notes: placed in a partnership, with an agency and an owner."""
    if record.get("sealed") and not record["viewer_on_list"]:
        return False
    how_far = reach(viewer, record["partnership"], column)
    mine = record["owner"] == "viewer"
    if how_far == ALL:
        return True
    if how_far == AGENCY:
        return mine or (viewer["agency"] != NO_AGENCY and viewer["agency"] == record["agency"])
    return how_far == OWN and mine


def sees_meeting(viewer: dict, record: dict) -> bool:
    how_far = reach(viewer, record["partnership"], "meetings")
    return how_far == FULL or (how_far == PUBLISHED and record["published"])


def may_list(viewer: dict, partnership: int, column: str) -> bool:
    if column == "people":
        return viewer["sysadmin"] or any(p == partnership and r in LISTS_PEOPLE for p, r in viewer["memberships"])
    if column == "actions":
        return reach(viewer, partnership, "actions") is not None
    return True  # agencies: everyone with a partnership


class ScopePropertyTests(TestCase):
    @example(  # an agency lead must not see another agency's people in the same partnership
        viewer={"agency": 0, "memberships": [(0, Role.AGENCY_SAFEGUARDING_LEAD)], "sysadmin": False},
        subjects=[
            {"agency": 1, "memberships": [(0, Role.PRACTITIONER)]},
            {"agency": 0, "memberships": [(0, Role.TRAINER)]},
        ],
        actions=[
            {"partnership": 0, "agency": 1, "owner": "subject"},
            {"partnership": 0, "agency": 0, "owner": "subject"},
        ],
        meetings=[{"partnership": 0, "published": False}, {"partnership": 1, "published": True}],
        notes=[
            {"partnership": 0, "agency": 0, "owner": "subject", "sealed": True, "viewer_on_list": False},
            {"partnership": 0, "agency": 0, "owner": "subject", "sealed": False, "viewer_on_list": False},
        ],
    )
    @example(  # an administrator of one partnership sees nothing that only belongs to the other
        viewer={"agency": 2, "memberships": [(1, Role.PARTNERSHIP_ADMINISTRATOR)], "sysadmin": False},
        subjects=[
            {"agency": 1, "memberships": [(0, Role.PRACTITIONER)]},
            {"agency": 1, "memberships": [(1, Role.SCRUTINY)]},
        ],
        actions=[{"partnership": 0, "agency": 1, "owner": "subject"}],
        meetings=[{"partnership": 0, "published": True}],
        notes=[{"partnership": 1, "agency": 2, "owner": "subject", "sealed": True, "viewer_on_list": True}],
    )
    @example(  # scrutiny and practitioners see their own, and scrutiny reads published minutes only
        viewer={"agency": 0, "memberships": [(0, Role.SCRUTINY), (1, Role.PRACTITIONER)], "sysadmin": False},
        subjects=[{"agency": 0, "memberships": [(0, Role.PRACTITIONER)]}],
        actions=[
            {"partnership": 1, "agency": 2, "owner": "viewer"},
            {"partnership": 0, "agency": 0, "owner": "viewer"},
        ],
        meetings=[{"partnership": 0, "published": True}, {"partnership": 0, "published": False}],
        notes=[{"partnership": 1, "agency": 0, "owner": "viewer", "sealed": True, "viewer_on_list": False}],
    )
    @example(  # an agency lead sees what they own in another agency, and no sealed note off the list
        viewer={"agency": 0, "memberships": [(0, Role.AGENCY_SAFEGUARDING_LEAD)], "sysadmin": False},
        subjects=[{"agency": 1, "memberships": [(0, Role.PRACTITIONER)]}],
        actions=[{"partnership": 0, "agency": 1, "owner": "viewer"}],
        meetings=[{"partnership": 0, "published": False}],
        notes=[
            {"partnership": 0, "agency": 1, "owner": "viewer", "sealed": False, "viewer_on_list": False},
            {"partnership": 0, "agency": 0, "owner": "subject", "sealed": True, "viewer_on_list": False},
        ],
    )
    @example(  # the system administrator sees every person and no casework
        viewer={"agency": NO_AGENCY, "memberships": [], "sysadmin": True},
        subjects=[{"agency": 0, "memberships": [(0, Role.PRACTITIONER)]}],
        actions=[{"partnership": 0, "agency": 0, "owner": "viewer"}],
        meetings=[{"partnership": 0, "published": True}],
        notes=[{"partnership": 0, "agency": 0, "owner": "viewer", "sealed": False, "viewer_on_list": False}],
    )
    @example(  # no role anywhere: nothing at all
        viewer={"agency": 0, "memberships": [], "sysadmin": False},
        subjects=[{"agency": 0, "memberships": [(0, Role.PRACTITIONER)]}],
        actions=[],
        meetings=[],
        notes=[],
    )
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        viewer=st.fixed_dictionaries(
            {"agency": st.integers(0, NO_AGENCY), "memberships": memberships, "sysadmin": st.booleans()}
        ),
        subjects=st.lists(person, min_size=1, max_size=4),
        actions=st.lists(action, max_size=3),
        meetings=st.lists(meeting, max_size=2),
        notes=st.lists(note, max_size=3),
    )
    def test_every_answer_agrees_with_the_rules(self, viewer, subjects, actions, meetings, notes):
        grants = [
            mock.patch.dict(ROLE_GRANTS[role], {"sealedapp.view_note": scope}) for role, scope in NOTE_GRANTS.items()
        ]
        for grant in grants:
            grant.start()
        try:
            self.check(viewer, subjects, actions, meetings, notes)
        finally:
            for grant in grants:
                grant.stop()

    def check(self, viewer: dict, subjects: list, actions: list, meetings: list, notes: list) -> None:
        partnerships = [Partnership.objects.create(name=f"P{i}", short_name=f"P{i}", slug=f"p{i}") for i in (0, 1)]
        agencies = []
        for i in range(3):
            agency = Agency.objects.create(name=f"Agency {i}", agency_type="other")
            agency.partnerships.set([partnerships[p] for p in AGENCY_PARTNERSHIPS[i]])
            agencies.append(agency)

        def make(spec: dict, name: str, **extra: Any) -> User:
            user = User.objects.create_user(
                f"{name}@example.test",
                None,
                full_name=name,
                agency=agencies[spec["agency"]] if spec["agency"] < NO_AGENCY else None,
                **extra,
            )
            for p, role in spec["memberships"]:
                Membership.objects.create(user=user, partnership=partnerships[p], role=role)
            return user

        me = make(viewer, "viewer", is_system_administrator=viewer["sysadmin"])
        others = [make(s, f"subject{i}") for i, s in enumerate(subjects)]
        owners = {"viewer": me, "subject": others[0]}
        today = timezone.localdate()
        made_actions = [
            Action.objects.create(
                partnership=partnerships[a["partnership"]],
                reference=f"T-{i}",
                title=f"Action {i}",
                owner=owners[a["owner"]],
                agency=agencies[a["agency"]],
                due_date=today + dt.timedelta(days=30),
                created_by=others[0],
            )
            for i, a in enumerate(actions)
        ]
        groups = [
            Group.objects.create(partnership=p, name=f"Board {p.short_name}", kind=GroupKind.BOARD)
            for p in partnerships
        ]
        starts = timezone.now() - dt.timedelta(days=7)
        made_meetings = [
            Meeting.objects.create(
                group=groups[m["partnership"]],
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=2),
                status=MeetingStatus.HELD,
                minutes_status=MinutesStatus.PUBLISHED if m["published"] else MinutesStatus.DRAFT,
            )
            for m in meetings
        ]
        made_notes = []
        for i, n in enumerate(notes):
            compartment = None
            if n["sealed"]:
                compartment = Compartment.objects.create(partnership=partnerships[n["partnership"]], name=f"Sealed {i}")
                if n["viewer_on_list"]:
                    compartment.members.add(me)
            made_notes.append(
                Note.objects.create(
                    partnership=partnerships[n["partnership"]],
                    agency=agencies[n["agency"]],
                    owner=owners[n["owner"]],
                    compartment=compartment,
                    text=f"Note {i}",
                )
            )

        # What the rules allow, from the reference alone.
        people = {u.pk for u, s in zip(others, subjects, strict=True) if sees_person(viewer, s, False)}
        if sees_person(viewer, viewer, True):
            people.add(me.pk)
        seen_agencies = {agencies[i].pk for i in range(3) if sees_agency(viewer, i)}
        seen_actions = {a.pk for a, s in zip(made_actions, actions, strict=True) if sees_placed(viewer, s, "actions")}
        seen_meetings = {m.pk for m, s in zip(made_meetings, meetings, strict=True) if sees_meeting(viewer, s)}
        seen_notes = {n.pk for n, s in zip(made_notes, notes, strict=True) if sees_placed(viewer, s, "notes")}

        # The querysets.
        assert set(User.objects.visible_to(me).values_list("pk", flat=True)) == people
        assert set(Agency.objects.visible_to(me).values_list("pk", flat=True)) == seen_agencies
        assert set(Action.objects.visible_to(me).values_list("pk", flat=True)) == seen_actions
        assert set(Note.objects.visible_to(me).values_list("pk", flat=True)) == seen_notes

        # The detail pages: 200 for what the rules allow, 404 for the rest; 403 for everything when
        # the person has no partnership at all (no page works outside one). The note's API answers
        # 404 then, as it would for any note out of sight.
        client = sign_in(Client(), me)
        has_partnership = viewer["sysadmin"] or bool(viewer["memberships"])

        def expect(url: str, visible: bool, label: str, needs_partnership: bool = True) -> None:
            wanted = 403 if needs_partnership and not has_partnership else (200 if visible else 404)
            status = client.get(url).status_code
            assert status == wanted, (label, url, viewer, status, wanted)

        for user in [me, *others]:
            expect(reverse("accounts:person-detail", args=[user.pk]), user.pk in people, user.full_name)
        for agency in agencies:
            expect(reverse("core:agency-detail", args=[agency.pk]), agency.pk in seen_agencies, agency.name)
        for item in made_actions:
            expect(reverse("actions:action-detail", args=[item.pk]), item.pk in seen_actions, item.title)
        for item in made_meetings:
            expect(reverse("governance:meeting-detail", args=[item.pk]), item.pk in seen_meetings, str(item.pk))
        for item in made_notes:
            url = reverse("sealedapp:note-responses-api", args=[item.pk])
            expect(url, item.pk in seen_notes, item.text, needs_partnership=False)

        # The lists: 200 or 403 as the rules say, and exactly the visible records of the current partnership.
        lists = [
            ("accounts:person-list", "people", people, lambda p: set(p.memberships.values_list("user_id", flat=True))),
            ("core:agency-list", "agencies", seen_agencies, lambda p: set(p.agencies.values_list("pk", flat=True))),
            ("actions:action-list", "actions", seen_actions, lambda p: set(p.actions.values_list("pk", flat=True))),
        ]
        for name, column, visible, in_partnership in lists:
            response = client.get(reverse(name))
            current = response.wsgi_request.partnership  # type: ignore[attr-defined]
            if current is None:
                assert not has_partnership and response.status_code == 403, name
                continue
            index = partnerships.index(current)
            assert response.status_code == (200 if may_list(viewer, index, column) else 403), (name, viewer)
            if response.status_code == 200:
                listed = {record.pk for record in response.context["page"].object_list}
                assert listed == visible & in_partnership(current), (name, viewer)
