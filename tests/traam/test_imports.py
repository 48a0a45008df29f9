"""Imports from a spreadsheet (traam/imports.py, traam/import_resources.py):
all or nothing, errors by line and column in French, formulas and disguised
or oversized files refused, and a second import updates instead of duplicating."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from traam import imports, services
from traam.enums import AuditAction, Role
from traam.models import Academy, AuditEntry, Call, Discipline, Entry, OutgoingEmail, Region, RoleAssignment, Theme, User

ACADEMIES = imports.KINDS["academies"]
DISCIPLINES = imports.KINDS["disciplines"]
ENTRIES = imports.KINDS["entries"]
PEOPLE = imports.KINDS["people"]
TEACHERS = imports.KINDS["teachers"]


def csv_bytes(rows, delimiter=";", bom=True):
    text = "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"
    return ("\N{BYTE ORDER MARK}" if bom else "").encode() + text.encode("utf-8")


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    for cells in rows:
        workbook.active.append(list(cells))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content, name="import.csv"):
    return SimpleUploadedFile(name, content)


def check(kind, content, user, name="import.csv", **options):
    return imports.preview(kind, upload(content, name), acting_user=user, options=options)


def run(kind, content, user, name="import.csv", **options):
    return imports.confirm(kind, content, name, acting_user=user, options=options)


def errors(report):
    return [str(error) for error in report.errors]


def statuses(report):
    return [(line.line, line.status) for line in report.lines]


ACADEMY_HEADER = ["code", "nom", "région"]


@pytest.fixture
def ara(db):
    return Region.objects.get(code="auvergne-rhone-alpes")


# --- Reading the file -------------------------------------------------------------------------------------


def test_a_valid_csv_is_previewed_without_writing_then_imported_with_one_audit_entry(pilot, ara):
    content = csv_bytes([ACADEMY_HEADER, ["atlantide", "Atlantide", "auvergne-rhone-alpes"], ["grenoble", "Grenoble", "auvergne-rhone-alpes"],
                         ["lyon", "Lyon la belle", "auvergne-rhone-alpes"]])
    report = check(ACADEMIES, content, pilot)
    assert report.ok and errors(report) == []
    assert statuses(report) == [(2, "new"), (3, "skip"), (4, "update")]
    assert [line.status_label for line in report.lines] == ["Création", "Inchangée", "Mise à jour"]
    assert not Academy.objects.filter(code="atlantide").exists()
    assert Academy.objects.get(code="lyon").name == "Lyon"

    report = run(ACADEMIES, content, pilot)
    assert report.done and report.counts == {"new": 1, "update": 1, "skip": 1}
    assert Academy.objects.get(code="atlantide").region == ara
    assert Academy.objects.get(code="lyon").name == "Lyon la belle"
    entry = AuditEntry.objects.get(action=AuditAction.IMPORTED)
    assert (entry.actor, entry.subject, entry.data) == (
        pilot, pilot, {"kind": "academies", "file": "import.csv", "created": 1, "updated": 1, "unchanged": 1},
    )
    assert entry.comment == "Import « Académies » (import.csv) : 1 création, 1 mise à jour, 1 ligne inchangée."


def test_a_second_import_of_the_same_file_changes_nothing(pilot):
    content = csv_bytes([ACADEMY_HEADER, ["atlantide", "Atlantide", "auvergne-rhone-alpes"]])
    run(ACADEMIES, content, pilot)
    report = run(ACADEMIES, content, pilot)
    assert report.done and statuses(report) == [(2, "skip")]
    assert Academy.objects.filter(code="atlantide").count() == 1


def test_xlsx_is_read_with_numbers_and_accented_headers(pilot, maths):
    call = Call.objects.get(year="2026-2027")
    content = xlsx_bytes([
        ["Entrée", "Intitulé de l'entrée", "Discipline", "Places", "Ordre", "Intitulé court", "Mots clés", "Description"],
        ["robotique", "Robotique", "mathematiques", 3, 1, "Des robots en classe", "robots| capteurs |", "Premier paragraphe.\n\nSecond <b>paragraphe</b> & fin."],
        ["robotique", "Robotique", "mathematiques", 3, 2, "Des drones", "", "Texte"],
    ])
    report = run(ENTRIES, content, pilot, name="themes.xlsx", call=call)
    assert report.done, errors(report)
    entry = Entry.objects.get(call=call, code="robotique")
    assert (entry.name, entry.discipline, entry.seats) == ("Robotique", maths, 3)
    assert entry.order == max(Entry.objects.filter(call=call).values_list("order", flat=True))
    first, second = Theme.objects.filter(entry=entry).order_by("order")
    assert first.keywords == ["robots", "capteurs"]
    # Text from a cell is escaped and stored as paragraphs.
    assert first.description_html == "<p>Premier paragraphe.</p><p>Second &lt;b&gt;paragraphe&lt;/b&gt; &amp; fin.</p>"
    assert second.title == "Des drones"
    # The same file again: nothing to change.
    assert statuses(run(ENTRIES, content, pilot, name="themes.xlsx", call=call)) == [(2, "skip"), (3, "skip")]


def test_an_entry_described_two_ways_is_an_error(pilot):
    call = Call.objects.get(year="2026-2027")
    content = csv_bytes([
        ["entrée", "intitulé de l'entrée", "discipline", "ordre", "intitulé court", "description"],
        ["robotique", "Robotique", "mathematiques", "1", "A", "Texte"],
        ["robotique", "Robotique", "nsi", "2", "B", "Texte"],
    ])
    report = run(ENTRIES, content, pilot, call=call)
    assert errors(report) == [
        "Ligne 3, colonne « discipline » : L'entrée « robotique » est décrite autrement sur une ligne précédente : « mathematiques ». "
        "Écrivez la même valeur sur chaque ligne de l'entrée."
    ]
    assert not Entry.objects.filter(code="robotique").exists()


@pytest.mark.parametrize(("content", "delimiter"), [
    (csv_bytes([["code", "nom"], ["robotique", "Robotique, objets"]], delimiter=";", bom=True), ";"),
    (csv_bytes([["code", "nom"], ["robotique", '"Robotique, objets"']], delimiter=",", bom=False), ","),
    (csv_bytes([["code", "nom"], ["robotique", '"Robotique, objets"']], delimiter=",", bom=True), ","),
])
def test_csv_with_or_without_bom_semicolons_or_commas(pilot, content, delimiter):
    report = run(DISCIPLINES, content, pilot)
    assert report.done, errors(report)
    assert Discipline.objects.get(code="robotique").name == "Robotique, objets"


def test_one_bad_line_refuses_the_whole_file(pilot):
    content = csv_bytes([
        ACADEMY_HEADER,
        ["atlantide", "Atlantide", "auvergne-rhone-alpes"],
        ["mu", "Mu", "pacifique"],
        ["hyperboree", "", "auvergne-rhone-alpes"],
        ["lemurie", "Lémurie", "auvergne-rhone-alpes"],
    ])
    report = run(ACADEMIES, content, pilot)
    assert not report.done
    assert errors(report) == [
        "Ligne 3, colonne « région » : Aucune région académique n'a le code « pacifique ».",
        "Ligne 4, colonne « nom » : Ce champ ne peut pas être vide.",
    ]
    assert not Academy.objects.filter(code__in=["atlantide", "mu", "hyperboree", "lemurie"]).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.IMPORTED).exists()


def test_a_line_failing_during_the_real_run_rolls_back_the_lines_before_it(pilot, grenoble, monkeypatch):
    grant = services.grant_role
    calls = []

    def fail_on_second(**kwargs):
        calls.append(kwargs["email"])
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return grant(**kwargs)

    monkeypatch.setattr(services, "grant_role", fail_on_second)
    content = csv_bytes([["e-mail", "rôle", "académie"], ["a@ac-grenoble.fr", "enseignant", "grenoble"], ["b@ac-grenoble.fr", "enseignant", "grenoble"]])
    report = run(PEOPLE, content, pilot)
    assert errors(report) == ["Ligne 3 : cette ligne n'a pas pu être enregistrée (erreur inattendue)."]
    assert not report.done
    assert not User.objects.filter(email__in=["a@ac-grenoble.fr", "b@ac-grenoble.fr"]).exists()
    assert not AuditEntry.objects.filter(action__in=[AuditAction.IMPORTED, AuditAction.ROLE_GRANTED]).exists()


@pytest.mark.parametrize(("cell", "shown"), [
    ("=1+1", "« = »"), ("+33 4 76", "« + »"), ("-2+3", "« - »"), ("@SUM(A1)", "« @ »"), ("\tcmd", "une tabulation"), ("\rcmd", "un retour chariot"),
])
def test_a_formula_is_refused_with_its_line_and_column(pilot, cell, shown):
    content = csv_bytes([["code", "nom"], ["robotique", "Robotique"], ["robots", f'"{cell}"']])
    report = run(DISCIPLINES, content, pilot)
    assert errors(report) == [
        f"Ligne 3, colonne « nom » : la cellule commence par {shown} : les formules de tableur ne sont pas acceptées. "
        "Saisissez la valeur elle-même, sans ce signe au début."
    ]
    assert not Discipline.objects.filter(code__in=["robotique", "robots"]).exists()


def test_a_formula_in_an_xlsx_is_refused(pilot):
    content = xlsx_bytes([["code", "nom"], ["robotique", "=HYPERLINK(\"http://evil.example\")"]])
    report = check(DISCIPLINES, content, pilot, name="d.xlsx")
    assert [(error.line, error.column) for error in report.errors] == [(2, "nom")]


def test_a_negative_number_in_a_numeric_column_is_not_a_formula(pilot):
    call = Call.objects.get(year="2026-2027")
    content = csv_bytes([
        ["entrée", "intitulé de l'entrée", "discipline", "places", "ordre", "intitulé court", "description"],
        ["robotique", "Robotique", "mathematiques", "-3", "1", "A", "Texte"],
    ])
    assert errors(check(ENTRIES, content, pilot, call=call)) == ["Ligne 2, colonne « places » : Une entrée a au moins une place."]


def test_a_file_over_the_size_limit_is_refused_before_reading(pilot):
    content = csv_bytes([["code", "nom"]]) + b"x" * imports.MAX_FILE_SIZE
    report = check(DISCIPLINES, content, pilot)
    assert errors(report) == ["Le fichier pèse 2,0 Mo : la limite est de 2 Mo. Découpez-le en plusieurs fichiers."]


def test_a_file_with_too_many_lines_is_refused(pilot):
    rows = [["code", "nom"]] + [[f"d{n}", f"Discipline {n}"] for n in range(imports.MAX_ROWS + 1)]
    report = check(DISCIPLINES, csv_bytes(rows), pilot)
    assert errors(report) == ["Le fichier compte plus de 5\N{NO-BREAK SPACE}000 lignes : importez-le en plusieurs fichiers de 5\N{NO-BREAK SPACE}000 lignes au plus."]
    assert not Discipline.objects.filter(code="d1").exists()


def test_lines_refused_as_formulas_count_towards_the_row_limit(pilot, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = [["code", "nom"]] + [[f"d{n}", "=1+1"] for n in range(4)]
    assert errors(check(DISCIPLINES, csv_bytes(rows), pilot)) == [
        "Le fichier compte plus de 3 lignes : importez-le en plusieurs fichiers de 3 lignes au plus."
    ]


def test_exactly_the_row_limit_is_accepted(pilot, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = [["code", "nom"]] + [[f"d{n}", f"Discipline {n}"] for n in range(3)]
    assert check(DISCIPLINES, csv_bytes(rows), pilot).ok
    assert not check(DISCIPLINES, csv_bytes(rows + [["d9", "Discipline 9"]]), pilot).ok


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"code;nom\r\nrobotique;Robotique\r\n", "d.xlsx", "Le fichier « d.xlsx » porte l'extension .xlsx mais son contenu n'est pas un classeur XLSX."),
    (b"PK\x03\x04 not really a zip", "d.xlsx", "Le fichier « d.xlsx » porte l'extension .xlsx mais son contenu n'est pas un classeur XLSX."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "d.csv", "Ce fichier n'est pas un fichier CSV : son contenu n'est pas du texte."),
    (xlsx_bytes([["code", "nom"]]), "d.csv", "Ce fichier n'est pas un fichier CSV : son contenu n'est pas du texte."),
    ("code;nom\r\nrobotique;Robotique éàè\r\n".encode("cp1252"), "d.csv",
     "Ce fichier CSV n'est pas encodé en UTF-8 : enregistrez-le au format « CSV UTF-8 » depuis votre tableur."),
    (b"%PDF-1.7", "d.pdf", "Seuls les fichiers CSV (.csv) et XLSX (.xlsx) sont acceptés."),
    (b"", "d.csv", "Le fichier est vide."),
    (b"code;nom\r\n", "d.csv", "Le fichier ne contient que l'en-tête : ajoutez une ligne par élément à importer."),
])
def test_disguised_or_empty_files_are_refused(pilot, content, name, message):
    assert errors(check(DISCIPLINES, content, pilot, name=name)) == [message]


def test_unknown_and_missing_columns_are_listed(pilot):
    report = check(ACADEMIES, csv_bytes([["code", "intitulé", "pays"], ["x", "y", "z"]]), pilot)
    assert errors(report) == [
        "Ligne 1, colonne « intitulé » : colonne inconnue. Colonnes attendues : code, nom, région.",
        "Ligne 1, colonne « pays » : colonne inconnue. Colonnes attendues : code, nom, région.",
        "Ligne 1 : colonnes obligatoires manquantes : « nom », « région ».",
    ]


def test_a_cell_under_no_header_is_an_error(pilot):
    report = check(DISCIPLINES, csv_bytes([["code", "nom"], ["robotique", "Robotique", "en trop"]]), pilot)
    assert errors(report) == ["Ligne 2 : cette ligne a une cellule remplie sous une colonne sans en-tête."]


def test_line_numbers_follow_the_spreadsheet_with_blank_lines(pilot):
    content = csv_bytes([["code", "nom"], ["", ""], ["robotique", "Robotique"], ["", ""], ["Bad Code!", "Mauvais"]])
    report = check(DISCIPLINES, content, pilot)
    assert [(error.line, error.column) for error in report.errors] == [(5, "code")]
    assert statuses(report)[0] == (3, "new")


# --- People and roles ----------------------------------------------------------------------------------------


PEOPLE_HEADER = ["e-mail", "prénom", "nom", "rôle", "académie", "région", "disciplines"]


def test_the_pilot_imports_people_with_french_role_labels(pilot, grenoble, maths, nsi):
    content = csv_bytes([
        PEOPLE_HEADER,
        ["Nadia.Inspectrice@ac-grenoble.fr", "Nadia", "Inspectrice", "Inspecteur·rice", "grenoble", "", "mathematiques|nsi"],
        ["dran@region-academique-ara.fr", "Dora", "Ran", "DRAN", "", "auvergne-rhone-alpes", ""],
        ["expert@education.gouv.fr", "Eve", "Xpert", "évaluatrice", "grenoble", "", "nsi"],
        ["pilote2@education.gouv.fr", "Paul", "Ilote", "pilot", "", "", ""],
    ])
    report = run(PEOPLE, content, pilot)
    assert report.done, errors(report)
    inspector = User.objects.get(email="nadia.inspectrice@ac-grenoble.fr")
    assert not inspector.has_usable_password() and inspector.get_full_name() == "Nadia Inspectrice"
    assignment = RoleAssignment.objects.get(user=inspector)
    assert (assignment.role, assignment.academy, set(assignment.disciplines.all()), assignment.granted_by) == (Role.INSPECTOR, grenoble, {maths, nsi}, pilot)
    assert RoleAssignment.objects.get(user__email="dran@region-academique-ara.fr").region.code == "auvergne-rhone-alpes"
    assert RoleAssignment.objects.get(user__email="expert@education.gouv.fr").role == Role.REVIEWER
    assert RoleAssignment.objects.get(user__email="pilote2@education.gouv.fr").role == Role.PILOT
    # Each grant is audited and told by e-mail; the import has its own entry.
    assert AuditEntry.objects.filter(action=AuditAction.ROLE_GRANTED).count() == 4
    assert AuditEntry.objects.get(action=AuditAction.IMPORTED).data["created"] == 4
    assert OutgoingEmail.objects.filter(to=["nadia.inspectrice@ac-grenoble.fr"]).count() == 1


def test_importing_people_again_adds_disciplines_instead_of_duplicating(pilot, grenoble, maths, nsi):
    run(PEOPLE, csv_bytes([PEOPLE_HEADER, ["ia@ac-grenoble.fr", "Ia", "Ipr", "inspecteur", "grenoble", "", "mathematiques"]]), pilot)
    again = csv_bytes([PEOPLE_HEADER, ["IA@ac-grenoble.fr", "Autre", "Nom", "inspector", "grenoble", "", "mathematiques|nsi"],
                       ["ia@ac-grenoble.fr", "Ia", "Ipr", "teacher", "grenoble", "", ""]])
    report = run(PEOPLE, again, pilot)
    assert statuses(report) == [(2, "update"), (3, "new")]
    user = User.objects.get(email="ia@ac-grenoble.fr")
    assert User.objects.filter(email__iexact="ia@ac-grenoble.fr").count() == 1
    assert user.first_name == "Ia"  # an existing account keeps its names
    assert RoleAssignment.objects.filter(user=user).count() == 2
    assert set(RoleAssignment.objects.get(user=user, role=Role.INSPECTOR).disciplines.all()) == {maths, nsi}
    assert statuses(run(PEOPLE, again, pilot)) == [(2, "skip"), (3, "skip")]


def test_people_lines_are_checked_for_their_scope(pilot):
    content = csv_bytes([
        PEOPLE_HEADER,
        ["a@ac-grenoble.fr", "", "", "inspecteur", "grenoble", "", ""],
        ["b@ac-grenoble.fr", "", "", "enseignant", "", "", ""],
        ["c@ac-grenoble.fr", "", "", "dran", "grenoble", "", ""],
        ["d@ac-grenoble.fr", "", "", "astronaute", "grenoble", "", ""],
        ["pas-une-adresse", "", "", "enseignant", "atlantide", "", ""],
        ["e@ac-grenoble.fr", "", "", "inspecteur", "grenoble", "", "mathematiques|astrologie"],
    ])
    report = check(PEOPLE, content, pilot)
    assert errors(report) == [
        "Ligne 2, colonne « disciplines » : Ce rôle porte sur des disciplines : indiquez au moins un code.",
        "Ligne 3, colonne « académie » : Ce rôle s'exerce dans une académie : indiquez son code.",
        "Ligne 4, colonne « région » : Une DRAN s'exerce dans une région académique : indiquez son code.",
        "Ligne 4, colonne « académie » : Ce rôle ne s'exerce pas dans une académie : laissez cette cellule vide.",
        "Ligne 5, colonne « rôle » : Rôle inconnu : « astronaute ». Rôles possibles : teacher (Enseignant·e), cardie (Représentant·e CARDIE), "
        "inspector (Inspecteur·rice), dan (Délégation académique au numérique (DAN)), dran (Délégation régionale au numérique (DRAN)), "
        "reviewer (Évaluateur·rice national·e), pilot (Pilote national (DNE TN3)).",
        "Ligne 6, colonne « e-mail » : « pas-une-adresse » n'est pas une adresse électronique valide.",
        "Ligne 6, colonne « académie » : Aucune académie n'a le code « atlantide ».",
        "Ligne 7, colonne « disciplines » : Aucune discipline n'a le code « astrologie ».",
    ]


def test_the_same_role_twice_in_a_people_file_is_an_error(pilot):
    content = csv_bytes([PEOPLE_HEADER, ["a@ac-grenoble.fr", "", "", "enseignant", "grenoble", "", ""],
                         ["A@ac-grenoble.fr", "", "", "Enseignant·e", "grenoble", "", ""]])
    assert errors(check(PEOPLE, content, pilot)) == [
        "Ligne 3, colonne « e-mail » : cette ligne reprend la ligne 2 (même « e-mail », « rôle », « académie », « région »)."
    ]


def test_only_the_pilot_imports_reference_data_and_people(dan_grenoble, grenoble):
    content = csv_bytes([PEOPLE_HEADER, ["a@ac-grenoble.fr", "", "", "enseignant", "grenoble", "", ""]])
    for kind in imports.PILOT_KINDS:
        with pytest.raises(PermissionDenied):
            check(kind, content, dan_grenoble)
        with pytest.raises(PermissionDenied):
            run(kind, content, dan_grenoble)
    assert not User.objects.filter(email="a@ac-grenoble.fr").exists()


# --- A DAN's teachers --------------------------------------------------------------------------------------


TEACHER_HEADER = ["e-mail", "prénom", "nom", "uai"]


def test_a_dan_imports_the_teachers_of_their_academy(dan_grenoble, grenoble, teacher_grenoble):
    content = xlsx_bytes([
        ["E-mail", "Prénom", "Nom", "UAI"],
        ["Alice.Bernard@ac-grenoble.fr", "Alice", "Bernard", "0380023u"],
        ["bob.durand@ac-grenoble.fr", "Bob", "Durand", None],
        [teacher_grenoble.email, "", "", ""],
    ])
    report = run(TEACHERS, content, dan_grenoble, name="enseignants.xlsx", academy=grenoble)
    assert report.done, errors(report)
    assert statuses(report) == [(2, "new"), (3, "new"), (4, "skip")]
    alice = User.objects.get(email="alice.bernard@ac-grenoble.fr")
    assert not alice.has_usable_password()
    assert list(RoleAssignment.objects.filter(user=alice).values_list("role", "academy__code", "granted_by")) == [("teacher", "grenoble", dan_grenoble.pk)]
    entry = AuditEntry.objects.get(action=AuditAction.IMPORTED)
    assert (entry.subject, entry.data["created"], entry.data["unchanged"]) == (grenoble, 2, 1)


def test_a_dan_cannot_name_another_academy_or_another_role(dan_grenoble, grenoble):
    content = csv_bytes([
        ["e-mail", "prénom", "nom", "uai", "rôle", "académie"],
        ["a@ac-grenoble.fr", "", "", "", "", "grenoble"],
        ["b@ac-lyon.fr", "", "", "", "", "lyon"],
        ["c@ac-grenoble.fr", "", "", "", "inspecteur", ""],
        ["d@ac-grenoble.fr", "", "", "", "dan", ""],
        ["e@ac-grenoble.fr", "", "", "0380023A", "enseignante", ""],
    ])
    report = run(TEACHERS, content, dan_grenoble, academy=grenoble)
    assert errors(report) == [
        "Ligne 3, colonne « académie » : Cette ligne nomme l'académie de Lyon : cet import ne concerne que l'académie de Grenoble.",
        "Ligne 4, colonne « rôle » : Cet import n'attribue que le rôle d'enseignant·e : laissez la cellule vide ou écrivez « enseignant ».",
        "Ligne 5, colonne « rôle » : Cet import n'attribue que le rôle d'enseignant·e : laissez la cellule vide ou écrivez « enseignant ».",
        "Ligne 6, colonne « uai » : La lettre de contrôle du code UAI 0380023A devrait être U.",
    ]
    assert not User.objects.filter(email__endswith="@ac-grenoble.fr").exclude(email=dan_grenoble.email).exists()


def test_an_unknown_academy_code_is_an_error(dan_grenoble, grenoble):
    content = csv_bytes([["e-mail", "académie"], ["a@ac-grenoble.fr", "atlantide"]])
    assert errors(check(TEACHERS, content, dan_grenoble, academy=grenoble)) == [
        "Ligne 2, colonne « académie » : Aucune académie n'a le code « atlantide »."
    ]


def test_duplicate_emails_within_the_file_are_errors(dan_grenoble, grenoble):
    content = csv_bytes([TEACHER_HEADER, ["a@ac-grenoble.fr", "A", "", ""], ["b@ac-grenoble.fr", "B", "", ""], [" A@AC-grenoble.fr", "A2", "", ""]])
    report = run(TEACHERS, content, dan_grenoble, academy=grenoble)
    assert errors(report) == ["Ligne 4, colonne « e-mail » : cette ligne reprend la ligne 2 (même « e-mail »)."]
    assert not User.objects.filter(email__in=["a@ac-grenoble.fr", "b@ac-grenoble.fr"]).exists()


@pytest.mark.parametrize("academy", ["grenoble", "lyon", "clermont-ferrand"])
def test_a_dran_imports_for_each_academy_of_their_region(dran_ara, academy):
    target = Academy.objects.get(code=academy)
    report = run(TEACHERS, csv_bytes([TEACHER_HEADER, [f"prof@ac-{academy}.fr", "", "", ""]]), dran_ara, academy=target)
    assert report.done
    assert RoleAssignment.objects.filter(user__email=f"prof@ac-{academy}.fr", role=Role.TEACHER, academy=target).exists()


def test_a_dan_cannot_import_into_another_academy(dan_grenoble, dran_ara, inspector_maths_grenoble, teacher_grenoble, lyon):
    content = csv_bytes([TEACHER_HEADER, ["prof@ac-lyon.fr", "", "", ""]])
    for user in (dan_grenoble, inspector_maths_grenoble, teacher_grenoble):
        with pytest.raises(PermissionDenied):
            run(TEACHERS, content, user, academy=lyon)
    with pytest.raises(PermissionDenied):
        run(TEACHERS, content, dran_ara, academy=Academy.objects.get(code="paris"))
    assert not User.objects.filter(email="prof@ac-lyon.fr").exists()
