"""Time the whole import pipeline against an SQLite FTS5 build of the same texts, in one run."""

from __future__ import annotations

import gzip
import json
import os
import resource
import sqlite3
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.scratch_site import manage_command, scratch_env

DEFAULT_CORPUS = (
    Path(settings.BASE_DIR).parent
    / "shared/external/news-ant-multisource/ant_multisource_v2.1.jsonl.gz"
)
RSS_POLL_S = 0.1


def tree_pids(root: int) -> list[int]:
    """A process and all its descendants (the import, its fork server and its workers)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def tree_memory_bytes(root: int) -> int:
    """Memory of a process and all its descendants: the sum of their proportional set sizes,
    so pages the workers share are counted once."""
    return sum(process_memory_bytes(pid) for pid in tree_pids(root))


def process_cpu_seconds(pid: int) -> float:
    """CPU time one process has used so far (user + system), 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_memory_bytes(pid: int) -> int:
    """Pss of one process (its RSS where the kernel does not report Pss)."""
    for source, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            lines = Path(source).read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            if line.startswith(key):
                return int(line.split()[1]) * 1024
    return 0


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(
    command: list[str], *, env: dict[str, str]
) -> tuple[float, float, float, int, str]:
    """(wall seconds, CPU seconds of it and its workers, CPU seconds of the command's own
    process, peak memory in bytes, output).

    The CPU of descendants the command does not wait for (its workers come from a fork server)
    is sampled with the memory: each one's last reading, up to RSS_POLL_S before it ended; so is
    the command's own (the serial share of the work)."""
    cpu_before = children_cpu_seconds()
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own manage.py
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    peak = 0
    cpu: dict[int, float] = {}
    done = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not done.is_set():
            pids = tree_pids(process.pid)
            peak = max(peak, sum(process_memory_bytes(pid) for pid in pids))
            for pid in pids:
                cpu[pid] = max(cpu.get(pid, 0.0), process_cpu_seconds(pid))
            done.wait(RSS_POLL_S)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    output, _ = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    poller.join()
    if process.returncode:  # 1: a file failed whole, the index or the environment failed
        raise CommandError(f"{' '.join(command)} failed ({process.returncode}):\n{output}")
    own = cpu.pop(process.pid, 0.0)
    return elapsed, children_cpu_seconds() - cpu_before + sum(cpu.values()), own, peak, output


def corpus_texts(path: Path):
    """(title, body) of each JSON line of a .jsonl or .jsonl.gz corpus."""
    with (gzip.open if path.suffix == ".gz" else open)(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                yield str(record.get("title") or ""), str(record.get("body") or "")


def fts5_build(*, corpus: Path, folder: Path) -> tuple[int, float, float]:
    """(articles, seconds, CPU seconds) to read the corpus and build an FTS5 index of its titles
    and bodies."""
    started, cpu_started = time.perf_counter(), time.process_time()
    database = sqlite3.connect(folder / "fts5.sqlite3")
    database.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body)")
    with database:
        count = 0
        for title, body in corpus_texts(corpus):
            database.execute("INSERT INTO docs(title, body) VALUES (?, ?)", (title, body))
            count += 1
    database.close()
    return count, time.perf_counter() - started, time.process_time() - cpu_started


class Command(BaseCommand):
    help = (
        "Time the full import pipeline (read, clean, match actors, save, index) of a corpus into a "
        "fresh temporary database and index, and in the same run an SQLite FTS5 build of the same "
        "texts; prints pipeline_articles_per_s, pipeline_peak_rss_mb (peak memory of the import "
        "and its worker processes, shared pages counted once), fts5_articles_per_s and ratio_pipeline_vs_fts5."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, corpus: Path, workers: int, **options):
        if not corpus.is_file():
            raise CommandError(f"corpus not found: {corpus} (see ../shared/external/SOURCES.md)")
        manage = manage_command()
        with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
            # as deployed: DEBUG on logs every query with its text
            env = scratch_env(data_dir=Path(folder) / "data", debug=False)
            for step in (["migrate", "--noinput", "-v0"], ["load_gazetteer"]):
                done = subprocess.run(  # noqa: S603 - our own manage.py
                    [*manage, *step], env=env, check=False, capture_output=True, text=True
                )
                if done.returncode:
                    raise CommandError(f"{' '.join(step)} failed:\n{done.stdout}{done.stderr}")
            seconds, cpu_seconds, main_cpu_seconds, peak, output = run_measured(
                [*manage, "import_articles", str(corpus), "-v0", f"--workers={workers}"], env=env
            )
            summary = output.strip().splitlines()[-1] if output.strip() else ""
            if not summary.startswith("imported "):
                raise CommandError(f"the import did not finish:\n{output}")
            imported = int(summary.split()[1].rstrip(","))
            fts5_count, fts5_seconds, fts5_cpu_seconds = fts5_build(
                corpus=corpus, folder=Path(folder)
            )
        pipeline_rate = imported / seconds
        fts5_rate = fts5_count / fts5_seconds
        self.stdout.write(f"corpus {corpus.name}: {summary}")
        self.stdout.write(f"pipeline_seconds {seconds:.2f}")
        # Beside the wall-clock rate: the CPU the import used, for a machine shared with others.
        self.stdout.write(f"pipeline_cpu_seconds {cpu_seconds:.2f}")
        self.stdout.write(f"pipeline_articles_per_cpu_s {imported / cpu_seconds:.2f}")
        self.stdout.write(f"pipeline_cpu_ms_per_article {1000 * cpu_seconds / imported:.2f}")
        # The import process alone (reading, saving, index documents): it bounds the rate.
        self.stdout.write(
            f"pipeline_main_cpu_ms_per_article {1000 * main_cpu_seconds / imported:.2f}"
        )
        self.stdout.write(f"pipeline_articles_per_s {pipeline_rate:.2f}")
        self.stdout.write(f"pipeline_peak_rss_mb {peak / 2**20:.1f}")
        self.stdout.write(f"fts5_articles_per_s {fts5_rate:.2f}")
        self.stdout.write(f"fts5_articles_per_cpu_s {fts5_count / max(fts5_cpu_seconds, 1e-9):.2f}")
        self.stdout.write(f"ratio_pipeline_vs_fts5 {pipeline_rate / fts5_rate:.4f}")
