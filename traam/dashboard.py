"""What each role is expected to do in each phase of a call (the dashboard).
Later stages add their own panels next to these."""

from django.utils.translation import gettext_lazy as _

from . import scopes
from .enums import CallPhase, Role

EXPECTATIONS = {
    Role.TEACHER: {
        CallPhase.UPCOMING: _("Prenez connaissance des thématiques et rapprochez-vous de votre corps d'inspection ou de votre DAN/DRAN."),
        CallPhase.PROPOSALS: _("Constituez votre équipe et déposez votre candidature sur une thématique avant la date limite fixée par votre académie."),
        CallPhase.SELECTION: _("Votre candidature est à l'étude au niveau national : aucune action n'est attendue de votre part."),
        CallPhase.RESULTS: _("Consultez les résultats de la sélection nationale et préparez le lancement de votre groupe de travail."),
        CallPhase.PRODUCTION: _("Concevez, expérimentez en classe et documentez vos séquences pédagogiques ; déclarez vos heures."),
        CallPhase.BILANS: _("Vos scénarios publiés sont valorisés dans le bilan national et le catalogue."),
    },
    Role.CARDIE: {
        CallPhase.PROPOSALS: _("Accompagnez les équipes de votre académie qui préparent une candidature."),
        CallPhase.PRODUCTION: _("Participez aux groupes de travail académiques et suivez leurs productions."),
    },
    Role.INSPECTOR: {
        CallPhase.PROPOSALS: _("Donnez l'avis académique sur les candidatures de vos disciplines et décidez de celles que l'académie retient."),
        CallPhase.SELECTION: _("Les candidatures retenues sont transmises à la DNE : attendez les résultats de la sélection nationale."),
        CallPhase.RESULTS: _("Consultez les résultats et préparez le pilotage des groupes de travail retenus."),
        CallPhase.PRODUCTION: _("Pilotez les groupes de travail, validez les scénarios et les heures déclarées."),
        CallPhase.BILANS: _("Suivez la valorisation des productions de vos groupes."),
    },
    Role.DAN: {
        CallPhase.PROPOSALS: _("Suivez les candidatures de l'académie et envoyez la synthèse académique à la DNE avant la date limite."),
        CallPhase.SELECTION: _("La synthèse est transmise : la DNE instruit les dossiers."),
        CallPhase.RESULTS: _("Recevez les résultats et informez les équipes de l'académie."),
        CallPhase.PRODUCTION: _("Suivez l'avancement des groupes de l'académie et exportez les heures validées pour leur mise en paiement."),
        CallPhase.BILANS: _("Exportez les dernières heures validées et relayez les bilans nationaux."),
    },
    Role.REVIEWER: {
        CallPhase.PROPOSALS: _("Les synthèses académiques arrivent jusqu'à la date limite : vos évaluations commenceront ensuite."),
        CallPhase.SELECTION: _("Évaluez les candidatures qui vous sont attribuées et déclarez tout conflit d'intérêts."),
        CallPhase.PRODUCTION: _("Accompagnez le groupe de travail national de vos disciplines."),
    },
    Role.PILOT: {
        CallPhase.UPCOMING: _("Préparez l'appel : thématiques, dates, grille d'évaluation."),
        CallPhase.PROPOSALS: _("Suivez les dépôts et préparez l'attribution des évaluateur·rices."),
        CallPhase.SELECTION: _("Attribuez les candidatures, suivez les évaluations et arrêtez la sélection de chaque discipline."),
        CallPhase.RESULTS: _("Publiez les résultats et constituez les groupes de travail nationaux."),
        CallPhase.PRODUCTION: _("Suivez l'avancement des groupes au regard du calendrier."),
        CallPhase.BILANS: _("Générez et publiez les bilans nationaux."),
    },
}
EXPECTATIONS[Role.DRAN] = EXPECTATIONS[Role.DAN]


# Each stage registers what a person can open from their dashboard: callables
# ``provider(user, role, call, phase)`` returning a list of
# ``{"url": ..., "label": ...}`` (see ``candidatures/dashboard.py``).
ACTION_PROVIDERS = []


def register_actions(provider):
    ACTION_PROVIDERS.append(provider)
    return provider


def panels(user, calls, today=None):
    """One panel per role held, each listing, per call, its phase, what is
    expected, the next deadline and the stages' links for that role."""
    result = []
    for assignment_role in sorted(scopes.roles(user), key=lambda r: list(Role.values).index(r)):
        role = Role(assignment_role)
        items = []
        for call in calls:
            phase = call.phase(today)
            items.append({
                "call": call,
                "phase": phase,
                "expected": EXPECTATIONS.get(role, {}).get(phase, ""),
                "next": call.next_milestone(today),
                "actions": [action for provider in ACTION_PROVIDERS for action in provider(user, role, call, phase)],
            })
        result.append({"role": role, "label": role.label, "items": items})
    return result
