"""Forms and filters of the groups' and scenarios' pages. They only collect
what the person typed: the rules (composition, roles, content, states, Édubase
addresses) live in ``productions.services``, whose French messages are put
back beside the fields they concern."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candidatures.enums import AIUsage, TeamRole
from candidatures.forms import CompetenceChoiceField
from traam.enums import Role
from traam.forms import ModelMultipleChoiceField
from traam.models import Academy, Call, ClassLevel, CrcnCompetence, DigitalCommon, Entry, User

from .enums import Licence, NationalRole
from .services import SCENARIO_FIELDS

# Long enough for any real sequence; a bound that keeps a pasted book out.
MAX_TEXT = 20_000
TITLE_MAX = 300


def add_service_errors(form, error):
    """A service's refusal: each field's messages beside the field (under the
    form's name for it when it differs), the others on top of the form."""
    aliases = getattr(form, "ERROR_FIELDS", {})
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            name = aliases.get(name, name)
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


# --- Lists -----------------------------------------------------------------------------------


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.call.year})"


class EntryChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = EntryChoiceField


class GroupFilter(django_filters.FilterSet):
    """The groups a person follows, by call, entry, academy and composition;
    the choices are those of the groups they may see."""

    COMPLETE, INCOMPLETE = "conforme", "a-completer"

    call = django_filters.ModelChoiceFilter(label=_("Appel à projets"), queryset=Call.objects.none(), empty_label=_("Tous les appels"))
    entry = EntryChoiceFilter(
        label=_("Discipline ou enseignement"), queryset=Entry.objects.none(), empty_label=_("Toutes les disciplines"),
    )
    academy = django_filters.ModelChoiceFilter(label=_("Académie"), queryset=Academy.objects.none(), empty_label=_("Toutes les académies"))
    composition = django_filters.ChoiceFilter(
        label=_("Composition"), choices=[(COMPLETE, _("conforme")), (INCOMPLETE, _("à compléter"))], empty_label=_("Toutes"),
        method="by_composition",
    )

    def __init__(self, data=None, queryset=None, *, choices_from=None, **kwargs):
        """``choices_from``: the same groups without the composition annotations
        (``selectors.with_composition``), so that the choices' subqueries stay
        plain lookups instead of grouping every group's members."""
        super().__init__(data, queryset=queryset, **kwargs)
        visible = choices_from if choices_from is not None else self.queryset
        self.filters["call"].queryset = Call.objects.filter(pk__in=visible.values("call_id")).order_by("-opens_on")
        self.filters["entry"].queryset = (
            Entry.objects.filter(pk__in=visible.values("entry_id")).select_related("call").order_by("-call__opens_on", "order", "name")
        )
        self.filters["academy"].queryset = Academy.objects.filter(pk__in=visible.values("academy_id")).order_by("name")

    def by_composition(self, queryset, name, value):
        # ``composition_ok`` is annotated by ``selectors.with_composition``.
        if value == self.COMPLETE:
            return queryset.filter(composition_ok=True)
        if value == self.INCOMPLETE:
            return queryset.filter(composition_ok=False)
        return queryset

    @property
    def is_active(self) -> bool:
        return self.is_bound and any(self.form.data.get(name) for name in self.filters)


class NationalGroupFilter(django_filters.FilterSet):
    call = django_filters.ModelChoiceFilter(label=_("Appel à projets"), queryset=Call.objects.none(), empty_label=_("Tous les appels"))

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["call"].queryset = Call.objects.filter(national_groups__in=self.queryset.values("pk")).distinct().order_by("-opens_on")


# --- Members ------------------------------------------------------------------------------------

ROLE_CHOICES = [("", _("Choisir un rôle"))] + list(TeamRole.choices)


