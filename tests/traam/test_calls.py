import datetime

import pytest

from traam.enums import CallPhase
from traam.models import PARIS, Call

D = datetime.date


@pytest.fixture
def call(db):
    return Call.objects.get(year="2026-2027")


@pytest.mark.parametrize(
    ("day", "phase"),
    [
        (D(2026, 1, 11), CallPhase.UPCOMING),
        (D(2026, 1, 12), CallPhase.PROPOSALS),
        (D(2026, 3, 31), CallPhase.PROPOSALS),
        (D(2026, 4, 1), CallPhase.SELECTION),
        (D(2026, 6, 15), CallPhase.RESULTS),
        (D(2026, 9, 1), CallPhase.PRODUCTION),
        (D(2026, 11, 24), CallPhase.PRODUCTION),
        (D(2027, 4, 30), CallPhase.PRODUCTION),
        (D(2027, 5, 1), CallPhase.BILANS),
    ],
)
def test_phase_follows_the_calendar(call, day, phase):
    assert call.phase(day) == phase


def test_next_milestone(call):
    nxt = call.next_milestone(D(2026, 11, 24))
    assert nxt["date"] == D(2027, 4, 30)
    assert nxt["days_left"] == 157
    assert call.next_milestone(D(2026, 3, 31))["date"] == D(2026, 3, 31)
    assert call.next_milestone(D(2027, 5, 2)) is None


def test_synthesis_deadline_is_the_end_of_the_day_in_paris(call):
    last_minute = datetime.datetime(2026, 3, 31, 23, 59, tzinfo=PARIS)
    too_late = datetime.datetime(2026, 4, 1, 0, 0, 30, tzinfo=PARIS)
    assert call.accepts_proposals(last_minute)
    # 22:30 UTC on 31 March is already 1 April in Paris (summer time).
    assert not call.accepts_proposals(datetime.datetime(2026, 3, 31, 22, 30, tzinfo=datetime.UTC))
    assert not call.accepts_proposals(too_late)


def test_unpublished_call_accepts_nothing(call):
    call.is_published = False
    assert not call.accepts_proposals(datetime.datetime(2026, 2, 1, 12, tzinfo=PARIS))


def test_current_call_is_the_latest_opened(call):
    later = Call.objects.create(
        year="2030-2031", title="Futur", opens_on=D(2030, 1, 1), synthesis_deadline=D(2030, 3, 31), results_on=D(2030, 6, 15),
        production_starts_on=D(2030, 9, 1), production_ends_on=D(2031, 4, 30), is_published=True,
    )
    assert Call.objects.current(D(2026, 11, 24)) == call
    assert Call.objects.current(D(2030, 2, 1)) == later


def test_dates_must_be_in_order(call):
    from django.core.exceptions import ValidationError

    call.results_on = D(2026, 1, 1)
    with pytest.raises(ValidationError):
        call.full_clean()
