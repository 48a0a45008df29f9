"""The production year's progress dashboards and calendar through HTTP.

Progress (``productions:progress``): the piloting inspector sees the groups
of their academy × disciplines, a DAN/DRAN their academies', a member of a
national group their entry's, the national pilot all of them (with filters);
teachers, CARDIE representatives, reviewers and people without a role get
403, anonymous visitors the login page. Calendar (``productions:calendar``):
read by everyone involved in the call's groups, edited by the pilot only.

The pages reason on ``views_progress.today()``, pinned here to 20 November
2026 (during the production)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidatures.enums import TeamRole
from productions import services, views_progress
from productions.enums import MilestoneKind, ScenarioState
from productions.models import GroupMember, Milestone, NationalGroup, Scenario, WorkingGroup
from tests.factories import make_user
from tests.productions.conftest import TODAY
from tests.selection.conftest import make_sent
from tests.utils import text_of
from traam.enums import Role
from traam.models import Academy, Call

LOGIN = "/comptes/login/"
YEAR = "2026-2027"
SCRIPT = "<script>alert('x')</script>"
GRENOBLE = "Différencier avec MathALÉA"
LYON = "Plans de travail au collège"
D = datetime.date


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(views_progress, "today", lambda: TODAY)


@pytest.fixture
def paris(db):
    return Academy.objects.get(code="paris")


@pytest.fixture
def teacher_paris(paris):
    """A teacher in no working group."""
    return make_user("prof.paris@example.test", Role.TEACHER, academy=paris)


@pytest.fixture
def igesr_member(groups, call, pilot, maths):
    """The IGÉSR member of the mathematics national group."""
    igesr = make_user("igesr@example.test", Role.REVIEWER, disciplines=[maths])
    expert = make_user("expert.tn3@example.test", Role.REVIEWER, disciplines=[maths])
    services.set_national_members(NationalGroup.objects.get(call=call, entry__code="mathematiques"), acting_user=pilot, igesr=igesr, experts=[expert])
    return igesr


@pytest.fixture
def step(groups, call, pilot):
    """A milestone passed a week before « today »: one scenario tested, at least."""
    return services.add_milestone(
        call, acting_user=pilot, kind=MilestoneKind.STEP, label="Première séquence expérimentée", due_on=D(2026, 11, 13),
        expected_scenarios=1, expected_state=ScenarioState.TESTED,
    )


@pytest.fixture
def lyon_draft(group_lyon, teacher_lyon):
    return services.create_scenario(group_lyon, acting_user=teacher_lyon, title="Brouillon lyonnais")


def progress_url(year=YEAR, **filters):
    url = reverse("productions:progress", args=[year]) if year else reverse("productions:progress")
    return url + ("?" + "&".join(f"{key}={value}" for key, value in filters.items()) if filters else "")


def calendar_url(year=YEAR):
    return reverse("productions:calendar", args=[year])


def titles(response):
    return [row.group.title for row in response.context["rows"]]


def table(html, caption):
    """The rows (cells' texts) of the table with this caption."""
    found = re.search(r"<table[^>]*>\s*<caption[^>]*>" + re.escape(caption) + r"</caption>(.*?)</table>", html, re.S)
    rows = re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
    return [[" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


# --- Progress: who sees what ------------------------------------------------------------------


@pytest.mark.parametrize("who, expected", [
    ("inspector_maths_grenoble", [GRENOBLE]),
    ("inspector_maths_lyon", [LYON]),
    ("inspector_nsi_grenoble", []),
    ("dan_grenoble", [GRENOBLE]),
    ("dan_lyon", [LYON]),
    ("dran_ara", [GRENOBLE, LYON]),
    ("igesr_member", [GRENOBLE, LYON]),
    ("pilot", [GRENOBLE, LYON]),
])
def test_each_follower_sees_their_groups(request, client, groups, who, expected):
    client.force_login(request.getfixturevalue(who))
    response = client.get(progress_url())
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(expected)
    if not expected:
        assert "Aucun groupe de travail à suivre pour cet appel." in text_of(response)


@pytest.mark.parametrize("who", ["teacher_grenoble", "teacher_paris", "cardie_grenoble", "reviewer_maths", "stranger"])
def test_the_others_are_refused(request, client, groups, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(progress_url()).status_code == 403
    assert client.get(progress_url(None)).status_code == 403


def test_anonymous_visitors_are_asked_to_sign_in(client, groups):
    for url in (progress_url(), progress_url(None)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_the_home_shows_the_call_at_work_and_unknown_calls_are_missing(client, groups, pilot):
    client.force_login(pilot)
    assert client.get(progress_url(None)).context["call"].year == YEAR
    assert client.get(progress_url("1999-2000")).status_code == 404


# --- Progress: the figures -------------------------------------------------------------------


def test_scenarios_per_state_milestones_and_composition(client, step, tested, lyon_draft, pilot):
    client.force_login(pilot)
    response = client.get(progress_url())
    page = text_of(response)
    context = response.context
    assert (context["count"], context["scenarios"], context["published"], context["behind"], context["incomplete"]) == (2, 2, 0, 1, 0)
    # The chart's own table: the same numbers as the bars.
    assert table(page, "Séquences de chaque groupe, par état") == [
        ["Groupe de travail", "Brouillon", "Expérimentée en classe", "À reprendre", "Soumise pour validation", "Validée", "Publiée", "Total",
         "Séquences attendues en fin d'année"],
        [f"Grenoble — {GRENOBLE}", "0", "1", "0", "0", "0", "0", "1", "3"],
        [f"Lyon — {LYON}", "1", "0", "0", "0", "0", "0", "1", "3"],
        ["Total", "1", "1", "0", "0", "0", "0", "2", ""],
    ]
    assert table(page, "Séquences de tous les groupes, par état")[1:3] == [["Brouillon", "1"], ["Expérimentée en classe", "1"]]
    assert 'role="img"' in page and "<title id=\"progress-chart-title\">Séquences de chaque groupe, par état</title>" in page
    rows = table(page, "Avancement de chaque groupe de travail au regard du calendrier")
    grenoble, lyon = rows[1], rows[2]
    assert grenoble[0].startswith(GRENOBLE) and grenoble[1].startswith("1 / 3 attendues")
    assert "2 atteints" in grenoble[2] and "en retard" not in grenoble[2]
    # Lyon missed the step of 13 November: 0 of 1 tested.
    assert "EN RETARD" in lyon[2].upper() and "Première séquence expérimentée (13 novembre : 0/1)" in lyon[2]
    assert grenoble[4] == lyon[4] == "complète"
    assert "Prochain jalon" in page and "15 janvier 2027" in page  # the mid-term review


def test_the_last_activity_and_a_composition_to_complete(client, groups, group, scenario, pilot, inspector_maths_grenoble, cardie_grenoble):
    services.remove_member(group.members.get(email=cardie_grenoble.email), acting_user=inspector_maths_grenoble)
    Scenario.objects.filter(pk=scenario.pk).update(updated_at=datetime.datetime(2026, 11, 18, 15, 0, tzinfo=datetime.UTC))
    client.force_login(pilot)
    response = client.get(progress_url())
    rows = table(text_of(response), "Avancement de chaque groupe de travail au regard du calendrier")
    grenoble = next(row for row in rows if row[0].startswith(GRENOBLE))
    assert grenoble[3] == "18 novembre 2026"
    assert grenoble[4] == "à compléter Le groupe doit compter exactement un·e représentant·e CARDIE (actuellement : 0)."
    assert response.context["incomplete"] == 1


def test_the_pilot_filters_by_entry_academy_and_delay(client, step, tested, lyon_draft, pilot):
    client.force_login(pilot)
    assert titles(client.get(progress_url(academy="lyon"))) == [LYON]
    assert titles(client.get(progress_url(entry="mathematiques", academy="grenoble"))) == [GRENOBLE]
    assert titles(client.get(progress_url(behind="on"))) == [LYON]
    assert "Aucun groupe ne correspond à ces filtres." in text_of(client.get(progress_url(academy="grenoble", behind="on")))
    # An unknown value is ignored rather than refused.
    assert sorted(titles(client.get(progress_url(academy="atlantide")))) == sorted([GRENOBLE, LYON])


def test_an_inspector_keeps_the_groups_they_pilot(client, groups, group, other_inspector_grenoble, inspector_maths_grenoble):
    client.force_login(other_inspector_grenoble)  # reads the academy's maths groups, pilots none
    response = client.get(progress_url())
    assert titles(response) == [GRENOBLE] and "piloted" not in response.context["form"].fields
    client.force_login(inspector_maths_grenoble)
    response = client.get(progress_url(piloted="on"))
    assert titles(response) == [GRENOBLE] and "vous pilotez" in text_of(response)


def test_titles_are_escaped(client, groups, group, pilot):
    WorkingGroup.objects.filter(pk=group.pk).update(title=SCRIPT)
    client.force_login(pilot)
    page = client.get(progress_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def add_groups(call, count):
    """More mathematics groups with members and scenarios (a shortcut for counting queries)."""
    academies = list(Academy.objects.exclude(code__in=["grenoble", "lyon"]).order_by("code")[:count])
    theme = call.entries.get(code="mathematiques").themes.first()
    for number, academy in enumerate(academies):
        proposal = make_sent(theme, academy, f"Groupe {number}")
        group = WorkingGroup.objects.create(proposal=proposal, call=call, entry=theme.entry, academy=academy, title=f"Groupe {number}")
        for role in (TeamRole.TEACHER, TeamRole.REFERENT, TeamRole.CARDIE, TeamRole.INSPECTOR):
            GroupMember.objects.create(group=group, first_name="A", last_name=role, email=f"{role}.{number}@example.test", role=role)
        for state in ScenarioState.values:
            published_at = datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC) if state == ScenarioState.PUBLISHED else None
            Scenario.objects.create(group=group, slug=f"groupe-{number}-{state}", title=state, state=state, published_at=published_at)


def test_the_number_of_queries_does_not_grow_with_the_groups(client, step, tested, call, pilot):
    client.force_login(pilot)
    client.get(progress_url())  # sessions, roles: warm
    with CaptureQueriesContext(connection) as few:
        assert client.get(progress_url()).status_code == 200
    add_groups(call, 12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(progress_url())
    assert response.context["count"] == 14
    assert len(many) == len(few) <= 16


# --- Calendar -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [
    "pilot", "teacher_grenoble", "cardie_grenoble", "inspector_maths_grenoble", "inspector_maths_lyon", "dan_grenoble", "dan_lyon",
    "dran_ara", "igesr_member",
])
def test_the_calendar_is_read_by_everyone_involved(request, client, step, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(calendar_url())
    assert response.status_code == 200
    assert [row["milestone"].label for row in response.context["rows"]] == [
        "Lancement des groupes de travail", "Première séquence expérimentée", "Bilan de mi-parcours : premières séquences expérimentées en classe",
        "Remise des productions finales",
    ]
    assert ("Modifier le calendrier" in text_of(response)) is (who == "pilot")


@pytest.mark.parametrize("who", ["teacher_paris", "reviewer_maths", "stranger", "inspector_nsi_grenoble"])
def test_the_calendar_is_refused_to_the_others(request, client, step, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(calendar_url()).status_code == 403


def test_anonymous_visitors_sign_in_for_the_calendar(client, step):
    for url in (calendar_url(), reverse("productions:calendar_home")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_each_member_sees_where_their_group_stands(client, step, tested, lyon_draft, teacher_grenoble, teacher_lyon):
    client.force_login(teacher_grenoble)
    rows = table(text_of(client.get(calendar_url())), "Jalons du calendrier de production")
    assert rows[2][1:] == ["Première séquence expérimentée Étape intermédiaire", "1 séquence au moins « expérimentée en classe »", "atteint (1/1)"]
    client.force_login(teacher_lyon)
    rows = table(text_of(client.get(calendar_url())), "Jalons du calendrier de production")
    assert rows[2][3] == "en retard (0/1)"


def test_a_follower_sees_how_many_groups_reached_each_milestone(client, step, tested, lyon_draft, dran_ara):
    client.force_login(dran_ara)
    rows = table(text_of(client.get(calendar_url())), "Jalons du calendrier de production")
    assert rows[2][3] == "1 sur 2 l'a atteint 1 en retard"


def test_the_pilots_visit_sets_the_default_calendar(client, groups, call, pilot, teacher_grenoble):
    Milestone.objects.filter(call=call).delete()
    client.force_login(teacher_grenoble)
    assert "pas encore fixé" in text_of(client.get(calendar_url()))
    assert not Milestone.objects.exists()
    client.force_login(pilot)
    client.get(calendar_url())
    assert list(Milestone.objects.order_by("due_on").values_list("kind", flat=True)) == [MilestoneKind.KICK_OFF, MilestoneKind.MID_TERM, MilestoneKind.FINAL]


def test_the_pilot_adds_a_milestone(client, groups, call, pilot):
    client.force_login(pilot)
    response = client.post(reverse("productions:milestone_add", args=[YEAR]), {
        "new-label": "Dépôt des fiches élèves", "new-kind": MilestoneKind.STEP, "new-due_on": "2027-02-26", "new-expected_scenarios": "2",
        "new-expected_state": ScenarioState.SUBMITTED,
    })
    assert response.status_code == 302
    milestone = Milestone.objects.get(label="Dépôt des fiches élèves")
    assert (milestone.call, milestone.due_on, milestone.expected_scenarios, milestone.expected_state) == (call, D(2027, 2, 26), 2, ScenarioState.SUBMITTED)
    assert "Le jalon « Dépôt des fiches élèves » est ajouté au calendrier." in text_of(client.get(response.url))


def test_a_bad_milestone_gets_french_errors_beside_its_fields(client, groups, call, pilot):
    client.force_login(pilot)
    before = Milestone.objects.count()
    response = client.post(reverse("productions:milestone_add", args=[YEAR]), {
        "new-label": " ", "new-kind": MilestoneKind.STEP, "new-due_on": "2027-06-01", "new-expected_scenarios": "abc",
        "new-expected_state": ScenarioState.TESTED,
    })
    assert response.status_code == 200
    assert response.context["add_form"].errors == {
        "label": ["Indiquez l'intitulé du jalon."],
        "due_on": ["L'échéance doit tomber pendant la production, du 1 septembre 2026 au 30 avril 2027."],
        "expected_scenarios": ["Indiquez un nombre entier de 1 à 50, ou rien pour un jalon sans séquence attendue."],
    }
    page = text_of(response)
    assert '<p id="id_new-label-error" class="fr-error-text">Indiquez l\'intitulé du jalon.</p>' in page
    response = client.post(reverse("productions:milestone_add", args=[YEAR]), {
        "new-label": "X", "new-kind": "fete", "new-due_on": "2027-02-31", "new-expected_state": ScenarioState.RETURNED,
    })
    assert response.context["add_form"].errors == {
        "kind": ["Choix inconnu."], "due_on": ["Indiquez une date valide."], "expected_state": ["Choix inconnu."],
    }
    assert Milestone.objects.count() == before


def test_the_pilot_edits_and_removes_a_milestone(client, step, call, pilot):
    client.force_login(pilot)
    edit = reverse("productions:milestone_edit", args=[YEAR, step.pk])
    prefix = f"milestone-{step.pk}-"
    data = {
        prefix + "label": "Première séquence en classe", prefix + "kind": MilestoneKind.STEP, prefix + "due_on": "2026-12-11",
        prefix + "expected_scenarios": "", prefix + "expected_state": ScenarioState.TESTED,
    }
    assert client.post(edit, data).status_code == 302
    step.refresh_from_db()
    assert (step.label, step.due_on, step.expected_scenarios) == ("Première séquence en classe", D(2026, 12, 11), None)
    response = client.post(edit, {**data, prefix + "due_on": "2027-05-02"})
    assert response.status_code == 200
    bound = next(row["form"] for row in response.context["rows"] if row["milestone"].pk == step.pk)
    assert bound.errors == {"due_on": ["L'échéance doit tomber pendant la production, du 1 septembre 2026 au 30 avril 2027."]}
    assert f'id="id_{prefix}due_on-error"' in response.content.decode()
    assert client.post(reverse("productions:milestone_remove", args=[YEAR, step.pk])).status_code == 302
    assert not Milestone.objects.filter(pk=step.pk).exists()


def test_only_the_pilot_changes_the_calendar(request, client, step):
    other_call = Call.objects.create(
        year="2099-2100", title="Autre", opens_on="2099-01-01", synthesis_deadline="2099-03-31", results_on="2099-06-15",
        production_starts_on="2099-09-01", production_ends_on="2100-04-30", is_published=True,
    )
    posts = [
        (reverse("productions:milestone_add", args=[YEAR]), {"new-label": "Intrus", "new-kind": "step", "new-due_on": "2027-01-05"}),
        (reverse("productions:milestone_edit", args=[YEAR, step.pk]), {f"milestone-{step.pk}-label": "Intrus"}),
        (reverse("productions:milestone_remove", args=[YEAR, step.pk]), {}),
    ]
    for address, data in posts:
        response = client.post(address, data)
        assert response.status_code == 302 and response.url.startswith(LOGIN)
        for who in ("teacher_grenoble", "inspector_maths_grenoble", "dan_grenoble", "igesr_member", "stranger"):
            client.force_login(request.getfixturevalue(who))
            assert client.post(address, data).status_code == 403, (address, who)
        client.logout()
    assert Milestone.objects.filter(call=step.call).count() == 4
    assert Milestone.objects.get(pk=step.pk).label == "Première séquence expérimentée"
    client.force_login(request.getfixturevalue("pilot"))
    # A milestone of another call is not this call's.
    assert client.post(reverse("productions:milestone_remove", args=[other_call.year, step.pk])).status_code == 404
    assert client.get(calendar_url("1999-2000")).status_code == 404
