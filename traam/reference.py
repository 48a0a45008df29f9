"""Loads the reference data from ``fixtures/`` (idempotent: run it as often as you like)."""

import datetime
import json

from django.conf import settings
from django.db import transaction

from .enums import EligibilityRule
from .models import Academy, Call, ClassLevel, CrcnCompetence, CrcnDomain, DigitalCommon, Discipline, Entry, Region, Theme

FIXTURES = settings.BASE_DIR / "fixtures"
CALL_FILES = {"2026-2027": "call_2026_2027.json"}


def read(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@transaction.atomic
def load_reference():
    data = read("reference.json")
    for region_data in data["regions"]:
        region, _ = Region.objects.update_or_create(code=region_data["code"], defaults={"name": region_data["name"]})
        for academy in region_data["academies"]:
            Academy.objects.update_or_create(code=academy["code"], defaults={"name": academy["name"], "region": region})
    for level in data["class_levels"]:
        ClassLevel.objects.update_or_create(code=level["code"], defaults={"name": level["name"], "order": level["order"]})
    for domain_data in data["crcn"]:
        domain, _ = CrcnDomain.objects.update_or_create(number=domain_data["number"], defaults={"name": domain_data["name"]})
        for code, name in domain_data["competences"]:
            CrcnCompetence.objects.update_or_create(code=code, defaults={"name": name, "domain": domain})
    for common in data["digital_commons"]:
        DigitalCommon.objects.update_or_create(code=common["code"], defaults={"name": common["name"], "url": common["url"]})
    for year, filename in CALL_FILES.items():
        load_call(read(filename), data["call_dates"][year])


def load_call(data, dates):
    for discipline in data["disciplines"]:
        Discipline.objects.update_or_create(code=discipline["code"], defaults={"name": discipline["name"]})
    call_data = data["call"]
    call, _ = Call.objects.update_or_create(
        year=call_data["year"],
        defaults={
            "title": call_data["title"],
            "tagline": call_data.get("tagline", ""),
            "introduction_html": call_data.get("introduction_html", ""),
            "organisation_html": call_data.get("organisation_html", ""),
            "contacts": call_data.get("contacts", []),
            "is_published": True,
            **{name: datetime.date.fromisoformat(value) for name, value in dates.items()},
        },
    )
    disciplines = {d.code: d for d in Discipline.objects.all()}
    for entry_data in data["entries"]:
        entry, _ = Entry.objects.update_or_create(
            call=call,
            code=entry_data["code"],
            defaults={
                "discipline": disciplines[entry_data["discipline"]],
                "name": entry_data["name"],
                "order": entry_data["order"],
                "seats": entry_data.get("seats", 5),
                "introduction_html": entry_data.get("introduction_html", ""),
            },
        )
        for theme_data in entry_data["themes"]:
            eligibility = theme_data.get("eligibility") or {}
            Theme.objects.update_or_create(
                entry=entry,
                order=theme_data["order"],
                defaults={
                    "title": theme_data["title"],
                    "full_title": theme_data.get("full_title", ""),
                    "keywords": theme_data.get("keywords", []),
                    "description_html": theme_data["description_html"],
                    "eligibility_rule": eligibility.get("rule", EligibilityRule.NONE),
                    "eligibility_text": eligibility.get("text", ""),
                    "eligibility_required_theme": eligibility.get("required_theme", ""),
                },
            )
    return call
