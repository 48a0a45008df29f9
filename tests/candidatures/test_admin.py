import datetime

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from candidatures.models import Attachment, DeadlineExtension
from tests.utils import text_of
from traam.audit import history


@pytest.mark.parametrize("model", ["proposal", "academicsynthesis", "deadlineextension"])
def test_the_pilot_browses_the_proposals_stage(client, pilot, submitted, model):
    client.force_login(pilot)
    assert client.get(reverse(f"admin:candidatures_{model}_changelist")).status_code == 200


def test_proposals_are_read_only_in_the_admin(client, pilot, submitted):
    client.force_login(pilot)
    page = text_of(client.get(reverse("admin:candidatures_proposal_change", args=[submitted.pk])))
    assert "Différencier avec MathALÉA" in page
    assert "ines.morel@ac-grenoble.fr" in page  # the team inline
    assert client.get(reverse("admin:candidatures_proposal_add")).status_code == 403


@pytest.mark.parametrize("who", ["dan_grenoble", "inspector_maths_grenoble", "teacher_grenoble", "stranger"])
def test_others_do_not_reach_the_admin(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("admin:candidatures_proposal_changelist")).status_code == 302


def test_an_extension_added_in_the_admin_goes_through_the_service(client, pilot, call, grenoble):
    client.force_login(pilot)
    url = reverse("admin:candidatures_deadlineextension_add")
    too_early = client.post(url, {"call": call.pk, "academy": grenoble.pk, "deadline": "2026-03-30", "reason": "Panne"})
    assert too_early.status_code == 200
    assert "La nouvelle date limite doit suivre celle de l'appel (31 mars 2026)." in text_of(too_early)
    assert not DeadlineExtension.objects.exists()
    response = client.post(url, {"call": call.pk, "academy": grenoble.pk, "deadline": "2026-04-10", "reason": "Panne"})
    assert response.status_code == 302
    extension = DeadlineExtension.objects.get()
    assert (extension.deadline, extension.granted_by) == (datetime.date(2026, 4, 10), pilot)
    assert history(call).first().comment == "Date limite reportée au 10 avril 2026 pour l'académie de Grenoble : Panne"


def test_attachments_are_kept_in_the_private_storage():
    field = Attachment._meta.get_field("file")
    # The private storage's location (the instance itself is rebuilt whenever a test overrides STORAGES).
    assert field.storage.base_location == storages["private"].base_location != storages["default"].base_location
    assert field.upload_to == "candidatures/%Y/"
