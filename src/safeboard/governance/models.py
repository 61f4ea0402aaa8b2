"""Board business: the app's model module (app label ``governance``).

The models live in the two halves of the module, ``meetings/models.py`` (groups, seats, meetings,
agenda, papers, attendance) and ``oversight/models.py`` (accountability, the business plan, the
challenge log, funding); this module gathers them so that Django, the migrations and other modules
find every governance model in one place.
"""

from safeboard.governance.arrangements.models import (
    DocumentKind,
    DocumentVersion,
    InductionStep,
    InductionStepKind,
    PartnershipDocument,
    SeatCriteria,
    SignOff,
    StatutoryPartner,
    StatutoryPosition,
)
from safeboard.governance.cycle.models import (
    ForwardPlanItem,
    MeetingSeries,
    PaperRequest,
    PaperStatus,
    StandingItem,
    StandingKind,
)
from safeboard.governance.effectiveness.models import ChairReview, SelfAssessment
from safeboard.governance.meetings.choices import (
    AttendanceStatus,
    GroupKind,
    ItemPurpose,
    MeetingFrequency,
    MeetingStatus,
    MemberType,
    MinutesStatus,
)
from safeboard.governance.meetings.models import (
    AbsenceFollowUp,
    AgendaItem,
    Attendance,
    Group,
    GroupMember,
    LayMemberInduction,
    Meeting,
    Paper,
    business_year_of,
)
from safeboard.governance.members.models import DecisionMeans, ItemDecision, PaperRead
from safeboard.governance.oversight.choices import ChallengeStatus
from safeboard.governance.oversight.models import (
    AccountabilitySession,
    Budget,
    BudgetLine,
    BusinessPlan,
    Challenge,
    FundingAgreement,
    FundingContribution,
    FundingStep,
    Measure,
    Objective,
    Priority,
)

__all__ = [
    "DecisionMeans",
    "ForwardPlanItem",
    "MeetingSeries",
    "PaperRequest",
    "PaperStatus",
    "StandingItem",
    "StandingKind",
    "DocumentKind",
    "DocumentVersion",
    "InductionStep",
    "InductionStepKind",
    "PartnershipDocument",
    "SeatCriteria",
    "SignOff",
    "StatutoryPartner",
    "StatutoryPosition",
    "AbsenceFollowUp",
    "AccountabilitySession",
    "AgendaItem",
    "Attendance",
    "AttendanceStatus",
    "Budget",
    "BudgetLine",
    "BusinessPlan",
    "ChairReview",
    "Challenge",
    "ChallengeStatus",
    "FundingAgreement",
    "FundingContribution",
    "FundingStep",
    "Group",
    "GroupKind",
    "GroupMember",
    "ItemDecision",
    "ItemPurpose",
    "LayMemberInduction",
    "Measure",
    "Meeting",
    "MeetingFrequency",
    "MeetingStatus",
    "MemberType",
    "MinutesStatus",
    "Objective",
    "Paper",
    "PaperRead",
    "Priority",
    "SelfAssessment",
    "business_year_of",
]
