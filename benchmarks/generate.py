"""Synthetic national-scale data for the benchmarks: every name, place and person is invented.

Generation is a list of named steps, ``GENERATOR_STEPS``, run in order against one shared
``GenerationContext``. The core steps build partnerships, their places, agencies, people with
their roles, and the audit trail. A module adds its own records with a step of its own, in its own
file (say ``benchmarks/reviews.py``) named in ``EXTENSIONS`` below::

    from benchmarks.generate import GenerationContext, bulk, generator_step

    @generator_step("reviews")
    def reviews(ctx: GenerationContext) -> None:
        ...  # build records from ctx.partnerships, ctx.people…, then bulk(Model, records)
        ctx.marks["review"] = some_review.pk  # anything a scenario needs to find again

Records are written with ``bulk_create`` in large batches. That bypasses the audit signals on
purpose (200,000 signal-driven saves would take an hour); the ``audit`` step writes the change
and access logs directly instead, with a valid hash chain (``bulk_append_chain``).

``benchmarks/run.py`` calls ``generate()`` when the benchmark database needs (re)building;
``run.py --generate-only`` builds it without running the scenarios.
"""

from __future__ import annotations

import importlib
import itertools
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from safeboard.accounts.models import Membership, User
from safeboard.core.audit import (
    GENESIS,
    PLATFORM_CHAIN,
    AccessAction,
    AccessLogEntry,
    ChainedEntry,
    ChangeAction,
    ChangeLogEntry,
    checkpoint_every_chain,
)
from safeboard.core.models import Agency, AgencyType, LocalAuthorityArea, Locality, Partnership
from safeboard.core.modules import MODULES
from safeboard.core.permissions import Role

# Dotted names of module files that register their own steps and scenarios.
EXTENSIONS: tuple[str, ...] = ("benchmarks.governance_bench",)

BATCH = 5_000  # rows per bulk_create call (Django splits further where SQLite's limit needs it)
SEED = 20_260_501
PASSWORD = "benchmark-password-not-a-secret"
EMAIL_DOMAIN = "bench.safeboard.invalid"


@dataclass(frozen=True)
class Scale:
    """How much to generate. ``scaled(0.1)`` gives a quick run; the record-history sizes stay fixed."""

    partnerships: int = 150
    agencies: int = 3_000
    people: int = 200_000
    change_log_entries: int = 200_000
    access_log_entries: int = 50_000
    history_agency_changes: int = 200  # changes to the agency whose history page is measured
    history_agency_views: int = 100
    history_person_views: int = 150  # access-log entries on the person whose history is measured

    def scaled(self, factor: float) -> Scale:
        if factor == 1:
            return self
        fixed = {"history_agency_changes", "history_agency_views", "history_person_views"}
        values = {}
        for f in fields(self):
            value = getattr(self, f.name)
            values[f.name] = value if f.name in fixed else max(3, round(value * factor))
        return replace(self, **values)


class Person(NamedTuple):
    id: int
    full_name: str
    email: str
    partnership_id: int  # the partnership of their first role
    agency_id: int | None


class HeldRole(NamedTuple):  # a Membership, as the audit step needs it
    id: int
    person: Person
    partnership_id: int
    role: str


@dataclass
class GenerationContext:
    """What the steps share: the scale, the random source, and what earlier steps built."""

    scale: Scale
    rng: random.Random
    password_hash: str
    partnerships: list[Partnership] = field(default_factory=list)
    # Relative size of each partnership (same order as ``partnerships``): a few big, many small.
    partnership_weights: list[float] = field(default_factory=list)
    places: dict[int, str] = field(default_factory=dict)  # partnership id -> its place name
    localities: list[Locality] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    agencies_by_partnership: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    partnerships_by_agency: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    people: list[Person] = field(default_factory=list)
    roles: list[HeldRole] = field(default_factory=list)
    administrators: dict[int, list[Person]] = field(default_factory=lambda: defaultdict(list))
    # Ids and values the scenarios need (saved in the benchmark database's manifest).
    marks: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


StepFunction = Callable[[GenerationContext], None]


@dataclass(frozen=True)
class GeneratorStep:
    name: str
    run: StepFunction


