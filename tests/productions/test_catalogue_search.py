"""The catalogue's search core (``productions.catalogue.search``): French
full-text search that ignores accents (SQLite and PostgreSQL), ranking (a
title match before a body match), every filter, the facets' counts, the
sorts, and never an unpublished scenario.

The corpus is written straight to the database (the production stage's own
tests walk scenarios through the services), then indexed as the publication
does. Its helpers serve ``test_catalogue_views.py`` too:

- 2026-2027, Mathématiques, Grenoble: « Évaluation par compétences en 5e »
  (collège, CRCN 1.3, no AI, with screen) and « Rituels de calcul mental »
  (lycée GT, CRCN 5.2, « évaluation » in its summary only, AI for the
  teacher's practice, without screen); a draft and a validated scenario
  with « évaluation » in their title (never shown);
- 2026-2027, Lettres, Rennes: « Réécrire une fable avec l'IA » (collège,
  CRCN 3.1, AI for the students' learning);
- 2025-2026 (an earlier published call), Mathématiques, Lyon:
  « Statistiques en seconde » (lycée GT, CRCN 1.2, no AI)."""

import datetime
import itertools

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import slugify

from candidatures.enums import AIUsage, ProposalState
from candidatures.models import Proposal
from productions.catalogue.search import ScenarioFilter, fold, index_scenarios, public_scenarios, search
from productions.enums import ScenarioState
from productions.models import Scenario, WorkingGroup
from tests.factories import make_user
from traam.enums import Role
from traam.models import Academy, Call, ClassLevel, CrcnCompetence, DigitalCommon, Discipline, Entry, Theme

_numbers = itertools.count(1)
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text search")


# --- The corpus (also used by test_catalogue_views.py) -----------------------------------------


def earlier_call():
    """A published 2025-2026 call with a mathematics entry and its theme."""
    call, _created = Call.objects.get_or_create(
        year="2025-2026",
        defaults={
            "title": "Appel à projets TraAM 2025-2026", "opens_on": datetime.date(2025, 1, 6), "synthesis_deadline": datetime.date(2025, 3, 31),
            "results_on": datetime.date(2025, 6, 16), "production_starts_on": datetime.date(2025, 9, 1),
            "production_ends_on": datetime.date(2026, 4, 30), "is_published": True,
        },
    )
    entry, _created = Entry.objects.get_or_create(
        call=call, code="mathematiques", defaults={"discipline": Discipline.objects.get(code="mathematiques"), "name": "Mathématiques"},
    )
    Theme.objects.get_or_create(entry=entry, order=1, defaults={"title": "Les données en classe", "description_html": "<p>Données.</p>"})
    return call


def make_group(entry, academy_code, title):
    academy = Academy.objects.get(code=academy_code)
    lead = make_user(f"porteur.{next(_numbers)}@example.test", Role.TEACHER, academy=academy)
    proposal = Proposal.objects.create(
        theme=entry.themes.order_by("order").first(), academy=academy, lead=lead, title=title, state=ProposalState.SELECTED,
    )
    return WorkingGroup.objects.create(proposal=proposal, call=entry.call, entry=entry, academy=academy, title=title)


def make_scenario(group, title, *, state=ScenarioState.PUBLISHED, levels=(), crcn=(), commons=(), published_at=None, **fields):
    number = next(_numbers)
    published = state == ScenarioState.PUBLISHED
    scenario = Scenario.objects.create(
        group=group, slug=f"{slugify(title)[:80]}-{number}", title=title, state=state,
        published_at=(published_at or timezone.now()) if published else None,
        summary=fields.pop("summary", f"Résumé de « {title} »."), sessions=fields.pop("sessions", 4), **fields,
    )
    scenario.class_levels.set(ClassLevel.objects.filter(code__in=levels))
    scenario.crcn_competences.set(CrcnCompetence.objects.filter(code__in=crcn))
    scenario.commons.set(DigitalCommon.objects.filter(code__in=commons))
    return scenario


def at(day):
    return datetime.datetime(2027, 1, day, 10, 0, tzinfo=datetime.UTC)


