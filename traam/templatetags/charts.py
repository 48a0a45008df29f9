"""``{% chart chart %}``: a chart of ``traam.charts`` as an accessible SVG,
followed by its figures as a table (``table=False`` leaves the table out when
the page already shows the same numbers in one of its tables)."""

from django import template

from .. import charts

register = template.Library()

COLORS = {"text": charts.TEXT, "grid": charts.GRID, "target": charts.TARGET}


@register.inclusion_tag("traam/_chart.html")
def chart(chart, table=True):
    return {"chart": chart, "table": table, "colors": COLORS}
