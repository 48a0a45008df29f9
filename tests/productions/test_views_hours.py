"""Teachers' hours through HTTP (``productions:hours`` and around): the
group's teachers declare a month with a description and follow their
declarations against the cap; the piloting inspector validates or refuses
(saying why); the national pilot sets the cap per call; the academy's
DAN/DRAN (and the pilot) read the totals and export the validated hours for
payment, as CSV or XLSX with French headers and formulas made inert.

Bad input gets the services' French messages beside the fields and changes
nothing. The pages reason on ``views_progress.today()``, pinned here to
20 November 2026."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from productions import services, views_progress
from productions.enums import HoursState
from productions.models import HoursCap, HoursDeclaration, NationalGroup, WorkingGroup
from tests.factories import make_user
from tests.productions.conftest import TODAY
from tests.utils import text_of
from traam.enums import Role
from traam.models import PARIS, Academy, OutgoingEmail, User

LOGIN = "/comptes/login/"
YEAR = "2026-2027"
SCRIPT = "<script>alert('x')</script>"
EVIL = '=HYPERLINK("http://evil")'
GRENOBLE = "Différencier avec MathALÉA"
DECIDED = datetime.datetime(2026, 10, 5, 10, 0, tzinfo=PARIS)
D = datetime.date
HEADERS = [
    "Ligne", "Académie", "Appel", "Nom", "Prénom", "Adresse électronique", "UAI de l'établissement", "Groupe de travail",
    "Discipline ou enseignement", "Mois", "Heures", "Personnes", "Travail effectué", "Validées le", "Validées par",
]
HOURS_ERROR = "Indiquez un nombre d'heures supérieur à 0 et d'au plus 40 pour un mois (deux décimales au plus)."


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(views_progress, "today", lambda: TODAY)


@pytest.fixture
def teacher_paris(db):
    return make_user("prof.paris@example.test", Role.TEACHER, academy=Academy.objects.get(code="paris"))


@pytest.fixture
def igesr_member(groups, call, pilot, maths):
    igesr = make_user("igesr@example.test", Role.REVIEWER, disciplines=[maths])
    expert = make_user("expert.tn3@example.test", Role.REVIEWER, disciplines=[maths])
    services.set_national_members(NationalGroup.objects.get(call=call, entry__code="mathematiques"), acting_user=pilot, igesr=igesr, experts=[expert])
    return igesr


@pytest.fixture
def named(teacher_grenoble, colleague_grenoble, inspector_maths_grenoble):
    """Names that sort and read the same in every run."""
    for user, first_name, last_name in (
        (teacher_grenoble, "Alice", "Bernard"), (colleague_grenoble, "Chloé", "Durand"), (inspector_maths_grenoble, "Nadia", "Inspectrice"),
    ):
        User.objects.filter(pk=user.pk).update(first_name=first_name, last_name=last_name)
        user.first_name, user.last_name = first_name, last_name


def declare(group, person, month, hours, description="Conception de la séquence"):
    return services.declare_hours(group, acting_user=person, month=month, hours=hours, description=description, today=TODAY)


@pytest.fixture
def october(group, teacher_grenoble):
    return declare(group, teacher_grenoble, D(2026, 10, 1), "6,5")


def url(name, *args):
    return reverse(f"productions:{name}", args=args)


def post_hours(client, group, month="2026-10", hours="2,5", description="Conception de la séquence"):
    return client.post(url("hours_declare"), {
        "hours-group": group.pk, "hours-month": month, "hours-hours": hours, "hours-description": description,
    })


def page_messages(response):
    return [str(message) for message in response.context["messages"]]


# --- Who opens the page -----------------------------------------------------------------------------


@pytest.mark.parametrize("who, sections", [
    ("teacher_grenoble", {"declare"}),
    ("colleague_grenoble", {"declare"}),
    ("teacher_lyon", {"declare"}),
    ("inspector_maths_grenoble", {"decide"}),
    ("inspector_maths_lyon", {"decide"}),
    ("dan_grenoble", {"academies"}),
    ("dan_lyon", {"academies"}),
    ("dran_ara", {"academies"}),
    ("pilot", {"academies", "cap"}),
])
def test_each_person_finds_what_they_do(request, client, october, who, sections):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url("hours"))
    assert response.status_code == 200
    page = text_of(response)
    shown = {
        "declare": "Déclarer des heures" in page,
        "decide": "Heures à valider" in page,
        "academies": "Heures par académie — 2026-2027" in page,
        "cap": "Plafond d'heures — 2026-2027" in page,
    }
    assert {name for name, present in shown.items() if present} == sections


@pytest.mark.parametrize("who", ["teacher_paris", "cardie_grenoble", "reviewer_maths", "igesr_member", "stranger"])
def test_the_others_are_refused(request, client, groups, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("hours")).status_code == 403


def test_anonymous_visitors_sign_in(client, october):
    for address in (url("hours"), url("hours_academy", YEAR, "grenoble"), url("hours_export", YEAR, "grenoble", "csv")):
        response = client.get(address)
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    for address in (url("hours_declare"), url("hours_validate", october.pk), url("hours_refuse", october.pk), url("hours_cap", YEAR)):
        response = client.post(address, {})
        assert response.status_code == 302 and response.url.startswith(LOGIN)


# --- Declaring --------------------------------------------------------------------------------------


def test_a_member_declares_a_month(client, group, teacher_grenoble):
    client.force_login(teacher_grenoble)
    form = client.get(url("hours")).context["declare_form"]
    assert list(form.fields["month"].choices) == [("2026-11", "novembre 2026"), ("2026-10", "octobre 2026"), ("2026-09", "septembre 2026")]
    assert [group.pk] == [choice.pk for choice in form.fields["group"].queryset]

    response = post_hours(client, group, hours=" 2,5 ")
    assert response.status_code == 302
    declaration = HoursDeclaration.objects.get()
    assert (declaration.member, declaration.group, declaration.month, declaration.hours, declaration.state) == (
        teacher_grenoble, group, D(2026, 10, 1), 2.5, HoursState.DECLARED,
    )
    page = client.get(response.url)
    assert page_messages(page) == [
        f"2,5 h déclarées pour octobre 2026 dans le groupe « {GRENOBLE} » : elles attendent la validation de l'inspecteur·rice pilote."
    ]
    assert [(d.month_label, d.hours_label, d.get_state_display()) for d in page.context["declarations"]] == [("octobre 2026", "2,5", "déclarées")]


@pytest.mark.parametrize("month, hours, description, errors", [
    ("2026-12", "3", "Réunion", {"month": ["Les heures de décembre 2026 ne peuvent pas encore être déclarées."]}),
    ("2026-08", "3", "Réunion", {"month": ["Les heures se déclarent pour un mois de la production, de septembre 2026 à avril 2027."]}),
    ("octobre", "3", "Réunion", {"month": ["Indiquez le mois."]}),
    ("", "3", "Réunion", {"month": ["Indiquez le mois."]}),
    ("2026-10", "-3", "Réunion", {"hours": [HOURS_ERROR]}),
    ("2026-10", "0", "Réunion", {"hours": [HOURS_ERROR]}),
    ("2026-10", "100000", "Réunion", {"hours": [HOURS_ERROR]}),
    ("2026-10", "1e9", "Réunion", {"hours": [HOURS_ERROR]}),
    ("2026-10", "abc", "Réunion", {"hours": [HOURS_ERROR]}),
    ("2026-10", "1,255", "Réunion", {"hours": [HOURS_ERROR]}),
    ("2026-10", "", "", {"hours": [HOURS_ERROR], "description": ["Décrivez en quelques mots le travail effectué."]}),
    ("2026-10", "3", "x" * 501, {"description": ["La description compte 500 caractères au plus."]}),
])
def test_bad_hours_get_french_errors_beside_the_fields(client, group, teacher_grenoble, month, hours, description, errors):
    client.force_login(teacher_grenoble)
    response = post_hours(client, group, month=month, hours=hours, description=description)
    assert response.status_code == 200
    assert response.context["declare_form"].errors == errors
    page = text_of(response)
    for name, messages in errors.items():
        assert f'<p id="id_hours-{name}-error" class="fr-error-text">{messages[0]}</p>' in page
    assert not HoursDeclaration.objects.exists()


def test_over_the_cap_and_twice_the_same_month(client, group, call, pilot, teacher_grenoble):
    services.set_hours_cap(call, "5", acting_user=pilot)
    client.force_login(teacher_grenoble)
    response = post_hours(client, group, hours="6")
    assert response.context["declare_form"].non_field_errors() == [
        "Ces heures dépasseraient le plafond de 5 h par personne pour l'appel 2026-2027 (déjà déclarées ou validées : 0 h)."
    ]
    assert "Ces heures dépasseraient le plafond de 5 h" in text_of(response)
    assert post_hours(client, group, hours="4").status_code == 302
    response = post_hours(client, group, hours="1")
    assert response.context["declare_form"].non_field_errors() == [
        "Vous avez déjà déclaré des heures pour octobre 2026 dans ce groupe (4 h, déclarées)."
    ]
    assert list(HoursDeclaration.objects.values_list("hours", flat=True)) == [4]


def test_before_the_production_there_is_no_month_to_declare(client, group, teacher_grenoble, monkeypatch):
    monkeypatch.setattr(views_progress, "today", lambda: D(2026, 8, 20))
    client.force_login(teacher_grenoble)
    response = client.get(url("hours"))
    assert response.context["months"] == []
    assert "Les heures se déclarent à partir du premier mois de la production (septembre 2026)." in text_of(response)
    response = post_hours(client, group, month="2026-09")
    assert response.context["declare_form"].errors == {"month": ["Les heures de septembre 2026 ne peuvent pas encore être déclarées."]}


def test_the_cap_is_shown_to_the_member(client, october, call, pilot, teacher_grenoble):
    services.set_hours_cap(call, "36", acting_user=pilot)
    client.force_login(teacher_grenoble)
    page = text_of(client.get(url("hours")))
    assert "0 h validées, 6,5 h en attente de validation." in page
    assert "Plafond : 36 h par personne pour l'appel, tous groupes confondus ; vous pouvez encore déclarer 29,5 h." in page


def test_a_member_declares_only_in_their_groups(client, group, group_lyon, teacher_grenoble):
    client.force_login(teacher_grenoble)
    response = post_hours(client, group_lyon)
    assert response.context["declare_form"].errors == {"group": ["Choisissez un de vos groupes dans la liste."]}
    assert not HoursDeclaration.objects.exists()


@pytest.mark.parametrize("who", ["cardie_grenoble", "inspector_maths_grenoble", "dan_grenoble", "pilot", "teacher_paris", "stranger"])
def test_only_the_groups_teachers_declare(request, client, group, who):
    client.force_login(request.getfixturevalue(who))
    assert post_hours(client, group).status_code == 403
    assert not HoursDeclaration.objects.exists()


# --- Deciding ---------------------------------------------------------------------------------------


def test_the_piloting_inspector_sees_what_waits(client, october, group_lyon, teacher_lyon, inspector_maths_grenoble, inspector_maths_lyon):
    declare(group_lyon, teacher_lyon, D(2026, 11, 1), 3)
    client.force_login(inspector_maths_grenoble)
    response = client.get(url("hours"))
    assert [(d.member, d.month_label, d.hours_label, d.validated_label) for d in response.context["to_decide"]] == [
        (october.member, "octobre 2026", "6,5", "0"),
    ]
    assert "1 déclaration attend votre décision" in text_of(response)
    client.force_login(inspector_maths_lyon)
    assert [d.member for d in client.get(url("hours")).context["to_decide"]] == [teacher_lyon]


def test_the_inspector_validates(client, october, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    response = client.post(url("hours_validate", october.pk))
    assert response.status_code == 302 and response.url.endswith("#to-decide")
    october.refresh_from_db()
    assert (october.state, october.decided_by) == (HoursState.VALIDATED, inspector_maths_grenoble)
    assert page_messages(client.get(response.url)) == [f"Les 6,5 h de {october.member.get_full_name()} pour octobre 2026 sont validées."]
    response = client.post(url("hours_validate", october.pk), follow=True)
    assert page_messages(response) == ["Ces heures ont déjà été validées."]


def test_a_validation_over_the_cap_is_refused(client, october, group, call, pilot, teacher_grenoble, inspector_maths_grenoble):
    september = declare(group, teacher_grenoble, D(2026, 9, 1), 4)
    services.validate_hours(september, acting_user=inspector_maths_grenoble)
    services.set_hours_cap(call, 10, acting_user=pilot)
    client.force_login(inspector_maths_grenoble)
    response = client.post(url("hours_validate", october.pk), follow=True)
    assert page_messages(response) == [
        "Ces heures dépasseraient le plafond de 10 h par personne pour l'appel 2026-2027 (déjà validées : 4 h)."
    ]
    assert HoursDeclaration.objects.get(pk=october.pk).state == HoursState.DECLARED


def test_a_refusal_needs_its_reason(client, october, teacher_grenoble, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    response = client.post(url("hours_refuse", october.pk), {f"refuse-{october.pk}-comment": "  "})
    assert response.status_code == 200
    assert f'<p id="id_refuse-{october.pk}-comment-error" class="fr-error-text">Indiquez le motif du refus.</p>' in text_of(response)
    assert HoursDeclaration.objects.get(pk=october.pk).state == HoursState.DECLARED

    response = client.post(url("hours_refuse", october.pk), {f"refuse-{october.pk}-comment": "Réunion déjà rémunérée."})
    assert response.status_code == 302
    october.refresh_from_db()
    assert (october.state, october.refusal_comment) == (HoursState.REFUSED, "Réunion déjà rémunérée.")
    assert OutgoingEmail.objects.filter(to=[teacher_grenoble.email], subject__contains="refusées").count() == 1
    # The member reads why, and may declare the month again.
    client.force_login(teacher_grenoble)
    page = text_of(client.get(url("hours")))
    assert "Motif : Réunion déjà rémunérée." in page
    assert post_hours(client, october.group, hours="3").status_code == 302


@pytest.mark.parametrize("who", ["teacher_grenoble", "other_inspector_grenoble", "inspector_maths_lyon", "dan_grenoble", "pilot", "cardie_grenoble"])
def test_only_the_piloting_inspector_decides(request, client, october, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(url("hours_validate", october.pk)).status_code == 403
    assert client.post(url("hours_refuse", october.pk), {f"refuse-{october.pk}-comment": "Non"}).status_code == 403
    assert HoursDeclaration.objects.get().state == HoursState.DECLARED


def test_unknown_declarations_are_missing(client, october, inspector_maths_grenoble):
    client.force_login(inspector_maths_grenoble)
    assert client.post(url("hours_validate", october.pk + 100)).status_code == 404


def test_text_is_escaped(client, group, teacher_grenoble, inspector_maths_grenoble):
    declare(group, teacher_grenoble, D(2026, 10, 1), 2, description=SCRIPT)
    for person in (teacher_grenoble, inspector_maths_grenoble):
        client.force_login(person)
        page = client.get(url("hours")).content.decode()
        assert "<script>alert" not in page and "&lt;script&gt;alert" in page


# --- The cap ------------------------------------------------------------------------------------------


def test_the_pilot_sets_the_cap(client, groups, call, pilot):
    client.force_login(pilot)
    response = client.post(url("hours_cap", YEAR), {"max_hours": "36,5"})
    assert response.status_code == 302
    assert HoursCap.objects.get(call=call).max_hours == 36.5
    assert page_messages(client.get(response.url)) == ["Plafond de l'appel 2026-2027 : 36,5 h par personne."]
    for bad in ("abc", "0", "-4", "501"):
        response = client.post(url("hours_cap", YEAR), {"max_hours": bad})
        assert response.status_code == 200
        assert response.context["cap_form"].errors == {"max_hours": ["Indiquez un nombre d'heures supérieur à 0 et d'au plus 500."]}
        assert 'id="id_max_hours-error"' in response.content.decode()
    assert HoursCap.objects.get(call=call).max_hours == 36.5
    client.post(url("hours_cap", YEAR), {"max_hours": ""})
    assert not HoursCap.objects.exists()
    assert client.post(url("hours_cap", "1999-2000"), {"max_hours": "3"}).status_code == 404


@pytest.mark.parametrize("who", ["dan_grenoble", "inspector_maths_grenoble", "teacher_grenoble", "stranger"])
def test_only_the_pilot_sets_the_cap(request, client, groups, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(url("hours_cap", YEAR), {"max_hours": "3"}).status_code == 403
    assert not HoursCap.objects.exists()


# --- The academy's totals and export --------------------------------------------------------------------


@pytest.fixture
def validated_hours(named, group, group_lyon, teacher_grenoble, colleague_grenoble, teacher_lyon, inspector_maths_grenoble, inspector_maths_lyon):
    for person, month, hours, description in (
        (teacher_grenoble, 9, 6, "Réunion de lancement"), (teacher_grenoble, 10, "4.5", EVIL), (colleague_grenoble, 9, 3, "Séquence 1"),
    ):
        services.validate_hours(declare(group, person, D(2026, month, 1), hours, description), acting_user=inspector_maths_grenoble, now=DECIDED)
    declare(group, colleague_grenoble, D(2026, 10, 1), 5)  # waits: not paid
    refused = declare(group, colleague_grenoble, D(2026, 11, 1), 2)
    services.refuse_hours(refused, acting_user=inspector_maths_grenoble, comment="Non")
    services.validate_hours(declare(group_lyon, teacher_lyon, D(2026, 9, 1), 2), acting_user=inspector_maths_lyon)


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def export_url(fmt="csv", academy="grenoble", year=YEAR):
    return url("hours_export", year, academy, fmt)


def test_the_export_has_one_row_per_declaration_and_the_totals(client, validated_hours, dan_grenoble):
    client.force_login(dan_grenoble)
    response = client.get(export_url())
    assert response["Content-Disposition"].startswith('attachment; filename="heures-grenoble-2026-2027-')
    common = ["Grenoble", YEAR]
    alice = ["Bernard", "Alice", "prof.grenoble@example.test", "0380023U"]
    chloe = ["Durand", "Chloé", "collegue.grenoble@example.test", "0380089R"]
    group = [GRENOBLE, "Mathématiques"]
    decided = ["05/10/2026 10:00", "Nadia Inspectrice"]
    assert csv_rows(response) == [
        HEADERS,
        ["Déclaration", *common, *alice, *group, "09/2026", "6", "", "Réunion de lancement", *decided],
        ["Déclaration", *common, *alice, *group, "10/2026", "4,5", "", "'" + EVIL, *decided],
        ["Déclaration", *common, *chloe, *group, "09/2026", "3", "", "Séquence 1", *decided],
        ["Total par personne", *common, *alice, *group, "", "10,5", "", "", "", ""],
        ["Total par personne", *common, *chloe, *group, "", "3", "", "", "", ""],
        ["Total par groupe", *common, "", "", "", "", *group, "", "13,5", "2", "", "", ""],
        ["Total de l'académie", *common, "", "", "", "", "", "", "", "13,5", "2", "", "", ""],
    ]


def test_the_xlsx_export_holds_numbers(client, validated_hours, pilot):
    client.force_login(pilot)
    response = client.get(export_url("xlsx"))
    rows = [[cell.value for cell in row] for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert rows[0] == HEADERS
    assert [row[10] for row in rows[1:]] == [6, 4.5, 3, 10.5, 3, 13.5, 13.5]
    assert rows[2][12] == "'" + EVIL


def test_formulas_in_names_and_titles_are_inert(client, validated_hours, group, teacher_grenoble, dan_grenoble):
    WorkingGroup.objects.filter(pk=group.pk).update(title="=1+1")
    User.objects.filter(pk=teacher_grenoble.pk).update(last_name="@SUM(A1)", first_name="+33")
    client.force_login(dan_grenoble)
    rows = csv_rows(client.get(export_url()))
    assert rows[1][3:5] == ["'@SUM(A1)", "'+33"]
    assert {row[7] for row in rows[1:-1]} == {"'=1+1"}


@pytest.mark.parametrize("who, status", [
    ("dan_grenoble", 200), ("dran_ara", 200), ("pilot", 200),
    ("dan_lyon", 403), ("inspector_maths_grenoble", 403), ("teacher_grenoble", 403), ("cardie_grenoble", 403), ("igesr_member", 403),
    ("reviewer_maths", 403), ("stranger", 403),
])
def test_who_reads_and_exports_the_academys_hours(request, client, validated_hours, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("hours_academy", YEAR, "grenoble")).status_code == status
    assert client.get(export_url()).status_code == status
    assert client.get(export_url("xlsx")).status_code == status


def test_unknown_formats_academies_and_calls_are_missing(client, validated_hours, dan_grenoble):
    client.force_login(dan_grenoble)
    assert client.get(export_url("pdf")).status_code == 404
    assert client.get(export_url(academy="atlantide")).status_code == 404
    assert client.get(export_url(year="1999-2000")).status_code == 404
    assert client.get(url("hours_academy", YEAR, "atlantide")).status_code == 404


def test_the_academy_page_sums_up(client, validated_hours, call, pilot, dan_grenoble):
    services.set_hours_cap(call, "10,5", acting_user=pilot)
    client.force_login(dan_grenoble)
    response = client.get(url("hours_academy", YEAR, "grenoble"))
    page = text_of(response)
    assert (response.context["total"], response.context["waiting_hours"], response.context["waiting_count"], response.context["cap"]) == (
        "13,5", "5", 1, "10,5",
    )
    assert [(total.person.last_name, total.hours_label, total.at_cap) for total in response.context["people"]] == [
        ("Bernard", "10,5", True), ("Durand", "3", False),
    ]
    assert "plafond atteint" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in page
    # The DAN's hours page lists the academy with a link here.
    hours_page = client.get(url("hours"))
    assert [(row["academy"].code, row["declared"], row["validated"], row["refused"], row["people"]) for row in hours_page.context["academy_rows"]] == [
        ("grenoble", "5", "13,5", "2", 2),
    ]


def test_the_pilot_sees_every_academy(client, validated_hours, pilot):
    client.force_login(pilot)
    rows = client.get(url("hours")).context["academy_rows"]
    assert [(row["academy"].code, row["validated"]) for row in rows] == [("grenoble", "13,5"), ("lyon", "2")]


def test_the_export_and_the_pages_take_a_bounded_number_of_queries(client, validated_hours, group, colleague_grenoble, inspector_maths_grenoble,
                                                                   dan_grenoble):
    client.force_login(dan_grenoble)
    addresses = [export_url(), export_url("xlsx"), url("hours_academy", YEAR, "grenoble"), url("hours")]
    for address in addresses:
        client.get(address)
    counts = []
    for address in addresses:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        counts.append(len(queries))
    # More declarations, more people: the same number of queries.
    services.validate_hours(HoursDeclaration.objects.get(member=colleague_grenoble, state=HoursState.DECLARED), acting_user=inspector_maths_grenoble)
    for number in range(4):
        person = make_user(f"prof.{number}@example.test", Role.TEACHER, academy=group.academy)
        services.add_member(group, acting_user=inspector_maths_grenoble, first_name="P", last_name=str(number), email=person.email, role="teacher")
        services.validate_hours(declare(group, person, D(2026, 9, 1), 1), acting_user=inspector_maths_grenoble)
    for address, count in zip(addresses, counts):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        assert len(queries) == count <= 15, address
