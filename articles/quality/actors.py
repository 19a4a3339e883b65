"""Actor-matching measures: NewsFANE gold recall and precision/recall on judged ANT articles.

Pure Python (the matcher and the shipped gazetteer, no Django); ``manage.py bench_actors`` and
``manage.py bench_quality`` print what these functions return.

NewsFANE Gold (``../shared/external/ner-newsfane-gold/``, Alotaibi & Lee 2014, CC BY-SA 3.0) is
newswire with PERSON mentions tagged by hand, tokens normalized (no hamza on alef) and clitics
split off. A gold mention counts for us when its person is in the gazetteer; which one is decided
by :data:`NEWSFANE_ACTORS`, a table kept by reading every gold PERSON mention that shares a word
with a gazetteer person's name (:func:`newsfane_candidates` lists them, and a test fails when a
new one appears that the table neither maps nor excludes):

* بوش / جورج بوش → George W. Bush: all 47 occur in 2001–2007 news (Iraq, Blair, Guantánamo
  courts, "تسلم جورج بوش سلطاته في يناير 2001"); none is the father.
* بوتين / فلاديمير بوتين → Vladimir Putin; سيرغي لافروف / سيرجي لافروف → Sergey Lavrov.
* Excluded (:data:`NEWSFANE_NOT_ACTORS`), each read in context: the Kims (Kim Jong-il, a
  goalkeeper, Kim Howells …; none is Kim Jong Un), the Wangs (Wang Guangya, China's UN
  ambassador in 2006, also as a bare «وانغ» after his full name; none is Wang Yi), and هي سي شي,
  حبيب ما جونغ يي (names containing «شي» / «يي»).

The matcher runs on each gold sentence (tokens joined by spaces) with no date, since NewsFANE
gives none: offices are then not resolved, and a bare "بوش" is read as the son (the open-ended
reading, see the matcher). A gold mention is found when the matcher returns a mention of the
mapped actor overlapping its characters.

The judged set (``tests/data/actors_judged_ant.jsonl``) is 100 ANT articles read by hand; each
row has ``id``, ``title``, ``body``, ``date`` and ``gold``: a list of
``{"slug", "field", "start", "end", "text"}`` with the same span conventions as the matcher
(proclitics included, office + name one mention). A predicted mention is correct when a gold
mention of the same actor in the same field overlaps it (one to one).
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from articles.arabic.normalize import normalize
from articles.entities.gazetteer import load_gazetteer
from articles.entities.given_names import PERSON_TYPES
from articles.entities.matcher import EntityMatcher, default_matcher

NEWSFANE_FILE = "NewsFANE_Gold_2014_170K.txt"
JUDGED_PATH = Path(__file__).resolve().parents[2] / "tests" / "data" / "actors_judged_ant.jsonl"

# Gold surface (normalized, tokens joined by one space) -> gazetteer slug. See the module doc.
NEWSFANE_ACTORS: dict[str, str] = {
    "بوش": "george-w-bush",
    "جورج بوش": "george-w-bush",
    "بوتين": "vladimir-putin",
    "فلاديمير بوتين": "vladimir-putin",
    "سيرغي لافروف": "sergey-lavrov",
    "سيرجي لافروف": "sergey-lavrov",
}
# Gold person mentions that share a word with a gazetteer person's name but are someone else.
NEWSFANE_NOT_ACTORS: frozenset[str] = frozenset(
    {
        # Kims: Kim Jong-il, a goalkeeper, a British minister, others (none is Kim Jong Un)
        "كيم جونغ - ايل", "كيم", "كيم هاولز", "كيم اوك", "كيم كوك", "كيم يونغ",
        # Wangs: the Chinese UN ambassador Wang Guangya («و اعرب وانغ ...» follows his full
        # name) and others (none is Wang Yi)
        "وانغ غوانغيا", "وانغ", "وانج شاو شون", "اسماعيل وانغ قوانغ شوي", "وانغ قاص",
        "وانغ ليانماو",
        # names that contain «شي» / «يي»
        "هي سي شي", "حبيب ما جونغ يي",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class GoldSentence:
    """One NewsFANE sentence: its text and its PERSON mentions (char spans, normalized text)."""

    text: str
    persons: tuple[tuple[int, int, str], ...]


@dataclass
class NewsfaneResult:
    """``recall`` = ``found`` / ``total`` over gold mentions of gazetteer actors."""

    recall: float
    found: int
    total: int
    by_actor: dict[str, tuple[int, int]] = field(default_factory=dict)  # slug -> (found, total)
    missed: list[tuple[str, str]] = field(default_factory=list)  # (slug, sentence)


@dataclass
class JudgedScores:
    precision: float
    recall: float
    true_positives: int
    false_positives: int
    false_negatives: int
    articles: int
    errors: list[dict] = field(default_factory=list)  # {"id", "kind": "fp"|"fn", "slug", ...}


# --- NewsFANE ---------------------------------------------------------------------------------


def newsfane_sentences(directory: str | Path) -> Iterator[GoldSentence]:
    """The gold file's sentences with their PERSON mentions (BOM, U+200E and CRLF handled)."""
    path = Path(directory) / NEWSFANE_FILE
    tokens: list[tuple[str, str]] = []

    def sentence() -> GoldSentence:
        words = [t for t, _ in tokens]
        starts, pos = [], 0
        for word in words:
            starts.append(pos)
            pos += len(word) + 1
        text = " ".join(words)
        persons: list[tuple[int, int, str]] = []
        i = 0
        while i < len(tokens):
            tag = tokens[i][1]
            if tag.startswith("B-") and tag[2:] in PERSON_TYPES:
                j = i + 1
                while j < len(tokens) and tokens[j][1] == "I-" + tag[2:]:
                    j += 1
                start, end = starts[i], starts[j - 1] + len(words[j - 1])
                persons.append((start, end, " ".join(normalize(w) for w in words[i:j])))
                i = j
            else:
                i += 1
        return GoldSentence(text, tuple(persons))

    with path.open(encoding="utf-8-sig") as handle:
        for raw in handle:
            line = raw.rstrip("\r\n")
            if not line.strip():
                if tokens:
                    yield sentence()
                tokens = []
                continue
            token, _, tag = line.partition("\t")
            token = token.replace("\u200e", "").replace("\u200f", "").strip()
            if token:
                tokens.append((token, tag.strip()))
    if tokens:
        yield sentence()


