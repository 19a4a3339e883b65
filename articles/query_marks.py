"""What a query marks in a text: every form of its words, and its phrases only as whole phrases.

A parsed query (the project's tree, ``articles.engines.base``; NOT parts left out) gives a :class:`QueryTerms`: single-word index
terms, prefixes, and phrases (term sequences). :func:`find_hits` then finds them in an article:

* a word is marked wherever a word of the text reaches the same index term (any clitic, spelling
  or vocalization: والرئيس, للرئيس, الرئيس);
* a phrase is marked as ONE span from its first word to its last, and only where its words stand
  at consecutive index positions, exactly as the index's phrase matching sees them (stop words in
  between are skipped by both); its words are not marked on their own;
* a span inside another (a word of the query that also opens a phrase of the query, an alias
  inside a longer alias) is left to the longer one, so KWIC lists each occurrence once.

Word terms come from ``articles.arabic.analyze`` — the index's own analyzer — applied to each
distinct word of the text that may give a query term (it holds a letter run of the term,
``articles.arabic.term_cores``: the others are not stemmed); the text is read with the Arabic
package's normalizer (exact offsets back to the original) and word pattern. What a text gives —
its normalized form and its distinct words — is kept per process (:func:`analysed_text`, an LRU
shared by every thread), so the 20 bodies of a results page are not normalized again on every
request; each query then only looks at the distinct words.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from articles.arabic import NormalizedText, analyze, normalize_with_offsets
from articles.arabic.analysis import prefix_form
from articles.arabic.term_cores import searched_forms, term_cores
from articles.arabic.tokenize import WORD_RE
from articles.engines.base import And, Node, Not, Or, Phrase, Prefix, Term

# What may continue a word after its first character (WORD_RE is ``\w[\w<marks>]*``).
_WORD_CHARS = WORD_RE.pattern[len(r"\w[") : -len("]*")]
_WORD_CHAR = re.compile(rf"[{_WORD_CHARS}]")
# A word character that is not ``\w`` (a combining mark): only one of these, standing apart from
# a word, makes a word not open a phrase or not join the one before (normalizing removes most).
_MARK = re.compile(rf"[{_WORD_CHARS.removeprefix(chr(92) + 'w')}]")


@functools.lru_cache(maxsize=65536)
def word_terms(word: str) -> tuple[str, ...]:
    """The index terms of one word of a text (empty for a stop word), as the indexer makes them."""
    return tuple(analyze(word))


@dataclass(frozen=True)
class QueryTerms:
    """The positive parts of a query, to mark them in a text (NOT parts are never marked).

    ``terms`` is every index term of those parts (what relevance ranking scores), ``words`` the
    terms that are a part on their own (marked wherever they occur), ``phrases`` the term runs
    that are marked only where they occur together.
    """

    terms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    words: frozenset[str] = frozenset()
    _memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __bool__(self) -> bool:
        return bool(self.words or self.prefixes or self.phrases)

    @functools.cached_property
    def word_cores(self) -> frozenset[str]:
        """Letter runs one of which every word giving one of ``words`` holds (``term_cores``)."""
        return frozenset().union(*map(term_cores, self.words))

    def key_for(self, word: str, found: tuple[str, ...]) -> str | None:
        """The query word or prefix a word of the text (whose index terms are ``found``)
        matches on its own, or None (memoized)."""
        try:
            return self._memo[word]
        except KeyError:
            key = self._memo[word] = self._key_for(word, found)
            return key

    def _key_for(self, word: str, found: tuple[str, ...]) -> str | None:
        for term in found:
            if term in self.words:
                return term
        if self.prefixes and found:
            bare = prefix_form(word)
            for prefix in self.prefixes:
                if bare.startswith(prefix) or any(t.startswith(prefix) for t in found):
                    return prefix + "*"
        return None


def positive_terms(node: Node) -> QueryTerms:
    """Words, prefixes and phrases of a parsed query outside its NOT parts."""
    words: set[str] = set()
    prefixes: list[str] = []
    phrases: list[tuple[str, ...]] = []
    _collect(node, words, prefixes, phrases)
    return QueryTerms(
        terms=frozenset(words.union(*phrases)),
        prefixes=tuple(dict.fromkeys(prefixes)),
        phrases=tuple(dict.fromkeys(phrases)),
        words=frozenset(words),
    )


def _collect(node: Node, terms: set, prefixes: list, phrases: list) -> None:
    if isinstance(node, Not):
        return
    if isinstance(node, Prefix):
        prefixes.append(node.text)
    elif isinstance(node, Term):
        terms.add(node.text)
    elif isinstance(node, Phrase):
        if len(node.terms) == 1:
            terms.add(node.terms[0])
        elif node.terms:
            phrases.append(tuple(node.terms))
    elif isinstance(node, (And, Or)):
        for child in node.children:
            _collect(child, terms, prefixes, phrases)


CACHED_TEXT_CHARS = 100_000  # longer texts are analysed on each call, not kept


@dataclass(frozen=True)
class AnalysedText:
    """A text as marking reads it: normalized (with offsets back) and its distinct words, each
    also as the analyzer reads it. A word is stemmed only when it holds a letter run of the
    query's terms (``articles.arabic.term_cores``) and looked up where it stands only when the
    query marks it (:meth:`spans`), a phrase's words only after where its first word stands."""

    normalized: NormalizedText
    text: str
    words: tuple[str, ...]  # distinct, first seen first
    forms: tuple[str, ...]  # each word as the analyzer reads it (``searched_forms``)

    def holding(self, cores: frozenset[str]) -> list[str]:
        """The words holding one of ``cores`` (every word when one is empty), first seen first."""
        if "" in cores:
            return list(self.words)
        forms, starts = self._forms_joined
        found: set[int] = set()
        for core in cores:
            at = forms.find(core)
            while at >= 0:
                n = bisect_right(starts, at) - 1
                found.add(n)
                at = forms.find(core, starts[n + 1]) if n + 1 < len(starts) else -1
        return [self.words[n] for n in sorted(found)]

    @functools.cached_property
    def _forms_joined(self) -> tuple[str, list[int]]:
        """The forms, line-separated, and where each starts there (a core holds no break)."""
        lengths = itertools.accumulate(map(len, self.forms[:-1]), initial=0)
        starts = list(map(operator.add, lengths, itertools.count()))  # and a break after each
        return "\n".join(self.forms), starts

    def single(self, term: str) -> frozenset[str]:
        """The words giving only ``term``."""
        return frozenset(
            word for word in self.holding(term_cores(term)) if word_terms(word.lower()) == (term,)
        )

    def spans(self, word: str) -> list[tuple[int, int]]:
        """Where ``word`` stands as a whole word of the normalized text, in order (an
        occurrence inside a longer word is not one)."""
        text, size, found = self.text, len(word), []
        start = text.find(word)
        while start >= 0:
            end = start + size
            if _opens_word(text, start) and _WORD_CHAR.match(text, end) is None:
                found.append((start, end))
            start = text.find(word, end)  # two occurrences of a whole word never overlap
        return found


