from django.template import Context, Template

from traam import audit
from traam.enums import AuditAction
from traam.models import Call


def test_history_block_shows_who_did_what(db, pilot):
    call = Call.objects.get(year="2026-2027")
    audit.record(call, actor=pilot, action=AuditAction.STATE_CHANGED, from_state="brouillon", to_state="publié", comment="Publié <b>enfin</b>")
    audit.record(call, actor=None, action=AuditAction.UPDATED)
    html = Template("{% load traam_tags %}{% history_block call %}").render(Context({"call": call}))
    assert "Historique" in html
    assert "brouillon → publié" in html
    assert str(pilot) in html and "automatique" in html
    assert "Publié &lt;b&gt;enfin&lt;/b&gt;" in html  # user text is escaped
    # Newest first.
    assert html.index("Modification") < html.index("Changement d")


def test_history_of_another_object_is_separate(db, pilot):
    first = Call.objects.get(year="2026-2027")
    audit.record(first, actor=pilot, action=AuditAction.UPDATED)
    assert audit.history(first).count() == 1
    other = Call.objects.create(
        year="2099-2100", title="Autre", opens_on="2099-01-01", synthesis_deadline="2099-03-31", results_on="2099-06-15",
        production_starts_on="2099-09-01", production_ends_on="2100-04-30",
    )
    assert audit.history(other).count() == 0
