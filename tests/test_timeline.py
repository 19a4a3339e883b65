"""Timeline geometry (articles.timeline): periods filled, bars placed the way the page reads,
small counts visible, axis labelled, clicks narrowing to a bar's own dates."""

import datetime
import itertools

import pytest
from django.utils import translation

from articles.timeline import (
    MIN_BAR_HEIGHT,
    bar_chart,
    filled,
    interval_for,
    period_bounds,
    period_label,
)
from articles.timeline_compare import line_chart

HISTOGRAM = [("2023-11", 1), ("2024-01", 120), ("2024-03", 7)]


def chart(language="ar", histogram=HISTOGRAM):
    with translation.override(language):
        return bar_chart(
            histogram=histogram,
            url_for=lambda first, last: f"?from={first}&to={last}",
            range_url="?",
            language=language,
        )


def test_empty_periods_between_are_filled_with_zero():
    assert filled(HISTOGRAM) == [
        ("2023-11", 1),
        ("2023-12", 0),
        ("2024-01", 120),
        ("2024-02", 0),
        ("2024-03", 7),
    ]
    assert filled([("2024-02-27", 2), ("2024-03-01", 1)]) == [
        ("2024-02-27", 2),
        ("2024-02-28", 0),
        ("2024-02-29", 0),
        ("2024-03-01", 1),
    ]
    assert filled([("2019", 3), ("2021", 1)]) == [("2019", 3), ("2020", 0), ("2021", 1)]
    assert filled([("2024-01", 0)]) == []


def test_months_over_many_years_are_drawn_by_year():
    months = [("2001-03", 2), ("2001-07", 1), ("2025-06", 4)]
    assert [(b.period, b.count) for b in chart(histogram=months).bars][:2] == [
        ("2001", 3),
        ("2002", 0),
    ]
    assert chart(histogram=months).bars[-1].url == "?from=2025-01-01&to=2025-12-31"
    assert len(chart().bars) == 5  # five months stay months


def test_interval_follows_the_range():
    day = datetime.date
    assert interval_for(first=day(2024, 3, 1), last=day(2024, 3, 31)) == "day"
    assert interval_for(first=day(2024, 1, 1), last=day(2024, 12, 31)) == "month"
    assert interval_for(first=day(2019, 1, 1), last=day(2025, 6, 1)) == "month"
    assert interval_for(first=day(2001, 1, 1), last=day(2025, 6, 1)) == "year"


def test_period_bounds_cover_whole_periods():
    assert period_bounds("2024-02") == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    assert period_bounds("2023") == (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    assert period_bounds("2024-02-05") == (datetime.date(2024, 2, 5), datetime.date(2024, 2, 5))
    assert period_label("2024-02", language="ar") == "فبراير 2024"
    assert period_label("2024-02", language="en") == "February 2024"


@pytest.mark.parametrize("language", ["ar", "en"])
def test_time_runs_the_way_the_page_reads(language):
    bars = chart(language).bars
    xs = [bar.x for bar in bars]
    if language == "ar":  # oldest at the right
        assert xs == sorted(xs, reverse=True)
    else:
        assert xs == sorted(xs)
    ticks = chart(language).ticks
    labels = [t.label for t in ticks]
    assert labels == ["2023", period_label("2023-12", language=language).split()[0], "2024"] + [
        period_label(p, language=language).split()[0] for p in ("2024-02", "2024-03")
    ]  # the first month and January show their year, the others their name


def test_one_article_beside_a_hundred_is_still_visible():
    bars = {bar.period: bar for bar in chart().bars}
    assert bars["2023-11"].height >= MIN_BAR_HEIGHT
    assert bars["2024-01"].height > 30 * bars["2023-11"].height
    assert bars["2023-12"].height == 0 and bars["2023-12"].count == 0
    # every bar stands on the baseline and inside the plot
    baseline = chart().frame.baseline
    assert all(abs(b.y + b.height - baseline) < 0.01 for b in bars.values())
    assert all(b.y >= 0 for b in bars.values())


def test_bars_link_to_their_own_dates_and_say_their_count():
    bar = {b.period: b for b in chart().bars}["2024-03"]
    assert bar.url == "?from=2024-03-01&to=2024-03-31"
    with translation.override("ar"):
        assert bar.title == "مارس 2024: 7 مقالات"
    with translation.override("en"):
        assert chart("en").bars[-1].title == "March 2024: 7 articles"


def test_count_axis_reaches_the_tallest_bar():
    labels = [int(t.label) for t in chart().count_ticks]
    assert labels[0] == 0 and labels[-1] >= 120 and len(labels) == 3


def test_nothing_dated_draws_nothing():
    assert chart(histogram=[]) is None
    assert line_chart(series=[("a", "A", []), ("b", "B", [])]) is None


def test_lines_share_one_axis_and_keep_each_count():
    compared = line_chart(
        series=[
            ("putin", "بوتين", [("2024-01", 3), ("2024-03", 1)]),
            ("xi", "شي", [("2024-02", 5)]),
        ],
        language="ar",
    )
    assert [len(line.points) for line in compared.lines] == [3, 3]
    assert [p.count for p in compared.lines[0].points] == [3, 0, 1]
    assert [p.count for p in compared.lines[1].points] == [0, 5, 0]
    assert [line.total for line in compared.lines] == [4, 5]
    assert compared.rows[1] == ("فبراير 2024", [0, 5])
    # the higher count is drawn higher (smaller y) on the shared scale
    assert compared.lines[1].points[1].y < compared.lines[0].points[0].y


def _label_spans(ticks, *, font, rtl):
    """Where each label prints, from its length at ``font`` (half an em per glyph, a lower
    bound for the digits and the Arabic month names)."""
    spans = []
    for t in ticks:
        width = len(t.label) * font * 0.5
        if t.anchor == "middle":
            spans.append((t.x - width / 2, t.x + width / 2))
        else:
            spans.append((t.x - width, t.x) if rtl else (t.x, t.x + width))
    return sorted(spans)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_axis_labels_never_print_over_each_other(language):
    """A November start two months before a January: the year would be printed twice, one over
    the other; on a phone (major labels only, at 26 units) the same holds."""
    months = [f"{y}-{m:02d}" for y in range(2013, 2019) for m in range(1, 13)][10:-8]
    ticks = chart(language, histogram=[(p, 5) for p in months]).ticks
    for shown, font in ((ticks, 12), ([t for t in ticks if t.major], 26)):
        spans = _label_spans(shown, font=font, rtl=language == "ar")
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), spans
    labels = [t.label for t in ticks]
    assert {"2014", "2015", "2016", "2017", "2018"} <= set(labels)
    assert len(labels) == len(set(labels))  # no year printed twice
