"""Fault drills for the ingestion pipeline, each on a throwaway site, each ending with check_index.

A site is a temporary data dir with its own SQLite database (or a PostgreSQL database named by
`database_url`) driven through `manage.py` in real processes: kill -9 mid-import and re-run,
kill -9 while an original is written (beside a live writer), two
concurrent imports, three concurrent admin confirms (through the upload service functions),
1,200- and 5,000-article uploads, disk full on a small tmpfs, a read-only index folder and a
read-only data folder.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from articles.scratch_site import manage_command, scratch_env
from articles.storage import PARTIAL_PREFIX, PARTIALS_FOLDER

ACTORS = ("الرئيس الروسي فلاديمير بوتين", "الرئيس الصيني شي جين بينغ", "وزير الخارجية سيرغي لافروف")
PLACES = ("موسكو", "بكين", "نيويورك", "القاهرة", "الرياض", "دمشق", "بغداد", "تونس")


def synthetic_records(*, count: int, start: int = 0) -> list[dict]:
    """Distinct dated articles, each naming an actor (so each has mentions)."""
    records = []
    for n in range(start, start + count):
        actor, place = ACTORS[n % len(ACTORS)], PLACES[n % len(PLACES)]
        body = (
            f"التقى {actor} في {place} وفدا رسميا في الاجتماع رقم {n} لبحث التعاون والتجارة.\n"
            f"وقال المتحدث إن المحادثات رقم {n} تناولت الطاقة والنقل والمياه في {place}."
        )
        records.append(
            {
                "title": f"اجتماع رقم {n} في {place}",
                "body": body,
                "date": f"2018-{1 + n % 12:02d}-{1 + n % 28:02d}",
                "source": "الجزيرة",
                "url": f"https://example.org/drill/{n}",
            }
        )
    return records


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


@dataclass
class Site:
    """A throwaway Marsad: its own data dir and database, driven through manage.py."""

    folder: Path
    database_url: str = ""

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def env(self) -> dict[str, str]:
        return scratch_env(data_dir=self.data, database_url=self.database_url, LOG_LEVEL="ERROR")

    def manage(self, *args: str, timeout: float = 900, **popen) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - our own manage.py
            manage_command(*args),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **popen,
        )

    def start(self, *args: str, **popen) -> subprocess.Popen:
        """A manage.py process in its own process group (kill -9 reaches its workers too)."""
        return subprocess.Popen(  # noqa: S603 - our own manage.py
            manage_command(*args),
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            **popen,
        )

    def python(self, code: str, *, timeout: float = 900) -> subprocess.CompletedProcess:
        return self.manage("shell", "-c", code, timeout=timeout)

    def setup(self) -> None:
        self.data.mkdir(parents=True, exist_ok=True)
        if self.database_url:
            self.manage("flush", "--noinput")
        for step in (("migrate", "--noinput"), ("load_gazetteer",)):
            done = self.manage(*step)
            if done.returncode:
                raise RuntimeError(f"{step}: {done.stdout}{done.stderr}")

    def article_count(self) -> int:
        if self.database_url:
            return int(
                self.python(
                    "from articles.models import Article; print(Article.objects.count())"
                ).stdout.split()[-1]
            )
        with sqlite3.connect(f"file:{self.data / 'marsad.sqlite3'}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM articles_article").fetchone()[0]

    def check_index(self) -> subprocess.CompletedProcess:
        return self.manage("check_index")

    def integrity(self) -> str:
        """Each article once (by text and URL), each with mentions: "ok N" or what is wrong."""
        return self.python(INTEGRITY_CODE).stdout.strip().splitlines()[-1]


INTEGRITY_CODE = """
from django.db.models import Count
from articles.models import Article
dup_hash = Article.objects.values("content_hash").annotate(n=Count("id")).filter(n__gt=1).count()
dup_url = Article.objects.exclude(url="").values("url").annotate(n=Count("id")).filter(n__gt=1).count()
bare = Article.objects.filter(mentions__isnull=True).count()
problems = [f"{k} {v}" for k, v in (("same text twice", dup_hash), ("same url twice", dup_url), ("without mentions", bare)) if v]
print("; ".join(problems) or f"ok {Article.objects.count()}")
"""

UPLOAD_CODE = """
import time
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from articles.jobs import run_job
from articles.services.uploads import confirm_upload, pending_upload, stage_upload
user, _ = get_user_model().objects.get_or_create(username={user!r}, defaults={{"is_staff": True}})
data = open({path!r}, "rb").read()
started = time.perf_counter()
token = stage_upload(files=[SimpleUploadedFile({name!r}, data)], uploaded_by=user)
staged = time.perf_counter()
upload = pending_upload(token=token, uploaded_by=user)
# a big upload is read, and a big confirm saved, by a job: run it here, as the worker would
read = f"upload staged in {{staged - started:.1f}} s"
if upload.job_id:
    outcome = run_job(job_id=upload.job_id)
    read += f", {{outcome}} by a job in {{time.perf_counter() - staged:.1f}} s"
