"""What a bilan says, before it is laid out: the context of
``bilans/bilan_pdf.html`` for an entry's bilan or for the focus on AI, built
from ``bilans.data`` (a fixed number of queries) and ``bilans.charts``.

A bilan lets a teacher find quickly the scenarios that fit their problem,
their competences and their class level (seed 001): each published scenario
is described once, under the problem it addresses; the competences and the
class levels then list the scenarios with the page where they are described."""

import re
from collections import OrderedDict, defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidatures.enums import AIUsage

from . import data
from .charts import Bar, scenarios_chart
from .enums import BilanKind

_TRAILING = re.compile(r"[\s.?!…;:]+$")


def problem_key(problem: str) -> str:
    """Two scenarios address the same problem when their texts match but for
    case, spacing and the final punctuation."""
    return _TRAILING.sub("", " ".join(problem.split())).casefold()


def _number(scenarios):
    """Number the scenarios in the order the bilan describes them: the indexes
    point to « n° 12 », found by leafing through (cheaper to lay out than a
    page number per line, and it does not change when the pages do)."""
    for number, scenario in enumerate(scenarios, start=1):
        scenario.number = number


def _by_number(scenario):
    return getattr(scenario, "number", 0)


def _prepare(scenarios):
    """Give each scenario what the template shows (its anchor, lists read once)."""
    for scenario in scenarios:
        scenario.anchor = f"sequence-{scenario.slug}"
        scenario.levels = list(scenario.class_levels.all())
        scenario.crcn = list(scenario.crcn_competences.all())
        scenario.common_list = list(scenario.commons.all())
        scenario.academy = scenario.group.academy
        scenario.entry = scenario.group.entry
    return scenarios


def by_problem(scenarios) -> list[dict]:
    """Scenarios grouped by the problem they address, the most shared problems
    first, then in alphabetical order; those without one come last."""
    groups = OrderedDict()
    for scenario in scenarios:
        key = problem_key(scenario.problem or "")
        groups.setdefault(key, {"problem": " ".join((scenario.problem or "").split()), "scenarios": []})["scenarios"].append(scenario)
    stated = sorted((group for key, group in groups.items() if key), key=lambda group: (-len(group["scenarios"]), problem_key(group["problem"])))
    unstated = groups.get("")
    return stated + ([{"problem": "", "scenarios": unstated["scenarios"]}] if unstated else [])


def by_crcn(scenarios, competences) -> list[dict]:
    """Per CRCN domain, the competences some scenario works on, with those scenarios."""
    found = defaultdict(list)
    for scenario in scenarios:
        for competence in scenario.crcn:
            found[competence.pk].append(scenario)
    domains = OrderedDict()
    for competence in competences:
        if found.get(competence.pk):
            domain = domains.setdefault(competence.domain_id, {"domain": competence.domain, "competences": []})
            domain["competences"].append({"competence": competence, "scenarios": sorted(found[competence.pk], key=_by_number)})
    return list(domains.values())


def by_level(scenarios, levels) -> list[dict]:
    found = defaultdict(list)
    for scenario in scenarios:
        for level in scenario.levels:
            found[level.pk].append(scenario)
    return [{"level": level, "scenarios": sorted(found[level.pk], key=_by_number)} for level in levels if found.get(level.pk)]


def _level_chart(scenarios, levels, chart_id):
    counts = defaultdict(int)
    for scenario in scenarios:
        for level in scenario.levels:
            counts[level.pk] += 1
    return {
        "id": chart_id,
        "title": _("Séquences publiées par niveau de classe"),
        "note": _("Une séquence peut viser plusieurs niveaux."),
        "svg": scenarios_chart([Bar(level.name, counts[level.pk]) for level in levels], title=_("Séquences publiées par niveau de classe"), chart_id=chart_id),
    }


def _crcn_chart(scenarios, competences, chart_id):
    counts = defaultdict(int)
    for scenario in scenarios:
        for competence in scenario.crcn:
            counts[competence.pk] += 1
    title = _("Compétences du CRCN travaillées")
    return {
        "id": chart_id,
        "title": title,
        "note": _("Nombre de séquences travaillant chacune des 16 compétences du cadre de référence des compétences numériques."),
        "svg": scenarios_chart([Bar(f"{c.code} {c.name}", counts[c.pk]) for c in competences], title=title, chart_id=chart_id),
    }


def _figures(scenarios, groups, competences, levels):
    covered = {competence.pk for scenario in scenarios for competence in scenario.crcn}
    levels_covered = {level.pk for scenario in scenarios for level in scenario.levels}
    return {
        "scenarios": len(scenarios),
        "groups": len(groups),
        "groups_publishing": len({scenario.group_id for scenario in scenarios}),
        "academies": len({group.academy_id for group in groups}),
        "crcn_covered": len(covered),
        "crcn_total": len(competences),
        "levels_covered": len(levels_covered),
        "with_edubase": sum(1 for scenario in scenarios if scenario.edubase_url),
    }


