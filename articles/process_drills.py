"""Drills of processes: kill -9 mid-import and re-run, kill -9 while an original is written
(beside a live writer), two concurrent imports, three concurrent admin confirms (through the
upload service functions), an import, a confirm and admin edits at once, 1,200- and
5,000-article uploads."""

from __future__ import annotations

import os
import signal
import sqlite3
import time

from articles.drills import (
    UPLOAD_CODE,
    DrillResult,
    Site,
    last_line,
    synthetic_records,
    write_jsonl,
)
from articles.storage import PARTIAL_PREFIX, PARTIALS_FOLDER


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
    said = before.stdout.strip().splitlines()[:2] + before.stderr.strip().splitlines()[-1:]
    for line in said:  # no index yet when the kill came before the first drain
        result.lines.append(f"  check_index after the kill: {line}")
    rerun = site.manage("import_articles", str(corpus))
    result.expect(rerun.returncode == 0, f"re-run: {last_line(rerun)}")
    outcome, message, imported = site.python(KILLED_RECORD_CODE).stdout.splitlines()[-3:]
    result.expect(
        outcome == "partial"
        and message.startswith(
            f"interrupted: the import stopped before it finished (process {process.pid} ended)"
        )
        and imported == f"batch total imported {saved}",
        f"the killed run's record, settled by the re-run: {outcome} | {message} | {imported}",
    )
    result.finish_with_all_saved_once(site, expected=count)
    return result


# The killed run's file record (the first batch's): outcome, message, its batch's total.
KILLED_RECORD_CODE = """
from articles.models import UploadedFile
record = UploadedFile.objects.order_by("pk").first()
print(record.outcome)
print(record.message.replace("\\n", " | "))
print("batch total imported", record.batch.imported_count)
"""


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


def expect_finished(result: DrillResult, *, name: str, process) -> None:
    """Wait for a drill's process; it must exit 0 (else its last line of output, or the end of
    its error output, says why)."""
    out, err = process.communicate(timeout=900)
    lines = (out or "").strip().splitlines()
    result.expect(process.returncode == 0, f"{name}: {lines[-1] if lines else err.strip()[-300:]}")


def drill_concurrent_imports(site: Site, *, count: int = 1200) -> DrillResult:
    result = DrillResult(f"two concurrent imports ({count:,} articles each, half shared)")
    half = count // 2
    first = write_jsonl(site.folder / "first.jsonl", synthetic_records(count=count))
    second = write_jsonl(site.folder / "second.jsonl", synthetic_records(count=count, start=half))
    processes = [site.start("import_articles", str(path)) for path in (first, second)]
    for process in processes:
        expect_finished(result, name="import", process=process)
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
        expect_finished(result, name="confirm", process=process)
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


# Edits every given article (a sentence naming an actor added to its body, through the admin's
# save service) in rounds until the file `stop` exists: one edit per transaction.
EDIT_CODE = """
import os
from articles.models import Article
from articles.services.article_edits import save_article_edit
rounds = edits = 0
while not rounds or not os.path.exists({stop!r}):
    rounds += 1
    for article in Article.objects.filter(pk__in={ids!r}):
        article.body += f"\\nوأكد وزير الخارجية سيرغي لافروف ذلك في الجولة {{rounds}}."
        save_article_edit(article=article, changed=["body"], created=False)
        edits += 1
print(f"edited {{edits}} times in {{rounds}} rounds")
"""
# Each edit added one Lavrov mention: the mentions follow the last edit of each article.
EDITED_MENTIONS_CODE = """
from articles.models import Article
stale = [
    a.pk for a in Article.objects.filter(pk__in={ids!r})
    if a.mentions.filter(entity__slug="sergey-lavrov").count() != a.body.count("لافروف")
]
print(f"stale mentions: {{stale[:10]}}" if stale else "ok")
"""


def drill_mixed_writers(site: Site, *, count: int = 1200, edited: int = 50) -> DrillResult:
    """An import, an admin confirm and admin edits at the same time: every article saved once,
    with its mentions, the index agreeing with the last edit of each."""
    result = DrillResult(
        f"an import of {count:,}, an admin confirm and edits of {edited} articles at once"
    )
    first = write_jsonl(
        site.folder / "edited.jsonl", synthetic_records(count=edited, start=900_000)
    )
    done = site.manage("import_articles", str(first))
    result.expect(done.returncode == 0, f"articles to edit: {last_line(done)}")
    listed = site.python(
        "from articles.models import Article; print(*Article.objects.values_list('pk', flat=True))"
    )
    ids = [int(i) for i in last_line(listed).split()]
    corpus = write_jsonl(site.folder / "mixed.jsonl", synthetic_records(count=count, start=910_000))
    upload = write_jsonl(site.folder / "up.jsonl", synthetic_records(count=15, start=920_000))
    stop = site.folder / "stop"
    editor = site.start("shell", "-c", EDIT_CODE.format(stop=str(stop), ids=ids))
    importer = site.start("import_articles", str(corpus))
    confirm = site.start(
        "shell", "-c", UPLOAD_CODE.format(user="editor", path=str(upload), name=upload.name)
    )
    for name, process in (("import", importer), ("confirm", confirm)):
        expect_finished(result, name=name, process=process)
    stop.touch()
    expect_finished(result, name="edits", process=editor)
    mentions = last_line(site.python(EDITED_MENTIONS_CODE.format(ids=ids)))
    result.expect(
        mentions == "ok", f"mentions of the edited articles follow their last edit: {mentions}"
    )
    result.finish_with_all_saved_once(site, expected=edited + count + 15)
    return result
