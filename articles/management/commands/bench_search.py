"""Benchmark: index build speed and memory, search latency per engine and over HTTP beside SQLite
FTS5 and PostgreSQL, worker memory, commit visibility, and nDCG@10 on the judged query set.

Runs in a scratch data dir (its own SQLite database and Whoosh index): the command re-runs itself
in a subprocess with MARSAD_DATA_DIR pointing at a temporary folder, so the user's var/ is never
touched. PostgreSQL gets a throw-away database, OpenSearch a throw-away index, both dropped at the
end. Prints one ``key value`` line per figure (see README, "Search benchmark").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from articles.quality import bench_corpus, bench_timing, search_bench
from articles.quality.bench_corpus import bench_queries
from articles.scratch_site import manage_command, scratch_env

KEYS = (
    "index_docs_per_s",
    "index_peak_rss_mb",
    "search_p50_ms",
    "search_p95_ms",
    "fts5_p50_ms",
    "ratio_p50_vs_fts5",
)
# Then, one run with queries interleaved (articles.quality.search_bench.runners): p50/p95 of
# engine_whoosh, engine_opensearch (a node answers), api, page (HTTP), fts5_snippet, postgres.
COPIES_FILE = "bench-copies"  # in a scratch dir: how many copies of the corpus its database holds
BASE_FILE = "bench-base.json"  # in a scratch dir: the figures of the corpus imported once
GROWTH_KEYS = (
    "engine_whoosh_p50_ms",
    "engine_whoosh_p95_ms",
    "page_p95_ms",
    "api_p50_ms",
    "search_first_run_p50_ms",
    "engine_whoosh_first_run_p50_ms",
)


class Command(BaseCommand):
    help = "Import a JSONL corpus into a scratch data dir, then time indexing and search."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", required=True, type=Path, help="JSONL or JSONL.gz")
        parser.add_argument("--limit", type=int, default=None, help="first N records only")
        parser.add_argument("--procs", type=int, default=2, help="indexing processes")
        parser.add_argument(
            "--multiply",
            type=int,
            default=1,
            help="measure again with N copies of the corpus (dates shifted a year per copy) "
            "and print the growth",
        )
        parser.add_argument("--port", type=int, default=0, help="HTTP port (0: any free one)")
        parser.add_argument("--keep", action="store_true", help="keep the scratch dir")
        parser.add_argument(
            "--reuse",
            type=Path,
            default=None,
            help="a scratch dir kept by --keep: measure its articles and index again (no import, "
            "no build; with --multiply, its copies when a run already added them)",
        )
        parser.add_argument("--in-scratch", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if not options["corpus"].exists():
            raise CommandError(f"No such corpus file: {options['corpus']}")
        if options["multiply"] < 1:
            raise CommandError("--multiply needs 1 or more")
        if options["in_scratch"]:
            self.run_benchmark(**options)
        else:
            argv = ["bench_search", "--corpus", str(options["corpus"].resolve())]
            argv += ["--procs", str(options["procs"]), "--multiply", str(options["multiply"])]
            argv += ["--port", str(options["port"])]
            if options["limit"] is not None:
                argv += ["--limit", str(options["limit"])]
            reuse = options["reuse"]
            if reuse is not None and not (reuse / COPIES_FILE).is_file():
                raise CommandError(f"{reuse} is not a scratch dir kept by bench_search --keep")
            self.run_in_scratch(argv=argv, keep=options["keep"] or reuse is not None, reuse=reuse)

    def run_in_scratch(self, *, argv: list[str], keep: bool, reuse: Path | None = None) -> None:
        """Re-run this command with a temporary MARSAD_DATA_DIR (or the ``reuse`` one) and
        production-like settings."""
        scratch = str(reuse.resolve()) if reuse else tempfile.mkdtemp(prefix="marsad-bench-")
        env = scratch_env(
            data_dir=Path(scratch),
            debug=False,
            DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings"),
            SECRET_KEY=os.environ.get("SECRET_KEY") or "bench-only-" + os.urandom(16).hex(),
            ALLOWED_HOSTS="testserver,127.0.0.1",
            SECURE_SSL_REDIRECT="0",
        )  # the portal under test runs on Whoosh: scratch_env drops MARSAD_SEARCH_URL
        database = os.environ.get("DATABASE_URL", "")
        if database.startswith("postgres"):  # the PostgreSQL line uses that server
            env["MARSAD_BENCH_POSTGRES_URL"] = database
        try:
            done = subprocess.run(  # noqa: S603 - our own manage.py, same interpreter
                manage_command(*argv, "--in-scratch"),
                env=env,
                check=False,
                stdout=subprocess.PIPE,
                text=True,
            )
            self.stdout.write(done.stdout, ending="")
        finally:
            if keep:
                self.stderr.write(f"scratch data dir kept: {scratch}")
            else:
                shutil.rmtree(scratch, ignore_errors=True)
        if done.returncode:
            raise CommandError(f"benchmark failed (exit {done.returncode})")

    def run_benchmark(
        self, *, corpus: Path, limit: int | None, procs: int, multiply: int, port: int, **_options
    ) -> None:
        if not str(settings.DATA_DIR).startswith(tempfile.gettempdir()):
            raise CommandError("--in-scratch runs only in a temporary data dir")
        from articles.indexing import rebuild_index

        copies_file = Path(settings.DATA_DIR) / COPIES_FILE
        held = int(copies_file.read_text()) if copies_file.is_file() else 0
        figures: dict[str, float] = {}
        if held > 1 and held != multiply:
            raise CommandError(
                f"this scratch dir holds {held} copies: reuse it with --multiply {held}"
            )
        if held:
            self.stderr.write(f"reusing {settings.DATA_DIR}: {held} cop(ies) of the corpus")
        else:
            call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
            call_command("collectstatic", verbosity=0, interactive=False)
            from articles.services.gazetteer import load_gazetteer_file

            load_gazetteer_file()
            count = bench_corpus.import_corpus(corpus, limit=limit)
            self.stderr.write(f"imported {count} articles")
            with bench_timing.peak_rss() as rss:
                started = time.perf_counter()
                indexed = rebuild_index(procs=procs)
                elapsed = time.perf_counter() - started
            self.stderr.write(f"indexed {indexed} articles in {elapsed:.1f} s")
            figures = {"index_docs_per_s": indexed / elapsed, "index_peak_rss_mb": rss["peak_mb"]}
            held = 1
            copies_file.write_text(str(held))
        base_file = Path(settings.DATA_DIR) / BASE_FILE
        if held == 1:
            base = self.measure_base(figures=figures, port=port)
            base_file.write_text(json.dumps(base))
        elif base_file.is_file():  # the copies were added by an earlier run: its reference
            base = json.loads(base_file.read_text())
            self.stderr.write(f"growth from the figures {base_file} kept (an earlier run)")
        else:
            base = {}
        if multiply > 1:
            if held != multiply:
                copies = bench_corpus.import_copies(copies=multiply)
                self.stderr.write(f"imported {copies} shifted copies; rebuilding")
                rebuild_index(procs=procs)
                copies_file.write_text(str(multiply))
            _search_ms, cold_ms, refused = bench_timing.time_portal()
            grown = {
                "search_first_run_p50_ms": statistics.median(cold_ms),
                "search_first_run_refused": refused,
            }
            with search_bench.fts5_database(directory=Path(settings.DATA_DIR)) as fts:
                grown |= self.engines_and_http(fts=fts, port=port, ndcg=False)
            grown["engine_whoosh_first_run_p50_ms"] = statistics.median(
                bench_timing.engine_first_runs()
            )
            for key, value in grown.items():
                self.stdout.write(f"{key}_x{multiply} {value:.2f}")
            for key in GROWTH_KEYS:
                if key in grown and base.get(key):
                    self.stdout.write(f"{key}_growth {grown[key] / base[key]:.2f}")

    def measure_base(self, *, figures: dict[str, float], port: int) -> dict[str, float]:
        """The test-client lines (the index lines when this run built the index), then the
        interleaved ones (returned: the growth's reference), on the corpus imported once."""
        search_ms, cold_ms, refused = bench_timing.time_portal()
        with search_bench.fts5_database(directory=Path(settings.DATA_DIR)) as fts:
            fts_ms = bench_timing.time_fts5(fts)
            base = self.engines_and_http(fts=fts, port=port)
        p50, fts_p50 = statistics.median(search_ms), statistics.median(fts_ms)
        figures |= {
            "search_p50_ms": p50,
            "search_p95_ms": bench_timing.percentile(search_ms, 95),
            "fts5_p50_ms": fts_p50,
            "ratio_p50_vs_fts5": p50 / fts_p50,
        }
        for key in KEYS:
            if key in figures:
                self.stdout.write(f"{key} {figures[key]:.2f}")
        # Each query's first run of the page, before the postings caches hold its terms.
        self.stdout.write(f"search_first_run_p50_ms {statistics.median(cold_ms):.2f}")
        self.stdout.write(f"search_first_run_refused {refused:.2f}")
        # Each query's first run on the engine alone (after the lines above: not in their RSS).
        base["engine_whoosh_first_run_p50_ms"] = statistics.median(bench_timing.engine_first_runs())
        for key, value in base.items():
            self.stdout.write(f"{key} {value:.2f}")
        return base | {"search_first_run_p50_ms": statistics.median(cold_ms)}

    def engines_and_http(self, *, fts, port: int, ndcg: bool = True) -> dict[str, float]:
        """The interleaved lines, worker RSS, commit visibility and (``ndcg``) nDCG@10 per engine."""
        from articles.engines import get_backend
        from articles.models import Article
        from articles.quality import ranking, search_bench

        # Streamed into PostgreSQL, not kept: the worker's RSS below is the portal's, not the bench's.
        rows = Article.objects.values_list("pk", "url", "title", "body").iterator()
        figures: dict[str, float] = {}
        with (
            search_bench.postgres_scratch(rows=rows) as pg,
            search_bench.opensearch_index() as opensearch,
            search_bench.serving(port=port) as address,
        ):
            if pg is None:
                self.stderr.write("postgres: no server answers, its lines are left out")
            if opensearch is None:
                self.stderr.write("opensearch: no node answers, its lines are left out")
            runners = search_bench.runners(
                whoosh=get_backend(), opensearch=opensearch, address=address, fts=fts, pg=pg
            )
            timings = search_bench.interleaved(
                runners=runners, queries=bench_queries(), rounds=bench_timing.ROUNDS
            )
            for name, values in timings.items():
                figures[f"{name}_p50_ms"] = statistics.median(values)
                figures[f"{name}_p95_ms"] = bench_timing.percentile(values, 95)
            figures["worker_rss_mb"] = search_bench.rss_mb()
            figures["commit_visible_ms"] = search_bench.commit_visible_ms(backend=get_backend())
            if ndcg:
                found = ranking.ndcg_figures(
                    backends={"whoosh": get_backend(), "opensearch": opensearch},
                    postgres_cursor=pg,
                )
                figures |= {key: mean for key, (mean, _per_query) in found.items()}
        return figures
