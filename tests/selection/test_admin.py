import pytest
from django.urls import reverse

from selection import services
from selection.enums import Recommendation
from selection.models import Criterion
from tests.selection.conftest import criteria, scores_of
from tests.utils import text_of
from traam.audit import history

MODELS = ["scoringgrid", "criterion", "reviewassignment", "conflictdeclaration", "review", "selection", "emptyseatreason", "publication"]


@pytest.mark.parametrize("model", MODELS)
def test_the_pilot_browses_the_selection(client, pilot, assignment, model):
    client.force_login(pilot)
    assert client.get(reverse(f"admin:selection_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", [m for m in MODELS if m != "criterion"])
def test_the_selection_is_read_only_in_the_admin(client, pilot, model):
    client.force_login(pilot)
    assert client.get(reverse(f"admin:selection_{model}_add")).status_code == 403


@pytest.mark.parametrize("who", ["reviewer_national", "dan_grenoble", "inspector_maths_grenoble", "teacher_grenoble", "stranger"])
def test_others_do_not_reach_the_admin(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("admin:selection_review_changelist")).status_code == 302


def test_criteria_edited_in_the_admin_go_through_the_services(client, pilot, grid):
    client.force_login(pilot)
    url = reverse("admin:selection_criterion_add")
    data = {"grid": grid.pk, "label": "Originalité", "description": "", "weight": 2, "scale_min": 3, "scale_max": 1, "order": 0}
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "La note maximale doit être supérieure à la note minimale." in text_of(refused)
    assert client.post(url, {**data, "scale_min": 1, "scale_max": 5}).status_code == 302
    added = Criterion.objects.get(label="Originalité")
    assert (added.weight, added.scale_min, added.scale_max, added.order) == (2, 1, 5, 7)
    assert history(grid).first().comment == "Critère ajouté : Originalité"
    change = reverse("admin:selection_criterion_change", args=[added.pk])
    assert client.post(change, {**data, "label": "Originalité du projet", "scale_min": 1, "scale_max": 5, "order": 7}).status_code == 302
    assert history(grid).first().comment == "Critère modifié : Originalité du projet"
    assert client.post(reverse("admin:selection_criterion_delete", args=[added.pk]), {"post": "yes"}).status_code == 302
    assert history(grid).first().comment == "Critère retiré : Originalité du projet"


def test_a_locked_grid_cannot_be_edited_in_the_admin(client, pilot, grid, assignment, reviewer_national):
    services.submit_review(assignment, acting_user=reviewer_national, scores=scores_of(grid, *[3] * 6), recommendation=Recommendation.SELECT)
    client.force_login(pilot)
    first = criteria(grid)[0]
    response = client.post(
        reverse("admin:selection_criterion_add"),
        {"grid": grid.pk, "label": "Tardif", "description": "", "weight": 1, "scale_min": 0, "scale_max": 4, "order": 0},
    )
    assert "La grille d'évaluation ne peut plus être modifiée : une évaluation a déjà été soumise." in text_of(response)
    assert client.post(reverse("admin:selection_criterion_delete", args=[first.pk]), {"post": "yes"}).status_code == 403
    page = client.get(reverse("admin:selection_criterion_change", args=[first.pk]))
    assert page.status_code == 200 and 'name="label"' not in page.content.decode()  # view only
    assert Criterion.objects.count() == 6
