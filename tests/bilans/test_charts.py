"""The bilans' SVG bar charts (bilans/charts.py)."""

import re

from bilans.charts import Bar, scenarios_chart


def test_a_bar_per_value_scaled_on_the_largest_with_its_text_alternative():
    svg = scenarios_chart([Bar("Collège", 4), Bar("Lycée", 1), Bar("École", 0)], title="Séquences par niveau", chart_id="c1")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="bilan-chart" role="img" aria-labelledby="c1-title"')
    assert '<title id="c1-title">Séquences par niveau. Collège : 4 séquences; Lycée : 1 séquence; École : 0 séquences.</title>' in svg
    widths = [float(width) for width in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="12" fill="#000091"/>', svg)]
    assert len(widths) == 2 and abs(widths[0] - 4 * widths[1]) < 0.5
    assert svg.count('fill="#929292"') == 1  # the empty bar for zero


def test_labels_are_escaped_and_long_ones_wrapped():
    svg = scenarios_chart([Bar("<script>alert(1)</script> & " + "mot " * 30, 2)], title="Titre <b>", chart_id="c2")
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in svg
    assert "Titre &lt;b&gt;" in svg
    assert svg.count("<tspan") == 2 and "…</tspan>" in svg


def test_an_empty_chart_still_reads():
    svg = scenarios_chart([], title="Rien", chart_id="c3")
    assert "Rien. Aucune donnée." in svg
