"""The reading page: an article with its actors marked, and the searched words when from a search."""

from django.http import Http404
from django.shortcuts import render

from articles import selectors
from articles.highlight import render_paragraphs, render_title
from articles.models import Article
from articles.search import hits_for_query
from articles.views.browse import corpus_cached


@corpus_cached
def article_detail(request, pk: int):
    try:
        article = selectors.article_with_mentions(pk=pk)
    except Article.DoesNotExist as exc:
        raise Http404("Article not found") from exc
    entities = selectors.mention_spans(article=article)
    query = request.GET.get("q", "")
    hits = hits_for_query(article.body, q=query) if query.strip() else []
    context = {
        "article": article,
        "query": query,
        "title_html": render_title(
            article.title, entities=selectors.mention_spans(article=article, field="title")
        ),
        "paragraphs": render_paragraphs(
            article.body,
            entities=entities,
            hits=hits,
            dates=selectors.event_date_spans(article=article),
        ),
        "legend": selectors.mention_legend(article=article),
    }
    return render(request, "articles/article_detail.html", context)
