from django.urls import path

from articles.feeds import ActorFeed, SearchFeed
from articles.views import actors, api, batch, browse, exports, kwic, reading, saved, search

app_name = "articles"

urlpatterns = [
    path("", browse.home, name="home"),
    path("articles/<int:pk>/", reading.article_detail, name="article_detail"),
    path("search/", search.search, name="search"),
    path("api/search/", search.api_search, name="api_search"),
    path("search/network/", search.network, name="search_network"),
    # browse, exports, KWIC, feeds
    path("archive/", browse.archive_index, name="archive"),
    path("archive/<int:year>/", browse.archive_period, name="archive_year"),
    path("archive/<int:year>/<int:month>/", browse.archive_period, name="archive_month"),
    path("sources/", browse.source_list, name="source_list"),
    path("sources/<str:slug>/", browse.source_detail, name="source_detail"),
    path("search/export.csv", exports.export_csv, name="export_csv"),
    path("search/export.jsonl", exports.export_jsonl, name="export_jsonl"),
    path("search/export.pdf", exports.export_pdf, name="export_pdf"),
    path("articles/<int:pk>/pdf", exports.article_pdf_view, name="article_pdf"),
    path("kwic/", kwic.kwic, name="kwic"),
    path("feeds/search/", SearchFeed(), name="feed_search"),
    path("feeds/actors/<str:slug>/", ActorFeed(), name="feed_actor"),
    # the researcher's workbench: saved searches and their feeds, batch search
    path("saved/", saved.saved_list, name="saved_list"),
    path("saved/<int:pk>/", saved.saved_open, name="saved_open"),
    path("saved/<int:pk>/rename/", saved.saved_rename, name="saved_rename"),
    path("saved/<int:pk>/delete/", saved.saved_delete, name="saved_delete"),
    path("saved/<int:pk>/feed/", saved.saved_feed, name="saved_feed"),
    path("batch/", batch.batch_search, name="batch"),
    path("batch/export.csv", batch.batch_export_csv, name="batch_export_csv"),
    # actors and the JSON API ("compare", "suggest" before <slug>, which would also match them)
    path("actors/", actors.actor_list, name="actor_list"),
    path("actors/compare/", actors.actor_compare, name="actor_compare"),
    path("actors/<slug:slug>/", actors.actor_detail, name="actor_detail"),
    path(
        "actors/<slug:slug>/timeline.svg",
        actors.actor_chart,
        {"chart": "timeline"},
        name="actor_timeline_chart",
    ),
    path(
        "actors/<slug:slug>/co-mentions.svg",
        actors.actor_chart,
        {"chart": "co-mentions"},
        name="actor_co_mentions_chart",
    ),
    path("api/articles/<int:pk>/", api.article, name="api_article"),
    path("api/actors/suggest/", api.actor_suggest, name="api_actor_suggest"),
    path("api/actors/<slug:slug>/", api.actor, name="api_actor"),
]
