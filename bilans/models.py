"""National bilans (*bilans nationaux*): each rendering of a bilan is a
:class:`BilanRun`, kept as a numbered version. Its state and progress live
here, in the database, so that a lost broker message or a killed worker is
noticed and the run finished (see ``bilans.services``). Changes go through
``bilans.services``, never through ``save()``."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .enums import BilanKind, RunState

ACTIVE = Q(state__in=RunState.active)
FOR_ENTRY = Q(entry__isnull=False)
FOR_FOCUS = Q(entry__isnull=True)


def bilan_upload_to(run, filename):
    """``bilans/<call year>/traam-<year>-<code>-v<version>-<random>.pdf``: the
    random part keeps an unpublished version's address unguessable on a
    storage that serves its files."""
    return f"bilans/{run.call.year}/traam-{run.call.year}-{slugify(run.code)}-v{run.version}-{secrets.token_hex(4)}.pdf"


class BilanRun(models.Model):
    """One rendering of the bilan of an entry of a call (``entry`` set), or of
    the call's focus on the uses of AI (``entry`` empty): a version, its state
    from the request to the PDF, and whether it is the public one."""

    call = models.ForeignKey("traam.Call", on_delete=models.PROTECT, related_name="bilan_runs", verbose_name=_("appel"))
    entry = models.ForeignKey(
        "traam.Entry", null=True, blank=True, on_delete=models.PROTECT, related_name="bilan_runs",
        verbose_name=_("discipline ou enseignement"),
    )
    kind = models.CharField(_("type de bilan"), max_length=20, choices=BilanKind.choices, default=BilanKind.ENTRY)
    version = models.PositiveIntegerField(_("version"))

    state = models.CharField(_("état"), max_length=20, choices=RunState.choices, default=RunState.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    # The step under way, or how the run ended.
    message = models.CharField(_("étape"), max_length=300, blank=True)
    error = models.TextField(_("motif de l'échec"), blank=True)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("demandé par"),
    )
    requested_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    # Last time a message for this run was handed to the broker (empty while none could be).
    enqueued_at = models.DateTimeField(_("confié au broker le"), null=True, blank=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    # A running run belongs to its worker until then; each step pushes it back.
    lease_expires_at = models.DateTimeField(_("bail jusqu'au"), null=True, blank=True)

    file = models.FileField(_("fichier PDF"), upload_to=bilan_upload_to, max_length=255, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("taille (octets)"), null=True, blank=True)
    scenario_count = models.PositiveIntegerField(_("séquences citées"), null=True, blank=True)

    is_published = models.BooleanField(_("publié"), default=False)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("publié par"),
    )

    class Meta:
        ordering = ["call", "kind", "entry__order", "-version"]
        verbose_name = _("génération de bilan")
        verbose_name_plural = _("générations de bilans")
        indexes = [
            models.Index(fields=["call", "entry", "kind"], name="bilan_run_key_idx"),
            models.Index(fields=["state", "lease_expires_at"], name="bilan_run_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=BilanKind.ENTRY, entry__isnull=False) | Q(kind=BilanKind.FOCUS_AI, entry__isnull=True),
                name="bilan_run_kind_matches_entry",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="bilan_run_progress_percent"),
            models.CheckConstraint(condition=Q(is_published=False) | Q(state=RunState.DONE), name="bilan_run_published_is_done"),
            # One active run per bilan: a second request joins it (portable: no NULLS NOT DISTINCT).
            models.UniqueConstraint(fields=["call", "entry"], condition=ACTIVE & FOR_ENTRY, name="bilan_run_one_active_per_entry"),
            models.UniqueConstraint(fields=["call", "kind"], condition=ACTIVE & FOR_FOCUS, name="bilan_run_one_active_focus"),
            models.UniqueConstraint(fields=["call", "entry", "version"], condition=FOR_ENTRY, name="bilan_run_entry_version_unique"),
            models.UniqueConstraint(fields=["call", "kind", "version"], condition=FOR_FOCUS, name="bilan_run_focus_version_unique"),
            # The public version of a bilan is one version.
            models.UniqueConstraint(fields=["call", "entry"], condition=Q(is_published=True) & FOR_ENTRY, name="bilan_run_one_published_per_entry"),
            models.UniqueConstraint(fields=["call", "kind"], condition=Q(is_published=True) & FOR_FOCUS, name="bilan_run_one_published_focus"),
        ]

    def __str__(self):
        return _("%(title)s — %(year)s — version %(version)s") % {"title": self.title, "year": self.call.year, "version": self.version}

    @property
    def title(self) -> str:
        """What the bilan is about, as its cover says."""
        if self.entry_id is None:
            return str(_("Focus sur les usages de l'intelligence artificielle"))
        return self.entry.name

    @property
    def code(self) -> str:
        """The bilan's public address under its call: the entry's code, or « ia »."""
        return self.entry.code if self.entry_id else BilanKind.FOCUS_AI_CODE

    @property
    def is_active(self) -> bool:
        return self.state in RunState.active

    @property
    def download_name(self) -> str:
        return f"bilan-traam-{self.call.year}-{slugify(self.code)}-v{self.version}.pdf"

    def same_bilan(self):
        """Every version of this run's bilan."""
        return BilanRun.objects.filter(call_id=self.call_id, kind=self.kind, entry_id=self.entry_id)