def entry_context(run) -> dict:
    """The context of an entry's bilan."""
    entry = run.entry
    scenarios = _prepare(data.entry_scenarios(entry))
    groups = data.entry_groups(entry)
    levels, competences = data.class_levels(), data.crcn_competences()
    themes = data.entry_themes(entry)
    problems = by_problem(scenarios)
    _number([scenario for group in problems for scenario in group["scenarios"]])
    return {
        "run": run,
        "call": run.call,
        "entry": entry,
        "kind": BilanKind.ENTRY,
        "focus": False,
        "title": entry.name,
        "themes": themes,
        "several_themes": len(themes) > 1,
        "scenarios": scenarios,
        "figures": _figures(scenarios, groups, competences, levels),
        "academies": sorted({group.academy.name for group in groups}),
        "charts": [_level_chart(scenarios, levels, "chart-levels"), _crcn_chart(scenarios, competences, "chart-crcn")],
        "by_problem": problems,
        "by_crcn": by_crcn(scenarios, competences),
        "by_level": by_level(scenarios, levels),
        "cited": sorted(scenarios, key=lambda s: s.number),
        "generated_at": timezone.now(),
    }


# Usage → (section title, its introduction, the chart's label), after seed 001.
AI_SECTIONS = {
    AIUsage.TEACHER_PRACTICE: (
        gettext_lazy("Les démarches centrées sur la pratique des enseignants"),
        gettext_lazy("L'intelligence artificielle au service du travail du professeur : produire des ressources plus efficacement, "
          "enrichir et personnaliser les rétroactions faites aux élèves, avec une vérification experte et attentive de ce qu'elle propose."),
        gettext_lazy("Pratique des enseignants"),
    ),
    AIUsage.STUDENT_LEARNING: (
        gettext_lazy("Les démarches centrées sur les apprentissages des élèves"),
        gettext_lazy("L'intelligence artificielle au service des apprentissages : les élèves mobilisent leurs connaissances pour critiquer ce qu'elle produit, "
          "ou l'utilisent eux-mêmes, dans le respect de la réglementation sur la protection des données personnelles."),
        gettext_lazy("Apprentissages des élèves"),
    ),
}


def focus_ai_context(run) -> dict:
    """The context of the focus on AI: every entry's published scenarios that
    use AI, by usage (the teacher's practice, the students' learning), then by entry."""
    call = run.call
    scenarios = _prepare(data.focus_ai_scenarios(call))
    groups = data.focus_ai_groups(call, scenarios)
    levels, competences = data.class_levels(), data.crcn_competences()
    sections = []
    for usage in data.FOCUS_AI_USAGES:
        title, intro, label = AI_SECTIONS[usage]
        entries = OrderedDict()
        for scenario in scenarios:
            if scenario.ai_usage == usage:
                entries.setdefault(scenario.entry.pk, {"entry": scenario.entry, "scenarios": []})["scenarios"].append(scenario)
        sections.append({
            "usage": usage, "label": label, "anchor": f"usage-{usage}".replace("_", "-"), "title": title, "intro": intro,
            "entries": list(entries.values()), "count": sum(len(group["scenarios"]) for group in entries.values()),
        })
    _number([scenario for section in sections for group in section["entries"] for scenario in group["scenarios"]])
    per_entry = OrderedDict()
    for scenario in scenarios:
        per_entry.setdefault(scenario.entry.pk, [scenario.entry, 0])[1] += 1
    usage_title = _("Séquences publiées par usage de l'intelligence artificielle")
    entry_title = _("Séquences publiées utilisant l'IA, par discipline ou enseignement")
    charts = [
        {"id": "chart-usages", "title": usage_title, "note": "",
         "svg": scenarios_chart([Bar(str(section["label"]), section["count"]) for section in sections],
                                title=usage_title, chart_id="chart-usages")},
        {"id": "chart-entries", "title": entry_title, "note": "",
         "svg": scenarios_chart([Bar(entry.name, count) for entry, count in per_entry.values()], title=entry_title, chart_id="chart-entries")},
        _level_chart(scenarios, levels, "chart-levels"),
    ]
    figures = _figures(scenarios, groups, competences, levels)
    figures["entries"] = len(per_entry)
    return {
        "run": run,
        "call": call,
        "entry": None,
        "kind": BilanKind.FOCUS_AI,
        "focus": True,
        "title": _("Focus sur les usages de l'intelligence artificielle"),
        "scenarios": scenarios,
        "figures": figures,
        "disciplines": [entry.name for entry, _count in per_entry.values()],
        "charts": charts,
        "sections": sections,
        "by_level": by_level(scenarios, levels),
        "cited": sorted(scenarios, key=lambda s: (s.entry.order, s.entry.name, s.number)),
        "generated_at": timezone.now(),
    }


def bilan_context(run) -> dict:
    return entry_context(run) if run.kind == BilanKind.ENTRY else focus_ai_context(run)
