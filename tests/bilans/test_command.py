"""``manage.py generate_bilans`` (bilans/management/commands/generate_bilans.py):
the same services as the pilot's page, acting as the system; without a broker
the runs render inline before the command prints them."""

import io

import pytest
from django.core.management import CommandError, call_command

from bilans.enums import RunState
from bilans.models import BilanRun
from traam.audit import history


def run_command(*args):
    out = io.StringIO()
    call_command("generate_bilans", *args, stdout=out)
    return out.getvalue().splitlines()


def test_it_generates_the_bilans_asked_for_and_prints_their_files(transactional_db, corpus, settings):
    lines = run_command("--call", "2026-2027", "--entry", "mathematiques", "--focus", "ai", "--wait")
    maths, focus = BilanRun.objects.select_related("entry").order_by("kind")
    assert (maths.state, focus.state) == (RunState.DONE, RunState.DONE)
    assert lines == [
        f"2026-2027 · Mathématiques · version 1 · terminé · {maths.pages} pages · {settings.MEDIA_ROOT / maths.file.name}",
        f"2026-2027 · Focus sur les usages de l'intelligence artificielle · version 1 · terminé · {focus.pages} pages · {settings.MEDIA_ROOT / focus.file.name}",
    ]
    assert maths.requested_by is None  # the system
    assert [entry.actor for entry in history(maths)] == [None, None, None]


def test_without_a_choice_it_generates_every_bilan(transactional_db, corpus):
    lines = run_command("--call", "2026-2027")
    assert sorted(run.code for run in BilanRun.objects.select_related("entry")) == ["ia", "lettres", "mathematiques"]
    assert [line.split(" · ")[1] for line in lines] == ["Lettres", "Mathématiques", "Focus sur les usages de l'intelligence artificielle"]


def test_it_can_act_as_a_pilot(transactional_db, corpus, pilot, teacher_grenoble):
    run_command("--call", "2026-2027", "--entry", "lettres", "--as", pilot.email)
    assert BilanRun.objects.get().requested_by == pilot
    with pytest.raises(CommandError, match="Seul·e un·e pilote national·e peut générer les bilans."):
        run_command("--call", "2026-2027", "--entry", "lettres", "--as", teacher_grenoble.email)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--call", "1999-2000"], "Aucun appel 1999-2000."),
        (["--call", "2026-2027", "--entry", "inconnue"], "L'appel 2026-2027 n'a pas de discipline « inconnue »."),
        (["--call", "2026-2027", "--entry", "philosophie"], "Aucune séquence publiée en Philosophie pour l'appel 2026-2027 : le bilan serait vide."),
    ],
)
def test_it_explains_what_it_cannot_do(db, corpus, args, message):
    with pytest.raises(CommandError, match=message):
        run_command(*args)
    assert not BilanRun.objects.exists()
