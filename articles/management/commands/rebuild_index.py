"""``rebuild_index`` for the configured engine: a new index built beside the live one and
swapped in (haystack's own command clears first, leaving searches empty meanwhile)."""

from django.core.management.base import BaseCommand

from articles.indexing import rebuild_index
from articles.management.commands._engine import engine_answering


class Command(BaseCommand):
    help = "Rebuild the search index of the configured engine from the database, then swap it in."

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation (the live index keeps answering meanwhile).",
        )
        parser.add_argument("--procs", type=int, default=1, help="Whoosh writer processes.")

    def handle(self, *args, interactive=True, procs=1, **options):
        if interactive:
            answer = input("Rebuild the search index from the database? [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                self.stdout.write("Nothing done.")
                return
        with engine_answering():
            count = rebuild_index(procs=procs)
        self.stdout.write(f"indexed {count} articles")