print(read)
confirming = time.perf_counter()
confirmation = confirm_upload(upload=pending_upload(token=token, uploaded_by=user))
how = "in the request" if confirmation.report else "by a job"
summary = confirmation.report.summary() if confirmation.report else run_job(job_id=confirmation.job.pk)
print(f"{{summary}} {{how}} in {{time.perf_counter() - confirming:.1f}} s")
"""


@dataclass
class DrillResult:
    name: str
    lines: list[str] = field(default_factory=list)
    ok: bool = True

    def expect(self, condition: bool, line: str) -> None:
        self.lines.append(("  " if condition else "  FAILED ") + line)
        self.ok = self.ok and condition

    def finish_with_check_index(self, site: Site) -> None:
        done = site.check_index()
        self.expect(done.returncode == 0, f"check_index: {last_line(done)}")

    def finish_with_all_saved_once(self, site: Site, *, expected: int) -> None:
        """`expected` articles, each saved once with its mentions, and the index agreeing."""
        count = site.article_count()
        self.expect(count == expected, f"articles in the database: {count:,} of {expected:,}")
        self.expect(site.integrity() == f"ok {expected}", f"integrity: {site.integrity()}")
        self.finish_with_check_index(site)


def last_line(done) -> str:
    text = (done.stdout or "").strip() or (done.stderr or "").strip()
    return text.splitlines()[-1] if text else ""


def drill_kill_mid_import(site: Site, *, count: int = 5000) -> DrillResult:
    result = DrillResult(f"kill -9 mid-import of {count:,} articles, then re-run")
    corpus = write_jsonl(site.folder / "kill.jsonl", synthetic_records(count=count))
    process = site.start("import_articles", str(corpus))
    deadline = time.monotonic() + 600
    saved = 0
    while time.monotonic() < deadline and process.poll() is None:
        try:
            saved = site.article_count()
        except sqlite3.Error:
            saved = 0
        if saved:
            break
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    saved = site.article_count()
    result.expect(0 < saved < count, f"killed -9 with {saved:,} of {count:,} articles saved")
    before = site.check_index()
    result.lines.append(f"  check_index after the kill: {before.stdout.strip().splitlines()[0]}")
    rerun = site.manage("import_articles", str(corpus))
    result.expect(rerun.returncode == 0, f"re-run: {last_line(rerun)}")
    result.finish_with_all_saved_once(site, expected=count)
    return result


# Stores an original whose second chunk waits for the file `go`: killed, or let finish.
STALLED_STORE_CODE = """
import os, time
from django.core.files.storage import default_storage
class Stalling:
    def chunks(self):
        yield b"x" * 65536
        print("writing", flush=True)
        while not os.path.exists({go!r}):
            time.sleep(0.01)
        yield b"y"
print("stored", default_storage.save("uploads/stalled.jsonl", Stalling()), flush=True)
"""


def drill_kill_mid_store(site: Site, *, count: int = 50) -> DrillResult:
    """kill -9 of a process writing an original, beside another process still writing one:
    check_index reports the dead writer's partial, the next import removes it (and only it)."""
    result = DrillResult("kill -9 while an original is written, beside a live writer; an import")
    go = site.folder / "go"
    writers = [
        site.start("shell", "-c", STALLED_STORE_CODE.format(go=str(path)))
        for path in (site.folder / "never", go)
    ]
    for writer in writers:
        while (line := writer.stdout.readline()) and line.strip() != "writing":
            pass
    killed, alive = writers
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait()
    partials = site.data / "originals" / PARTIALS_FOLDER
    result.expect(len(list(partials.iterdir())) == 2, "killed -9 mid-write: two partials on disk")
    before = site.check_index()
    result.expect(
        "left by interrupted writes: 1 " in before.stdout,
        f"check_index: {before.stdout.strip().splitlines()[0]}",
    )
    corpus = write_jsonl(site.folder / "next.jsonl", synthetic_records(count=count, start=600_000))
    done = site.manage("import_articles", str(corpus))
    result.expect(done.returncode == 0, f"the next import: {last_line(done)}")
    result.expect(
        len(list(partials.iterdir())) == 1, "the dead writer's partial removed, the live one's kept"
    )
    go.touch()
    out, _err = alive.communicate(timeout=120)
    stored = site.data / "originals" / out.strip().split()[-1]
    result.expect(
        alive.returncode == 0 and stored.stat().st_size == 65536 + 1,
        "the live writer finished its original whole",
    )
    left = [p.name for p in site.data.rglob(f"{PARTIAL_PREFIX}*")]
    result.expect(not left, f"partials left: {left or 'none'}")
    result.finish_with_all_saved_once(site, expected=count)
    return result


