"""Find gazetteer actors in Arabic text: by name (with clitics) and by dated office.

One Aho-Corasick automaton over the NORMALIZED forms of every alias, role phrase and "non-mention"
phrase is built once; :meth:`EntityMatcher.find` runs it over the normalized article and maps every
hit back to the exact original characters through the normalizer's offset map.

Rules, each there because plain substring search gets it wrong:

* **Word boundaries.** The character before (proclitic +) name and after (name + suffix) must not
  be an Arabic letter, so عبوتين ("two explosive devices") and الروبوتين ("the two robots") are
  never Putin, and شي never matches inside شيء (the normalizer keeps the lone hamza).
* **Proclitics, only where Arabic allows them.** Conjunction و/ف, then preposition ب/ل/ك, in front
  of any name or office phrase. The article ال is never added by us (not بوتين → البوتين); it is
  only part of names that carry it (الصين، الكرملين، الرئيس الصيني), and then ل + ال contracts to
  لل (للصين، وللرئيس الصيني), matched through a second "contracted" pattern.
* **Spans include the proclitic**: ``text[start:end]`` is the whole written word ("لبوتين",
  "وللرئيس الصيني"), so a highlight never splits the joined letters of one word.
* **Suffixes**: :data:`SUFFIXES` lists what may follow each kind; it is empty for every kind on
  purpose (proper names and these office phrases take no possessive/dual/plural endings, and the
  nisba adjectives الروسي/الصينية are not mentions of the country).
* **Offices by date.** A role phrase resolves to the holder whose term covers ``published_on``;
  no date, or no covering term, leaves it unresolved (no mention, no guess). It does not count
  when followed by words that make it another person (السابق، الأسبق، المنتخب، آنذاك …), when it
  sits inside another office (نائب/مستشار/زوجة … الرئيس, المتحدث باسم الرئيس, المستشار الدبلوماسي
  للرئيس), or when it is in apposition to a gazetteer person who never held it.
* **Role + name is one mention**: "وزير الخارجية الصيني، وانغ يي" is one span of wang-yi (via
  "name", ``role_phrase`` set) when the named person holds that phrase in the gazetteer (any
  term). Such an apposition also fixes what the bare phrase means in the rest of the same text:
  if the text ties the phrase to exactly one named holder and does not name the holder the date
  gives, every other occurrence resolves to the tied holder (BBC still called Wang Yi "وزير
  الخارجية الصيني" in February 2023, when Qin Gang held the post).
* **Ambiguous aliases** (the bare "شي", "كيم", "وانغ") count only in an article that names the
  actor by a non-ambiguous alias, or right after an office phrase that resolves to that actor
  (and then in the rest of the text too: «الزعيم الكوري الشمالي كيم ... بين ترامب وكيم»). A short
  family name followed by a name part that none of the actor's longer names continues with is
  someone else's name («كيم يونغ شول»، «كيم يو جونغ»، «كيم كارداشيان»).
* **Non-mentions** (:data:`NON_MENTIONS`: روسيا البيضاء، أمريكا اللاتينية، ميلانيا ترامب …) veto every
  candidate they overlap.
* **Dated aliases** (the bare "بوش" and "جورج بوش", shared by George H. W. Bush and George W.
  Bush): where several entities share a form, the text decides first (if it names exactly one
  of them by an undated form, "بوش الأب" or "جورج دبليو بوش", the bare form is that one
  throughout the text), then the article's date (the alias period that covers it: before
  1993-01-20 the father, from then the son), and an undated text reads the form as the entity
  whose period is open-ended (the son: most news naming a bare Bush is from his time or later).
* **Nicknames**: a person alias alone inside quotes right after a personal name
  («يوسف إبراهيم "أوباما"», a footballer) or after a nicknaming word («الملقب "أوباما"») is
  that person's nickname, not the actor; the same quoted form is then nobody's mention anywhere
  in the text (title included: «"أوباما" يسجل ثنائية»).
* **Namesakes**: a one-word surname alias right after someone else's given name («جيب بوش»،
  «روسلان بوش») is a relative or namesake, not the actor. Given names come from
  :mod:`articles.entities.given_names` (NewsFANE + a short kept list) and the first words of the
  gazetteer's person names; the actor's own first names (and one- or two-letter misspellings of
  them: فلادمير) never count against it.
* **Office + another name**: an office phrase directly followed (or followed after a comma) by a
  personal name that none of its holders bears («الرئيس الأمريكي فرانكلين روزفلت») is that
  person's title, not the date's holder: a gazetteer person who never held it, or a given name
  that is not a first name of a holder.
* **Title and body together**: :meth:`EntityMatcher.find_article` matches the headline and the
  body as one text (so licensing, bindings and nicknames hold across both) and returns each
  mention with ``field`` "title" or "body" and offsets into that field.
* **Leftmost-longest**: surviving candidates are chosen left to right, longest first, without
  overlaps; the result is sorted by ``start``.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Literal

import ahocorasick

from articles.arabic.normalize import normalize, normalize_with_offsets

from .gazetteer import STOP_WORDS as _STOP_WORDS
from .gazetteer import EntitySpec, RoleSpec, load_gazetteer
from .given_names import load_given_names

Via = Literal["name", "role"]
Field = Literal["title", "body"]

# Arabic letters as they can appear AFTER normalization (diacritics and tatweel are gone).
ARABIC_LETTERS: frozenset[str] = frozenset(
    chr(code)
    for code in chain(
        range(0x0621, 0x063F + 1),
        range(0x0641, 0x064A + 1),
        range(0x066E, 0x066F + 1),
        range(0x0671, 0x06D3 + 1),
        (0x06D5,),
        range(0x06EE, 0x06EF + 1),
        range(0x06FA, 0x06FC + 1),
        (0x06FF,),
        range(0x0750, 0x077F + 1),
        range(0x08A0, 0x08C9 + 1),
    )
)

_CONJUNCTIONS = ("", "و", "ف")
# Proclitics before a word without the article (بوتين، روسيا، وزير الخارجية الروسي).
BARE_PROCLITICS: frozenset[str] = frozenset(
    c + p for c in _CONJUNCTIONS for p in ("", "ب", "ل", "ك")
)
# Before a word that starts with ال (الصين، الرئيس الصيني): ل is excluded, it contracts (below).
ARTICLE_PROCLITICS: frozenset[str] = frozenset(c + p for c in _CONJUNCTIONS for p in ("", "ب", "ك"))
# ل + الصين = للصين: the pattern is "لصين" and the text before it must be one of these.
CONTRACTED_PROCLITICS: frozenset[str] = frozenset(c + "ل" for c in _CONJUNCTIONS)
_MAX_PROCLITIC = max(len(p) for p in BARE_PROCLITICS | ARTICLE_PROCLITICS | CONTRACTED_PROCLITICS)

# Allowed endings per kind (normalized), tried longest first. Deliberately all empty: see module doc.
SUFFIXES: dict[str, tuple[str, ...]] = {
    "person": (),
    "organization": (),
    "country": (),
    "place": (),
    "role": (),
}

# A role phrase followed by one of these names someone else (a former/next/late holder, or the
# holder "at that time").
NOT_INCUMBENT: tuple[str, ...] = tuple(
    normalize(w)
    for w in (
        "السابق", "السابقة", "الأسبق", "الأسبقة", "المنتخب", "المنتخبة", "الراحل", "الراحلة",
        "المقبل", "القادم", "الأول", "المخلوع", "المعزول", "الأسبقين", "السابقين", "المقال", "المقالة", "المستقيل", "آنذاك",
        "حينذاك", "حينئذ", "حينها", "وقتها", "وقتذاك", "في ذلك الوقت", "في ذلك الحين", "في حينه",
    )
)  # fmt: skip

# Nouns that, in construct before an office phrase ("نائب الرئيس الأمريكي") or with ل before it
# ("المستشار الدبلوماسي للرئيس الروسي"), make it the title of a different person.
OFFICE_NOUNS: frozenset[str] = frozenset(
    normalize(w)
    for w in (
        "نائب", "نواب", "مستشار", "مستشارة", "مستشارو", "مستشاري", "مساعد", "مساعدة", "مساعدو",
        "مساعدي", "سكرتير", "سكرتيرة", "متحدث", "متحدثة", "ناطق", "ناطقة", "زوج", "زوجة", "عقيلة",
        "أرملة", "ابن", "ابنة", "نجل", "نجلة", "كريمة", "شقيق", "شقيقة", "أخ", "أخت", "حفيد",
        "حفيدة", "صهر", "مبعوث", "مبعوثة", "ممثل", "ممثلة", "مكتب", "ديوان", "حرس", "حارس",
        "طبيب", "مدير", "مديرة", "منصب", "مرشح", "مرشحة", "منافس", "خليفة", "سلف", "نظير",
        "نظيرة", "موظفي", "موظفو", "أقارب", "عائلة", "أسرة", "أبناء", "أولاد", "بنات",
    )
)  # fmt: skip
_BY_NAME_OF = normalize("باسم")  # المتحدث باسم الرئيس الصيني: the spokesman, not the president

# Phrases that contain an alias but are not a mention of the entity; they veto overlapping hits.
NON_MENTIONS: tuple[str, ...] = (
    "روسيا البيضاء", "أمريكا اللاتينية", "أميركا اللاتينية", "أمريكا الجنوبية",
    "أميركا الجنوبية", "أمريكا الشمالية", "أميركا الشمالية", "أمريكا الوسطى", "أميركا الوسطى",
    "كابتن أمريكا", "كابتن أميركا", "الولايات المتحدة المكسيكية", "بحر الصين الجنوبي",
    "بحر الصين الشرقي", "سور الصين العظيم", "الصين تايبيه", "الصين الوطنية",
    "الاتحاد الروسي لكرة القدم", "الاتحاد الروسي لألعاب القوى", "سبارتاك موسكو", "دينامو موسكو",
    "لوكوموتيف موسكو", "سسكا موسكو", "تسسكا موسكو", "توربيدو موسكو", "دينامو كييف",
    "واشنطن بوست", "واشنطن تايمز", "ولاية واشنطن", "جورج واشنطن", "دنزل واشنطن",
    "ميلانيا ترامب", "إيفانكا ترامب", "ترامب جونيور", "ترامب الابن", "إريك ترامب", "لارا ترامب",
    "بارون ترامب", "ماري ترامب", "فريد ترامب", "هانتر بايدن", "جيل بايدن", "دميتري باتروشيف",
    "ديمتري باتروشيف", "بوش دو رون", "بوش دي رون", "جيب بوش",
)  # fmt: skip

# Words that introduce a nickname: «الملقب "أوباما"», «المعروف باسم "..."», «يلقب بـ"..."».
NICKNAME_CUES: frozenset[str] = frozenset(
    normalize(w)
    for w in (
        "الملقب", "الملقبة", "الملقبين", "الملقبون", "الملقّب", "يلقب", "تلقب", "يلقبونه",
        "يلقبه", "يلقبها", "لقب", "لقبه", "لقبها", "بلقب", "الشهير", "الشهيرة", "المعروف",
        "المعروفة", "المكنى", "المكناة", "يكنى", "الشهير", "ويلقب", "وتلقب", "يعرف", "تعرف",
    )
)  # fmt: skip
# «المعروف باسم "..."»: the cue may stand one word before these ("اسم" alone is not a cue:
# «قميص مطبوع على ظهره اسم "بوتين"» is Putin's name).
_NAME_WORDS: frozenset[str] = frozenset(normalize(w) for w in ("اسم", "باسم", "بإسم"))
_OPEN_QUOTES = frozenset("\"«“„'‘")
_CLOSE_QUOTES = frozenset("\"»”'’")
# Between a title and the body in the text find_article matches (names never cross a newline).
_FIELD_SEPARATOR = "\n\n"

# A run of horizontal whitespace other than one plain space (the runs _collapse_spaces changes).
_HSPACE_RUN = re.compile(r"[^\S\n\r\u2028\u2029]{2,}|[^\S\n\r\u2028\u2029 ]")

# A given name's spelling variants: one of these long vowels for another (دانييل، دانيال).
LONG_VOWELS: frozenset[str] = frozenset("اي")
MIN_VARIANT_LETTERS = 6

# Candidate kinds (internal).
_NAME, _ROLE, _BLOCK = 0, 1, 2


@dataclass(frozen=True, slots=True)
class MentionSpan:
    """One mention. ``start``/``end`` index the ORIGINAL text; ``text`` is ``text[start:end]``.

    ``via`` is "name" when a name is written (also when an office phrase precedes it, then
    ``role_phrase`` is that phrase) and "role" when only the office phrase identifies the actor.
    """

    slug: str
    kind: str
    start: int
    end: int
    text: str
    via: Via
    role_phrase: str | None = None
    field: Field = "body"


@dataclass(frozen=True, slots=True)
class _Pattern:
    """What one automaton key stands for."""

    length: int
    what: int  # _NAME / _ROLE / _BLOCK
    ref: str  # entity slug (name), normalized phrase (role), "" (block)
    proclitics: frozenset[str]
    suffixes: tuple[str, ...]
    ambiguous: bool = False
    period: tuple[datetime.date | None, datetime.date | None] | None = None  # dated alias


@dataclass(slots=True)
class _Candidate:
    start: int  # collapsed-text index, proclitic included
    end: int
    what: int
    ref: str
    clitic: str
    ambiguous: bool = False
    period: tuple[datetime.date | None, datetime.date | None] | None = None
    slug: str = ""
    via: Via = "name"
    role_phrase: str | None = None


def _key(text: str) -> str:
    """The matching form of a gazetteer string: normalized, single spaces."""
    return " ".join(normalize(text).split())


def _collapse_spaces(text: str) -> tuple[str, list[int] | None]:
    """Turn runs of horizontal whitespace into one space, so "شي  جين" matches "شي جين".

    Returns the new string and, if anything changed, the map from its indices to ``text``'s
    (one entry per character plus the end). Newlines are kept: names don't run across lines.
    """
    # Hashtags join words with "_" (#فلاديمير_بوتين); matching reads it as a space (same length).
    text = text.replace("_", " ")
    runs = list(_HSPACE_RUN.finditer(text))
    if not runs:
        return text, None
    pieces: list[str] = []
    index: list[int] = []
    done = 0
    for match in runs:
        start, end = match.span()
        pieces.append(text[done:start])
        index.extend(range(done, start))
        pieces.append(" ")
        index.append(start)
        done = end
    pieces.append(text[done:])
    index.extend(range(done, len(text) + 1))
    return "".join(pieces), index


class EntityMatcher:
    """Finds the gazetteer's entities in text. Build once (it compiles an automaton), reuse."""

    def __init__(
        self,
        entities: Iterable[EntitySpec],
        *,
        non_mentions: Iterable[str] = NON_MENTIONS,
        given_names: Iterable[str] | None = None,
    ) -> None:
        self.entities: dict[str, EntitySpec] = {}
        # normalized role phrase -> [(holder slug, term)], and the original spelling for reports
        self.roles: dict[str, list[tuple[str, RoleSpec]]] = {}
        self._role_label: dict[str, str] = {}
        patterns: dict[str, list[_Pattern]] = {}

        def add(
            text: str,
            what: int,
            ref: str,
            kind: str,
            *,
            ambiguous: bool = False,
            period: tuple[datetime.date | None, datetime.date | None] | None = None,
        ) -> None:
            key = _key(text)
            if not key:
                return
            suffixes = tuple(sorted(SUFFIXES.get(kind, ()), key=len, reverse=True))
            if key.startswith("ال") and len(key) > 3:
                forms = [(key, ARTICLE_PROCLITICS), (key[1:], CONTRACTED_PROCLITICS)]
            else:
                forms = [(key, BARE_PROCLITICS)]
            for form, proclitics in forms:
                entry = _Pattern(len(form), what, ref, proclitics, suffixes, ambiguous, period)
                bucket = patterns.setdefault(form, [])
                if entry not in bucket:
                    bucket.append(entry)

        for entity in entities:
            if entity.slug in self.entities:
                raise ValueError(f"duplicate entity slug {entity.slug!r}")
            self.entities[entity.slug] = entity
            for alias in entity.all_aliases():
                period = (alias.valid_from, alias.valid_to) if alias.dated else None
                add(
                    alias.text, _NAME, entity.slug, entity.kind,
                    ambiguous=alias.ambiguous, period=period,
                )  # fmt: skip
            for role in entity.roles:
                phrase = _key(role.phrase)
                self.roles.setdefault(phrase, []).append((entity.slug, role))
                self._role_label.setdefault(phrase, role.phrase)
                add(role.phrase, _ROLE, phrase, "role")
        for phrase in non_mentions:
            add(phrase, _BLOCK, "", "block")

        # Personal-name evidence (see module doc): given names, plus every person's first words.
        # A first name is the first word of a several-word alias that is not itself a one-word
        # alias ("بوش الابن" starts with the surname).
        persons = [e for e in self.entities.values() if e.kind == "person"]
        one_word = {
            key
            for e in persons
            for key in (_key(a.text) for a in e.all_aliases())
            if " " not in key
        }
        # (slug, word) -> the words that follow it in the actor's longer names (كيم -> جونغ …)
        continuations: dict[tuple[str, str], set[str]] = {}
        for e in persons:
            for key in (_key(a.text) for a in e.all_aliases()):
                words = key.replace("-", " ").split()
                for first, second in zip(words, words[1:], strict=False):
                    continuations.setdefault((e.slug, first), set()).add(second)
        self._continuations = {k: frozenset(v) for k, v in continuations.items()}
        self._surnames: dict[str, frozenset[str]] = {
            e.slug: frozenset(
                key.split()[-1]
                for key in (_key(a.text) for a in e.all_aliases())
                if " " in key and key.split()[-1] in one_word
            )
            for e in persons
        }
        self._first_names: dict[str, frozenset[str]] = {
            e.slug: frozenset(
                key.split()[0]
                for key in (_key(a.text) for a in e.all_aliases())
                if " " in key and key.split()[0] not in one_word
            )
            for e in persons
        }
        names = load_given_names() if given_names is None else {normalize(n) for n in given_names}
        # Function words are never names (هو of هو جين تاو is a pronoun), except the Korean كي
        # as a name part after a family name (كيم كي غوان).
        every = frozenset(names).union(*self._first_names.values())
        self._given_names: frozenset[str] = every - _STOP_WORDS
        self._name_parts: frozenset[str] = self._given_names | (every & {"كي"})
        # normalized role phrase -> first words of its holders' names (any term)
        self._holder_first_names: dict[str, frozenset[str]] = {
            phrase: frozenset().union(*(self._first_names.get(slug, ()) for slug, _ in holders))
            for phrase, holders in self.roles.items()
        }

        self._automaton = ahocorasick.Automaton()
        for form, entries in patterns.items():
            self._automaton.add_word(form, tuple(entries))
        self._automaton.make_automaton()

    @classmethod
    def from_gazetteer(cls, path: str | Path | None = None) -> EntityMatcher:
        """A matcher over the shipped (or given) gazetteer JSON."""
        return cls(load_gazetteer(path))

    # --- public API -------------------------------------------------------------------------

    def resolve_role(self, phrase: str, *, published_on: datetime.date | None) -> str | None:
        """Slug of the one holder of ``phrase`` on ``published_on``; None if none or unknown date."""
        if published_on is None:
            return None
        if isinstance(published_on, datetime.datetime):
            published_on = published_on.date()
        holders = {
            slug for slug, term in self.roles.get(_key(phrase), ()) if term.covers(published_on)
        }
        return holders.pop() if len(holders) == 1 else None

    def find_article(
        self, *, title: str, body: str, published_on: datetime.date | None
    ) -> list[MentionSpan]:
        """Mentions in an article's headline and body, matched as one text.

        Each mention has ``field`` "title" or "body" and offsets into that field; title ones come
        first. One text, so an actor named in full only in the body licenses its short form in
        the headline (and the reverse), and a nickname set up in the body holds in the title.
        """
        if not title:
            return self.find(body, published_on=published_on)
        joined = title + _FIELD_SEPARATOR + body
        offset = len(title) + len(_FIELD_SEPARATOR)
        mentions: list[MentionSpan] = []
        for m in self.find(joined, published_on=published_on):
            if m.end <= len(title):
                mentions.append(replace(m, field="title"))
            elif m.start >= offset:
                mentions.append(replace(m, start=m.start - offset, end=m.end - offset))
        return mentions

    def find(self, text: str, *, published_on: datetime.date | None) -> list[MentionSpan]:
        """Mentions in ``text``, sorted by start, non-overlapping, with exact original offsets.

        ``published_on`` resolves office phrases ("الرئيس الأمريكي"); pass None when unknown and
        offices are simply not counted.
        """
        if isinstance(published_on, datetime.datetime):
            published_on = published_on.date()
        normalized = normalize_with_offsets(text)
        haystack, collapse_map = _collapse_spaces(normalized.text)
        candidates, blocks = self._candidates(haystack)
        if blocks:
            candidates = [c for c in candidates if not _overlaps_any(c, blocks)]
        kept = self._resolve(haystack, candidates, published_on)

        mentions: list[MentionSpan] = []
        last_end = -1
        for cand in sorted(kept, key=lambda c: (c.start, c.start - c.end)):
            if cand.start < last_end:
                continue
            last_end = cand.end
            start, end = cand.start, cand.end
            if collapse_map is not None:
                start, end = collapse_map[start], collapse_map[end - 1] + 1
            ostart, oend = normalized.original_span(start, end)
            while oend > ostart and unicodedata.category(text[oend - 1]) == "Cf":
                oend -= 1  # a trailing bidi mark/ZWNJ is not part of the word (harakat are kept)
            mentions.append(
                MentionSpan(
                    slug=cand.slug,
                    kind=self.entities[cand.slug].kind,
                    start=ostart,
                    end=oend,
                    text=text[ostart:oend],
                    via=cand.via,
                    role_phrase=cand.role_phrase,
                )
            )
        return mentions

    # --- internals --------------------------------------------------------------------------

    def _candidates(self, s: str) -> tuple[list[_Candidate], list[tuple[int, int]]]:
        """Every automaton hit that passes the clitic and word-boundary rules."""
        letters = ARABIC_LETTERS
        size = len(s)
        candidates: list[_Candidate] = []
        blocks: list[tuple[int, int]] = []
        for last, entries in self._automaton.iter(s):
            end = last + 1
            for pat in entries:
                begin = end - pat.length
                # proclitic: the letters glued in front of the pattern, within the same word
                word_start = begin
                while word_start > 0 and s[word_start - 1] in letters:
                    word_start -= 1
                    if begin - word_start > _MAX_PROCLITIC:
                        break
                clitic = s[word_start:begin]
                if clitic not in pat.proclitics:
                    continue
                # suffix + right boundary
                stop = -1
                for suffix in (*pat.suffixes, ""):
                    after = end + len(suffix)
                    if (not suffix or s.startswith(suffix, end)) and (
                        after == size or s[after] not in letters
                    ):
                        stop = after
                        break
                if stop < 0:
                    continue
                if pat.what == _BLOCK:
                    blocks.append((word_start, stop))
                else:
                    candidates.append(
                        _Candidate(
                            word_start, stop, pat.what, pat.ref, clitic, pat.ambiguous, pat.period
                        )
                    )
        return candidates, blocks

    def _resolve(
        self,
        s: str,
        candidates: Sequence[_Candidate],
        published_on: datetime.date | None,
    ) -> list[_Candidate]:
        """Apply the role, apposition and ambiguity rules; returns the candidates that count."""
        names = [c for c in candidates if c.what == _NAME]
        names = self._without_nicknames(s, names, candidates, published_on)
        names = self._without_namesakes(s, names, candidates, published_on)
        names = [c for c in names if not (c.ambiguous and self._another_full_name(s, c))]
        names = self._choose_dated(names, published_on)
        licensed = {c.ref for c in names if not c.ambiguous}
        names_at: dict[int, list[_Candidate]] = {}
        for cand in names:
            names_at.setdefault(cand.start, []).append(cand)

        kept: list[_Candidate] = []
        for cand in names:
            if not cand.ambiguous or cand.ref in licensed:
                cand.slug = cand.ref
                kept.append(cand)

        # Pass 1: which offices count, and which are in apposition to a written name.
        roles: list[tuple[_Candidate, _Candidate | None]] = []
        bound: dict[str, set[str]] = {}  # phrase -> holders it is written next to in this text
        for role in (c for c in candidates if c.what == _ROLE):
            if self._not_incumbent(s, role) or self._inside_other_office(s, role):
                continue
            holder_slugs = {slug for slug, _ in self.roles[role.ref]}
            follower = self._following_person(s, role, names_at)
            if follower is not None and follower.ref not in holder_slugs:
                continue  # apposed to a gazetteer person who never held it: the office is theirs
            if follower is None and self._other_name_follows(s, role):
                continue  # «الرئيس الأمريكي فرانكلين روزفلت»: a personal name no holder bears
            if follower is not None and (not follower.ambiguous or follower.ref in licensed):
                bound.setdefault(role.ref, set()).add(follower.ref)
            roles.append((role, follower))

        # Pass 2: resolve by date, except that an office the text itself ties to one named holder
        # refers to that holder throughout the text, unless the text also names the date's holder
        # (BBC calls Wang Yi "وزير الخارجية الصيني، وانغ يي" in Feb 2023, when Qin Gang, never
        # named there, held the post).
        named_by_office: set[str] = set()
        for role, follower in roles:
            resolved = self.resolve_role(role.ref, published_on=published_on)
            holders = bound.get(role.ref, set())
            if len(holders) == 1 and (resolved is None or resolved not in licensed):
                resolved = next(iter(holders))
            label = self._role_label[role.ref]
            if follower is not None and (
                not follower.ambiguous or follower.ref in licensed or follower.ref == resolved
            ):
                kept.append(
                    _Candidate(
                        role.start, follower.end, _NAME, follower.ref, role.clitic,
                        slug=follower.ref, via="name", role_phrase=label,
                    )
                )  # fmt: skip
                if follower.ambiguous and follower.ref not in licensed:
                    named_by_office.add(follower.ref)
            if resolved is not None:
                role.slug, role.via, role.role_phrase = resolved, "role", label
                kept.append(role)
        # «الزعيم الكوري الشمالي كيم ... القمة بين ترامب وكيم»: an office and the short form
        # written together name the actor, so the short form counts in the rest of the text too.
        for cand in names:
            if cand.ambiguous and cand.ref in named_by_office:
                cand.slug = cand.ref
                kept.append(cand)
        return kept

    # --- personal names next to a candidate (nicknames, namesakes, other office holders) -----

    def _own_first_name(self, word: str, slug: str) -> bool:
        """``word`` is (or misspells by a letter, two in names over five letters, none in names
        under four) one of ``slug``'s first names, with the same first letter.

        فلادمير is Putin's فلاديمير and مارك a slip for Pompeo's مايك, but جون is not جو.
        """
        own = self._first_names.get(slug, frozenset())
        if word in own:
            return True
        if len(word) < 4:
            return False  # جون is not جو
        allowed = 1 if len(word) <= 5 else 2
        return any(
            word[0] == name[0]
            and abs(len(word) - len(name)) <= allowed
            and _edit_distance(word, name) <= allowed
            for name in own
        )

    def _given_name(self, word: str) -> bool:
        """``word`` is a given name of the list, or that name with one inner long vowel written as
        another (دانييل for دانيال; ا و ي only, first and last letters kept, names of
        MIN_VARIANT_LETTERS letters or more).

        Foreign names reach Arabic news in several spellings that differ by a long vowel; no
        list holds them all, and a namesake missed by one letter takes the actor's name.
        """
        if word in self._given_names:
            return True
        if len(word) < MIN_VARIANT_LETTERS:
            return False
        return any(
            word[:i] + vowel + word[i + 1 :] in self._given_names
            for i in range(1, len(word) - 1)
            if word[i] in LONG_VOWELS
            for vowel in LONG_VOWELS - {word[i]}
        )

    def _foreign_given_name(self, word: str | None, slug: str) -> bool:
        """``word`` is a given name, and not one of ``slug``'s own."""
        if not word or not self._given_name(word):
            return False
        return not self._own_first_name(word, slug)

    def _nickname(self, s: str, cand: _Candidate) -> str | None:
        """The quoted nickname ``cand`` is part of, or None if it is not a nickname.

        «يوسف إبراهيم "أوباما"», «الملقب بـ"أوباما"»: a quoted alias after a personal name or a
        nicknaming word. «"أوباما الكردي"»، «"ترامب المكسيك"»: a quoted alias with a definite
        word after it, wherever it stands. Returns the quoted text (normalized).
        """
        if cand.clitic or self.entities[cand.ref].kind != "person":
            return None
        i = cand.start
        while i > 0 and s[i - 1] == " ":
            i -= 1
        j = cand.end
        while j < len(s) and s[j] == " ":
            j += 1
        qualified = s.startswith("ال", j)
        if qualified:
            while j < len(s) and s[j] in ARABIC_LETTERS:
                j += 1
        if i == 0 or s[i - 1] not in _OPEN_QUOTES or j == len(s) or s[j] not in _CLOSE_QUOTES:
            return None
        quoted = s[cand.start : j].strip()
        if qualified:
            return quoted
        prev, prev_start = _word_before(s, i - 1)
        if prev in ("ب", "ل"):  # «الملقب بـ"أوباما"»: the preposition stands alone before the quote
            prev, prev_start = _word_before(s, prev_start)
        if prev in _NAME_WORDS:  # «المعروف باسم "..."»
            prev, prev_start = _word_before(s, prev_start)
            return quoted if prev in NICKNAME_CUES else None
        if prev is None:
            return None
        if prev in NICKNAME_CUES or (prev[:1] in "وب" and prev[1:] in NICKNAME_CUES):
            return quoted
        return quoted if self._after_personal_name(s, cand, prev, prev_start) else None

    def _after_personal_name(self, s: str, cand: _Candidate, prev: str, prev_start: int) -> bool:
        if self._foreign_given_name(prev, cand.ref):
            return True
        second, _ = _word_before(s, prev_start)
        return prev not in _STOP_WORDS and self._foreign_given_name(second, cand.ref)

    def _named_otherwise(
        self,
        s: str,
        names: list[_Candidate],
        skip: set[int],
        candidates: Sequence[_Candidate],
        published_on: datetime.date | None,
    ) -> set[str]:
        """Actors the text names by a several-word alias or an office the date gives them."""
        refs = {
            c.ref
            for c in names
            if id(c) not in skip and not c.ambiguous and " " in s[c.start + len(c.clitic) : c.end]
        }
        for role in candidates:
            if role.what == _ROLE:
                holder = self.resolve_role(role.ref, published_on=published_on)
                if holder is not None:
                    refs.add(holder)
        return refs

    def _without_nicknames(
        self,
        s: str,
        names: list[_Candidate],
        candidates: Sequence[_Candidate],
        published_on: datetime.date | None,
    ) -> list[_Candidate]:
        """Drop nicknames and their repeats; in a text that names the actor in no other way, also
        every bare occurrence of the nickname's form («"أوباما" يسجل ثنائية» in the headline)."""
        nicknames = {id(c): q for c in names if (q := self._nickname(s, c)) is not None}
        if not nicknames:
            return names
        quoted = set(nicknames.values())
        forms = {(c.ref, s[c.start : c.end]) for c in names if id(c) in nicknames}
        named = self._named_otherwise(s, names, set(nicknames), candidates, published_on)
        kept = []
        for c in names:
            if id(c) in nicknames:
                continue
            form = s[c.start + len(c.clitic) : c.end]
            end = c.end
            while end < len(s) and (s[end] == " " or s[end] in ARABIC_LETTERS):
                end += 1  # the quoted phrase again: «"أوباما الكردي"» in the headline
            if any(s[c.start + len(c.clitic) : end].startswith(q) for q in quoted if " " in q):
                continue
            if (c.ref, form) in forms and c.ref not in named:
                continue
            kept.append(c)
        return kept

    def _namesake(self, s: str, cand: _Candidate) -> bool:
        """«جيب بوش»، «روسلان بوش»: a one-word surname alias after another given name.

        Only for a surname that ends the actor's longer names (بوش of جورج بوش); not for a
        family name written first (شي of شي جين بينغ: «أشرف شي» is "Xi supervised").
        """
        if cand.clitic or s[cand.start : cand.end] not in self._surnames.get(cand.ref, ()):
            return False
        prev, prev_start = _word_before(s, cand.start)
        if prev is not None and prev[:1] in ("و", "ف") and not self._given_name(prev):
            prev = prev[1:]  # «وروسلان بوش»
        if not self._foreign_given_name(prev, cand.ref):
            return False
        first, _ = _word_before(s, prev_start)  # «دونالد جاي ترامب»: a middle name
        return first is None or not self._own_first_name(first, cand.ref)

    def _another_full_name(self, s: str, cand: _Candidate) -> bool:
        """«كيم يونغ شول»، «كيم يو جونغ»، «كيم كارداشيان»: a short family-name alias followed by a
        name part that none of the actor's longer names continues with is someone else's name.

        «كيم جونغ- أون» (a misspelt Kim Jong Un) is kept: his own next words follow.
        """
        after = _next_word(s, cand.end)
        if after is None:
            return False
        word, end = after
        form = s[cand.start + len(cand.clitic) : cand.end]
        own = self._continuations.get((cand.ref, form), frozenset())
        if word in own:
            third = _next_word(s, end)
            return third is not None and not any(
                third[0].startswith(w) for w in self._continuations.get((cand.ref, word), ())
            )
        return word in self._name_parts

    def _without_namesakes(
        self,
        s: str,
        names: list[_Candidate],
        candidates: Sequence[_Candidate],
        published_on: datetime.date | None,
    ) -> list[_Candidate]:
        """Drop namesakes; in a text that never names the actor otherwise, the bare surname too.

        «المذيع بيلي بوش ... وكان بوش انضم»: once a text names another Bush and neither names
        "جورج بوش" nor uses an office the date gives him, its bare "بوش" is that other person.
        «ابنة الرئيس الأميركي إيفانكا ترمب ... ترمب يحاول»: the office is Trump's, so his bare
        surname still counts.
        """
        namesakes = [c for c in names if self._namesake(s, c)]
        if not namesakes:
            return names
        dropped = {id(c) for c in namesakes}
        forms = {(c.ref, s[c.start : c.end]) for c in namesakes}
        named_in_full = self._named_otherwise(s, names, dropped, candidates, published_on)
        return [
            c
            for c in names
            if id(c) not in dropped
            and (c.ref in named_in_full or (c.ref, s[c.start + len(c.clitic) : c.end]) not in forms)
        ]

    def _choose_dated(
        self, names: list[_Candidate], published_on: datetime.date | None
    ) -> list[_Candidate]:
        """One entity per dated-alias hit: the one the text names explicitly, else by date."""
        dated = [c for c in names if c.period is not None]
        if not dated:
            return names
        explicit = {c.ref for c in names if c.period is None and not c.ambiguous}
        groups: dict[tuple[int, int], list[_Candidate]] = {}
        for cand in dated:
            groups.setdefault((cand.start, cand.end), []).append(cand)
        kept = [c for c in names if c.period is None]
        for group in groups.values():
            bound = [c for c in group if c.ref in explicit]
            if len({c.ref for c in bound}) == 1:
                chosen = bound
            elif published_on is not None:
                chosen = [c for c in group if _period_covers(c.period, published_on)]
            else:
                chosen = [c for c in group if c.period[1] is None]
            if len({c.ref for c in chosen}) == 1:
                kept.append(chosen[0])
        return kept

    def _other_name_follows(self, s: str, role: _Candidate) -> bool:
        """The office is followed by a given name none of its holders bears."""
        pos = _after_apposition(s, role.end)
        end = pos
        while end < len(s) and s[end] in ARABIC_LETTERS:
            end += 1
        word = s[pos:end]
        if not word or not self._given_name(word):
            return False
        holders = {slug for slug, _ in self.roles.get(role.ref, ())}
        return not any(self._own_first_name(word, slug) for slug in holders)

    def _following_person(
        self, s: str, role: _Candidate, names_at: dict[int, list[_Candidate]]
    ) -> _Candidate | None:
        """The longest clitic-free person name right after ``role`` (", " allowed between)."""
        pos = _after_apposition(s, role.end)
        best: _Candidate | None = None
        for cand in names_at.get(pos, ()):
            if (
                not cand.clitic
                and self.entities[cand.ref].kind == "person"
                and (best is None or cand.end > best.end)
            ):
                best = cand
        return best

    @staticmethod
    def _not_incumbent(s: str, role: _Candidate) -> bool:
        """True for a former/elect/late holder ("الرئيس الأمريكي السابق"), not the office."""
        pos = role.end
        while pos < len(s) and s[pos] == " ":
            pos += 1
        for phrase in NOT_INCUMBENT:
            end = pos + len(phrase)
            if s.startswith(phrase, pos) and (end == len(s) or s[end] not in ARABIC_LETTERS):
                return True
        return False

    @staticmethod
    def _inside_other_office(s: str, role: _Candidate) -> bool:
        """True inside another person's title: "نائب الرئيس الأمريكي", "المستشار … للرئيس الروسي"."""
        first, first_start = _word_before(s, role.start)
        if first is None:
            return False
        if role.clitic.endswith("ل"):
            # ل marks possession: the owner noun may be one or two words back, with or without ال
            if _is_office_noun(first, definite=True):
                return True
            second, _ = _word_before(s, first_start)
            return second is not None and _is_office_noun(second, definite=True)
        if role.clitic:
            return False  # و/ب/ك/ف + phrase: a new constituent, not a construct
        return first == _BY_NAME_OF or _is_office_noun(first, definite=False)


