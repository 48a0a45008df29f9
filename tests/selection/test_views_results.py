"""The academies' results of the national selection, through HTTP: nothing
before the publication (only when it is expected), then each academy's
selected and not-selected proposals, for its DAN/DRAN and its inspectors only
— and never anything of the national reviews."""

import datetime

import pytest
from django.urls import reverse

from candidatures.models import Proposal
from selection import services
from selection.enums import Recommendation
from tests.selection.conftest import AFTER_DEADLINE, justify_other_entries, make_sent, scores_of
from tests.utils import text_of
from traam.models import Academy, Call
from traam.services import clone_call

LOGIN = "/comptes/login/"
SCRIPT = "<script>alert('x')</script>"
REVIEW_COMMENT = "Commentaire confidentiel de l'évaluatrice"


def results_url(call):
    return reverse("selection:results", args=[call.year])


def detail_url(proposal):
    return reverse("candidatures:detail", args=[proposal.pk])


@pytest.fixture
def reviewed(assignment, sent_grenoble, sent_lyon, grid, pilot, reviewer_national):
    """Both proposals under review; the Grenoble one scored with a comment."""
    services.submit_review(
        sent_grenoble, acting_user=reviewer_national, scores=scores_of(grid, 3, 3, 3, 3, 3, 3),
        comment=REVIEW_COMMENT, recommendation=Recommendation.PRIORITY,
    )
    return sent_grenoble, sent_lyon


@pytest.fixture
def published(reviewed, call, pilot):
    """Grenoble's proposal selected, Lyon's not; every entry explained."""
    grenoble_proposal, lyon_proposal = reviewed
    services.select(grenoble_proposal, acting_user=pilot)
    justify_other_entries(call, pilot)
    return services.publish_results(call, acting_user=pilot, now=AFTER_DEADLINE)


def test_urls(call):
    assert reverse("selection:results") == "/selection/resultats/"
    assert results_url(call) == "/selection/resultats/2026-2027/"


