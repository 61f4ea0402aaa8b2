"""Who may do what with case reviews. Read with ``core/permissions.py`` (the one merged policy) and
``reviews/access.py`` (what each reach means for a review).

The review manager keeps the register across the partnership. An agency's safeguarding lead reads
the reviews their agency is involved in and writes their agency's summary. Everyone else but
scrutiny reaches the reviews they are entitled to as a statutory partner or a member of a case
review group (``Scope.OWN`` here: see ``reviews/access.py``). Scrutiny reads suppressed counts only.
"""

from __future__ import annotations

from safeboard.core.permissions import ModulePermissions, Role, Scope

P, A, OWN = Scope.PARTNERSHIP, Scope.AGENCY, Scope.OWN

_READ_TABLES = ("review", "reviewchild", "rapidreview", "agencysummary")

_REVIEW_MANAGER: dict[str, Scope] = {
    **{f"reviews.{action}_{model}": P for model in _READ_TABLES for action in ("view", "add", "change")},
    "reviews.view_reviewtype": P,
    "reviews.add_reviewtype": P,
    "reviews.change_reviewtype": P,
    "reviews.view_reviewsettings": P,
    "reviews.add_reviewsettings": P,
    "reviews.change_reviewsettings": P,
    "reviews.view_review_clocks": P,
    "reviews.count_review": P,
}
# Partners and members of a case review group: the reviews they are entitled to (see access.py).
_ENTITLED_READERS: dict[str, Scope] = {
    **{f"reviews.view_{model}": OWN for model in _READ_TABLES},
    "reviews.count_review": P,
}
_AGENCY_LEAD: dict[str, Scope] = {
    **{f"reviews.view_{model}": A for model in _READ_TABLES},
    "reviews.add_agencysummary": A,
    "reviews.change_agencysummary": A,
    "reviews.count_review": P,
}
# Scrutiny: figures only, with small numbers suppressed.
_SCRUTINY: dict[str, Scope] = {"reviews.count_review": P}

PERMISSIONS = ModulePermissions(
    app_label="reviews",
    extra_permissions={
        "reviews.view_review_clocks": "Read the list of review clocks that are overdue or due soon.",
        "reviews.count_review": "Read the counts of reviews by year and type, small numbers suppressed.",
    },
    grants={
        **{
            role: (_ENTITLED_READERS,)
            for role in Role
            if role not in (Role.SCRUTINY, Role.REVIEW_MANAGER, Role.AGENCY_SAFEGUARDING_LEAD)
        },
        Role.REVIEW_MANAGER: (_REVIEW_MANAGER,),
        Role.AGENCY_SAFEGUARDING_LEAD: (_AGENCY_LEAD,),
        Role.SCRUTINY: (_SCRUTINY,),
    },
)
