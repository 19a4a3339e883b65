import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.drills import DrillResult, Site
from articles.environment_drills import (
    drill_database_down,
    drill_database_down_confirm,
    drill_disk_full,
    drill_read_only_data,
    drill_read_only_index,
)
from articles.process_drills import (
    drill_concurrent_confirms,
    drill_concurrent_imports,
    drill_kill_mid_import,
    drill_kill_mid_store,
    drill_mixed_writers,
    drill_upload,
)

DRILLS: dict[str, Callable[[Site], DrillResult]] = {
    "kill": drill_kill_mid_import,
    "kill-mid-store": drill_kill_mid_store,
    "imports": drill_concurrent_imports,
    "confirms": drill_concurrent_confirms,
    "mixed": drill_mixed_writers,
    "upload-1200": lambda site: drill_upload(site, count=1200),
    "upload-5000": lambda site: drill_upload(site, count=5000),
    "disk-full": drill_disk_full,
    "read-only-index": drill_read_only_index,
    "read-only-data": drill_read_only_data,
    "database-down": drill_database_down,
    "database-down-confirm": drill_database_down_confirm,
}
NEEDS_OWN_SETUP = {"disk-full"}  # it mounts the data dir before setting the site up


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