GENERATOR_STEPS: list[GeneratorStep] = []


def generator_step(name: str) -> Callable[[StepFunction], StepFunction]:
    """Register a function as a generation step (steps run in the order they are registered)."""

    def register(function: StepFunction) -> StepFunction:
        GENERATOR_STEPS.append(GeneratorStep(name, function))
        return function

    return register


def bulk[M: models.Model](model: type[M], objects: Sequence[M]) -> list[M]:
    """``bulk_create`` in large batches. Primary keys come back on SQLite and PostgreSQL alike."""
    return model.objects.bulk_create(objects, batch_size=BATCH)


def bulk_append_chain(model: type[ChainedEntry], entries: Iterable[ChainedEntry]) -> int:
    """Append ``entries`` (in time order) to a hash-chained log, as ``manage.py verify_audit`` expects:
    each to the chain of its partnership (``core.audit``), at the next position."""
    heads: dict[int, tuple[int, str]] = {}
    written = 0
    for batch in itertools.batched(entries, BATCH):
        for entry in batch:
            chain = entry.partnership_id if entry.partnership_id is not None else PLATFORM_CHAIN
            if chain not in heads:
                head = model.objects.filter(chain=chain).order_by("-seq").values_list("seq", "entry_hash").first()
                heads[chain] = head or (0, GENESIS)
            seq, previous = heads[chain]
            entry.chain, entry.seq, entry.prev_hash = chain, seq + 1, previous
            entry.partnership_ids = [] if entry.partnership_id is None else [entry.partnership_id]
            entry.entry_hash = entry.compute_hash()
            heads[chain] = (entry.seq, entry.entry_hash)
        model.objects.bulk_create(batch, batch_size=BATCH)
        written += len(batch)
    return written


# --- Invented names ----------------------------------------------------------------------------------

PLACE_STEMS = (
    "Ash",
    "Brook",
    "Calder",
    "Dun",
    "Eden",
    "Fell",
    "Glen",
    "Hart",
    "Kings",
    "Lang",
    "Marl",
    "Nor",
    "Oak",
    "Pen",
    "Ravens",
    "Stan",
    "Thorn",
    "Wes",
    "Wych",
    "Bram",
    "Cor",
    "Elm",
    "Fair",
    "Hollin",
    "Kirk",
    "Lind",
    "Mill",
    "Rother",
    "Sel",
    "Whit",
)
PLACE_ENDINGS = ("ford", "ton", "ley", "bury", "field", "wick", "mouth", "dale", "ham", "more")
QUARTERS = (
    "North",
    "South",
    "East",
    "West",
    "Central",
    "Town",
    "Villages",
    "Coast",
    "Valley",
    "Heights",
    "Riverside",
    "Park",
)
FIRST_NAMES = tuple(
    """
    Amelia Olivia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Florence Emily Ella
    Poppy Evie Elsie Charlotte Evelyn Sienna Sofia Daisy Phoebe Aisha Zara Priya Amara Imani Noah
    Oliver George Arthur Muhammad Leo Harry Oscar Archie Henry Theodore Freddie Jack Charlie Theo
    Alfie Jacob Thomas Finley Arlo William Lucas Roman Tommy Isaac Teddy Hugo Yusuf Ibrahim Kwame
    Rhys Callum Owen Dylan Ethan Samuel Joseph Daniel Adam Reuben Niamh Siobhan Aoife Ciaran Eilidh
    Morag Bronwen Dafydd Gareth Megan
""".split()
)
# Most common first: surnames are drawn with falling weights, so "Smith" is frequent and the
# last ones are rare, as in a real staff directory.
SURNAMES = tuple(
    """
    Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson
    Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner
    Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott
    Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson
    Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams
    Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell
    Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens
    Jenkins Murray Dixon Harvey Okafor Adeyemi Kowalski Nowak Chen Nguyen Okonkwo Mensah Osei Ahmed
""".split()
)
JOB_TITLES = (
    "Social worker",
    "Senior social worker",
    "Team manager",
    "School nurse",
    "Health visitor",
    "Midwife",
    "Designated safeguarding lead",
    "Police constable",
    "Detective sergeant",
    "Family support worker",
    "Youth worker",
    "Probation officer",
    "GP",
    "Paediatrician",
    "Early help coordinator",
    "Housing officer",
)
AGENCY_NAMES: dict[str, tuple[str, ...]] = {
    AgencyType.NHS_TRUST: (
        "{} Hospitals NHS Foundation Trust",
        "{} Community Health NHS Trust",
        "{} Mental Health NHS Trust",
    ),
    AgencyType.SCHOOLS: ("{} Schools Safeguarding Group", "{} Academy Trust", "{} College"),
    AgencyType.DISTRICT_COUNCIL: ("{} District Council", "{} Borough Council"),
    AgencyType.VOLUNTARY: (
        "{} Voluntary Action",
        "{} Young People's Trust",
        "{} Family Support Network",
        "{} Youth Clubs",
    ),
    AgencyType.YOUTH_JUSTICE: ("{} Youth Justice Service",),
    AgencyType.PROBATION: ("Probation Service ({})",),
    AgencyType.OTHER: ("{} Housing Association", "{} Fire and Rescue Service"),
}
# Roles held by the rank and file (administrators and chairs are placed separately, a few each).
ROLE_WEIGHTS: dict[str, int] = {
    Role.PRACTITIONER: 50,
    Role.AGENCY_SAFEGUARDING_LEAD: 8,
    Role.EXPLOITATION_TEAM_MEMBER: 6,
    Role.TRAINER: 5,
    Role.BOARD_MEMBER: 5,
    Role.QUALITY_ASSURANCE_OFFICER: 4,
    Role.REVIEW_MANAGER: 3,
    Role.TRAINING_ADMINISTRATOR: 3,
    Role.SCRUTINY: 3,
    Role.CHILD_DEATH_REVIEW_COORDINATOR: 2,
    Role.LAY_MEMBER: 1,
}
ADMINISTRATORS_PER_PARTNERSHIP = 4
SEARCH_COMMON = "smith"  # a fragment that matches a few per cent of people (the commonest surname)


