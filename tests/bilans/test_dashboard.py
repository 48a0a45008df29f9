"""The bilans' links on the dashboard (bilans/dashboard.py)."""


import pytest

from bilans import rendering, services
from bilans.dashboard import bilans_actions
from traam.enums import CallPhase, Role

pytestmark = pytest.mark.urls("tests.bilans.urls")


def test_the_pilot_reaches_the_bilans_during_production_and_after(call, pilot):
    assert bilans_actions(pilot, Role.PILOT, call, CallPhase.PRODUCTION) == [{"url": "/bilans/pilotage/2026-2027/", "label": "Bilans nationaux"}]
    assert bilans_actions(pilot, Role.PILOT, call, CallPhase.SELECTION) == []


def test_others_see_the_published_bilans_at_the_end_of_the_year(corpus, call, maths_entry, pilot, dan_grenoble):
    assert bilans_actions(dan_grenoble, Role.DAN, call, CallPhase.BILANS) == []
    run, _ = services.request_bilan(call, maths_entry, acting_user=pilot)
    rendering.render_run(run.pk)
    services.publish_bilan(run, acting_user=pilot)
    assert bilans_actions(dan_grenoble, Role.DAN, call, CallPhase.BILANS) == [{"url": "/bilans/2026-2027/", "label": "Bilans nationaux publiés"}]
    assert bilans_actions(dan_grenoble, Role.DAN, call, CallPhase.PRODUCTION) == []
