from django.core.management.base import BaseCommand

from articles.management.commands._engine import engine_answering
from articles.services.index import ensure_index


class Command(BaseCommand):
    help = "Rebuild the search index when it is missing or out of step with the database."

    def handle(self, *args, **options):
        with engine_answering():
            indexed, in_db, rebuilt = ensure_index()
        state = "rebuilt" if rebuilt else "up to date"
        self.stdout.write(f"search index {state}: {indexed} of {in_db} articles")
