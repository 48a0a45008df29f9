"""The portal's bar charts (traam/charts.py, ``{% chart %}``): one accessible
SVG image named and described in French, well-formed XML whatever the labels,
attributes only (no inline style), and the same numbers as a table."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from traam import charts

SVG = "{http://www.w3.org/2000/svg}"
SCRIPT = "<script>alert('x')</script>"
STATES = [charts.Series("draft", "brouillon", charts.GREY), charts.Series("published", "publiée", charts.GREEN)]


def render(chart, **options):
    with translation.override("fr"):
        template = Template("{% load charts %}{% chart chart" + "".join(f" {key}={value}" for key, value in options.items()) + " %}")
        return template.render(Context({"chart": chart}))


def svg_of(html):
    """The SVG element, parsed as XML (it fails on anything not well-formed)."""
    return ET.fromstring(re.search(r"<svg.*?</svg>", html, re.S).group(0))


def table_of(html):
    """The table's rows as the cells' texts."""
    rows = re.findall(r"<tr>(.*?)</tr>", re.search(r"<table[^>]*>.*?</table>", html, re.S).group(0), re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


@pytest.fixture
def stacked():
    return charts.stacked_bar_chart(
        [("Grenoble — Fractions", [1, 3], 4), ("Lyon — Plans de travail", [2, 0], 4)], STATES, chart_id="progress",
        title="Séquences par groupe", unit=("séquence", "séquences"), target_label="attendues", row_header="Groupe",
    )


def test_the_svg_is_one_named_and_described_image(stacked):
    svg = svg_of(render(stacked))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "progress-title progress-desc"
    assert svg.find(f"{SVG}title").get("id") == "progress-title"
    assert svg.find(f"{SVG}title").text == "Séquences par groupe"
    assert svg.find(f"{SVG}desc").get("id") == "progress-desc"
    assert svg.find(f"{SVG}desc").text == (
        "Grenoble — Fractions : 4 séquences (brouillon : 1, publiée : 3; attendues : 4); "
        "Lyon — Plans de travail : 2 séquences (brouillon : 2; attendues : 4)."
    )


def test_the_table_holds_the_same_numbers(stacked):
    html = render(stacked)
    assert table_of(html) == [
        ["Groupe", "Brouillon", "Publiée", "Total", "Attendues"],
        ["Grenoble — Fractions", "1", "3", "4", "4"],
        ["Lyon — Plans de travail", "2", "0", "2", "4"],
        ["Total", "3", "3", "6", ""],
    ]
    assert "<caption>Séquences par groupe</caption>" in html
    # The same figures are written on the bars: each non-empty segment, each total.
    texts = [element.text for element in svg_of(html).iter(f"{SVG}text")]
    assert texts.count("4") >= 1 and texts.count("3") >= 1 and "2" in texts


def test_segments_are_proportional_and_stacked(stacked):
    svg = svg_of(render(stacked))
    bars = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("height") == "22"]
    assert [(rect.get("fill"), rect.get("x")) for rect in bars] == [
        (charts.GREY, "250"), (charts.GREEN, "365.5"), (charts.GREY, "250"),
    ]
    widths = [float(rect.get("width")) for rect in bars]
    assert widths[1] == pytest.approx(3 * widths[0]) and widths[2] == pytest.approx(2 * widths[0])
    # The target marks (4 each) sit at the end of the scale (0 to 4), after the legend's.
    marks = [line.get("x1") for line in svg.iter(f"{SVG}line") if line.get("stroke") == charts.TARGET]
    assert marks[1:] == [str(charts.PLOT_X + charts.PLOT_WIDTH)] * 2


def test_labels_are_escaped_and_the_xml_stays_well_formed():
    chart = charts.bar_chart([(SCRIPT, 2), ("R&D « 2026 » \"x\"", 1)], chart_id="evil", title=SCRIPT, unit=("h", "h"))
    html = render(chart)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    svg = svg_of(html)
    assert svg.find(f"{SVG}title").text == SCRIPT
    labels = [element.text for element in svg.iter(f"{SVG}text")]
    assert "R&D « 2026 » \"x\"" in labels


def test_no_inline_style_and_numbers_in_attributes_are_not_localized():
    chart = charts.bar_chart([("Heures", Decimal("4.5")), ("Autres", Decimal("12.25"))], chart_id="hours", title="Heures", unit=("heure", "heures"))
    html = render(chart)
    assert "style=" not in html
    svg = svg_of(html)
    for element in svg.iter():
        if element is svg:
            continue  # width="100%": the chart follows the page's width
        for name in ("x", "y", "width", "height", "x1", "x2", "y1", "y2"):
            if element.get(name) is not None:
                float(element.get(name))  # « 4,5 » would not parse
    assert svg.get("viewBox") == f"0 0 {charts.WIDTH} {chart.height}"
    assert [row[1] for row in table_of(html)[1:]] == ["4,5", "12,25", "16,75"]
    assert svg.find(f"{SVG}desc").text == "Heures : 4,5 heures; Autres : 12,25 heures."


def test_a_single_series_has_no_legend_and_no_total_column():
    html = render(charts.bar_chart([("A", 1), ("B", 5)], chart_id="c", title="T", label="Nombre", row_header="État"))
    assert table_of(html)[0] == ["État", "Nombre"]
    assert table_of(html)[-1] == ["Total", "6"]
    # No legend swatches (14 × 14 squares).
    assert not [rect for rect in svg_of(html).iter(f"{SVG}rect") if rect.get("width") == "14"]


def test_the_legend_names_each_series_and_the_target(stacked):
    svg = svg_of(render(stacked))
    swatches = [rect.get("fill") for rect in svg.iter(f"{SVG}rect") if rect.get("width") == "14"]
    assert swatches == [charts.GREY, charts.GREEN]
    assert [text.text for text in svg.iter(f"{SVG}text")][:3] == ["Brouillon", "Publiée", "Attendues"]


def test_the_table_can_be_left_out(stacked):
    html = render(stacked, table="False")
    assert "<table" not in html and "<svg" in html


def test_an_empty_chart_says_so():
    chart = charts.bar_chart([], chart_id="empty", title="Rien")
    html = render(chart)
    assert svg_of(html).find(f"{SVG}desc").text == "Aucune donnée."
    assert "Aucune donnée." in html


def test_the_scale_has_round_ticks():
    assert [tick.text for tick in charts.bar_chart([("A", 37)], chart_id="c", title="T").ticks] == ["0", "10", "20", "30", "40"]
    assert [tick.text for tick in charts.bar_chart([("A", 3)], chart_id="c", title="T").ticks] == ["0", "1", "2", "3"]
    assert [tick.text for tick in charts.bar_chart([("A", 0)], chart_id="c", title="T").ticks] == ["0", "1"]


def test_values_must_match_the_series():
    with pytest.raises(ValueError):
        charts.stacked_bar_chart([("A", [1])], STATES, chart_id="c", title="T")


def test_numbers_are_written_the_french_way():
    assert [charts.number_text(value) for value in (3, Decimal("4.50"), Decimal("10.00"), 2.5, Decimal("0"))] == ["3", "4,5", "10", "2,5", "0"]


def test_colours_keep_a_contrast_of_4_5_with_white():
    def luminance(color):
        channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for color in (charts.BLUE_FRANCE, charts.BLUE, charts.GREY, charts.ORANGE, charts.PURPLE, charts.TEAL, charts.GREEN, charts.RED, charts.TEXT):
        assert 1.05 / (luminance(color) + 0.05) >= 4.5, color
