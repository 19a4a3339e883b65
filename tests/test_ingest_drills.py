"""The fault drills of issue 11, in real processes on throwaway sites, each ending with
check_index clean: kill -9 mid-import and mid-write of an original, concurrent imports and admin confirms (SQLite and
PostgreSQL), the database down mid-import and under a confirm job (SQLite and PostgreSQL), disk full on a small tmpfs and a
read-only index folder (these two need mount)."""

from __future__ import annotations

import os
import subprocess
import uuid
from io import StringIO

import pytest
from django.core.management import call_command

from articles import drills, environment_drills, process_drills

PG = "postgres://postgres@127.0.0.1:5432/"
pytestmark = pytest.mark.timeout(1200)  # real processes on a shared machine


def run(drill, tmp_path, *, database_url: str = "", setup: bool = True, **sizes):
    site = drills.Site(folder=tmp_path, database_url=database_url)
    if setup:
        site.setup()
    result = drill(site, **sizes)
    assert result.ok, "\n".join([result.name, *result.lines])
    assert result.lines[-1].startswith("  check_index: index consistent:")
    return result


def can_mount(tmp_path) -> bool:
    target = tmp_path / "probe"
    target.mkdir()
    done = subprocess.run(  # noqa: S603
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(target)],  # noqa: S607
        capture_output=True,
        check=False,
    )
    subprocess.run(["umount", str(target)], capture_output=True, check=False)  # noqa: S603, S607
    return done.returncode == 0


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL database for one drill, dropped afterwards (skipped if none runs)."""
    name = f"h_drill_{uuid.uuid4().hex[:8]}"
    made = subprocess.run(  # noqa: S603
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", name],  # noqa: S607
        capture_output=True,
        check=False,
    )
    if made.returncode:
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432: {made.stderr.decode()[:200]}")
    yield PG + name
    subprocess.run(  # noqa: S603
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name],  # noqa: S607
        capture_output=True,
        check=False,
    )


def test_kill_9_mid_import_then_rerun_finishes(tmp_path):
    result = run(process_drills.drill_kill_mid_import, tmp_path, count=3000)
    assert any("resumed" in line for line in result.lines)


def test_kill_9_while_an_original_is_written_leaves_no_partial_after_the_next_import(tmp_path):
    result = run(process_drills.drill_kill_mid_store, tmp_path, count=20)
    assert "  check_index: partial originals left by interrupted writes: 1 " in "\n".join(
        result.lines
    )


def test_two_concurrent_imports_save_each_article_once(tmp_path):
    run(process_drills.drill_concurrent_imports, tmp_path, count=600)


def test_three_concurrent_confirms(tmp_path):
    run(process_drills.drill_concurrent_confirms, tmp_path)


def test_an_import_a_confirm_and_edits_at_once(tmp_path):
    result = run(process_drills.drill_mixed_writers, tmp_path, count=600, edited=30)
    assert any(line.startswith("  edits: edited ") for line in result.lines)


def test_concurrent_imports_and_confirms_on_postgresql(tmp_path, postgres_url):
    run(
        process_drills.drill_concurrent_imports,
        tmp_path / "imports",
        database_url=postgres_url,
        count=600,
    )
    run(process_drills.drill_concurrent_confirms, tmp_path / "confirms", database_url=postgres_url)
    run(
        process_drills.drill_mixed_writers, tmp_path / "mixed", database_url=postgres_url, count=600
    )


def test_disk_full(tmp_path):
    if os.geteuid() != 0 or not can_mount(tmp_path):
        pytest.skip("needs root to mount a small tmpfs")
    run(environment_drills.drill_disk_full, tmp_path, setup=False)


def test_read_only_index_folder(tmp_path):
    if os.geteuid() != 0 or not can_mount(tmp_path):
        pytest.skip("needs root for a read-only bind mount")
    run(environment_drills.drill_read_only_index, tmp_path, count=300)


def test_read_only_data_folder(tmp_path):
    if os.geteuid() != 0 or not can_mount(tmp_path):
        pytest.skip("needs root for a read-only bind mount")
    run(environment_drills.drill_read_only_data, tmp_path, count=100)


def test_database_down_mid_import_on_sqlite(tmp_path):
    """The database's write lock held past the busy timeout: the import stops, says why, and
    the re-run records which lines the stopped run saved."""
    # 3,000 records (over 1 MiB) are streamed, saved a batch at a time; a smaller file is saved
    # in one transaction, so the outage would find it all saved or none.
    result = run(environment_drills.drill_database_down, tmp_path, count=3000)
    assert any("saved records: lines 1–" in line for line in result.lines)


def test_database_down_mid_import_on_postgresql(tmp_path, postgres_url):
    """The import's database refusing connections (the shared server stays up)."""
    result = run(
        environment_drills.drill_database_down, tmp_path, database_url=postgres_url, count=3000
    )
    # The outage reaches the import as a refused connection or, when it falls mid-query, as
    # the server ending the session: either is PostgreSQL's own words for the cause.
    outage_words = (
        "not currently accepting connections",
        "terminating connection due to administrator command",
        "server closed the connection",
    )
    assert any(words in line for line in result.lines for words in outage_words), result.lines


def test_database_down_while_a_job_confirms_an_upload_on_sqlite(tmp_path):
    result = run(environment_drills.drill_database_down_confirm, tmp_path)
    assert any("the next worker resumed the job: done" in line for line in result.lines)


def test_database_down_while_a_job_confirms_an_upload_on_postgresql(tmp_path, postgres_url):
    run(environment_drills.drill_database_down_confirm, tmp_path, database_url=postgres_url)


def test_drill_command_rejects_unknown_names():
    with pytest.raises(Exception, match="unknown drills: nope"):
        call_command("drill", "nope", stdout=StringIO())
