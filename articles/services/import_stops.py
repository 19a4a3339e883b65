"""What an import stopped by its environment (disk full, read-only folder, database down) leaves
in its batch record: each open file marked failed with the cause and exactly which of its records
were saved (read from the database, so a commit whose answer was lost still counts).

When the database itself is gone the record cannot be written then: a stop note (a small JSON
file under MARSAD_DATA_DIR/STOP_NOTES_FOLDER) keeps what the import knew, and the next import,
confirm or `check_index --repair` writes the record from it once the database answers again.

An import whose process ended before it finished (kill -9, a crash) leaves no note: its batch
names the process that ran it (host, pid, start time), and the same callers settle the batch
like a stop once that process is gone ("interrupted: ...", the records saved).
"""

from __future__ import annotations

import json
import os
import re
import socket
import tempfile
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from articles.ingest.errors import IngestError
from articles.models import Article, UploadBatch, UploadedFile
from articles.processes import ProcessOwner, process_ended
from articles.services.imports import FileReport, ImportReport, record_batch_totals
from articles.storage import PARTIAL_PREFIX

STOP_NOTES_FOLDER = "stopped-imports"
UNFINISHED = "import started; not finished"  # a command file's message until it is recorded
_RECORD_NUMBER = re.compile(r"^(?P<file>.*)#(?P<kind>line|row|record) (?P<n>\d+)$")


@dataclass
class StoppedFile:
    """A file the import had open when it stopped: its batch record and what it reported."""

    record: UploadedFile
    report: FileReport


def describe_records(names: Iterable[str]) -> str:
    """ "lines 1–500, 502" for records of one file; other names as they are."""
    numbers: dict[str, list[int]] = {}
    others: list[str] = []
    for name in names:
        if found := _RECORD_NUMBER.match(name):
            numbers.setdefault(found["kind"] + "s", []).append(int(found["n"]))
        else:
            others.append(name)
    parts = []
    for kind, values in numbers.items():
        values.sort()
        runs, start = [], values[0]
        for previous, current in zip(values, [*values[1:], None], strict=True):
            if current != previous + 1:
                runs.append(f"{start}–{previous}" if previous != start else str(start))
                start = current
        parts.append(f"{kind} {', '.join(runs)}")
    return "; ".join(parts + others)


def record_position(name: str) -> tuple[str, int]:
    """Where a record named `name` ("feed.jsonl#line 7") sits: its file, then its number (a
    name without one, the file itself, comes first)."""
    if found := _RECORD_NUMBER.match(name):
        return found["file"], int(found["n"])
    return name, 0


def stopped_outcome(*, file_id: int) -> str:
    """A stopped file is "partly imported" when the database holds any of its records, else
    "failed" (the rule for bad records, applied to a stop)."""
    held = Article.objects.filter(original_file_id=file_id).exists()
    return UploadedFile.Outcome.PARTIAL if held else UploadedFile.Outcome.FAILED


def settled_message(*, file_id: int, head: str, reported: str = "") -> str:
    """The record of a file whose import stopped: `head` (why), the records the database holds
    from it, then what the import reported about it (if it could)."""
    names = Article.objects.filter(original_file_id=file_id).values_list("original_name", flat=True)
    saved = describe_records(names) or "none"
    return "\n".join(line for line in (head, f"saved records: {saved}", reported) if line)


def stopped_message(*, file_id: int, cause: str, reported: str) -> str:
    """A file stopped by `cause` (disk full, database down, ...)."""
    return settled_message(file_id=file_id, head=f"stopped: {cause}", reported=reported)


def record_stopped_import(
    *,
    report: ImportReport,
    stopped: list[StoppedFile],
    cause: str,
    on_file: Callable[[FileReport], None] | None = None,
) -> bool:
    """Mark each open file stopped by `cause` (failed, or partly imported when some of it was
    saved) with its saved records, and the batch's totals; with
    the database gone, leave a stop note for the next run (then returns False). Every file is
    reported either way."""
    for item in stopped:
        item.report.errors.append(IngestError(item.report.name, f"Import stopped: {cause}."))
        report.files.append(item.report)
    try:
        connection.close_if_unusable_or_obsolete()  # a connection the server dropped: a new one
        with transaction.atomic():
            for item in stopped:
                item.record.outcome = stopped_outcome(file_id=item.record.pk)
                item.record.message = stopped_message(
                    file_id=item.record.pk, cause=cause, reported=item.report.message()
                )
                item.record.save(update_fields=["outcome", "message"])
            record_batch_totals(batch=report.batch, **report.totals())
        recorded = True
    except DatabaseError:
        recorded = False
        with suppress(OSError):  # a read-only or full data dir as well: the message is all
            write_stop_note(report=report, stopped=stopped, cause=cause)
    for item in stopped:
        if on_file:
            on_file(item.report)
    return recorded


