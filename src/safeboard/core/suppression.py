"""Small-number suppression for every published or scrutiny figure.

``suppress(table)`` takes a table of counts (a list of rows of non-negative whole numbers) and returns
a ``SuppressedTable`` with the cells, the row totals, the column totals and the grand total, each
either shown (the number) or hidden (``None``). ``suppress_counts(counts)`` does the same for a single
list of counts and its total. Render the result with the ``suppression`` template tags
(``{{ value|suppressed }}`` and ``{% suppression_note %}``) and, in files, with ``HIDDEN_MARK``.

The two rules
-------------

1. **Primary.** No value from 1 to threshold − 1 is shown, whether it is a cell or a total. The threshold
   is the ``SAFEBOARD_SUPPRESSION_THRESHOLD`` setting (default 5). Zeros are shown.
2. **Secondary.** Then as few further values as we can manage are hidden so that no hidden value can be
   worked out exactly from what is shown. A reader knows that each row adds up to its row total, each
   column to its column total, and the totals to the grand total; with the shown values put in, these
   identities are a system of linear equations in the hidden values. A hidden value is *determined*
   when that system fixes it (the unit vector for it lies in the row space of the equations' matrix
   restricted to the hidden values). The result has no determined hidden value.

   On top of the linear rule we apply one rule about sizes: the reader knows that zeros are shown, so a
   hidden count is at least 1. Where an identity leaves hidden counts that add up to exactly as many as
   there are of them (two hidden counts adding to 2) each must be 1, and where they add up to 0 each must
   be 0; we hide more in that identity. This is not a full check of what bounds reveal (that needs linear
   programming; see ``docs/architecture.md``), but it closes the case that comes up most with small
   tables.

The algorithm, and why
----------------------

Optimal secondary suppression is an integer programming problem (Tau-Argus solves it with a MIP
solver). We looked for a Python library first: ``pytauargus`` (Tau-Argus with the HiGHS solver) is the
real thing but is a 0.x release from one maintainer, ships a 14 MB native engine, works on microdata or
batch files in a working directory and says that concurrent runs in one process are not validated,
which rules it out inside a web request; ``acro`` (SACRO) checks research outputs and applies primary
suppression only, with pandas and statsmodels behind it. Neither fits a page that suppresses a 6×5
table on the fly, so this is ours.

The method we wrote is the classic one for two-way tables with totals (the "cycle" or shortest-path
heuristic):

* The identities form a graph: each identity is a node and each value an edge between the two
  identities it appears in. Because the identities' matrix is totally unimodular, a hidden value is
  determined exactly when its edge is a *bridge* of the graph of hidden edges (it lies on no cycle of
  hidden values). So checking a pattern is a linear-time bridge search, not a matrix computation.
* Hide the primary values. While some hidden value is a bridge, find the cheapest path between its two
  ends that avoids it (Dijkstra; crossing a hidden value is free, hiding a shown one costs one hidden
  value first, then prefers a non-zero value, a cell over a total, and a small value over a large one)
  and hide the shown values on it. Adding hidden values never turns another one into a bridge, so each
  round leaves fewer. Then fix any identity that breaks the size rule by hiding its cheapest shown
  value, and go round again.
* Finally try to show again each value the search hid, the largest first, and keep it shown when the
  pattern stays safe, so that no more is hidden than the search needed.

It is a heuristic: it does not promise the fewest possible hidden values (that is the integer
programme), but it finds few, is deterministic, and runs in well under a millisecond for the tables the
modules publish. The property test in ``tests/core/test_suppression.py`` checks every result with a
separate method (numpy's matrix rank over the full identity matrix), not with this code.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings

DEFAULT_THRESHOLD = 5
# The mark for a hidden value in files and plain text (the Government Statistical Service's "[c]",
# confidential); pages use the ``suppressed`` template filter.
HIDDEN_MARK = "[c]"

_CELL, _ROW_TOTAL, _COLUMN_TOTAL, _GRAND_TOTAL = 0, 1, 1, 2


def threshold_setting() -> int:
    """The partnership-wide threshold: values from 1 to this minus one are never shown."""
    return int(getattr(settings, "SAFEBOARD_SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD))


@dataclass(frozen=True)
class SuppressedTable:
    """A table ready to publish: every value is its number, or ``None`` where it is hidden."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None
    threshold: int

    @property
    def hidden_count(self) -> int:
        values = [v for row in self.cells for v in row] + self.row_totals + self.column_totals + [self.total]
        return sum(v is None for v in values)

    @property
    def rows(self) -> list[tuple[list[int | None], int | None]]:
        """Each row's cells with its total, for templates."""
        return list(zip(self.cells, self.row_totals, strict=True))


@dataclass(frozen=True)
class SuppressedCounts:
    """A single list of counts and its total, ready to publish."""

    counts: list[int | None]
    total: int | None
    threshold: int


