"""Small-number suppression: both rules, checked over random tables with an independent solver."""

from __future__ import annotations

import numpy as np
import pytest
from django.template import Context, Template
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from safeboard.core.suppression import HIDDEN_MARK, as_text, hidden_note, suppress, suppress_counts

# --- An independent check: linear algebra over the published identities ---------------------------------


def flatten(cells, row_totals, column_totals, total) -> list:
    return [v for row in cells for v in row] + list(row_totals) + list(column_totals) + [total]


def identity_matrix(height: int, width: int) -> np.ndarray:
    """One row per published identity, one column per value (cells, row totals, column totals, total)."""
    n = height * width + height + width + 1
    rows = []
    for i in range(height):
        row = np.zeros(n)
        row[i * width : (i + 1) * width] = 1
        row[height * width + i] = -1
        rows.append(row)
    for j in range(width):
        row = np.zeros(n)
        row[[i * width + j for i in range(height)]] = 1
        row[height * width + height + j] = -1
        rows.append(row)
    for first, count in ((height * width, height), (height * width + height, width)):
        row = np.zeros(n)
        row[first : first + count] = 1
        row[-1] = -1
        rows.append(row)
    return np.array(rows)


def determined_by_rank(matrix: np.ndarray, hidden: list[int]) -> list[int]:
    """Hidden values fixed by the identities once the shown values are filled in.

    A hidden value is fixed iff its unit vector lies in the row space of the matrix restricted to the
    hidden values, i.e. iff adding that unit vector as a row does not raise the rank.
    """
    if not hidden:
        return []
    restricted = matrix[:, hidden]
    rank = np.linalg.matrix_rank(restricted)
    fixed = []
    for position, index in enumerate(hidden):
        unit = np.zeros((1, len(hidden)))
        unit[0, position] = 1
        if np.linalg.matrix_rank(np.vstack([restricted, unit])) == rank:
            fixed.append(index)
    return fixed


def pinned_by_size(values: list[int], published: list, matrix: np.ndarray) -> list[int]:
    """Identities whose hidden parts (of a shown total) add up to 0 or to exactly their number."""
    pinned = []
    for number, row in enumerate(matrix):
        terms = [i for i in np.flatnonzero(row) if published[i] is None]
        signs = {row[i] for i in terms}
        if len(terms) >= 2 and len(signs) == 1:
            if sum(values[i] for i in terms) in (0, len(terms)):
                pinned.append(number)
    return pinned


def check_table(table: list[list[int]], threshold: int) -> None:
    result = suppress(table, threshold=threshold)
    height, width = len(table), len(table[0])
    true_values = flatten(
        table,
        [sum(r) for r in table],
        [sum(r[j] for r in table) for j in range(width)],
        sum(map(sum, table)),
    )
    published = flatten(result.cells, result.row_totals, result.column_totals, result.total)
    assert len(published) == len(true_values)
    for true, shown in zip(true_values, published, strict=True):
        assert shown is None or shown == true  # what is shown is the real value
        assert shown is None or not 0 < shown < threshold  # primary: nothing from 1 to threshold - 1
        if 0 < true < threshold:
            assert shown is None
    matrix = identity_matrix(height, width)
    hidden = [i for i, v in enumerate(published) if v is None]
    assert determined_by_rank(matrix, hidden) == [], f"a hidden value can be worked out in {table}"
    assert pinned_by_size(true_values, published, matrix) == [], f"hidden values pinned by size in {table}"


# --- Properties -------------------------------------------------------------------------------------------

# Mostly small numbers, with zeros and a few large ones, so that most tables need secondary suppression.
counts = st.one_of(st.integers(0, 6), st.integers(0, 6), st.integers(0, 60))


@st.composite
def tables(draw: st.DrawFn) -> list[list[int]]:
    height = draw(st.integers(1, 6))
    width = draw(st.integers(1, 6))
    return [[draw(counts) for _ in range(width)] for _ in range(height)]


