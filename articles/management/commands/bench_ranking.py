"""Benchmark: nDCG@10 of the judged query set on the articles already imported and indexed.

``bench_search`` prints the same ``ndcg10_*`` lines after importing a corpus into a scratch data
dir; this command skips the import and the timings, for measuring the ranking on a data dir that
already holds the corpus (MARSAD_DATA_DIR); ``--held-out`` measures the held-out queries instead.
Whoosh is the configured index; OpenSearch, when a node answers, a throw-away index filled from
the database (or ``--opensearch-index``, an index URL already filled with these articles);
PostgreSQL a throw-away database.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

WEAKEST = 10


class Command(BaseCommand):
    help = "nDCG@10 on tests/data/judged_queries.tsv for each engine and PostgreSQL ts_rank_cd."

    def add_arguments(self, parser):
        parser.add_argument(
            "--opensearch-index",
            default="",
            help="an OpenSearch index URL already holding these articles (no throw-away index)",
        )
        parser.add_argument(
            "--per-query", action="store_true", help="also the weakest queries of each engine"
        )
        parser.add_argument(
            "--held-out",
            action="store_true",
            help="the held-out queries (tests/data/judged_heldout.tsv) instead of the judged set",
        )

    def handle(self, *args, **options):
        from contextlib import nullcontext

        from articles.engines import get_backend
        from articles.engines.opensearch import OpenSearchBackend
        from articles.models import Article
        from articles.quality import ranking, search_bench

        rows = list(Article.objects.values_list("pk", "url", "title", "body").iterator())
        given = options["opensearch_index"]
        opensearch = (
            nullcontext(OpenSearchBackend(url=given)) if given else search_bench.opensearch_index()
        )
        with search_bench.postgres_scratch(rows=rows) as pg, opensearch as node:
            if pg is None:
                self.stderr.write("postgres: no server answers, its line is left out")
            if node is None:
                self.stderr.write("opensearch: no node answers, its line is left out")
            path = ranking.HELD_OUT_QUERIES if options["held_out"] else ranking.JUDGED_QUERIES
            found = ranking.ndcg_figures(
                backends={"whoosh": get_backend(), "opensearch": node},
                postgres_cursor=pg,
                judged=ranking.load_judged(path=path),
            )
        for key, (mean, _per_query) in found.items():
            self.stdout.write(f"{key} {mean:.3f}")
        if options["per_query"]:
            for key, (_mean, per_query) in found.items():
                weakest = sorted(per_query.items(), key=lambda item: item[1])[:WEAKEST]
                for query, value in weakest:
                    self.stdout.write(f"{key}_query\t{value:.3f}\t{query}")
