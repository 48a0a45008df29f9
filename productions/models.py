"""The production year: academic working groups (*groupes de travail
académiques*) and the national group of each entry, the scenarios they write
(*séquences pédagogiques*) with their versions and attachments, the calendar's
milestones and the teachers' hours. Changes go through
``productions.services``, never through ``save()``."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidatures.enums import AIUsage, TeamRole
from candidatures.models import private_storage
from candidatures.validators import validate_uai

from .enums import HoursState, Licence, MilestoneKind, NationalRole, ScenarioState
from .licences import DEFAULT as DEFAULT_LICENCE


class WorkingGroup(models.Model):
    """Groupe de travail académique: a selected proposal's team at work, from
    September to the end of April. Call, entry and academy are copied from the
    proposal so that lists filter without joins."""

    proposal = models.OneToOneField(
        "candidatures.Proposal", on_delete=models.PROTECT, related_name="working_group", verbose_name=_("candidature sélectionnée"),
    )
    call = models.ForeignKey("traam.Call", on_delete=models.PROTECT, related_name="working_groups", verbose_name=_("appel"))
    entry = models.ForeignKey("traam.Entry", on_delete=models.PROTECT, related_name="working_groups", verbose_name=_("discipline ou enseignement"))
    academy = models.ForeignKey("traam.Academy", on_delete=models.PROTECT, related_name="working_groups", verbose_name=_("académie"))
    title = models.CharField(_("intitulé"), max_length=300)
    created_at = models.DateTimeField(_("constitué le"), default=timezone.now)

    class Meta:
        ordering = ["call", "entry__order", "academy__name", "title"]
        verbose_name = _("groupe de travail académique")
        verbose_name_plural = _("groupes de travail académiques")
        indexes = [
            models.Index(fields=["call", "entry"], name="group_call_entry_idx"),
            models.Index(fields=["academy", "call"], name="group_academy_call_idx"),
        ]

    def __str__(self):
        return _("%(title)s (académie de %(academy)s)") % {"title": self.title, "academy": self.academy}

    @property
    def discipline_id(self):
        return self.entry.discipline_id


class GroupMember(models.Model):
    """A member of an academic working group, with their school's UAI code; the
    roles are the proposal's (teacher, referent teacher, CARDIE representative,
    piloting inspector)."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("groupe"))
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse électronique"))
    uai = models.CharField(_("code UAI de l'établissement"), max_length=8, blank=True, validators=[validate_uai])
    role = models.CharField(_("rôle dans le groupe"), max_length=20, choices=TeamRole.choices)
    # Linked when an account with this address exists: the member then acts in the group.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="group_memberships", verbose_name=_("compte"),
    )
    added_at = models.DateTimeField(_("ajouté·e le"), default=timezone.now)

    class Meta:
        ordering = ["role", "last_name", "first_name"]
        verbose_name = _("membre du groupe")
        verbose_name_plural = _("membres du groupe")
        constraints = [
            models.UniqueConstraint(fields=["group", "email"], name="group_member_unique_email"),
            # The referent sits in the national group: never two (the services swap them).
            models.UniqueConstraint(fields=["group"], condition=Q(role=TeamRole.REFERENT), name="group_one_referent"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.get_role_display()})"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


class NationalGroup(models.Model):
    """Groupe de travail national of an entry: one IGÉSR member, one or two TN3
    experts (chosen by the national pilot) and the referent teacher of each
    academic group (kept in step by the services)."""

    call = models.ForeignKey("traam.Call", on_delete=models.PROTECT, related_name="national_groups", verbose_name=_("appel"))
    entry = models.OneToOneField("traam.Entry", on_delete=models.PROTECT, related_name="national_group", verbose_name=_("discipline ou enseignement"))
    created_at = models.DateTimeField(_("constitué le"), default=timezone.now)

    class Meta:
        ordering = ["call", "entry__order"]
        verbose_name = _("groupe de travail national")
        verbose_name_plural = _("groupes de travail nationaux")

    def __str__(self):
        return _("Groupe national — %(entry)s (%(year)s)") % {"entry": self.entry, "year": self.call.year}


class NationalMember(models.Model):
    national_group = models.ForeignKey(NationalGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("groupe national"))
    role = models.CharField(_("rôle"), max_length=20, choices=NationalRole.choices)
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse électronique"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="national_memberships", verbose_name=_("compte"),
    )
    # A referent's academic group and academy (empty for the IGÉSR member and the experts).
    group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("groupe académique"),
    )
    academy = models.ForeignKey("traam.Academy", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("académie"))

    class Meta:
        ordering = ["national_group", "role", "academy__name", "last_name"]
        verbose_name = _("membre du groupe national")
        verbose_name_plural = _("membres du groupe national")
        constraints = [models.UniqueConstraint(fields=["national_group", "role", "email"], name="national_member_unique")]

    def __str__(self):
        return f"{self.full_name} ({self.get_role_display()})"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


