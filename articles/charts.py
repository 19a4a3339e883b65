"""Actor charts drawn on the server: matplotlib in the bundled Noto Naskh Arabic, cached SVG.

The font is the TTF vendored in static/fonts/ (registered with matplotlib's font manager, never
looked up among system fonts), and SVG text is written as paths, so a chart looks the same on
every machine. matplotlib >= 3.11 joins Arabic letters and lays them out right to left itself;
older versions need arabic-reshaper + python-bidi first. :func:`label` decides which, and every
string a chart draws goes through it exactly once.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from matplotlib import font_manager, rc_context
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import MaxNLocator

from articles import actor_selectors
from articles.arabic.shaping import is_shaped, needs_shaping_for_matplotlib, shape_for_display
from articles.models import Entity
from articles.templatetags.marsad import format_month

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
FONT_REGULAR = FONT_DIR / "NotoNaskhArabic-Regular.ttf"
FONT_BOLD = FONT_DIR / "NotoNaskhArabic-Bold.ttf"
for _path in (FONT_REGULAR, FONT_BOLD):
    font_manager.fontManager.addfont(str(_path))
FONT_FAMILY = FontProperties(fname=FONT_REGULAR).get_name()  # "Noto Naskh Arabic"

CHART_TIMEOUT = 60 * 60 * 24 * 7  # the key changes with the data, so old entries just expire
CONTENT_TYPE = "image/svg+xml"
BAR = "#0b5f6b"  # --accent in marsad.css
INK = "#1d2430"
MUTED = "#5a6372"
GRID = "#d9d4c7"
MAX_MONTH_TICKS = 12

STYLE = {
    "font.family": FONT_FAMILY,
    "svg.fonttype": "path",  # glyphs as outlines: no font needed to view the SVG
    "svg.hashsalt": "marsad",  # stable element ids, so equal data gives equal bytes
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
}


def label(text: str) -> str:
    """`text` ready to hand to matplotlib: shaped for versions that cannot shape, else as is.

    Text that already holds presentation forms was shaped before and is not shaped again.
    """
    if needs_shaping_for_matplotlib() and not is_shaped(text):
        return shape_for_display(text)
    return text


def _font(*, bold: bool = False, size: float = 11) -> FontProperties:
    return FontProperties(fname=FONT_BOLD if bold else FONT_REGULAR, size=size)


def _month_label(month: str) -> str:
    """ "2023-03" → "مارس 2023"."""
    year, number = month.split("-")
    return format_month(year=int(year), month=int(number), language="ar")


def _empty(ax, message: str) -> None:
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        label(message),
        ha="center",
        va="center",
        fontproperties=_font(size=13),
        color=MUTED,
        transform=ax.transAxes,
    )


def _titled_figure(*, title: str, height: float) -> tuple[Figure, object]:
    """An 8-inch-wide figure with one axes and its Arabic title in the bundled bold font."""
    fig = Figure(figsize=(8, height), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(label(title), fontproperties=_font(bold=True, size=13), color=INK)
    return fig, ax


def timeline_figure(*, entity: Entity, months: list[dict]) -> Figure:
    """Bar chart of articles per month (`actor_selectors.actor_months`), oldest month on the left."""
    fig, ax = _titled_figure(title=f"المقالات التي تذكر {entity.name_ar} شهريًا", height=3.2)
    if not months:
        _empty(ax, "لا توجد مقالات مؤرخة")
        return fig
    positions = range(len(months))
    ax.bar(positions, [m["count"] for m in months], color=BAR, width=0.8)
    step = max(1, -(-len(months) // MAX_MONTH_TICKS))
    ticks = list(positions)[::step]
    ax.set_xticks(ticks, [label(_month_label(months[i]["month"])) for i in ticks])
    for tick in ax.get_xticklabels():
        tick.set_fontproperties(_font(size=9))
        tick.set_rotation(45 if len(ticks) > 4 else 0)
        tick.set_horizontalalignment("right" if len(ticks) > 4 else "center")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(label("عدد المقالات"), fontproperties=_font())
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def co_mentions_figure(*, entity: Entity, actors: list[Entity]) -> Figure:
    """Horizontal bars of the actors most often named beside `entity` (`co_mentioned_actors`).

    Drawn right to left like the page: names on the right, bars growing leftwards, the most
    frequent on top.
    """
    fig, ax = _titled_figure(
        title=f"أكثر الفاعلين ذكرًا مع {entity.name_ar}",
        height=1.2 + 0.42 * max(len(actors), 2),
    )
    if not actors:
        _empty(ax, "لا يذكر مع فاعلين آخرين")
        return fig
    positions = range(len(actors))
    ax.barh(positions, [a.shared_articles for a in actors], color=BAR, height=0.7)
    ax.set_yticks(
        list(positions), [label(a.name_ar) for a in actors], fontproperties=_font(size=11)
    )
    ax.invert_yaxis()
    ax.invert_xaxis()
    ax.yaxis.tick_right()
    ax.tick_params(axis="y", length=0, colors=INK)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(label("عدد المقالات المشتركة"), fontproperties=_font())
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "left"]].set_visible(False)
    return fig


def render_svg(fig: Figure) -> bytes:
    """The figure as a standalone SVG (text as paths, no creation date)."""
    buffer = io.BytesIO()
    with rc_context(STYLE):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _build(figure: Callable[[], Figure]) -> bytes:
    with rc_context(STYLE):  # fonts and colours apply while the figure is built, too
        fig = figure()
    return render_svg(fig)


def _timeline(entity: Entity) -> Figure:
    return timeline_figure(entity=entity, months=actor_selectors.actor_months(entity=entity))


def _co_mentions(entity: Entity) -> Figure:
    return co_mentions_figure(
        entity=entity, actors=actor_selectors.co_mentioned_actors(entity=entity)
    )


CHARTS: dict[str, Callable[[Entity], Figure]] = {"timeline": _timeline, "co-mentions": _co_mentions}


def chart_key(*, chart: str, slug: str, version: str) -> str:
    return f"marsad:chart:{chart}:{slug}:{version}"


def actor_chart(*, entity: Entity, chart: str, version: str) -> bytes:
    """The actor's `chart` ("timeline" or "co-mentions") as SVG, drawn once per data version."""
    key = chart_key(chart=chart, slug=entity.slug, version=version)
    svg = cache.get(key)
    if svg is None:
        svg = _build(lambda: CHARTS[chart](entity))
        cache.set(key, svg, timeout=CHART_TIMEOUT)
    return svg
