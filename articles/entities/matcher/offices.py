"""Office phrases in context: a former holder, another person's title, a name that follows."""

from __future__ import annotations

from .records import Candidate
from .text import after_apposition, is_office_noun, word_before
from .vocabulary import ARABIC_LETTERS, BY_NAME_OF, NOT_INCUMBENT


class OfficeRules:
    """The office rules of :class:`~articles.entities.matcher.EntityMatcher` (a mixin: it reads
    the roles the matcher builds and its given-name checks)."""

    def _other_name_follows(self, s: str, role: Candidate) -> bool:
        """The office is followed by a given name none of its holders bears."""
        pos = after_apposition(s, role.end)
        end = pos
        while end < len(s) and s[end] in ARABIC_LETTERS:
            end += 1
        word = s[pos:end]
        if not word or not self._given_name(word):
            return False
        holders = {slug for slug, _ in self.roles.get(role.ref, ())}
        return not any(self._own_first_name(word, slug) for slug in holders)

    def _following_person(
        self, s: str, role: Candidate, names_at: dict[int, list[Candidate]]
    ) -> Candidate | None:
        """The longest clitic-free person name right after ``role`` (", " allowed between)."""
        pos = after_apposition(s, role.end)
        best: Candidate | None = None
        for cand in names_at.get(pos, ()):
            if (
                not cand.clitic
                and self.entities[cand.ref].kind == "person"
                and (best is None or cand.end > best.end)
            ):
                best = cand
        return best

    @staticmethod
    def _not_incumbent(s: str, role: Candidate) -> bool:
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
    def _inside_other_office(s: str, role: Candidate) -> bool:
        """True inside another person's title: "نائب الرئيس الأمريكي", "المستشار … للرئيس الروسي"."""
        first, first_start = word_before(s, role.start)
        if first is None:
            return False
        if role.clitic.endswith("ل"):
            # ل marks possession: the owner noun may be one or two words back, with or without ال
            if is_office_noun(first, definite=True):
                return True
            second, _ = word_before(s, first_start)
            return second is not None and is_office_noun(second, definite=True)
        if role.clitic:
            return False  # و/ب/ك/ف + phrase: a new constituent, not a construct
        return first == BY_NAME_OF or is_office_noun(first, definite=False)
