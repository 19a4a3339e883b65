"""Background jobs: the real worker runs them, a dead worker's job is resumed or reported
interrupted (never silently half-done), and the admin shows progress and result."""

import datetime
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.jobs import MAX_ATTEMPTS, start_job
from articles.models import Article, Job, UploadBatch
from articles.scratch_site import manage_command, scratch_env
from articles.services.imports import import_source_files, iter_import_files
from tests.jobs_support import jsonl_articles, run_worker
from tests.upload_support import indexed_ids

ROOT = Path(__file__).resolve().parents[1]
JOB_URL = "/admin/articles/job/"


def queue_import(path: Path) -> Job:
    out = io.StringIO()
    call_command("import_articles", "--background", str(path), stdout=out)
    assert out.getvalue().startswith("queued job #")
    return Job.objects.get(pk=int(out.getvalue().split("#")[1]))


def test_an_import_job_runs_to_completion_in_the_worker(transactional_db, gazetteer, tmp_path):
    (tmp_path / "feed.jsonl").write_bytes(jsonl_articles(30))
    job = queue_import(tmp_path / "feed.jsonl")
    assert (job.state, Article.objects.count()) == (Job.State.QUEUED, 0)

    run_worker()

    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert (job.done, job.total, job.error_count) == (30, 30, 0)
    assert job.result == "imported 30, duplicates 0, failed 0"
    assert job.rate > 0 and job.finished_at >= job.started_at
    ids = set(Article.objects.values_list("pk", flat=True))
    assert len(ids) == 30 and indexed_ids() == ids
    assert Article.objects.filter(mentions__entity__slug="sergey-lavrov").distinct().count() == 30
    assert job.batch_ids == [UploadBatch.objects.get().pk]


def test_errors_so_far_are_counted_and_kept(transactional_db, gazetteer, tmp_path):
    data = jsonl_articles(3) + b"{not json\n" + b'{"title": "no body"}\n'
    (tmp_path / "feed.jsonl").write_bytes(data)
    job = queue_import(tmp_path / "feed.jsonl")
    run_worker()
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.error_count == 2
    assert [e.split(":")[0] for e in job.errors] == ["feed.jsonl#line 4", "feed.jsonl#line 5"]
    assert job.result == "imported 3, duplicates 0, failed 2"


def test_an_import_jobs_page_lists_a_bad_record_as_soon_as_it_is_met(
    transactional_db, gazetteer, tmp_path, admin_client, monkeypatch
):
    from articles import jobs

    (tmp_path / "feed.jsonl").write_bytes(b"{not json\n" + jsonl_articles(600))
    job = queue_import(tmp_path / "feed.jsonl")
    pages: list[str] = []
    advance = jobs.JobProgress.advance

    def advance_and_look(progress, count=1, **errors):  # the admin looks, 10 records in
        advance(progress, count, **errors)
        if progress.job.done == 10:
            pages.append(admin_client.get(f"{JOB_URL}{job.pk}/change/").content.decode())

    monkeypatch.setattr(jobs.JobProgress, "advance", advance_and_look)
    run_worker()

    assert "feed.jsonl#line 1: The line is not valid JSON" in pages[0]
    assert '<meta http-equiv="refresh"' in pages[0]  # while the job still runs
    assert Article.objects.count() == 600


def stale(job: Job, *, attempts: int, batch_ids: list[int] | None = None) -> None:
    """Leave `job` as a worker on another machine leaves it when it dies mid-run."""
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING,
        attempts=attempts,
        worker="another-machine:4242",
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=10),
        batch_ids=batch_ids or [],
    )


def test_a_job_whose_worker_stopped_reporting_is_resumed(transactional_db, gazetteer, tmp_path):
    (tmp_path / "feed.jsonl").write_bytes(jsonl_articles(12))
    job = queue_import(tmp_path / "feed.jsonl")
    stale(job, attempts=1)

    output = run_worker()

    assert f"job #{job.pk} (import) resumed" in output
    job.refresh_from_db()
    assert (job.state, job.attempts, Article.objects.count()) == (Job.State.DONE, 2, 12)


