"""Print the actor-matching measures as ``key value`` lines (see articles/quality/actors.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.quality.actors import JUDGED_PATH, bench_lines

DEFAULT_NEWSFANE = Path(settings.BASE_DIR).parent / "shared" / "external" / "ner-newsfane-gold"


class Command(BaseCommand):
    help = (
        "Actor recall on NewsFANE gold person mentions and precision/recall on the judged ANT "
        "articles; prints key value lines."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--newsfane",
            type=Path,
            default=DEFAULT_NEWSFANE,
            help="NewsFANE Gold folder (default ../shared/external/ner-newsfane-gold)",
        )
        parser.add_argument(
            "--judged",
            type=Path,
            default=JUDGED_PATH,
            help="judged articles JSONL (default tests/data/actors_judged_ant.jsonl)",
        )

    def handle(self, *args, **options):
        newsfane, judged = options["newsfane"], options["judged"]
        if not (newsfane / "NewsFANE_Gold_2014_170K.txt").exists():
            self.stderr.write(f"NewsFANE gold not found in {newsfane}: skipped")
        if not judged.exists():
            self.stderr.write(f"judged file {judged} not found: skipped")
        for key, value in bench_lines(newsfane=newsfane, judged=judged):
            self.stdout.write(f"{key} {value}")
