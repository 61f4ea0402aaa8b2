"""core.charts: every chart type draws well-formed SVG without inline styles or scripts, carries its
figures in a table (the accessible version) with the same numbers, and copes with the edge cases."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from safeboard.core import charts
from safeboard.core.charts import Series, format_value, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"
SCSS = Path(charts.__file__).parent / "static_src" / "safeboard.scss"
# Text that shows a figure (halos are copies drawn behind it).
FIGURE_CLASSES = ("sb-chart__value", "sb-chart__inside", "sb-chart__total", "sb-chart__cell-value")
# A name followed by its figure: "Episodes 9", "Baseline, March 2025: 62%".
NAMED_CLASS = "sb-chart__named"


def parse(chart: charts.Chart) -> ET.Element:
    """The chart's HTML (figure and table) as an element tree: it must be well-formed."""
    return ET.fromstring(f"<root>{chart.render()}</root>")


def svg_of(tree: ET.Element) -> ET.Element:
    found = tree.find(f".//{SVG}svg")
    assert found is not None
    return found


def table_of(tree: ET.Element) -> tuple[list[str], dict[str, list[str]]]:
    table = tree.find(".//table")
    assert table is not None
    headers = ["".join(th.itertext()).strip() for th in table.findall("./thead/tr/th")]
    rows = {}
    for tr in table.findall("./tbody/tr"):
        label = "".join(tr.find("th").itertext()).strip()
        rows[label] = ["".join(td.itertext()).strip() for td in tr.findall("td")]
    return headers, rows


def figures_drawn(svg: ET.Element) -> set[str]:
    texts = set()
    for text in svg.iter(f"{SVG}text"):
        classes = text.get("class", "").split()
        if "sb-chart__halo" in classes:
            continue
        if any(c in classes for c in FIGURE_CLASSES):
            texts.add(text.text or "")
        elif NAMED_CLASS in classes:
            texts.add((text.text or "").rsplit(" ", 1)[-1])
    return texts


CHARTS = {
    "bar-horizontal": lambda: charts.bar(
        "Attendance by agency",
        ["Children's Services", "Riverside Constabulary", "Northmoor NHS Foundation Trust"],
        {"Agency represented": [80, 75, 100], "Member attended": [45, 70, 90]},
        unit="percent",
        target=75,
        target_label="Required",
        category_header="Agency",
    ),
    "bar-vertical": lambda: charts.bar(
        "Funding by agency",
        ["Council", "Police", "Health"],
        [60000, 25000, Decimal("30500.50")],
        unit="money",
        horizontal=False,
    ),
    "bar-targets-per-category": lambda: charts.bar(
        "Attendance by group", ["Board", "Executive"], [72, 90], unit="percent", target=[75, 80]
    ),
    "stacked-horizontal": lambda: charts.stacked_bar(
        "Actions by RAG rating",
        ["Jul to Sep 2026", "Oct to Dec 2026"],
        [Series("Red (overdue)", (3, 5), "red"), Series("Green (on track)", (1200, 9), "green")],
        category_header="Quarter",
    ),
    "stacked-vertical": lambda: charts.stacked_bar(
        "Places booked", ["Level 1", "Level 2"], {"Police": [30, 12], "Health": [20, 8]}, horizontal=False
    ),
    "line": lambda: charts.line(
        "Missing episodes by month",
        ["April", "May", "June"],
        {"Episodes": [12, 15, 9], "Return interviews": [8, 12, 9]},
        target=10,
    ),
    "sparkline": lambda: charts.sparkline("Overdue actions", ["Jan", "Feb", "Mar"], [3, 5, 2]),
    "heatmap": lambda: charts.heatmap(
        "Training places", ["Council", "Police"], ["Level 1", "Level 2", "Level 3"], [[120, 40, 12], [30, 4, 0]]
    ),
    "measure": lambda: charts.measure(
        "Plans reviewed on time",
        baseline=("Baseline, March 2025", 62),
        latest=("Latest, October 2026", 71),
        target=("Target, March 2027", 85),
        unit="percent",
    ),
}


@pytest.mark.parametrize("make", CHARTS.values(), ids=CHARTS.keys())
def test_it_draws_well_formed_svg_with_no_inline_style_or_script(make):
    chart = make()
    html = chart.render()
    assert not re.search(r"\sstyle\s*=", html, re.IGNORECASE)
    assert "<style" not in html.lower() and "<script" not in html.lower()
    assert "javascript:" not in html.lower()
    svg = svg_of(parse(chart))
    assert svg.get("aria-hidden") == "true" and svg.get("focusable") == "false"
    assert svg.get("viewBox", "").startswith("0 0 ")
    assert svg.find(f"{SVG}title").text.startswith(f"Chart: {chart.title}")
    assert float(svg.get("height")) > 0


