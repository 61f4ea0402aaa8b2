"""Charts drawn on the server as SVG, each shown with its figures in a table: the one way to chart.

    from safeboard.core import charts

    chart = charts.bar(
        "Attendance by agency, 2026 to 2027",
        ["Children's Services", "Riverside Constabulary"],
        {"Agency represented": [80, 75], "Member attended": [45, 70]},
        unit="percent",
        target=75,
        target_label="Required",
        category_header="Agency",
    )

and in a template ``{% load charts %}{% chart chart %}`` (or ``{{ chart }}``). Chart types: ``bar``
(horizontal or vertical, one or more series), ``stacked_bar``, ``line`` (with a target line),
``sparkline``, ``heatmap`` and ``measure`` (a measure's baseline, latest figure and target). A new
type is a subclass of ``Chart`` here and a template ``core/charts/<kind>.html``.

What every chart does, so that pages do not have to:

- **The table is the accessible version.** The SVG is ``aria-hidden``; the table beside it holds
  every figure the chart shows, formatted the same way, and is named by the chart's title.
- **No inline scripts or styles** (the Content Security Policy has no ``unsafe-inline``): shapes carry
  presentation attributes (``fill``, ``stroke``), which is also what WeasyPrint uses in PDFs, and CSS
  classes that ``safeboard.scss`` restyles for Windows high contrast (``forced-colors``).
- **Not colour alone.** Series differ by pattern as well as colour, lines by dash and marker shape;
  values are written on or beside the bars; outlines use ``currentColor``.
- **Figures read the UK way**: ``1,234``, ``£60,000``, ``45%``; axes on round numbers.
- **Small numbers.** A value of ``None`` is a figure hidden by small-number suppression: it is written
  "hidden", never drawn. A chart for publication (``published=True``) must be given the suppression
  function (``suppress=``), which sees every series at once so that it can hide secondary cells too.

Written by hand rather than with a charting library: the Python ones (matplotlib, pygal, plotly)
emit ``style`` attributes, ``<style>`` blocks or scripts, which the CSP refuses, and none pairs a
chart with its data table. Drawing bars and lines is a few hundred lines; this keeps it ours.
"""

from __future__ import annotations

import hashlib
import math
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

if TYPE_CHECKING:
    from typing_extensions import TypeIs  # in typing from Python 3.13

Number = int | float | Decimal
Value = Number | None
Unit = Literal["count", "number", "money", "percent"]
UNITS: tuple[str, ...] = ("count", "number", "money", "percent")
# Takes the figures as rows (one per series) and returns them with small numbers hidden (None): either
# the rows themselves, or a table object with ``cells`` and ``column_totals`` (the totals of each
# category across the series, which a stacked bar then shows as they were suppressed).
Suppressor = Callable[[list[list[Value]]], Any]

HIDDEN = "hidden"

# The GOV.UK Frontend palette (govuk-frontend 6). Series take these in order unless told otherwise.
COLOURS: dict[str, str] = {
    "blue": "#1d70b8",
    "light-blue": "#8eb8dc",
    "dark-blue": "#0f385c",
    "orange": "#f47738",
    "purple": "#54319f",
    "teal": "#158187",
    "magenta": "#ca357c",
    "brown": "#99704a",
    "red": "#ca3535",
    "yellow": "#ffdd00",
    "green": "#0f7a52",
    "grey": "#cecece",
    "dark-grey": "#484949",
}
SERIES_COLOURS = ("blue", "orange", "purple", "teal", "magenta", "brown")
PATTERNS = ("solid", "diagonal", "dots", "crosshatch", "horizontal", "vertical")
DASHES = ("", "8 4", "2 4", "12 4 2 4")
MARKERS = ("circle", "square", "triangle", "diamond")
# Light to dark blues for heatmaps: the value is always written in the cell as well.
HEAT = ("#f4f8fb", "#d2e2f1", "#8eb8dc", "#5694ca", "#1d70b8", "#0f385c")
INK = "#0b0c0c"
PAPER = "#ffffff"
GRID = "#b1b4b6"
FONT = 16
SMALL = 14
LINE = 19  # the distance between lines of 16px text


# --- Numbers ------------------------------------------------------------------------------------------------


def _decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _rounded(value: Decimal, places: int) -> Decimal:
    # Half up, as people round by hand (Python's default rounds 44.5 to 44).
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_value(value: Value, unit: str = "number", decimals: int | None = None) -> str:
    """A figure as people in the UK write it: ``1,234``, ``£60,000``, ``£12.50``, ``45%``, ``hidden``.

    Percentages are given as percentages (45 means 45%), not as fractions.
    """
    if value is None:
        return HIDDEN
    number = _decimal(value)
    whole = number == number.to_integral_value()
    if unit == "count":
        return f"{int(number):,}"
    if unit == "money":
        places = decimals if decimals is not None else (0 if whole else 2)
        text = f"£{abs(_rounded(number, places)):,.{places}f}"
        return f"-{text}" if number < 0 else text
    if unit == "percent":
        places = decimals if decimals is not None else 0
        return f"{_rounded(number, places):,.{places}f}%"
    places = decimals if decimals is not None else (0 if whole else 1)
    return f"{_rounded(number, places):,.{places}f}"


def nice_ticks(low: float, high: float, *, max_ticks: int = 6, integer: bool = False) -> list[float]:
    """Round values for an axis that covers ``low`` to ``high``: steps of 1, 2, 2.5 or 5 times a power
    of ten, starting and ending on a step. ``integer`` keeps steps whole (counts)."""
    low, high = min(low, high), max(low, high)
    if low == high:
        if high == 0:
            high = 1
        elif high > 0:
            low = 0
        else:
            high = 0
    raw = (high - low) / max(max_ticks - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = 10 * magnitude
    for multiple in (1, 2, 2.5, 5, 10):
        if integer and multiple == 2.5 and magnitude < 10:
            continue
        if multiple * magnitude >= raw:
            step = multiple * magnitude
            break
    if integer:
        step = max(1, round(step))
    start = math.floor(round(low / step, 9)) * step
    end = math.ceil(round(high / step, 9)) * step
    count = round((end - start) / step)
    return [round(start + i * step, 10) for i in range(count + 1)]


def _tick_decimals(ticks: Sequence[float]) -> int:
    """Decimal places that tell the ticks apart: none for whole steps, one for 0.5, two for 0.25."""
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    exponent = Decimal(str(round(step, 10))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


# --- Drawing helpers ----------------------------------------------------------------------------------------


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: Any) -> ET.Element:
    """A child element; ``class_`` is ``class`` and other underscores become hyphens."""
    clean: dict[str, str] = {}
    for key, value in attrs.items():
        if value is None:
            continue
        name = "class" if key == "class_" else key.rstrip("_").replace("_", "-")
        clean[name] = _num(value) if isinstance(value, float) else str(value)
    element = ET.SubElement(parent, tag, clean)
    if text is not None:
        element.text = text
    return element


def _text_width(text: str, size: int = FONT, bold: bool = False) -> float:
    # No font metrics on the server: Arial's average advance is a little over half the font size.
    return len(text) * size * (0.6 if bold else 0.55)


def _wrap(text: str, width_px: float, size: int = FONT, max_lines: int = 3) -> list[str]:
    chars = max(int(width_px / (size * 0.55)), 4)
    lines = textwrap.wrap(text, chars) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(chars - 1, 1)].rstrip() + "…"
    return lines


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def ink_on(colour: str) -> str:
    """Black or white, whichever contrasts more with ``colour``."""
    lum = _luminance(colour)
    on_white = (1.05) / (lum + 0.05)
    on_black = (lum + 0.05) / (_luminance(INK) + 0.05)
    return PAPER if on_white > on_black else INK


