"""The board self-assessment's results, compared year on year.

Every rating question's answers are counted in three bands (disagree: 1 or 2; neither: 3; agree: 4 or
5) for each year, and the table of counts goes through ``core.suppression`` before anything is shown:
a board is small, and a count of one or two members could point to who answered what. The share who
agree is shown only where both its count and the year's number of answers are shown.

Answers live as JSON in ``QuestionnaireResponse.answers``, so they are counted here in Python: one
query reads the answers of the (at most ``YEARS_COMPARED``) years compared, a few hundred rows at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType

from safeboard.core import charts
from safeboard.core.questionnaires.definition import RATING, Definition
from safeboard.core.questionnaires.models import QuestionnaireResponse
from safeboard.core.suppression import SuppressedCounts, SuppressedTable, suppress, suppress_counts
from safeboard.governance.effectiveness.models import SelfAssessment

YEARS_COMPARED = 3
BANDS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("Disagree (1 or 2)", (1, 2)),
    ("Neither (3)", (3,)),
    ("Agree (4 or 5)", (4, 5)),
)


@dataclass
class QuestionResult:
    key: str
    label: str
    table: SuppressedTable  # rows: the bands; columns: the years
    agree: list[float | None]  # the share who agree, per year (None: hidden, or no answers)

    @property
    def band_rows(self) -> list[tuple[str, list[int | None]]]:
        return [(label, cells) for (label, _), cells in zip(BANDS, self.table.cells, strict=True)]


@dataclass
class SectionResult:
    title: str
    questions: list[QuestionResult]
    chart: Any


@dataclass
class Results:
    years: list[str]
    respondents: SuppressedCounts
    sections: list[SectionResult]
    bands: tuple[str, ...]


def _year(assessment: SelfAssessment) -> str:
    return f"{assessment.business_year} to {assessment.business_year + 1}"


def compared_assessments(assessment: SelfAssessment, visible: Any) -> list[SelfAssessment]:
    """This year's assessment and up to two before it, oldest first, of those the person may see."""
    earlier = list(
        visible.filter(partnership_id=assessment.partnership_id, business_year__lte=assessment.business_year).order_by(
            "-business_year"
        )[:YEARS_COMPARED]
    )
    return list(reversed(earlier))


def results(assessments: list[SelfAssessment], definition: Definition) -> Results:
    """Counts per question, band and year for the rating questions of ``definition`` (this year's
    questions: a question asked in one year only shows as no answers in the others)."""
    content_type = ContentType.objects.get_for_model(SelfAssessment)
    by_year: dict[str, list[dict[str, Any]]] = {str(a.pk): [] for a in assessments}
    for subject_id, answers in QuestionnaireResponse.objects.filter(
        subject_type=content_type, subject_id__in=list(by_year)
    ).values_list("subject_id", "answers"):
        by_year[subject_id].append(answers)
    columns = [by_year[str(a.pk)] for a in assessments]
    years = [_year(a) for a in assessments]
    sections = []
    for section in definition.sections:
        questions = []
        for question in section.questions:
            if question.type != RATING:
                continue
            counts = [
                [sum(1 for answers in column if answers.get(question.key) in values) for column in columns]
                for _, values in BANDS
            ]
            table = suppress(counts)
            agree = []
            for index in range(len(columns)):
                answered, agreed = table.column_totals[index], table.cells[-1][index]
                agree.append(None if not answered or agreed is None else agreed * 100 / answered)
            questions.append(QuestionResult(question.key, question.label, table, agree))
        if not questions:
            continue
        chart = charts.bar(
            f"{section.title}: members who agree, by year",
            [q.label for q in questions],
            {year: [q.agree[i] for q in questions] for i, year in enumerate(years)},
            unit="percent",
            category_header="Statement",
            heading_level=4,
        )
        sections.append(SectionResult(section.title, questions, chart))
    return Results(
        years=years,
        respondents=suppress_counts([len(column) for column in columns]),
        sections=sections,
        bands=tuple(label for label, _ in BANDS),
    )
