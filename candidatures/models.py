"""Proposals (*candidatures*), their teams and attachments, the academic
synthesis sent to the DNE, and the deadline extensions granted to academies.
State changes go through ``candidatures.services``, never through ``save()``."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traam.models import end_of_day_paris

from .enums import AcademicOpinion, AIUsage, ProposalState, TeamRole
from .validators import validate_uai


def private_storage():
    """Attachments are never public: they are served through a permission check.
    (A named function, not a lambda, so that migrations can refer to it.)"""
    return storages["private"]


class Proposal(models.Model):
    """Candidature: a team's project for a theme of a call, in one academy."""

    theme = models.ForeignKey("traam.Theme", on_delete=models.PROTECT, related_name="proposals", verbose_name=_("thématique"))
    academy = models.ForeignKey("traam.Academy", on_delete=models.PROTECT, related_name="proposals", verbose_name=_("académie"))
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_proposals", verbose_name=_("porteur·se"),
    )
    title = models.CharField(_("titre"), max_length=300, blank=True)
    summary = models.TextField(_("résumé"), blank=True)
    objectives = models.TextField(_("objectifs"), blank=True)
    problem = models.TextField(_("problématique"), blank=True)
    class_levels = models.ManyToManyField("traam.ClassLevel", blank=True, related_name="proposals", verbose_name=_("niveaux de classe"))
    digital_tools = models.TextField(_("outils numériques envisagés"), blank=True)
    commons = models.ManyToManyField("traam.DigitalCommon", blank=True, related_name="proposals", verbose_name=_("communs numériques"))
    crcn_competences = models.ManyToManyField(
        "traam.CrcnCompetence", blank=True, related_name="proposals", verbose_name=_("compétences du CRCN visées"),
    )
    ai_usage = models.CharField(_("usage de l'intelligence artificielle"), max_length=20, choices=AIUsage.choices, blank=True)
    ai_tools = models.TextField(_("outils d'intelligence artificielle"), blank=True)
    ai_precautions = models.TextField(_("précautions relatives aux données personnelles"), blank=True)

    state = models.CharField(_("état"), max_length=20, choices=ProposalState.choices, default=ProposalState.DRAFT, db_index=True)
    # Optimistic concurrency: every saved change increments it; a form sends
    # back the version it showed and is refused when it is stale.
    version = models.PositiveIntegerField(_("version"), default=1)

    opinion = models.CharField(_("avis académique"), max_length=20, choices=AcademicOpinion.choices, blank=True)
    opinion_comment = models.TextField(_("commentaire de l'avis"), blank=True)
    opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("avis donné par"),
    )
    opinion_at = models.DateTimeField(_("avis donné le"), null=True, blank=True)
    return_reason = models.TextField(_("motif du retour pour complément"), blank=True)

    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décision académique le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        indexes = [
            models.Index(fields=["academy", "state"], name="proposal_academy_state_idx"),
            models.Index(fields=["theme", "state"], name="proposal_theme_state_idx"),
        ]

    def __str__(self):
        return self.title or _("Candidature sans titre n° %(pk)s") % {"pk": self.pk}

    @property
    def entry(self):
        return self.theme.entry

    @property
    def call(self):
        return self.theme.entry.call

    @property
    def discipline(self):
        return self.theme.entry.discipline

    @property
    def discipline_id(self):
        return self.theme.entry.discipline_id


class TeamMember(models.Model):
    """A member of the proposal's team, with their school's UAI code."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="team", verbose_name=_("candidature"))
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse électronique"))
    uai = models.CharField(_("code UAI de l'établissement"), max_length=8, blank=True, validators=[validate_uai])
    role = models.CharField(_("rôle dans l'équipe"), max_length=20, choices=TeamRole.choices)
    # Linked when an account with this address exists: the member then sees the proposal.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal_memberships",
        verbose_name=_("compte"),
    )

    class Meta:
        ordering = ["role", "last_name", "first_name"]
        verbose_name = _("membre de l'équipe")
        verbose_name_plural = _("membres de l'équipe")
        constraints = [models.UniqueConstraint(fields=["proposal", "email"], name="team_member_unique_email")]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.get_role_display()})"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


class Attachment(models.Model):
    """Pièce jointe of a proposal, kept in the private storage."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("candidature"))
    file = models.FileField(_("fichier"), storage=private_storage, upload_to="candidatures/%Y/", max_length=255)
    original_name = models.CharField(_("nom d'origine"), max_length=255)
    content_type = models.CharField(_("type de contenu"), max_length=120)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("déposée par"),
    )
    uploaded_at = models.DateTimeField(_("déposée le"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self):
        return self.original_name


class AcademicSynthesis(models.Model):
    """Document de synthèse: the academy's retained proposals in priority
    order, sent once to the DNE before the deadline."""

    # Its one transition, as the history shows it.
    STATE_LABELS = {"sent": _("envoyée à la DNE")}

    call = models.ForeignKey("traam.Call", on_delete=models.PROTECT, related_name="syntheses", verbose_name=_("appel"))
    academy = models.ForeignKey("traam.Academy", on_delete=models.PROTECT, related_name="syntheses", verbose_name=_("académie"))
    cover_note = models.TextField(_("note d'accompagnement"), blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("envoyée par"),
    )

    class Meta:
        ordering = ["call", "academy"]
        verbose_name = _("document de synthèse")
        verbose_name_plural = _("documents de synthèse")
        constraints = [models.UniqueConstraint(fields=["call", "academy"], name="synthesis_unique_per_call_academy")]

    def __str__(self):
        return _("Synthèse de l'académie de %(academy)s — %(call)s") % {"academy": self.academy, "call": self.call}

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class SynthesisItem(models.Model):
    """One retained proposal in the synthesis, with its priority and the academy's comment."""

    synthesis = models.ForeignKey(AcademicSynthesis, on_delete=models.CASCADE, related_name="items", verbose_name=_("synthèse"))
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="synthesis_item", verbose_name=_("candidature"))
    priority = models.PositiveSmallIntegerField(_("priorité"))
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["synthesis", "priority"]
        verbose_name = _("candidature de la synthèse")
        verbose_name_plural = _("candidatures de la synthèse")
        constraints = [
            models.UniqueConstraint(fields=["synthesis", "priority"], name="synthesis_item_unique_priority"),
            models.CheckConstraint(condition=models.Q(priority__gte=1), name="synthesis_item_priority_positive"),
        ]

    def __str__(self):
        return f"{self.priority}. {self.proposal}"


class DeadlineExtension(models.Model):
    """A later synthesis deadline granted to one academy by the national pilot."""

    call = models.ForeignKey("traam.Call", on_delete=models.CASCADE, related_name="deadline_extensions", verbose_name=_("appel"))
    academy = models.ForeignKey("traam.Academy", on_delete=models.PROTECT, related_name="deadline_extensions", verbose_name=_("académie"))
    deadline = models.DateField(_("nouvelle date limite"), help_text=_("Inclusive, jusqu'à 23 h 59 heure de Paris."))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("accordé par"),
    )
    reason = models.TextField(_("motif"))
    created_at = models.DateTimeField(_("accordé le"), default=timezone.now)

    class Meta:
        ordering = ["call", "academy"]
        verbose_name = _("report de date limite")
        verbose_name_plural = _("reports de date limite")
        constraints = [models.UniqueConstraint(fields=["call", "academy"], name="deadline_extension_unique_per_call_academy")]

    def __str__(self):
        return f"{self.academy} — {self.deadline:%d/%m/%Y}"

    @property
    def deadline_at(self):
        return end_of_day_paris(self.deadline)
