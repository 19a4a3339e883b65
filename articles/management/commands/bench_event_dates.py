"""``manage.py bench_event_dates``: the event-date resolver's precision and recall on its dev set."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from articles.quality.event_dates import load_passages, score


class Command(BaseCommand):
    help = "Precision and recall of the event-date resolver on tests/data/event_dates_dev.tsv."

    def add_arguments(self, parser):
        parser.add_argument("--show-failures", action="store_true")

    def handle(self, *args, show_failures: bool = False, **options):
        passages = load_passages()
        result = score(passages)
        self.stdout.write(f"event_dates_passages {len(passages)}")
        self.stdout.write(f"event_dates_gold {result.gold}")
        self.stdout.write(f"event_dates_found {result.found}")
        self.stdout.write(f"event_dates_precision {result.precision:.3f}")
        self.stdout.write(f"event_dates_recall {result.recall:.3f}")
        if show_failures:
            for passage, gold in result.misses:
                self.stdout.write(
                    f"missed {passage.origin} «{gold.text}» {gold.first}..{gold.last}"
                )
            for passage, found in result.wrong:
                self.stdout.write(
                    f"wrong {passage.origin} {passage.published} «{found.text}» "
                    f"{found.first}..{found.last}"
                )
