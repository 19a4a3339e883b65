"""A search error never poisons a worker (issue 12): under a running gunicorn with two workers,
the index folder is deleted; later requests on every worker answer again, from an index rebuilt
from the database, and an index replaced from outside is seen by every worker."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from articles.scratch_site import manage_command, scratch_env

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "articles" / "seed_corpus"
EXTRA = "زيارة جديدة\n\nوصل الرئيس الروسي فلاديمير بوتين إلى بكين صباح اليوم في زيارة رسمية.\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """(base URL, data dir, env) of gunicorn, 2 sync workers, on the seed corpus in tmp_path."""
    env = scratch_env(data_dir=tmp_path / "data", LOG_LEVEL="ERROR")

    def manage(*args: str) -> None:
        subprocess.run(manage_command(*args), env=env, check=True, capture_output=True)

    manage("migrate", "--noinput")
    manage("load_gazetteer")
    manage("import_articles", str(SEEDS))
    manage("ensure_index")
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "gunicorn.log", "wb"),  # noqa: SIM115 - closed with the process
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/search/", timeout=5)  # noqa: S310 - local
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):  # still booting
                time.sleep(0.2)
        yield base, tmp_path / "data", manage
    finally:
        process.terminate()
        process.wait(timeout=20)


def counts(base: str, *, requests: int = 12) -> list[int | str]:
    """The count for بوتين from many requests (both workers answer some), or the HTTP status."""
    found: list[int | str] = []
    for _ in range(requests):
        try:
            url = f"{base}/api/search/?q={quote('بوتين')}"
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - local
                found.append(json.load(response)["count"])
        except urllib.error.HTTPError as exc:
            found.append(f"HTTP {exc.code}")
    return found


def test_deleting_the_index_under_a_running_server(server):
    base, data, manage = server
    before = counts(base)
    assert before[0] > 0 and set(before) == {before[0]}, before
    shutil.rmtree(data / "whoosh_index")
    assert set(counts(base)) == {before[0]}  # rebuilt and answered: no worker stays broken
    log = (data.parent / "gunicorn.log").read_text(encoding="utf-8")
    assert "The search index at" in log and "is missing; rebuilding it" in log

    (data / "extra.txt").write_text(EXTRA, encoding="utf-8")
    manage("import_articles", str(data / "extra.txt"))
    assert set(counts(base)) == {before[0] + 1}  # the new generation, on every worker

    shutil.rmtree(data / "whoosh_index")  # replaced from outside: a new folder, generations anew
    manage("ensure_index")
    assert set(counts(base)) == {before[0] + 1}


@pytest.mark.django_db
def test_a_worker_that_never_searched_refills_a_vanished_index_instead_of_emptying_it(tmp_path):
    """Two workers of one site (two backends on one folder): the one that served searches is
    not the first to notice the folder gone; the other refills it, so both answer in full."""
    from articles.engines.base import MatchAll, SearchRequest
    from articles.engines.whoosh.backend import WhooshBackend
    from articles.index_fields import all_ids, documents
    from tests.search_fixtures import create_article

    for n in range(3):
        create_article(
            title=f"خبر {n}",
            body=f"وصل بوتين إلى بكين في الزيارة {n}.",
            source="",
            published_on=None,
        )
    served = WhooshBackend(path=tmp_path / "whoosh_index")
    served.index(documents=documents(ids=all_ids()))
    assert served.search(SearchRequest(query=MatchAll())).total == 3
    idle = WhooshBackend(path=tmp_path / "whoosh_index")  # started, never searched
    shutil.rmtree(tmp_path / "whoosh_index")
    assert idle.search(SearchRequest(query=MatchAll())).total == 3
    assert served.search(SearchRequest(query=MatchAll())).total == 3
