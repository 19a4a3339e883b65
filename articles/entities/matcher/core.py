"""The matcher: one Aho-Corasick automaton over every normalized form, its hits filtered by
the rules of :mod:`.names` and :mod:`.offices` (the whole list: the package docstring)."""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import ahocorasick

from articles.arabic.normalize import normalize, normalize_with_offsets

from ..gazetteer import STOP_WORDS, EntitySpec, RoleSpec, load_gazetteer
from ..given_names import load_given_names
from .names import NameRules
from .offices import OfficeRules
from .records import Candidate, MentionSpan, Pattern
from .text import collapse_spaces, key_form, overlaps_any
from .vocabulary import (
    ARABIC_LETTERS,
    ARTICLE_PROCLITICS,
    BARE_PROCLITICS,
    BLOCK,
    CONTRACTED_PROCLITICS,
    FIELD_SEPARATOR,
    MAX_PROCLITIC,
    NAME,
    NON_MENTIONS,
    ROLE,
    SUFFIXES,
)


class EntityMatcher(NameRules, OfficeRules):
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
        patterns: dict[str, list[Pattern]] = {}

        def add(
            text: str,
            what: int,
            ref: str,
            kind: str,
            *,
            ambiguous: bool = False,
            period: tuple[datetime.date | None, datetime.date | None] | None = None,
        ) -> None:
            key = key_form(text)
            if not key:
                return
            suffixes = tuple(sorted(SUFFIXES.get(kind, ()), key=len, reverse=True))
            if key.startswith("ال") and len(key) > 3:
                forms = [(key, ARTICLE_PROCLITICS), (key[1:], CONTRACTED_PROCLITICS)]
            else:
                forms = [(key, BARE_PROCLITICS)]
            for form, proclitics in forms:
                entry = Pattern(len(form), what, ref, proclitics, suffixes, ambiguous, period)
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
                    alias.text, NAME, entity.slug, entity.kind,
                    ambiguous=alias.ambiguous, period=period,
                )  # fmt: skip
            for role in entity.roles:
                phrase = key_form(role.phrase)
                self.roles.setdefault(phrase, []).append((entity.slug, role))
                self._role_label.setdefault(phrase, role.phrase)
                add(role.phrase, ROLE, phrase, "role")
        for phrase in non_mentions:
            add(phrase, BLOCK, "", "block")

        # Personal-name evidence (see module doc): given names, plus every person's first words.
        # A first name is the first word of a several-word alias that is not itself a one-word
        # alias ("بوش الابن" starts with the surname).
        persons = [e for e in self.entities.values() if e.kind == "person"]
        one_word = {
            key
            for e in persons
            for key in (key_form(a.text) for a in e.all_aliases())
            if " " not in key
        }
        # (slug, word) -> the words that follow it in the actor's longer names (كيم -> جونغ …)
        continuations: dict[tuple[str, str], set[str]] = {}
        for e in persons:
            for key in (key_form(a.text) for a in e.all_aliases()):
                words = key.replace("-", " ").split()
                for first, second in zip(words, words[1:], strict=False):
                    continuations.setdefault((e.slug, first), set()).add(second)
        self._continuations = {k: frozenset(v) for k, v in continuations.items()}
        self._surnames: dict[str, frozenset[str]] = {
            e.slug: frozenset(
                key.split()[-1]
                for key in (key_form(a.text) for a in e.all_aliases())
                if " " in key and key.split()[-1] in one_word
            )
            for e in persons
        }
        self._first_names: dict[str, frozenset[str]] = {
            e.slug: frozenset(
                key.split()[0]
                for key in (key_form(a.text) for a in e.all_aliases())
                if " " in key and key.split()[0] not in one_word
            )
            for e in persons
        }
        names = load_given_names() if given_names is None else {normalize(n) for n in given_names}
        # Function words are never names (هو of هو جين تاو is a pronoun), except the Korean كي
        # as a name part after a family name (كيم كي غوان).
        every = frozenset(names).union(*self._first_names.values())
        self._given_names: frozenset[str] = every - STOP_WORDS
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
            slug for slug, term in self.roles.get(key_form(phrase), ()) if term.covers(published_on)
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
        joined = title + FIELD_SEPARATOR + body
        offset = len(title) + len(FIELD_SEPARATOR)
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
        haystack, collapse_map = collapse_spaces(normalize(text))
        candidates, blocks = self._candidates(haystack)
        if blocks:
            candidates = [c for c in candidates if not overlaps_any(c, blocks)]
        kept = self._resolve(haystack, candidates, published_on)
        if not kept:  # most articles: no map back to the original is needed
            return []
        normalized = normalize_with_offsets(text)  # the same text, with its offsets

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

    def _candidates(self, s: str) -> tuple[list[Candidate], list[tuple[int, int]]]:
        """Every automaton hit that passes the clitic and word-boundary rules."""
        letters = ARABIC_LETTERS
        size = len(s)
        candidates: list[Candidate] = []
        blocks: list[tuple[int, int]] = []
        for last, entries in self._automaton.iter(s):
            end = last + 1
            for pat in entries:
                begin = end - pat.length
                # proclitic: the letters glued in front of the pattern, within the same word
                word_start = begin
                while word_start > 0 and s[word_start - 1] in letters:
                    word_start -= 1
                    if begin - word_start > MAX_PROCLITIC:
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
                if pat.what == BLOCK:
                    blocks.append((word_start, stop))
                else:
                    candidates.append(
                        Candidate(
                            word_start, stop, pat.what, pat.ref, clitic, pat.ambiguous, pat.period
                        )
                    )
        return candidates, blocks

    def _resolve(
        self,
        s: str,
        candidates: Sequence[Candidate],
        published_on: datetime.date | None,
    ) -> list[Candidate]:
        """Apply the role, apposition and ambiguity rules; returns the candidates that count."""
        names = [c for c in candidates if c.what == NAME]
        names = self._without_nicknames(s, names, candidates, published_on)
        names = self._without_namesakes(s, names, candidates, published_on)
        names = [c for c in names if not (c.ambiguous and self._another_full_name(s, c))]
        names = self._choose_dated(names, published_on)
        licensed = {c.ref for c in names if not c.ambiguous}
        names_at: dict[int, list[Candidate]] = {}
        for cand in names:
            names_at.setdefault(cand.start, []).append(cand)

        kept: list[Candidate] = []
        for cand in names:
            if not cand.ambiguous or cand.ref in licensed:
                cand.slug = cand.ref
                kept.append(cand)

        # Pass 1: which offices count, and which are in apposition to a written name.
        roles: list[tuple[Candidate, Candidate | None]] = []
        bound: dict[str, set[str]] = {}  # phrase -> holders it is written next to in this text
        for role in (c for c in candidates if c.what == ROLE):
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
                    Candidate(
                        role.start, follower.end, NAME, follower.ref, role.clitic,
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


@lru_cache(maxsize=1)
def default_matcher() -> EntityMatcher:
    """The matcher over the shipped gazetteer, built once per process."""
    return EntityMatcher.from_gazetteer()
