from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BilanKind(models.TextChoices):
    """What a bilan covers: one entry of the call (*bilan national d'une
    discipline ou d'un enseignement*), or the cross-discipline focus on the
    uses of artificial intelligence (*focus sur les usages de l'IA*)."""

    ENTRY = "entry", _("bilan d'une discipline ou d'un enseignement")
    FOCUS_AI = "focus_ai", _("focus sur les usages de l'intelligence artificielle")

    # The public address of the focus, where an entry's bilan has its code.
    FOCUS_AI_CODE = nonmember("ia")


class RunState(models.TextChoices):
    """Where one rendering (*génération*) of a bilan stands."""

    QUEUED = "queued", pgettext_lazy("bilan run state", "en file d'attente")
    RUNNING = "running", pgettext_lazy("bilan run state", "en cours")
    DONE = "done", pgettext_lazy("bilan run state", "terminé")
    FAILED = "failed", pgettext_lazy("bilan run state", "échec")

    # At most one active run per bilan (a database constraint says so too).
    active = nonmember(("queued", "running"))
    finished = nonmember(("done", "failed"))