def _multiline(parent: ET.Element, lines: list[str], x: float, y: float, *, anchor: str, class_: str) -> None:
    """Lines of text, the block centred on ``y``."""
    top = y - (len(lines) - 1) * LINE / 2
    for i, line in enumerate(lines):
        _el(parent, "text", line, x=x, y=top + i * LINE, text_anchor=anchor, dominant_baseline="middle", class_=class_)


# --- The data ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One set of figures, one per category. ``colour`` is a name from ``COLOURS``; ``pattern`` one
    of ``PATTERNS``. Both are chosen in order when left out."""

    name: str
    values: tuple[Value, ...]
    colour: str | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = True


@dataclass(frozen=True)
class ChartTable:
    """The figures of a chart as a table: column headers, then rows of (row header, cells)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]
    notes: tuple[str, ...] = ()


SeriesInput = Sequence[Value] | Mapping[str, Sequence[Value]] | Sequence[Series]


def _all_series(raw: Sequence[Value] | Sequence[Series]) -> TypeIs[Sequence[Series]]:
    return bool(raw) and all(isinstance(item, Series) for item in raw)


def _series(raw: SeriesInput, default_name: str) -> list[Series]:
    if isinstance(raw, Mapping):
        items = [Series(str(name), tuple(values)) for name, values in raw.items()]
    elif _all_series(raw):
        items = [Series(s.name, tuple(s.values), s.colour, s.pattern) for s in raw]
    else:
        items = [Series(default_name, tuple(raw))]
    styled = []
    for i, item in enumerate(items):
        colour = item.colour or SERIES_COLOURS[i % len(SERIES_COLOURS)]
        pattern = item.pattern or PATTERNS[i % len(PATTERNS)]
        if colour not in COLOURS:
            raise ValueError(f"Unknown chart colour {colour!r}: use one of {', '.join(COLOURS)}")
        if pattern not in PATTERNS:
            raise ValueError(f"Unknown chart pattern {pattern!r}: use one of {', '.join(PATTERNS)}")
        styled.append(Series(item.name, item.values, colour, pattern))
    return styled


def _check_value(value: Any, unit: str, where: str, *, allow_negative: bool) -> Value:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{where}: {value!r} is not a number")
    if not math.isfinite(float(value)):
        raise ValueError(f"{where}: {value!r} is not a finite number")
    if unit == "count" and _decimal(value) != _decimal(value).to_integral_value():
        raise ValueError(f"{where}: a count must be a whole number, not {value!r}")
    if value < 0 and (unit == "count" or not allow_negative):
        raise ValueError(f"{where}: {value!r} is negative; {'counts' if unit == 'count' else 'this chart'} cannot be")
    return value


# --- Charts -------------------------------------------------------------------------------------------------


