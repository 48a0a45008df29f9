"""Settings of the Celery worker (and command) subprocesses of the bilans'
services tests: the portal's own, with the queue of the test and short
delays, so that the periodic check notices a killed worker or a run no broker
took within seconds rather than minutes."""

from traam.settings.base import *  # noqa: F403
from traam.settings.base import env

CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", "celery")
BILANS_LEASE_SECONDS = int(env("BILANS_LEASE_SECONDS", "360"))
BILANS_UNSENT_GRACE_SECONDS = int(env("BILANS_UNSENT_GRACE_SECONDS", "30"))
