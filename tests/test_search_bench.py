"""bench_search runs end to end on a tiny generated corpus and prints its six figures."""

import json
import re
from io import StringIO

from django.core.management import call_command

from articles.management.commands.bench_search import KEYS, bench_queries

WORDS = "الرئيس روسيا الصين بوتين الاقتصاد النفط الحرب العلاقات وزير الخارجية الأمم المتحدة".split()  # noqa: SIM905 - reads as a sentence


def test_bench_prints_all_six_figures(tmp_path):
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
    output = StringIO()
    call_command("bench_search", corpus=corpus, limit=30, procs=1, stdout=output)
    lines = output.getvalue().splitlines()
    assert [line.split()[0] for line in lines] == [*KEYS, "search_first_run_p50_ms"]
    assert all(re.fullmatch(r"[a-z0-9_]+ \d+\.\d\d", line) for line in lines)
    assert len(bench_queries()) >= 50
