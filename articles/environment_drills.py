"""Drills of the environment failing under an import: disk full on a small tmpfs, a read-only
index folder, a read-only data folder (these need root, for mount), the database down (SQLite
and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from urllib.parse import urlsplit

from articles.drills import (
    DrillResult,
    Site,
    last_line,
    leftovers,
    orphan_originals,
    synthetic_records,
    write_jsonl,
)


def mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)  # noqa: S603, S607


def drill_disk_full(site: Site, *, count: int = 3000, size: str = "3m") -> DrillResult:
    """The data dir on a tmpfs too small for the import: a clear message, exit 1, nothing half-saved."""
    result = DrillResult(f"disk full: {count:,} articles into a {size} tmpfs data dir")
    corpus = write_jsonl(site.folder / "full.jsonl", synthetic_records(count=count, start=300_000))
    site.data.mkdir(parents=True, exist_ok=True)
    mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(site.data))
    try:
        site.setup()
        done = site.manage("import_articles", str(corpus))
        message = last_line(done)
        result.expect(done.returncode == 1, f"exit {done.returncode}: {message}")
        result.expect("disk is full" in (done.stdout + done.stderr), "the message names the cause")
        result.expect("Traceback" not in done.stderr, "no traceback")
        left = leftovers(site) + orphan_originals(site)
        result.expect(
            not left, f"no original without its whole bytes, no temp file left: {left or 'none'}"
        )
        saved = site.article_count()
        record = site.python(
            "from articles.models import UploadedFile as F; f = F.objects.order_by('pk').last(); "
            "print(f.outcome, '|', f.message.splitlines()[1] if f else '')"
        )
        result.lines.append(f"  {saved:,} articles saved; the file's record: {last_line(record)}")
        mount("-o", "remount,size=64m", str(site.data))  # room again: the re-run finishes
        rerun = site.manage("import_articles", str(corpus))
        result.expect(rerun.returncode == 0, f"re-run with room: {last_line(rerun)}")
        result.finish_with_all_saved_once(site, expected=count)
    finally:
        subprocess.run(["umount", "-l", str(site.data)], check=False, capture_output=True)  # noqa: S603, S607
    return result


def drill_read_only_index(site: Site, *, count: int = 600) -> DrillResult:
    """The index folder mounted read-only: the import saves, says the index was not updated,
    exits 1; the operations stay queued and the next run (index writable again) applies them."""
    result = DrillResult(f"read-only index folder during an import of {count:,} articles")
    corpus = write_jsonl(site.folder / "ro.jsonl", synthetic_records(count=count, start=400_000))
    index = site.data / "whoosh_index"
    site.manage("ensure_index")
    mount("--bind", str(index), str(index))
    try:
        mount("-o", "remount,bind,ro", str(index))
        done = site.manage("import_articles", str(corpus))
        output = done.stdout.strip().splitlines()
        result.expect(done.returncode == 1, f"exit {done.returncode}: {' / '.join(output[-2:])}")
        result.expect("Traceback" not in done.stderr, "no traceback")
    finally:
        subprocess.run(["umount", str(index)], check=False, capture_output=True)  # noqa: S603, S607
    again = site.manage("ensure_index")
    result.expect(again.returncode == 0, f"index writable again, ensure_index: {last_line(again)}")
    result.finish_with_all_saved_once(site, expected=count)
    return result


def drill_read_only_data(site: Site, *, count: int = 300) -> DrillResult:
    """The whole data folder mounted read-only: one message naming it, exit 1; writable again,
    the same import saves everything."""
    result = DrillResult(f"read-only data folder during an import of {count:,} articles")
    corpus = write_jsonl(site.folder / "rod.jsonl", synthetic_records(count=count, start=500_000))
    site.manage("ensure_index")
    mount("--bind", str(site.data), str(site.data))
    try:
        mount("-o", "remount,bind,ro", str(site.data))
        done = site.manage("import_articles", str(corpus))
        output = (done.stdout + done.stderr).strip()
        result.expect(done.returncode == 1, f"exit {done.returncode}: {last_line(done)}")
        result.expect("read-only" in output and str(site.data) in output, "the message names it")
        result.expect("Traceback" not in done.stderr, "no traceback")
    finally:
        subprocess.run(["umount", str(site.data)], check=False, capture_output=True)  # noqa: S603, S607
    rerun = site.manage("import_articles", str(corpus))
    result.expect(rerun.returncode == 0, f"writable again, re-run: {last_line(rerun)}")
    result.finish_with_all_saved_once(site, expected=count)
    return result


class SqliteOutage:
    """SQLite unavailable to writers: another connection holds its write lock past their busy
    timeout (the lock is the database being away, for a file database)."""

    def __init__(self, site: Site) -> None:
        self.path = site.data / "marsad.sqlite3"
        self.holder: sqlite3.Connection | None = None

    def saved(self) -> int:
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM articles_article").fetchone()[0]

    def begin(self, process: subprocess.Popen) -> None:
        """Take the lock between two of the import's transactions: the import paused (SIGSTOP)
        while the lock is tried, let on a moment whenever it holds the lock itself."""
        self.holder = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        while True:
            os.killpg(process.pid, signal.SIGSTOP)
            try:
                self.holder.execute("BEGIN EXCLUSIVE")
                break
            except sqlite3.OperationalError:  # the import is inside a transaction
                os.killpg(process.pid, signal.SIGCONT)
                time.sleep(0.01)
        os.killpg(process.pid, signal.SIGCONT)

    def end(self) -> None:
        self.holder.execute("ROLLBACK")
        self.holder.close()


class PostgresOutage:
    """The site's PostgreSQL database away: its connections terminated and new ones refused
    (ALLOW_CONNECTIONS false), from a connection to the server's maintenance database; the
    server and its other databases carry on."""

    def __init__(self, site: Site) -> None:
        import psycopg

        self.psycopg = psycopg
        self.url = site.database_url
        self.name = urlsplit(self.url).path.lstrip("/")
        self.admin = psycopg.connect(self.url.rsplit("/", 1)[0] + "/postgres", autocommit=True)

    def saved(self) -> int:
        with self.psycopg.connect(self.url) as db:
            return db.execute("SELECT count(*) FROM articles_article").fetchone()[0]

    def begin(self, process: subprocess.Popen) -> None:
        quoted = self.psycopg.sql.Identifier(self.name)
        self.admin.execute(
            self.psycopg.sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(quoted)
        )
        self.admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [self.name],
        )

    def end(self) -> None:
        quoted = self.psycopg.sql.Identifier(self.name)
        self.admin.execute(
            self.psycopg.sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(quoted)
        )
        self.admin.close()


def through_outage(site: Site, process: subprocess.Popen) -> tuple[str, str, int]:
    """The process's output once the site's database went away under it (after its first
    saved article) and came back, and how many articles the database then held."""
    outage = PostgresOutage(site) if site.database_url else SqliteOutage(site)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and process.poll() is None and not outage.saved():
        time.sleep(0.05)
    outage.begin(process)
    try:
        out, err = process.communicate(timeout=900)
    finally:
        outage.end()
    return out, err, outage.saved()


FILE_RECORD_CODE = """
from articles.models import UploadedFile as F
f = F.objects.get(name={name!r}, batch__pk=F.objects.filter(name={name!r}).order_by("pk").first().batch_id)
print(f.outcome, f.batch.imported_count, "|", " / ".join(f.message.splitlines()[:2]))
"""


def drill_database_down(site: Site, *, count: int = 3000) -> DrillResult:
    """The database goes away while an import saves: one message per file naming the cause,
    exit 1, no orphan original, no temp file; back again, the batch record tells which records
    were saved, and the re-run finishes the import."""
    engine = "PostgreSQL" if site.database_url else "SQLite"
    result = DrillResult(f"database down ({engine}) during an import of {count:,} articles")
    corpus = write_jsonl(site.folder / "down.jsonl", synthetic_records(count=count, start=700_000))
    # One drafting process: its batches saved a drafting apart, so the outage falls between two.
    process = site.start("import_articles", "--workers", "1", str(corpus))
    out, err, saved = through_outage(site, process)
    result.expect(0 < saved < count, f"database away with {saved:,} of {count:,} articles saved")
    said = [line for line in out.splitlines() if line.startswith("failed: down.jsonl: ")]
    result.expect(
        process.returncode == 1 and len(said) == 1 and "the database failed" in said[0],
        f"exit {process.returncode}; {said[0] if said else 'no message for the file'}",
    )
    result.lines.append(f"  {err.strip().splitlines()[-1] if err.strip() else out[-300:]}")
    result.expect("Traceback" not in err, "no traceback")
    left = leftovers(site)
    result.expect(not left, f"no temp file left: {left or 'none'}")
    before = site.check_index()
    result.lines.append(f"  database back, check_index: {' / '.join(before.stdout.splitlines())}")
    rerun = site.manage("import_articles", str(corpus))
    result.expect(rerun.returncode == 0, f"re-run: {last_line(rerun)}")
    record = last_line(site.python(FILE_RECORD_CODE.format(name=corpus.name)))
    expected = f"partial {saved} | stopped: the database failed"
    result.expect(
        record.startswith(expected) and record.endswith(f"saved records: lines 1–{saved}"),
        f"the stopped batch's record: {record}",
    )
    orphans = orphan_originals(site)
    result.expect(not orphans, f"originals without their record: {orphans or 'none'}")
    result.finish_with_all_saved_once(site, expected=count)
    return result


CONFIRM_BY_JOB_CODE = """
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from articles.jobs import run_job
from articles.services.uploads import confirm_upload, pending_upload, stage_upload
user, _ = get_user_model().objects.get_or_create(username="editor", defaults={{"is_staff": True}})
data = open({path!r}, "rb").read()
token = stage_upload(files=[SimpleUploadedFile({name!r}, data)], uploaded_by=user)
if (upload := pending_upload(token=token, uploaded_by=user)).job_id:
    run_job(job_id=upload.job_id)  # the preview, read by a job
