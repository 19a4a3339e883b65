import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from articles.jobs import start_job
from articles.models import Job
from articles.services.bulk_import import ImportStopped, environment_cause, import_paths
from articles.services.import_stops import record_position
from articles.services.imports import FileReport, estimate_articles
from articles.services.pipeline import WORKERS

PROGRESS_MIN_ARTICLES = 20


def start_failure(exc: OSError | DatabaseError) -> str:
    """Why the import could not start: a read-only data folder by its name (SQLite says only
    that it cannot open the database file), else the environment's cause."""
    data_dir = Path(settings.DATA_DIR)
    if data_dir.is_dir() and not os.access(data_dir, os.W_OK):
        return f"the data folder {data_dir} is read-only ({exc})"
    return environment_cause(exc)


def record_lines(file_report: FileReport, *, verbosity: int) -> list[tuple[tuple, str]]:
    """A file's per-record lines (failed, duplicate; imported at verbosity 2), each with the
    record's position, so that they print in the file's order."""
    lines = [
        (record_position(error.name), f"failed: {error.name}: {error.reason}")
        for error in file_report.errors
    ]
    if verbosity > 1:
        lines += [
            (record_position(saved.name), f"imported: #{saved.article.pk} {saved.article.title}")
            for saved in file_report.saved
        ]
    lines += [
        (
            record_position(duplicate.name or file_report.name),
            f"duplicate: {duplicate.name or file_report.name}: "
            f"already imported as #{duplicate.article.pk} ({duplicate.duplicate_reason})",
        )
        for duplicate in file_report.duplicates
    ]
    return lines


class Command(BaseCommand):
    help = (
        "Import articles from files, folders and zips (.txt .html .htm .json .jsonl .csv .zip; "
        ".jsonl, .csv and .json also gzipped as .gz), streamed with bounded memory. Prints one "
        'line per failed record or file and ends with "imported N, duplicates M, failed K" '
        '(then ", resumed R" when it finished index work an interrupted run left); exits with 0 '
        "when every file saved its good records (bad records are listed and counted), 1 when a "
        "file failed whole (unreadable, refused, every record bad), the index could not be "
        "updated or the environment stopped the import. Limits: one record (line, row, list element) up to 8 MiB; a file "
        "read whole (.txt, .html, a small .json) up to 256 MiB; an article's text up to "
        "MARSAD_MAX_ARTICLE_CHARS. The web upload's size limits do not apply."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--workers", type=int, default=WORKERS, help="drafting processes (1: no pool)"
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help='Queue the import as a job for `manage.py worker`; prints "queued job #N".',
        )

    def handle(self, *args, paths: list[Path], workers: int, verbosity: int = 1, **options):
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"not found: {', '.join(missing)}")
        if options.get("background"):
            job = start_job(
                kind=Job.Kind.IMPORT, params={"paths": [str(p.resolve()) for p in paths]}
            )
            self.stdout.write(f"queued job #{job.pk}")
            return
        total = estimate_articles(paths=paths)
        progress = tqdm(
            total=total,
            unit="article",
            disable=total < PROGRESS_MIN_ARTICLES or verbosity == 0,
            file=self.stderr._out,
        )

        def say(line: str) -> None:
            progress.write(line, file=self.stdout._out)

        def report_file(file_report: FileReport) -> None:
            lines = record_lines(file_report, verbosity=verbosity)
            for _position, line in sorted(lines, key=lambda item: item[0]):
                say(line)

        try:
            report = import_paths(
                paths=paths,
                workers=workers,
                on_file=report_file,
                on_result=lambda: progress.update(1),
            )
        except ImportStopped as stopped:
            progress.close()
            listed = (
                "the batch record lists them"
                if stopped.recorded
                else "the batch record will list them once the database answers: the next "
                "import or `check_index --repair` writes it"
            )
            raise CommandError(
                f"import stopped: {stopped.cause}; records saved before it stay saved "
                f"({listed}); re-run the import to finish it",
                returncode=1,
            ) from stopped
        except (OSError, DatabaseError) as exc:  # before any file was opened
            progress.close()
            raise CommandError(f"import not started: {start_failure(exc)}", returncode=1) from exc
        progress.close()
        self.stdout.write(report.summary())
        if report.index_error:
            self.stdout.write(
                f"search index not updated: {report.index_error}; {report.unindexed} index "
                "operations stay queued (run `manage.py ensure_index` once it is fixed)"
            )
        if report.failed_files or report.index_error:
            raise SystemExit(1)
