"""Small bar charts for the portal's pages: horizontal bars, one per row,
stacked when there are several series (scenarios per state, per group), drawn
as SVG by ``traam/_chart.html`` (``{% load charts %}{% chart chart %}``).

Accessible (RGAA): the SVG is one image (``role="img"``) named by its
``<title>`` and described by its ``<desc>``, which says the figures in words;
the same numbers follow as a table, so nothing is told by colour alone. The
segments are separated by a white gap and their colours (State design
system) keep a contrast of 4.5:1 at least with white, the page's background
and the figures written on them.

The content security policy forbids inline styles: geometry and colours are
SVG attributes, computed here as text so that the French localisation of the
templates never turns ``12.5`` into ``12,5`` inside an attribute. Labels are
escaped by the template like any text."""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

# Colours of the State design system, 4.5:1 at least against white.
BLUE_FRANCE = "#000091"
BLUE = "#0063CB"
GREY = "#666666"
ORANGE = "#B34000"
PURPLE = "#A558A0"
TEAL = "#006A6F"
GREEN = "#18753C"
RED = "#CE0500"
TEXT = "#3A3A3A"
GRID = "#DDDDDD"
TARGET = "#161616"

WIDTH = 760
LABEL_WIDTH = 250
# Room on the right of the longest bar for its total.
TOTAL_WIDTH = 48
PLOT_X = LABEL_WIDTH
PLOT_WIDTH = WIDTH - LABEL_WIDTH - TOTAL_WIDTH
BAR_HEIGHT = 22
ROW_GAP = 10
FONT_SIZE = 13
SMALL_FONT_SIZE = 12
# Marianne at 13 px: about 7 px a character.
CHAR_WIDTH = 7
LABEL_CHARS = (LABEL_WIDTH - 12) // CHAR_WIDTH
LEGEND_LINE = 24
LEGEND_SWATCH = 14
AXIS_HEIGHT = 24
# A figure is written inside its segment only when it fits.
MIN_SEGMENT_FOR_VALUE = 22


def number_text(value) -> str:
    """A figure as French readers write it: 12, 4,5 (no trailing zeros)."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
    elif isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    else:
        text = str(value)
    return text.replace(".", ",")


def _coordinate(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _shorten(label: str, width: int = LABEL_CHARS) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"


def _nice_step(largest) -> int:
    """A round step for the scale's ticks: about five ticks, 1, 2 or 5 × 10^n."""
    if largest <= 5:
        return 1
    rough = largest / 5
    magnitude = 10 ** math.floor(math.log10(rough))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= rough:
            return int(factor * magnitude)
    return int(10 * magnitude)  # pragma: no cover (the loop always returns)


@dataclass(frozen=True)
class Series:
    """One kind of value, drawn in one colour (a state, for instance)."""

    key: str
    label: str
    color: str = BLUE_FRANCE


@dataclass
class Segment:
    series: Series
    value: object
    x: str = ""
    width: str = ""
    text_x: str = ""
    show_value: bool = False

    @property
    def text(self) -> str:
        return number_text(self.value)


@dataclass
class Row:
    label: str
    values: list
    target: object = None
    total: object = 0
    short_label: str = ""
    segments: list = field(default_factory=list)
    y: str = ""
    text_y: str = ""
    total_x: str = ""
    target_x: str = ""
    target_y1: str = ""
    target_y2: str = ""
    summary: str = ""

    @property
    def total_text(self) -> str:
        return number_text(self.total)

    @property
    def target_text(self) -> str:
        return "" if self.target is None else number_text(self.target)


@dataclass
class LegendItem:
    label: str
    color: str
    x: str
    y: str
    text_x: str
    text_y: str
    is_target: bool = False
    line_x: str = ""
    line_y1: str = ""
    line_y2: str = ""


@dataclass
class Tick:
    value: int
    x: str
    text: str


@dataclass
class Chart:
    """Everything ``traam/_chart.html`` draws; built by ``stacked_bar_chart``
    or ``bar_chart``."""

    chart_id: str
    title: str
    description: str
    series: list
    rows: list
    height: int
    legend: list
    ticks: list
    axis_y: str
    axis_text_y: str
    plot_top: str
    row_header: str
    total_header: str
    target_label: str = ""
    width: int = WIDTH
    plot_x: int = PLOT_X
    label_x: int = LABEL_WIDTH - 8
    font_size: int = FONT_SIZE
    small_font_size: int = SMALL_FONT_SIZE

    @property
    def stacked(self) -> bool:
        return len(self.series) > 1

    @property
    def has_targets(self) -> bool:
        return any(row.target is not None for row in self.rows)

    @property
    def totals(self) -> list:
        """The table's last row: each series summed over the rows, then the grand total."""
        sums = [sum((row.values[index] for row in self.rows), 0) for index in range(len(self.series))]
        return [number_text(value) for value in sums] + [number_text(sum(sums, 0))]

    @property
    def table_rows(self) -> list:
        return [(row.label, [number_text(value) for value in row.values], row.total_text, row.target_text) for row in self.rows]


def _units(value, unit) -> str:
    singular, plural = unit
    return f"{number_text(value)} {singular if value in (0, 1) else plural}"