# --- The problem: values and the identities between them ---------------------------------------------
#
# Each identity says "these values, with these signs, add up to nothing" (a row's cells minus its
# total). Every value sits in exactly two identities with opposite signs once the column identities and
# the second grand-total identity are negated (the matrix is totally unimodular), so the identities are
# the nodes of a graph and each value is an edge between its two identities. The solutions of the
# identities restricted to the hidden values are the cycles of the graph of hidden edges, so a hidden
# value is determined exactly when its edge lies on no cycle of hidden edges: when it is a *bridge*.
# That turns each check into a linear-time bridge search, and "make this value safe" into "find the
# cheapest path between its two ends through the other values, and hide the shown ones on it".


@dataclass
class _Problem:
    values: list[int]
    kinds: list[int]  # 0 cell, 1 row or column total, 2 grand total: the cost of hiding it
    identities: list[list[tuple[int, int]]]  # each: (value index, coefficient); the terms add up to zero
    edges: list[tuple[int, int]] = field(default_factory=list)  # value index -> its two identities

    def __post_init__(self) -> None:
        ends: list[list[int]] = [[] for _ in self.values]
        for number, identity in enumerate(self.identities):
            for index, _ in identity:
                ends[index].append(number)
        if any(len(e) != 2 for e in ends):
            raise ValueError("Every value must appear in exactly two identities.")
        self.edges = [(e[0], e[1]) for e in ends]

    def cost(self, index: int) -> int:
        """What hiding a value loses: above all one more hidden value; then a non-zero value is
        preferred to a zero (a hidden zero protects little), a cell to a total, a small value to a
        large one."""
        value = self.values[index]
        return 10**12 + (value == 0) * 10**10 + self.kinds[index] * 10**9 + min(value, 10**9 - 1)


def _check_counts(values: Iterable[object]) -> None:
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"Counts must be whole numbers of 0 or more; got {value!r}.")


