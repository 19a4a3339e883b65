"""Whoosh segments written in another process while the caller goes on with its own work.

A segment is independent of the index it joins: a helper process writes the documents as one
segment into a folder of its own (outside the live directory, where a concurrent commit's
cleanup would delete files it does not know), and the caller, under the live index's write
lock, deletes older copies of those documents, moves the segment's files in and commits a table
of contents that lists it — as Whoosh's multi-process writer adds its sub-writers' segments.
Until that commit nothing of the segment is visible, and a process killed meanwhile leaves only
a stray folder (removed with the next segment).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import shutil
import uuid
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from whoosh import index as whoosh_index

from articles.index_fields import TERM_SEPARATOR, TEXT_NAMES

from .bulk_writer import GroupingSegmentWriter
from .schema import article_schema

FOLDER_PREFIX = "segment-"
DOCUMENTS = "documents.pickle"


def compact(fields: dict) -> dict:
    """A document's writer arguments with each text field's terms joined in one string (a
    fraction of a list's size and pickling time); ``expanded`` gives them back."""
    found = dict(fields)
    for name in TEXT_NAMES:
        terms = fields[name]
        joined = TERM_SEPARATOR.join(terms)
        if all(terms) and joined.count(TERM_SEPARATOR) == max(len(terms) - 1, 0):
            found[name] = joined  # else a term the separator cannot carry: the list stays
    return found


def expanded(fields: dict) -> dict:
    found = dict(fields)
    for name in TEXT_NAMES:
        value = fields[name]
        if isinstance(value, str):
            found[name] = value.split(TERM_SEPARATOR) if value else []
    return found


def write_segment(folder: str):
    """In the helper process: the documents the caller left in ``folder`` (``compact`` writer
    arguments) as one finished segment of an index of its own there; returns Whoosh's Segment.

    The cycle collector stays off meanwhile: this process ends with its segment, and each full
    collection would walk every posting held (a tenth of the writing time)."""
    from .store import codec

    gc.disable()
    try:
        with open(Path(folder) / DOCUMENTS, "rb") as handle:
            fields = pickle.load(handle)  # noqa: S301 - written by our own process
        os.unlink(Path(folder) / DOCUMENTS)
        ix = whoosh_index.create_in(folder, article_schema())
        writer = GroupingSegmentWriter(ix, codec=codec(), _lk=False)
        fields.reverse()  # taken from the end, in order, each dropped once written
        try:
            while fields:
                writer.add_document(**expanded(fields.pop()))
            return writer._finalize_segment()
        finally:
            writer._tempstorage.destroy()
    finally:
        gc.enable()


def _helper() -> ProcessPoolExecutor:
    """A process of its own for one segment (it ends with it: an idle helper would keep the
    segment's memory), started by a fork server (safe for a caller running threads)."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("forkserver"))


def start_segment(*, root: Path, fields: list[dict]) -> tuple[Path, Future]:
    """Begin writing ``fields`` as a segment under ``root``: (its folder, the future segment).
    Folders left by processes that died before adding theirs are removed first."""
    for stray in root.glob(f"{FOLDER_PREFIX}*"):
        if not _alive(int(stray.name.split("-")[1])):
            shutil.rmtree(stray, ignore_errors=True)
    folder = root / f"{FOLDER_PREFIX}{os.getpid()}-{uuid.uuid4().hex}"
    folder.mkdir(parents=True)
    with open(folder / DOCUMENTS, "wb") as handle:  # a file: the caller keeps no copy
        pickle.dump(fields, handle, protocol=pickle.HIGHEST_PROTOCOL)
    helper = _helper()
    future = helper.submit(write_segment, str(folder))
    future.add_done_callback(lambda _done: helper.shutdown(wait=False))
    return folder, future


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def move_segment(*, segment, folder: Path, into: Path) -> None:
    """Move a finished segment's files from its folder into the index directory ``into``."""
    prefix = f"{segment.segment_id()}."
    for path in folder.iterdir():
        if path.name.startswith(prefix):
            os.replace(path, into / path.name)
