from django.core.management import call_command
from django.urls import reverse

from traam.demo import ACCOUNTS, DEMO_CALL_YEAR, DEMO_PASSWORD
from traam.models import AuditEntry, Call, RoleAssignment, Theme, User


def counts():
    return (User.objects.count(), RoleAssignment.objects.count(), Call.objects.count(), Theme.objects.count(), AuditEntry.objects.count())


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert counts() == first
    assert User.objects.filter(email__endswith="@demo.traam.example").count() == 10


def test_demo_call_is_open_for_proposals(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    demo = Call.objects.get(year=DEMO_CALL_YEAR)
    assert demo.is_published
    assert demo.phase().value == "proposals"
    assert demo.entries.count() == 21


def test_every_demo_account_can_sign_in(client, db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    for email, *_ in ACCOUNTS:
        client.logout()
        response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert client.get(reverse("dashboard")).status_code == 200, email
