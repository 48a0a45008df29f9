import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Discipline, Entry


class EntryFilter(django_filters.FilterSet):
    """Entries of a call, filterable by discipline."""

    discipline = django_filters.ModelChoiceFilter(
        label=_("Discipline ou enseignement"), queryset=Discipline.objects.none(), empty_label=_("Toutes les disciplines")
    )

    class Meta:
        model = Entry
        fields = ["discipline"]

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["discipline"].queryset = Discipline.objects.filter(entries__call=call).distinct().order_by("name")
