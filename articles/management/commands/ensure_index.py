from django.core.management.base import BaseCommand

from articles.management.commands._engine import engine_answering
from articles.services.index import ensure_index


class Command(BaseCommand):
    help = (
        "Apply the queued index operations (printing 'applied N queued index operations'), then "
        "rebuild the search index when it is missing or out of step with the database."
    )

    def handle(self, *args, **options):
        with engine_answering():
            done = ensure_index()
        if done.applied:
            self.stdout.write(f"applied {done.applied} queued index operations")
        state = "rebuilt" if done.changed else "up to date"
        self.stdout.write(f"search index {state}: {done.indexed} of {done.in_db} articles")
