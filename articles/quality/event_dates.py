"""Precision and recall of the event-date resolver on the dev set read from ANT.

``tests/data/event_dates_dev.tsv``: one row per date expression a reader finds in a passage
(``origin``, ``published``, ``expression``, ``first``, ``last``, ``context``); a passage without
any has one row with an empty expression. Every expression of a passage is listed, so what the
resolver finds beyond them is a false positive. A found date is right when it overlaps the
expression (its first occurrence in the passage) and names the same days.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from articles.arabic.event_dates import DateMention, find_event_dates

DEV_SET = Path(__file__).resolve().parents[2] / "tests" / "data" / "event_dates_dev.tsv"


@dataclass(frozen=True)
class GoldDate:
    start: int
    end: int
    text: str
    first: datetime.date
    last: datetime.date


@dataclass
class Passage:
    origin: str
    published: datetime.date
    context: str
    gold: list[GoldDate] = field(default_factory=list)


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    right: int = 0
    misses: list[tuple[Passage, GoldDate]] = field(default_factory=list)
    wrong: list[tuple[Passage, DateMention]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        matched = self.gold - len(self.misses)
        return matched / self.gold if self.gold else 0.0


def load_passages(path: Path = DEV_SET) -> list[Passage]:
    passages: dict[tuple[str, str], Passage] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            key = (row["origin"], row["context"])
            passage = passages.setdefault(
                key,
                Passage(
                    origin=row["origin"],
                    published=datetime.date.fromisoformat(row["published"]),
                    context=row["context"],
                ),
            )
            if row["expression"]:
                start = row["context"].index(row["expression"])
                passage.gold.append(
                    GoldDate(
                        start=start,
                        end=start + len(row["expression"]),
                        text=row["expression"],
                        first=datetime.date.fromisoformat(row["first"]),
                        last=datetime.date.fromisoformat(row["last"]),
                    )
                )
    return list(passages.values())


def score(passages: list[Passage]) -> Score:
    result = Score()
    for passage in passages:
        found = find_event_dates(passage.context, published=passage.published)
        result.gold += len(passage.gold)
        result.found += len(found)
        unmatched = list(passage.gold)
        for mention in found:
            match = next(
                (
                    g
                    for g in unmatched
                    if g.start < mention.end
                    and mention.start < g.end
                    and (g.first, g.last) == (mention.first, mention.last)
                ),
                None,
            )
            if match is None:
                result.wrong.append((passage, mention))
            else:
                result.right += 1
                unmatched.remove(match)
        result.misses += [(passage, g) for g in unmatched]
    return result
