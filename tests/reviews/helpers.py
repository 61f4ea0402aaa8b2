"""Records the case review tests share: a review manager, the three statutory partners, a review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safeboard.core.models import Partnership
from safeboard.core.permissions import Role
from safeboard.governance.arrangements.services import set_statutory_partner
from safeboard.reviews.choices import AgeBand, Ethnicity, Sex
from safeboard.reviews.models import Review, ReviewChild, ReviewType
from tests.factories import member


def switch_on(partnership: Partnership) -> None:
    partnership.modules = [*partnership.modules, "reviews"]
    Partnership.objects.filter(pk=partnership.pk).update(modules=partnership.modules)


def review_manager(partnership: Partnership, agency: Any = None, name: str = "Rowan Manager") -> Any:
    return member(partnership, Role.REVIEW_MANAGER, agency, full_name=name)


def partners(partnership: Partnership) -> dict[str, Any]:
    """Three board members named as the statutory partners."""
    people = {}
    for position, name in (
        ("local_authority", "Lena Council"),
        ("police", "Pete Constable"),
        ("health", "Hana Health"),
    ):
        person = member(partnership, Role.BOARD_MEMBER, full_name=name)
        set_statutory_partner(partnership=partnership, position=position, person=person)
        people[position] = person
    return people


def make_review(
    partnership: Partnership,
    manager: Any,
    *,
    reference: str = "CR-2026-01",
    aware_on: dt.date = dt.date(2026, 11, 2),
    notified_on: dt.date | None = None,
    agencies: list[Any] | None = None,
) -> Review:
    review = Review.objects.create(
        partnership=partnership,
        reference=reference,
        review_type=ReviewType.objects.filter(partnership=partnership).order_by("position").first(),
        manager=manager,
        incident_on=aware_on - dt.timedelta(days=1),
        aware_on=aware_on,
        notified_on=notified_on,
    )
    review.agencies.set(agencies or [])
    ReviewChild.objects.create(
        review=review,
        case_reference=f"{reference}-C1",
        age_band=AgeBand.UNDER_ONE,
        sex=Sex.FEMALE,
        ethnicity=Ethnicity.WHITE,
    )
    return review