def place_names(n: int, rng: random.Random) -> list[str]:
    names = [stem + ending for stem in PLACE_STEMS for ending in PLACE_ENDINGS]
    rng.shuffle(names)
    # More partnerships than invented names (a large --scale): number the repeats.
    return [names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "") for i in range(n)]


class UniqueNames:
    """Hands out names, numbering a repeat ("Ashford College 2") so unique constraints hold."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()

    def __call__(self, name: str) -> str:
        self.seen[name] += 1
        return name if self.seen[name] == 1 else f"{name} {self.seen[name]}"


# --- Core steps ----------------------------------------------------------------------------------------


@generator_step("partnerships")
def make_partnerships(ctx: GenerationContext) -> None:
    """Partnerships of very different sizes: weight 1/(rank + 10), so the biggest is ~15x the smallest."""
    places = place_names(ctx.scale.partnerships, ctx.rng)
    modules = [m.key for m in MODULES]
    ctx.partnerships = bulk(
        Partnership,
        [
            Partnership(
                name=f"{place} Safeguarding Children Partnership",
                short_name=f"{place} SCP",
                slug=slugify(f"{place}-scp"),
                modules=modules,
            )
            for place in places
        ],
    )
    ctx.partnership_weights = [1 / (rank + 10) for rank in range(len(ctx.partnerships))]
    ctx.places = {p.pk: place for p, place in zip(ctx.partnerships, places, strict=True)}
    ctx.marks["partnership"] = ctx.partnerships[0].pk  # the biggest: the people list is measured there


@generator_step("places")
def make_places(ctx: GenerationContext) -> None:
    """One to three council areas per partnership, and three to twelve localities across them."""
    areas: list[LocalAuthorityArea] = []
    for number, partnership in enumerate(ctx.partnerships):
        place = ctx.places[partnership.pk]
        for i, prefix in enumerate(("", "North ", "South ")[: ctx.rng.randint(1, 3)]):
            areas.append(
                LocalAuthorityArea(partnership=partnership, name=f"{prefix}{place}", code=f"E9{number:05d}{i}")
            )
    bulk(LocalAuthorityArea, areas)
    by_partnership: dict[int, list[LocalAuthorityArea]] = defaultdict(list)
    for area in areas:
        by_partnership[area.partnership_id].append(area)
    localities = []
    for partnership in ctx.partnerships:
        quarters = ctx.rng.sample(QUARTERS, ctx.rng.randint(3, 12))
        for i, quarter in enumerate(quarters):
            area = by_partnership[partnership.pk][i % len(by_partnership[partnership.pk])]
            localities.append(Locality(partnership=partnership, area=area, name=f"{area.name} {quarter}"))
    ctx.localities = bulk(Locality, localities)
    ctx.counts.update(areas=len(areas), localities=len(localities))


@generator_step("agencies")
def make_agencies(ctx: GenerationContext) -> None:
    """Every partnership's children's services, police forces and ICBs shared by neighbouring boards,
    then trusts, schools, councils and charities in proportion to the partnership's size."""
    unique = UniqueNames()
    planned: list[tuple[Agency, list[int]]] = []  # (agency, indexes of its partnerships)
    count = len(ctx.partnerships)

    def plan(name: str, agency_type: str, members: list[int]) -> None:
        name = unique(name)
        agency = Agency(name=name, agency_type=agency_type, email=f"safeguarding@{slugify(name)[:50]}.{EMAIL_DOMAIN}")
        planned.append((agency, sorted(set(members))))

    for i, partnership in enumerate(ctx.partnerships):
        plan(f"{ctx.places[partnership.pk]} Children's Services", AgencyType.CHILDRENS_SERVICES, [i])
    for i in range(0, count, 3):  # a force covers up to three neighbouring partnerships
        plan(f"{ctx.places[ctx.partnerships[i].pk]} Constabulary", AgencyType.POLICE, list(range(i, min(i + 3, count))))
    for i in range(0, count, 2):
        plan(
            f"{ctx.places[ctx.partnerships[i].pk]} Integrated Care Board",
            AgencyType.INTEGRATED_CARE_BOARD,
            list(range(i, min(i + 2, count))),
        )
    kinds = list(AGENCY_NAMES)
    remaining = max(0, ctx.scale.agencies - len(planned))
    homes = ctx.rng.choices(range(count), weights=ctx.partnership_weights, k=remaining)
    for home in homes:
        agency_type = ctx.rng.choice(kinds)
        template = ctx.rng.choice(AGENCY_NAMES[agency_type])
        members = [home]
        if ctx.rng.random() < 0.3:  # some sit on a neighbouring board too
            members.append(min(count - 1, home + ctx.rng.randint(1, 2)))
        plan(template.format(ctx.places[ctx.partnerships[home].pk]), agency_type, members)

    ctx.agencies = bulk(Agency, [agency for agency, _ in planned])
    links = Agency.partnerships.through
    rows = []
    for agency, members in planned:
        for index in members:
            partnership_id = ctx.partnerships[index].pk
            rows.append(links(agency_id=agency.pk, partnership_id=partnership_id))
            ctx.agencies_by_partnership[partnership_id].append(agency.pk)
            ctx.partnerships_by_agency[agency.pk].append(partnership_id)
    bulk(links, rows)
    # The biggest partnership's police force (it sits on three boards): its history page is measured.
    ctx.marks["history_agency"] = next(
        a.pk for a, members in planned if a.agency_type == AgencyType.POLICE and 0 in members
    )
    ctx.counts.update(agencies=len(planned), agency_links=len(rows))


