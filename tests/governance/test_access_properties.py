"""Property-based check of who reads a group's business: members-only groups, confidential items
and papers, scrutiny, and a group shared by two partnerships.

For random people (roles in two partnerships, seats of every kind on three groups, current or
ended, named as readers or not) a plain reference re-derives, from the role table and the rules in
``governance/meetings/access.py``'s docstring, which groups, meetings, agenda items and papers they
see; ``visible_to`` and the meeting and paper pages must agree for every generated world.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from safeboard.accounts.models import Membership, User
from safeboard.core.models import Agency, Partnership
from safeboard.core.permissions import ROLE_GRANTS, Role, Scope
from safeboard.governance.models import (
    AgendaItem,
    ForwardPlanItem,
    Group,
    GroupMember,
    ItemDecision,
    Meeting,
    Paper,
)
from tests.conftest import sign_in

ROLES = [
    Role.BOARD_MEMBER,
    Role.LAY_MEMBER,
    Role.AGENCY_SAFEGUARDING_LEAD,
    Role.PARTNERSHIP_ADMINISTRATOR,
    Role.SCRUTINY,
    Role.PRACTITIONER,
    Role.INDEPENDENT_CHAIR,
]
SEATS = [None, "member", "lay_member", "deputy", "observer", "adviser"]
seat = st.tuples(st.sampled_from(SEATS), st.booleans())  # (kind of seat or none, ended)
viewer_strategy = st.fixed_dictionaries(
    {
        "agency": st.integers(0, 2),  # 2 = none
        "memberships": st.lists(
            st.tuples(st.integers(0, 1), st.sampled_from(ROLES)), max_size=3, unique_by=lambda m: m
        ),
        "seats": st.tuples(seat, seat, seat),
        "named": st.tuples(st.booleans(), st.booleans(), st.booleans()),
        "shared_open": st.booleans(),
        "scrutiny_reads_papers": st.booleans(),
    }
)

# The three groups: (host partnership, kind, members only?, partnerships it is shared with).
KINDS = ("board", "case_review", "child_death_panel")
HOSTS = (0, 0, 1)
SHARED_WITH = ({}.keys(), {}.keys(), {0})


def scope_in(viewer: dict, partnership: int, perm: str) -> Scope | None:
    scopes = [ROLE_GRANTS[Role(r)].get(perm) for p, r in viewer["memberships"] if p == partnership]
    scopes = [s for s in scopes if s is not None]
    return max(scopes) if scopes else None


def members_only(viewer: dict, g: int) -> bool:
    return g == 1 or (g == 2 and not viewer["shared_open"])


def reach(viewer: dict, g: int, perm: str) -> bool:
    """The role reads this kind of record across the host partnership or one the group is shared with."""
    partnerships = {HOSTS[g], *SHARED_WITH[g]}
    return any(scope_in(viewer, p, perm) == Scope.PARTNERSHIP for p in partnerships)


def business_unit(viewer: dict, g: int) -> bool:
    return scope_in(viewer, HOSTS[g], "governance.change_meeting") == Scope.PARTNERSHIP


def current_seat(viewer: dict, g: int) -> str | None:
    kind, ended = viewer["seats"][g]
    return None if ended else kind


def entitled(viewer: dict, g: int) -> bool:
    return business_unit(viewer, g) or current_seat(viewer, g) is not None or viewer["named"][g]


def confidential_entitled(viewer: dict, g: int) -> bool:
    return business_unit(viewer, g) or current_seat(viewer, g) in ("member", "deputy")


def reads(viewer: dict, g: int, perm: str) -> bool:
    return reach(viewer, g, perm) and (not members_only(viewer, g) or entitled(viewer, g))


def scrutiny_reads_minutes(viewer: dict, g: int) -> bool:
    partnerships = {HOSTS[g], *SHARED_WITH[g]}
    scrutiny = any(scope_in(viewer, p, "governance.view_published_minutes") for p in partnerships)
    return scrutiny and not members_only(viewer, g)


def scrutiny_reads_paper(viewer: dict, g: int, confidential: bool) -> bool:
    host_scrutiny = scope_in(viewer, HOSTS[g], "governance.view_published_minutes") is not None
    partnership_allows = HOSTS[g] == 0 and viewer["scrutiny_reads_papers"]
    return (
        host_scrutiny
        and partnership_allows
        and KINDS[g] == "board"
        and not confidential
        and scrutiny_reads_minutes(viewer, g)
    )


def at(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


class AccessPropertyTests(TestCase):
    @example(  # a board member with an ended seat on the case review group: nothing of it
        viewer={
            "agency": 0,
            "memberships": [(0, Role.BOARD_MEMBER)],
            "seats": ((None, False), ("member", True), (None, False)),
            "named": (False, False, False),
            "shared_open": False,
            "scrutiny_reads_papers": False,
        }
    )
    @example(  # a lay member seated everywhere: members-only meetings, but no confidential item
        viewer={
            "agency": 2,
            "memberships": [(0, Role.LAY_MEMBER), (1, Role.LAY_MEMBER)],
            "seats": (("lay_member", False), ("lay_member", False), ("lay_member", False)),
            "named": (False, False, False),
            "shared_open": False,
            "scrutiny_reads_papers": True,
        }
    )
    @example(  # scrutiny where the partnership lets it read the board's papers
        viewer={
            "agency": 0,
            "memberships": [(0, Role.SCRUTINY)],
            "seats": ((None, False), (None, False), (None, False)),
            "named": (False, False, False),
            "shared_open": True,
            "scrutiny_reads_papers": True,
        }
    )
    @example(  # the other partnership's administrator: hosts the shared panel only
        viewer={
            "agency": 1,
            "memberships": [(1, Role.PARTNERSHIP_ADMINISTRATOR)],
            "seats": ((None, False), (None, False), (None, False)),
            "named": (False, True, False),
            "shared_open": False,
            "scrutiny_reads_papers": False,
        }
    )
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(viewer=viewer_strategy)
    def test_querysets_and_pages_agree_with_the_rules(self, viewer):
        partnerships = [
            Partnership.objects.create(name=f"P{i}", short_name=f"P{i}", slug=f"p{i}", modules=["governance"])
            for i in (0, 1)
        ]
        Partnership.objects.filter(pk=partnerships[0].pk).update(
            scrutiny_reads_board_papers=viewer["scrutiny_reads_papers"]
        )
        agencies = [Agency.objects.create(name=f"Agency {i}", agency_type="other") for i in (0, 1)]
        agencies[0].partnerships.set(partnerships)
        agencies[1].partnerships.set(partnerships)
        me = User.objects.create_user(
            "viewer@example.test",
            None,
            full_name="Viewer",
            agency=agencies[viewer["agency"]] if viewer["agency"] < 2 else None,
        )
        for p, role in viewer["memberships"]:
            Membership.objects.create(user=me, partnership=partnerships[p], role=role)
        uploader = User.objects.create_user("unit@example.test", None, full_name="Unit")

        groups, meetings, items, papers = [], [], [], []
        plan_items: list[tuple[int, str, ForwardPlanItem]] = []
        decisions: list[tuple[int, str, ItemDecision]] = []
        for g in range(3):
            group = Group.objects.create(
                partnership=partnerships[HOSTS[g]],
                name=f"Group {g}",
                kind=KINDS[g],
                access="open" if g == 2 and viewer["shared_open"] else "",
            )
            for p in SHARED_WITH[g]:
                group.member_partnerships.add(partnerships[p])
            kind, ended = viewer["seats"][g]
            if kind:
                GroupMember.objects.create(
                    group=group,
                    person=me,
                    member_type=kind,
                    starts_on=dt.date(2020, 1, 1),
                    ends_on=timezone.localdate() - dt.timedelta(days=1) if ended else None,
                )
            if viewer["named"][g]:
                group.named_readers.add(me)
            meeting = Meeting.objects.create(
                group=group,
                starts_at=at(-30),
                ends_at=at(-30) + dt.timedelta(hours=1),
                status="held",
                minutes_status="published",
            )
            groups.append(group)
            meetings.append(meeting)
            for number, reason in ((1, ""), (2, "child_or_family")):
                item = AgendaItem.objects.create(
                    meeting=meeting, number=number, title=f"Item {g}.{number}", confidential_reason=reason
                )
                items.append((g, item))
                for paper_reason in ("", "commercial"):
                    paper = Paper.objects.create(
                        item=item,
                        title=f"Paper {g}.{number}.{paper_reason}",
                        file=ContentFile(b"%PDF-1.4\n", name="p.pdf"),
                        uploaded_by=uploader,
                        uploaded_at=at(-40),
                        confidential_reason=paper_reason,
                    )
                    papers.append((g, bool(reason or paper_reason), paper))

            # The annual cycle: forward plan items and decisions, open and confidential (a decision
            # taken between meetings with its own reason, or on a confidential item).
            for reason in ("", "staff"):
                plan_items.append(
                    (
                        g,
                        reason,
                        ForwardPlanItem.objects.create(group=group, title=f"Plan {g}", target_month=at(30).date()),
                    )
                )
                ForwardPlanItem.objects.filter(pk=plan_items[-1][2].pk).update(confidential_reason=reason)
                decisions.append(
                    (
                        g,
                        reason,
                        ItemDecision.objects.create(
                            group=group, means="email", confidential_reason=reason, recorded_at=at(-1)
                        ),
                    )
                )
            on_item = next(item for h, item in items if h == g and item.confidential_reason)
            decisions.append((g, "on item", ItemDecision.objects.create(item=on_item, recorded_at=at(-1))))

        expected_plan = {
            entry.pk
            for g, reason, entry in plan_items
            if reads(viewer, g, "governance.view_forwardplanitem") and (not reason or confidential_entitled(viewer, g))
        }
        expected_decisions = {
            entry.pk
            for g, reason, entry in decisions
            if reads(viewer, g, "governance.view_itemdecision") and (not reason or confidential_entitled(viewer, g))
        }
        assert set(ForwardPlanItem.objects.visible_to(me).values_list("pk", flat=True)) == expected_plan
        assert set(ItemDecision.objects.visible_to(me).values_list("pk", flat=True)) == expected_decisions
        expected_groups = {groups[g].pk for g in range(3) if reads(viewer, g, "governance.view_group")}
        expected_meetings = {meetings[g].pk for g in range(3) if reads(viewer, g, "governance.view_meeting")}
        expected_items = {
            item.pk
            for g, item in items
            if reads(viewer, g, "governance.view_agendaitem")
            and (not item.confidential_reason or confidential_entitled(viewer, g))
        }
        expected_papers = {
            paper.pk
            for g, confidential, paper in papers
            if (reads(viewer, g, "governance.view_paper") and (not confidential or confidential_entitled(viewer, g)))
            or scrutiny_reads_paper(viewer, g, confidential)
        }
        assert set(Group.objects.visible_to(me).values_list("pk", flat=True)) == expected_groups
        assert set(Meeting.objects.visible_to(me).values_list("pk", flat=True)) == expected_meetings
        assert set(AgendaItem.objects.visible_to(me).values_list("pk", flat=True)) == expected_items
        assert set(Paper.objects.visible_to(me).values_list("pk", flat=True)) == expected_papers

        # Writes stay with the host partnership, whatever it shares.
        changeable = {
            meetings[g].pk
            for g in range(3)
            if scope_in(viewer, HOSTS[g], "governance.change_meeting") == Scope.PARTNERSHIP
        }
        assert set(Meeting.objects.visible_to(me, "change").values_list("pk", flat=True)) == changeable

        # The pages: a meeting is 200 for those who read it in full or, as scrutiny, its published
        # minutes; its page lists no item the person may not see.
        if not viewer["memberships"]:
            return
        client = sign_in(Client(), me)
        for g in range(3):
            response = client.get(reverse("governance:meeting-detail", args=[meetings[g].pk]))
            readable = meetings[g].pk in expected_meetings or scrutiny_reads_minutes(viewer, g)
            assert response.status_code == (200 if readable else 404), (g, viewer)
            if readable:
                shown = {item.pk for item, *_ in response.context["agenda"]}
                assert shown <= expected_items | {
                    item.pk for h, item in items if h == g and not item.confidential_reason
                }
                assert not any(item.confidential_reason for item, *_ in response.context["agenda"]) or (
                    confidential_entitled(viewer, g)
                )
        for _, _, paper in papers:
            status = client.get(reverse("governance:paper-download", args=[paper.pk])).status_code
            assert status == (200 if paper.pk in expected_papers else 404)
