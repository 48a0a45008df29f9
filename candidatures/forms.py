"""Forms of the team's side: they only collect what the person typed; the
rules (completeness, team composition, versions) live in ``services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from traam.forms import ModelMultipleChoiceField
from traam.models import ClassLevel, CrcnCompetence, DigitalCommon

from .enums import AcademicOpinion, AIUsage, TeamRole
from .services import DRAFT_MANY_FIELDS, DRAFT_TEXT_FIELDS, MEMBER_KEYS


class CompetenceChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class ProposalForm(forms.Form):
    """The proposal's content, as ``services.save_draft`` takes it."""

    # Checked by the services (a missing or altered value reads as stale).
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Titre du projet"), max_length=300, required=False)
    summary = forms.CharField(label=_("Résumé"), widget=forms.Textarea, required=False)
    objectives = forms.CharField(label=_("Objectifs"), widget=forms.Textarea, required=False)
    problem = forms.CharField(label=_("Problématique"), widget=forms.Textarea, required=False)
    class_levels = ModelMultipleChoiceField(
        label=_("Niveaux de classe"), queryset=ClassLevel.objects.all(), widget=forms.CheckboxSelectMultiple, required=False,
    )
    digital_tools = forms.CharField(label=_("Outils numériques envisagés"), widget=forms.Textarea, required=False)
    commons = ModelMultipleChoiceField(
        label=_("Communs numériques"), queryset=DigitalCommon.objects.all(), widget=forms.CheckboxSelectMultiple, required=False,
    )
    crcn_competences = CompetenceChoiceField(
        label=_("Compétences du CRCN visées"), queryset=CrcnCompetence.objects.all(), widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    ai_usage = forms.ChoiceField(
        label=_("Usage prévu de l'intelligence artificielle"), choices=AIUsage.choices, widget=forms.RadioSelect, required=False,
    )
    ai_tools = forms.CharField(label=_("Outils d'intelligence artificielle envisagés"), widget=forms.Textarea, required=False)
    ai_precautions = forms.CharField(
        label=_("Précautions relatives aux données personnelles"), widget=forms.Textarea, required=False,
    )

    SECTIONS = (
        (_("Le projet"), ("title", "summary", "objectives", "problem", "class_levels")),
        (_("Outils, communs et IA"), ("digital_tools", "commons", "crcn_competences", "ai_usage", "ai_tools", "ai_precautions")),
    )

    @classmethod
    def initial_for(cls, proposal):
        initial = {name: getattr(proposal, name) for name in DRAFT_TEXT_FIELDS}
        initial.update({name: [obj.pk for obj in getattr(proposal, name).all()] for name in DRAFT_MANY_FIELDS})
        initial["version"] = proposal.version
        return initial

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def draft_data(self) -> dict:
        """What ``services.save_draft`` takes: text values, and ids for the lists."""
        data = {name: self.cleaned_data[name] for name in DRAFT_TEXT_FIELDS}
        data.update({name: [obj.pk for obj in self.cleaned_data[name]] for name in DRAFT_MANY_FIELDS})
        return data


class TeamMemberForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(label=_("Adresse électronique"), max_length=254)
    uai = forms.CharField(
        label=_("Code UAI de l'établissement"), max_length=8, required=False, help_text=_("Par exemple 0380023U."),
    )
    role = forms.ChoiceField(label=_("Rôle dans l'équipe"), choices=[("", _("Choisir un rôle"))] + list(TeamRole.choices))


class BaseTeamFormSet(forms.BaseFormSet):
    def members(self) -> list[dict]:
        """The rows to keep, as ``services.replace_team`` takes them."""
        return [
            {key: form.cleaned_data.get(key, "") for key in MEMBER_KEYS}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


TeamFormSet = forms.formset_factory(TeamMemberForm, formset=BaseTeamFormSet, extra=2, can_delete=True, max_num=30, validate_max=True)


def team_initial(proposal) -> list[dict]:
    return [{key: getattr(member, key) for key in MEMBER_KEYS} for member in proposal.team.all()]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Motif du retrait (facultatif)"), widget=forms.Textarea, required=False, max_length=2000)


# --- The academy's side (inspector) ---------------------------------------------


class OpinionForm(forms.Form):
    """Avis académique, as ``services.give_opinion`` takes it."""

    opinion = forms.ChoiceField(
        label=_("Avis académique"), choices=AcademicOpinion.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez un avis : favorable, réservé ou défavorable.")},
    )
    comment = forms.CharField(
        label=_("Commentaire (obligatoire pour un avis réservé ou défavorable)"), widget=forms.Textarea, required=False, max_length=5000,
    )


class ReturnForm(forms.Form):
    """Renvoi pour complément, as ``services.return_for_completion`` takes it."""

    reason = forms.CharField(
        label=_("Ce que l'équipe doit compléter"), widget=forms.Textarea, max_length=5000,
        error_messages={"required": _("Indiquez à l'équipe ce qu'elle doit compléter.")},
    )


class DecisionForm(forms.Form):
    """Décision académique, as ``services.decide`` takes it."""

    RETAIN, NOT_RETAIN = "retain", "not_retain"

    decision = forms.ChoiceField(
        label=_("Décision de l'académie"), choices=[(RETAIN, _("Retenir")), (NOT_RETAIN, _("Ne pas retenir"))], widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez de retenir ou non la candidature.")},
    )
    comment = forms.CharField(label=_("Commentaire pour l'équipe (facultatif)"), widget=forms.Textarea, required=False, max_length=5000)

    @property
    def retained(self) -> bool:
        return self.cleaned_data["decision"] == self.RETAIN


# --- The academic delegation (DAN / DRAN) and the national pilot -----------------


class SynthesisItemForm(forms.Form):
    """One retained proposal in the synthesis being composed."""

    proposal = forms.IntegerField(widget=forms.HiddenInput)
    include = forms.BooleanField(label=_("Inclure dans la synthèse"), required=False)
    priority = forms.IntegerField(
        label=_("Priorité"), required=False, min_value=1, max_value=99,
        error_messages={"min_value": _("La priorité commence à 1."), "invalid": _("Indiquez la priorité par un nombre entier.")},
    )
    comment = forms.CharField(label=_("Commentaire de l'académie"), widget=forms.Textarea, required=False, max_length=5000)

    def clean(self):
        data = super().clean()
        if data.get("include") and data.get("priority") is None and "priority" not in self.errors:
            self.add_error("priority", _("Indiquez la priorité de cette candidature dans la synthèse."))
        return data


SynthesisItemFormSet = forms.formset_factory(SynthesisItemForm, extra=0)


class SynthesisForm(forms.Form):
    cover_note = forms.CharField(
        label=_("Note d'accompagnement"), widget=forms.Textarea, required=False, max_length=20000,
        help_text=_("Présentez la démarche de l'académie et ses choix ; elle accompagne la synthèse envoyée à la DNE."),
    )


class SendSynthesisForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je confirme l'envoi définitif de cette synthèse à la DNE : elle ne pourra plus être modifiée."),
        error_messages={"required": _("Cochez la case de confirmation pour envoyer la synthèse.")},
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class ExtensionForm(forms.Form):
    """Report de date limite, as ``services.grant_extension`` takes it."""

    deadline = forms.DateField(
        label=_("Nouvelle date limite"), widget=DateInput(),
        help_text=_("Incluse, jusqu'à 23 h 59 heure de Paris."),
        error_messages={"required": _("Indiquez la nouvelle date limite."), "invalid": _("Indiquez une date valide.")},
    )
    reason = forms.CharField(
        label=_("Motif"), widget=forms.Textarea, max_length=2000, error_messages={"required": _("Indiquez le motif du report.")},
    )