def newsfane_candidates(directory: str | Path) -> Counter[str]:
    """Gold PERSON mentions containing a gazetteer person's surname or one-word alias."""
    words: set[str] = set()
    for entity in load_gazetteer():
        if entity.kind != "person":
            continue
        last = normalize(entity.name_ar).split()[-1]
        if not last.startswith("ال"):
            words.add(last)
        words.update(normalize(a.text) for a in entity.all_aliases() if " " not in a.text.strip())
    found: Counter[str] = Counter()
    for sentence in newsfane_sentences(directory):
        for _, _, text in sentence.persons:
            if words & set(text.split()):
                found[text] += 1
    return found


def newsfane_recall(
    directory: str | Path, *, matcher: EntityMatcher | None = None
) -> NewsfaneResult:
    """Recall of the matcher on NewsFANE's gold mentions of gazetteer actors (see module doc)."""
    matcher = matcher or default_matcher()
    actors = {normalize(k): v for k, v in NEWSFANE_ACTORS.items()}
    counts: dict[str, list[int]] = {}
    missed: list[tuple[str, str]] = []
    for sentence in newsfane_sentences(directory):
        gold = [(s, e, actors[t]) for s, e, t in sentence.persons if t in actors]
        if not gold:
            continue
        spans = matcher.find(sentence.text, published_on=None)
        for start, end, slug in gold:
            hit = any(m.slug == slug and m.start < end and start < m.end for m in spans)
            tally = counts.setdefault(slug, [0, 0])
            tally[0] += hit
            tally[1] += 1
            if not hit:
                missed.append((slug, sentence.text))
    found = sum(c[0] for c in counts.values())
    total = sum(c[1] for c in counts.values())
    return NewsfaneResult(
        recall=found / total if total else 0.0,
        found=found,
        total=total,
        by_actor={slug: (c[0], c[1]) for slug, c in sorted(counts.items())},
        missed=missed,
    )