def test_after_the_last_attempt_a_stale_job_is_interrupted_with_what_it_saved(
    transactional_db, gazetteer, tmp_path
):
    (tmp_path / "feed.jsonl").write_bytes(jsonl_articles(5))
    report = import_source_files(
        files=iter_import_files(paths=[tmp_path]), channel=UploadBatch.Channel.COMMAND
    )
    job = start_job(kind=Job.Kind.IMPORT, params={"paths": [str(tmp_path)]})
    stale(job, attempts=MAX_ATTEMPTS, batch_ids=[report.batch.pk])

    output = run_worker()

    assert f"job #{job.pk} (import) interrupted" in output
    job.refresh_from_db()
    assert job.state == Job.State.INTERRUPTED
    assert "another-machine:4242 stopped" in job.result
    assert "5 articles saved so far" in job.result
    assert job.finished_at is not None


def test_a_job_queued_but_never_handed_to_the_library_is_handed_over(
    transactional_db, gazetteer, tmp_path
):
    (tmp_path / "feed.jsonl").write_bytes(jsonl_articles(3))
    job = Job.objects.create(kind=Job.Kind.IMPORT, params={"paths": [str(tmp_path)]})
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    assert f"job #{job.pk} (import) resumed" in run_worker()
    job.refresh_from_db()
    assert (job.state, Article.objects.count()) == (Job.State.DONE, 3)


def test_a_running_job_of_a_live_worker_is_left_alone(transactional_db, gazetteer, tmp_path):
    job = start_job(kind=Job.Kind.REBUILD, params={})
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING,
        worker=f"{os.uname().nodename}:{os.getpid()}",
        heartbeat_at=timezone.now(),
    )
    assert "resumed" not in run_worker()
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING


@pytest.fixture
def data_dir(tmp_path):
    """A data dir of its own (file SQLite database) that separate processes share."""
    env = scratch_env(data_dir=tmp_path / "data")
    for args in (["migrate", "--noinput"], ["load_gazetteer"]):
        subprocess.run(manage_command(*args), env=env, check=True, capture_output=True)
    return tmp_path / "data", env


def read_db(data: Path, sql: str) -> tuple:
    with sqlite3.connect(data / "marsad.sqlite3", timeout=30) as db:
        return db.execute(sql).fetchone()


