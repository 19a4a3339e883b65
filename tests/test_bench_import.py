"""bench_import prints its figures, measured in the same run, on a tiny corpus."""

import json
import re
from io import StringIO

from django.core.management import call_command

from articles.drills import synthetic_records


def test_bench_import_prints_its_keys(tmp_path):
    corpus = tmp_path / "tiny.jsonl"
    corpus.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in synthetic_records(count=40)),
        encoding="utf-8",
    )
    out = StringIO()
    call_command("bench_import", f"--corpus={corpus}", stdout=out)
    text = out.getvalue()
    assert "imported 40, duplicates 0, failed 0" in text
    figures = dict(re.findall(r"^(\w+) ([\d.]+)$", text, flags=re.M))
    for key in (
        "pipeline_articles_per_s",
        "pipeline_peak_rss_mb",
        "fts5_articles_per_s",
        "ratio_pipeline_vs_fts5",
        "pipeline_cpu_ms_per_article",
        "pipeline_main_cpu_ms_per_article",
    ):
        assert float(figures[key]) > 0, key
