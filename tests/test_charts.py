"""Actor charts: SVG in the bundled font, cached per data version, Arabic shaped exactly once."""

from types import SimpleNamespace

import matplotlib
import pytest
from django.core.cache import cache

from articles import charts
from articles.arabic.shaping import is_shaped, shape_for_display
from articles.models import Entity
from tests.actors_support import load_corpus, make_draft

PUTIN = SimpleNamespace(name_ar="فلاديمير بوتين", slug="vladimir-putin")
MONTHS = [
    {"month": "2023-03", "count": 2},
    {"month": "2023-04", "count": 0},
    {"month": "2023-05", "count": 5},
]
OTHERS = [
    SimpleNamespace(name_ar="سيرغي لافروف", shared_articles=4),
    SimpleNamespace(name_ar="شي جين بينغ", shared_articles=2),
]


@pytest.fixture
def corpus(db):
    cache.clear()
    yield load_corpus()
    cache.clear()


@pytest.fixture
def renders(monkeypatch):
    """Counts the figures actually drawn to SVG."""
    calls = []
    real = charts.render_svg

    def counting(fig):
        calls.append(fig)
        return real(fig)

    monkeypatch.setattr(charts, "render_svg", counting)
    return calls


def drawn_texts(fig) -> list[str]:
    """Every non-empty string the figure hands to matplotlib's text layout."""
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def arabic(texts: list[str]) -> list[str]:
    return [t for t in texts if any("\u0600" <= ch <= "\u06ff" or is_shaped(ch) for ch in t)]


@pytest.mark.parametrize("path", ["timeline.svg", "co-mentions.svg"])
def test_chart_is_svg_with_text_as_paths(client, corpus, path):
    response = client.get(f"/actors/vladimir-putin/{path}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content
    assert body.lstrip().startswith(b"<?xml") and b"<svg" in body
    assert b"<text" not in body  # glyph outlines: looks the same without the font
    assert b"font-family" not in body
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"max-age=600", "public"}
    assert response["ETag"]


def test_second_request_is_served_from_the_cache(client, corpus, renders):
    first = client.get("/actors/vladimir-putin/timeline.svg").content
    second = client.get("/actors/vladimir-putin/timeline.svg").content
    assert first == second
    assert len(renders) == 1
    client.get("/actors/vladimir-putin/co-mentions.svg")
    client.get("/actors/sergey-lavrov/timeline.svg")
    assert len(renders) == 3  # keyed by chart and actor


def test_new_article_invalidates_the_cached_chart(client, corpus, renders):
    from articles.services.articles import save_article

    client.get("/actors/vladimir-putin/timeline.svg")
    save_article(draft=make_draft("خبر جديد", "قال فلاديمير بوتين كلاما جديدا."))
    client.get("/actors/vladimir-putin/timeline.svg")
    assert len(renders) == 2


def test_etag_answers_304(client, corpus, renders):
    etag = client.get("/actors/vladimir-putin/timeline.svg")["ETag"]
    again = client.get("/actors/vladimir-putin/timeline.svg", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert len(renders) == 1


def test_charts_use_the_bundled_font_file():
    assert charts.FONT_REGULAR.is_file() and charts.FONT_BOLD.is_file()
    assert str(charts.FONT_REGULAR).startswith(str(charts.settings.BASE_DIR / "static" / "fonts"))
    assert charts.FONT_FAMILY == "Noto Naskh Arabic"
    fig = charts.co_mentions_figure(entity=PUTIN, actors=OTHERS)
    labels = fig.axes[0].get_yticklabels()
    assert {label.get_fontproperties().get_file() for label in labels} == {str(charts.FONT_REGULAR)}


@pytest.mark.parametrize("build", ["timeline", "co-mentions"])
def test_labels_are_plain_arabic_on_matplotlib_3_11(monkeypatch, build):
    monkeypatch.setattr(matplotlib, "__version__", "3.11.2")
    fig = figure(build)
    texts = arabic(drawn_texts(fig))
    assert texts and not any(is_shaped(t) for t in texts)
    assert "سيرغي لافروف" in texts or "مارس 2023" in texts


@pytest.mark.parametrize("build", ["timeline", "co-mentions"])
def test_labels_are_shaped_once_on_matplotlib_3_10(monkeypatch, build):
    monkeypatch.setattr(matplotlib, "__version__", "3.10.8")
    fig = figure(build)
    texts = arabic(drawn_texts(fig))
    assert texts and all(is_shaped(t) for t in texts)
    expected = shape_for_display("سيرغي لافروف" if build == "co-mentions" else "مارس 2023")
    assert expected in texts
    charts.render_svg(fig)  # still draws


def test_label_never_shapes_twice(monkeypatch):
    monkeypatch.setattr(matplotlib, "__version__", "3.10.0")
    once = charts.label("فلاديمير بوتين")
    assert once == shape_for_display("فلاديمير بوتين")
    assert charts.label(once) == once
    monkeypatch.setattr(matplotlib, "__version__", "3.11.0")
    assert charts.label("فلاديمير بوتين") == "فلاديمير بوتين"


def test_empty_charts_still_draw():
    for fig in (
        charts.timeline_figure(entity=PUTIN, months=[]),
        charts.co_mentions_figure(entity=PUTIN, actors=[]),
    ):
        assert charts.render_svg(fig).lstrip().startswith(b"<?xml")


def test_chart_data_comes_from_the_selectors(corpus, monkeypatch):
    seen = {}
    real = charts.timeline_figure

    def spy(*, entity, months):
        seen["months"] = months
        return real(entity=entity, months=months)

    monkeypatch.setattr(charts, "timeline_figure", spy)
    entity = Entity.objects.get(slug="vladimir-putin")
    charts.actor_chart(entity=entity, chart="timeline", version="test")
    assert seen["months"] == [
        {"month": "2023-03", "count": 1},
        {"month": "2023-04", "count": 0},
        {"month": "2023-05", "count": 1},
    ]


def figure(build: str):
    if build == "timeline":
        return charts.timeline_figure(entity=PUTIN, months=MONTHS)
    return charts.co_mentions_figure(entity=PUTIN, actors=OTHERS)