def _describe_row(row: Row, series, unit, target_label) -> str:
    """« Groupe A : 5 séquences (brouillon : 1, publiée : 4 ; attendues : 3) »."""
    parts = [f"{item.label} : {number_text(value)}" for item, value in zip(series, row.values) if value]
    text = f"{row.label} : {_units(row.total, unit)}"
    details = ", ".join(parts) if len(series) > 1 else ""
    if row.target is not None and target_label:
        details = "; ".join(part for part in (details, f"{target_label} : {number_text(row.target)}") if part)
    return f"{text} ({details})" if details else text


def _legend(series, target_label, top: float) -> tuple[list, float]:
    """The legend's items laid out in lines across the chart; returns them and the height used."""
    entries = [(item.label, item.color, False) for item in series] if len(series) > 1 else []
    if target_label:
        entries.append((target_label, TARGET, True))
    items, x, y = [], 0.0, top
    for label, color, is_target in entries:
        width = LEGEND_SWATCH + 6 + len(label) * CHAR_WIDTH + 18
        if x and x + width > WIDTH:
            x, y = 0.0, y + LEGEND_LINE
        swatch_y = y + (LEGEND_LINE - LEGEND_SWATCH) / 2
        items.append(LegendItem(
            label=label, color=color, is_target=is_target,
            x=_coordinate(x), y=_coordinate(swatch_y), text_x=_coordinate(x + LEGEND_SWATCH + 6),
            text_y=_coordinate(swatch_y + LEGEND_SWATCH - 2),
            line_x=_coordinate(x + LEGEND_SWATCH / 2), line_y1=_coordinate(swatch_y - 2), line_y2=_coordinate(swatch_y + LEGEND_SWATCH + 2),
        ))
        x += width
    return items, (y - top + LEGEND_LINE + 8 if items else 0)


def stacked_bar_chart(rows, series, *, chart_id, title, unit=None, target_label="", row_header="", summary="") -> Chart:
    """One horizontal bar per row, its values stacked in the order of ``series``.

    ``rows``: (label, values in the order of ``series``[, target]) — the target
    (an expected count, for instance) is drawn as a mark across the bar and
    named ``target_label`` in the legend. ``unit``: (singular, plural) for the
    description in words. ``chart_id`` makes the SVG's ids unique in the page.
    ``summary`` opens the description (the figures in words follow)."""
    series = list(series)
    unit = unit or (_("élément"), _("éléments"))
    built = []
    for item in rows:
        label, values, *rest = item
        values, target = list(values), (rest[0] if rest else None)
        if len(values) != len(series):
            raise ValueError(f"{label!r}: {len(values)} values for {len(series)} series")
        built.append(Row(label=str(label), values=values, target=target, total=sum(values, 0), short_label=_shorten(label)))

    largest = max([row.total for row in built] + [row.target or 0 for row in built] + [1])
    step = _nice_step(largest)
    top_value = step * math.ceil(largest / step)
    scale = PLOT_WIDTH / top_value

    legend, legend_height = _legend(series, target_label if any(row.target is not None for row in built) else "", 0)
    y = legend_height
    plot_top = y
    for row in built:
        x = float(PLOT_X)
        row.y = _coordinate(y)
        row.text_y = _coordinate(y + BAR_HEIGHT / 2 + FONT_SIZE * 0.35)
        for item, value in zip(series, row.values):
            if not value:
                continue
            width = float(value) * scale
            row.segments.append(Segment(
                series=item, value=value, x=_coordinate(x), width=_coordinate(max(width, 1)),
                text_x=_coordinate(x + width / 2), show_value=len(series) > 1 and width >= MIN_SEGMENT_FOR_VALUE,
            ))
            x += width
        row.total_x = _coordinate(x + 6)
        if row.target is not None:
            row.target_x = _coordinate(PLOT_X + float(row.target) * scale)
            row.target_y1, row.target_y2 = _coordinate(y - 4), _coordinate(y + BAR_HEIGHT + 4)
        row.summary = _describe_row(row, series, unit, target_label)
        y += BAR_HEIGHT + ROW_GAP
    if not built:
        y += BAR_HEIGHT
    axis_y = y - ROW_GAP / 2 if built else y
    ticks = [
        Tick(value=value, x=_coordinate(PLOT_X + value * scale), text=number_text(value))
        for value in range(0, top_value + 1, step)
    ]
    words = "; ".join(row.summary for row in built) + "." if built else _("Aucune donnée.")
    description = f"{summary} {words}".strip() if summary else words
    return Chart(
        chart_id=chart_id, title=str(title), description=description, series=series, rows=built,
        height=math.ceil(axis_y + AXIS_HEIGHT), legend=legend, ticks=ticks, axis_y=_coordinate(axis_y),
        axis_text_y=_coordinate(axis_y + AXIS_HEIGHT - 6), plot_top=_coordinate(plot_top - 4),
        row_header=row_header or _("Libellé"), total_header=_("Total"), target_label=target_label,
    )


def bar_chart(items, *, chart_id, title, unit=None, label=None, color=BLUE_FRANCE, row_header="", summary="") -> Chart:
    """One bar per (label, value): a stacked chart with a single series
    (``label`` names the values' column in the table)."""
    series = [Series("value", label or _("Nombre"), color)]
    return stacked_bar_chart(
        [(name, [value]) for name, value in items], series, chart_id=chart_id, title=title, unit=unit, row_header=row_header,
        summary=summary,
    )