def _bridges(problem: _Problem, hidden: set[int]) -> set[int]:
    """Hidden values whose edge lies on no cycle of hidden edges: the ones a reader can work out."""
    adjacency: dict[int, list[tuple[int, int]]] = {}
    for index in hidden:
        u, v = problem.edges[index]
        adjacency.setdefault(u, []).append((v, index))
        adjacency.setdefault(v, []).append((u, index))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    found: set[int] = set()
    counter = 0
    for root in adjacency:
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        # Iterative depth-first search; each frame: node, the edge we came by, next neighbour to try.
        stack: list[tuple[int, int, int]] = [(root, -1, 0)]
        while stack:
            node, via, position = stack[-1]
            neighbours = adjacency[node]
            if position < len(neighbours):
                stack[-1] = (node, via, position + 1)
                target, edge = neighbours[position]
                if edge == via:
                    continue
                if target in order:
                    low[node] = min(low[node], order[target])
                else:
                    order[target] = low[target] = counter
                    counter += 1
                    stack.append((target, edge, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.add(via)
    return found


def _pinned_by_size(problem: _Problem, hidden: set[int]) -> list[int]:
    """Identities whose hidden values must all be 1 (or all 0), because zeros are shown.

    Only an identity whose hidden values all have the same sign (parts of a shown total) can pin them.
    """
    pinned = []
    for number, identity in enumerate(problem.identities):
        hidden_terms = [c for i, c in identity if i in hidden]
        if len(hidden_terms) < 2 or len(set(hidden_terms)) != 1:
            continue  # one hidden value is the linear rule's business; mixed signs pin nothing
        sign = hidden_terms[0]
        known = -sum(problem.values[i] * c for i, c in identity if i not in hidden) * sign
        if known in (0, len(hidden_terms)):
            pinned.append(number)
    return pinned


def _safe(problem: _Problem, hidden: set[int]) -> bool:
    return not _bridges(problem, hidden) and not _pinned_by_size(problem, hidden)


def _cheapest_detour(problem: _Problem, hidden: set[int], bridge: int) -> list[int]:
    """Shown values on the cheapest path between the bridge's two ends that avoids the bridge.

    Hidden values cost nothing to cross. Dijkstra over the identity graph.
    """
    start, goal = problem.edges[bridge]
    adjacency: dict[int, list[tuple[int, int]]] = {}
    for index, (u, v) in enumerate(problem.edges):
        if index != bridge:
            adjacency.setdefault(u, []).append((v, index))
            adjacency.setdefault(v, []).append((u, index))
    best = {start: 0}
    came_by: dict[int, tuple[int, int]] = {}
    queue = [(0, start)]
    while queue:
        distance, node = heapq.heappop(queue)
        if node == goal:
            break
        if distance > best[node]:
            continue
        for target, index in adjacency.get(node, []):
            step = 0 if index in hidden else problem.cost(index)
            if distance + step < best.get(target, distance + step + 1):
                best[target] = distance + step
                came_by[target] = (node, index)
                heapq.heappush(queue, (distance + step, target))
    path: list[int] = []
    node = goal
    while node != start:
        node, index = came_by[node]
        if index not in hidden:
            path.append(index)
    return path


def _protect(problem: _Problem, threshold: int) -> set[int]:
    if threshold < 1:
        raise ValueError("The suppression threshold must be 1 or more.")
    hidden = {i for i, v in enumerate(problem.values) if 0 < v < threshold}
    added: list[int] = []
    while True:
        bridges = _bridges(problem, hidden)
        if bridges:
            # Put one determined value on a cycle of hidden values, as cheaply as possible. Adding
            # edges never makes another edge a bridge, so each round leaves fewer bridges.
            detour = _cheapest_detour(problem, hidden, min(bridges))
            hidden.update(detour)
            added.extend(detour)
            continue
        pinned = _pinned_by_size(problem, hidden)
        if not pinned:
            break
        shown = [i for i, _ in problem.identities[pinned[0]] if i not in hidden]
        choice = min(shown, key=problem.cost)
        hidden.add(choice)
        added.append(choice)
    # Show again whatever the search hid without needing to, the most informative first.
    for index in sorted(set(added), key=lambda i: (-problem.cost(i), i)):
        trial = hidden - {index}
        if _safe(problem, trial):
            hidden = trial
    return hidden


# --- The public functions -------------------------------------------------------------------------------


def suppress(table: Sequence[Sequence[int]], threshold: int | None = None) -> SuppressedTable:
    """Suppress small numbers in a table of counts, with its row, column and grand totals.

    ``table`` is a list of rows, all the same length. The totals are worked out here. See the module's
    docstring for the rules and the algorithm.
    """
    threshold = threshold_setting() if threshold is None else threshold
    rows = [list(row) for row in table]
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("Every row of the table must have the same number of cells.")
    for row in rows:
        _check_counts(row)
    height = len(rows)
    row_totals = [sum(row) for row in rows]
    column_totals = [sum(row[j] for row in rows) for j in range(width)]
    total = sum(row_totals)

    # Lay every value out in one list: cells row by row, then row totals, column totals, the total.
    def cell(i: int, j: int) -> int:
        return i * width + j

    def row_total(i: int) -> int:
        return height * width + i

    def column_total(j: int) -> int:
        return height * width + height + j

    grand = height * width + height + width
    values = [v for row in rows for v in row] + row_totals + column_totals + [total]
    kinds = [_CELL] * (height * width) + [_ROW_TOTAL] * height + [_COLUMN_TOTAL] * width + [_GRAND_TOTAL]
    identities: list[list[tuple[int, int]]] = []
    for i in range(height):
        identities.append([(cell(i, j), 1) for j in range(width)] + [(row_total(i), -1)])
    for j in range(width):
        identities.append([(cell(i, j), 1) for i in range(height)] + [(column_total(j), -1)])
    identities.append([(row_total(i), 1) for i in range(height)] + [(grand, -1)])
    identities.append([(column_total(j), 1) for j in range(width)] + [(grand, -1)])
    hidden = _protect(_Problem(values, kinds, identities), threshold)

    def shown(index: int) -> int | None:
        return None if index in hidden else values[index]

    return SuppressedTable(
        cells=[[shown(cell(i, j)) for j in range(width)] for i in range(height)],
        row_totals=[shown(row_total(i)) for i in range(height)],
        column_totals=[shown(column_total(j)) for j in range(width)],
        total=shown(grand),
        threshold=threshold,
    )


def suppress_counts(counts: Sequence[int], threshold: int | None = None) -> SuppressedCounts:
    """Suppress small numbers in one list of counts (a chart's bars, a single column) and its total."""
    threshold = threshold_setting() if threshold is None else threshold
    values = list(counts)
    _check_counts(values)
    total_index = len(values)
    problem = _Problem(
        values=[*values, sum(values)],
        kinds=[_CELL] * len(values) + [_GRAND_TOTAL],
        # The second identity is the first negated: it adds nothing a reader did not know, and gives
        # every value its two ends in the identity graph.
        identities=[
            [(i, 1) for i in range(len(values))] + [(total_index, -1)],
            [(i, -1) for i in range(len(values))] + [(total_index, 1)],
        ],
    )
    hidden = _protect(problem, threshold)
    return SuppressedCounts(
        counts=[None if i in hidden else v for i, v in enumerate(values)],
        total=None if total_index in hidden else sum(values),
        threshold=threshold,
    )


def hidden_note(threshold: int | None = None) -> str:
    """The footnote for a table or chart with hidden values, in plain English."""
    threshold = threshold_setting() if threshold is None else threshold
    return (
        f"{HIDDEN_MARK} means the figure is hidden to protect people’s privacy. We never show a count of "
        f"fewer than {threshold} (other than 0), and we hide some other counts and totals as well, so that "
        "a hidden figure cannot be worked out from the ones shown."
    )


def as_text(value: int | None) -> str:
    """A value for a CSV or spreadsheet cell: the number, or the hidden mark."""
    return HIDDEN_MARK if value is None else str(value)