def build_corpus():
    call = Call.objects.get(year="2026-2027")
    maths = Entry.objects.get(call=call, code="mathematiques")
    lettres = Entry.objects.get(call=call, code="lettres")
    grenoble = make_group(maths, "grenoble", "Différencier avec MathALÉA")
    rennes = make_group(lettres, "rennes", "Écrire avec et contre l'IA")
    lyon = make_group(Entry.objects.get(call=earlier_call(), code="mathematiques"), "lyon", "Statistiques et données de la classe")
    corpus = {
        "eval_title": make_scenario(
            grenoble, "Évaluation par compétences en 5e", summary="Des grilles partagées avec les élèves.", levels=["college"], crcn=["1.3"],
            commons=["mathalea"], ai_usage=AIUsage.NONE, published_at=at(4),
        ),
        "eval_body": make_scenario(
            grenoble, "Rituels de calcul mental", summary="Une évaluation formative à chaque séance, puis une auto-évaluation.",
            levels=["lycee-gt"], crcn=["5.2"], ai_usage=AIUsage.TEACHER_PRACTICE, with_screen=False, published_at=at(2),
        ),
        "fable": make_scenario(
            rennes, "Réécrire une fable avec l'IA", levels=["college"], crcn=["3.1"], ai_usage=AIUsage.STUDENT_LEARNING, published_at=at(3),
        ),
        "old": make_scenario(lyon, "Statistiques en seconde", levels=["lycee-gt"], crcn=["1.2"], ai_usage=AIUsage.NONE, published_at=at(1)),
        "draft": make_scenario(grenoble, "Évaluation en brouillon", state=ScenarioState.DRAFT, levels=["college"], crcn=["1.3"]),
        "validated": make_scenario(
            grenoble, "Évaluation validée, pas encore publiée", state=ScenarioState.VALIDATED, levels=["college"], crcn=["1.3"],
            ai_usage=AIUsage.STUDENT_LEARNING,
        ),
    }
    index_scenarios()
    return corpus


@pytest.fixture
def corpus(db):
    return build_corpus()


# --- Helpers --------------------------------------------------------------------------------


def run(**params) -> ScenarioFilter:
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return ScenarioFilter(data, queryset=public_scenarios())


def titles(scenario_filter) -> list:
    assert scenario_filter.form.is_valid(), scenario_filter.form.errors
    return [scenario.title for scenario in scenario_filter.qs]


def found(corpus, scenario_filter) -> set:
    names = {scenario.pk: name for name, scenario in corpus.items()}
    return {names[scenario.pk] for scenario in scenario_filter.qs}


def facet(scenario_filter, name) -> dict:
    return {value: (count, selected) for value, _label, count, selected in scenario_filter.facets()[name]}


# --- Full text ------------------------------------------------------------------------------


def test_fold_removes_accents_and_case():
    assert fold("Évaluation À l'ÉCOLE") == "evaluation a l'ecole"
    assert fold(None) == ""


def test_a_word_without_accents_finds_the_accented_one(corpus):
    assert found(corpus, run(q="evaluation")) == {"eval_title", "eval_body"}
    assert found(corpus, run(q="ÉVALUATION")) == {"eval_title", "eval_body"}
    assert found(corpus, run(q="reecrire fable")) == {"fable"}


def test_every_word_must_be_found(corpus):
    assert found(corpus, run(q="évaluation compétences")) == {"eval_title"}
    assert found(corpus, run(q="évaluation zèbre")) == set()


def test_the_group_the_entry_and_the_academy_are_searched_too(corpus):
    assert found(corpus, run(q="rennes")) == {"fable"}
    assert found(corpus, run(q="mathalea")) == {"eval_title", "eval_body"}


def test_a_title_match_comes_before_a_body_match(corpus):
    scenario_filter = run(q="evaluation")
    assert scenario_filter.sort == "pertinence"
    assert titles(scenario_filter) == ["Évaluation par compétences en 5e", "Rituels de calcul mental"]


@on_postgresql
def test_postgresql_ranks_a_title_match_before_a_body_match(corpus):
    """« Rituels » is the more recent of the two: only the rank puts the title match first."""
    corpus["eval_body"].published_at = at(20)
    corpus["eval_body"].save(update_fields=["published_at"])
    ranked = list(search(public_scenarios(), "evaluation").order_by("-rank"))
    assert [scenario.title for scenario in ranked] == ["Évaluation par compétences en 5e", "Rituels de calcul mental"]
    assert ranked[0].rank > ranked[1].rank
    assert titles(run(q="evaluation")) == ["Évaluation par compétences en 5e", "Rituels de calcul mental"]


@on_postgresql
def test_postgresql_stems_french_words(corpus):
    """« évaluations » and « réécrit » find « évaluation » and « réécrire » (French stemming after unaccent)."""
    assert found(corpus, run(q="évaluations")) == {"eval_title", "eval_body"}
    assert found(corpus, run(q="fables")) == {"fable"}