@pytest.mark.parametrize("make", CHARTS.values(), ids=CHARTS.keys())
def test_its_table_is_the_accessible_version_with_the_same_numbers(make):
    chart = make()
    tree = parse(chart)
    headers, rows = table_of(tree)
    # The table is named by the chart's title; the SVG is hidden, so nothing is announced twice.
    table = tree.find(".//table")
    title = tree.find(f".//*[@id='{table.get('aria-labelledby')}']")
    assert title is not None and "".join(title.itertext()).strip().startswith(chart.title)
    assert headers[0] == chart.table.headers[0]
    # Every figure in the input is in the table, formatted the UK way.
    if chart.kind == "measure":
        assert rows == {
            label: [format_value(v, chart.unit)]
            for label, v in zip(chart.categories, chart.series[0].values, strict=True)
        }
    else:
        for s, series in enumerate(chart.series):
            assert headers[s + 1] == series.name
            for c, category in enumerate(chart.categories):
                assert rows[category][s] == format_value(series.values[c], chart.unit)
    # Every figure written on the chart is one of the table's.
    in_table = {cell for cells in rows.values() for cell in cells}
    assert figures_drawn(svg_of(tree)) <= in_table
    # Every mark carries the value it was drawn from.
    inputs = {str(v) for s in chart.series for v in s.values}
    for mark in svg_of(tree).iter():
        if mark.get("data-value"):
            assert mark.get("data-value") in inputs


def test_bars_are_as_long_as_their_values_and_the_target_is_drawn():
    chart = CHARTS["bar-horizontal"]()
    svg = svg_of(parse(chart))
    bars = {
        (r.get("data-series"), r.get("data-category")): float(r.get("width"))
        for r in svg.iter(f"{SVG}rect")
        if r.get("data-value")
    }
    assert len(bars) == 6
    unit = bars[("Agency represented", "Northmoor NHS Foundation Trust")] / 100
    assert bars[("Member attended", "Children's Services")] == pytest.approx(45 * unit, abs=0.2)
    assert len([p for p in svg.iter(f"{SVG}path") if p.get("class") == "sb-chart__target"]) == 2  # key and line
    assert {"Agency represented", "Member attended", "Required: 75%"} <= {t.text for t in svg.iter(f"{SVG}text")}
    _, rows = table_of(parse(chart))
    assert rows["Children's Services"] == ["80%", "45%", "75%"]


def test_series_are_told_apart_by_pattern_as_well_as_colour():
    chart = CHARTS["bar-horizontal"]()
    svg = svg_of(parse(chart))
    fills = {r.get("data-series"): r.get("fill") for r in svg.iter(f"{SVG}rect") if r.get("data-series")}
    assert fills["Agency represented"].startswith("#")
    assert fills["Member attended"].startswith("url(#")
    pattern = svg.find(f".//{SVG}pattern[@id='{fills['Member attended'][5:-1]}']")
    assert pattern is not None and pattern.find(f"{SVG}path") is not None
    lines = charts.line("Two lines", ["a", "b"], {"One": [1, 2], "Two": [2, 1]})
    drawn = [g for g in svg_of(parse(lines)).iter(f"{SVG}g") if g.get("class") == "sb-chart__series"]
    dashes = [g.find(f"{SVG}path").get("stroke-dasharray") for g in drawn]
    assert len(drawn) == 2 and len(set(dashes)) == 2  # each line its own dash (and its own marker shape)
    assert len({(g.findall(f"{SVG}circle") and "circle") or "other" for g in drawn}) == 2


def test_every_class_the_charts_use_is_styled_for_high_contrast():
    scss = SCSS.read_text()
    block = scss[scss.index("@media (forced-colors: active)") :]
    used = set()
    for make in CHARTS.values():
        for element in svg_of(parse(make())).iter():
            used |= {c for c in element.get("class", "").split() if c.startswith("sb-chart__")}
    # Layout-only classes need no high-contrast rule; every class that paints does.
    used = {c for c in used if not c.startswith("sb-chart__svg")}
    unstyled = {c for c in used if not re.search(rf"\.{re.escape(c)}\b", block)} - {
        "sb-chart__svg",
        "sb-chart__legend",
        "sb-chart__grid",
        "sb-chart__series",
        "sb-chart__axis",
        "sb-chart__arrow",
        "sb-chart__tick",
        "sb-chart__value",
        "sb-chart__total",
        "sb-chart__named",
        "sb-chart__value--hidden",
        "sb-chart__halo",
        "sb-chart__mark--patterned",
    }
    assert unstyled == set()
    # Those left out paint with currentColor, which high contrast sets.
    for make in CHARTS.values():
        for element in svg_of(parse(make())).iter():
            if "sb-chart__axis" in element.get("class", "") or "sb-chart__arrow" in element.get("class", ""):
                assert "currentColor" in (element.get("stroke"), element.get("fill"))


