from pathlib import Path

from django.core.management.base import BaseCommand

from articles.arabic import build_data


class Command(BaseCommand):
    help = (
        "Regenerate the Arabic analyzer's word frequencies and protected names (articles/arabic/"
        "data/). Then `manage.py ensure_index` rebuilds the index for the new analyzer version."
    )

    def add_arguments(self, parser):
        parser.add_argument("--newsfane", type=Path, help="folder of the NewsFANE gold corpus")
        parser.add_argument("--corpus", type=Path, help="news JSONL(.gz) to mine proper nouns from")

    def handle(self, *args, newsfane, corpus, **options):
        for source, count in build_data.build_all(newsfane=newsfane, corpus=corpus).items():
            self.stdout.write(f"{source} {count}")
