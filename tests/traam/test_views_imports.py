"""Import pages (traam/views_imports.py): upload → preview → confirmation →
result, the kept file and its signed token (once, by its owner, in their
session), and who may open each page. Also: who may download the exports of
the other stages (the same people as their pages)."""

import csv
import io

import openpyxl
import pytest
from django.core import signing
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import make_user
from traam import imports
from traam.enums import AuditAction, Role
from traam.models import Academy, AuditEntry, Call, Discipline, RoleAssignment, User
from traam.views_imports import TOKEN_SALT

LOGIN = "/comptes/login/"
YEAR = "2026-2027"


def csv_upload(rows, name="import.csv"):
    text = "\r\n".join(";".join(cells) for cells in rows) + "\r\n"
    return SimpleUploadedFile(name, ("\N{BYTE ORDER MARK}" + text).encode("utf-8"), content_type="text/csv")


DISCIPLINES = [["code", "nom"], ["robotique", "Robotique"], ["mathematiques", "Mathématiques"]]
TEACHERS = [["e-mail", "prénom", "nom", "uai"], ["alice@ac-grenoble.fr", "Alice", "Bernard", "0380023U"]]


def kept_files():
    storage = storages["private"]
    if not storage.exists(imports.PENDING_FOLDER):
        return []
    return storage.listdir(imports.PENDING_FOLDER)[1]


@pytest.fixture(autouse=True)
def _no_kept_files():
    storage = storages["private"]
    for name in kept_files():
        storage.delete(f"{imports.PENDING_FOLDER}/{name}")
    yield


def preview_disciplines(client, rows=DISCIPLINES):
    return client.post(reverse("imports"), {"kind": "disciplines", "file": csv_upload(rows)})


def confirm(client, token, url="imports_confirm"):
    return client.post(reverse(url), {"token": token})


# --- The pilot's flow --------------------------------------------------------------------------------------


def test_the_pilot_previews_then_confirms(client, pilot):
    client.force_login(pilot)
    page = client.get(reverse("imports"))
    assert page.status_code == 200
    assert [kind.slug for kind in page.context["kinds"]] == ["academies", "disciplines", "entries", "people"]

    response = preview_disciplines(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Confirmer l'import" in html
    assert [(line.line, line.status) for line in response.context["lines"]] == [(2, "new"), (3, "skip")]
    assert not Discipline.objects.filter(code="robotique").exists()
    assert len(kept_files()) == 1
    token = response.context["token"]

    done = confirm(client, token)
    assert done.status_code == 302 and done.url == reverse("imports_result")
    assert Discipline.objects.get(code="robotique").name == "Robotique"
    assert AuditEntry.objects.filter(action=AuditAction.IMPORTED, actor=pilot).count() == 1
    assert kept_files() == []
    result = client.get(done.url)
    assert result.status_code == 200
    assert "1 création, 1 ligne inchangée" in result.content.decode()


def test_a_token_serves_once(client, pilot):
    client.force_login(pilot)
    token = preview_disciplines(client).context["token"]
    assert confirm(client, token).status_code == 302
    Discipline.objects.filter(code="robotique").delete()
    replay = client.post(reverse("imports_confirm"), {"token": token}, follow=True)
    assert replay.redirect_chain == [(reverse("imports"), 302)]
    assert [str(message) for message in replay.context["messages"]] == [
        "Cet import a déjà été confirmé ou n'est plus valable : déposez de nouveau le fichier."
    ]
    assert not Discipline.objects.filter(code="robotique").exists()
    assert AuditEntry.objects.filter(action=AuditAction.IMPORTED).count() == 1


def test_a_forged_or_foreign_token_is_refused(client, pilot):
    client.force_login(pilot)
    token = preview_disciplines(client).context["token"]
    payload = signing.loads(token, salt=TOKEN_SALT)
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        signing.dumps({**payload, "kind": "people"}, salt="another salt"),
        "",
    ]
    for value in forged:
        response = confirm(client, value)
        assert (response.status_code, response.url) == (302, reverse("imports"))
    # The pilot's token, presented by another pilot from their own session.
    other = Client()
    other.force_login(make_user("pilote2@example.test", Role.PILOT))
    assert confirm(other, token).url == reverse("imports")
    # Presented on the teachers' page, it is refused too.
    assert confirm(client, token, "academy_teachers_import_confirm").url == reverse("academy_teachers_import")
    assert not Discipline.objects.filter(code="robotique").exists()
    assert not AuditEntry.objects.filter(action=AuditAction.IMPORTED).exists()
    # None of this used it up: its owner still confirms it, once.
    assert confirm(client, token).url == reverse("imports_result")
    assert Discipline.objects.filter(code="robotique").exists()


