import datetime
from collections import Counter

from django.core.management import call_command

from candidatures.models import AcademicSynthesis, Proposal
from traam.demo import demo_call_dates


def states():
    return Counter((p.theme.entry.call.year, p.academy.code, p.state) for p in Proposal.objects.select_related("theme__entry__call", "academy"))


def test_seed_demo_adds_proposals_at_every_academic_state(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert states() == {
        ("2026-2027", "grenoble", "sent"): 2,
        ("2026-2027", "lyon", "not_retained"): 1,
        ("2027-2028", "grenoble", "draft"): 1,
        ("2027-2028", "grenoble", "submitted"): 1,
        ("2027-2028", "lyon", "returned"): 1,
        ("2027-2028", "lyon", "retained"): 1,
    }
    synthesis = AcademicSynthesis.objects.get()
    assert synthesis.academy.code == "grenoble" and synthesis.sent_at is not None
    assert [item.priority for item in synthesis.items.order_by("priority")] == [1, 2]


def test_seed_demo_twice_adds_nothing(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    before = states()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert states() == before


def test_demo_call_stays_open_whenever_it_is_loaded():
    for today in (datetime.date(2026, 11, 24), datetime.date(2027, 5, 10), datetime.date(2029, 1, 1)):
        dates = demo_call_dates(today)
        assert dates["opens_on"] <= today <= dates["synthesis_deadline"]
        assert dates["synthesis_deadline"] <= dates["results_on"] <= dates["production_starts_on"] <= dates["production_ends_on"]
    assert demo_call_dates(datetime.date(2026, 11, 24))["synthesis_deadline"] == datetime.date(2027, 3, 31)