@on_postgresql
def test_postgresql_reads_a_web_search_query(corpus):
    assert found(corpus, run(q="évaluation -rituels")) == {"eval_title"}
    assert found(corpus, run(q="fable or statistiques")) == {"fable", "old"}


@on_postgresql
def test_a_scenario_not_indexed_is_indexed_at_publication(corpus):
    """The stored vector is what PostgreSQL searches: ``index_scenarios`` fills it."""
    Scenario.objects.filter(pk=corpus["fable"].pk).update(search_vector=None)
    assert found(corpus, run(q="fable")) == set()
    assert index_scenarios(Scenario.objects.filter(pk=corpus["fable"].pk)) == 1
    assert found(corpus, run(q="fable")) == {"fable"}


def test_punctuation_only_or_empty_queries(corpus):
    assert found(corpus, run(q="  ")) == {"eval_title", "eval_body", "fable", "old"}
    assert found(corpus, run(q="« ! »")) == set()


def test_an_overlong_query_is_refused():
    scenario_filter = run(q="x" * 201)
    assert not scenario_filter.form.is_valid()
    assert scenario_filter.facets() == {}


# --- Unpublished scenarios -------------------------------------------------------------------


def test_unpublished_scenarios_never_appear(corpus):
    hidden = {"draft", "validated"}
    for params in ({}, {"q": "evaluation"}, {"q": "brouillon"}, {"niveau": "college"}, {"crcn": "1.3"}, {"ia": "student_learning"},
                   {"academie": "grenoble"}, {"annee": "2026-2027"}, {"ecran": "avec"}, {"tri": "titre"}):
        assert not found(corpus, run(**params)) & hidden, params
    assert set(public_scenarios().values_list("state", flat=True)) == {ScenarioState.PUBLISHED}


def test_unpublished_scenarios_are_not_counted_in_the_facets(corpus):
    facets = run().facets()
    assert {value: count for value, _label, count, _selected in facets["niveau"]} == {"college": 2, "lycee-gt": 2}
    assert {value: count for value, _label, count, _selected in facets["crcn"]} == {"1.2": 1, "1.3": 1, "3.1": 1, "5.2": 1}
    assert {value: count for value, _label, count, _selected in facets["academie"]} == {"grenoble": 2, "lyon": 1, "rennes": 1}


# --- Filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"discipline": "mathematiques"}, {"eval_title", "eval_body", "old"}),
        ({"discipline": "lettres"}, {"fable"}),
        ({"discipline": ["lettres", "mathematiques"]}, {"eval_title", "eval_body", "old", "fable"}),
        ({"niveau": "college"}, {"eval_title", "fable"}),
        ({"niveau": ["college", "lycee-gt"]}, {"eval_title", "eval_body", "fable", "old"}),
        ({"academie": "rennes"}, {"fable"}),
        ({"academie": ["grenoble", "lyon"]}, {"eval_title", "eval_body", "old"}),
        ({"crcn": "1.3"}, {"eval_title"}),
        ({"crcn": ["1.3", "5.2", "3.1"]}, {"eval_title", "eval_body", "fable"}),
        ({"ia": "none"}, {"eval_title", "old"}),
        ({"ia": ["teacher_practice", "student_learning"]}, {"eval_body", "fable"}),
        ({"annee": "2025-2026"}, {"old"}),
        ({"annee": "2026-2027"}, {"eval_title", "eval_body", "fable"}),
        ({"ecran": "sans"}, {"eval_body"}),
        ({"ecran": "avec"}, {"eval_title", "fable", "old"}),
        ({"q": "evaluation", "niveau": "college"}, {"eval_title"}),
        ({"discipline": "mathematiques", "annee": "2026-2027", "ecran": "avec"}, {"eval_title"}),
    ],
)
def test_each_filter(corpus, params, expected):
    assert found(corpus, run(**params)) == expected


def test_a_scenario_in_several_chosen_values_comes_once(corpus):
    corpus["fable"].class_levels.add(ClassLevel.objects.get(code="lycee-gt"))
    corpus["fable"].crcn_competences.add(CrcnCompetence.objects.get(code="1.3"))
    assert titles(run(niveau=["college", "lycee-gt"], tri="titre")).count("Réécrire une fable avec l'IA") == 1
    assert titles(run(crcn=["1.3", "3.1"], niveau=["college", "lycee-gt"])).count("Réécrire une fable avec l'IA") == 1