def test_a_worker_killed_mid_import_is_resumed_by_the_next_worker(data_dir, tmp_path):
    data, env = data_dir
    total = 4000
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(jsonl_articles(total))

    def manage(*args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            manage_command(*args),
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    assert manage("import_articles", "--background", str(feed)).startswith("queued job #1")
    worker = subprocess.Popen(
        manage_command("worker", "--interval", "0.2"),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while read_db(data, "SELECT count(*) FROM articles_article")[0] == 0:
            assert time.monotonic() < deadline, "the worker never got going"
            assert worker.poll() is None, "the worker exited"
            time.sleep(0.05)
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()

    state, attempts = read_db(data, "SELECT state, attempts FROM articles_job")
    saved = read_db(data, "SELECT count(*) FROM articles_article")[0]
    assert (state, attempts) == ("running", 1)  # what the dead worker left
    assert 0 < saved < total

    output = manage("worker", "--batch", "--interval", "0")

    assert "job #1 (import) resumed" in output
    state, attempts, result = read_db(data, "SELECT state, attempts, result FROM articles_job")
    assert (state, attempts) == ("done", 2), result
    assert result.startswith(f"imported {total - saved}, duplicates {saved}, failed 0")
    assert f"{saved} of the duplicates were saved by an earlier attempt" in result
    assert read_db(data, "SELECT count(DISTINCT content_hash) FROM articles_article") == (total,)
    indexed = manage(
        "shell", "-c", "from tests.upload_support import indexed_ids; print(len(indexed_ids()))"
    )
    assert int(indexed.split()[-1]) == total


@pytest.fixture
def running_job(db, admin_user):
    job = Job.objects.create(
        kind=Job.Kind.UPLOAD,
        state=Job.State.RUNNING,
        created_by=admin_user,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        done=120,
        total=1200,
        rate=35.5,
        error_count=1,
        errors=["feed.jsonl#line 7: The line is not valid JSON."],
    )
    return job


def test_the_admin_shows_a_jobs_progress_rate_and_errors(admin_client, running_job):
    page = admin_client.get(f"{JOB_URL}{running_job.pk}/change/").content.decode()
    assert "120 / 1200" in page and "(10%)" in page
    assert "35.5" in page
    assert "feed.jsonl#line 7: The line is not valid JSON." in page
    assert '<meta http-equiv="refresh" content="3">' in page  # it follows the job while it runs
    listing = admin_client.get(JOB_URL).content.decode()
    assert "120 / 1200" in listing


def test_the_admin_shows_a_finished_jobs_result_without_refreshing(admin_client, running_job):
    Job.objects.filter(pk=running_job.pk).update(
        state=Job.State.DONE, done=1200, result="imported 1199, duplicates 0, failed 1"
    )
    page = admin_client.get(f"{JOB_URL}{running_job.pk}/change/").content.decode()
    assert "imported 1199, duplicates 0, failed 1" in page
    assert "1200 / 1200" in page and "(100%)" in page
    assert 'http-equiv="refresh"' not in page


def test_a_rebuild_started_in_the_admin_runs_as_a_job(transactional_db, admin_client, seeded):
    response = admin_client.post(f"{JOB_URL}start/rebuild/")
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{JOB_URL}{job.pk}/change/"
    assert job.kind == Job.Kind.REBUILD and job.state == Job.State.QUEUED

    run_worker()

    job.refresh_from_db()
    count = Article.objects.count()
    assert (job.state, job.result) == (Job.State.DONE, f"indexed {count} of {count} articles")
    assert indexed_ids() == set(Article.objects.values_list("pk", flat=True))


def test_a_reextraction_started_in_the_admin_runs_as_a_job(transactional_db, admin_client, seeded):
    admin_client.post(f"{JOB_URL}start/reextract/")
    run_worker()
    job = Job.objects.get()
    assert (job.state, job.result) == (
        Job.State.DONE,
        f"re-matched {Article.objects.count()} articles",
    )
    assert job.done == job.total == Article.objects.count()


def test_the_bulk_delete_leaves_queued_and_running_jobs(admin_client, running_job):
    """Deleting a selection deletes its finished jobs only: a worker still writes to the rest."""
    queued = Job.objects.create(kind=Job.Kind.REBUILD)
    done = Job.objects.create(kind=Job.Kind.REBUILD, state=Job.State.DONE, result="indexed 3")
    failed = Job.objects.create(kind=Job.Kind.IMPORT, state=Job.State.FAILED)
    selected = [str(j.pk) for j in (running_job, queued, done, failed)]
    action = {"action": "delete_selected", "_selected_action": selected}

    confirm = admin_client.post(JOB_URL, action, follow=True)
    assert confirm.templates[0].name == "admin/delete_selected_confirmation.html"
    assert {obj.pk for obj in confirm.context["queryset"]} == {done.pk, failed.pk}
    warnings = [str(m) for m in confirm.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1  # "2 queued or running jobs were left…" (Arabic: the dual)
    assert warnings[0].startswith(("تُركت مهمتان منتظرتان", "2 queued or running jobs were left"))
    deleted = admin_client.post(
        JOB_URL, {**action, "_selected_action": [done.pk, failed.pk], "post": "yes"}, follow=True
    )
    assert [m.level_tag for m in deleted.context["messages"]] == ["success"]
    assert set(Job.objects.values_list("pk", flat=True)) == {running_job.pk, queued.pk}

    only_running = admin_client.post(
        JOB_URL, {"action": "delete_selected", "_selected_action": [running_job.pk]}, follow=True
    )
    assert [m.level_tag for m in only_running.context["messages"]] == ["warning"]
    assert Job.objects.filter(pk=running_job.pk).exists()


FORKING_WORKER = """
import multiprocessing, os, signal, sys
import django
django.setup()
from django_tasks_db.management.commands.db_worker import Worker
from articles.management.commands.worker import default_signals_in_children
if sys.argv[1] == "worker":
    default_signals_in_children()  # what `manage.py worker` does before db_worker starts
Worker(queue_names=["default"], interval=1, batch=True, backend_name="default",
       startup_delay=False, max_tasks=None, worker_id="w", excluded_queue_names=[]
       ).configure_signals()
with multiprocessing.get_context("fork").Pool(2) as pool:
    print(pool.map(abs, [-1, -2]))
    child = pool.apply(signal.getsignal, (signal.SIGTERM,))
    print("child SIGTERM handler:", "default" if child == signal.SIG_DFL else "inherited")
"""


@pytest.mark.parametrize(("how", "child_handler"), [("worker", "default"), ("bare", "inherited")])
def test_a_pool_forked_by_the_worker_does_not_inherit_its_shutdown_handlers(
    tmp_path, how, child_handler
):
    """db_worker's SIGTERM handler in a pool child turns the pool's own terminate() into a
    logged "shutting down" and SystemExit in each child; the worker command resets it."""
    env = scratch_env(data_dir=tmp_path, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", FORKING_WORKER, how],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"child SIGTERM handler: {child_handler}" in done.stdout
    if how == "worker":
        assert "shutting down" not in done.stderr and "SystemExit" not in done.stderr