def test_the_template_tag_renders_the_chart_and_nothing_for_none():
    chart = CHARTS["line"]()
    rendered = Template("{% load charts %}{% chart chart %}|{% chart missing %}").render(
        Context({"chart": chart, "missing": None})
    )
    assert rendered == f"{chart.render()}|"
    assert Template("{{ chart }}").render(Context({"chart": chart})) == chart.render()


# --- Edge cases ---------------------------------------------------------------------------------------------


def test_all_zero_draws_an_axis_and_no_bars():
    chart = charts.bar("Nothing yet", ["A", "B"], [0, 0])
    svg = svg_of(parse(chart))
    assert [float(r.get("width")) for r in svg.iter(f"{SVG}rect") if r.get("data-value")] == [0, 0]
    assert {t.text for t in svg.iter(f"{SVG}text") if "sb-chart__tick" in t.get("class", "")} == {"0", "1"}
    assert table_of(parse(chart))[1] == {"A": ["0"], "B": ["0"]}
    stacked = charts.stacked_bar("Nothing stacked", ["Q1"], {"Red": [0], "Green": [0]})
    assert not [r for r in svg_of(parse(stacked)).iter(f"{SVG}rect") if r.get("data-value")]
    assert table_of(parse(stacked))[1] == {"Q1": ["0", "0", "0"]}


def test_one_value_is_a_chart_too():
    for make in (
        lambda: charts.bar("One", ["Only"], [7]),
        lambda: charts.bar("One", ["Only"], [7], horizontal=False),
        lambda: charts.line("One", ["Only"], [7]),
        lambda: charts.sparkline("One", ["Only"], [7]),
        lambda: charts.heatmap("One", ["Only"], ["Column"], [[7]]),
        lambda: charts.measure("One", latest=("Latest", 7)),
    ):
        chart = make()
        assert "7" in {c.text for c in chart.table.rows[0][1]}
        svg_of(parse(chart))


def test_no_categories_says_so_instead_of_drawing():
    chart = charts.bar("Nothing at all", [], [])
    tree = parse(chart)
    assert tree.find(f".//{SVG}svg") is None and tree.find(".//table") is None
    assert "There are no figures to show." in "".join(tree.itertext())


@pytest.mark.parametrize(
    "make",
    [
        lambda: charts.bar("Counts", ["A"], [-1]),
        lambda: charts.stacked_bar("Parts", ["A"], {"x": [-5]}, unit="number"),
        lambda: charts.bar("Counts", ["A"], [1.5]),
        lambda: charts.bar("Counts", ["A"], ["3"]),
        lambda: charts.bar("Counts", ["A"], [True]),
        lambda: charts.bar("Counts", ["A", "B"], [1]),
        lambda: charts.bar("Counts", ["A"], [1], unit="furlongs"),
        lambda: charts.heatmap("Grid", ["A"], ["x", "y"], [[1]]),
    ],
)
def test_it_refuses_figures_it_cannot_draw_honestly(make):
    with pytest.raises(ValueError):
        make()


def test_negative_money_is_drawn_from_the_zero_line():
    chart = charts.bar("Balance", ["In", "Out"], [500, -200], unit="money")
    svg = svg_of(parse(chart))
    bars = {r.get("data-category"): r for r in svg.iter(f"{SVG}rect") if r.get("data-value")}
    assert float(bars["Out"].get("x")) + float(bars["Out"].get("width")) == pytest.approx(float(bars["In"].get("x")))
    assert table_of(parse(chart))[1] == {"In": ["£500"], "Out": ["-£200"]}


