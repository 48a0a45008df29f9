"""The bilans' Celery tasks: thin, they take ids and call the domain.

``render_bilan`` is safe to receive twice (its claim is a conditional UPDATE;
a finished run is not redone), acknowledged only once it returns (a worker
killed mid-run leaves its message to the broker), and bounded in time. A
passing error (database, storage) puts the run back in the queue and the task
retries with an exponential backoff; past its retries the periodic check
hands the run over again, until ``services.MAX_ATTEMPTS`` claims fail it."""

from celery import shared_task

from . import rendering, services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=rendering.TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=services.SOFT_TIME_LIMIT,
    time_limit=services.TIME_LIMIT,
)
def render_bilan(run_id):
    """Render the PDF of the bilan run ``run_id``."""
    return rendering.render_run(run_id)


@shared_task
def requeue_stale_runs():
    """Every minute (Celery beat): hand over again the runs a broker or a worker lost."""
    return services.requeue_stale_runs()
