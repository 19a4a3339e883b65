from pathlib import Path

from django.core.management.base import BaseCommand

from articles.services.gazetteer import load_gazetteer_file


class Command(BaseCommand):
    help = "Load the shipped actor gazetteer (or FILE) into the database; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, help="gazetteer JSON (default: shipped)")

    def handle(self, *args, file: Path | None = None, **options):
        total, created = load_gazetteer_file(path=file)
        self.stdout.write(f"gazetteer: {total} actors ({created} new)")
