"""Generate the analyzer's data files (``data/``) from published sources; run again to refresh.

``manage.py build_arabic_data`` calls :func:`build_all`. Sources, each optional but the first two:

* word frequencies: the pinned ``wordfreq`` package's Arabic list (CC BY-SA 4.0, Robyn Speer et
  al.), folded through our normalization, so ``zipf()`` compares the forms the stemmer sees;
* protected names: every alias of every gazetteer entity (``articles/entities/gazetteer.json``),
  CLDR's Arabic country/territory names and time-zone cities (the pinned ``babel``), the curated
  ``data/sources/places_and_people.txt`` (capitals and cities CLDR lacks), the PERSON, LOCATION and
  ORGANIZATION tokens of the NewsFANE gold corpus (CC BY-SA 3.0, Alotaibi & Lee 2014) when its
  folder is given, and proper nouns mined from a news corpus (JSONL records with ``title`` and
  ``body``) when one is given: words that follow a person or place cue (الرئيس الفرنسي X، مدينة X)
  often and almost never take the article ال, as foreign names do not.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from .lexicon import DATA_DIR, FREQUENCIES_FILE, PROTECTED_NAMES_FILE
from .normalize import normalize
from .stopwords import STOP_WORDS

ARABIC_WORD = re.compile(r"^[\u0621-\u064a]+$")
MIN_ZIPF = 2.0  # rarer words add size, not evidence
CURATED_SOURCE = DATA_DIR / "sources" / "places_and_people.txt"
GAZETTEER_FILE = Path(__file__).resolve().parent.parent / "entities" / "gazetteer.json"

# Words of a multi-word name that are common words themselves (جمهورية، جزر، مجلس) stay stemmable.
COMMON_WORD_ZIPF = 4.6
COMMON_BARE_ZIPF = 3.3
ARTICLE_FORM_MARGIN = 1.0  # "الX" at least a tenth as common as X: X is a common word

# NewsFANE's person and place classes; its organization spans are mostly common nouns (اتحاد …).
NEWSFANE_NAME_CLASSES = re.compile(
    r"(Politician|Person|Artist|Athlete|Scientist|Businessman|Cleric|Engineer|Journalist|Lawyer"
    r"|Police|Military|Nation|Population-Center|State-or-Province|County-or-District|Continent"
    r"|Water-Body|Land-Region-Natural)"
)

PERSON_CUES = tuple(
    normalize(cue)
    for cue in (
        "الرئيس", "رئيس الوزراء", "رئيسة الوزراء", "المستشارة", "المستشار", "الملك", "الملكة",
        "الأمير", "الأميرة", "الشيخ", "السيناتور", "النائب", "الوزير", "وزير الخارجية",
        "وزيرة الخارجية", "وزير الدفاع", "النجم", "النجمة", "اللاعب", "اللاعبة", "المدرب",
        "الفنان", "الفنانة", "المغني", "المغنية", "الممثل", "الممثلة", "المخرج", "الكاتب",
        "الكاتبة", "الروائي", "الزعيم", "الجنرال", "السفير", "المتحدث", "البابا", "الدكتور",
        "الأمين العام", "المرشد", "الصحفي", "الصحفية", "المدير", "العالم",
    )
)  # fmt: skip
PLACE_CUES = tuple(
    normalize(cue)
    for cue in ("مدينة", "العاصمة", "ولاية", "مقاطعة", "محافظة", "بلدة", "جزيرة", "إقليم", "منطقة")
)
MINED_MIN_CUED = 4
MINED_MIN_CUED_SHARE = 0.12
MINED_MAX_ARTICLE_SHARE = 0.03
MINED_MAX_ZIPF = 4.5  # a word this common in general Arabic is a word, whatever follows a cue


def _zipf_table() -> dict[str, float]:
    import wordfreq

    summed: Counter[str] = Counter()
    for word, freq in wordfreq.get_frequency_dict("ar").items():
        folded = normalize(word)
        if ARABIC_WORD.match(folded):
            summed[folded] += freq
    return {w: math.log10(f * 1e9) for w, f in summed.items() if math.log10(f * 1e9) >= MIN_ZIPF}


def write_frequencies(path: Path = FREQUENCIES_FILE) -> int:
    table = _zipf_table()
    with gzip.GzipFile(path, "wb", mtime=0) as raw:
        raw.write(
            b"# normalized word\tZipf x 100; from wordfreq (CC BY-SA 4.0), by build_data.py\n"
        )
        for word in sorted(table):
            raw.write(f"{word}\t{round(table[word] * 100)}\n".encode())
    return len(table)


def name_words(name: str, *, zipf: dict[str, float]) -> Iterator[str]:
    """What to protect of one name: a one-word name whole; of a longer one its distinctive words."""
    words = normalize(name).lower().split()
    words = [w for w in words if ARABIC_WORD.match(w)]
    if len(words) == 1:
        if words[0] not in STOP_WORDS and len(words[0]) >= 2:
            yield words[0]
        return
    for word in words:
        if word.startswith("ال") or word in STOP_WORDS or len(word) < 2:
            continue
        if zipf.get(word, 0.0) < COMMON_WORD_ZIPF:
            yield word


def gazetteer_names(path: Path = GAZETTEER_FILE) -> Iterator[str]:
    for entity in json.loads(path.read_text(encoding="utf-8"))["entities"]:
        yield entity["name_ar"]
        for alias in entity.get("aliases", []):
            yield alias["text"]


def cldr_names() -> Iterator[str]:
    from babel import Locale

    arabic = Locale("ar")
    yield from arabic.territories.values()
    for zone in arabic.time_zones.values():
        if zone.get("city"):
            yield zone["city"]


def curated_names(path: Path = CURATED_SOURCE) -> Iterator[str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")[0].strip()


def newsfane_names(folder: Path) -> Iterator[str]:
    """Gold entity spans of NewsFANE (one token a line: ``token<TAB>B-Class``)."""
    path = folder / "NewsFANE_Gold_2014_170K.txt"
    span: list[str] = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        token, _, tag = line.strip().replace("\u200e", "").partition("\t")
        inside = tag.startswith("I-") and span
        if not inside and span:
            yield " ".join(span)
            span = []
        if tag[:2] in ("B-", "I-") and NEWSFANE_NAME_CLASSES.search(tag):
            span.append(token)
    if span:
        yield " ".join(span)


def _records(corpus: Path) -> Iterator[str]:
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            yield f"{record.get('title', '')}\n{record.get('body', '')}"


def _clitic_reading(word: str, *, zipf: dict[str, float]) -> bool:
    """True when ``word`` reads as a proclitic on, or a suffix after, a word at least as common."""
    if len(word) < 3:
        return True
    own = zipf.get(word, 0.0)
    for prefix in ("و", "ف", "ب", "ك", "ل", "وب", "ول", "فب", "فل"):
        if word.startswith(prefix):
            rest = word[len(prefix) :]
            readings = [rest, "ا" + rest] if prefix.endswith("ل") else [rest]
            if any(zipf.get(r, 0.0) >= own for r in readings):
                return True
    return any(
        word.endswith(suffix) and zipf.get(word[: -len(suffix)] + tail, 0.0) >= own
        for suffix, tail in (("ها", ""), ("هم", ""), ("ته", "ه"), ("ه", ""))
    )


def plausible_name(word: str, *, zipf: dict[str, float]) -> bool:
    """A name word from a corpus: no common word, no clitic or suffixed form (للصين, لحزب), and
    not a word that takes the article (names of the news do not: الروسي is an adjective)."""
    own = zipf.get(word, 0.0)
    with_article = zipf.get("ال" + word, 0.0)
    if with_article >= MIN_ZIPF and with_article >= own - ARTICLE_FORM_MARGIN:
        return False
    if word.startswith("ال") and zipf.get(word[2:], 0.0) >= COMMON_BARE_ZIPF:
        return False  # الريف، الحكيم: the article on a common word, whatever the gold tag says
    return own < COMMON_WORD_ZIPF and not _clitic_reading(word, zipf=zipf)


def mined_names(corpus: Path, *, zipf: dict[str, float]) -> list[str]:
    """Foreign proper nouns of news: often right after a cue, almost never with the article."""
    from .tokenize import words as tokenize_words

    total: Counter[str] = Counter()
    cued: Counter[str] = Counter()
    cue_runs = {tuple(cue.split()) for cue in PERSON_CUES + PLACE_CUES}
    longest = max(len(run) for run in cue_runs)
    for text in _records(corpus):
        tokens = tokenize_words(text)
        total.update(tokens)
        for i in range(len(tokens)):
            for size in range(longest, 0, -1):
                if tuple(tokens[i : i + size]) in cue_runs:
                    j = i + size
                    # an optional nisba adjective: الرئيس الفرنسي X
                    if (
                        j < len(tokens)
                        and tokens[j].startswith("ال")
                        and tokens[j].endswith(("ي", "يه"))
                    ):
                        j += 1
                    if j < len(tokens):
                        cued[tokens[j]] += 1
                    break
    found = []
    for word, count in cued.items():
        if count < MINED_MIN_CUED or word in STOP_WORDS or not ARABIC_WORD.match(word):
            continue
        if word.startswith("ال") or zipf.get(word, 0.0) >= MINED_MAX_ZIPF:
            continue
        if not plausible_name(word, zipf=zipf):
            continue
        if count / total[word] < MINED_MIN_CUED_SHARE:
            continue
        if total["ال" + word] > MINED_MAX_ARTICLE_SHARE * total[word]:
            continue
        found.append(word)
    return sorted(found)


def protected_names(*, newsfane: Path | None = None, corpus: Path | None = None) -> dict[str, str]:
    """Every protected word with the first source that named it."""
    zipf = _zipf_from_file()
    sources: list[tuple[str, Iterable[str]]] = [
        ("gazetteer", gazetteer_names()),
        ("cldr", cldr_names()),
        ("curated", curated_names()),
    ]
    found: dict[str, str] = {}
    for source, names in sources:
        for name in names:
            for word in name_words(name, zipf=zipf):
                found.setdefault(word, source)
    if newsfane is not None:
        for name in newsfane_names(newsfane):
            for word in name_words(name, zipf=zipf):
                if plausible_name(word, zipf=zipf):
                    found.setdefault(word, "newsfane")
    if corpus is not None:
        for word in mined_names(corpus, zipf=zipf):
            found.setdefault(word, "mined")
    return found


def _zipf_from_file() -> dict[str, float]:
    from .lexicon import frequencies

    frequencies.cache_clear()
    return frequencies()


def write_protected_names(
    path: Path = PROTECTED_NAMES_FILE, *, newsfane: Path | None = None, corpus: Path | None = None
) -> Counter[str]:
    found = protected_names(newsfane=newsfane, corpus=corpus)
    lines = [
        "# Protected names, normalized, one a line; generated by articles/arabic/build_data.py",
        "# (manage.py build_arabic_data). Sources: " + ", ".join(sorted(set(found.values()))),
        *sorted(found),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Counter(found.values())


def build_all(*, newsfane: Path | None = None, corpus: Path | None = None) -> dict[str, int]:
    """Write both generated files; returns how many entries each source gave."""
    counts: dict[str, int] = {"frequencies": write_frequencies()}
    counts.update(write_protected_names(newsfane=newsfane, corpus=corpus))
    return counts
