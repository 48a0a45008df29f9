"""The French catalogue carries the French plural rule for the French source strings."""

from django.utils import translation
from django.utils.translation import ngettext

from traam.management.commands.french_catalogue import fill_plurals


def test_untranslated_plural_entries_get_their_own_forms():
    po = 'msgid "%(n)s jour"\nmsgid_plural "%(n)s jours"\nmsgstr[0] ""\nmsgstr[1] ""\n\nmsgid "Bonjour"\nmsgstr ""\n'
    assert fill_plurals(po) == (
        'msgid "%(n)s jour"\nmsgid_plural "%(n)s jours"\nmsgstr[0] "%(n)s jour"\nmsgstr[1] "%(n)s jours"\n\nmsgid "Bonjour"\nmsgstr ""\n'
    )


def test_zero_is_singular_in_french():
    with translation.override("fr"):
        assert ngettext("%(count)s évaluation à rendre", "%(count)s évaluations à rendre", 0) % {"count": 0} == "0 évaluation à rendre"
        assert ngettext("%(count)s évaluation à rendre", "%(count)s évaluations à rendre", 2) % {"count": 2} == "2 évaluations à rendre"
