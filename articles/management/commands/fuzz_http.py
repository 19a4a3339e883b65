from django.core.management.base import BaseCommand

from articles.fuzz import run_fuzz


class Command(BaseCommand):
    help = (
        "Send random and adversarial parameter sets to /search/, /api/search/, /kwic/, the search "
        "feed and the exports; print the status counts, the 500s and the answers over 2 s. "
        "Exits with 1 when there is any of either."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=12)

    def handle(self, *args, cases: int, seed: int, **options):
        report = run_fuzz(count=cases, seed=seed)
        for line in report.lines():
            self.stdout.write(line)
        if report.errors or report.slow:
            raise SystemExit(1)
