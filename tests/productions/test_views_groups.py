"""The working groups' pages, through HTTP: the list of the groups a person
follows, a group with its members (managed by the piloting inspector and the
pilot), its composition and its scenarios, and the national groups. Every page
as each role: a member teacher, the piloting inspector, another inspector of
the academy, an inspector of another academy, the academy's CARDIE
representative and DAN, another academy's DAN, other teachers, a reviewer, the
pilot, anonymous."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from productions import services
from productions.models import GroupMember, NationalGroup, Scenario, WorkingGroup
from tests.factories import make_user
from tests.productions.conftest import CARDIE, INSPECTOR, REFERENT, REFERENT_ROLE, TEACHER, member_of, roles
from tests.selection.conftest import make_sent
from tests.utils import text_of
from traam.enums import Role
from traam.models import Academy, Entry, Theme

LOGIN = "/comptes/login/"
SCRIPT = "<script>alert('x')</script>"
LIST_URL = "/groupes/"
NATIONAL_LIST_URL = "/groupes/nationaux/"
GRENOBLE_TITLE = "Différencier avec MathALÉA"
LYON_TITLE = "Plans de travail au collège"

# Who sees the Grenoble group, and who manages its members.
SEE = [
    "teacher_grenoble", "colleague_grenoble", "cardie_grenoble", "inspector_maths_grenoble", "other_inspector_grenoble",
    "other_cardie_grenoble", "dan_grenoble", "pilot",
]
MANAGE = ["inspector_maths_grenoble", "other_inspector_grenoble", "pilot"]
HIDDEN_FROM = ["inspector_maths_lyon", "dan_lyon", "teacher_lyon", "other_teacher_grenoble", "reviewer_maths", "stranger"]


@pytest.fixture
def other_teacher_grenoble(grenoble):
    return make_user("autre.prof@example.test", Role.TEACHER, academy=grenoble)


@pytest.fixture
def other_cardie_grenoble(grenoble):
    """A CARDIE representative of Grenoble who is not in the group."""
    return make_user("cardie.2@example.test", Role.CARDIE, academy=grenoble)


@pytest.fixture
def national(groups):
    return NationalGroup.objects.get(entry__code="mathematiques")


@pytest.fixture
def igesr(national, pilot, maths):
    """The IGÉSR member of the mathematics national group (the pilot is its expert)."""
    person = make_user("igesr@example.test", Role.REVIEWER, disciplines=[maths], first_name="Hélène", last_name="Roussel")
    services.set_national_members(national, acting_user=pilot, igesr=person, experts=[pilot])
    return person


def group_url(group):
    return reverse("productions:group", args=[group.pk])


def as_user(client, person):
    client.force_login(person)
    return client


def reload(group):
    return WorkingGroup.objects.get(pk=group.pk)


def member_data(**values):
    data = {"first_name": "Zoé", "last_name": "Roux", "email": "zoe.roux@ac-grenoble.fr", "uai": "0380023U", "role": TEACHER}
    data.update(values)
    return {f"member-{key}": value for key, value in data.items()}


# --- URLs ----------------------------------------------------------------------------------------


def test_urls():
    assert reverse("productions:group_list") == LIST_URL
    assert reverse("productions:group", args=[7]) == "/groupes/7/"
    assert reverse("productions:member_add", args=[7]) == "/groupes/7/membres/ajouter/"
    assert reverse("productions:member_role", args=[7, 3]) == "/groupes/7/membres/3/role/"
    assert reverse("productions:member_remove", args=[7, 3]) == "/groupes/7/membres/3/retirer/"
    assert reverse("productions:scenario_create", args=[7]) == "/groupes/7/sequences/nouvelle/"
    assert reverse("productions:national_group_list") == NATIONAL_LIST_URL
    assert reverse("productions:national_group", args=[7]) == "/groupes/national/7/"


# --- The list ------------------------------------------------------------------------------------


def test_a_member_finds_their_group_under_mes_groupes(client, group, group_lyon, teacher_grenoble):
    page = text_of(as_user(client, teacher_grenoble).get(LIST_URL))
    assert "Mes groupes" in page
    assert GRENOBLE_TITLE in page and LYON_TITLE not in page
    assert "enseignant·e" in page  # their role
    assert "conforme" in page and "0 séquence" in page
    assert "Les groupes que vous suivez" not in page  # nothing beyond their own


def test_the_piloting_inspector_sees_what_waits_for_them(client, submitted_scenario, group, inspector_maths_grenoble):
    page = text_of(as_user(client, inspector_maths_grenoble).get(LIST_URL))
    assert "Séquences à valider" in page and submitted_scenario.title in page
    assert "vous pilotez ce groupe" in page
    assert "1 à valider" in page
    assert "1 soumise pour validation" in page


@pytest.mark.parametrize(
    ("who", "sees_grenoble", "sees_lyon", "section"),
    [
        ("other_inspector_grenoble", True, False, "Les groupes que vous suivez"),
        ("inspector_maths_lyon", False, True, "Mes groupes"),  # the Lyon group's piloting inspector
        ("other_cardie_grenoble", True, False, "Les groupes que vous suivez"),
        ("dan_grenoble", True, False, "Les groupes que vous suivez"),
        ("dan_lyon", False, True, "Les groupes que vous suivez"),
        ("pilot", True, True, "Les groupes que vous suivez"),
    ],
)
def test_the_groups_followed_by_role(request, client, group, group_lyon, who, sees_grenoble, sees_lyon, section):
    page = text_of(as_user(client, request.getfixturevalue(who)).get(LIST_URL))
    assert (GRENOBLE_TITLE in page, LYON_TITLE in page) == (sees_grenoble, sees_lyon)
    assert section in page


@pytest.mark.parametrize("who", ["other_teacher_grenoble", "reviewer_maths", "stranger"])
def test_people_without_groups_see_an_empty_list(request, client, group, group_lyon, who):
    response = as_user(client, request.getfixturevalue(who)).get(LIST_URL)
    assert response.status_code == 200
    page = text_of(response)
    assert GRENOBLE_TITLE not in page and LYON_TITLE not in page
    assert "Vous ne faites partie d'aucun groupe de travail" in page


def test_anonymous_people_are_sent_to_the_login_page(client, group, national):
    for url in (LIST_URL, group_url(group), NATIONAL_LIST_URL, reverse("productions:national_group", args=[national.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(LOGIN), url
    for url in (reverse("productions:member_add", args=[group.pk]), reverse("productions:scenario_create", args=[group.pk])):
        response = client.post(url, {})
        assert response.status_code == 302 and response.url.startswith(LOGIN), url


def test_the_list_shows_composition_problems_and_filters_on_them(client, group, group_lyon, cardie_grenoble, pilot):
    services.remove_member(member_of(group, cardie_grenoble.email), acting_user=pilot)
    client.force_login(pilot)
    page = text_of(client.get(LIST_URL))
    assert "à compléter" in page
    assert "Le groupe doit compter exactement un·e représentant·e CARDIE (actuellement : 0)." in page
    incomplete = text_of(client.get(LIST_URL, {"composition": "a-completer"}))
    assert GRENOBLE_TITLE in incomplete and LYON_TITLE not in incomplete
    complete = text_of(client.get(LIST_URL, {"composition": "conforme"}))
    assert GRENOBLE_TITLE not in complete and LYON_TITLE in complete


def test_the_pilot_filters_by_academy_entry_and_call(client, group, group_lyon, call, pilot, grenoble):
    client.force_login(pilot)
    page = text_of(client.get(LIST_URL, {"academy": grenoble.pk}))
    assert GRENOBLE_TITLE in page and LYON_TITLE not in page
    assert "1 groupe" in page
    entry = Entry.objects.get(call=call, code="mathematiques")
    both = text_of(client.get(LIST_URL, {"entry": entry.pk, "call": call.pk}))
    assert GRENOBLE_TITLE in both and LYON_TITLE in both
    assert "Mathématiques (2026-2027)" in both  # the entry's choice names its year
    nsi = Entry.objects.get(call=call, code="nsi")
    # An entry without any group is not among the choices: a French error beside the filter.
    refused = text_of(client.get(LIST_URL, {"entry": nsi.pk}))
    assert 'id="id_entry-error" class="fr-error-text">Sélectionnez un choix valide.' in refused


def test_the_list_counts_scenarios_by_state(client, validated, group, teacher_grenoble):
    services.create_scenario(group, acting_user=teacher_grenoble, title="Deuxième séquence")
    page = text_of(as_user(client, teacher_grenoble).get(LIST_URL))
    assert "2 séquences" in page
    assert "1 brouillon, 1 validée" in page


def make_counting_groups(count, member, *, academy_code="grenoble"):
    """Groups created directly (a shortcut for counting): each with its member
    and two scenarios."""
    theme = Theme.objects.get(entry__call__year="2026-2027", entry__code="mathematiques")
    academy = Academy.objects.get(code=academy_code)
    for number in range(count):
        proposal = make_sent(theme, academy, f"Projet de comptage n°{number}")
        group = WorkingGroup.objects.create(
            proposal=proposal, call=theme.entry.call, entry=theme.entry, academy=academy, title=f"Groupe de comptage n°{number}",
        )
        GroupMember.objects.create(group=group, first_name="A", last_name="B", email=member.email, role=TEACHER, user=member)
        for index in range(2):
            Scenario.objects.create(group=group, slug=f"comptage-{academy_code}-{number}-{index}", title=f"Séquence {number}-{index}")


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_is_paginated_with_a_bounded_number_of_queries(client, group, pilot, teacher_grenoble, django_assert_max_num_queries):
    client.force_login(pilot)
    make_counting_groups(2, teacher_grenoble)
    few = queries_for(client, LIST_URL)
    make_counting_groups(40, teacher_grenoble, academy_code="lyon")
    assert queries_for(client, LIST_URL) == few
    with django_assert_max_num_queries(20):
        first = client.get(LIST_URL)
    first = text_of(first)
    assert "44 groupes" in first and "1 / 2" in first
    second = text_of(client.get(LIST_URL, {"page": 2}))
    rows = [page.count("Groupe de comptage n°") + (GRENOBLE_TITLE in page) + (LYON_TITLE in page) for page in (first, second)]
    assert rows == [30, 14]
    # A member of many groups: « Mes groupes » does not grow the queries either.
    client.force_login(teacher_grenoble)
    with django_assert_max_num_queries(20):
        mine = text_of(client.get(LIST_URL))
    assert mine.count("Groupe de comptage n°") == 42


def test_html_in_titles_and_names_is_escaped(client, group, pilot, inspector_maths_grenoble):
    WorkingGroup.objects.filter(pk=group.pk).update(title=SCRIPT)
    services.add_member(group, acting_user=inspector_maths_grenoble, first_name=SCRIPT, last_name="Roux", email="zoe@example.test", role=TEACHER)
    services.create_scenario(group, acting_user=inspector_maths_grenoble, title=SCRIPT)
    client.force_login(pilot)
    for url in (LIST_URL, group_url(group)):
        raw = client.get(url).content.decode()
        assert SCRIPT not in raw, url
        assert "&lt;script&gt;" in raw, url


# --- A group ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", SEE)
def test_who_sees_the_group(request, client, group, who, other_inspector_grenoble, other_cardie_grenoble):
    response = as_user(client, request.getfixturevalue(who)).get(group_url(group))
    assert response.status_code == 200
    page = text_of(response)
    assert page.count("<h1") == 1 and GRENOBLE_TITLE in page
    assert "ines.morel@ac-grenoble.fr" in page and "0381234K" in page and "enseignant·e référent·e" in page
    assert "Historique" in page and "Groupe constitué à partir de la candidature sélectionnée" in page
    manages = reverse("productions:member_add", args=[group.pk]) in page
    assert manages == (who in MANAGE)
    assert ("Créer la séquence" in page) == (who in ["teacher_grenoble", "colleague_grenoble", "cardie_grenoble", "inspector_maths_grenoble"])


@pytest.mark.parametrize("who", HIDDEN_FROM)
def test_others_do_not_learn_the_group_exists(request, client, group, group_lyon, who, other_teacher_grenoble):
    client.force_login(request.getfixturevalue(who))
    assert client.get(group_url(group)).status_code == 404
    assert client.post(reverse("productions:member_add", args=[group.pk]), member_data()).status_code == 404
    assert client.post(reverse("productions:scenario_create", args=[group.pk]), {"title": "Intrusion"}).status_code == 404
    assert group.members.count() == 5 and not Scenario.objects.exists()


def test_the_group_page_shows_the_composition_alert(client, group, cardie_grenoble, colleague_grenoble, pilot, teacher_grenoble):
    client.force_login(teacher_grenoble)
    assert "La composition du groupe est conforme" in text_of(client.get(group_url(group)))
    services.remove_member(member_of(group, cardie_grenoble.email), acting_user=pilot)
    services.remove_member(member_of(group, colleague_grenoble.email), acting_user=pilot)
    page = text_of(client.get(group_url(group)))
    assert "Composition à compléter" in page
    assert "Le groupe doit compter au moins 3 enseignant·es qui mènent des séquences en classe, référent·e compris·e (actuellement : 2)." in page
    assert "Le groupe doit compter exactement un·e représentant·e CARDIE (actuellement : 0)." in page


def test_the_group_page_links_the_proposal_and_the_national_group(client, group, igesr, teacher_grenoble, pilot, national):
    national_url = reverse("productions:national_group", args=[national.pk])
    proposal_url = reverse("candidatures:detail", args=[group.proposal_id])
    teacher_page = text_of(as_user(client, teacher_grenoble).get(group_url(group)))
    assert proposal_url in teacher_page and national_url not in teacher_page
    assert national_url in text_of(as_user(client, pilot).get(group_url(group)))


# --- Members ------------------------------------------------------------------------------------------


def test_the_piloting_inspector_adds_a_member(client, group, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    response = client.post(reverse("productions:member_add", args=[group.pk]), member_data(email="Zoe.Roux@ac-grenoble.fr"), follow=True)
    assert response.redirect_chain[-1][0] == group_url(group)
    assert "Zoé Roux est ajouté·e au groupe (enseignant·e)." in text_of(response)
    added = member_of(group, "zoe.roux@ac-grenoble.fr")
    assert (added.role, added.uai) == (TEACHER, "0380023U")


def test_a_new_referent_takes_over(client, group, inspector_maths_grenoble, national):
    client.force_login(inspector_maths_grenoble)
    client.post(reverse("productions:member_add", args=[group.pk]), member_data(role=REFERENT_ROLE))
    assert member_of(group, "zoe.roux@ac-grenoble.fr").role == REFERENT_ROLE
    assert member_of(group, REFERENT).role == TEACHER
    page = text_of(client.get(group_url(group)))
    assert "(Inès Morel devient enseignant·e)" in page  # the history says so
    assert "zoe.roux@ac-grenoble.fr" in national.members.values_list("email", flat=True)


def test_a_refused_member_is_shown_beside_the_fields_with_what_was_typed(client, group, inspector_maths_grenoble, teacher_grenoble):
    client.force_login(inspector_maths_grenoble)
    response = client.post(
        reverse("productions:member_add", args=[group.pk]), member_data(first_name="", email="pas-une-adresse", uai="123", role=""),
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "La modification n'a pas été enregistrée" in page
    assert "Indiquez le prénom." in page
    assert "L'adresse électronique « pas-une-adresse » n'est pas valide." in page
    assert "Choisissez son rôle dans le groupe." in page
    assert 'value="pas-une-adresse"' in page and 'value="Roux"' in page
    assert 'id="id_member-email-error"' in page  # beside the field
    duplicate = text_of(client.post(reverse("productions:member_add", args=[group.pk]), member_data(email=teacher_grenoble.email)))
    assert f"{teacher_grenoble.email} fait déjà partie du groupe." in duplicate
    too_long = text_of(client.post(reverse("productions:member_add", args=[group.pk]), member_data(last_name="x" * 151)))
    assert "au plus 150 caractères" in too_long
    assert group.members.count() == 5


@pytest.mark.parametrize("who", ["teacher_grenoble", "cardie_grenoble", "dan_grenoble", "other_cardie_grenoble"])
def test_readers_do_not_manage_members(request, client, group, who, other_cardie_grenoble):
    client.force_login(request.getfixturevalue(who))
    teacher = member_of(group, REFERENT)
    assert client.post(reverse("productions:member_add", args=[group.pk]), member_data()).status_code == 403
    assert client.post(reverse("productions:member_role", args=[group.pk, teacher.pk]), {"role": TEACHER}).status_code == 403
    assert client.post(reverse("productions:member_remove", args=[group.pk, teacher.pk])).status_code == 403
    assert group.members.count() == 5 and member_of(group, REFERENT).role == REFERENT_ROLE


def test_the_pilot_changes_a_role(client, group, pilot, colleague_grenoble):
    client.force_login(pilot)
    colleague = member_of(group, colleague_grenoble.email)
    response = client.post(reverse("productions:member_role", args=[group.pk, colleague.pk]), {"role": REFERENT_ROLE}, follow=True)
    assert response.redirect_chain[-1][0] == group_url(group)
    assert "est désormais enseignant·e référent·e." in text_of(response)
    assert (member_of(group, colleague_grenoble.email).role, member_of(group, REFERENT).role) == (REFERENT_ROLE, TEACHER)


def test_a_refused_role_change_is_shown_beside_the_member(client, group, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    referent = member_of(group, REFERENT)
    response = client.post(reverse("productions:member_role", args=[group.pk, referent.pk]), {"role": TEACHER})
    assert response.status_code == 200
    page = text_of(response)
    assert "Inès Morel est l'enseignant·e référent·e du groupe : désignez d'abord la personne qui lui succède" in page
    assert f'id="member-{referent.pk}-error"' in page
    bad = text_of(client.post(reverse("productions:member_role", args=[group.pk, referent.pk]), {"role": "chef"}))
    assert "Choisissez son rôle dans le groupe." in bad
    assert member_of(group, REFERENT).role == REFERENT_ROLE


def test_removing_members(client, group, inspector_maths_grenoble, colleague_grenoble):
    client.force_login(inspector_maths_grenoble)
    colleague = member_of(group, colleague_grenoble.email)
    response = client.post(reverse("productions:member_remove", args=[group.pk, colleague.pk]), follow=True)
    assert f"{colleague.full_name} est retiré·e du groupe." in text_of(response)
    assert not group.members.filter(email=colleague_grenoble.email).exists()
    # The referent and the last piloting inspector stay until someone takes over.
    for email, message in (
        (REFERENT, "désignez d'abord la personne qui lui succède"),
        (inspector_maths_grenoble.email, "le groupe ne peut pas rester sans pilote"),
    ):
        member = member_of(group, email)
        refused = client.post(reverse("productions:member_remove", args=[group.pk, member.pk]))
        assert refused.status_code == 200 and message in text_of(refused)
    assert sorted(role for _email, role in roles(group)) == sorted([TEACHER, REFERENT_ROLE, CARDIE, INSPECTOR])


def test_a_member_of_another_group_is_not_found(client, group, group_lyon, pilot, teacher_lyon):
    client.force_login(pilot)
    lyon_member = member_of(group_lyon, teacher_lyon.email)
    assert client.post(reverse("productions:member_remove", args=[group.pk, lyon_member.pk])).status_code == 404
    assert client.post(reverse("productions:member_role", args=[group.pk, lyon_member.pk]), {"role": CARDIE}).status_code == 404
    assert member_of(group_lyon, teacher_lyon.email).role == TEACHER


def test_membership_pages_are_post_only(client, group, pilot):
    client.force_login(pilot)
    member = member_of(group, REFERENT)
    for url in (
        reverse("productions:member_add", args=[group.pk]),
        reverse("productions:member_role", args=[group.pk, member.pk]),
        reverse("productions:member_remove", args=[group.pk, member.pk]),
        reverse("productions:scenario_create", args=[group.pk]),
    ):
        assert client.get(url).status_code == 405, url


# --- Creating a scenario from the group's page --------------------------------------------------------------


def test_a_member_starts_a_scenario(client, group, colleague_grenoble):
    client.force_login(colleague_grenoble)
    response = client.post(reverse("productions:scenario_create", args=[group.pk]), {"title": "  Fractions en 6e  "}, follow=True)
    scenario = Scenario.objects.get(group=group)
    assert response.redirect_chain[-1][0] == reverse("productions:scenario_edit", args=[scenario.pk])
    assert "La séquence est créée" in text_of(response)
    assert (scenario.title, scenario.state, scenario.created_by) == ("Fractions en 6e", "draft", colleague_grenoble)
    assert scenario.title in text_of(client.get(group_url(group)))


def test_a_scenario_needs_a_title(client, group, teacher_grenoble):
    client.force_login(teacher_grenoble)
    for title, message in (("", "Indiquez le titre de la séquence."), ("x" * 301, "Le titre compte 300 caractères au plus.")):
        response = client.post(reverse("productions:scenario_create", args=[group.pk]), {"title": title})
        assert response.status_code == 200
        page = text_of(response)
        assert message in page and 'id="new-scenario-title-error"' in page
    assert not Scenario.objects.exists()


@pytest.mark.parametrize("who", ["dan_grenoble", "other_inspector_grenoble", "pilot", "other_cardie_grenoble"])
def test_only_members_start_scenarios(request, client, group, who, other_inspector_grenoble, other_cardie_grenoble):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("productions:scenario_create", args=[group.pk]), {"title": "Fractions"}).status_code == 403
    assert not Scenario.objects.exists()


# --- National groups ----------------------------------------------------------------------------------------


def national_url(national):
    return reverse("productions:national_group", args=[national.pk])


def test_the_pilot_lists_every_national_group(client, national, igesr, pilot):
    page = text_of(as_user(client, pilot).get(NATIONAL_LIST_URL))
    assert "Mathématiques" in page and national_url(national) in page
    assert "conforme" in page and "1 expert·e" in page


def test_a_member_lists_their_national_group_only(client, national, igesr, teacher_grenoble):
    assert national_url(national) in text_of(as_user(client, igesr).get(NATIONAL_LIST_URL))
    page = text_of(as_user(client, teacher_grenoble).get(NATIONAL_LIST_URL))
    assert national_url(national) not in page and "Vous ne faites partie d'aucun groupe national." in page


def test_a_national_member_sees_the_entrys_groups_and_scenarios(client, national, igesr, group, group_lyon, submitted_scenario, teacher_lyon):
    services.create_scenario(group_lyon, acting_user=teacher_lyon, title="Plans de travail : premier jet")
    client.force_login(igesr)
    page = text_of(client.get(national_url(national)))
    assert "Groupe national — Mathématiques" in page
    assert "Hélène Roussel" in page and "ines.morel@ac-grenoble.fr" in page
    assert GRENOBLE_TITLE in page and LYON_TITLE in page
    assert submitted_scenario.title in page and "Plans de travail : premier jet" in page
    assert "soumise pour validation" in page and "brouillon" in page
    assert "Désigner l'IGÉSR" not in page
    # And reads both groups and their scenarios.
    assert client.get(group_url(group_lyon)).status_code == 200
    assert client.get(reverse("productions:scenario", args=[submitted_scenario.pk])).status_code == 200
    assert GRENOBLE_TITLE in text_of(client.get(LIST_URL))


@pytest.mark.parametrize("who", ["teacher_grenoble", "inspector_maths_grenoble", "dan_grenoble", "reviewer_maths", "stranger"])
def test_others_do_not_see_the_national_group(request, client, national, igesr, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(national_url(national)).status_code == 404
    assert client.post(national_url(national), {"national-igesr": igesr.pk, "national-expert": igesr.pk}).status_code == 404


def test_the_pilot_names_the_igesr_member_and_the_experts(client, national, pilot, maths):
    igesr = make_user("igesr.2@example.test", Role.REVIEWER, disciplines=[maths], first_name="Marc", last_name="Igesr")
    expert = make_user("expert.2@example.test", Role.REVIEWER, disciplines=[maths], first_name="Lina", last_name="Experte")
    client.force_login(pilot)
    page = text_of(client.get(national_url(national)))
    assert "Désigner l'IGÉSR et les expert·es" in page and "Marc Igesr (igesr.2@example.test)" in page
    response = client.post(
        national_url(national), {"national-igesr": igesr.pk, "national-expert": expert.pk, "national-second_expert": ""}, follow=True,
    )
    assert "Les membres du groupe national sont enregistrés." in text_of(response)
    assert sorted(national.members.exclude(role="referent").values_list("role", "email")) == [
        ("igesr", "igesr.2@example.test"), ("tn3_expert", "expert.2@example.test"),
    ]
    assert "IGÉSR : Marc Igesr ; expert·es TN3 : Lina Experte" in text_of(response)


def test_a_refused_national_group_is_shown_beside_the_fields(client, national, igesr, pilot):
    client.force_login(pilot)
    response = client.post(national_url(national), {"national-igesr": "", "national-expert": igesr.pk})
    assert response.status_code == 200
    page = text_of(response)
    assert "Choisissez le ou la membre de l'IGÉSR du groupe national." in page
    same = text_of(client.post(national_url(national), {"national-igesr": igesr.pk, "national-expert": igesr.pk}))
    assert "Une même personne ne peut pas occuper deux places du groupe national." in same
    assert 'id="id_national-expert-error"' in same
    unknown = text_of(client.post(national_url(national), {"national-igesr": 999999, "national-expert": igesr.pk}))
    assert "Choisissez une personne de la liste." in unknown
    assert national.members.get(role="igesr").user == igesr


def test_a_national_member_does_not_name_the_members(client, national, igesr, pilot):
    client.force_login(igesr)
    assert client.post(national_url(national), {"national-igesr": igesr.pk, "national-expert": igesr.pk}).status_code == 403
    assert national.members.get(role="tn3_expert").user == pilot


def test_the_national_page_runs_a_bounded_number_of_queries(client, national, igesr, pilot, teacher_grenoble, django_assert_max_num_queries):
    client.force_login(pilot)
    make_counting_groups(2, teacher_grenoble)
    few = queries_for(client, national_url(national))
    make_counting_groups(20, teacher_grenoble, academy_code="lyon")
    assert queries_for(client, national_url(national)) == few
    with django_assert_max_num_queries(20):
        page = text_of(client.get(national_url(national)))
    assert page.count("Groupe de comptage n°") == 22
    with django_assert_max_num_queries(12):
        client.get(NATIONAL_LIST_URL)


def test_the_group_page_runs_a_bounded_number_of_queries(client, group, pilot, teacher_grenoble, django_assert_max_num_queries):
    client.force_login(pilot)
    few = queries_for(client, group_url(group))
    for number in range(15):
        services.add_member(group, acting_user=pilot, first_name="P", last_name=f"N{number}", email=f"p{number}@example.test", role=TEACHER)
        services.create_scenario(group, acting_user=teacher_grenoble, title=f"Séquence n°{number}")
    assert queries_for(client, group_url(group)) == few
    with django_assert_max_num_queries(16):
        page = text_of(client.get(group_url(group)))
    assert page.count("Séquence n°") == 15
