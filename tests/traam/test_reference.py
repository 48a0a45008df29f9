from traam.enums import EligibilityRule
from traam.models import Academy, Call, ClassLevel, CrcnCompetence, CrcnDomain, DigitalCommon, Discipline, Entry, Region, Theme
from traam.reference import load_reference


def test_reference_counts(db):
    assert Region.objects.count() == 18
    assert Academy.objects.count() == 30
    assert CrcnDomain.objects.count() == 5
    assert CrcnCompetence.objects.count() == 16
    assert list(ClassLevel.objects.values_list("name", flat=True)) == [
        "École", "Collège", "Lycée général et technologique", "Lycée professionnel", "Post-bac",
    ]
    assert set(DigitalCommon.objects.values_list("name", flat=True)) == {"Éléa", "MathALÉA", "Capytale", "Vittascience", "M@gistère"}
    assert Discipline.objects.count() == 20


def test_regions_group_their_academies(db):
    ara = Region.objects.get(code="auvergne-rhone-alpes")
    assert sorted(ara.academies.values_list("name", flat=True)) == ["Clermont-Ferrand", "Grenoble", "Lyon"]
    assert Academy.objects.get(code="normandie").region.name == "Normandie"


def test_call_2026_2027_has_its_entries_themes_and_dates(db):
    call = Call.objects.get(year="2026-2027")
    assert call.entries.count() == 21
    assert Theme.objects.filter(entry__call=call).count() == 22
    assert set(call.entries.values_list("seats", flat=True)) == {5}
    assert str(call.synthesis_deadline) == "2026-03-31"
    assert str(call.production_starts_on) == "2026-09-01"
    assert str(call.production_ends_on) == "2027-04-30"
    nsi = Entry.objects.get(call=call, code="nsi")
    assert nsi.themes.count() == 2
    assert Entry.objects.filter(call=call, discipline__code="svt").count() == 2


def test_theme_texts_are_verbatim(db):
    maths = Theme.objects.get(entry__call__year="2026-2027", entry__code="mathematiques")
    assert maths.title == "Différencier en mathématiques : des approches adaptées aux besoins de chaque élève"
    assert "La différenciation pédagogique constitue un levier essentiel" in maths.description_html
    assert "Cet appel s'adresse à des équipes intégrant des enseignants de collège ainsi que de lycée." in maths.description_html


def test_svt_year_2_carries_its_eligibility_rule(db):
    theme = Theme.objects.get(entry__call__year="2026-2027", entry__code="svt-annee-2")
    assert theme.eligibility_rule == EligibilityRule.PRIOR_PARTICIPATION
    assert "Il est nécessaire d'avoir participé aux TraAM en année 1" in theme.eligibility_text
    others = Theme.objects.filter(entry__call__year="2026-2027").exclude(pk=theme.pk)
    assert set(others.values_list("eligibility_rule", flat=True)) == {""}


def test_loading_twice_changes_nothing(db):
    before = (Academy.objects.count(), Entry.objects.count(), Theme.objects.count(), CrcnCompetence.objects.count())
    load_reference()
    assert (Academy.objects.count(), Entry.objects.count(), Theme.objects.count(), CrcnCompetence.objects.count()) == before


def test_descriptions_are_sanitised(db):
    theme = Theme.objects.first()
    theme.description_html = '<p onclick="x()">Texte</p><script>alert(1)</script>'
    theme.save()
    theme.refresh_from_db()
    assert theme.description_html == "<p>Texte</p>"