@generator_step("people")
def make_people(ctx: GenerationContext) -> None:
    """Everyone works for an agency of their partnership and holds one or two roles."""
    rng, scale = ctx.rng, ctx.scale
    partnership_ids = [p.pk for p in ctx.partnerships]
    homes = rng.choices(partnership_ids, weights=ctx.partnership_weights, k=scale.people)
    surname_weights = [1 / (rank + 20) for rank in range(len(SURNAMES))]
    surnames = rng.choices(SURNAMES, weights=surname_weights, k=scale.people)
    roles, role_weights = list(ROLE_WEIGHTS), list(ROLE_WEIGHTS.values())
    special: Counter[tuple[int, str]] = Counter()  # (partnership, role) -> administrators and chairs placed
    chunk = 20_000
    for start in range(0, scale.people, chunk):
        users: list[User] = []
        plans: list[list[tuple[int, str]]] = []
        for i in range(start, min(scale.people, start + chunk)):
            home = homes[i]
            agency_id = rng.choice(ctx.agencies_by_partnership[home])
            first = rng.choice(FIRST_NAMES)
            active = rng.random() > 0.03
            users.append(
                User(
                    email=f"{first}.{surnames[i]}.{i}@{EMAIL_DOMAIN}".lower(),
                    full_name=f"{first} {surnames[i]}",
                    job_title=rng.choice(JOB_TITLES),
                    agency_id=agency_id,
                    phone=f"01632 {rng.randint(960000, 960999)}",
                    password=ctx.password_hash,
                    is_active=active,
                    deactivated_at=None if active else timezone.now() - timedelta(days=rng.randint(1, 700)),
                )
            )
            if special[home, Role.PARTNERSHIP_ADMINISTRATOR] < ADMINISTRATORS_PER_PARTNERSHIP:
                role = Role.PARTNERSHIP_ADMINISTRATOR
            elif special[home, Role.INDEPENDENT_CHAIR] < 1:
                role = Role.INDEPENDENT_CHAIR
            else:
                role = rng.choices(roles, weights=role_weights)[0]
            special[home, role] += 1
            plan = [(home, role)]
            if rng.random() < 0.35:  # a second role: on another board of their agency, or here
                others = [p for p in ctx.partnerships_by_agency[agency_id] if p != home]
                second_role = rng.choices(roles, weights=role_weights)[0]
                target = rng.choice(others) if others and rng.random() < 0.5 else home
                if (target, second_role) != (home, role):
                    plan.append((target, second_role))
            plans.append(plan)
        _save_people(ctx, users, plans)
        print(f"    {min(scale.people, start + chunk):,} people", flush=True)

    # The personas the scenarios sign in as. Their names are not drawn from the lists above, so a
    # search for them finds them alone.
    biggest = ctx.partnerships[0].pk
    admin = User(
        email=f"partnership.admin@{EMAIL_DOMAIN}",
        full_name="Morwenna Tregarthen",
        job_title="Partnership business manager",
        agency_id=ctx.agencies_by_partnership[biggest][0],
        password=ctx.password_hash,
    )
    sysadmin = User(
        email=f"system.admin@{EMAIL_DOMAIN}",
        full_name="Lachlan Abernethy",
        job_title="Safeboard system administrator",
        is_system_administrator=True,
        password=ctx.password_hash,
    )
    second = ctx.partnerships[1].pk if len(ctx.partnerships) > 1 else biggest
    admin_roles = [(biggest, Role.PARTNERSHIP_ADMINISTRATOR), (second, Role.BOARD_MEMBER)]
    _save_people(ctx, [admin, sysadmin], [admin_roles, []], personas=True)
    ctx.marks.update(partnership_admin=admin.pk, system_admin=sysadmin.pk)
    # A practitioner of the biggest partnership and nothing more (so they rarely appear as an actor
    # in the audit trail): their record's history is measured, a search for their exact name is the
    # "find one person" case, and an audit search for them reads most of the change log.
    held: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for role in ctx.roles:
        held[role.person.id].append((role.partnership_id, role.role))
    person = next(p for p in ctx.people if held[p.id] == [(biggest, Role.PRACTITIONER)])
    ctx.marks.update(history_person=person.id, search_common=SEARCH_COMMON, search_rare=person.full_name)
    ctx.counts.update(people=len(ctx.people), memberships=len(ctx.roles))