class Chart:
    """A chart with its table. Build one with the functions below (``bar``, ``stacked_bar``…)."""

    kind: ClassVar[str] = ""
    default_width: ClassVar[int] = 800
    allows_negative: ClassVar[bool] = True

    def __init__(
        self,
        title: str,
        categories: Sequence[str],
        series: SeriesInput,
        *,
        unit: str = "count",
        decimals: int | None = None,
        category_header: str = "Category",
        description: str = "",
        heading_level: int | None = 3,
        width: int | None = None,
        layout: Literal["below", "beside"] = "below",
        target: Value | Sequence[Value] = None,
        target_label: str = "Target",
        published: bool = False,
        suppress: Suppressor | None = None,
        chart_id: str | None = None,
    ) -> None:
        if unit not in UNITS:
            raise ValueError(f"Unknown unit {unit!r}: use one of {', '.join(UNITS)}")
        self.suppressed_totals: list[Value] | None = None
        if heading_level is not None and not 2 <= heading_level <= 6:
            raise ValueError("heading_level is 2 to 6, or None for a bold paragraph")
        self.title = title
        self.unit = unit
        self.decimals = decimals
        self.categories = tuple(str(c) for c in categories)
        self.category_header = category_header
        self.description = description
        self.heading_level = heading_level
        self.width = width or self.default_width
        self.layout = layout
        self.target_label = target_label
        self.series = _series(series, title)
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(f"Series {s.name!r} has {len(s.values)} values for {len(self.categories)} categories")
        if published:
            if suppress is None:
                raise ValueError("A published chart must pass its figures through suppression: give suppress=")
            result = suppress([list(s.values) for s in self.series])
            cells: Iterable[Iterable[Value]] = result.cells if hasattr(result, "cells") else result
            suppressed = [list(row) for row in cells]
            self.suppressed_totals = getattr(result, "column_totals", None)
            if [len(row) for row in suppressed] != [len(s.values) for s in self.series]:
                raise ValueError("The suppression function changed the shape of the figures")
            self.series = [
                Series(s.name, tuple(row), s.colour, s.pattern) for s, row in zip(self.series, suppressed, strict=True)
            ]
        self.series = [
            Series(
                s.name,
                tuple(
                    _check_value(v, unit, f"{s.name}, {c}", allow_negative=self.allows_negative)
                    for v, c in zip(s.values, self.categories, strict=True)
                ),
                s.colour,
                s.pattern,
            )
            for s in self.series
        ]
        self.targets: tuple[Value, ...] | None = None
        self.target: Value = None
        if isinstance(target, Sequence):
            if len(target) != len(self.categories):
                raise ValueError(f"{len(target)} targets for {len(self.categories)} categories")
            self.targets = tuple(_check_value(t, unit, "target", allow_negative=True) for t in target)
        elif target is not None:
            self.target = _check_value(target, unit, "target", allow_negative=True)
        self._id = chart_id

    # -- What templates use --

    @cached_property
    def id(self) -> str:
        if self._id:
            return self._id
        digest = hashlib.sha256(repr((self.kind, self.title, self.categories, self.series)).encode()).hexdigest()
        return f"chart-{slugify(self.title)[:40] or self.kind}-{digest[:6]}"

    @property
    def template_name(self) -> str:
        return f"core/charts/{self.kind}.html"

    @property
    def heading_tag(self) -> str:
        return f"h{self.heading_level}" if self.heading_level else "p"

    @property
    def is_empty(self) -> bool:
        return not self.categories or not self.series

    @property
    def has_hidden(self) -> bool:
        return any(v is None for s in self.series for v in s.values)

    @property
    def empty_text(self) -> str:
        return "There are no figures to show."

    def fmt(self, value: Value) -> str:
        return format_value(value, self.unit, self.decimals)

    def values(self) -> list[Number]:
        return [v for s in self.series for v in s.values if v is not None]

    @cached_property
    def table(self) -> ChartTable:
        headers = [self.category_header, *(s.name for s in self.series)]
        if self.targets is not None or self.target is not None:
            headers.append(self.target_label)
        rows = []
        for i, category in enumerate(self.categories):
            cells = [Cell(self.fmt(s.values[i])) for s in self.series]
            if self.targets is not None:
                cells.append(Cell(self.fmt(self.targets[i])))
            elif self.target is not None:
                cells.append(Cell(self.fmt(self.target)))
            rows.append((category, tuple(cells)))
        return ChartTable(tuple(headers), tuple(rows), self.notes())

    def notes(self) -> tuple[str, ...]:
        if self.has_hidden:
            return ("‘Hidden’ marks a number small enough that showing it could identify someone.",)
        return ()

    @cached_property
    def svg(self) -> SafeString:
        root = ET.Element(
            "svg",
            {
                "xmlns": "http://www.w3.org/2000/svg",
                "class": f"sb-chart__svg sb-chart__svg--{self.kind}",
                "aria-hidden": "true",
                "focusable": "false",
                "fill": "currentColor",
                "font-family": "arial, sans-serif",
                "font-size": str(FONT),
            },
        )
        # Read by PDF readers as the figure's alternative text (WeasyPrint tags an SVG as a Figure).
        _el(root, "title", f"Chart: {self.title}. The figures are in the table with it.")
        self._defs = _el(root, "defs")
        height = self.draw(root)
        root.set("viewBox", f"0 0 {self.width} {_num(height)}")
        root.set("width", str(self.width))
        root.set("height", _num(height))
        if not len(self._defs):
            root.remove(self._defs)
        return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308  built with ElementTree, every text escaped

    def draw(self, root: ET.Element) -> float:
        """Draw into ``root``; return the drawing's height."""
        raise NotImplementedError

    def render(self) -> SafeString:
        return mark_safe(render_to_string(self.template_name, {"chart": self}))  # noqa: S308  an escaped template

    def __html__(self) -> str:
        return self.render()

    def __str__(self) -> str:
        return self.render()

    # -- Shared drawing --

    def label(self, parent: ET.Element, text: str, **attrs: Any) -> None:
        """Text with a halo of the page's colour, so that it stays readable across grid and target lines
        (drawn twice: WeasyPrint ignores ``paint-order``)."""
        halo = {key: value for key, value in attrs.items() if key != "class_"}
        _el(
            parent,
            "text",
            text,
            **halo,
            fill=PAPER,
            stroke=PAPER,
            stroke_width=4,
            stroke_linejoin="round",
            class_="sb-chart__halo sb-chart__halo--paper",
        )
        _el(parent, "text", text, **attrs)

    def fill_for(self, index: int) -> str:
        """The fill of series ``index``: its colour, or a pattern of its colour with lines or dots."""
        series = self.series[index]
        colour = COLOURS[series.colour or "blue"]
        if series.pattern == "solid":
            return colour
        pattern_id = f"{self.id}-p{index}"
        if self._defs.find(f"pattern[@id='{pattern_id}']") is None:
            size = 6
            rotate = "rotate(45)" if series.pattern in ("diagonal", "crosshatch") else None
            pattern = _el(
                self._defs,
                "pattern",
                id=pattern_id,
                patternUnits="userSpaceOnUse",
                width=size,
                height=size,
                patternTransform=rotate,
            )
            _el(pattern, "rect", width=size, height=size, fill=colour, class_="sb-chart__pattern-bg")
            ink = ink_on(colour)
            fg: dict[str, Any] = {
                "class_": "sb-chart__pattern-fg",
                "stroke": ink,
                "stroke_width": 2,
                "stroke_opacity": "0.6",
            }
            if series.pattern == "dots":
                _el(pattern, "circle", cx=3, cy=3, r=1.5, fill=ink, fill_opacity="0.6", class_="sb-chart__pattern-dot")
            elif series.pattern in ("diagonal", "vertical"):
                _el(pattern, "path", d="M1 0V6", **fg)
            elif series.pattern == "horizontal":
                _el(pattern, "path", d="M0 1H6", **fg)
            else:  # crosshatch
                _el(pattern, "path", d="M1 0V6M0 1H6", **fg)
        return f"url(#{pattern_id})"

    def mark_class(self, index: int) -> str:
        solid = self.series[index].pattern == "solid"
        return f"sb-chart__mark sb-chart__mark--{'solid' if solid else 'patterned'}"

    def swatch(self, parent: ET.Element, index: int, x: float, y: float, size: float = 16) -> None:
        _el(
            parent,
            "rect",
            x=x,
            y=y,
            width=size,
            height=size,
            fill=self.fill_for(index),
            stroke="currentColor",
            class_=self.mark_class(index),
        )

    def legend(
        self, root: ET.Element, y: float, items: list[tuple[str, Callable[[ET.Element, float, float], None]]]
    ) -> float:
        """Legend items (label, draw-key) in rows from ``y``; returns the y below the legend."""
        if not items:
            return y
        group = _el(root, "g", class_="sb-chart__legend")
        x, row_y = 2.0, y
        for label, key in items:
            width = 24 + _text_width(label) + 20
            if x and x + width > self.width:
                x, row_y = 2.0, row_y + 24
            key(group, x, row_y)
            _el(group, "text", label, x=x + 24, y=row_y + 8, dominant_baseline="middle", class_="sb-chart__text")
            x += width
        return row_y + 30

    def series_legend(self) -> list[tuple[str, Callable[[ET.Element, float, float], None]]]:
        def swatch(i: int) -> Callable[[ET.Element, float, float], None]:
            return lambda g, x, y: self.swatch(g, i, x, y)

        return [(s.name, swatch(i)) for i, s in enumerate(self.series)]

    def target_legend(self, upright: bool = False) -> list[tuple[str, Callable[[ET.Element, float, float], None]]]:
        """The target's key: an upright dashed line where the target crosses horizontal bars."""
        if self.target is None and self.targets is None:
            return []
        label = f"{self.target_label}: {self.fmt(self.target)}" if self.target is not None else self.target_label

        def key(g: ET.Element, x: float, y: float) -> None:
            if upright:
                _el(g, "path", d=f"M{_num(x + 8)} {_num(y - 2)}V{_num(y + 18)}", **_TARGET_STROKE)
            else:
                _el(g, "path", d=f"M{_num(x)} {_num(y + 8)}H{_num(x + 20)}", **_TARGET_STROKE)

        return [(label, key)]

    def value_range(self, extra: Sequence[Value] = ()) -> list[float]:
        values = [float(v) for v in [*self.values(), *extra] if v is not None]
        low, high = min([0.0, *values]), max([0.0, *values])
        if self.unit == "percent":
            high = max(high, 100.0)
        return nice_ticks(low, high, integer=self.unit == "count")

    def tick_label(self, value: float, ticks: Sequence[float]) -> str:
        decimals = self.decimals if self.unit != "count" else None
        if self.unit != "count":
            decimals = _tick_decimals(ticks)
        return format_value(value, self.unit, decimals)

    def target_values(self) -> list[Value]:
        if self.targets is not None:
            return list(self.targets)
        return [self.target] if self.target is not None else []


_TARGET_STROKE: dict[str, Any] = {
    "stroke": "currentColor",
    "stroke_width": 3,
    "stroke_dasharray": "6 3",
    "fill": "none",
    "class_": "sb-chart__target",
}