def drill_concurrent_imports(site: Site, *, count: int = 1200) -> DrillResult:
    result = DrillResult(f"two concurrent imports ({count:,} articles each, half shared)")
    half = count // 2
    first = write_jsonl(site.folder / "first.jsonl", synthetic_records(count=count))
    second = write_jsonl(site.folder / "second.jsonl", synthetic_records(count=count, start=half))
    processes = [site.start("import_articles", str(path)) for path in (first, second)]
    for process in processes:
        out, err = process.communicate(timeout=900)
        lines = (out or err).strip().splitlines()
        result.expect(process.returncode == 0, f"import: {lines[-1] if lines else err}")
    result.finish_with_all_saved_once(site, expected=count + half)
    return result


def drill_concurrent_confirms(site: Site, *, each: int = 15) -> DrillResult:
    result = DrillResult(f"three concurrent admin confirms of {each} articles (5 shared by all)")
    processes = []
    for n in range(3):
        records = synthetic_records(count=5, start=90_000) + synthetic_records(
            count=each - 5, start=10_000 + 100 * n
        )
        path = write_jsonl(site.folder / f"confirm-{n}.jsonl", records)
        code = UPLOAD_CODE.format(user=f"editor{n}", path=str(path), name=path.name)
        processes.append(site.start("shell", "-c", code))
    for process in processes:
        out, err = process.communicate(timeout=900)
        lines = (out or "").strip().splitlines()
        result.expect(
            process.returncode == 0, f"confirm: {lines[-1] if lines else err.strip()[-300:]}"
        )
    result.finish_with_all_saved_once(site, expected=5 + 3 * (each - 5))
    return result


def drill_upload(site: Site, *, count: int) -> DrillResult:
    result = DrillResult(f"a {count:,}-article admin upload (upload service, one JSONL file)")
    path = write_jsonl(
        site.folder / f"upload-{count}.jsonl", synthetic_records(count=count, start=200_000)
    )
    done = site.python(UPLOAD_CODE.format(user="editor", path=str(path), name=path.name))
    lines = done.stdout.strip().splitlines()
    result.expect(
        len(lines) >= 2 and "by a job" in lines[-2],
        f"preview: {lines[-2] if len(lines) > 1 else ''}",
    )
    result.expect(
        done.returncode == 0 and last_line(done).startswith(f"imported {count},"),
        f"confirm: {last_line(done)}",
    )
    result.finish_with_all_saved_once(site, expected=count)
    return result


def leftovers(site: Site) -> list[str]:
    """Temporary files left in the data dir: partial writes, Whoosh's temp files."""
    return [
        p.name
        for p in site.data.rglob("*")
        if p.is_file() and (p.name.startswith(PARTIAL_PREFIX) or p.suffix == ".tmp")
    ]


def orphan_originals(site: Site) -> list[str]:
    """Originals on disk that no batch record keeps whole (bytes without their record)."""
    kept = site.python(
        "from articles.models import UploadedFile as F\n"
        "for f in F.objects.exclude(stored=''): print('kept', f.stored.path, f.size)"
    ).stdout.split("\n")
    kept_sizes = {line.split()[1]: int(line.split()[2]) for line in kept if line[:5] == "kept "}
    originals = site.data / "originals"
    return [
        p.name
        for p in originals.rglob("*")
        if p.is_file()
        and PARTIALS_FOLDER not in p.parts
        and kept_sizes.get(str(p)) != p.stat().st_size
    ]


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
    outage = PostgresOutage(site) if site.database_url else SqliteOutage(site)
    process = site.start("import_articles", str(corpus))
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and process.poll() is None and not outage.saved():
        time.sleep(0.05)
    outage.begin(process)
    try:
        out, err = process.communicate(timeout=900)
    finally:
        outage.end()
    saved = outage.saved()
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
    expected = f"failed {saved} | stopped: the database failed"
    result.expect(
        record.startswith(expected) and record.endswith(f"saved records: lines 1–{saved}"),
        f"the stopped batch's record: {record}",
    )
    orphans = orphan_originals(site)
    result.expect(not orphans, f"originals without their record: {orphans or 'none'}")
    result.finish_with_all_saved_once(site, expected=count)
    return result


DRILLS: dict[str, Callable[[Site], DrillResult]] = {
    "kill": drill_kill_mid_import,
    "kill-mid-store": drill_kill_mid_store,
    "imports": drill_concurrent_imports,
    "confirms": drill_concurrent_confirms,
    "upload-1200": lambda site: drill_upload(site, count=1200),
    "upload-5000": lambda site: drill_upload(site, count=5000),
    "disk-full": drill_disk_full,
    "read-only-index": drill_read_only_index,
    "read-only-data": drill_read_only_data,
    "database-down": drill_database_down,
}
NEEDS_OWN_SETUP = {"disk-full"}
