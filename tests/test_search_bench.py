"""bench_search runs end to end on a tiny generated corpus and prints every figure it promises."""

import json
import re
import shutil
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from articles.management.commands.bench_search import GROWTH_KEYS, KEYS, bench_queries
from articles.quality import search_bench

WORDS = "الرئيس روسيا الصين بوتين الاقتصاد النفط الحرب العلاقات وزير الخارجية الأمم المتحدة".split()  # noqa: SIM905 - reads as a sentence
ALWAYS = (
    "engine_whoosh_p50_ms",
    "api_p50_ms",
    "api_p95_ms",
    "page_p95_ms",
    "fts5_snippet_p50_ms",
    "worker_rss_mb",
    "commit_visible_ms",
    "ndcg10_whoosh",
)


def _postgres_answers() -> bool:
    with search_bench.postgres_scratch(rows=[]) as cursor:
        return cursor is not None


def _tiny_corpus(tmp_path):
    corpus = tmp_path / "tiny.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for n in range(40):
            body = " ".join(WORDS[(n + i) % len(WORDS)] for i in range(30)) + f" رقم {n}"
            record = {
                "title": f"خبر {n}",
                "body": body,
                "date": f"2018-0{n % 9 + 1}-01",
                "source": "BBC",
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return corpus


def test_bench_prints_every_figure_and_the_growth(tmp_path):
    corpus = _tiny_corpus(tmp_path)
    output = StringIO()
    call_command("bench_search", corpus=corpus, limit=30, procs=1, multiply=2, stdout=output)
    lines = output.getvalue().splitlines()
    assert all(re.fullmatch(r"[a-z0-9_]+ \d+\.\d\d", line) for line in lines), lines
    figures = {line.split()[0]: float(line.split()[1]) for line in lines}
    assert [line.split()[0] for line in lines[: len(KEYS) + 1]] == [
        *KEYS,
        "search_first_run_p50_ms",
    ]
    expected = set(ALWAYS)
    if _postgres_answers():
        expected |= {"postgres_p50_ms", "ndcg10_postgres"}
    if search_bench.opensearch_base():
        expected |= {"engine_opensearch_p50_ms", "ndcg10_opensearch"}
    assert expected <= set(figures), expected - set(figures)
    assert {f"{key}_growth" for key in GROWTH_KEYS} <= set(figures)
    assert "engine_whoosh_p50_ms_x2" in figures
    assert 0 <= figures["ndcg10_whoosh"] <= 1  # the judged set's articles are not in this corpus
    assert 0 < figures["commit_visible_ms"] < 10_000  # the saved article was found
    assert len(bench_queries()) >= 50


def test_a_kept_scratch_dir_is_measured_again_without_import_or_build(tmp_path, monkeypatch):
    # The bench's own process on the real settings: the test settings give every process a
    # data dir of its own, so nothing could be kept for a second run.
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "portal.settings")
    corpus = _tiny_corpus(tmp_path)
    first, kept = StringIO(), StringIO()
    call_command(
        "bench_search", corpus=corpus, limit=10, procs=1, keep=True, stdout=first, stderr=kept
    )
    scratch = Path(kept.getvalue().split("scratch data dir kept: ")[1].split()[0])
    try:
        again = StringIO()
        call_command("bench_search", corpus=corpus, reuse=scratch, stdout=again, stderr=StringIO())
        keys = [line.split()[0] for line in again.getvalue().splitlines()]
        assert "index_docs_per_s" in first.getvalue() and "index_docs_per_s" not in keys
        assert {"search_p50_ms", "engine_whoosh_p50_ms", "api_p50_ms", "commit_visible_ms"} <= set(
            keys
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