def test_hidden_figures_are_written_hidden_and_never_drawn():
    chart = charts.stacked_bar("Referrals", ["North", "South"], {"Girls": [None, 12], "Boys": [7, 9]})
    tree = parse(chart)
    svg = svg_of(tree)
    drawn = {(r.get("data-series"), r.get("data-category")) for r in svg.iter(f"{SVG}rect") if r.get("data-value")}
    assert ("Girls", "North") not in drawn and ("Boys", "North") in drawn
    _, rows = table_of(tree)
    # The North total would give the hidden figure away.
    assert rows == {"North": ["hidden", "7", "hidden"], "South": ["12", "9", "21"]}
    assert "total hidden" in figures_drawn(svg)
    assert "could identify someone" in "".join(tree.itertext())
    bars = charts.bar("Referrals", ["North"], [None])
    assert "hidden" in figures_drawn(svg_of(parse(bars)))
    heat = charts.heatmap("Referrals", ["North"], ["Girls"], [[None]])
    assert "hidden" in figures_drawn(svg_of(parse(heat)))
    assert charts.bar("Nothing hidden", ["A"], [3]).table.notes == ()


def test_a_published_chart_goes_through_suppression():
    def suppress(rows: list[list]) -> list[list]:
        return [[None if v is not None and v < 5 else v for v in row] for row in rows]

    with pytest.raises(ValueError, match="suppression"):
        charts.bar("Published", ["A"], [3], published=True)
    chart = charts.bar("Published", ["A", "B"], {"x": [3, 10], "y": [6, 1]}, published=True, suppress=suppress)
    assert [s.values for s in chart.series] == [(None, 10), (6, None)]
    assert table_of(parse(chart))[1] == {"A": ["hidden", "6"], "B": ["10", "hidden"]}
    with pytest.raises(ValueError, match="shape"):
        charts.bar("Published", ["A"], [3], published=True, suppress=lambda rows: [])


def test_a_suppressed_table_gives_a_stacked_bar_its_totals():
    """core.suppression's ``suppress`` returns a table with cells and totals: a total it left shown
    is shown even where a part of the bar is hidden (secondary suppression made that safe)."""

    def suppress(rows: list[list]) -> SimpleNamespace:
        return SimpleNamespace(cells=[[None, 12], [None, 9]], column_totals=[20, None])

    chart = charts.stacked_bar(
        "Referrals", ["North", "South"], {"Girls": [3, 12], "Boys": [17, 9]}, published=True, suppress=suppress
    )
    assert table_of(parse(chart))[1] == {"North": ["hidden", "hidden", "20"], "South": ["12", "9", "hidden"]}


def test_two_charts_on_a_page_have_their_own_ids():
    one, two = charts.bar("One", ["A"], {"x": [1], "y": [2]}), charts.bar("Two", ["A"], {"x": [1], "y": [2]})
    assert one.id != two.id
    patterns = [p.get("id") for c in (one, two) for p in svg_of(parse(c)).iter(f"{SVG}pattern")]
    assert len(patterns) == len(set(patterns)) == 2


# --- Numbers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1234567, "count", "1,234,567"),
        (0, "count", "0"),
        (60000, "money", "£60,000"),
        (Decimal("1234.5"), "money", "£1,234.50"),
        (-500, "money", "-£500"),
        (45, "percent", "45%"),
        (44.5, "percent", "45%"),  # half up, as people round
        (Decimal("12.345"), "number", "12.3"),
        (2.5, "number", "2.5"),
        (1000.0, "number", "1,000"),
        (None, "count", "hidden"),
    ],
)
def test_figures_read_the_uk_way(value, unit, expected):
    assert format_value(value, unit) == expected


def test_percent_decimals_can_be_asked_for():
    assert format_value(45.25, "percent", decimals=1) == "45.3%"


@pytest.mark.parametrize(
    ("low", "high", "integer", "expected"),
    [
        (0, 7, True, [0, 2, 4, 6, 8]),
        (0, 100, False, [0, 20, 40, 60, 80, 100]),
        (0, 60000, False, [0, 20000, 40000, 60000]),
        (0, 0, True, [0, 1]),
        (0, 1, True, [0, 1]),
        (0, 2.5, False, [0, 0.5, 1, 1.5, 2, 2.5]),
        (0, 3, False, [0, 1, 2, 3]),
        (-200, 500, False, [-200, 0, 200, 400, 600]),
        (5, 5, True, [0, 1, 2, 3, 4, 5]),
    ],
)
def test_axes_fall_on_round_numbers(low, high, integer, expected):
    assert nice_ticks(low, high, integer=integer) == expected


def test_tick_labels_keep_the_decimals_that_tell_them_apart():
    chart = charts.line("Rates", ["a", "b"], [0.5, 2.5], unit="number")
    ticks = {t.text for t in svg_of(parse(chart)).iter(f"{SVG}text") if "sb-chart__tick" in t.get("class", "")}
    assert ticks == {"0.0", "0.5", "1.0", "1.5", "2.0", "2.5"}
