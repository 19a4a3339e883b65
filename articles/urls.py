from django.urls import path

from articles.views import reading

app_name = "articles"

urlpatterns = [
    path("", reading.home, name="home"),
    path("articles/<int:pk>/", reading.article_detail, name="article_detail"),
]