def _save_people(
    ctx: GenerationContext, users: list[User], plans: list[list[tuple[int, str]]], personas: bool = False
) -> None:
    with transaction.atomic():
        bulk(User, users)
        memberships = [
            # A few roles have been switched off; never a persona's, or their pages would be refused.
            Membership(user_id=user.pk, partnership_id=pid, role=role, is_active=personas or ctx.rng.random() > 0.02)
            for user, plan in zip(users, plans, strict=True)
            for pid, role in plan
        ]
        bulk(Membership, memberships)
    people = {}
    for user, plan in zip(users, plans, strict=True):
        person = Person(user.pk, user.full_name, user.email, plan[0][0] if plan else 0, user.agency_id)
        people[user.pk] = person
        ctx.people.append(person)
        if plan and plan[0][1] == Role.PARTNERSHIP_ADMINISTRATOR:
            ctx.administrators[plan[0][0]].append(person)
    for membership in memberships:
        person = people[membership.user_id]
        ctx.roles.append(HeldRole(membership.pk, person, membership.partnership_id, membership.role))


@generator_step("audit")
def make_audit_trail(ctx: GenerationContext) -> None:
    """Two years of change-log and access-log entries over every kind of record, in time order."""
    rng, scale = ctx.rng, ctx.scale
    now = timezone.now()
    kinds = _AuditKinds(ctx)
    history_agency = next(a for a in ctx.agencies if a.pk == ctx.marks["history_agency"])
    history_person = next(p for p in ctx.people if p.id == ctx.marks["history_person"])

    changes_total = scale.change_log_entries
    special = set(rng.sample(range(changes_total), min(changes_total, scale.history_agency_changes)))
    times = _times(changes_total, now, rng)

    def changes() -> Iterable[ChangeLogEntry]:
        first = True
        for i in range(changes_total):
            if i in special:
                entry = kinds.agency_change(history_agency, created=first)
                first = False
            else:
                entry = kinds.random_change()
            entry.recorded_at = times[i]
            yield entry

    written = bulk_append_chain(ChangeLogEntry, changes())
    print(f"    {written:,} change-log entries", flush=True)

    views_total = scale.access_log_entries + scale.history_agency_views + scale.history_person_views
    positions = rng.sample(range(views_total), scale.history_agency_views + scale.history_person_views)
    agency_views = set(positions[: scale.history_agency_views])
    person_views = set(positions[scale.history_agency_views :])
    times = _times(views_total, now, rng)

    def views() -> Iterable[AccessLogEntry]:
        for i in range(views_total):
            if i in agency_views:
                entry = kinds.view(
                    kinds.agency_ct,
                    history_agency.pk,
                    history_agency.name,
                    ctx.partnerships_by_agency[history_agency.pk][0],
                    "record history",
                )
            elif i in person_views:
                detail = rng.choice(("", "", "API", "record history"))
                entry = kinds.view(
                    kinds.user_ct, history_person.id, history_person.full_name, history_person.partnership_id, detail
                )
            else:
                person = rng.choice(ctx.people)
                entry = kinds.view(kinds.user_ct, person.id, person.full_name, person.partnership_id, "")
            entry.recorded_at = times[i]
            yield entry

    written_views = bulk_append_chain(AccessLogEntry, views())
    print(f"    {written_views:,} access-log entries", flush=True)
    print(f"    {checkpoint_every_chain():,} signed checkpoints", flush=True)
    ctx.counts.update(change_log_entries=written, access_log_entries=written_views)