class MemberForm(forms.Form):
    """Ajouter un membre au groupe, as ``services.add_member`` takes it (the
    service checks every value and says what is wrong, field by field)."""

    first_name = forms.CharField(label=_("Prénom"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Nom"), required=False, max_length=150)
    email = forms.CharField(label=_("Adresse électronique"), required=False, max_length=254, widget=forms.EmailInput)
    uai = forms.CharField(label=_("Code UAI de l'établissement"), required=False, max_length=8, help_text=_("Par exemple 0380023U."))
    role = forms.ChoiceField(label=_("Rôle dans le groupe"), choices=ROLE_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "member")
        super().__init__(*args, **kwargs)


class MemberRoleForm(forms.Form):
    """Changer le rôle d'un membre (``services.change_member_role``)."""

    role = forms.ChoiceField(
        label=_("Rôle dans le groupe"), choices=TeamRole.choices,
        error_messages={"required": _("Choisissez son rôle dans le groupe."), "invalid_choice": _("Choisissez son rôle dans le groupe.")},
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


class NationalMembersForm(forms.Form):
    """The national group's IGÉSR member and one or two TN3 experts
    (``services.set_national_members``), among the national reviewers of the
    entry's discipline, the national pilots and the people named today."""

    ERROR_FIELDS = {"experts": "expert"}

    igesr = PersonChoiceField(
        label=_("Membre de l'IGÉSR"), queryset=User.objects.none(), required=False, empty_label=_("Choisir une personne"),
        error_messages={"invalid_choice": _("Choisissez une personne de la liste.")},
    )
    expert = PersonChoiceField(
        label=_("Expert·e DNE TN3"), queryset=User.objects.none(), required=False, empty_label=_("Choisir une personne"),
        error_messages={"invalid_choice": _("Choisissez une personne de la liste.")},
    )
    second_expert = PersonChoiceField(
        label=_("Second·e expert·e DNE TN3 (facultatif)"), queryset=User.objects.none(), required=False, empty_label=_("Aucun·e"),
        error_messages={"invalid_choice": _("Choisissez une personne de la liste.")},
    )

    def __init__(self, data=None, *, national_group, **kwargs):
        named = [(member.role, member.user_id) for member in national_group.members.all() if member.user_id]
        igesr = next((user_id for role, user_id in named if role == NationalRole.IGESR), None)
        experts = [user_id for role, user_id in named if role == NationalRole.TN3_EXPERT]
        kwargs.setdefault("initial", {"igesr": igesr, "expert": (experts + [None])[0], "second_expert": (experts + [None, None])[1]})
        super().__init__(data, prefix="national", **kwargs)
        people = (
            User.objects.filter(is_active=True)
            .filter(
                Q(role_assignments__role=Role.REVIEWER, role_assignments__disciplines=national_group.entry.discipline_id)
                | Q(role_assignments__role=Role.PILOT)
                | Q(pk__in=[user_id for user_id in (igesr, *experts) if user_id])
            )
            .distinct()
            .order_by("last_name", "first_name", "email")
        )
        for name in ("igesr", "expert", "second_expert"):
            self.fields[name].queryset = people

    def people(self):
        """(IGÉSR member, [experts]) as the service takes them."""
        experts = [person for person in (self.cleaned_data.get("expert"), self.cleaned_data.get("second_expert")) if person is not None]
        return self.cleaned_data.get("igesr"), experts


# --- Scenarios ------------------------------------------------------------------------------------


class ScenarioCreateForm(forms.Form):
    """Une nouvelle séquence: its title, the rest is written on the edit page."""

    title = forms.CharField(
        label=_("Titre de la nouvelle séquence"), max_length=TITLE_MAX,
        error_messages={"required": _("Indiquez le titre de la séquence."), "max_length": _("Le titre compte 300 caractères au plus.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "new-scenario-%s")
        super().__init__(*args, **kwargs)


def _text(label, **kwargs):
    return forms.CharField(
        label=label, widget=forms.Textarea, required=False, max_length=MAX_TEXT,
        error_messages={"max_length": _("Ce texte compte %(limit_value)s caractères au plus (actuellement %(show_value)s).")},
        **kwargs,
    )


class ScenarioForm(forms.Form):
    """The scenario's content, as ``services.save_scenario`` takes it. Numbers
    are taken as text: the service checks them and says so in French."""

    WITH_SCREEN, WITHOUT_SCREEN = "avec", "sans"

    # Checked by the services (a missing or altered value reads as stale).
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(
        label=_("Titre"), max_length=TITLE_MAX, required=False,
        error_messages={"max_length": _("Le titre compte 300 caractères au plus.")},
    )
    summary = _text(_("Résumé"))
    class_levels = ModelMultipleChoiceField(
        label=_("Niveaux de classe"), queryset=ClassLevel.objects.all(), widget=forms.CheckboxSelectMultiple, required=False,
    )
    problem = _text(_("Problématique"), help_text=_("La question pédagogique à laquelle la séquence répond."))
    disciplinary_competences = _text(_("Compétences disciplinaires travaillées"))
    crcn_competences = CompetenceChoiceField(
        label=_("Compétences du CRCN travaillées"), queryset=CrcnCompetence.objects.all(), widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    digital_tools = _text(_("Outils numériques"))
    commons = ModelMultipleChoiceField(
        label=_("Communs numériques"), queryset=DigitalCommon.objects.all(), widget=forms.CheckboxSelectMultiple, required=False,
    )
    ai_usage = forms.ChoiceField(
        label=_("Usage de l'intelligence artificielle"), choices=AIUsage.choices, widget=forms.RadioSelect, required=False,
    )
    ai_tools = _text(_("Outils d'intelligence artificielle utilisés"))
    ai_precautions = _text(_("Précautions relatives aux données personnelles"))
    sessions = forms.CharField(
        label=_("Nombre de séances"), required=False, widget=forms.NumberInput(attrs={"min": 1, "max": 60}),
        help_text=_("De 1 à 60."),
    )
    session_minutes = forms.CharField(
        label=_("Durée d'une séance (minutes)"), required=False, widget=forms.NumberInput(attrs={"min": 10, "max": 240}),
        help_text=_("De 10 à 240 minutes ; 55 par défaut."),
    )
    with_screen = forms.ChoiceField(
        label=_("Usage des écrans"), choices=[(WITH_SCREEN, _("Avec écran")), (WITHOUT_SCREEN, _("Sans écran"))], widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez si la séquence se déroule avec ou sans écran.")},
    )
    licence = forms.ChoiceField(
        label=_("Licence"), choices=Licence.choices, help_text=_("Une licence ouverte : la séquence sera réutilisable par tous."),
        error_messages={"required": _("Choisissez la licence de la séquence."), "invalid_choice": _("Choisissez une licence de la liste.")},
    )

    SECTIONS = (
        (_("La séquence"), ("title", "summary", "class_levels", "problem", "disciplinary_competences")),
        (_("Compétences, outils et communs"), ("crcn_competences", "digital_tools", "commons")),
        (_("Intelligence artificielle"), ("ai_usage", "ai_tools", "ai_precautions")),
        (_("Déroulement et diffusion"), ("sessions", "session_minutes", "with_screen", "licence")),
    )
    MANY_FIELDS = ("class_levels", "crcn_competences", "commons")

    @classmethod
    def initial_for(cls, scenario) -> dict:
        initial = {name: getattr(scenario, name) for name in SCENARIO_FIELDS if name not in cls.MANY_FIELDS}
        initial.update({name: [obj.pk for obj in getattr(scenario, name).all()] for name in cls.MANY_FIELDS})
        initial["with_screen"] = cls.WITH_SCREEN if scenario.with_screen else cls.WITHOUT_SCREEN
        initial["sessions"] = "" if scenario.sessions is None else scenario.sessions
        initial["version"] = scenario.version
        return initial

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def content(self) -> dict:
        """What ``services.save_scenario`` takes: text, numbers as typed, a flag, ids for the lists."""
        data = {name: self.cleaned_data[name] for name in SCENARIO_FIELDS if name not in self.MANY_FIELDS}
        data.update({name: [obj.pk for obj in self.cleaned_data[name]] for name in self.MANY_FIELDS})
        data["with_screen"] = self.cleaned_data["with_screen"] == self.WITH_SCREEN
        return data


class ValidateForm(forms.Form):
    comment = forms.CharField(
        label=_("Message au groupe (facultatif)"), widget=forms.Textarea, required=False, max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "validate-%s")
        super().__init__(*args, **kwargs)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Ce que le groupe doit reprendre"), widget=forms.Textarea, max_length=5000,
        error_messages={"required": _("Indiquez au groupe ce qu'il doit reprendre.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "return-%s")
        super().__init__(*args, **kwargs)


class EdubaseForm(forms.Form):
    edubase_url = forms.CharField(
        label=_("Adresse de la fiche sur Édubase"), required=False, max_length=300, widget=forms.URLInput,
        help_text=_("Par exemple https://edubase.eduscol.education.fr/fiche/12345."),
    )

    def __init__(self, *args, prefix_id="edubase", **kwargs):
        kwargs.setdefault("auto_id", f"{prefix_id}-%s")
        super().__init__(*args, **kwargs)


class PublishForm(EdubaseForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix_id="publish", **kwargs)
        self.fields["edubase_url"].label = _("Adresse de la fiche sur Édubase (facultatif)")


class CompareForm(forms.Form):
    """Two versions of a scenario to compare, and how to show the comparison."""

    SIDE_BY_SIDE, CHANGES = "cote-a-cote", "modifications"

    a = forms.TypedChoiceField(label=_("Version de départ"), coerce=int, choices=())
    b = forms.TypedChoiceField(label=_("Version d'arrivée"), coerce=int, choices=())
    vue = forms.ChoiceField(
        label=_("Affichage"), choices=[(SIDE_BY_SIDE, _("Côte à côte")), (CHANGES, _("Liste des champs modifiés"))],
        widget=forms.RadioSelect, required=False,
    )

    def __init__(self, data=None, *, numbers, **kwargs):
        super().__init__(data, **kwargs)
        choices = [(number, _("Version %(number)s") % {"number": number}) for number in numbers]
        for name in ("a", "b"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = _("Choisissez une version de la séquence.")