class _Scale:
    def __init__(self, low: float, high: float, start: float, end: float) -> None:
        self.low, self.high, self.start, self.end = low, high, start, end

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return self.start
        return self.start + (float(value) - self.low) * (self.end - self.start) / (self.high - self.low)


class BarChart(Chart):
    """Bars, one per category and series (grouped), horizontal (the default) or vertical, with an
    optional target: one line across every bar, or a mark per category."""

    kind = "bar"

    def __init__(self, *args: Any, horizontal: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.horizontal = horizontal

    def draw(self, root: ET.Element) -> float:
        legend = (self.series_legend() if len(self.series) > 1 else []) + self.target_legend(upright=self.horizontal)
        top = self.legend(root, 0, legend)
        if self.horizontal:
            return self._horizontal(root, top)
        return self._vertical(root, top)

    def _horizontal(self, root: ET.Element, top: float) -> float:
        ticks = self.value_range(self.target_values())
        n = len(self.series)
        label_width = min(max(_text_width(c) for c in self.categories) + 8, self.width * 0.35)
        labels = [_wrap(c, label_width) for c in self.categories]
        value_width = max(_text_width(self.fmt(v)) for s in self.series for v in s.values) + 10
        x0 = label_width + 10
        x1 = self.width - max(value_width, _text_width(self.tick_label(ticks[-1], ticks)) / 2 + 4)
        scale = _Scale(ticks[0], ticks[-1], x0, x1)
        bar = 22 if n == 1 else 18
        grid = _el(root, "g", class_="sb-chart__grid")
        marks = _el(root, "g")
        over = _el(root, "g")
        words = _el(root, "g")
        y = top + 4
        for i, category in enumerate(self.categories):
            band = max(n * bar + (n - 1) * 2, len(labels[i]) * LINE)
            _multiline(root, labels[i], label_width, y + band / 2, anchor="end", class_="sb-chart__text")
            bar_y = y + (band - (n * bar + (n - 1) * 2)) / 2
            for j, series in enumerate(self.series):
                value = series.values[i]
                by = bar_y + j * (bar + 2)
                zero = scale(0)
                if value is None:
                    self.label(
                        words,
                        HIDDEN,
                        x=zero + 6,
                        y=by + bar / 2,
                        dominant_baseline="middle",
                        class_="sb-chart__text sb-chart__value sb-chart__value--hidden",
                        font_style="italic",
                    )
                    continue
                end = scale(float(value))
                left, right = min(zero, end), max(zero, end)
                _el(
                    marks,
                    "rect",
                    x=left,
                    y=by,
                    width=max(right - left, 0.0),
                    height=bar,
                    fill=self.fill_for(j),
                    stroke="currentColor",
                    class_=self.mark_class(j),
                    data_series=series.name,
                    data_category=category,
                    data_value=value,
                )
                anchor, tx = ("start", right + 5) if value >= 0 else ("end", left - 5)
                self.label(
                    words,
                    self.fmt(value),
                    x=tx,
                    y=by + bar / 2,
                    text_anchor=anchor,
                    dominant_baseline="middle",
                    class_="sb-chart__text sb-chart__value",
                )
            target = self.targets[i] if self.targets is not None else None
            if target is not None:
                tx = scale(float(target))
                _el(over, "path", d=f"M{_num(tx)} {_num(y - 3)}V{_num(y + band + 3)}", **_TARGET_STROKE)
            y += band + 14
        bottom = y - 10
        for tick in ticks:
            x = scale(tick)
            _el(grid, "path", d=f"M{_num(x)} {_num(top)}V{_num(bottom)}", stroke=GRID, class_="sb-chart__gridline")
            _el(
                grid,
                "text",
                self.tick_label(tick, ticks),
                x=x,
                y=bottom + 16,
                text_anchor="middle",
                font_size=SMALL,
                class_="sb-chart__text sb-chart__tick",
            )
        _el(
            over,
            "path",
            d=f"M{_num(scale(0))} {_num(top)}V{_num(bottom)}",
            stroke="currentColor",
            stroke_width=2,
            class_="sb-chart__axis",
        )
        if self.target is not None:
            tx = scale(float(self.target))
            _el(over, "path", d=f"M{_num(tx)} {_num(top - 2)}V{_num(bottom)}", **_TARGET_STROKE)
        return bottom + 26

    def _vertical(self, root: ET.Element, top: float) -> float:
        ticks = self.value_range(self.target_values())
        n = len(self.series)
        axis_width = max(_text_width(self.tick_label(t, ticks), SMALL) for t in ticks) + 10
        x0, x1 = axis_width, self.width - 4
        plot_top, plot_bottom = top + 26, top + 26 + 240
        scale = _Scale(ticks[0], ticks[-1], plot_bottom, plot_top)
        band = (x1 - x0) / len(self.categories)
        group_width = band * 0.7
        bar = group_width / n
        grid = _el(root, "g", class_="sb-chart__grid")
        for tick in ticks:
            y = scale(tick)
            _el(grid, "path", d=f"M{_num(x0)} {_num(y)}H{_num(x1)}", stroke=GRID, class_="sb-chart__gridline")
            _el(
                grid,
                "text",
                self.tick_label(tick, ticks),
                x=x0 - 6,
                y=y,
                text_anchor="end",
                dominant_baseline="middle",
                font_size=SMALL,
                class_="sb-chart__text sb-chart__tick",
            )
        marks = _el(root, "g")
        over = _el(root, "g")
        words = _el(root, "g")
        zero = scale(0)
        max_lines = 1
        for i, category in enumerate(self.categories):
            left = x0 + i * band + (band - group_width) / 2
            for j, series in enumerate(self.series):
                value = series.values[i]
                bx = left + j * bar
                if value is None:
                    self.label(
                        words,
                        HIDDEN,
                        x=bx + bar / 2,
                        y=zero - 6,
                        text_anchor="middle",
                        font_style="italic",
                        font_size=SMALL,
                        class_="sb-chart__text sb-chart__value sb-chart__value--hidden",
                    )
                    continue
                end = scale(float(value))
                _el(
                    marks,
                    "rect",
                    x=bx,
                    y=min(zero, end),
                    width=bar,
                    height=abs(zero - end),
                    fill=self.fill_for(j),
                    stroke="currentColor",
                    class_=self.mark_class(j),
                    data_series=series.name,
                    data_category=category,
                    data_value=value,
                )
                ty = min(zero, end) - 6 if value >= 0 else max(zero, end) + 14
                self.label(
                    words,
                    self.fmt(value),
                    x=bx + bar / 2,
                    y=ty,
                    text_anchor="middle",
                    font_size=SMALL,
                    class_="sb-chart__text sb-chart__value",
                )
            target = self.targets[i] if self.targets is not None else None
            if target is not None:
                ty = scale(float(target))
                _el(over, "path", d=f"M{_num(left - 4)} {_num(ty)}H{_num(left + group_width + 4)}", **_TARGET_STROKE)
            lines = _wrap(category, band - 4)
            max_lines = max(max_lines, len(lines))
            for k, line in enumerate(lines):
                _el(
                    root,
                    "text",
                    line,
                    x=x0 + i * band + band / 2,
                    y=plot_bottom + 20 + k * LINE,
                    text_anchor="middle",
                    class_="sb-chart__text",
                )
        _el(
            over,
            "path",
            d=f"M{_num(x0)} {_num(zero)}H{_num(x1)}",
            stroke="currentColor",
            stroke_width=2,
            class_="sb-chart__axis",
        )
        if self.target is not None:
            ty = scale(float(self.target))
            _el(over, "path", d=f"M{_num(x0)} {_num(ty)}H{_num(x1)}", **_TARGET_STROKE)
        return plot_bottom + 10 + max_lines * LINE


class StackedBarChart(Chart):
    """Each category's series stacked into one bar, each part's value written on it when it fits, and
    the bar's total at its end. Values must be zero or more."""

    kind = "stacked_bar"
    allows_negative = False

    def __init__(self, *args: Any, horizontal: bool = True, show_totals: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.horizontal = horizontal
        self.show_totals = show_totals

    def totals(self) -> list[Value]:
        """A bar's total: as the suppression left it when it gave totals, otherwise None when any part
        of the bar is hidden (the total would give it away)."""
        if self.suppressed_totals is not None:
            return list(self.suppressed_totals)
        result: list[Value] = []
        for i in range(len(self.categories)):
            parts = [s.values[i] for s in self.series]
            result.append(None if any(p is None for p in parts) else sum(p for p in parts if p is not None))
        return result

    @cached_property
    def table(self) -> ChartTable:
        base = super().table
        if not self.show_totals:
            return base
        totals = self.totals()
        rows = tuple((label, (*cells, Cell(self.fmt(totals[i])))) for i, (label, cells) in enumerate(base.rows))
        return ChartTable((*base.headers, "Total"), rows, base.notes)

    def _label_inside(self, parent: ET.Element, index: int, text: str, x: float, y: float) -> None:
        colour = COLOURS[self.series[index].colour or "blue"]
        ink = ink_on(colour)
        solid = self.series[index].pattern == "solid"
        # A halo in the bar's colour keeps the figure readable over the pattern (drawn as a second text
        # because WeasyPrint ignores paint-order).
        _el(
            parent,
            "text",
            text,
            x=x,
            y=y,
            text_anchor="middle",
            dominant_baseline="middle",
            font_weight="bold",
            fill=colour,
            stroke=colour,
            stroke_width=4,
            stroke_linejoin="round",
            class_=f"sb-chart__halo sb-chart__halo--{'solid' if solid else 'patterned'}",
        )
        _el(
            parent,
            "text",
            text,
            x=x,
            y=y,
            text_anchor="middle",
            dominant_baseline="middle",
            font_weight="bold",
            fill=ink,
            class_=f"sb-chart__inside sb-chart__inside--{'solid' if solid else 'patterned'}",
        )

    def draw(self, root: ET.Element) -> float:
        top = self.legend(root, 0, self.series_legend())
        totals = self.totals()
        shown = [float(t) for t in totals if t is not None]
        sums = [sum(float(s.values[i] or 0) for s in self.series) for i in range(len(self.categories))]
        ticks = nice_ticks(0, max([0.0, *shown, *sums]), integer=self.unit == "count")
        if self.horizontal:
            return self._horizontal(root, top, ticks, totals)
        return self._vertical(root, top, ticks, totals)

    def _total_text(self, total: Value) -> str:
        return self.fmt(total) if total is not None else "total hidden"

    def _horizontal(self, root: ET.Element, top: float, ticks: list[float], totals: list[Value]) -> float:
        label_width = min(max(_text_width(c) for c in self.categories) + 8, self.width * 0.35)
        labels = [_wrap(c, label_width) for c in self.categories]
        total_width = max(_text_width(self._total_text(t), bold=True) for t in totals) + 12 if self.show_totals else 8
        x0, x1 = label_width + 10, self.width - max(total_width, 24)
        scale = _Scale(ticks[0], ticks[-1], x0, x1)
        grid = _el(root, "g", class_="sb-chart__grid")
        marks = _el(root, "g")
        bar = 30
        y = top + 4
        for i, category in enumerate(self.categories):
            band = max(bar, len(labels[i]) * LINE)
            _multiline(root, labels[i], label_width, y + band / 2, anchor="end", class_="sb-chart__text")
            by = y + (band - bar) / 2
            x = scale(0)
            for j, series in enumerate(self.series):
                value = series.values[i]
                if value is None:
                    continue
                width = scale(float(value)) - scale(0)
                if width <= 0:
                    continue
                _el(
                    marks,
                    "rect",
                    x=x,
                    y=by,
                    width=width,
                    height=bar,
                    fill=self.fill_for(j),
                    stroke="currentColor",
                    class_=self.mark_class(j),
                    data_series=series.name,
                    data_category=category,
                    data_value=value,
                )
                text = self.fmt(value)
                if _text_width(text, bold=True) + 8 <= width:
                    self._label_inside(marks, j, text, x + width / 2, by + bar / 2)
                x += width
            if self.show_totals:
                self.label(
                    marks,
                    self._total_text(totals[i]),
                    x=x + 6,
                    y=by + bar / 2,
                    dominant_baseline="middle",
                    font_weight="bold",
                    class_="sb-chart__text sb-chart__total",
                )
            y += band + 12
        bottom = y - 8
        for tick in ticks:
            tx = scale(tick)
            _el(grid, "path", d=f"M{_num(tx)} {_num(top)}V{_num(bottom)}", stroke=GRID, class_="sb-chart__gridline")
            _el(
                grid,
                "text",
                self.tick_label(tick, ticks),
                x=tx,
                y=bottom + 16,
                text_anchor="middle",
                font_size=SMALL,
                class_="sb-chart__text sb-chart__tick",
            )
        _el(
            root,
            "path",
            d=f"M{_num(scale(0))} {_num(top)}V{_num(bottom)}",
            stroke="currentColor",
            stroke_width=2,
            class_="sb-chart__axis",
        )
        return bottom + 26

    def _vertical(self, root: ET.Element, top: float, ticks: list[float], totals: list[Value]) -> float:
        axis_width = max(_text_width(self.tick_label(t, ticks), SMALL) for t in ticks) + 10
        x0, x1 = axis_width, self.width - 4
        plot_top, plot_bottom = top + 22, top + 22 + 260
        scale = _Scale(ticks[0], ticks[-1], plot_bottom, plot_top)
        band = (x1 - x0) / len(self.categories)
        bar = min(band * 0.6, 90)
        grid = _el(root, "g", class_="sb-chart__grid")
        for tick in ticks:
            ty = scale(tick)
            _el(grid, "path", d=f"M{_num(x0)} {_num(ty)}H{_num(x1)}", stroke=GRID, class_="sb-chart__gridline")
            _el(
                grid,
                "text",
                self.tick_label(tick, ticks),
                x=x0 - 6,
                y=ty,
                text_anchor="end",
                dominant_baseline="middle",
                font_size=SMALL,
                class_="sb-chart__text sb-chart__tick",
            )
        marks = _el(root, "g")
        max_lines = 1
        for i, category in enumerate(self.categories):
            bx = x0 + i * band + (band - bar) / 2
            y = scale(0)
            for j, series in enumerate(self.series):
                value = series.values[i]
                if value is None:
                    continue
                height = scale(0) - scale(float(value))
                if height <= 0:
                    continue
                _el(
                    marks,
                    "rect",
                    x=bx,
                    y=y - height,
                    width=bar,
                    height=height,
                    fill=self.fill_for(j),
                    stroke="currentColor",
                    class_=self.mark_class(j),
                    data_series=series.name,
                    data_category=category,
                    data_value=value,
                )
                text = self.fmt(value)
                if height >= 18 and _text_width(text, bold=True) + 6 <= bar:
                    self._label_inside(marks, j, text, bx + bar / 2, y - height / 2)
                y -= height
            if self.show_totals:
                self.label(
                    marks,
                    self._total_text(totals[i]),
                    x=bx + bar / 2,
                    y=y - 7,
                    text_anchor="middle",
                    font_weight="bold",
                    class_="sb-chart__text sb-chart__total",
                )
            lines = _wrap(category, band - 4)
            max_lines = max(max_lines, len(lines))
            for k, line in enumerate(lines):
                _el(
                    root,
                    "text",
                    line,
                    x=bx + bar / 2,
                    y=plot_bottom + 20 + k * LINE,
                    text_anchor="middle",
                    class_="sb-chart__text",
                )
        _el(
            root,
            "path",
            d=f"M{_num(x0)} {_num(scale(0))}H{_num(x1)}",
            stroke="currentColor",
            stroke_width=2,
            class_="sb-chart__axis",
        )
        return plot_bottom + 10 + max_lines * LINE


class LineChart(Chart):
    """Lines over categories in order (months, quarters, years), each series with its own dash and
    marker, named at its end; an optional dashed target line."""

    kind = "line"

    def marker(self, parent: ET.Element, index: int, x: float, y: float, **extra: Any) -> None:
        colour = COLOURS[self.series[index].colour or "blue"]
        shape = MARKERS[index % len(MARKERS)]
        attrs = {"fill": colour, "stroke": "currentColor", "stroke_width": 1.5, "class_": "sb-chart__marker", **extra}
        if shape == "circle":
            _el(parent, "circle", cx=x, cy=y, r=5, **attrs)
        elif shape == "square":
            _el(parent, "rect", x=x - 4.5, y=y - 4.5, width=9, height=9, **attrs)
        elif shape == "triangle":
            _el(parent, "path", d=f"M{_num(x)} {_num(y - 6)}L{_num(x + 6)} {_num(y + 4.5)}H{_num(x - 6)}Z", **attrs)
        else:
            _el(
                parent,
                "path",
                d=f"M{_num(x)} {_num(y - 6)}L{_num(x + 6)} {_num(y)}L{_num(x)} {_num(y + 6)}L{_num(x - 6)} {_num(y)}Z",
                **attrs,
            )

    def line_legend(self) -> list[tuple[str, Callable[[ET.Element, float, float], None]]]:
        def key(g: ET.Element, x: float, y: float, i: int) -> None:
            colour = COLOURS[self.series[i].colour or "blue"]
            _el(
                g,
                "path",
                d=f"M{_num(x)} {_num(y + 8)}H{_num(x + 20)}",
                stroke=colour,
                stroke_width=3,
                stroke_dasharray=DASHES[i % len(DASHES)] or None,
                fill="none",
                class_="sb-chart__line",
            )
            self.marker(g, i, x + 10, y + 8)

        def drawn(i: int) -> Callable[[ET.Element, float, float], None]:
            return lambda g, x, y: key(g, x, y, i)

        return [(s.name, drawn(i)) for i, s in enumerate(self.series)]

    def draw(self, root: ET.Element) -> float:
        top = self.legend(root, 0, (self.line_legend() if len(self.series) > 1 else []) + self.target_legend())
        ticks = self.value_range(self.target_values())
        end_labels = [
            f"{s.name} {self.fmt(last)}" if len(self.series) > 1 else self.fmt(last)
            for s in self.series
            if (last := next((v for v in reversed(s.values) if v is not None), None)) is not None
        ]
        axis_width = max(_text_width(self.tick_label(t, ticks), SMALL) for t in ticks) + 10
        right = min(max([_text_width(t) for t in end_labels] + [0]) + 14, self.width * 0.3)
        x0, x1 = axis_width, self.width - right
        plot_top, plot_bottom = top + 14, top + 14 + 240
        scale = _Scale(ticks[0], ticks[-1], plot_bottom, plot_top)
        band = (x1 - x0) / len(self.categories)
        grid = _el(root, "g", class_="sb-chart__grid")
        for tick in ticks:
            ty = scale(tick)
            _el(grid, "path", d=f"M{_num(x0)} {_num(ty)}H{_num(x1)}", stroke=GRID, class_="sb-chart__gridline")
            _el(
                grid,
                "text",
                self.tick_label(tick, ticks),
                x=x0 - 6,
                y=ty,
                text_anchor="end",
                dominant_baseline="middle",
                font_size=SMALL,
                class_="sb-chart__text sb-chart__tick",
            )
        _el(
            root,
            "path",
            d=f"M{_num(x0)} {_num(scale(ticks[0]))}H{_num(x1)}",
            stroke="currentColor",
            stroke_width=2,
            class_="sb-chart__axis",
        )
        if self.target is not None:
            ty = scale(float(self.target))
            _el(root, "path", d=f"M{_num(x0)} {_num(ty)}H{_num(x1)}", **_TARGET_STROKE)
        elif self.targets is not None:
            steps = [
                f"M{_num(x0 + i * band)} {_num(scale(float(t)))}h{_num(band)}"
                for i, t in enumerate(self.targets)
                if t is not None
            ]
            if steps:
                _el(root, "path", d="".join(steps), **_TARGET_STROKE)
        ends: list[tuple[float, str]] = []
        label_all = len(self.series) == 1 and len(self.categories) <= 12
        for j, series in enumerate(self.series):
            colour = COLOURS[series.colour or "blue"]
            group = _el(root, "g", class_="sb-chart__series")
            path, pen_down, points = [], False, []
            for i, value in enumerate(series.values):
                x = x0 + i * band + band / 2
                if value is None:
                    pen_down = False
                    continue
                y = scale(float(value))
                path.append(f"{'L' if pen_down else 'M'}{_num(x)} {_num(y)}")
                pen_down = True
                points.append((x, y, value, self.categories[i]))
            if path:
                _el(
                    group,
                    "path",
                    d="".join(path),
                    stroke=colour,
                    stroke_width=3,
                    fill="none",
                    stroke_dasharray=DASHES[j % len(DASHES)] or None,
                    stroke_linejoin="round",
                    class_="sb-chart__line",
                )
            for x, y, value, category in points:
                self.marker(group, j, x, y, data_series=series.name, data_category=category, data_value=value)
                if label_all and (x, y, value, category) != points[-1]:
                    self.label(
                        group,
                        self.fmt(value),
                        x=x,
                        y=y - 12,
                        text_anchor="middle",
                        font_size=SMALL,
                        class_="sb-chart__text sb-chart__value",
                    )
            if points:
                x, y, value, _ = points[-1]
                text = f"{series.name} {self.fmt(value)}" if len(self.series) > 1 else self.fmt(value)
                ends.append((y, text))
        # Names at the lines' ends, pushed apart so that they never overlap.
        ends.sort()
        placed: list[float] = []
        for y, _text in ends:
            placed.append(max(y, placed[-1] + LINE) if placed else y)
        for (_, text), y in zip(ends, placed, strict=True):
            self.label(root, text, x=x1 + 8, y=y, dominant_baseline="middle", class_="sb-chart__text sb-chart__named")
        max_lines = 1
        for i, category in enumerate(self.categories):
            lines = _wrap(category, band - 4, max_lines=2)
            max_lines = max(max_lines, len(lines))
            for k, line in enumerate(lines):
                _el(
                    root,
                    "text",
                    line,
                    x=x0 + i * band + band / 2,
                    y=plot_bottom + 20 + k * LINE,
                    text_anchor="middle",
                    class_="sb-chart__text",
                )
        return max(plot_bottom + 10 + max_lines * LINE, (placed[-1] + 12) if placed else 0)


class Sparkline(Chart):
    """A word-sized line of one series, its latest value written beside it in the page."""

    kind = "sparkline"
    default_width = 120

    def __init__(self, *args: Any, height: int = 28, **kwargs: Any) -> None:
        kwargs.setdefault("heading_level", None)
        super().__init__(*args, **kwargs)
        self.height = height

    @property
    def latest(self) -> str:
        values = self.series[0].values if self.series else ()
        return self.fmt(next((v for v in reversed(values) if v is not None), None))

    def draw(self, root: ET.Element) -> float:
        values = self.series[0].values
        shown = [float(v) for v in values if v is not None]
        low, high = (min(shown), max(shown)) if shown else (0.0, 1.0)
        pad = 4
        # A flat line through the middle when every value is the same.
        scale = (
            _Scale(low, high, self.height - pad, pad)
            if high > low
            else _Scale(low - 1, low + 1, self.height - pad, pad)
        )
        step = (self.width - 2 * pad) / max(len(values) - 1, 1)
        path, pen_down, last = [], False, None
        for i, value in enumerate(values):
            if value is None:
                pen_down = False
                continue
            x, y = pad + i * step, scale(float(value))
            path.append(f"{'L' if pen_down else 'M'}{_num(x)} {_num(y)}")
            pen_down, last = True, (x, y, value)
        colour = COLOURS[self.series[0].colour or "blue"]
        if path:
            _el(
                root,
                "path",
                d="".join(path),
                stroke=colour,
                stroke_width=2,
                fill="none",
                stroke_linejoin="round",
                class_="sb-chart__line",
            )
        if last:
            _el(
                root,
                "circle",
                cx=last[0],
                cy=last[1],
                r=3,
                fill=colour,
                stroke="currentColor",
                class_="sb-chart__marker",
                data_value=last[2],
            )
        return self.height


class Heatmap(Chart):
    """A grid of rows (categories) by columns (series), each cell shaded by its value and the value
    written in it."""

    kind = "heatmap"
    allows_negative = True

    def bins(self) -> list[float]:
        values = [float(v) for v in self.values()]
        if not values:
            return [0.0, 1.0]
        ticks = nice_ticks(min(values), max(values), max_ticks=len(HEAT), integer=self.unit == "count")
        return ticks if len(ticks) > 1 else [ticks[0], ticks[0] + 1]

    def shade(self, value: float, bins: list[float]) -> str:
        for i in range(len(bins) - 1):
            if value < bins[i + 1] or i == len(bins) - 2:
                return HEAT[min(i, len(HEAT) - 1)]
        return HEAT[-1]

    def draw(self, root: ET.Element) -> float:
        columns = [s.name for s in self.series]
        label_width = min(max(_text_width(c) for c in self.categories) + 8, self.width * 0.3)
        x0 = label_width + 10
        cell_w = (self.width - x0) / len(columns)
        head = [_wrap(c, cell_w - 6, SMALL) for c in columns]
        head_h = max(len(h) for h in head) * 16 + 6
        bins = self.bins()
        for i, lines in enumerate(head):
            for k, line in enumerate(lines):
                _el(
                    root,
                    "text",
                    line,
                    x=x0 + i * cell_w + cell_w / 2,
                    y=12 + k * 16,
                    text_anchor="middle",
                    font_size=SMALL,
                    class_="sb-chart__text",
                )
        y = head_h
        hatch = f"{self.id}-hidden"
        if self.has_hidden:
            pattern = _el(
                self._defs,
                "pattern",
                id=hatch,
                patternUnits="userSpaceOnUse",
                width=6,
                height=6,
                patternTransform="rotate(45)",
            )
            _el(pattern, "rect", width=6, height=6, fill=PAPER, class_="sb-chart__pattern-bg")
            _el(pattern, "path", d="M1 0V6", stroke=GRID, stroke_width=2, class_="sb-chart__pattern-fg")
        for r, category in enumerate(self.categories):
            labels = _wrap(category, label_width)
            row_h = max(32, len(labels) * LINE + 8)
            _multiline(root, labels, label_width, y + row_h / 2, anchor="end", class_="sb-chart__text")
            for c, series in enumerate(self.series):
                value = series.values[r]
                x = x0 + c * cell_w
                fill = f"url(#{hatch})" if value is None else self.shade(float(value), bins)
                _el(
                    root,
                    "rect",
                    x=x,
                    y=y,
                    width=cell_w,
                    height=row_h,
                    fill=fill,
                    stroke=PAPER,
                    stroke_width=2,
                    class_="sb-chart__cell" + (" sb-chart__cell--hidden" if value is None else ""),
                    data_series=series.name,
                    data_category=category,
                    data_value="" if value is None else value,
                )
                ink = INK if value is None else ink_on(fill)
                _el(
                    root,
                    "text",
                    self.fmt(value),
                    x=x + cell_w / 2,
                    y=y + row_h / 2,
                    text_anchor="middle",
                    dominant_baseline="middle",
                    fill=ink,
                    font_style="italic" if value is None else None,
                    class_="sb-chart__text sb-chart__cell-value",
                )
            y += row_h
        # The key: the shade of each range of values.
        y += 12
        key = _el(root, "g", class_="sb-chart__legend")
        x = 0.0
        for i in range(len(bins) - 1):
            high = bins[i + 1]
            if self.unit == "count" and i < len(bins) - 2:
                high -= 1  # whole numbers: 0 to 24, then 25 to 49
            label = f"{self.fmt(bins[i])} to {self.fmt(high)}"
            _el(
                key,
                "rect",
                x=x,
                y=y,
                width=16,
                height=16,
                fill=HEAT[min(i, len(HEAT) - 1)],
                stroke="currentColor",
                class_="sb-chart__cell",
            )
            _el(
                key,
                "text",
                label,
                x=x + 22,
                y=y + 8,
                dominant_baseline="middle",
                font_size=SMALL,
                class_="sb-chart__text",
            )
            x += 22 + _text_width(label, SMALL) + 16
            if x > self.width - 120 and i < len(bins) - 2:
                x, y = 0.0, y + 22
        return y + 24


class MeasureChart(Chart):
    """A measure of impact on one scale: its baseline, its latest figure and its target, with an
    arrow showing which way it has moved."""

    kind = "measure"
    default_width = 640

    def __init__(self, title: str, points: Sequence[tuple[str, str, Value]], **kwargs: Any) -> None:
        self.roles = tuple(role for role, _, _ in points)
        kwargs.setdefault("category_header", "Point")
        super().__init__(title, [label for _, label, _ in points], [v for _, _, v in points], **kwargs)

    @cached_property
    def table(self) -> ChartTable:
        rows = tuple(
            (label, (Cell(self.fmt(value)),))
            for label, value in zip(self.categories, self.series[0].values, strict=True)
        )
        return ChartTable((self.category_header, "Value"), rows, self.notes())

    def draw(self, root: ET.Element) -> float:
        values = self.series[0].values
        shown = [float(v) for v in values if v is not None]
        if self.unit == "percent":
            ticks = nice_ticks(min([0.0, *shown]), max([100.0, *shown]), integer=False)
        else:
            ticks = nice_ticks(min([0.0, *shown]), max([0.0, *shown]) or 1, integer=self.unit == "count")
        x0, x1 = 24.0, self.width - 24.0
        scale = _Scale(ticks[0], ticks[-1], x0, x1)
        axis_y = 78.0
        for tick in ticks:
            tx = scale(tick)
            _el(
                root,
                "path",
                d=f"M{_num(tx)} {_num(axis_y - 4)}V{_num(axis_y + 4)}",
                stroke="currentColor",
                class_="sb-chart__axis",
            )
            _el(
                root,
                "text",
                self.tick_label(tick, ticks),
                x=tx,
                y=axis_y + 26,
                text_anchor="middle",
                font_size=SMALL,
                class_="sb-chart__text sb-chart__tick",
            )
        _el(
            root,
            "path",
            d=f"M{_num(x0)} {_num(axis_y)}H{_num(x1)}",
            stroke=GRID,
            stroke_width=6,
            stroke_linecap="round",
            class_="sb-chart__track",
        )
        positions = {
            role: (scale(float(v)), v, label)
            for role, label, v in zip(self.roles, self.categories, values, strict=True)
            if v is not None
        }
        if "baseline" in positions and "latest" in positions:
            bx, lx = positions["baseline"][0], positions["latest"][0]
            if abs(lx - bx) > 14:
                direction = 1 if lx > bx else -1
                tip = lx - direction * 8
                _el(
                    root,
                    "path",
                    d=f"M{_num(bx + direction * 7)} {_num(axis_y)}H{_num(tip)}",
                    stroke="currentColor",
                    stroke_width=2.5,
                    fill="none",
                    class_="sb-chart__arrow",
                )
                _el(
                    root,
                    "path",
                    d=f"M{_num(tip)} {_num(axis_y - 5)}L{_num(tip + direction * 7)} {_num(axis_y)}"
                    f"L{_num(tip)} {_num(axis_y + 5)}Z",
                    fill="currentColor",
                    class_="sb-chart__arrow",
                )
        # Labels above the scale, or below it where two would overlap.
        placed: list[tuple[float, float, int]] = []
        for role in ("baseline", "latest", "target"):
            if role not in positions:
                continue
            x, value, label = positions[role]
            if role == "baseline":
                _el(
                    root,
                    "circle",
                    cx=x,
                    cy=axis_y,
                    r=7,
                    fill=PAPER,
                    stroke="currentColor",
                    stroke_width=2.5,
                    class_="sb-chart__marker sb-chart__marker--hollow",
                    data_value=value,
                )
            elif role == "latest":
                _el(
                    root,
                    "circle",
                    cx=x,
                    cy=axis_y,
                    r=7,
                    fill=COLOURS["blue"],
                    stroke="currentColor",
                    stroke_width=2,
                    class_="sb-chart__marker",
                    data_value=value,
                )
            else:
                _el(
                    root,
                    "path",
                    d=f"M{_num(x)} {_num(axis_y - 9)}L{_num(x + 9)} {_num(axis_y)}L{_num(x)} "
                    f"{_num(axis_y + 9)}L{_num(x - 9)} {_num(axis_y)}Z",
                    fill=PAPER,
                    stroke="currentColor",
                    stroke_width=2.5,
                    stroke_dasharray="3 2",
                    class_="sb-chart__marker sb-chart__marker--target",
                    data_value=value,
                )
            text = f"{label}: {self.fmt(value)}"
            width = _text_width(text, SMALL)
            left = min(max(x - width / 2, 0), self.width - width)
            row = next(
                r
                for r in range(3)
                if all(left > right + 8 or left + width + 8 < other for other, right, used in placed if used == r)
            )
            placed.append((left, left + width, row))
            self.label(
                root,
                text,
                x=left + width / 2,
                y=axis_y - 18 - row * 18,
                text_anchor="middle",
                font_size=SMALL,
                class_="sb-chart__text sb-chart__named",
            )
        return axis_y + 36


# --- Building charts ----------------------------------------------------------------------------------------


def bar(
    title: str,
    categories: Sequence[str],
    series: SeriesInput,
    *,
    unit: str = "count",
    target: Value | Sequence[Value] = None,
    horizontal: bool = True,
    **options: Any,
) -> BarChart:
    """Bars for each category (several series side by side), with an optional target: a number for a
    line across every bar, or one per category (``None`` where a category has none)."""
    return BarChart(title, categories, series, unit=unit, target=target, horizontal=horizontal, **options)


def stacked_bar(
    title: str,
    categories: Sequence[str],
    series: SeriesInput,
    *,
    unit: str = "count",
    horizontal: bool = True,
    show_totals: bool = True,
    **options: Any,
) -> StackedBarChart:
    """The series stacked into one bar per category, with each bar's total."""
    return StackedBarChart(
        title, categories, series, unit=unit, horizontal=horizontal, show_totals=show_totals, **options
    )


def line(
    title: str,
    categories: Sequence[str],
    series: SeriesInput,
    *,
    unit: str = "count",
    target: Value | Sequence[Value] = None,
    **options: Any,
) -> LineChart:
    """Lines over categories in order; a dashed target line across them (or one target per category)."""
    return LineChart(title, categories, series, unit=unit, target=target, **options)


def sparkline(
    title: str, categories: Sequence[str], values: Sequence[Value], *, unit: str = "count", **options: Any
) -> Sparkline:
    """A small line to sit in a sentence or a table cell; its figures in a table the reader can open."""
    return Sparkline(title, categories, values, unit=unit, **options)


def heatmap(
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[Value]],
    *,
    unit: str = "count",
    **options: Any,
) -> Heatmap:
    """A grid of ``values[row][column]``, shaded from light (low) to dark (high), every value written."""
    if len(values) != len(rows) or any(len(row) != len(columns) for row in values):
        raise ValueError(f"A heatmap needs {len(rows)} rows of {len(columns)} values")
    series = [Series(column, tuple(row[c] for row in values)) for c, column in enumerate(columns)]
    return Heatmap(title, rows, series, unit=unit, **options)


def measure(
    title: str,
    *,
    baseline: tuple[str, Value] | None = None,
    latest: tuple[str, Value] | None = None,
    target: tuple[str, Value] | None = None,
    unit: str = "number",
    **options: Any,
) -> MeasureChart:
    """A measure's baseline, latest figure and target, each as (label, value), for example
    ``baseline=("Baseline, March 2026", 62)``. Leave out the points the measure does not have yet."""
    points = [
        (role, label, value)
        for role, given in (("baseline", baseline), ("latest", latest), ("target", target))
        if given is not None
        for label, value in [given]
    ]
    return MeasureChart(title, points, unit=unit, **options)
