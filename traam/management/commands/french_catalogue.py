"""Build the French catalogue: the source strings are already French, so the
catalogue only has to carry the French plural rule (« 0 évaluation », « 2
évaluations »). gettext's fallback for an untranslated plural is the English
rule (n != 1); filling each plural entry with its own French forms gives
Django's French rule (n > 1) instead."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, call_command

PLURAL_ENTRY = re.compile(
    r'(msgid (?P<singular>(?:".*"\n)+)msgid_plural (?P<plural>(?:".*"\n)+))msgstr\[0\] ""\nmsgstr\[1\] ""\n(?:msgstr\[2\] ""\n)?'
)
# The header as makemessages copies it from Django's French catalogue: the
# CLDR rule with a third form for millions, written over two lines.
PLURAL_FORMS = re.compile(r'"Plural-Forms: .*?\\n"', re.DOTALL)


def fill_plurals(text: str) -> str:
    """Each untranslated plural entry gets its own forms as its translation."""

    def fill(match):
        singular = match["singular"].rstrip("\n").replace("\n", "\n")
        plural = match["plural"].rstrip("\n")
        return f"{match[1]}msgstr[0] {singular}\nmsgstr[1] {plural}\n"

    return PLURAL_ENTRY.sub(fill, text)


class Command(BaseCommand):
    help = "Regenerate locale/fr (makemessages), fill the plural forms and compile (needs GNU gettext)."

    def handle(self, *args, **options):
        path = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"
        # Built anew each time: the catalogue holds no translation of its own, and
        # merging into the previous one would give new strings fuzzy guesses.
        path.unlink(missing_ok=True)
        call_command("makemessages", locale=["fr"], ignore_patterns=[".venv/*", "staticfiles/*", "tests/*"], verbosity=0)
        text = path.read_text(encoding="utf-8")
        text = PLURAL_FORMS.sub(lambda match: r'"Plural-Forms: nplurals=2; plural=(n > 1);\n"', text, count=1)
        text = text.replace("#, fuzzy\n", "", 1)
        path.write_text(fill_plurals(text), encoding="utf-8")
        call_command("compilemessages", locale=["fr"], verbosity=0, ignore_patterns=[".venv/*"])
        self.stdout.write(f"Catalogue : {path}")
