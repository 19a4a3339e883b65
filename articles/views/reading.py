"""Thin views: read with selectors, render templates."""
from django.http import Http404
from django.shortcuts import render

from articles import selectors
from articles.highlight import EntitySpan, render_paragraphs
from articles.models import Article


def home(request):
    return render(request, "articles/home.html", {"articles": selectors.latest_articles()})


def article_detail(request, pk: int):
    try:
        article = selectors.article_with_mentions(pk=pk)
    except Article.DoesNotExist as exc:
        raise Http404("Article not found") from exc
    entities = [
        EntitySpan(
            start=m.start, end=m.end, slug=m.entity.slug, kind=m.entity.kind, name=m.entity.name_ar
        )
        for m in article.mentions.all()
    ]
    context = {
        "article": article,
        "paragraphs": render_paragraphs(article.body, entities=entities),
        "legend": selectors.mention_legend(article=article),
    }
    return render(request, "articles/article_detail.html", context)
