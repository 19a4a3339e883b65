"""Fault drills for the ingestion pipeline: the throwaway site each runs on, the records they
import and how they report (the drills: process_drills, environment_drills; `manage.py drill`).

A site is a temporary data dir with its own SQLite database (or a PostgreSQL database named by
`database_url`) driven through `manage.py` in real processes; every drill ends with check_index.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

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
