from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.jobs import start_job
from articles.models import Job, UploadBatch
from articles.services.imports import (
    FileReport,
    estimate_articles,
    import_source_files,
    iter_import_files,
)

PROGRESS_MIN_ARTICLES = 20


class Command(BaseCommand):
    help = (
        "Import articles from files, folders and zips (.txt .html .htm .json .jsonl .csv .zip). "
        'Prints one line per refused file and ends with "imported N, duplicates M, failed K"; '
        "exits with 1 when anything failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--background",
            action="store_true",
            help='Queue the import as a job for `manage.py worker`; prints "queued job #N".',
        )

    def handle(self, *args, paths: list[Path], verbosity: int = 1, **options):
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"not found: {', '.join(missing)}")
        if options.get("background"):
            job = start_job(
                kind=Job.Kind.IMPORT, params={"paths": [str(p.resolve()) for p in paths]}
            )
            self.stdout.write(f"queued job #{job.pk}")
            return
        # Files are read one at a time (a generator), so a large folder never sits in memory;
        # the bar counts articles (zip entries, JSONL/CSV lines) estimated without reading them.
        total = estimate_articles(paths=paths)
        progress = tqdm(
            total=total,
            unit="article",
            disable=total < PROGRESS_MIN_ARTICLES or verbosity == 0,
            file=self.stderr._out,
        )

        def report_file(file_report: FileReport) -> None:
            for error in file_report.errors:
                progress.write(f"failed: {error.name}: {error.reason}", file=self.stdout._out)
            if verbosity > 1:
                for saved in file_report.saved:
                    progress.write(
                        f"imported: #{saved.article.pk} {saved.article.title}",
                        file=self.stdout._out,
                    )
            for duplicate in file_report.duplicates:
                progress.write(
                    f"duplicate: {file_report.name}: "
                    f"already imported as #{duplicate.article.pk} ({duplicate.duplicate_reason})",
                    file=self.stdout._out,
                )

        report = import_source_files(
            files=iter_import_files(paths=paths),
            channel=UploadBatch.Channel.COMMAND,
            on_file=report_file,
            on_result=lambda: progress.update(1),
        )
        progress.close()
        self.stdout.write(report.summary())
        if report.failed:
            raise SystemExit(1)
