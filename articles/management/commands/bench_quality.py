"""``manage.py bench_quality``: how each analyzer fares on the variant-group dev set.

One line each, ``key value``: the portal's analyzer, the same pipeline with Snowball in place of
the light suffix stage (the comparison behind choosing the light stemmer), a Lucene
ArabicAnalyzer re-implementation, and PostgreSQL's ``arabic`` text search configuration when a
server answers. With ``--corpus`` each form is also searched in that corpus (JSONL records with
``title`` and ``body``): a group is then handled when its forms find the same articles. The
actor figures follow (NewsFANE gold recall, the judged ANT set's precision and recall).
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand

from articles.arabic import analyze
from articles.quality import lucene_arabic
from articles.quality.actors import NEWSFANE_FILE
from articles.quality.actors import bench_lines as actor_bench_lines
from articles.quality.variants import DEV_SET, failures, load_groups, snowball_analyze

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_NEWSFANE = Path(__file__).resolve().parents[4] / "shared" / "external" / "ner-newsfane-gold"


def postgres_analyzer(url: str):
    """PostgreSQL's ``to_tsvector('arabic', …)`` lexemes, or None when no server answers."""
    import psycopg

    try:
        connection = psycopg.connect(url, connect_timeout=3, autocommit=True)
    except psycopg.Error:
        return None

    def analyze_pg(text: str) -> list[str]:
        row = connection.execute(
            "SELECT array(SELECT lexeme FROM unnest(to_tsvector('arabic', %s)) ORDER BY lexeme)",
            [text],
        ).fetchone()
        return list(row[0])

    return analyze_pg


def corpus_texts(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            yield f"{record.get('title', '')}\n{record.get('body', '')}"


class Command(BaseCommand):
    help = "Variant groups handled by the portal's analyzer, Snowball, Lucene and PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("--groups", type=Path, default=DEV_SET)
        parser.add_argument("--corpus", type=Path, help="JSONL(.gz): also compare found articles")
        parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="PostgreSQL URL")
        parser.add_argument("--newsfane", type=Path, default=DEFAULT_NEWSFANE, help="NewsFANE gold")
        parser.add_argument("--show-failures", action="store_true")

    def handle(self, *args, groups, corpus, postgres, newsfane, show_failures, **options):
        dev_set = load_groups(groups)
        self.stdout.write(f"variant_groups {len(dev_set)}")
        self.stdout.write(f"variant_groups_apart {sum(g.kind == 'apart' for g in dev_set)}")
        analyzers = {
            "marsad": analyze,
            "marsad_snowball": snowball_analyze,
            "lucene": lucene_arabic.analyze,
        }
        pg = postgres_analyzer(postgres)
        if pg is not None:
            analyzers["postgres"] = pg
        for name, analyzer in analyzers.items():
            missed = failures(dev_set, analyzer)
            self.stdout.write(f"{name}_groups_handled {len(dev_set) - len(missed)}")
            if show_failures:
                for group, terms in missed:
                    pairs = " ".join(
                        f"{f}→{'+'.join(t) or '∅'}" for f, t in zip(group.forms, terms, strict=True)
                    )
                    self.stdout.write(f"  {name} missed {group.kind} {group.category}: {pairs}")
        if pg is None:
            self.stdout.write(f"postgres_groups_handled skipped (no server at {postgres})")
        for key, value in actor_bench_lines(newsfane=newsfane):
            self.stdout.write(f"{key} {value}")
        if not (newsfane / NEWSFANE_FILE).exists():
            self.stdout.write(f"actor_recall_newsfane skipped (no NewsFANE gold at {newsfane})")
        if corpus is not None:
            self._corpus_figures(
                dev_set, corpus, {k: v for k, v in analyzers.items() if k != "postgres"}
            )

    def _corpus_figures(self, dev_set, corpus: Path, analyzers) -> None:
        """Article-level check: the set of corpus articles each form's terms find."""
        for name, analyzer in analyzers.items():
            found, count = articles_found(analyzer, dev_set=dev_set, corpus=corpus)
            ok = 0
            for group in dev_set:
                sets = [found[f] for f in group.forms]
                if group.kind == "same":
                    ok += bool(sets[0]) and all(s == sets[0] for s in sets)
                else:
                    ok += sets[0] != sets[1]
            self.stdout.write(
                f"{name}_corpus_groups_handled {ok} (of {len(dev_set)}, {count} articles)"
            )


def articles_found(analyzer, *, dev_set, corpus: Path) -> tuple[dict[str, frozenset[int]], int]:
    """For each form of the dev set, the corpus articles (by line number) holding all its terms."""
    forms = {f for g in dev_set for f in g.forms}
    wanted = {t for f in forms for t in analyzer(f)}
    postings: dict[str, set[int]] = defaultdict(set)
    count = 0
    for number, text in enumerate(corpus_texts(corpus)):
        count += 1
        for term in set(analyzer(text)) & wanted:
            postings[term].add(number)
    found = {}
    for form in forms:
        terms = analyzer(form)
        found[form] = frozenset(set.intersection(*(postings[t] for t in terms)) if terms else ())
    return found, count