# --- judged ANT articles ----------------------------------------------------------------------


def load_judged(path: str | Path = JUDGED_PATH) -> list[dict]:
    """The judged rows (see module doc)."""
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value[:10]) if value else None


def predict(row: dict, *, matcher: EntityMatcher | None = None) -> list[dict]:
    """The matcher's mentions for one judged row, in the gold's shape."""
    matcher = matcher or default_matcher()
    spans = matcher.find_article(
        title=row.get("title", ""), body=row.get("body", ""), published_on=_day(row.get("date"))
    )
    return [
        {"slug": m.slug, "field": m.field, "start": m.start, "end": m.end, "text": m.text}
        for m in spans
    ]


def _pair(predicted: Sequence[dict], gold: Sequence[dict]) -> tuple[list[dict], list[dict], int]:
    """One-to-one overlap matching by (slug, field); returns (false pos, false neg, true pos)."""
    unused = list(gold)
    false_pos: list[dict] = []
    hits = 0
    for p in predicted:
        match = next(
            (
                g
                for g in unused
                if g["slug"] == p["slug"]
                and g["field"] == p["field"]
                and g["start"] < p["end"]
                and p["start"] < g["end"]
            ),
            None,
        )
        if match is None:
            false_pos.append(p)
        else:
            unused.remove(match)
            hits += 1
    return false_pos, unused, hits


def judged_scores(
    rows: Iterable[dict] | None = None, *, matcher: EntityMatcher | None = None
) -> JudgedScores:
    """Mention-level precision and recall of the matcher on the judged rows (default: shipped)."""
    rows = load_judged() if rows is None else list(rows)
    tp = fp = fn = 0
    errors: list[dict] = []
    for row in rows:
        false_pos, false_neg, hits = _pair(predict(row, matcher=matcher), row["gold"])
        tp += hits
        fp += len(false_pos)
        fn += len(false_neg)
        errors += [{"id": row["id"], "kind": "fp", **m} for m in false_pos]
        errors += [{"id": row["id"], "kind": "fn", **m} for m in false_neg]
    return JudgedScores(
        precision=tp / (tp + fp) if tp + fp else 1.0,
        recall=tp / (tp + fn) if tp + fn else 1.0,
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        articles=len(rows),
        errors=errors,
    )


def bench_lines(
    *, newsfane: str | Path | None = None, judged: str | Path | None = JUDGED_PATH
) -> list[tuple[str, str]]:
    """The ``key value`` pairs the benchmarks print (NewsFANE skipped when absent)."""
    lines: list[tuple[str, str]] = []
    if newsfane is not None and (Path(newsfane) / NEWSFANE_FILE).exists():
        result = newsfane_recall(newsfane)
        lines += [
            ("actor_recall_newsfane", f"{result.recall:.4f}"),
            ("actor_newsfane_found", str(result.found)),
            ("actor_newsfane_total", str(result.total)),
        ]
    if judged is not None and Path(judged).exists():
        scores = judged_scores(load_judged(judged))
        lines += [
            ("actor_precision_judged", f"{scores.precision:.4f}"),
            ("actor_recall_judged", f"{scores.recall:.4f}"),
            ("actor_judged_articles", str(scores.articles)),
            ("actor_judged_mentions", str(scores.true_positives + scores.false_negatives)),
        ]
    return lines
