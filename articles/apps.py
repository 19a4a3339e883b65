from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "مرصد — المقالات"

    def ready(self) -> None:
        from articles import signals  # noqa: F401 - connects the gazetteer receivers
