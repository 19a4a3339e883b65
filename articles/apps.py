from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "مرصد — المقالات"

    def ready(self) -> None:
        from django.core.signals import got_request_exception

        from articles import signals  # noqa: F401 - connects the gazetteer receivers
        from articles.search_backend import forget_searcher

        # A request that failed may have left this thread's searcher broken: never reuse it.
        got_request_exception.connect(forget_searcher, dispatch_uid="marsad-forget-searcher")
