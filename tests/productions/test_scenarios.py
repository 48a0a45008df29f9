"""Scenarios (*séquences pédagogiques*): written by the group, tested in class,
submitted, validated or returned by the piloting inspector, published by the
inspector or the national pilot — each transition allowed from its states and
by its people only."""

import pytest
from django.core.exceptions import PermissionDenied

from productions import services
from productions.enums import Licence, ScenarioState
from productions.models import Scenario
from tests.productions.conftest import complete_content, emails, ids, refused, refused_by_field
from traam.audit import history
from traam.enums import AuditAction
from traam.models import ClassLevel, CrcnCompetence

EDUBASE = "https://edubase.eduscol.education.fr/fiche/12345"
STATES = {
    "scenario": ScenarioState.DRAFT,
    "tested": ScenarioState.TESTED,
    "submitted_scenario": ScenarioState.SUBMITTED,
    "returned": ScenarioState.RETURNED,
    "validated": ScenarioState.VALIDATED,
    "published_scenario": ScenarioState.PUBLISHED,
}


def act(transition, scenario, person):
    if transition == "mark_tested":
        return services.mark_tested(scenario, acting_user=person)
    if transition == "submit":
        return services.submit_for_validation(scenario, acting_user=person)
    if transition == "validate":
        return services.validate(scenario, acting_user=person)
    if transition == "return":
        return services.return_scenario(scenario, acting_user=person, comment="À reprendre.")
    if transition == "publish":
        return services.publish(scenario, acting_user=person, edubase_url=EDUBASE)
    return services.set_edubase_url(scenario, "https://edubase.eduscol.education.fr/fiche/999", acting_user=person)


# transition → (the states it starts from, the state it leads to, who may, who may not)
TRANSITIONS = {
    "mark_tested": ({"scenario"}, ScenarioState.TESTED, "teacher_grenoble", ["teacher_lyon", "dan_grenoble", "pilot", "stranger"]),
    "submit": ({"tested", "returned"}, ScenarioState.SUBMITTED, "colleague_grenoble", ["teacher_lyon", "inspector_maths_lyon", "pilot"]),
    "validate": ({"submitted_scenario"}, ScenarioState.VALIDATED, "inspector_maths_grenoble",
                 ["teacher_grenoble", "other_inspector_grenoble", "pilot", "dan_grenoble"]),
    "return": ({"submitted_scenario", "validated"}, ScenarioState.RETURNED, "inspector_maths_grenoble",
               ["teacher_grenoble", "other_inspector_grenoble", "pilot"]),
    "publish": ({"validated"}, ScenarioState.PUBLISHED, "pilot", ["teacher_grenoble", "other_inspector_grenoble", "inspector_maths_lyon"]),
    "edubase": ({"published_scenario"}, ScenarioState.PUBLISHED, "inspector_maths_grenoble",
                ["teacher_grenoble", "other_inspector_grenoble", "cardie_grenoble"]),
}
ALLOWED = [(t, state) for t, (starts, *_rest) in TRANSITIONS.items() for state in sorted(starts)]
WRONG_STATE = [(t, state) for t, (starts, *_rest) in TRANSITIONS.items() for state in STATES if state not in starts]
WRONG_PERSON = [(t, who) for t, (_starts, _to, _who, others) in TRANSITIONS.items() for who in others]


@pytest.mark.parametrize("transition, state", ALLOWED)
def test_each_transition_moves_from_its_states(request, transition, state):
    scenario = request.getfixturevalue(state)
    starts, to_state, who, _others = TRANSITIONS[transition]
    person = request.getfixturevalue(who)
    version = scenario.version
    act(transition, scenario, person)
    scenario.refresh_from_db()
    assert scenario.state == to_state
    assert scenario.version == version + 1  # the group's open forms are now stale
    entry = history(scenario).first()
    assert entry.actor == person
    if transition != "edubase":
        assert (entry.action, entry.from_state, entry.to_state) == (AuditAction.STATE_CHANGED, STATES[state], to_state)


@pytest.mark.parametrize("transition, state", WRONG_STATE)
def test_each_transition_is_refused_from_other_states(request, transition, state):
    scenario = request.getfixturevalue(state)
    _starts, _to, who, _others = TRANSITIONS[transition]
    with pytest.raises(services.ProductionError) as error:
        act(transition, scenario, request.getfixturevalue(who))
    assert error.value.code == "state"
    assert Scenario.objects.get(pk=scenario.pk).state == STATES[state]


@pytest.mark.parametrize("transition, who", WRONG_PERSON)
def test_each_transition_is_refused_to_others(request, transition, who):
    starts, *_rest = TRANSITIONS[transition]
    state = sorted(starts)[0]
    scenario = request.getfixturevalue(state)
    with pytest.raises(PermissionDenied):
        act(transition, scenario, request.getfixturevalue(who))
    assert Scenario.objects.get(pk=scenario.pk).state == STATES[state]


