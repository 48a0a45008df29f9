"""The Proposals stage's links on the dashboard: each role finds, on the
call's card, the page where something is waiting for them."""

from django.urls import reverse

from candidatures.enums import ProposalState
from candidatures.models import Proposal
from tests.candidatures.conftest import open_window
from tests.utils import text_of


def dashboard(client, user):
    client.force_login(user)
    return client.get(reverse("dashboard"))


def test_the_inspector_sees_how_many_proposals_wait_for_them(client, call, maths_theme, nsi_theme, grenoble, lyon, teacher_grenoble, teacher_lyon, inspector_maths_grenoble):
    open_window(call)
    for title in ("Un", "Deux"):
        Proposal.objects.create(theme=maths_theme, academy=grenoble, lead=teacher_grenoble, title=title, state=ProposalState.SUBMITTED)
    Proposal.objects.create(theme=nsi_theme, academy=grenoble, lead=teacher_grenoble, title="NSI", state=ProposalState.SUBMITTED)
    Proposal.objects.create(theme=maths_theme, academy=lyon, lead=teacher_lyon, title="Lyon", state=ProposalState.SUBMITTED)
    page = text_of(dashboard(client, inspector_maths_grenoble))
    assert "2 candidatures à examiner" in page


def test_the_dan_and_the_pilot_find_the_synthesis_pages(client, call, dan_grenoble, pilot):
    open_window(call)
    html = dashboard(client, dan_grenoble).content.decode()
    assert reverse("candidatures:academy", args=[call.year, "grenoble"]) in html
    assert "Suivi et synthèse de l&#x27;académie de Grenoble" in html
    assert reverse("candidatures:syntheses", args=[call.year]) in dashboard(client, pilot).content.decode()


def test_the_teacher_finds_their_proposals(client, call, teacher_grenoble):
    open_window(call)
    assert reverse("candidatures:list") in dashboard(client, teacher_grenoble).content.decode()


def test_no_link_where_the_phase_asks_nothing(client, call, inspector_maths_grenoble):
    # 2026-2027 is in production today: nothing to examine any more.
    assert "à examiner" not in text_of(dashboard(client, inspector_maths_grenoble))
