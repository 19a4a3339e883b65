"""Actors compared on one timeline: one line per actor on a shared period axis (the geometry of
``_timeline_lines.html``), laid out with the frame of ``articles.timeline``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from articles.timeline import Chart, Counted, filled, frame_for, period_label


@dataclass(frozen=True)
class Point(Counted):
    x: float
    y: float


@dataclass(frozen=True)
class Line:
    key: str
    name: str
    number: int  # 1–5: the series colour class
    points: list[Point]
    total: int

    @property
    def path(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass(frozen=True)
class LineChart(Chart):
    lines: list[Line]
    rows: list[tuple[str, list[int]]]  # (period label, count per line): the table under it


def line_chart(
    *, series: Sequence[tuple[str, str, Sequence[tuple[str, int]]]], language: str | None = None
) -> LineChart | None:
    """One line per ``(key, name, histogram)`` on a shared period axis (all histograms in the
    same interval). None when nothing is dated."""
    periods = [p for p, _c in filled([row for _k, _n, h in series for row in h])]
    if not periods:
        return None
    counts = [dict(h) for _k, _n, h in series]
    largest = max(c.get(p, 0) for c in counts for p in periods)
    frame = frame_for(periods=periods, largest=largest, language=language)
    labels = [period_label(p, language=language) for p in periods]
    lines = [
        Line(
            key=key,
            name=name,
            number=number,
            points=[
                Point(
                    x=round(frame.centre(i), 2),
                    y=round(frame.y(by_period.get(p, 0)), 2),
                    count=by_period.get(p, 0),
                    label=labels[i],
                )
                for i, p in enumerate(periods)
            ],
            total=sum(by_period.values()),
        )
        for number, ((key, name, _h), by_period) in enumerate(
            zip(series, counts, strict=True), start=1
        )
    ]
    return LineChart(
        frame=frame,
        language=language,
        lines=lines,
        rows=[(labels[i], [c.get(p, 0) for c in counts]) for i, p in enumerate(periods)],
    )
