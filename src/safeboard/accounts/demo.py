"""Invented demo data: two partnerships, their agencies and places, and one login per role.

Every name here is made up. Modules add their own demo records by appending a function to
``DEMO_STEPS`` (see docs/adding-a-module.md); each step receives the ``DemoWorld`` built here.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from safeboard.accounts.models import Membership, User
from safeboard.core.context import acting_as
from safeboard.core.models import Agency, AgencyJoinRequest, AgencyType, LocalAuthorityArea, Locality, Partnership
from safeboard.core.modules import MODULES
from safeboard.core.permissions import Role

DEMO_PASSWORD = "safeboard-demo-2026"
DEMO_DOMAIN = "demo.safeboard.test"


@dataclass
class DemoWorld:
    partnerships: dict[str, Partnership] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)  # by email local part, e.g. "admin"
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (email, role label, partnership)


AGENCIES = [
    # key, name, type, partnerships
    ("nm_cs", "Northmoor Council Children's Services", AgencyType.CHILDRENS_SERVICES, ["nm"]),
    ("police", "Riverside Constabulary", AgencyType.POLICE, ["nm", "tr"]),
    ("nm_trust", "Northmoor Hospitals NHS Foundation Trust", AgencyType.NHS_TRUST, ["nm"]),
    ("community_trust", "Three Rivers Community Health NHS Trust", AgencyType.NHS_TRUST, ["nm", "tr"]),
    ("icb", "Northmoor and Three Rivers Integrated Care Board", AgencyType.INTEGRATED_CARE_BOARD, ["nm", "tr"]),
    ("probation", "Probation Service (Riverside region)", AgencyType.PROBATION, ["nm", "tr"]),
    ("nm_yjs", "Northmoor Youth Justice Service", AgencyType.YOUTH_JUSTICE, ["nm"]),
    ("nm_schools", "Northmoor Schools and Colleges Safeguarding Group", AgencyType.SCHOOLS, ["nm"]),
    ("nm_vcs", "Northmoor Voluntary Action", AgencyType.VOLUNTARY, ["nm"]),
    ("tr_cs", "Three Rivers Children's Services", AgencyType.CHILDRENS_SERVICES, ["tr"]),
    ("ashdale_dc", "Ashdale District Council", AgencyType.DISTRICT_COUNCIL, ["tr"]),
    ("brookvale_dc", "Brookvale District Council", AgencyType.DISTRICT_COUNCIL, ["tr"]),
    ("tr_yjs", "Three Rivers Youth Justice Partnership", AgencyType.YOUTH_JUSTICE, ["tr"]),
]

# Invented national codes (real NHS bodies have ODS codes), so the join page can find them by code.
AGENCY_CODES = {"nm_trust": "DEMO-NHT", "community_trust": "DEMO-TRC", "icb": "DEMO-ICB"}

# email local part, name, job title, agency key, partnership key, role
LOGINS = [
    ("admin", "Priya Sharma", "Partnership business manager", "nm_cs", "nm", Role.PARTNERSHIP_ADMINISTRATOR),
    ("chair", "Martin Okafor", "Independent chair", None, "nm", Role.INDEPENDENT_CHAIR),
    ("board", "Helen Mair", "Director of children's services", "nm_cs", "nm", Role.BOARD_MEMBER),
    ("lay", "Joan Whitfield", "Lay member", None, "nm", Role.LAY_MEMBER),
    (
        "lead.police",
        "Detective Inspector Sam Reid",
        "Public protection lead",
        "police",
        "nm",
        Role.AGENCY_SAFEGUARDING_LEAD,
    ),
    ("qa", "Aisha Begum", "Quality assurance officer", "nm_cs", "nm", Role.QUALITY_ASSURANCE_OFFICER),
    ("reviews", "Tom Brennan", "Case review manager", "nm_cs", "nm", Role.REVIEW_MANAGER),
    ("cdop", "Grace Liu", "Child death review coordinator", "icb", "nm", Role.CHILD_DEATH_REVIEW_COORDINATOR),
    ("training", "Oliver Fenwick", "Training administrator", "nm_cs", "nm", Role.TRAINING_ADMINISTRATOR),
    ("trainer", "Nadia Kowalski", "Safeguarding trainer", "nm_trust", "nm", Role.TRAINER),
    ("practitioner", "Ben Adeyemi", "Social worker", "nm_cs", "nm", Role.PRACTITIONER),
    ("practitioner.health", "Rachel Moss", "Health visitor", "community_trust", "nm", Role.PRACTITIONER),
    ("exploitation", "Kieran Walsh", "Exploitation team social worker", "nm_cs", "nm", Role.EXPLOITATION_TEAM_MEMBER),
    ("scrutiny", "Elaine Porter", "Scrutiny officer", "nm_cs", "nm", Role.SCRUTINY),
    (
        "admin.threerivers",
        "Daniel Hughes",
        "Partnership business manager",
        "tr_cs",
        "tr",
        Role.PARTNERSHIP_ADMINISTRATOR,
    ),
]

FIRST = [
    "Amelia",
    "Jack",
    "Olivia",
    "Harry",
    "Isla",
    "George",
    "Ava",
    "Noah",
    "Mia",
    "Leo",
    "Ruby",
    "Arthur",
    "Freya",
    "Oscar",
    "Zara",
    "Yusuf",
    "Chloe",
    "Ethan",
    "Sofia",
    "Rhys",
    "Imani",
    "Callum",
    "Leah",
    "Owen",
]
LAST = [
    "Patel",
    "Jones",
    "Williams",
    "Brown",
    "Taylor",
    "Davies",
    "Evans",
    "Thomas",
    "Khan",
    "Roberts",
    "Walker",
    "Wright",
    "Hall",
    "Green",
    "Hughes",
    "Ali",
    "Clarke",
    "Edwards",
    "Lewis",
    "Hussain",
    "Turner",
    "Scott",
]


def build_demo() -> DemoWorld:
    # Each module's ``demo`` submodule appends its steps to DEMO_STEPS when imported.
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo")
    world = DemoWorld()
    rng = random.Random(2026)
    with transaction.atomic(), acting_as("demo data loader"):
        world.partnerships["nm"] = Partnership.objects.create(
            name="Northmoor Safeguarding Children Partnership",
            short_name="Northmoor SCP",
            slug="northmoor-scp",
            modules=[m.key for m in MODULES],
        )
        world.partnerships["tr"] = Partnership.objects.create(
            name="Three Rivers Safeguarding Partnership",
            short_name="Three Rivers SP",
            slug="three-rivers-sp",
            modules=["governance", "assurance", "reviews", "training"],
        )
        nm_area = LocalAuthorityArea.objects.create(
            partnership=world.partnerships["nm"], name="Northmoor", code="E99000001"
        )
        for name in ("Northmoor North", "Northmoor South", "Northmoor Central", "Moorside and Fellgate"):
            Locality.objects.create(partnership=world.partnerships["nm"], area=nm_area, name=name)
        for area_name, code, localities in (
            ("Ashdale", "E99000002", ["Ashdale Town", "Ashdale Villages"]),
            ("Brookvale", "E99000003", ["Brookvale East", "Brookvale West"]),
            ("Caldermouth", "E99000004", ["Caldermouth Harbour", "Upper Calder"]),
        ):
            area = LocalAuthorityArea.objects.create(partnership=world.partnerships["tr"], name=area_name, code=code)
            for name in localities:
                Locality.objects.create(partnership=world.partnerships["tr"], area=area, name=name)
        for key, name, agency_type, partnerships in AGENCIES:
            agency = Agency.objects.create(
                name=name,
                agency_type=agency_type,
                code=AGENCY_CODES.get(key, ""),
                email=f"safeguarding@{key.replace('_', '-')}.{DEMO_DOMAIN}",
            )
            agency.partnerships.set([world.partnerships[p] for p in partnerships])
            world.agencies[key] = agency

        for local, name, title, agency_key, partnership_key, role in LOGINS:
            email = f"{local}@{DEMO_DOMAIN}"
            user = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                full_name=name,
                job_title=title,
                agency=world.agencies.get(agency_key) if agency_key else None,
            )
            Membership.objects.create(user=user, partnership=world.partnerships[partnership_key], role=role)
            world.people[local] = user
            world.logins.append((email, Role(role).label, world.partnerships[partnership_key].short_name))
        # The Northmoor business manager also helps run the Three Rivers board: switch between them.
        Membership.objects.create(
            user=User.objects.get(email=f"admin@{DEMO_DOMAIN}"),
            partnership=world.partnerships["tr"],
            role=Role.BOARD_MEMBER,
        )
        # Three Rivers asks to add a Northmoor agency: the Northmoor administrator decides (My work).
        AgencyJoinRequest.objects.create(
            agency=world.agencies["nm_trust"],
            partnership=world.partnerships["tr"],
            requested_by=world.people["admin.threerivers"],
            reason="Children from Ashdale and Brookvale are born at, and treated by, the Northmoor hospitals.",
        )
        sysadmin = User.objects.create_user(
            f"sysadmin@{DEMO_DOMAIN}",
            DEMO_PASSWORD,
            full_name="Chris Dunmore",
            job_title="Safeboard system administrator",
            is_system_administrator=True,
        )
        world.logins.append((sysadmin.email, "System administrator", "every partnership"))

        # A realistic spread of other people, so that lists and filters have something to show.
        roles = [Role.PRACTITIONER] * 6 + [Role.BOARD_MEMBER, Role.AGENCY_SAFEGUARDING_LEAD, Role.TRAINER]
        for i in range(120):
            partnership_key = "nm" if i % 3 else "tr"
            candidates = [k for k, _, _, ps in AGENCIES if partnership_key in ps]
            first, last = rng.choice(FIRST), rng.choice(LAST)
            user = User.objects.create_user(
                f"{first.lower()}.{last.lower()}.{i}@{DEMO_DOMAIN}",
                None,
                full_name=f"{first} {last}",
                job_title=rng.choice(
                    [
                        "Social worker",
                        "School nurse",
                        "Designated safeguarding lead",
                        "Police constable",
                        "Family support worker",
                        "Youth worker",
                        "Midwife",
                        "Probation officer",
                    ]
                ),
                agency=world.agencies[rng.choice(candidates)],
            )
            Membership.objects.create(
                user=user, partnership=world.partnerships[partnership_key], role=rng.choice(roles)
            )
        for step in DEMO_STEPS:
            step(world)
    return world


DEMO_STEPS: list[Callable[[DemoWorld], None]] = []