def _times(n: int, now: datetime, rng: random.Random) -> list[datetime]:
    """``n`` rising moments spread over the last two years (ids and times rise together)."""
    start = now - timedelta(days=730)
    step = timedelta(days=730) / max(n, 1)
    return [start + step * i + step * rng.random() for i in range(n)]


class _AuditKinds:
    """Builds plausible entries: the shapes ``core.audit.snapshot`` gives, with invented values."""

    def __init__(self, ctx: GenerationContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.user_ct = ContentType.objects.get_for_model(User).pk
        self.membership_ct = ContentType.objects.get_for_model(Membership).pk
        self.agency_ct = ContentType.objects.get_for_model(Agency).pk
        self.locality_ct = ContentType.objects.get_for_model(Locality).pk
        self.partnership_ct = ContentType.objects.get_for_model(Partnership).pk
        self.partnership_names = {p.pk: p.name for p in ctx.partnerships}
        self.role_labels = dict(Role.choices)
        self.every_admin = [a for admins in ctx.administrators.values() for a in admins]
        builders = (
            self._person_change,
            self._membership_change,
            self._agency_change,
            self._locality_change,
            self._partnership_change,
        )
        self.builders, self.weights = builders, (45, 30, 12, 8, 5)

    def actor(self, partnership_id: int | None) -> Person:
        # Mostly the partnership's administrators; sometimes anyone (people edit their own details).
        admins = self.ctx.administrators.get(partnership_id or 0) or self.every_admin
        return self.rng.choice(admins) if self.rng.random() < 0.7 else self.rng.choice(self.ctx.people)

    def _entry(self, model: type[ChainedEntry], partnership_for_actor: int | None, **values: Any) -> Any:
        actor = self.actor(partnership_for_actor)
        rng = self.rng
        return model(
            actor_id=actor.id,
            actor_name=f"{actor.full_name} <{actor.email}>",
            request_id=f"{rng.getrandbits(128):032x}",
            ip_address=f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            **values,
        )

    def random_change(self) -> ChangeLogEntry:
        return self.rng.choices(self.builders, weights=self.weights)[0]()

    def _change(
        self,
        content_type_id: int,
        object_id: int,
        repr_: str,
        partnership_id: int | None,
        actor_partnership: int | None,
        action: str,
        before: dict | None,
        after: dict | None,
    ) -> ChangeLogEntry:
        return self._entry(
            ChangeLogEntry,
            actor_partnership,
            partnership_id=partnership_id,
            content_type_id=content_type_id,
            object_id=str(object_id),
            object_repr=repr_[:300],
            action=action,
            before=before,
            after=after,
        )

    def _person_change(self) -> ChangeLogEntry:
        person = self.rng.choice(self.ctx.people)
        if self.rng.random() < 0.2:
            after = {  # the columns core.audit.snapshot() records for a person
                "id": person.id,
                "password": "",
                "email": person.email,
                "full_name": person.full_name,
                "job_title": self.rng.choice(JOB_TITLES),
                "agency_id": person.agency_id,
                "phone": "",
                "is_active": True,
                "is_system_administrator": False,
                "deactivated_at": None,
            }
            return self._change(
                self.user_ct, person.id, person.full_name, None, person.partnership_id, ChangeAction.CREATE, None, after
            )
        name, old, new = self.rng.choice(
            (
                ("job_title", self.rng.choice(JOB_TITLES), self.rng.choice(JOB_TITLES)),
                ("phone", "", f"01632 {self.rng.randint(960000, 960999)}"),
                ("password", "[redacted]", "[redacted]"),
                ("is_active", True, False),
                ("agency_id", person.agency_id, self.rng.choice(self.ctx.agencies).pk),
            )
        )
        return self._change(
            self.user_ct,
            person.id,
            person.full_name,
            None,
            person.partnership_id,
            ChangeAction.UPDATE,
            {name: old},
            {name: new},
        )

    def _membership_change(self) -> ChangeLogEntry:
        role = self.rng.choice(self.ctx.roles)
        partnership_name = self.partnership_names[role.partnership_id]
        repr_ = f"{role.person.full_name} – {self.role_labels[role.role]} – {partnership_name}"
        values = {
            "id": role.id,
            "user_id": role.person.id,
            "partnership_id": role.partnership_id,
            "role": role.role,
            "is_active": True,
        }
        roll = self.rng.random()
        if roll < 0.6:
            return self._change(
                self.membership_ct,
                role.id,
                repr_,
                role.partnership_id,
                role.partnership_id,
                ChangeAction.CREATE,
                None,
                values,
            )
        if roll < 0.9:
            return self._change(
                self.membership_ct,
                role.id,
                repr_,
                role.partnership_id,
                role.partnership_id,
                ChangeAction.UPDATE,
                {"is_active": True},
                {"is_active": False},
            )
        return self._change(
            self.membership_ct,
            role.id,
            repr_,
            role.partnership_id,
            role.partnership_id,
            ChangeAction.DELETE,
            values,
            None,
        )

    def agency_change(self, agency: Agency, created: bool = False) -> ChangeLogEntry:
        home = self.ctx.partnerships_by_agency[agency.pk][0]
        if created:
            after = {
                "id": agency.pk,
                "name": agency.name,
                "agency_type": agency.agency_type,
                "email": agency.email,
                "is_active": True,
            }
            return self._change(self.agency_ct, agency.pk, agency.name, None, home, ChangeAction.CREATE, None, after)
        links = self.ctx.partnerships_by_agency[agency.pk]
        name, old, new = self.rng.choice(
            (
                ("email", agency.email, f"safeguarding.{self.rng.randint(1, 99)}@{EMAIL_DOMAIN}"),
                ("is_active", True, False),
                ("agency_type", agency.agency_type, AgencyType.OTHER),
                ("partnerships", links[:-1], links),
            )
        )
        return self._change(
            self.agency_ct, agency.pk, agency.name, None, home, ChangeAction.UPDATE, {name: old}, {name: new}
        )

    def _agency_change(self) -> ChangeLogEntry:
        return self.agency_change(self.rng.choice(self.ctx.agencies), created=self.rng.random() < 0.2)

    def _locality_change(self) -> ChangeLogEntry:
        locality = self.rng.choice(self.ctx.localities)
        return self._change(
            self.locality_ct,
            locality.pk,
            locality.name,
            locality.partnership_id,
            locality.partnership_id,
            ChangeAction.UPDATE,
            {"name": f"{locality.name} (old)", "area_id": None},
            {"name": locality.name, "area_id": locality.area_id},
        )

    def _partnership_change(self) -> ChangeLogEntry:
        partnership = self.rng.choice(self.ctx.partnerships)
        pid = partnership.pk
        return self._change(
            self.partnership_ct,
            pid,
            partnership.name,
            pid,
            pid,
            ChangeAction.UPDATE,
            {"business_year_start_month": 4},
            {"business_year_start_month": 9},
        )

    def view(
        self, content_type_id: int, object_id: int, repr_: str, partnership_id: int | None, detail: str
    ) -> AccessLogEntry:
        return self._entry(
            AccessLogEntry,
            partnership_id,
            partnership_id=partnership_id,
            content_type_id=content_type_id,
            object_id=str(object_id),
            object_repr=repr_[:300],
            action=AccessAction.VIEW,
            detail=detail,
        )


# --- Running the steps ---------------------------------------------------------------------------------


def load_extensions() -> None:
    for name in EXTENSIONS:
        importlib.import_module(name)


def _tune_for_bulk_load() -> None:
    """Per-connection settings that speed a bulk load and vanish with the connection."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous = OFF")  # a crash mid-load just means a rebuild
            cursor.execute("PRAGMA cache_size = -200000")  # 200 MB page cache
        elif connection.vendor == "postgresql":
            cursor.execute("SET synchronous_commit TO OFF")


def _after_bulk_load() -> None:
    """PostgreSQL: refresh the planner's statistics and the visibility map, as autovacuum soon would.

    SQLite is left as the application leaves it: nothing runs ANALYZE there.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    connection.close()  # drops the bulk-load settings above


def generate(scale: Scale, seed: int = SEED) -> tuple[dict[str, Any], dict[str, int], float]:
    """Run every registered step; returns the marks, the row counts and the seconds taken."""
    ctx = GenerationContext(scale=scale, rng=random.Random(seed), password_hash=make_password(PASSWORD))
    started = time.perf_counter()
    _tune_for_bulk_load()
    for step in GENERATOR_STEPS:
        step_started = time.perf_counter()
        print(f"  step {step.name}…", flush=True)
        with transaction.atomic():
            step.run(ctx)
        print(f"  step {step.name} done in {time.perf_counter() - step_started:.1f} s", flush=True)
    step_started = time.perf_counter()
    _after_bulk_load()
    if connection.vendor == "postgresql":
        print(f"  VACUUM ANALYZE done in {time.perf_counter() - step_started:.1f} s", flush=True)
    seconds = time.perf_counter() - started
    summary = ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in ctx.counts.items())
    print(f"Generated in {seconds:.1f} s: {summary}")
    return ctx.marks, ctx.counts, seconds
