"""The task the library queues: run one Job by id (see articles.jobs)."""

from django_tasks import task


@task()
def run_job_task(job_id: int) -> str:
    from articles.jobs import run_job

    return run_job(job_id=job_id)
