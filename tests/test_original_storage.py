"""Kept originals are whole or absent: a write that fails half-way (here a full tmpfs) leaves
neither a partial original nor its temporary file."""

import errno

import pytest
from django.core.files.base import ContentFile

from articles.storage import WholeFileStorage
from tests.mount_support import small_tmpfs


@pytest.fixture
def small_disk(tmp_path):
    with small_tmpfs(tmp_path / "originals", size="1m") as folder:
        yield folder


def test_a_write_that_fills_the_disk_leaves_nothing(small_disk):
    storage = WholeFileStorage(location=small_disk)
    with pytest.raises(OSError) as failure:
        storage.save("big.jsonl", ContentFile(b"x" * (3 * 1024 * 1024)))
    assert failure.value.errno == errno.ENOSPC
    assert list(small_disk.rglob("*")) == []

    name = storage.save("small.jsonl", ContentFile(b'{"title": "t"}\n'))
    assert (small_disk / name).read_bytes() == b'{"title": "t"}\n'
    assert [p.name for p in small_disk.iterdir()] == [name]


def test_the_same_name_twice_keeps_both_files(tmp_path):
    storage = WholeFileStorage(location=tmp_path)
    first = storage.save("a.txt", ContentFile(b"one"))
    second = storage.save("a.txt", ContentFile(b"two"))
    assert first != second
    assert (tmp_path / first).read_bytes() == b"one" and (tmp_path / second).read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first, second])