# --- Before the publication -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["dan_grenoble", "inspector_maths_grenoble", "dran_ara", "pilot"])
def test_before_the_publication_only_the_expected_date_is_shown(request, client, reviewed, call, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(results_url(call))
    assert response.status_code == 200
    page = text_of(response)
    assert page.count("<h1") == 1
    assert "Les résultats ne sont pas encore publiés" in page
    assert "étaient attendus le 15 juin 2026" in page  # the demo clock is past that date
    for proposal in reviewed:
        assert proposal.title not in page
    assert REVIEW_COMMENT not in page and "15,00" not in page and "sélectionner en priorité" not in page


def test_the_expected_date_reads_in_the_future_when_it_is(client, dan_grenoble, call, pilot):
    dates = {
        "opens_on": datetime.date(2098, 11, 2), "synthesis_deadline": datetime.date(2099, 3, 31), "results_on": datetime.date(2099, 6, 15),
        "production_starts_on": datetime.date(2099, 9, 1), "production_ends_on": datetime.date(2100, 4, 30),
    }
    later = clone_call(call, year="2098-2099", title="Appel à projet 2098-2099", dates=dates, acting_user=pilot)
    Call.objects.filter(pk=later.pk).update(is_published=True)
    client.force_login(dan_grenoble)
    page = text_of(client.get(results_url(later)))
    assert "Les résultats de la sélection nationale de l'appel 2098-2099 seront publiés vers le 15 juin 2099." in page


# --- After the publication ------------------------------------------------------------------------


def test_the_dan_sees_their_academys_results_and_no_other(client, published, sent_grenoble, sent_lyon, call, dan_grenoble):
    client.force_login(dan_grenoble)
    response = client.get(results_url(call))
    assert response.status_code == 200
    page = text_of(response)
    assert "Publiés le 15 juin 2026" in page
    assert "Académie de Grenoble" in page and "Académie de Lyon" not in page
    assert "Candidatures sélectionnées" in page and "Sélectionnées : 1 sur 1 candidature transmise à la DNE." in page
    assert sent_grenoble.title in page and f'href="{detail_url(sent_grenoble)}"' in page
    assert sent_lyon.title not in page
    # Nothing of the national reviews, even now.
    assert REVIEW_COMMENT not in page and "15,00" not in page and "sélectionner en priorité" not in page
    # The link leads to a page the DAN may open.
    assert client.get(detail_url(sent_grenoble)).status_code == 200


def test_lyons_dan_never_sees_grenobles_results(client, published, sent_grenoble, sent_lyon, call, dan_lyon):
    client.force_login(dan_lyon)
    page = text_of(client.get(results_url(call)))
    assert "Académie de Lyon" in page and "Académie de Grenoble" not in page
    assert sent_lyon.title in page and sent_grenoble.title not in page
    assert "Candidatures non sélectionnées" in page and "Aucune candidature de l'académie n'est sélectionnée." in page
    assert "non sélectionnée" in page


def test_the_dran_sees_every_academy_of_the_region(client, published, sent_grenoble, sent_lyon, call, dran_ara):
    client.force_login(dran_ara)
    page = text_of(client.get(results_url(call)))
    assert page.index("Académie de Grenoble") < page.index(sent_grenoble.title) < page.index("Académie de Lyon") < page.index(sent_lyon.title)


def test_inspectors_see_their_academy_and_discipline_only(
    client, published, sent_grenoble, sent_lyon, call, inspector_maths_grenoble, inspector_nsi_grenoble,
):
    client.force_login(inspector_maths_grenoble)
    page = text_of(client.get(results_url(call)))
    assert sent_grenoble.title in page and sent_lyon.title not in page
    client.force_login(inspector_nsi_grenoble)
    page = text_of(client.get(results_url(call)))
    assert sent_grenoble.title not in page
    assert "Aucune candidature de vos académies et disciplines n'a été transmise à la DNE pour cet appel." in page


def test_the_pilot_sees_every_academy(client, published, sent_grenoble, sent_lyon, call, pilot):
    client.force_login(pilot)
    page = text_of(client.get(results_url(call)))
    assert sent_grenoble.title in page and sent_lyon.title in page


def test_titles_are_escaped(client, maths_theme, call, pilot, lyon, dan_lyon):
    make_sent(maths_theme, lyon, f"Projet {SCRIPT}")
    justify_other_entries(call, pilot)
    services.publish_results(call, acting_user=pilot, now=AFTER_DEADLINE)
    client.force_login(dan_lyon)
    html = client.get(results_url(call)).content.decode()
    assert "Projet &lt;script&gt;" in html and SCRIPT not in html


def test_the_default_page_is_the_latest_published_results(client, published, call, pilot, dan_grenoble):
    dates = {
        "opens_on": datetime.date(2026, 11, 2), "synthesis_deadline": datetime.date(2027, 3, 31), "results_on": datetime.date(2027, 6, 15),
        "production_starts_on": datetime.date(2027, 9, 1), "production_ends_on": datetime.date(2028, 4, 30),
    }
    later = clone_call(call, year="2027-2028", title="Appel à projet 2027-2028", dates=dates, acting_user=pilot)
    Call.objects.filter(pk=later.pk).update(is_published=True)
    client.force_login(dan_grenoble)
    response = client.get(reverse("selection:results"))
    assert response.status_code == 302 and response.url == results_url(call)
    page = text_of(client.get(results_url(call)))
    assert f'href="{results_url(later)}"' in page and f'<p class="fr-tag" aria-current="page">{call.year}</p>' in page


def test_without_any_publication_the_default_page_is_the_current_call(client, call, dan_grenoble):
    client.force_login(dan_grenoble)
    response = client.get(reverse("selection:results"))
    assert response.status_code == 302 and response.url == results_url(Call.objects.current())


def test_an_unknown_or_unpublished_call_is_not_found(client, call, pilot, dan_grenoble):
    dates = {
        "opens_on": datetime.date(2026, 11, 2), "synthesis_deadline": datetime.date(2027, 3, 31), "results_on": datetime.date(2027, 6, 15),
        "production_starts_on": datetime.date(2027, 9, 1), "production_ends_on": datetime.date(2028, 4, 30),
    }
    hidden = clone_call(call, year="2027-2028", title="Appel à projet 2027-2028", dates=dates, acting_user=pilot)
    client.force_login(dan_grenoble)
    assert client.get(reverse("selection:results", args=["1999-2000"])).status_code == 404
    assert client.get(results_url(hidden)).status_code == 404


# --- Who may not -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["teacher_grenoble", "reviewer_national", "reviewer_maths", "cardie_grenoble", "stranger"])
def test_the_page_is_for_academies_and_the_pilot_only(request, client, published, call, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("selection:results")).status_code == 403
    assert client.get(results_url(call)).status_code == 403


def test_anonymous_people_are_sent_to_the_login_page(client, published, call):
    for url in (reverse("selection:results"), results_url(call)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_the_page_runs_a_bounded_number_of_queries(client, maths_theme, call, pilot, dran_ara, django_assert_max_num_queries):
    grenoble, lyon = Academy.objects.get(code="grenoble"), Academy.objects.get(code="lyon")
    proposals = [make_sent(maths_theme, (grenoble, lyon)[number % 2], f"Projet numéro {number:02d}") for number in range(30)]
    for proposal in proposals[:5]:
        services.select(proposal, acting_user=pilot)
    justify_other_entries(call, pilot, "mathematiques")
    services.publish_results(call, acting_user=pilot, now=AFTER_DEADLINE)
    client.force_login(dran_ara)
    with django_assert_max_num_queries(12):
        response = client.get(results_url(call))
    page = text_of(response)
    assert page.count("Projet numéro") == 30
    assert Proposal.objects.filter(state="selected").count() == 5


def test_dashboard_links_of_the_selection(client, db):
    """Reviewers find their reviews to do, the pilot the selection, the academies the results."""
    from tests.factories import make_user
    from traam.enums import Role
    from traam.models import Academy, Call, Discipline

    call = Call.objects.get(year="2026-2027")  # in production today: results are for the academies
    dan = make_user("dan.links@example.test", Role.DAN, academy=Academy.objects.get(code="grenoble"))
    pilot = make_user("pilote.links@example.test", Role.PILOT)
    reviewer = make_user("revue.links@example.test", Role.REVIEWER, disciplines=[Discipline.objects.get(code="nsi")])
    client.force_login(dan)
    assert reverse("selection:results", args=[call.year]) in client.get(reverse("dashboard")).content.decode()
    client.force_login(pilot)
    assert reverse("selection:pilot", args=[call.year]) not in client.get(reverse("dashboard")).content.decode()
    client.force_login(reviewer)
    # Nothing to review in production.
    assert reverse("selection:reviewer_list") + "?appel=" not in client.get(reverse("dashboard")).content.decode()
    # In the selection phase the reviewer's card counts what is left to do.
    Call.objects.filter(pk=call.pk).update(
        synthesis_deadline=datetime.date.today() - datetime.timedelta(days=1), results_on=datetime.date.today() + datetime.timedelta(days=20),
        production_starts_on=datetime.date.today() + datetime.timedelta(days=60), production_ends_on=datetime.date.today() + datetime.timedelta(days=200),
    )
    page = client.get(reverse("dashboard")).content.decode()
    assert "0 évaluation à rendre" in page and reverse("selection:reviewer_list") + f"?appel={call.year}" in page
    client.force_login(pilot)
    assert reverse("selection:pilot", args=[call.year]) in client.get(reverse("dashboard")).content.decode()
