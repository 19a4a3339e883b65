from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles import services
from articles.ingest.readers import iter_source_files
from articles.models import UploadBatch

PROGRESS_MIN_FILES = 20


class Command(BaseCommand):
    help = (
        "Import articles from files, folders and zips (.txt .html .htm .json .jsonl .csv .zip). "
        'Prints one line per refused file and ends with "imported N, duplicates M, failed K"; '
        "exits with 1 when anything failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)

    def handle(self, *args, paths: list[Path], verbosity: int = 1, **options):
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"not found: {', '.join(missing)}")
        files = [source for path in paths for source in iter_source_files(path)]
        progress = tqdm(
            total=len(files),
            unit="file",
            disable=len(files) < PROGRESS_MIN_FILES or verbosity == 0,
            file=self.stderr._out,
        )

        def report_file(file_report: services.FileReport) -> None:
            progress.update(1)
            for error in file_report.errors:
                progress.write(f"failed: {error.name}: {error.reason}", file=self.stdout._out)
            if verbosity > 1:
                for saved in file_report.saved:
                    progress.write(f"imported: #{saved.article.pk} {saved.article.title}")
            for duplicate in file_report.duplicates:
                progress.write(
                    f"duplicate: {file_report.name}: already imported as #{duplicate.article.pk} "
                    f"({duplicate.duplicate_reason})",
                    file=self.stdout._out,
                )

        report = services.import_source_files(
            files=files, channel=UploadBatch.Channel.COMMAND, on_file=report_file
        )
        progress.close()
        self.stdout.write(report.summary())
        if report.failed:
            raise SystemExit(1)
