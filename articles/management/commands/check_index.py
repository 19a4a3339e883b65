from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from articles.engines.base import IndexMissing
from articles.indexing import rebuild_index
from articles.management.commands._engine import engine_answering
from articles.services.import_stops import (
    dead_imports,
    settle_dead_imports,
    settle_stop_notes,
    stop_notes,
)
from articles.services.index import IndexCheck, check_index, pending_index_operations, repair_index

SHOWN_IDS = 20


def describe(found: IndexCheck) -> list[str]:
    """One line per kind of difference, naming the first article ids."""
    lines = []
    for kind, ids, meaning in (
        ("missing", found.missing, "in the database, not in the index"),
        ("orphan", found.orphan, "in the index, not in the database"),
        ("stale", found.stale, "indexed with other content than the database holds"),
    ):
        if ids:
            shown = ", ".join(f"#{i}" for i in ids[:SHOWN_IDS])
            more = f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else ""
            lines.append(f"{kind} {len(ids)} ({meaning}): {shown}{more}")
    return lines


class Command(BaseCommand):
    help = (
        "Compare article ids and content hashes with the search index's documents; print what "
        "differs (missing, orphan, stale) and exit 1, or 'index consistent: N articles'; an "
        "index that is not there is reported ('index missing: <where>', exit 1), never made. "
        "--repair fixes the differences through the index queue (builds a missing index), then "
        "checks again. Also "
        "reports partial originals an interrupted upload left (--repair removes them) and batch "
        "records an import stopped by the database could not write, and imports whose process "
        "ended before they finished (--repair writes and settles them)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="fix what differs, then check")

    def handle(self, *args, repair: bool = False, **options):
        self.report_partials(repair=repair)
        self.report_stop_notes(repair=repair)
        self.report_dead_imports(repair=repair)
        with engine_answering():
            self.compare(repair=repair)

    def compare(self, *, repair: bool) -> None:
        """Compare the database with the index; with ``repair`` fix what differs (build a
        missing index), check again. Without it nothing is written, nor an index made."""
        try:
            found = check_index()
        except IndexMissing as missing:
            where = f"index missing: {missing} (check_index --repair or rebuild_index builds it)"
            if not repair:
                raise CommandError(where, returncode=1) from missing
            self.stdout.write(where)
            self.stdout.write(f"built the index: {rebuild_index()} articles")
            found = check_index()
        if not found.consistent:
            for line in describe(found):
                self.stdout.write(line)
            if pending := pending_index_operations():
                self.stdout.write(f"queued index operations not yet applied: {pending}")
            if not repair:
                raise CommandError("index inconsistent", returncode=1)
            applied = repair_index(found=found)
            self.stdout.write(f"repaired: {applied} index operations applied")
            found = check_index()
            if not found.consistent:
                for line in describe(found):
                    self.stdout.write(line)
                raise CommandError("index still inconsistent after repair", returncode=1)
        self.stdout.write(f"index consistent: {found.articles} articles")

    def report_stop_notes(self, *, repair: bool) -> None:
        """Batch records an import stopped with the database down could not write yet."""
        if notes := stop_notes():
            if repair:
                recorded = settle_stop_notes()
                self.stdout.write(f"recorded {recorded} files of imports stopped by the database")
            else:
                self.stdout.write(
                    f"batch records of imports stopped by the database, not yet written: "
                    f"{len(notes)} (--repair or the next import writes them)"
                )

    def report_dead_imports(self, *, repair: bool) -> None:
        """Batches of imports whose process ended before they finished (killed, crashed)."""
        if dead := dead_imports():
            if repair:
                settled = settle_dead_imports()
                self.stdout.write(f"settled {settled} files of imports whose process ended")
            else:
                batches = ", ".join(f"#{batch.pk}" for batch in dead)
                self.stdout.write(
                    f"imports whose process ended before they finished: {len(dead)} "
                    f"(batches {batches}; --repair or the next import settles them)"
                )

    def report_partials(self, *, repair: bool) -> None:
        """Partial originals no writer holds: listed, or removed with --repair."""
        try:
            left = default_storage.left_partials(remove=repair)
        except OSError as exc:
            self.stdout.write(f"partial originals not checked: {exc}")
            return
        if left and repair:
            self.stdout.write(f"removed {len(left)} partial originals left by interrupted writes")
        elif left:
            self.stdout.write(
                f"partial originals left by interrupted writes: {len(left)} "
                "(--repair or the next upload removes them)"
            )
