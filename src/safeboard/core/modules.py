"""The domain modules a partnership can switch on, shown on "My work" and in the navigation.

Each module's app adds itself here when it has pages to offer (``url_name``) and names the
permission that opens its start page (``permission``). "My work" and the navigation show a module
only when it has pages and the person holds that permission in the partnership: a module still to
come is shown nowhere (the partnership's settings page still lists what is switched on).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModuleInfo:
    key: str
    name: str
    summary: str
    url_name: str | None = None
    permission: str | None = None


MODULES: tuple[ModuleInfo, ...] = (
    ModuleInfo(
        "governance",
        "Board business",
        "Boards and subgroups, meetings and papers, attendance, the partnership action log and the business plan.",
        "governance:home",
        "governance.view_group",
    ),
    ModuleInfo(
        "assurance",
        "Quality assurance",
        "The multi-agency performance dataset, section 11 self-assessments and multi-agency case audits.",
    ),
    ModuleInfo(
        "reviews",
        "Learning from case reviews",
        "Rapid reviews, practice reviews and smaller learning reviews, with every recommendation tracked.",
        "reviews:review-list",
        "reviews.view_review",
    ),
    ModuleInfo(
        "childdeath",
        "Child death review",
        "Notifications, agency reporting forms, panel meetings and the statistics for the annual report.",
    ),
    ModuleInfo(
        "training",
        "Workforce training",
        "Courses by level and audience, bookings and waiting lists, attendance, evaluation and certificates.",
    ),
    ModuleInfo(
        "exploitation",
        "Exploitation and missing children",
        "Concerns and screening, the multi-agency panel, missing episodes, return interviews and intelligence.",
    ),
)

MODULE_CHOICES = [(module.key, module.name) for module in MODULES]
MODULES_BY_KEY = {module.key: module for module in MODULES}
