"""The bilans' charts: horizontal bars drawn as inline SVG, small enough to
read in a few lines. The SVG's ``<title>`` carries the text alternative (the
figures themselves, in words): WeasyPrint tags the chart as a Figure with
that text as its /Alt, so a screen reader hears what a reader sees.

Every label is escaped here; the result is marked safe for the template."""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


WIDTH = 640  # CSS px: the width of an A4 page's text block, so that the chart's text is not scaled
LABEL_WIDTH = 330  # at most; narrower when the labels are short
VALUE_WIDTH = 36
FONT_SIZE = 12
CHAR_WIDTH = 6.2  # Marianne's average advance at FONT_SIZE
# Marianne at this size: about this many characters fit in the label column.
LABEL_CHARS = 52
LINE_HEIGHT = 14
BAR_HEIGHT = 12
ROW_GAP = 5
BLUE_FRANCE = "#000091"
GREY = "#929292"
TEXT = "#161616"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


def _wrap(label: str, width: int = LABEL_CHARS) -> list[str]:
    """The label on one line, or two (the second shortened with an ellipsis)."""
    label = " ".join(str(label).split())
    if len(label) <= width:
        return [label]
    cut = label.rfind(" ", 0, width + 1)
    cut = cut if cut > 0 else width
    first, rest = label[:cut].rstrip(), label[cut:].strip()
    if len(rest) > width:
        rest = rest[: width - 1].rstrip() + "…"
    return [first, rest]


def describe(bars, unit_singular: str, unit_plural: str) -> str:
    """The chart in words: « Collège : 12 séquences ; Lycée : 1 séquence. »"""
    parts = [f"{bar.label} : {bar.value} {unit_singular if bar.value == 1 else unit_plural}" for bar in bars]
    return "; ".join(parts) + "." if parts else _("Aucune donnée.")


def bar_chart(bars, *, title: str, unit_singular: str, unit_plural: str, chart_id: str) -> SafeString:
    """Horizontal bars, one per ``Bar``, scaled on the largest value (an empty
    bar for zero). ``chart_id`` makes the SVG's ids unique in the document."""
    bars = list(bars)
    largest = max((bar.value for bar in bars), default=0) or 1
    labels = [_wrap(bar.label) for bar in bars]
    label_width = min(LABEL_WIDTH, round(max((len(line) for lines in labels for line in lines), default=0) * CHAR_WIDTH) + 12)
    bar_width = WIDTH - label_width - VALUE_WIDTH - 16
    rows, y = [], 0
    for bar, lines in zip(bars, labels):
        height = max(len(lines) * LINE_HEIGHT, BAR_HEIGHT)
        text_y = y + (height - len(lines) * LINE_HEIGHT) / 2 + FONT_SIZE
        label = "".join(
            f'<tspan x="{label_width - 6}" y="{text_y + index * LINE_HEIGHT:.1f}">{escape(line)}</tspan>'
            for index, line in enumerate(lines)
        )
        bar_y = y + (height - BAR_HEIGHT) / 2
        length = round(bar_width * bar.value / largest, 1)
        shape = (
            f'<rect x="{label_width}" y="{bar_y:.1f}" width="{length}" height="{BAR_HEIGHT}" fill="{BLUE_FRANCE}"/>'
            if bar.value else f'<rect x="{label_width}" y="{bar_y:.1f}" width="1" height="{BAR_HEIGHT}" fill="{GREY}"/>'
        )
        value = f'<text x="{label_width + max(length, 1) + 5}" y="{bar_y + BAR_HEIGHT - 2:.1f}">{bar.value}</text>'
        rows.append(f'<text text-anchor="end">{label}</text>{shape}{value}')
        y += height + ROW_GAP
    height = max(y - ROW_GAP, BAR_HEIGHT)
    axis = f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{height}" stroke="{GREY}" stroke-width="1"/>'
    alternative = f"{title}. {describe(bars, unit_singular, unit_plural)}"
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bilan-chart" role="img" aria-labelledby="{chart_id}-title" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="Marianne, sans-serif" font-size="{FONT_SIZE}" fill="{TEXT}">'
        f'<title id="{chart_id}-title">{escape(alternative)}</title>'
        f"{axis}{''.join(rows)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 (every label and the title are escaped above)


def scenarios_chart(bars, *, title: str, chart_id: str) -> SafeString:
    """A chart counting scenarios (*séquences*)."""
    return bar_chart(
        bars, title=title, chart_id=chart_id,
        unit_singular=_("séquence"), unit_plural=_("séquences"),
    )
