from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ScenarioState(models.TextChoices):
    """Where a scenario (*séquence pédagogique*) stands, from the group's draft
    to its publication."""

    DRAFT = "draft", pgettext_lazy("scenario state", "brouillon")
    TESTED = "tested", pgettext_lazy("scenario state", "expérimentée en classe")
    SUBMITTED = "submitted", pgettext_lazy("scenario state", "soumise pour validation")
    RETURNED = "returned", pgettext_lazy("scenario state", "à reprendre")
    VALIDATED = "validated", pgettext_lazy("scenario state", "validée")
    PUBLISHED = "published", pgettext_lazy("scenario state", "publiée")

    # The group may change the content.
    editable_by_group = nonmember(("draft", "tested", "returned"))
    # Tested in class (a returned scenario was tested before it was submitted):
    # it may be submitted for validation.
    submittable = nonmember(("tested", "returned"))
    # The piloting inspector may send it back with a comment (until it is published).
    returnable = nonmember(("submitted", "validated"))
    # Waiting for the piloting inspector.
    awaiting_inspector = nonmember(("submitted",))

    # How far each state has gone, for the milestones: a returned scenario was
    # tested in class, it counts as tested.
    progress_rank = nonmember({"draft": 0, "tested": 1, "returned": 1, "submitted": 2, "validated": 3, "published": 4})


class MilestoneKind(models.TextChoices):
    """Jalon of the production calendar."""

    KICK_OFF = "kick_off", pgettext_lazy("milestone", "lancement des groupes")
    STEP = "step", pgettext_lazy("milestone", "étape intermédiaire")
    MID_TERM = "mid_term", pgettext_lazy("milestone", "bilan de mi-parcours")
    FINAL = "final", pgettext_lazy("milestone", "remise des productions")


class HoursState(models.TextChoices):
    """A declaration of hours, as the piloting inspector decides on it."""

    DECLARED = "declared", pgettext_lazy("hours state", "déclarées")
    VALIDATED = "validated", pgettext_lazy("hours state", "validées")
    REFUSED = "refused", pgettext_lazy("hours state", "refusées")


class NationalRole(models.TextChoices):
    """A member's part in the national working group of an entry."""

    IGESR = "igesr", _("membre de l'IGÉSR")
    TN3_EXPERT = "tn3_expert", _("expert·e DNE TN3")
    REFERENT = "referent", _("enseignant·e référent·e académique")


class Licence(models.TextChoices):
    """Open licences a scenario may be published under (see ``productions.licences``)."""

    CC_BY_SA_4 = "cc-by-sa-4.0", "Creative Commons BY-SA 4.0"
    CC_BY_4 = "cc-by-4.0", "Creative Commons BY 4.0"
    CC0 = "cc0-1.0", "Creative Commons Zero (CC0 1.0)"
    ETALAB_2 = "etalab-2.0", _("Licence Ouverte 2.0 (Etalab)")


class MilestoneStatus(models.TextChoices):
    """Where a group stands against a milestone."""

    REACHED = "reached", pgettext_lazy("milestone status", "atteint")
    OVERDUE = "overdue", pgettext_lazy("milestone status", "en retard")
    UPCOMING = "upcoming", pgettext_lazy("milestone status", "à venir")
    # A milestone without expected scenarios (a meeting): its date is past.
    PASSED = "passed", pgettext_lazy("milestone status", "passé")