print(confirm_upload(upload=pending_upload(token=token, uploaded_by=user)).job.pk)
"""
SETTLE_CODE = """
from articles.services.import_stops import settle_stopped_imports
print("recorded", settle_stopped_imports())
"""
JOB_CODE = (
    "from articles.models import Job; j = Job.objects.get(pk={job}); print(j.state, '|', j.result)"
)


def drill_database_down_confirm(site: Site, *, count: int = 1200) -> DrillResult:
    """The database goes away while a job saves an admin upload: the job says why, the worker
    does not crash, no orphan original; back again, the batch record tells which records were
    saved, and the next worker resumes the job and finishes the upload."""
    engine = "PostgreSQL" if site.database_url else "SQLite"
    result = DrillResult(
        f"database down ({engine}) while a job confirms a {count:,}-article upload"
    )
    upload = write_jsonl(site.folder / "up.jsonl", synthetic_records(count=count, start=800_000))
    staged = site.python(CONFIRM_BY_JOB_CODE.format(path=str(upload), name=upload.name))
    job = int(last_line(staged))
    process = site.start(
        "shell", "-c", f"from articles.jobs import run_job; print(run_job(job_id={job}))"
    )
    out, err, saved = through_outage(site, process)
    result.expect(0 < saved < count, f"database away with {saved:,} of {count:,} articles saved")
    said = out.strip().splitlines()[-1] if out.strip() else err.strip()[-300:]
    result.expect(process.returncode == 0 and "the database failed" in said, f"the job: {said}")
    result.expect("Traceback" not in err, "no traceback")
    left = leftovers(site)
    result.expect(not left, f"no temp file left: {left or 'none'}")
    settled = last_line(site.python(SETTLE_CODE))
    record = last_line(site.python(FILE_RECORD_CODE.format(name=upload.name)))
    result.expect(
        settled == "recorded 1"
        and record.startswith(f"partial {saved} | stopped: the database failed")
        and record.endswith(f"saved records: lines 1–{saved}"),
        f"database back, the batch's record: {record}",
    )
    orphans = orphan_originals(site)
    result.expect(not orphans, f"originals without their record: {orphans or 'none'}")
    worker = site.manage("worker", "--batch")
    resumed = last_line(site.python(JOB_CODE.format(job=job)))
    result.expect(
        worker.returncode == 0 and resumed.startswith(f"done | imported {count},"),
        f"the next worker resumed the job: {resumed}",
    )
    result.finish_with_all_saved_once(site, expected=count)
    return result
