"""What a bilan reads from the production stage: the published scenarios of
an entry, or of the whole call for the focus on AI, with everything the PDF
shows about them. The only module of ``bilans`` that queries
``productions``; every function does a fixed number of queries, whatever the
number of scenarios."""

from django.db.models import Count, Prefetch, Q

from candidatures.enums import AIUsage
from productions.enums import ScenarioState
from productions.models import Scenario, WorkingGroup
from traam.models import ClassLevel, CrcnCompetence, DigitalCommon, Theme

# The AI usages the focus groups by, in the order of seed 001: the teacher's
# practice, then the students' learning.
FOCUS_AI_USAGES = (AIUsage.TEACHER_PRACTICE, AIUsage.STUDENT_LEARNING)


def published_scenarios():
    """Published scenarios with their group, academy and entry (one query),
    their levels, CRCN competences and commons (three prefetch queries)."""
    return (
        Scenario.objects.filter(state=ScenarioState.PUBLISHED)
        .select_related("group__academy", "group__entry__discipline", "group__proposal__theme")
        .prefetch_related(
            Prefetch("class_levels", queryset=ClassLevel.objects.order_by("order")),
            Prefetch("crcn_competences", queryset=CrcnCompetence.objects.select_related("domain").order_by("code")),
            Prefetch("commons", queryset=DigitalCommon.objects.order_by("name")),
        )
        .order_by("group__academy__name", "title", "pk")
    )


def entry_scenarios(entry) -> list:
    """The published scenarios of ``entry``'s working groups (four queries)."""
    return list(published_scenarios().filter(group__entry=entry))


def focus_ai_scenarios(call) -> list:
    """The published scenarios of every entry of ``call`` that use AI, for the
    teacher's practice or the students' learning (four queries)."""
    return list(published_scenarios().filter(group__call=call, ai_usage__in=FOCUS_AI_USAGES).order_by("group__entry__order", "group__academy__name", "title", "pk"))


def entry_groups(entry) -> list:
    """The entry's academic working groups with their academy (one query)."""
    return list(WorkingGroup.objects.filter(entry=entry).select_related("academy").order_by("academy__name", "title"))


def focus_ai_groups(call, scenarios) -> list:
    """The working groups whose published scenarios use AI (one query)."""
    ids = {scenario.group_id for scenario in scenarios}
    return list(WorkingGroup.objects.filter(call=call, pk__in=ids).select_related("academy", "entry"))


def entry_themes(entry) -> list:
    """The entry's themes, in the call's order (one query)."""
    return list(Theme.objects.filter(entry=entry).order_by("order"))


def class_levels() -> list:
    return list(ClassLevel.objects.order_by("order"))


def crcn_competences() -> list:
    return list(CrcnCompetence.objects.select_related("domain").order_by("code"))


def published_counts(call) -> dict:
    """Per entry id, the number of published scenarios; under ``None``, those
    of the whole call that use AI (what the focus would cite). One query."""
    rows = (
        Scenario.objects.filter(group__call=call, state=ScenarioState.PUBLISHED)
        .values("group__entry_id")
        .annotate(total=Count("pk"), with_ai=Count("pk", filter=Q(ai_usage__in=FOCUS_AI_USAGES)))
        .order_by()
    )
    counts = {None: 0}
    for row in rows:
        counts[row["group__entry_id"]] = row["total"]
        counts[None] += row["with_ai"]
    return counts


def published_count(call, entry=None) -> int:
    """How many scenarios the bilan of ``entry`` (or the focus, without an entry) would cite."""
    scenarios = Scenario.objects.filter(group__call=call, state=ScenarioState.PUBLISHED)
    if entry is None:
        return scenarios.filter(ai_usage__in=FOCUS_AI_USAGES).count()
    return scenarios.filter(group__entry=entry).count()
