from django.core.management.base import BaseCommand

from articles import services
from articles.models import Article


class Command(BaseCommand):
    help = "Match the gazetteer against every article again (after loading a new gazetteer file)."

    def handle(self, *args, **options):
        ids = list(Article.objects.values_list("pk", flat=True))
        count = services.rematch_articles(article_ids=ids)
        self.stdout.write(f"re-matched {count} articles")