def _after_apposition(s: str, pos: int) -> int:
    """Where a name in apposition would start after ``pos``: spaces, one comma, a '#'."""
    while pos < len(s) and s[pos] == " ":
        pos += 1
    if pos < len(s) and s[pos] in "،,":
        pos += 1
        while pos < len(s) and s[pos] == " ":
            pos += 1
    if pos < len(s) and s[pos] == "#":  # "الرئيس الروسي، #فلاديمير_بوتين"
        pos += 1
    return pos


def _next_word(s: str, pos: int) -> tuple[str, int] | None:
    """The Arabic word after ``pos`` across spaces and one hyphen («كيم جونغ-أون»)."""
    while pos < len(s) and s[pos] in " -":
        pos += 1
    end = pos
    while end < len(s) and s[end] in ARABIC_LETTERS:
        end += 1
    return (s[pos:end], end) if end > pos else None


def _period_covers(
    period: tuple[datetime.date | None, datetime.date | None], day: datetime.date
) -> bool:
    start, end = period
    return (start is None or day >= start) and (end is None or day < end)


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (short words only)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _word_before(s: str, index: int) -> tuple[str | None, int]:
    """The Arabic word ending just before ``index`` (spaces skipped, punctuation stops)."""
    end = index
    while end > 0 and s[end - 1] == " ":
        end -= 1
    start = end
    while start > 0 and s[start - 1] in ARABIC_LETTERS:
        start -= 1
    return (s[start:end], start) if start < end else (None, index)


def _is_office_noun(word: str, *, definite: bool) -> bool:
    """``word`` (maybe with و/ف, and with ال if ``definite``) is one of :data:`OFFICE_NOUNS`."""
    forms = [word]
    if word[:1] in ("و", "ف"):
        forms.append(word[1:])
    for form in forms:
        if form in OFFICE_NOUNS:
            return True
        if definite and form.startswith("ال") and form[2:] in OFFICE_NOUNS:
            return True
    return False


def _overlaps_any(cand: _Candidate, blocks: list[tuple[int, int]]) -> bool:
    return any(start < cand.end and cand.start < end for start, end in blocks)


@lru_cache(maxsize=1)
def default_matcher() -> EntityMatcher:
    """The matcher over the shipped gazetteer, built once per process."""
    return EntityMatcher.from_gazetteer()
