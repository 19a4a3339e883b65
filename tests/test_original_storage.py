"""Kept originals are whole or absent: a write that fails half-way (a full tmpfs) leaves neither
a partial original nor its temporary file; one killed half-way leaves a partial the next store
removes, while a live writer's partial is left alone."""

import errno
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command

from articles.storage import PARTIAL_PREFIX, PARTIALS_FOLDER, WholeFileStorage
from tests.mount_support import small_tmpfs

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def small_disk(tmp_path):
    with small_tmpfs(tmp_path / "originals", size="1m") as folder:
        yield folder


def test_a_write_that_fills_the_disk_leaves_nothing(small_disk):
    storage = WholeFileStorage(location=small_disk)
    with pytest.raises(OSError) as failure:
        storage.save("big.jsonl", ContentFile(b"x" * (3 * 1024 * 1024)))
    assert failure.value.errno == errno.ENOSPC
    assert [p for p in small_disk.rglob("*") if p.is_file()] == []

    name = storage.save("small.jsonl", ContentFile(b'{"title": "t"}\n'))
    assert (small_disk / name).read_bytes() == b'{"title": "t"}\n'
    assert [p.name for p in small_disk.iterdir() if p.is_file()] == [name]


def test_the_same_name_twice_keeps_both_files(tmp_path):
    storage = WholeFileStorage(location=tmp_path)
    first = storage.save("a.txt", ContentFile(b"one"))
    second = storage.save("a.txt", ContentFile(b"two"))
    assert first != second
    assert (tmp_path / first).read_bytes() == b"one" and (tmp_path / second).read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == sorted([first, second])


# A writer in a process of its own whose second chunk waits for a go-ahead file: kill -9 it
# mid-write, or let it finish.
STALLED_WRITER = """
import os, sys, time
from django.conf import settings
settings.configure()
from articles.storage import PARTIAL_PREFIX, PARTIALS_FOLDER, WholeFileStorage

class Stalling:
    def chunks(self):
        yield b"x" * 65536
        print("writing", flush=True)
        while not os.path.exists(sys.argv[2]):
            time.sleep(0.01)
        yield b"y" * 10

print(WholeFileStorage(location=sys.argv[1]).save("stalled.jsonl", Stalling()), flush=True)
"""


def stalled_writer(location: Path, go: Path) -> subprocess.Popen:
    writer = subprocess.Popen(  # noqa: S603 - this interpreter on our own code
        [sys.executable, "-c", STALLED_WRITER, str(location), str(go)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout.readline().strip() == "writing"
    return writer


def partials(location: Path) -> list[str]:
    return [p.name for p in (location / PARTIALS_FOLDER).iterdir()]


def test_a_writer_killed_mid_write_leaves_a_partial_the_next_store_removes(tmp_path):
    storage = WholeFileStorage(location=tmp_path)
    writer = stalled_writer(tmp_path, tmp_path / "never")
    [left] = partials(tmp_path)
    assert left.startswith(PARTIAL_PREFIX)
    assert storage.left_partials(remove=False) == []  # its writer is alive
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    assert storage.left_partials(remove=False) == [left]
    name = storage.save("next.txt", ContentFile(b"next"))
    assert partials(tmp_path) == []
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == [
        name
    ]


def test_a_live_writer_in_another_process_is_never_swept(tmp_path):
    storage = WholeFileStorage(location=tmp_path)
    go = tmp_path / "go"
    writer = stalled_writer(tmp_path, go)
    storage.save("other.txt", ContentFile(b"other"))
    assert storage.left_partials(remove=True) == []
    assert len(partials(tmp_path)) == 1  # still being written
    go.touch()
    name = writer.communicate(timeout=30)[0].strip()
    assert writer.returncode == 0
    assert (tmp_path / name).read_bytes() == b"x" * 65536 + b"y" * 10
    assert partials(tmp_path) == []


@pytest.mark.django_db
def test_check_index_reports_a_dead_writers_partial_and_repair_removes_it(tmp_path):
    originals = Path(settings.MEDIA_ROOT)
    writer = stalled_writer(originals, tmp_path / "never")
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()

    def check(*args: str) -> list[str]:
        out = io.StringIO()
        call_command("check_index", *args, stdout=out)
        return out.getvalue().splitlines()

    first = check()
    assert first[0] == (
        "partial originals left by interrupted writes: 1 (--repair or the next upload removes them)"
    )
    assert first[-1] == "index consistent: 0 articles"
    assert check("--repair")[0] == "removed 1 partial originals left by interrupted writes"
    assert partials(originals) == []
    assert check() == ["index consistent: 0 articles"]
