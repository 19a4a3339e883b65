"""Personal names next to a candidate: nicknames, namesakes, other people's full names, and
which of several dated entities a shared form means."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from ..gazetteer import STOP_WORDS
from .records import Candidate
from .text import edit_distance, next_word, period_covers, word_before
from .vocabulary import (
    ARABIC_LETTERS,
    CLOSE_QUOTES,
    LONG_VOWELS,
    MIN_VARIANT_LETTERS,
    NAME_WORDS,
    NICKNAME_CUES,
    OPEN_QUOTES,
    ROLE,
)


class NameRules:
    """The personal-name rules of :class:`~articles.entities.matcher.EntityMatcher` (a mixin:
    it reads the entities, roles and name sets the matcher builds)."""

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
            and edit_distance(word, name) <= allowed
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

    def _nickname(self, s: str, cand: Candidate) -> str | None:
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
        if i == 0 or s[i - 1] not in OPEN_QUOTES or j == len(s) or s[j] not in CLOSE_QUOTES:
            return None
        quoted = s[cand.start : j].strip()
        if qualified:
            return quoted
        prev, prev_start = word_before(s, i - 1)
        if prev in ("ب", "ل"):  # «الملقب بـ"أوباما"»: the preposition stands alone before the quote
            prev, prev_start = word_before(s, prev_start)
        if prev in NAME_WORDS:  # «المعروف باسم "..."»
            prev, prev_start = word_before(s, prev_start)
            return quoted if prev in NICKNAME_CUES else None
        if prev is None:
            return None
        if prev in NICKNAME_CUES or (prev[:1] in "وب" and prev[1:] in NICKNAME_CUES):
            return quoted
        return quoted if self._after_personal_name(s, cand, prev, prev_start) else None

    def _after_personal_name(self, s: str, cand: Candidate, prev: str, prev_start: int) -> bool:
        if self._foreign_given_name(prev, cand.ref):
            return True
        second, _ = word_before(s, prev_start)
        return prev not in STOP_WORDS and self._foreign_given_name(second, cand.ref)

    def _named_otherwise(
        self,
        s: str,
        names: list[Candidate],
        skip: set[int],
        candidates: Sequence[Candidate],
        published_on: datetime.date | None,
    ) -> set[str]:
        """Actors the text names by a several-word alias or an office the date gives them."""
        refs = {
            c.ref
            for c in names
            if id(c) not in skip and not c.ambiguous and " " in s[c.start + len(c.clitic) : c.end]
        }
        for role in candidates:
            if role.what == ROLE:
                holder = self.resolve_role(role.ref, published_on=published_on)
                if holder is not None:
                    refs.add(holder)
        return refs

    def _without_nicknames(
        self,
        s: str,
        names: list[Candidate],
        candidates: Sequence[Candidate],
        published_on: datetime.date | None,
    ) -> list[Candidate]:
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

    def _namesake(self, s: str, cand: Candidate) -> bool:
        """«جيب بوش»، «روسلان بوش»: a one-word surname alias after another given name.

        Only for a surname that ends the actor's longer names (بوش of جورج بوش); not for a
        family name written first (شي of شي جين بينغ: «أشرف شي» is "Xi supervised").
        """
        if cand.clitic or s[cand.start : cand.end] not in self._surnames.get(cand.ref, ()):
            return False
        prev, prev_start = word_before(s, cand.start)
        if prev is not None and prev[:1] in ("و", "ف") and not self._given_name(prev):
            prev = prev[1:]  # «وروسلان بوش»
        if not self._foreign_given_name(prev, cand.ref):
            return False
        first, _ = word_before(s, prev_start)  # «دونالد جاي ترامب»: a middle name
        return first is None or not self._own_first_name(first, cand.ref)

    def _another_full_name(self, s: str, cand: Candidate) -> bool:
        """«كيم يونغ شول»، «كيم يو جونغ»، «كيم كارداشيان»: a short family-name alias followed by a
        name part that none of the actor's longer names continues with is someone else's name.

        «كيم جونغ- أون» (a misspelt Kim Jong Un) is kept: his own next words follow.
        """
        after = next_word(s, cand.end)
        if after is None:
            return False
        word, end = after
        form = s[cand.start + len(cand.clitic) : cand.end]
        own = self._continuations.get((cand.ref, form), frozenset())
        if word in own:
            third = next_word(s, end)
            return third is not None and not any(
                third[0].startswith(w) for w in self._continuations.get((cand.ref, word), ())
            )
        return word in self._name_parts

    def _without_namesakes(
        self,
        s: str,
        names: list[Candidate],
        candidates: Sequence[Candidate],
        published_on: datetime.date | None,
    ) -> list[Candidate]:
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
        self, names: list[Candidate], published_on: datetime.date | None
    ) -> list[Candidate]:
        """One entity per dated-alias hit: the one the text names explicitly, else by date."""
        dated = [c for c in names if c.period is not None]
        if not dated:
            return names
        explicit = {c.ref for c in names if c.period is None and not c.ambiguous}
        groups: dict[tuple[int, int], list[Candidate]] = {}
        for cand in dated:
            groups.setdefault((cand.start, cand.end), []).append(cand)
        kept = [c for c in names if c.period is None]
        for group in groups.values():
            bound = [c for c in group if c.ref in explicit]
            if len({c.ref for c in bound}) == 1:
                chosen = bound
            elif published_on is not None:
                chosen = [c for c in group if period_covers(c.period, published_on)]
            else:
                chosen = [c for c in group if c.period[1] is None]
            if len({c.ref for c in chosen}) == 1:
                kept.append(chosen[0])
        return kept