@pytest.mark.parametrize(
    "params",
    [{"niveau": "inconnu"}, {"discipline": "<script>"}, {"ia": "robots"}, {"annee": "1999-2000"}, {"ecran": "peut-etre"}, {"tri": "hasard"}],
)
def test_unknown_values_make_the_form_invalid(corpus, params):
    scenario_filter = run(**params)
    assert not scenario_filter.form.is_valid()
    assert list(scenario_filter.form.errors) == list(params)


# --- Facets ----------------------------------------------------------------------------------


def test_facets_count_what_each_value_would_give(corpus):
    scenario_filter = run()
    assert facet(scenario_filter, "discipline") == {"lettres": (1, False), "mathematiques": (3, False)}
    assert facet(scenario_filter, "ia") == {"none": (2, False), "teacher_practice": (1, False), "student_learning": (1, False)}
    assert facet(scenario_filter, "annee") == {"2026-2027": (3, False), "2025-2026": (1, False)}
    assert facet(scenario_filter, "ecran") == {"avec": (3, False), "sans": (1, False)}
    # In the order of the page: years from the latest, levels in the school order.
    assert [value for value, *_rest in scenario_filter.facets()["annee"]] == ["2026-2027", "2025-2026"]
    assert [value for value, *_rest in scenario_filter.facets()["niveau"]] == ["college", "lycee-gt"]
    assert [label for value, label, *_rest in scenario_filter.facets()["crcn"]][0] == str(CrcnCompetence.objects.get(code="1.2"))


def test_a_facet_counts_with_the_other_criteria_but_not_its_own(corpus):
    scenario_filter = run(discipline="mathematiques", niveau="lycee-gt")
    # Its own facet keeps the other values (to widen the search) and marks the chosen one.
    assert facet(scenario_filter, "discipline") == {"mathematiques": (2, True)}
    assert facet(scenario_filter, "niveau") == {"college": (1, False), "lycee-gt": (2, True)}
    assert facet(scenario_filter, "annee") == {"2026-2027": (1, False), "2025-2026": (1, False)}
    assert facet(scenario_filter, "ecran") == {"avec": (1, False), "sans": (1, False)}
    assert facet(scenario_filter, "academie") == {"grenoble": (1, False), "lyon": (1, False)}


def test_facets_follow_the_text_search(corpus):
    scenario_filter = run(q="evaluation", ecran="sans")
    assert facet(scenario_filter, "ecran") == {"avec": (1, False), "sans": (1, True)}
    assert facet(scenario_filter, "discipline") == {"mathematiques": (1, False)}
    assert facet(scenario_filter, "ia") == {"teacher_practice": (1, False)}


def test_a_chosen_value_without_result_stays_in_its_facet(corpus):
    scenario_filter = run(niveau="ecole", ia="student_learning")
    assert titles(scenario_filter) == []
    assert facet(scenario_filter, "niveau") == {"college": (1, False), "ecole": (0, True)}
    assert facet(scenario_filter, "ia") == {"student_learning": (0, True)}


def test_facets_take_a_fixed_number_of_queries(corpus, django_assert_max_num_queries):
    """At most two per facet (the counts, then the labels), however many scenarios."""
    scenario_filter = run(q="evaluation", niveau="college", discipline="mathematiques", crcn="1.3", annee="2026-2027")
    assert scenario_filter.form.is_valid()
    with django_assert_max_num_queries(2 * len(ScenarioFilter.FACETS)):
        scenario_filter.facets()


# --- Sort ------------------------------------------------------------------------------------


def test_sorts(corpus):
    assert run().sort == "recentes"
    newest_first = ["Évaluation par compétences en 5e", "Réécrire une fable avec l'IA", "Rituels de calcul mental", "Statistiques en seconde"]
    assert titles(run()) == newest_first
    assert titles(run(tri="anciennes")) == newest_first[::-1]
    # A French reader's A → Z: « Évaluation » among the E, « Réécrire » before « Rituels ».
    assert titles(run(tri="titre")) == [
        "Évaluation par compétences en 5e", "Réécrire une fable avec l'IA", "Rituels de calcul mental", "Statistiques en seconde",
    ]
    # Relevance needs words to weigh: without any, the most recent come first.
    assert run(tri="pertinence").sort == "recentes"
    assert run(q="evaluation", tri="recentes").sort == "recentes"