def test_refusals_say_why_in_french(group, validated, teacher_grenoble, inspector_maths_grenoble, pilot):
    draft = services.create_scenario(group, acting_user=teacher_grenoble, title="Un brouillon")
    assert refused(services.submit_for_validation, draft, acting_user=teacher_grenoble) == [
        "Expérimentez d'abord la séquence en classe avant de la soumettre pour validation."
    ]
    assert refused(services.validate, validated, acting_user=inspector_maths_grenoble) == [
        "Seule une séquence soumise pour validation peut être validée ; celle-ci est « validée »."
    ]
    assert refused(services.mark_tested, validated, acting_user=teacher_grenoble) == [
        "Seul un brouillon peut être marqué comme expérimenté en classe ; cette séquence est « validée »."
    ]
    assert refused(services.set_edubase_url, validated, EDUBASE, acting_user=pilot) == [
        "L'adresse Édubase se renseigne sur une séquence publiée ; celle-ci est « validée »."
    ]


# --- Creating and writing ------------------------------------------------------------------------


def test_a_member_starts_a_draft(group, cardie_grenoble):
    scenario = services.create_scenario(group, acting_user=cardie_grenoble, title="  Fractions en 6e  ")
    assert (scenario.title, scenario.slug, scenario.state, scenario.version, scenario.licence, scenario.created_by) == (
        "Fractions en 6e", "fractions-en-6e", ScenarioState.DRAFT, 1, Licence.CC_BY_SA_4, cardie_grenoble,
    )
    assert [(e.action, e.to_state) for e in history(scenario)] == [(AuditAction.CREATED, ScenarioState.DRAFT)]
    assert scenario.versions.get().number == 1


@pytest.mark.parametrize("who", ["teacher_lyon", "dan_grenoble", "inspector_maths_lyon", "other_inspector_grenoble", "pilot", "stranger"])
def test_only_members_start_scenarios(request, group, who):
    with pytest.raises(PermissionDenied):
        services.create_scenario(group, acting_user=request.getfixturevalue(who), title="Intrus")
    assert not Scenario.objects.exists()


def test_the_slug_is_unique_and_stable(scenario, group, group_lyon, teacher_grenoble, teacher_lyon):
    again = services.create_scenario(group_lyon, acting_user=teacher_lyon, title="Fractions en 6e !")
    third = services.create_scenario(group, acting_user=teacher_grenoble, title="Fractions en 6e")
    assert (scenario.slug, again.slug, third.slug) == ("fractions-en-6e", "fractions-en-6e-2", "fractions-en-6e-3")
    services.save_scenario(scenario, {"title": "Fractions et décimaux en 6e"}, acting_user=teacher_grenoble, expected_version=scenario.version)
    assert Scenario.objects.get(pk=scenario.pk).slug == "fractions-en-6e"
    assert refused_by_field(services.create_scenario, group, acting_user=teacher_grenoble, title="  ") == {
        "title": ["Indiquez le titre de la séquence."],
    }


def test_the_group_saves_its_content(scenario, colleague_grenoble):
    services.save_scenario(
        scenario, complete_content(with_screen=False, licence=Licence.CC0, session_minutes="50"), acting_user=colleague_grenoble,
        expected_version=1,
    )
    scenario = Scenario.objects.get(pk=scenario.pk)
    assert (scenario.summary, scenario.sessions, scenario.session_minutes, scenario.total_minutes, scenario.with_screen, scenario.licence) == (
        "Des parcours d'automatismes adaptés à chaque élève.", 4, 50, 200, False, Licence.CC0,
    )
    assert list(scenario.class_levels.values_list("code", flat=True)) == ["college"]
    assert list(scenario.crcn_competences.values_list("code", flat=True)) == ["1.3"]
    assert (scenario.version, scenario.versions.count()) == (2, 2)
    entry = history(scenario).first()
    assert (entry.action, entry.actor, entry.data["version"]) == (AuditAction.UPDATED, colleague_grenoble, 2)
    assert "crcn_competences" in entry.data["fields"]


def test_saving_the_same_content_changes_nothing(written, teacher_grenoble):
    version, versions = written.version, written.versions.count()
    services.save_scenario(written, complete_content(), acting_user=teacher_grenoble, expected_version=version)
    assert (Scenario.objects.get(pk=written.pk).version, written.versions.count()) == (version, versions)


def test_a_stale_form_is_refused(scenario, teacher_grenoble, colleague_grenoble):
    services.save_scenario(scenario, {"summary": "Premier"}, acting_user=teacher_grenoble, expected_version=1)
    assert refused(services.save_scenario, scenario, {"summary": "Second"}, acting_user=colleague_grenoble, expected_version=1) == [
        "Cette séquence a été modifiée ailleurs (dans un autre onglet ou par un membre du groupe) : rechargez la page pour voir la "
        "dernière version, puis reportez vos modifications."
    ]
    assert Scenario.objects.get(pk=scenario.pk).summary == "Premier"