class Scenario(models.Model):
    """Séquence pédagogique (or *scénario*) written by an academic group, tested
    in class, validated by the piloting inspector and published (on Édubase).

    The duration is counted in class sessions (*nombre de séances*, as teachers
    plan a sequence) with the length of one session in minutes (55 by default):
    ``total_minutes`` derives from both."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.PROTECT, related_name="scenarios", verbose_name=_("groupe"))
    # Stable public address in the catalogue: set once from the first title, never changed.
    slug = models.SlugField(_("identifiant public"), max_length=100, unique=True)
    title = models.CharField(_("titre"), max_length=300)
    summary = models.TextField(_("résumé"), blank=True)
    class_levels = models.ManyToManyField("traam.ClassLevel", blank=True, related_name="scenarios", verbose_name=_("niveaux de classe"))
    problem = models.TextField(_("problématique"), blank=True)
    disciplinary_competences = models.TextField(_("compétences disciplinaires"), blank=True)
    crcn_competences = models.ManyToManyField(
        "traam.CrcnCompetence", blank=True, related_name="scenarios", verbose_name=_("compétences du CRCN travaillées"),
    )
    digital_tools = models.TextField(_("outils numériques"), blank=True)
    commons = models.ManyToManyField("traam.DigitalCommon", blank=True, related_name="scenarios", verbose_name=_("communs numériques"))
    ai_usage = models.CharField(_("usage de l'intelligence artificielle"), max_length=20, choices=AIUsage.choices, blank=True)
    ai_tools = models.TextField(_("outils d'intelligence artificielle"), blank=True)
    ai_precautions = models.TextField(_("précautions relatives aux données personnelles"), blank=True)
    sessions = models.PositiveSmallIntegerField(_("nombre de séances"), null=True, blank=True)
    session_minutes = models.PositiveSmallIntegerField(_("durée d'une séance (minutes)"), default=55)
    with_screen = models.BooleanField(_("avec écran"), default=True)
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, default=DEFAULT_LICENCE)
    edubase_url = models.URLField(_("adresse sur Édubase"), max_length=300, blank=True)
    # The catalogue's French full-text index on PostgreSQL (productions.catalogue.search), NULL elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    state = models.CharField(_("état"), max_length=20, choices=ScenarioState.choices, default=ScenarioState.DRAFT, db_index=True)
    # Optimistic concurrency, as for proposals: every saved change increments it.
    version = models.PositiveIntegerField(_("version"), default=1)
    return_comment = models.TextField(_("motif du retour"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("créée par"),
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    # Set by the services (not auto_now): the group's last activity, also for the demo's dates.
    updated_at = models.DateTimeField(_("modifiée le"), default=timezone.now)
    tested_at = models.DateTimeField(_("expérimentée le"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("validée par"),
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("publiée par"),
    )

    class Meta:
        ordering = ["group", "created_at", "id"]
        verbose_name = _("séquence pédagogique")
        verbose_name_plural = _("séquences pédagogiques")
        indexes = [
            models.Index(fields=["group", "state"], name="scenario_group_state_idx"),
            models.Index(fields=["state", "published_at"], name="scenario_published_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state="published") | Q(edubase_url=""), name="scenario_edubase_only_published"),
            models.CheckConstraint(
                condition=Q(state="published", published_at__isnull=False) | ~Q(state="published"), name="scenario_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def total_minutes(self):
        return self.sessions * self.session_minutes if self.sessions else None


class ScenarioAttachment(models.Model):
    """Pièce jointe of a scenario, kept in the private storage (the rules of
    ``candidatures.attachments``)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("séquence"))
    file = models.FileField(_("fichier"), storage=private_storage, upload_to="productions/%Y/", max_length=255)
    original_name = models.CharField(_("nom d'origine"), max_length=255)
    content_type = models.CharField(_("type de contenu"), max_length=120)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("déposée par"),
    )
    uploaded_at = models.DateTimeField(_("déposée le"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("pièce jointe de séquence")
        verbose_name_plural = _("pièces jointes de séquence")

    def __str__(self):
        return self.original_name


class ScenarioVersion(models.Model):
    """The scenario's content as saved at one moment (JSON, see
    ``productions.versions``), so that earlier versions can be read and compared."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="versions", verbose_name=_("séquence"))
    number = models.PositiveIntegerField(_("numéro"))
    state = models.CharField(_("état"), max_length=20, choices=ScenarioState.choices)
    content = models.JSONField(_("contenu"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("auteur·rice"),
    )
    comment = models.CharField(_("objet de la modification"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)

    class Meta:
        ordering = ["scenario", "-number"]
        verbose_name = _("version de séquence")
        verbose_name_plural = _("versions de séquence")
        constraints = [models.UniqueConstraint(fields=["scenario", "number"], name="scenario_version_unique_number")]

    def __str__(self):
        return _("%(scenario)s — version %(number)s") % {"scenario": self.scenario, "number": self.number}


class Milestone(models.Model):
    """Jalon of the call's production calendar. A group reaches it when it has
    ``expected_scenarios`` scenarios at least ``expected_state`` (a returned
    scenario counts as tested); without an expected count the milestone is a
    date only (e.g. the kick-off meeting)."""

    call = models.ForeignKey("traam.Call", on_delete=models.CASCADE, related_name="production_milestones", verbose_name=_("appel"))
    kind = models.CharField(_("type"), max_length=20, choices=MilestoneKind.choices)
    label = models.CharField(_("intitulé"), max_length=200)
    due_on = models.DateField(_("échéance"))
    expected_scenarios = models.PositiveSmallIntegerField(_("séquences attendues par groupe"), null=True, blank=True)
    expected_state = models.CharField(
        _("état attendu des séquences"), max_length=20, choices=ScenarioState.choices, default=ScenarioState.TESTED,
    )

    class Meta:
        ordering = ["call", "due_on", "id"]
        verbose_name = _("jalon")
        verbose_name_plural = _("jalons")
        constraints = [
            models.CheckConstraint(condition=Q(expected_scenarios__isnull=True) | Q(expected_scenarios__gte=1), name="milestone_expects_some"),
        ]

    def __str__(self):
        return f"{self.label} ({self.due_on:%d/%m/%Y})"


class MilestoneReminder(models.Model):
    """A reminder e-mailed to a group behind before a milestone: one per
    milestone × group, so that the daily task never sends it twice."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("jalon"))
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="milestone_reminders", verbose_name=_("groupe"))
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    scenarios_then = models.PositiveSmallIntegerField(_("séquences à ce moment"), default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("relance de jalon")
        verbose_name_plural = _("relances de jalon")
        constraints = [models.UniqueConstraint(fields=["milestone", "group"], name="milestone_reminder_once")]

    def __str__(self):
        return f"{self.milestone} — {self.group}"


class HoursCap(models.Model):
    """Plafond: the most hours one person may be paid for in a call (all their groups together)."""

    call = models.OneToOneField("traam.Call", on_delete=models.CASCADE, related_name="hours_cap", verbose_name=_("appel"))
    max_hours = models.DecimalField(_("heures au plus par personne"), max_digits=6, decimal_places=2)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("fixé par"),
    )
    set_at = models.DateTimeField(_("fixé le"), default=timezone.now)

    class Meta:
        verbose_name = _("plafond d'heures")
        verbose_name_plural = _("plafonds d'heures")
        constraints = [models.CheckConstraint(condition=Q(max_hours__gt=0), name="hours_cap_positive")]

    def __str__(self):
        return _("%(hours)s h par personne — %(call)s") % {"hours": self.max_hours, "call": self.call}


class HoursDeclaration(models.Model):
    """Hours a teacher of a group declares for one month, validated or refused
    by the piloting inspector; the validated ones are exported for payment."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.PROTECT, related_name="hours", verbose_name=_("groupe"))
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declared_hours", verbose_name=_("membre"))
    month = models.DateField(_("mois"), help_text=_("Premier jour du mois."))
    hours = models.DecimalField(_("heures"), max_digits=5, decimal_places=2)
    description = models.CharField(_("travail effectué"), max_length=500)
    state = models.CharField(_("état"), max_length=20, choices=HoursState.choices, default=HoursState.DECLARED, db_index=True)
    declared_at = models.DateTimeField(_("déclarées le"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("décision de"),
    )
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    refusal_comment = models.TextField(_("motif du refus"), blank=True)

    class Meta:
        ordering = ["group", "member", "month", "id"]
        verbose_name = _("déclaration d'heures")
        verbose_name_plural = _("déclarations d'heures")
        indexes = [models.Index(fields=["member", "state"], name="hours_member_state_idx")]
        constraints = [
            # One standing declaration per person, group and month; a refused one may be declared again.
            models.UniqueConstraint(fields=["group", "member", "month"], condition=~Q(state="refused"), name="hours_once_per_month"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="hours_positive"),
        ]

    def __str__(self):
        return f"{self.member} — {self.month:%m/%Y} — {self.hours} h"
