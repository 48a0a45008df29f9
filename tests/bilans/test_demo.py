"""The bilans' demo (bilans/demo.py): the 2026-2027 Mathématiques bilan and
the focus on AI, generated and published by the demo pilot; once only."""

from django.core.management import call_command

from bilans.models import BilanRun
from traam.models import AuditEntry


def seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def test_the_demo_publishes_two_bilans_once(db):
    seed()
    runs = {run.code: run for run in BilanRun.objects.select_related("call", "entry", "requested_by")}
    assert sorted(runs) == ["ia", "mathematiques"]
    for run in runs.values():
        assert (run.call.year, run.version, run.state, run.is_published) == ("2026-2027", 1, "done", True)
        assert run.requested_by.email == "pilote@demo.traam.example" and run.pages > 3
        with run.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
    assert runs["mathematiques"].scenario_count == 5
    before = (BilanRun.objects.count(), AuditEntry.objects.count())
    seed()
    assert (BilanRun.objects.count(), AuditEntry.objects.count()) == before