def test_bad_content_is_refused_field_by_field(scenario, teacher_grenoble):
    assert refused_by_field(services.save_scenario, scenario, {
        "title": "", "ai_usage": "magic", "licence": "copyright", "sessions": 0, "session_minutes": "une heure", "with_screen": "oui",
        "class_levels": [999999], "crcn_competences": ["x"],
    }, acting_user=teacher_grenoble, expected_version=1) == {
        "title": ["Indiquez le titre de la séquence."],
        "ai_usage": ["Choix inconnu."],
        "licence": ["Choix inconnu."],
        "sessions": ["Indiquez un nombre entier de 1 à 60."],
        "session_minutes": ["Indiquez un nombre entier de 10 à 240."],
        "with_screen": ["Indiquez oui ou non."],
        "class_levels": ["Choix inconnu."],
        "crcn_competences": ["Choix inconnu."],
    }
    assert refused(services.save_scenario, scenario, {"state": "published"}, acting_user=teacher_grenoble, expected_version=1) == [
        "Champs inconnus : state."
    ]
    scenario = Scenario.objects.get(pk=scenario.pk)
    assert (scenario.title, scenario.version, scenario.state) == ("Fractions en 6e", 1, ScenarioState.DRAFT)


def test_script_is_stored_as_text(scenario, teacher_grenoble):
    services.save_scenario(scenario, {"summary": "<script>alert(1)</script>"}, acting_user=teacher_grenoble, expected_version=1)
    assert Scenario.objects.get(pk=scenario.pk).summary == "<script>alert(1)</script>"  # escaped by the templates, never run


@pytest.mark.parametrize("state", ["submitted_scenario", "validated", "published_scenario"])
def test_the_content_is_frozen_once_submitted(request, state, teacher_grenoble):
    scenario = request.getfixturevalue(state)
    label = ScenarioState(STATES[state]).label
    assert refused(services.save_scenario, scenario, {"summary": "Encore"}, acting_user=teacher_grenoble, expected_version=scenario.version) == [
        f"Cette séquence ne peut pas être modifiée : elle est « {label} »."
    ]


@pytest.mark.parametrize("state", ["tested", "returned"])
def test_a_tested_or_returned_scenario_stays_editable(request, state, teacher_grenoble):
    scenario = request.getfixturevalue(state)
    services.save_scenario(scenario, {"summary": "Bilan de l'expérimentation"}, acting_user=teacher_grenoble, expected_version=scenario.version)
    assert Scenario.objects.get(pk=scenario.pk).summary == "Bilan de l'expérimentation"


@pytest.mark.parametrize("who", ["teacher_lyon", "inspector_maths_lyon", "dan_grenoble", "pilot"])
def test_others_do_not_write(request, scenario, who):
    with pytest.raises(PermissionDenied):
        services.save_scenario(scenario, {"summary": "Intrus"}, acting_user=request.getfixturevalue(who), expected_version=1)


# --- Submitting and deciding -----------------------------------------------------------------------


def test_an_incomplete_scenario_cannot_be_submitted(scenario, teacher_grenoble):
    services.mark_tested(scenario, acting_user=teacher_grenoble)
    services.save_scenario(scenario, {"ai_usage": "student_learning"}, acting_user=teacher_grenoble, expected_version=scenario.version)
    assert refused(services.submit_for_validation, scenario, acting_user=teacher_grenoble) == [
        "Rédigez le résumé de la séquence.",
        "Formulez la problématique de la séquence.",
        "Précisez les compétences disciplinaires travaillées.",
        "Choisissez au moins un niveau de classe.",
        "Choisissez au moins une compétence du CRCN travaillée.",
        "Indiquez le nombre de séances de la séquence.",
        "Indiquez les outils d'intelligence artificielle utilisés.",
        "Décrivez les précautions prises pour protéger les données personnelles.",
    ]
    assert Scenario.objects.get(pk=scenario.pk).state == ScenarioState.TESTED


def test_submitting_tells_the_piloting_inspector(tested, teacher_grenoble, inspector_maths_grenoble):
    services.submit_for_validation(tested, acting_user=teacher_grenoble)
    assert emails("à valider") == [([inspector_maths_grenoble.email], "Séquence TraAM à valider : Fractions en 6e")]
    assert Scenario.objects.get(pk=tested.pk).submitted_at is not None


def group_addresses(group):
    return sorted(group.members.values_list("email", flat=True))