def stop_notes_dir() -> Path:
    return Path(settings.DATA_DIR) / STOP_NOTES_FOLDER


def write_stop_note(*, report: ImportReport, stopped: list[StoppedFile], cause: str) -> Path:
    """The stop note of a batch, written whole (a partial file renamed into place) or not at all."""
    note = {
        "batch": report.batch.pk,
        "duplicates": report.duplicates,
        "failed": report.failed,
        "files": [
            {"id": item.record.pk, "cause": cause, "reported": item.report.message()}
            for item in stopped
            if item.record.pk
        ],
    }
    folder = stop_notes_dir()
    folder.mkdir(exist_ok=True)
    descriptor, partial = tempfile.mkstemp(dir=folder, prefix=PARTIAL_PREFIX)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(note, out, ensure_ascii=False)
        target = folder / f"batch-{report.batch.pk}.json"
        os.replace(partial, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(partial)
        raise
    return target


def stop_notes() -> list[Path]:
    """The stop notes waiting for the database (a note's partial is not one)."""
    folder = stop_notes_dir()
    return sorted(folder.glob("batch-*.json")) if folder.is_dir() else []


def settle_stopped_imports() -> int:
    """Settle what earlier imports could not record: the stop notes, then the batches of
    imports whose process ended before finishing; returns how many files were recorded."""
    return settle_stop_notes() + settle_dead_imports()


def settle_stop_notes() -> int:
    """Write the batch records the stop notes describe; returns how many files were recorded.
    A note is removed once its record is written; a database still down leaves it for later."""
    recorded = 0
    for path in stop_notes():
        note = json.loads(path.read_text(encoding="utf-8"))
        with transaction.atomic():
            batch = UploadBatch.objects.select_for_update().filter(pk=note["batch"]).first()
            if batch is not None:
                for entry in note["files"]:
                    recorded += UploadedFile.objects.filter(pk=entry["id"]).update(
                        outcome=stopped_outcome(file_id=entry["id"]),
                        message=stopped_message(
                            file_id=entry["id"], cause=entry["cause"], reported=entry["reported"]
                        ),
                    )
                record_batch_totals(
                    batch=batch,
                    imported=Article.objects.filter(original_file__batch=batch).count(),
                    duplicates=note["duplicates"],
                    failed=note["failed"],
                )
        path.unlink(missing_ok=True)  # another process may have applied it too
    return recorded


def dead_imports() -> list[UploadBatch]:
    """Import commands' batches left unfinished (no totals recorded, no stop note waiting) by a
    process of this host that has ended: killed, or crashed. A batch whose process still runs
    (a concurrent import) is not one. Another host's batch is left alone: its process cannot be
    seen from here (that host's next import or check_index --repair settles it)."""
    noted = [int(path.stem.removeprefix("batch-")) for path in stop_notes()]
    unfinished = UploadBatch.objects.filter(
        channel=UploadBatch.Channel.COMMAND,
        finished_at__isnull=True,
        owner_pid__isnull=False,
        owner_host=socket.gethostname(),
    ).exclude(pk__in=noted)
    return [batch for batch in unfinished.order_by("pk") if process_ended(batch_owner(batch))]


def batch_owner(batch: UploadBatch) -> ProcessOwner:
    return ProcessOwner(host=batch.owner_host, pid=batch.owner_pid, started=batch.owner_started)


def settle_dead_imports() -> int:
    """Settle each dead import's unfinished files like a stop (partly imported when the
    database holds records of it, else failed, with the records saved) and its batch's
    imported total from the database (its duplicates and bad records died with the process);
    returns how many files were settled."""
    settled = 0
    for dead in dead_imports():
        with transaction.atomic():
            batch = (
                UploadBatch.objects.select_for_update()
                .filter(pk=dead.pk, finished_at__isnull=True)
                .first()
            )
            if batch is None:  # another process settled it meanwhile
                continue
            head = (
                "interrupted: the import stopped before it finished "
                f"(process {batch.owner_pid} ended)"
            )
            for record in batch.files.filter(message=UNFINISHED):
                record.outcome = stopped_outcome(file_id=record.pk)
                record.message = settled_message(file_id=record.pk, head=head)
                record.save(update_fields=["outcome", "message"])
                settled += 1
            record_batch_totals(
                batch=batch,
                imported=Article.objects.filter(original_file__batch=batch).count(),
                duplicates=batch.duplicate_count,
                failed=batch.failed_count,
            )
    return settled
