"""Demo of the bilans (DESIGN.md demo contract): the national pilot has
generated and published the 2026-2027 bilan of Mathématiques and the focus on
the uses of AI, so that the call's page and the public list show them; the
other entries wait for the pilot's « Générer ». Rendered here, in the
seed's transaction (a worker would only find them done). Idempotent: nothing
is done once the call has a bilan."""

from traam.models import Call

from . import data, rendering, services
from .enums import BilanKind
from .models import BilanRun

YEAR = "2026-2027"
PILOT = "pilote@demo.traam.example"
PUBLISHED_ENTRY = "mathematiques"


def seed(users):
    call = Call.objects.filter(year=YEAR).first()
    if call is None or BilanRun.objects.filter(call=call).exists():
        return
    pilot = users[PILOT]
    counts = data.published_counts(call)
    entry = call.entries.filter(code=PUBLISHED_ENTRY).first()
    targets = []
    if entry is not None and counts.get(entry.pk):
        targets.append((entry, BilanKind.ENTRY))
    if counts[None]:
        targets.append((None, BilanKind.FOCUS_AI))
    for target, kind in targets:
        run, _created = services.request_bilan(call, target, kind=kind, acting_user=pilot)
        if rendering.render_run(run.pk) == "done":
            services.publish_bilan(run, acting_user=pilot)