def test_validating_tells_the_group(submitted_scenario, group, inspector_maths_grenoble):
    services.validate(submitted_scenario, acting_user=inspector_maths_grenoble, comment="Très clair.")
    scenario = Scenario.objects.get(pk=submitted_scenario.pk)
    assert (scenario.validated_by, scenario.validated_at is not None) == (inspector_maths_grenoble, True)
    assert emails("validée") == [(group_addresses(group), "Séquence TraAM validée : Fractions en 6e")]
    assert history(scenario).first().comment == "Très clair."


def test_returning_needs_a_comment_and_tells_the_group(submitted_scenario, group, inspector_maths_grenoble):
    assert refused_by_field(services.return_scenario, submitted_scenario, acting_user=inspector_maths_grenoble, comment=" ") == {
        "comment": ["Indiquez au groupe ce qu'il doit reprendre."],
    }
    services.return_scenario(submitted_scenario, acting_user=inspector_maths_grenoble, comment="Ajoutez la fiche élève.")
    scenario = Scenario.objects.get(pk=submitted_scenario.pk)
    assert (scenario.state, scenario.return_comment) == (ScenarioState.RETURNED, "Ajoutez la fiche élève.")
    assert emails("à reprendre") == [(group_addresses(group), "Séquence TraAM à reprendre : Fractions en 6e")]


def test_a_validated_scenario_may_still_be_returned(validated, inspector_maths_grenoble):
    services.return_scenario(validated, acting_user=inspector_maths_grenoble, comment="Une coquille dans la fiche élève.")
    scenario = Scenario.objects.get(pk=validated.pk)
    assert (scenario.state, scenario.validated_by, scenario.validated_at) == (ScenarioState.RETURNED, None, None)


def test_the_academy_inspectors_act_while_the_piloting_inspector_has_no_account(submitted_scenario, group, other_inspector_grenoble):
    group.members.filter(role="inspector").update(user=None)
    services.validate(submitted_scenario, acting_user=other_inspector_grenoble)
    assert Scenario.objects.get(pk=submitted_scenario.pk).state == ScenarioState.VALIDATED


# --- Publishing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["inspector_maths_grenoble", "pilot"])
def test_the_inspector_or_the_pilot_publishes(request, validated, group, who):
    person = request.getfixturevalue(who)
    services.publish(validated, acting_user=person, edubase_url=f" {EDUBASE} ")
    scenario = Scenario.objects.get(pk=validated.pk)
    assert (scenario.state, scenario.edubase_url, scenario.published_by) == (ScenarioState.PUBLISHED, EDUBASE, person)
    assert scenario.published_at is not None
    assert emails("publiée") == [(group_addresses(group), "Séquence TraAM publiée : Fractions en 6e")]


def test_publishing_without_an_edubase_address(validated, pilot):
    services.publish(validated, acting_user=pilot)
    assert Scenario.objects.get(pk=validated.pk).edubase_url == ""


@pytest.mark.parametrize("url", [
    "http://edubase.eduscol.education.fr/fiche/12345",
    "https://edubase.example.org/fiche/12345",
    "https://edubase.eduscol.education.fr/recherche?q=x",
    "javascript:alert(1)",
    "pas une adresse",
])
def test_a_bad_edubase_address_is_refused(validated, pilot, url):
    assert refused_by_field(services.publish, validated, acting_user=pilot, edubase_url=url) == {
        "edubase_url": ["L'adresse Édubase doit être celle d'une fiche, par exemple https://edubase.eduscol.education.fr/fiche/12345."],
    }
    assert Scenario.objects.get(pk=validated.pk).state == ScenarioState.VALIDATED


def test_the_edubase_address_is_set_later(published_scenario, pilot):
    services.set_edubase_url(published_scenario, "https://edubase.eduscol.education.fr/fiche/777", acting_user=pilot)
    assert Scenario.objects.get(pk=published_scenario.pk).edubase_url == "https://edubase.eduscol.education.fr/fiche/777"
    assert history(published_scenario).first().comment == "Adresse Édubase : https://edubase.eduscol.education.fr/fiche/777"
    services.set_edubase_url(published_scenario, "", acting_user=pilot)
    assert Scenario.objects.get(pk=published_scenario.pk).edubase_url == ""


def test_the_full_history_reads_in_order(published_scenario):
    assert [(e.from_state, e.to_state) for e in reversed(history(published_scenario)) if e.action == AuditAction.STATE_CHANGED] == [
        ("draft", "tested"), ("tested", "submitted"), ("submitted", "validated"), ("validated", "published"),
    ]


def test_reference_ids_are_checked(scenario, teacher_grenoble):
    levels = ids(ClassLevel, "college", "lycee-gt")
    services.save_scenario(scenario, {"class_levels": levels, "crcn_competences": ids(CrcnCompetence, "1.3", "4.2")},
                           acting_user=teacher_grenoble, expected_version=1)
    assert sorted(scenario.class_levels.values_list("pk", flat=True)) == sorted(levels)