@settings(max_examples=400, deadline=None)
@given(table=tables(), threshold=st.sampled_from([5, 5, 3, 10]))
def test_random_tables_hide_every_small_value_and_nothing_hidden_can_be_worked_out(table, threshold):
    check_table(table, threshold)


@settings(max_examples=300, deadline=None)
@given(values=st.lists(counts, max_size=8), threshold=st.sampled_from([5, 3]))
def test_random_lists_hide_small_values_and_no_hidden_value_is_the_total_less_the_rest(values, threshold):
    result = suppress_counts(values, threshold=threshold)
    published = [*result.counts, result.total]
    true = [*values, sum(values)]
    for real, shown in zip(true, published, strict=True):
        assert shown is None or (shown == real and not 0 < shown < threshold)
        assert not (0 < real < threshold) or shown is None
    hidden = [i for i, v in enumerate(published) if v is None]
    matrix = np.array([[1.0] * len(values) + [-1.0]])
    assert determined_by_rank(matrix, hidden) == []
    assert pinned_by_size(true, published, matrix) == []


# --- Examples ---------------------------------------------------------------------------------------------


def test_a_table_of_large_numbers_and_zeros_is_shown_whole():
    result = suppress([[0, 12], [30, 0]])
    assert result.cells == [[0, 12], [30, 0]]
    assert (result.row_totals, result.column_totals, result.total) == ([12, 30], [30, 12], 42)
    assert result.hidden_count == 0


def test_one_small_cell_costs_a_rectangle_of_four_and_the_totals_stay():
    result = suppress([[3, 10, 12], [10, 10, 10]])
    assert result.cells == [[None, None, 12], [None, None, 10]]
    assert (result.row_totals, result.column_totals, result.total) == ([25, 30], [13, 20, 22], 55)


def test_a_small_total_is_hidden_and_so_is_whatever_would_give_it_away():
    result = suppress([[2, 0], [0, 9]])
    assert result.row_totals[0] is None and result.column_totals[0] is None and result.cells[0][0] is None
    check_table([[2, 0], [0, 9]], 5)


def test_two_hidden_ones_beside_a_shown_total_are_not_left_adding_up_to_two():
    result = suppress([[1, 1, 10], [10, 10, 10]])
    assert result.cells[0][:2] == [None, None]
    assert result.cells[0][2] is None or result.row_totals[0] is None
    check_table([[1, 1, 10], [10, 10, 10]], 5)


def test_counts_in_a_list():
    assert suppress_counts([3, 10, 12]).counts == [None, None, 12]  # the smaller partner goes
    assert suppress_counts([3, 10, 12]).total == 25
    assert suppress_counts([0, 10, 12]).counts == [0, 10, 12]
    only = suppress_counts([3])
    assert (only.counts, only.total) == ([None], None)
    assert suppress_counts([]).total == 0


@override_settings(SAFEBOARD_SUPPRESSION_THRESHOLD=10)
def test_the_threshold_comes_from_the_setting():
    assert suppress([[7, 20], [20, 20]]).cells[0][0] is None
    assert suppress([[7, 20], [20, 20]], threshold=5).cells[0][0] == 7
    assert "fewer than 10" in hidden_note()


@pytest.mark.parametrize(
    ("table", "message"), [([[1, -1]], "0 or more"), ([[1, 2], [3]], "same number"), ([[1.5]], "whole")]
)
def test_bad_tables_are_refused(table, message):
    with pytest.raises(ValueError, match=message):
        suppress(table)


def test_the_template_filter_and_footnote():
    html = Template(
        "{% load suppression %}{{ a|suppressed }}|{{ b|suppressed }}|{{ c|suppressed }}|{% suppression_note %}"
    ).render(Context({"a": None, "b": 12345, "c": 0}))
    hidden, large, zero, note = html.split("|")
    assert hidden == '<span aria-hidden="true">[c]</span><span class="govuk-visually-hidden">hidden</span>'
    assert (large, zero) == ("12,345", "0")
    assert note.startswith("[c] means the figure is hidden") and "fewer than 5" in note
    assert as_text(None) == HIDDEN_MARK == "[c]" and as_text(7) == "7"
