"""Background work of the production year: thin tasks that load the objects
and call the services (safe to run twice: reminders are recorded once per
milestone × group)."""

import datetime

from celery import shared_task

from traam.models import Call

from . import services
from .selectors import calls_in_production


@shared_task
def send_milestone_reminders(call_id=None, today=None):
    """Remind the groups behind before each milestone: of one call, or of every
    call in production (the daily beat entry). ``today`` as an ISO date."""
    day = datetime.date.fromisoformat(today) if today else None
    calls = Call.objects.filter(pk=call_id) if call_id is not None else calls_in_production(day)
    return sum(services.send_milestone_reminders(call, today=day) for call in calls)
