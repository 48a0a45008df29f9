"""Filters of the academy's list of proposals (the inspector's side)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from traam.models import Call, Theme

from .enums import ProposalState
from .models import Proposal

# States past the team's draft: what the academy has to look at.
REVIEWED_STATES = [state for state in ProposalState.values if state != ProposalState.DRAFT]


class InspectorProposalFilter(django_filters.FilterSet):
    """The inspector's proposals, by call, theme, state and a text search."""

    # Bounded: a search of many thousand characters is no search, and SQLite refuses such a LIKE pattern.
    q = django_filters.CharFilter(
        label=_("Rechercher"), method="search", max_length=200, help_text=_("Titre, résumé ou nom de la personne qui porte le projet."),
    )
    call = django_filters.ModelChoiceFilter(
        label=_("Appel à projets"), field_name="theme__entry__call", queryset=Call.objects.none(), empty_label=_("Tous les appels"),
    )
    theme = django_filters.ModelChoiceFilter(label=_("Thématique"), queryset=Theme.objects.none(), empty_label=_("Toutes les thématiques"))
    state = django_filters.ChoiceFilter(
        label=_("État"), choices=[(value, label) for value, label in ProposalState.choices if value in REVIEWED_STATES],
        empty_label=_("Tous les états"),
    )

    class Meta:
        model = Proposal
        fields = ["q", "call", "theme", "state"]

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        visible = self.queryset.values("theme_id")
        self.filters["theme"].queryset = (
            Theme.objects.filter(pk__in=visible).select_related("entry__discipline").order_by("entry__discipline__name", "order", "pk")
        )
        self.filters["call"].queryset = Call.objects.filter(entries__themes__proposals__in=self.queryset.values("pk")).distinct()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(summary__icontains=value)
            | Q(lead__first_name__icontains=value) | Q(lead__last_name__icontains=value)
        )
