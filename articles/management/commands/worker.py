import os
import signal
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from articles.jobs import recover_stale_jobs


def default_signals_in_children() -> None:
    """A process forked by this worker (a job's drafting pool) does not inherit db_worker's
    graceful shutdown: a pool ends its children with SIGTERM, and the inherited handler would
    log a shutdown and raise SystemExit in each. Children die of SIGTERM and SIGQUIT, and
    ignore Ctrl-C (SIGINT), so the worker's own graceful stop can finish the running job."""

    def reset() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGQUIT, signal.SIG_DFL)

    os.register_at_fork(after_in_child=reset)


class Command(BaseCommand):
    help = (
        "Run background jobs (imports, big uploads, rebuilds, re-extractions). Start one on any "
        "number of machines sharing the database. On start, and then every half "
        "MARSAD_JOB_STALE_SECONDS, jobs whose worker stopped reporting are resumed or marked "
        "interrupted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run the queued jobs, then exit.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks at the queue."
        )
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--worker-id", default=None, help="Unique across the worker pool.")

    def handle(self, *args, batch: bool, interval: float, max_tasks, worker_id, **options):
        default_signals_in_children()
        self.recover()
        if not batch:  # a long-running worker also takes over from workers that die later
            threading.Thread(target=self.watch, daemon=True, name="job-recovery").start()
        worker_options = {
            "batch": batch,
            "interval": interval,
            "reload": False,
            "startup_delay": not batch,
        }
        if max_tasks:
            worker_options["max_tasks"] = max_tasks
        if worker_id:
            worker_options["worker_id"] = worker_id
        call_command("db_worker", verbosity=options["verbosity"], **worker_options)

    def recover(self) -> None:
        for recovery in recover_stale_jobs():
            self.stdout.write(str(recovery))

    def watch(self) -> None:
        """Take over jobs of workers that died elsewhere while this one runs."""
        try:
            while True:
                time.sleep(max(settings.MARSAD_JOB_STALE_SECONDS / 2, 1))
                self.recover()
        finally:
            connection.close()