def _opens_word(text: str, start: int) -> bool:
    """Whether a word of ``text`` (a run the word pattern reads whole) begins at ``start``: no
    word character before it, or only marks standing after something that is not one."""
    before = start - 1
    while before >= 0 and _MARK.match(text, before):
        before -= 1
    return before < 0 or _WORD_CHAR.match(text, before) is None


def _analyse(body: str) -> AnalysedText:
    normalized = normalize_with_offsets(body)
    text = normalized.text.replace("_", " ")  # as the tokenizer reads it
    words = tuple(dict.fromkeys(WORD_RE.findall(text)))
    return AnalysedText(
        normalized=normalized,
        text=text,
        words=words,
        forms=tuple(searched_forms(words)),
    )


_analyse_cached = functools.lru_cache(maxsize=2048)(_analyse)


def analysed_text(body: str) -> AnalysedText:
    """What ``body`` gives marking, from a per-process LRU (texts up to CACHED_TEXT_CHARS)."""
    return _analyse_cached(body) if len(body) <= CACHED_TEXT_CHARS else _analyse(body)


analysed_text.cache_clear = _analyse_cached.cache_clear


def find_hits(body: str, *, terms: QueryTerms) -> list[tuple[int, int, str]]:
    """(start, end, key) in ``body`` of every occurrence of the query's words and phrases, in
    order, none inside another; ``key`` names the query part (a term, ``prefix*`` or a phrase)."""
    if not terms:
        return []
    analysed = analysed_text(body)
    key_for = terms.key_for  # each distinct word is looked at once; no regex is built per text
    # Any word may start with a prefix; else only the words that may give one of the terms.
    candidates = analysed.words if terms.prefixes else analysed.holding(terms.word_cores)
    found = [
        (start, end, key)
        for word in candidates
        if (key := key_for(word, word_terms(word.lower())))
        for start, end in analysed.spans(word)
    ]
    if terms.phrases:
        found += _phrase_hits(analysed, terms.phrases)
    if not found:
        return []
    span_of = analysed.normalized.original_span
    return [(*span_of(start, end), key) for start, end, key in _outermost(found)]


def _phrase_hits(analysed: AnalysedText, phrases) -> list[tuple[int, int, str]]:
    hits = []
    for phrase in phrases:
        slots = tuple(analysed.single(term) for term in phrase)
        if all(slots):
            key = " ".join(phrase)
            hits += [(start, end, key) for start, end in _phrase_spans(analysed, slots)]
    return hits


def _phrase_spans(
    analysed: AnalysedText, slots: tuple[frozenset[str], ...]
) -> list[tuple[int, int]]:
    """Where consecutive words stand, one of ``slots[i]`` at each place, with only signs, spaces
    or stop words between them: from each place a word of the first slot stands, left to right,
    not overlapping."""
    text = analysed.text
    firsts = sorted(span for word in slots[0] for span in analysed.spans(word))
    found: list[tuple[int, int]] = []
    for start, end in firsts:
        if found and start < found[-1][1]:
            continue
        if start and _WORD_CHAR.match(text, start - 1):  # after a stray mark: it opens nothing
            continue
        last = _phrase_end(text, slots[1:], after=end)
        if last is not None:
            found.append((start, last))
    return found


def _phrase_end(text: str, slots: tuple[frozenset[str], ...], *, after: int) -> int | None:
    """Where the phrase's words ``slots`` end when they follow the word ending at ``after``,
    each with only signs and spaces (and stop words) before it, or None."""
    for slot in slots:
        while True:
            word = WORD_RE.search(text, after)
            if word is None or _WORD_CHAR.search(text, after, word.start()):
                return None  # the text ends, or a stray mark stands between the words
            after = word.end()
            if word.group() in slot:
                break
            if word_terms(word.group().lower()):  # not a stop word: the phrase breaks here
                return None
    return after


def _outermost(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The spans in text order without those inside another (longest first at one start)."""
    result: list[tuple[int, int, str]] = []
    reach = -1
    for start, end, key in sorted(spans, key=lambda s: (s[0], -s[1])):
        if end <= reach:
            continue
        result.append((start, end, key))
        reach = end
    return result
