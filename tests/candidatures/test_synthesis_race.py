"""Two DAN requests send the same synthesis at the same instant, on PostgreSQL:
exactly one send, one set of e-mails, one audit entry per proposal."""

import threading

import pytest
from django.db import close_old_connections, connection

from candidatures import services
from candidatures.enums import ProposalState
from candidatures.models import AcademicSynthesis, Proposal
from candidatures.services import ProposalError
from tests.candidatures.conftest import IN_WINDOW
from traam.audit import history
from traam.models import OutgoingEmail

pytestmark = pytest.mark.services


@pytest.fixture
def composed(transactional_db, call, grenoble, dan_grenoble, maths_theme, teacher_grenoble, colleague_grenoble):
    if connection.vendor != "postgresql":
        pytest.skip("row locking under concurrency is checked on PostgreSQL (the CI run sets DATABASE_URL)")
    first = Proposal.objects.create(theme=maths_theme, academy=grenoble, lead=teacher_grenoble, title="Parcours A", state=ProposalState.RETAINED)
    second = Proposal.objects.create(theme=maths_theme, academy=grenoble, lead=colleague_grenoble, title="Parcours B", state=ProposalState.RETAINED)
    return services.compose_synthesis(call, grenoble, acting_user=dan_grenoble, cover_note="", items=[(first, 1, ""), (second, 2, "")], now=IN_WINDOW)


def test_two_simultaneous_sends_make_one_send(composed, dan_grenoble):
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        close_old_connections()  # each thread opens its own database connection
        try:
            synthesis = AcademicSynthesis.objects.get(pk=composed.pk)
            barrier.wait(timeout=10)
            services.send_synthesis(synthesis, acting_user=dan_grenoble, now=IN_WINDOW)
            outcomes.append("sent")
        except ProposalError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["refused", "sent"]
    assert set(Proposal.objects.values_list("state", flat=True)) == {ProposalState.SENT}
    assert history(AcademicSynthesis.objects.get(pk=composed.pk)).filter(to_state="sent").count() == 1
    for proposal in Proposal.objects.all():
        assert history(proposal).filter(to_state=ProposalState.SENT).count() == 1
    # One « synthèse reçue » to the pilots' list and one receipt, not two of each.
    assert OutgoingEmail.objects.count() == 2
