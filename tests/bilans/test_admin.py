"""The bilans' runs in the admin (bilans/admin.py): read by the pilot, changed only through the services."""

from django.urls import reverse

from bilans import services
from tests.utils import text_of


def test_the_pilot_reads_the_runs(client, corpus, call, maths_entry, pilot):
    run, _ = services.request_bilan(call, maths_entry, acting_user=pilot)
    client.force_login(pilot)
    assert "Mathématiques — 2026-2027 — version 1" in text_of(client.get(reverse("admin:bilans_bilanrun_changelist")))
    assert client.get(reverse("admin:bilans_bilanrun_change", args=[run.pk])).status_code == 200
    assert client.get(reverse("admin:bilans_bilanrun_add")).status_code == 403


def test_others_do_not_reach_them(client, dan_grenoble):
    client.force_login(dan_grenoble)
    assert client.get(reverse("admin:bilans_bilanrun_changelist")).status_code == 302
