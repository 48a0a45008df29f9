"""Reference data shared by every stage: calls, entries and themes, academies,
disciplines, levels, CRCN competences, people and their roles, the audit trail
and the e-mail outbox."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import AuditAction, CallPhase, EligibilityRule, Role
from .sanitize import clean_html

PARIS = ZoneInfo("Europe/Paris")


class Region(models.Model):
    """Région académique."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("région académique")
        verbose_name_plural = _("régions académiques")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class Academy(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=120, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="academies", verbose_name=_("région académique"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("académie")
        verbose_name_plural = _("académies")

    def __str__(self):
        return self.name


class Discipline(models.Model):
    """Discipline ou enseignement."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=160, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")

    def __str__(self):
        return self.name


class ClassLevel(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("niveau de classe")
        verbose_name_plural = _("niveaux de classe")

    def __str__(self):
        return self.name


class CrcnDomain(models.Model):
    """Domaine du cadre de référence des compétences numériques."""

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    name = models.CharField(_("nom"), max_length=120)

    class Meta:
        ordering = ["number"]
        verbose_name = _("domaine du CRCN")
        verbose_name_plural = _("domaines du CRCN")

    def __str__(self):
        return f"{self.number}. {self.name}"


class CrcnCompetence(models.Model):
    domain = models.ForeignKey(CrcnDomain, on_delete=models.PROTECT, related_name="competences", verbose_name=_("domaine"))
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("intitulé"), max_length=160)

    class Meta:
        ordering = ["code"]
        verbose_name = _("compétence du CRCN")
        verbose_name_plural = _("compétences du CRCN")

    def __str__(self):
        return f"{self.code} {self.name}"


class DigitalCommon(models.Model):
    """Commun numérique éducatif named by the call (Éléa, Capytale…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    url = models.URLField(_("adresse"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commun numérique")
        verbose_name_plural = _("communs numériques")

    def __str__(self):
        return self.name


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def current(self, today=None):
        """The call the programme is living now: the latest published call
        already open, else the next one to open."""
        today = today or timezone.localdate()
        published = self.published()
        return published.filter(opens_on__lte=today).order_by("-opens_on").first() or published.order_by("opens_on").first()


def end_of_day_paris(day: datetime.date) -> datetime.datetime:
    """The last instant of a calendar day in Paris: deadlines are inclusive."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=PARIS)


class Call(models.Model):
    """Appel à projets: one school year of the programme."""

    year = models.CharField(_("année"), max_length=20, unique=True, help_text=_("Par exemple 2026-2027."))
    title = models.CharField(_("titre"), max_length=200)
    tagline = models.CharField(_("accroche"), max_length=300, blank=True)
    introduction_html = models.TextField(_("présentation"), blank=True)
    organisation_html = models.TextField(_("organisation"), blank=True)
    contacts = models.JSONField(_("contacts"), default=list, blank=True)
    opens_on = models.DateField(_("ouverture des candidatures"))
    synthesis_deadline = models.DateField(
        _("date limite des synthèses académiques"),
        help_text=_("Inclusive, jusqu'à 23 h 59 heure de Paris."),
    )
    results_on = models.DateField(_("publication des résultats"))
    production_starts_on = models.DateField(_("début de la production"))
    production_ends_on = models.DateField(_("fin de la production"))
    is_published = models.BooleanField(_("publié"), default=False)
    cloned_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("copié de"))

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("appel à projets")
        verbose_name_plural = _("appels à projets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_on__lte=models.F("synthesis_deadline"))
                & models.Q(synthesis_deadline__lte=models.F("results_on"))
                & models.Q(results_on__lte=models.F("production_starts_on"))
                & models.Q(production_starts_on__lte=models.F("production_ends_on")),
                name="call_dates_in_order",
                violation_error_message=_("Les dates de l'appel doivent se suivre dans l'ordre du calendrier."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("call_detail", kwargs={"year": self.year})

    def save(self, *args, **kwargs):
        self.introduction_html = clean_html(self.introduction_html)
        self.organisation_html = clean_html(self.organisation_html)
        super().save(*args, **kwargs)

    @property
    def synthesis_deadline_at(self) -> datetime.datetime:
        return end_of_day_paris(self.synthesis_deadline)

    def milestones(self):
        """The call's key dates, in order, as (phase reached, date, label)."""
        return [
            (CallPhase.PROPOSALS, self.opens_on, _("Ouverture des candidatures")),
            (CallPhase.SELECTION, self.synthesis_deadline, _("Date limite d'envoi des synthèses académiques à la DNE")),
            (CallPhase.RESULTS, self.results_on, _("Publication des résultats de la sélection nationale")),
            (CallPhase.PRODUCTION, self.production_starts_on, _("Début de la production des séquences")),
            (CallPhase.BILANS, self.production_ends_on, _("Fin des travaux et remise des productions")),
        ]

    def phase(self, today: datetime.date | None = None) -> CallPhase:
        today = today or timezone.localdate()
        if today < self.opens_on:
            return CallPhase.UPCOMING
        if today <= self.synthesis_deadline:
            return CallPhase.PROPOSALS
        if today < self.results_on:
            return CallPhase.SELECTION
        if today < self.production_starts_on:
            return CallPhase.RESULTS
        if today <= self.production_ends_on:
            return CallPhase.PRODUCTION
        return CallPhase.BILANS

    def next_milestone(self, today: datetime.date | None = None):
        """The first key date still ahead (inclusive deadlines count today), or None."""
        today = today or timezone.localdate()
        for phase, day, label in self.milestones():
            if day >= today:
                return {"phase": phase, "date": day, "label": label, "days_left": (day - today).days}
        return None

    def accepts_proposals(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        opens_at = datetime.datetime.combine(self.opens_on, datetime.time.min, tzinfo=PARIS)
        return self.is_published and opens_at <= now <= self.synthesis_deadline_at


class Entry(models.Model):
    """One discipline or teaching of a call (SVT has two entries in 2026-2027)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="entries", verbose_name=_("appel"))
    discipline = models.ForeignKey(Discipline, on_delete=models.PROTECT, related_name="entries", verbose_name=_("discipline"))
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("intitulé"), max_length=200)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    seats = models.PositiveSmallIntegerField(_("nombre de projets retenus"), default=5)
    introduction_html = models.TextField(_("présentation commune aux thématiques"), blank=True)

    class Meta:
        ordering = ["call", "order", "name"]
        verbose_name = _("discipline ou enseignement de l'appel")
        verbose_name_plural = _("disciplines et enseignements de l'appel")
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="entry_code_unique_per_call"),
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="entry_has_seats"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.introduction_html = clean_html(self.introduction_html)
        super().save(*args, **kwargs)


class Theme(models.Model):
    """Thématique of an entry, with its text from the call."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="themes", verbose_name=_("discipline ou enseignement"))
    order = models.PositiveSmallIntegerField(_("ordre"), default=1)
    title = models.CharField(_("intitulé court"), max_length=400)
    full_title = models.CharField(_("intitulé complet"), max_length=600, blank=True)
    keywords = models.JSONField(_("mots clés"), default=list, blank=True)
    description_html = models.TextField(_("description"))
    eligibility_rule = models.CharField(_("condition d'éligibilité"), max_length=40, choices=EligibilityRule.choices, default=EligibilityRule.NONE, blank=True)
    eligibility_text = models.TextField(_("texte de la condition"), blank=True)
    eligibility_required_theme = models.CharField(_("thématique de l'année 1 requise"), max_length=300, blank=True)

    class Meta:
        ordering = ["entry__call", "entry__order", "order"]
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")
        constraints = [models.UniqueConstraint(fields=["entry", "order"], name="theme_order_unique_per_entry")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.description_html = clean_html(self.description_html)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("theme_detail", kwargs={"year": self.entry.call.year, "entry": self.entry.code, "order": self.order})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person, identified by their e-mail address (no user names)."""

    username = None
    email = models.EmailField(_("adresse électronique"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


class RoleAssignment(models.Model):
    """A role held by a person, with its scope: an academy, a region and/or disciplines."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("personne"))
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    academy = models.ForeignKey(
        Academy, null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("académie"),
        help_text=_("Pour un·e évaluateur·rice : son académie d'appartenance (conflits d'intérêts)."),
    )
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("région académique"))
    disciplines = models.ManyToManyField(Discipline, blank=True, related_name="role_assignments", verbose_name=_("disciplines"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("attribué par"))
    created_at = models.DateTimeField(_("attribué le"), auto_now_add=True)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("rôle")
        verbose_name_plural = _("rôles")
        constraints = [
            # The same role twice in the same scope makes no sense (portable: no NULLS NOT DISTINCT).
            models.UniqueConstraint(fields=["user", "role", "academy"], condition=models.Q(academy__isnull=False), name="role_unique_per_academy"),
            models.UniqueConstraint(fields=["user", "role", "region"], condition=models.Q(region__isnull=False), name="role_unique_per_region"),
            models.UniqueConstraint(fields=["user", "role"], condition=models.Q(academy__isnull=True, region__isnull=True), name="role_unique_national"),
            models.CheckConstraint(
                condition=~models.Q(role__in=Role.academy_roles) | models.Q(academy__isnull=False),
                name="academy_role_has_academy",
                violation_error_message=_("Ce rôle s'exerce dans une académie : indiquez-la."),
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.DRAN) | models.Q(region__isnull=False),
                name="dran_role_has_region",
                violation_error_message=_("Une DRAN s'exerce dans une région académique : indiquez-la."),
            ),
        ]

    def __str__(self):
        scope = self.academy or self.region
        return f"{self.user} — {self.get_role_display()}" + (f" ({scope})" if scope else "")


class AuditEntry(models.Model):
    """One line of an object's history: who did what, when, from which state to which."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("auteur"))
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("type d'objet"))
    object_id = models.CharField(_("identifiant"), max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    from_state = models.CharField(_("état précédent"), max_length=60, blank=True)
    to_state = models.CharField(_("nouvel état"), max_length=60, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    data = models.JSONField(_("détails"), default=dict, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("entrée d'historique")
        verbose_name_plural = _("historique")
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"], name="audit_subject_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class OutgoingEmail(models.Model):
    """E-mail outbox: written in the same transaction as the change it reports,
    sent by a worker after commit, and retried by a periodic sweep."""

    to = models.JSONField(_("destinataires"))
    subject = models.CharField(_("objet"), max_length=300)
    body = models.TextField(_("texte"))
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("courriel")
        verbose_name_plural = _("courriels")
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outbox_pending_idx")]

    def __str__(self):
        return self.subject


class WorkerHeartbeat(models.Model):
    """Last time a Celery worker ran the heartbeat task (shown by the health page)."""

    name = models.CharField(max_length=100, primary_key=True)
    last_seen = models.DateTimeField()

    class Meta:
        verbose_name = _("signal de vie d'un worker")
        verbose_name_plural = _("signaux de vie des workers")
