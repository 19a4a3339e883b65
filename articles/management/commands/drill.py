import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.drills import DRILLS, NEEDS_OWN_SETUP, Site


class Command(BaseCommand):
    help = (
        "Run the ingestion fault drills, each on a throwaway site (temporary data dir and "
        "SQLite database, or --database-url for PostgreSQL), each ending with check_index: "
        + ", ".join(DRILLS)
        + ". Disk full and read-only index need root (mount). Exits 1 when any drill fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help=f"some of: {', '.join(DRILLS)} (default: all)")
        parser.add_argument("--database-url", default="")

    def handle(self, *args, names: list[str], database_url: str, **options):
        if unknown := [name for name in names if name not in DRILLS]:
            raise CommandError(f"unknown drills: {', '.join(unknown)} (known: {', '.join(DRILLS)})")
        failed = []
        for name in names or list(DRILLS):
            with tempfile.TemporaryDirectory(prefix=f"drill-{name}-") as folder:
                site = Site(folder=Path(folder), database_url=database_url)
                if name not in NEEDS_OWN_SETUP:
                    site.setup()
                result = DRILLS[name](site)
            self.stdout.write(f"{'ok' if result.ok else 'FAILED'}: {result.name}")
            for line in result.lines:
                self.stdout.write(line)
            if not result.ok:
                failed.append(name)
        if failed:
            raise CommandError(f"drills failed: {', '.join(failed)}", returncode=1)
        self.stdout.write("all drills passed")