def test_the_file_is_checked_again_at_confirmation(client, pilot):
    client.force_login(pilot)
    token = preview_disciplines(client).context["token"]
    Discipline.objects.create(code="robots", name="Robotique")  # meanwhile, in the admin
    response = confirm(client, token)
    assert response.status_code == 200
    assert [str(error) for error in response.context["report"].errors] == [
        "Ligne 2, colonne « nom » : Un objet Discipline avec ce champ Nom existe déjà."
    ]
    assert "Rien n'a été importé" in response.content.decode()
    assert not Discipline.objects.filter(code="robotique").exists()
    assert kept_files() == []


def test_a_file_with_errors_is_listed_and_not_kept(client, pilot):
    client.force_login(pilot)
    response = preview_disciplines(client, [["code", "nom"], ["robotique", "=1+1"]])
    assert response.status_code == 200 and response.context["token"] is None
    html = response.content.decode()
    assert "Le fichier est refusé : 1 erreur" in html and "Confirmer" not in html
    assert kept_files() == []


def test_a_huge_file_is_refused_with_a_clear_message(client, pilot):
    client.force_login(pilot)
    huge = SimpleUploadedFile("enorme.csv", b"code;nom\r\n" + b"a;b\r\n" * (imports.MAX_FILE_SIZE // 5))
    response = client.post(reverse("imports"), {"kind": "disciplines", "file": huge})
    assert response.status_code == 200 and response.context["token"] is None
    assert [str(error) for error in response.context["report"].errors] == [
        "Le fichier pèse 2,0 Mo : la limite est de 2 Mo. Découpez-le en plusieurs fichiers."
    ]
    assert "Le fichier pèse 2,0 Mo" in response.content.decode()
    assert kept_files() == []


def test_a_new_preview_drops_the_previous_file(client, pilot):
    client.force_login(pilot)
    first = preview_disciplines(client).context["token"]
    second = preview_disciplines(client).context["token"]
    assert len(kept_files()) == 1
    assert confirm(client, first).url == reverse("imports")
    assert confirm(client, second).url == reverse("imports_result")


def test_the_entries_need_a_call(client, pilot):
    client.force_login(pilot)
    rows = [["entrée", "intitulé de l'entrée", "discipline", "ordre", "intitulé court", "description"],
            ["robotique", "Robotique", "mathematiques", "1", "Robots", "Texte"]]
    response = client.post(reverse("imports"), {"kind": "entries", "file": csv_upload(rows)})
    assert response.context["form"].errors == {"call": ["Choisissez l'appel dont vous importez les entrées et thématiques."]}
    call = Call.objects.get(year=YEAR)
    token = client.post(reverse("imports"), {"kind": "entries", "call": call.pk, "file": csv_upload(rows)}).context["token"]
    assert confirm(client, token).status_code == 302
    assert call.entries.get(code="robotique").themes.get().title == "Robots"
    assert AuditEntry.objects.get(action=AuditAction.IMPORTED).subject == call


@pytest.mark.parametrize("kind", ["academies", "disciplines", "entries", "people"])
def test_the_templates_have_the_header_and_an_example(client, pilot, kind):
    client.force_login(pilot)
    response = client.get(reverse("imports_template", args=[kind, "csv"]))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="modele-import-{kind}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [imports.KINDS[kind].headers, imports.KINDS[kind].example]
    xlsx = client.get(reverse("imports_template", args=[kind, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[1]] == imports.KINDS[kind].headers


def test_the_templates_import_as_they_are(client, pilot, dan_grenoble):
    """The example lines are valid: a template imported unchanged is accepted."""
    client.force_login(pilot)
    call = Call.objects.get(year=YEAR)
    for kind in ("academies", "disciplines", "entries", "people"):
        template = client.get(reverse("imports_template", args=[kind, "xlsx"])).content
        response = client.post(reverse("imports"), {"kind": kind, "call": call.pk, "file": SimpleUploadedFile("modele.xlsx", template)})
        assert response.context["report"].ok, (kind, response.context["report"].errors)
    client.force_login(dan_grenoble)
    template = client.get(reverse("academy_teachers_import_template", args=["csv"])).content
    response = client.post(reverse("academy_teachers_import"), {"academy": Academy.objects.get(code="grenoble").pk, "file": SimpleUploadedFile("m.csv", template)})
    assert response.context["report"].ok


def test_unknown_templates_are_missing(client, pilot):
    client.force_login(pilot)
    assert client.get(reverse("imports_template", args=["teachers", "csv"])).status_code == 404
    assert client.get(reverse("imports_template", args=["planets", "csv"])).status_code == 404
    assert client.get(reverse("imports_template", args=["people", "pdf"])).status_code == 404


def test_the_pilot_dashboard_links_to_the_imports(client, pilot):
    client.force_login(pilot)
    html = client.get(reverse("dashboard")).content.decode()
    call = Call.objects.get(year=YEAR)
    assert f'href="{reverse("imports")}?type=entries&amp;appel={call.pk}"' in html


def test_the_import_pages_take_few_queries(client, pilot, dan_grenoble, django_assert_max_num_queries):
    client.force_login(pilot)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("imports")).status_code == 200
    client.force_login(dan_grenoble)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("academy_teachers_import")).status_code == 200


# --- A DAN's teachers --------------------------------------------------------------------------------------


def test_a_dan_imports_teachers_of_their_academy(client, dan_grenoble, grenoble):
    client.force_login(dan_grenoble)
    page = client.get(reverse("academy_teachers_import"))
    assert page.status_code == 200 and list(page.context["academies"]) == [grenoble]
    assert 'name="academy"' in page.content.decode() and "<select" not in page.content.decode()
    assert reverse("academy_teachers_import") in client.get(reverse("academy_roles")).content.decode()
    response = client.post(reverse("academy_teachers_import"), {"academy": grenoble.pk, "file": csv_upload(TEACHERS)})
    assert response.context["report"].ok
    done = confirm(client, response.context["token"], "academy_teachers_import_confirm")
    assert done.url == reverse("academy_teachers_import_result")
    assert client.get(done.url).status_code == 200
    assignment = RoleAssignment.objects.get(user__email="alice@ac-grenoble.fr")
    assert (assignment.role, assignment.academy, assignment.granted_by) == (Role.TEACHER, grenoble, dan_grenoble)
    assert not User.objects.get(email="alice@ac-grenoble.fr").has_usable_password()


def test_a_dan_cannot_choose_another_academy(client, dan_grenoble, lyon):
    client.force_login(dan_grenoble)
    response = client.post(reverse("academy_teachers_import"), {"academy": lyon.pk, "file": csv_upload(TEACHERS)})
    assert response.status_code == 200 and "academy" in response.context["form"].errors
    assert kept_files() == []
    assert not User.objects.filter(email="alice@ac-grenoble.fr").exists()


def test_a_dran_chooses_among_the_academies_of_their_region(client, dran_ara, lyon):
    client.force_login(dran_ara)
    page = client.get(reverse("academy_teachers_import"))
    assert [academy.code for academy in page.context["academies"]] == ["clermont-ferrand", "grenoble", "lyon"]
    assert "<select" in page.content.decode()
    token = client.post(reverse("academy_teachers_import"), {"academy": lyon.pk, "file": csv_upload(TEACHERS)}).context["token"]
    assert confirm(client, token, "academy_teachers_import_confirm").status_code == 302
    assert RoleAssignment.objects.get(user__email="alice@ac-grenoble.fr").academy == lyon
    paris = Academy.objects.get(code="paris")
    response = client.post(reverse("academy_teachers_import"), {"academy": paris.pk, "file": csv_upload(TEACHERS)})
    assert "academy" in response.context["form"].errors


def test_a_teachers_token_does_not_confirm_on_the_pilot_page(client, pilot, grenoble):
    client.force_login(pilot)
    token = client.post(reverse("academy_teachers_import"), {"academy": grenoble.pk, "file": csv_upload(TEACHERS)}).context["token"]
    assert confirm(client, token, "imports_confirm").url == reverse("imports")
    assert not User.objects.filter(email="alice@ac-grenoble.fr").exists()
    assert confirm(client, token, "academy_teachers_import_confirm").url == reverse("academy_teachers_import_result")


# --- Who may open the pages -------------------------------------------------------------------------------


def pilot_pages():
    return [
        ("get", reverse("imports")),
        ("post", reverse("imports")),
        ("get", reverse("imports_template", args=["people", "csv"])),
        ("post", reverse("imports_confirm")),
        ("get", reverse("imports_result")),
    ]


def academy_pages():
    return [
        ("get", reverse("academy_teachers_import")),
        ("post", reverse("academy_teachers_import")),
        ("get", reverse("academy_teachers_import_template", args=["xlsx"])),
        ("post", reverse("academy_teachers_import_confirm")),
        ("get", reverse("academy_teachers_import_result")),
    ]


@pytest.fixture
def reviewer_national(db):
    return make_user("expert.national@example.test", Role.REVIEWER)


@pytest.mark.parametrize("who", ["dan_grenoble", "dran_ara", "inspector_maths_grenoble", "teacher_grenoble", "cardie_grenoble", "reviewer_national", "stranger"])
def test_only_the_pilot_opens_the_imports(client, request, who):
    client.force_login(request.getfixturevalue(who))
    for method, url in pilot_pages():
        assert getattr(client, method)(url).status_code == 403, url


@pytest.mark.parametrize("who", ["inspector_maths_grenoble", "teacher_grenoble", "cardie_grenoble", "reviewer_national", "stranger"])
def test_only_a_dan_dran_or_the_pilot_imports_teachers(client, request, who):
    client.force_login(request.getfixturevalue(who))
    for method, url in academy_pages():
        assert getattr(client, method)(url).status_code == 403, url


@pytest.mark.parametrize("who", ["pilot", "dan_grenoble", "dran_ara"])
def test_the_delegations_and_the_pilot_open_the_teachers_import(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("academy_teachers_import")).status_code == 200
    assert client.get(reverse("academy_teachers_import_template", args=["csv"])).status_code == 200
    # No import done yet: the result page sends back to the form.
    assert client.get(reverse("academy_teachers_import_result")).url == reverse("academy_teachers_import")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for method, url in pilot_pages() + academy_pages():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(LOGIN), url


def test_confirmation_is_post_only(client, pilot, dan_grenoble):
    client.force_login(pilot)
    assert client.get(reverse("imports_confirm")).status_code == 405
    client.force_login(dan_grenoble)
    assert client.get(reverse("academy_teachers_import_confirm")).status_code == 405


# --- Exports: the same people as the pages ----------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [
    ("dan_grenoble", 200), ("dran_ara", 200), ("pilot", 200),
    ("dan_lyon", 403), ("inspector_maths_grenoble", 403), ("teacher_grenoble", 403), ("cardie_grenoble", 403),
    ("reviewer_national", 403), ("stranger", 403),
])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_who_exports_the_academy_s_proposals(client, request, who, status, fmt):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("candidatures:academy", args=[YEAR, "grenoble"])).status_code == status
    assert client.get(reverse("candidatures:academy_export", args=[YEAR, "grenoble", fmt])).status_code == status


