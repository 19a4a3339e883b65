from django.core.management.base import BaseCommand

from articles.models import Article
from articles.services.gazetteer import rematch_articles


class Command(BaseCommand):
    help = "Match the gazetteer against every article again (after loading a new gazetteer file)."

    def handle(self, *args, **options):
        ids = list(Article.objects.values_list("pk", flat=True))
        count = rematch_articles(article_ids=ids)
        self.stdout.write(f"re-matched {count} articles")
