from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    """The portal's roles; each assignment carries a scope (see ``traam.scopes``)."""

    TEACHER = "teacher", _("Enseignant·e")
    CARDIE = "cardie", _("Représentant·e CARDIE")
    INSPECTOR = "inspector", _("Inspecteur·rice")
    DAN = "dan", _("Délégation académique au numérique (DAN)")
    DRAN = "dran", _("Délégation régionale au numérique (DRAN)")
    REVIEWER = "reviewer", _("Évaluateur·rice national·e")
    PILOT = "pilot", _("Pilote national (DNE TN3)")

    # Roles whose scope is one academy.
    academy_roles = nonmember(("teacher", "cardie", "inspector", "dan"))
    # Roles that also carry disciplines.
    discipline_roles = nonmember(("inspector", "reviewer"))
    # Roles a DAN/DRAN may grant inside their academies.
    grantable_by_academy = nonmember(("teacher", "cardie"))
    # Roles that must use a second factor when TRAAM_REQUIRE_MFA is on.
    mfa_required = nonmember(("reviewer", "pilot"))


class CallPhase(models.TextChoices):
    """Where a call stands in its year, derived from its dates."""

    UPCOMING = "upcoming", pgettext_lazy("call phase", "À venir")
    PROPOSALS = "proposals", pgettext_lazy("call phase", "Dépôt des candidatures")
    SELECTION = "selection", pgettext_lazy("call phase", "Sélection nationale")
    RESULTS = "results", pgettext_lazy("call phase", "Résultats et constitution des groupes")
    PRODUCTION = "production", pgettext_lazy("call phase", "Production des scénarios")
    BILANS = "bilans", pgettext_lazy("call phase", "Bilans et valorisation")


class EligibilityRule(models.TextChoices):
    NONE = "", _("Aucune condition particulière")
    PRIOR_PARTICIPATION = "prior_participation", _(
        "Participation de l'académie à l'année 1 de la thématique"
    )


class AuditAction(models.TextChoices):
    CREATED = "created", _("création")
    UPDATED = "updated", _("modification")
    STATE_CHANGED = "state_changed", _("changement d'état")
    ROLE_GRANTED = "role_granted", _("rôle attribué")
    ROLE_REVOKED = "role_revoked", _("rôle retiré")
    CLONED = "cloned", _("copie")
    IMPORTED = "imported", _("import")