@pytest.mark.parametrize(("who", "status"), [
    ("pilot", 200),
    ("dan_grenoble", 403), ("dran_ara", 403), ("inspector_maths_grenoble", 403), ("teacher_grenoble", 403), ("cardie_grenoble", 403),
    ("reviewer_national", 403), ("stranger", 403),
])
@pytest.mark.parametrize("kind", ["reviews", "ranking"])
def test_who_exports_the_selection(client, request, who, status, kind):
    client.force_login(request.getfixturevalue(who))
    for fmt in ("csv", "xlsx"):
        assert client.get(reverse("selection:export", args=[YEAR, kind, fmt])).status_code == status


def test_anonymous_visitors_export_nothing(client):
    for url in (
        reverse("candidatures:academy_export", args=[YEAR, "grenoble", "csv"]),
        reverse("selection:export", args=[YEAR, "reviews", "csv"]),
        reverse("selection:export", args=[YEAR, "results", "xlsx"]),
        reverse("productions:hours_export", args=[YEAR, "grenoble", "csv"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(LOGIN), url


def test_non_pilots_cannot_export_from_the_admin(client, dan_grenoble, pilot):
    client.force_login(dan_grenoble)
    response = client.get("/administration/traam/academy/export/")
    assert response.status_code in (302, 403) and "text/csv" not in response.get("Content-Type", "")
    client.force_login(pilot)
    assert client.get("/administration/traam/academy/export/").status_code == 200
