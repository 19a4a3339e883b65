"""An import whose process ended before it finished (kill -9, a crash) is settled by the next
import or `check_index --repair`: its open file partly imported (or failed) with the records the
database holds, its totals recounted. A batch whose process still runs is left alone, and a pid
another process took since is not mistaken for the importer."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.drills import synthetic_records, write_jsonl
from articles.ingest.drafts import draft_from_text
from articles.models import UploadBatch, UploadedFile
from articles.processes import ProcessOwner, this_process
from articles.services.bulk_import import command_limits, store_file_from_path
from articles.services.imports import FileReport, save_drafts, start_batch

pytestmark = pytest.mark.usefixtures("gazetteer")

TEXT = "قمة في موسكو {n}\n\nاستقبل الرئيس فلاديمير بوتين نظيره في الكرملين لبحث التعاون {n}.\n"


def ended_process() -> ProcessOwner:
    """A process of this host that ran and exited: its pid and start time."""
    code = "from articles.processes import this_process as p; o = p(); print(o.pid, o.started)"
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    pid, started = done.stdout.split()
    return ProcessOwner(host=socket.gethostname(), pid=int(pid), started=float(started))


def killed_import(tmp_path: Path, *, owner: ProcessOwner, saved: int = 2) -> UploadedFile:
    """What an import killed mid-file leaves: its batch, the file's record still "import
    started; not finished", and the first `saved` records of the file in the database."""
    path = write_jsonl(tmp_path / "feed.jsonl", synthetic_records(count=5))
    batch = start_batch(channel=UploadBatch.Channel.COMMAND, owner=owner)
    record = store_file_from_path(
        batch=batch, name="feed.jsonl", path=path, limits=command_limits()
    )
    drafts = [draft_from_text(TEXT.format(n=n), name=f"feed.jsonl#line {n}") for n in (1, 2, 3)]
    save_drafts(results=drafts[:saved], report=FileReport(name="feed.jsonl"), uploaded_file=record)
    return record


def command(name: str, *args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=StringIO())
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def next_import(tmp_path: Path) -> str:
    """Another import (of other records) run after the dead one; its summary line."""
    other = write_jsonl(tmp_path / "next.jsonl", synthetic_records(count=3, start=500))
    code, out = command("import_articles", str(other), "--workers=1")
    assert code == 0
    return out.splitlines()[-1]


def shown(record: UploadedFile) -> tuple[str, str, tuple[int, int, int]]:
    record.refresh_from_db()
    batch = record.batch
    return (
        record.outcome,
        record.message,
        (
            batch.imported_count,
            batch.duplicate_count,
            batch.failed_count,
        ),
    )


@pytest.mark.django_db(transaction=True)
def test_the_next_import_settles_an_import_whose_process_ended(tmp_path):
    dead = ended_process()
    record = killed_import(tmp_path, owner=dead)
    assert shown(record) == ("failed", "import started; not finished", (0, 0, 0))

    assert next_import(tmp_path) == "imported 3, duplicates 0, failed 0"
    assert shown(record) == (
        "partial",
        f"interrupted: the import stopped before it finished (process {dead.pid} ended)\n"
        "saved records: lines 1–2",
        (2, 0, 0),
    )
    assert record.batch.finished_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_dead_import_that_saved_nothing_is_failed(tmp_path):
    dead = ended_process()
    record = killed_import(tmp_path, owner=dead, saved=0)
    next_import(tmp_path)
    assert shown(record) == (
        "failed",
        f"interrupted: the import stopped before it finished (process {dead.pid} ended)\n"
        "saved records: none",
        (0, 0, 0),
    )


@pytest.mark.django_db(transaction=True)
def test_check_index_reports_a_dead_import_and_repair_settles_it(tmp_path):
    record = killed_import(tmp_path, owner=ended_process())
    code, out = command("check_index")
    assert code == 0
    assert out.splitlines() == [
        f"imports whose process ended before they finished: 1 (batches #{record.batch_id}; "
        "--repair or the next import settles them)",
        "index consistent: 2 articles",
    ]
    assert shown(record)[0] == "failed"  # reported, not settled

    code, out = command("check_index", "--repair")
    assert (code, out.splitlines()) == (
        0,
        ["settled 1 files of imports whose process ended", "index consistent: 2 articles"],
    )
    assert shown(record)[0] == "partial"
    assert command("check_index") == (0, "index consistent: 2 articles\n")


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_process_runs_is_not_touched(tmp_path):
    """A concurrent import (here: this very process) is running, not dead."""
    record = killed_import(tmp_path, owner=this_process())
    next_import(tmp_path)
    assert command("check_index", "--repair") == (0, "index consistent: 5 articles\n")
    assert shown(record) == ("failed", "import started; not finished", (0, 0, 0))


@pytest.mark.django_db(transaction=True)
def test_a_pid_another_process_took_since_is_not_the_importer(tmp_path):
    """The importer's pid now names a live process (here: this one) started at another time."""
    me = this_process()
    record = killed_import(tmp_path, owner=ProcessOwner(me.host, me.pid, me.started - 3600))
    next_import(tmp_path)
    assert shown(record)[:2] == (
        "partial",
        f"interrupted: the import stopped before it finished (process {me.pid} ended)\n"
        "saved records: lines 1–2",
    )


@pytest.mark.django_db(transaction=True)
def test_another_host_s_import_is_left_alone(tmp_path):
    dead = ended_process()
    record = killed_import(tmp_path, owner=ProcessOwner("elsewhere", dead.pid, dead.started))
    next_import(tmp_path)
    assert shown(record)[0] == "failed"


@pytest.mark.django_db(transaction=True)
def test_a_stop_note_settles_its_batch_not_the_dead_import_rule(tmp_path, settings):
    """An import stopped by the database left a note and exited: the note's cause is kept."""
    from articles.services.import_stops import stop_notes_dir

    record = killed_import(tmp_path, owner=ended_process())
    stop_notes_dir().mkdir(exist_ok=True)
    note = {
        "batch": record.batch_id,
        "duplicates": 0,
        "failed": 0,
        "files": [{"id": record.pk, "cause": "the database failed (gone)", "reported": ""}],
    }
    (stop_notes_dir() / f"batch-{record.batch_id}.json").write_text(json.dumps(note))
    next_import(tmp_path)
    assert shown(record)[1].startswith("stopped: the database failed (gone)\n")
