"""The query language, read once into the project's query tree (``articles.engines.base``).

Words, "phrases", (groups), AND / OR / NOT and a trailing * — no field names or ranges. NOT
binds to what follows it, then AND, then OR; words side by side are AND-ed last, so
``a b OR c`` is ``a AND (b OR c)``. Every word goes through the Arabic analyzer here, once: the
tree's leaves hold index terms. Words that carry nothing to search for (stop words, bare
proclitics, signs: ``articles.query_input``) are dropped, and a query left without words, a NOT
left with nothing under it, or a query reduced to "every article but …" is refused.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from articles import query_input
from articles.arabic import analyze
from articles.arabic.analysis import prefix_form
from articles.engines.base import And, Node, Not, Or, Phrase, Prefix, Term

OPERATORS = frozenset({"AND", "OR", "NOT"})
MIN_PREFIX_CHARS = 2

_PIECES = re.compile(r'"[^"]*"|[^\s"()]+|[()]')


class QuerySyntaxError(ValueError):
    """What the user typed cannot be read; ``message`` and ``values`` make the message."""

    def __init__(self, message, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values


def short_prefix() -> QuerySyntaxError:
    return QuerySyntaxError(
        _("A word ending in * needs at least %(count)s letters before the *."),
        count=MIN_PREFIX_CHARS,
    )


def _misplaced_star() -> QuerySyntaxError:
    return QuerySyntaxError(
        _("Use * only at the end of a word, as in “%(example)s”."), example="اقتصاد*"
    )


def check_syntax(text: str) -> list[str]:
    """The query's pieces (words, phrases, parentheses, operators), or QuerySyntaxError for
    what must not be read as something else (a lone AND as a word, a * inside a word)."""
    if text.count('"') % 2:
        raise QuerySyntaxError(_("A quotation mark is not closed."))
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    if depth:
        raise QuerySyntaxError(_("A parenthesis is not closed or not opened."))
    pieces = _PIECES.findall(text)
    words = [p for p in pieces if p not in "()"]
    for i, piece in enumerate(words):
        if piece not in OPERATORS:
            _check_wildcards(piece)
            continue
        before = words[i - 1] if i else None
        after = words[i + 1] if i + 1 < len(words) else None
        binary = piece != "NOT"  # NOT needs only a word after it ("a AND NOT b" is fine)
        followers = {"AND", "OR"} if binary else OPERATORS
        if after is None or after in followers or (binary and before in {None, *OPERATORS}):
            raise QuerySyntaxError(_("%(operator)s needs a word on each side."), operator=piece)
    return pieces


def _check_wildcards(piece: str) -> None:
    """A lone *, ** or ab** would scan the whole lexicon; a * or ? inside a word is refused."""
    if piece.startswith('"') or ("*" not in piece and "?" not in piece):
        return
    if not piece.strip("*?"):
        raise short_prefix()
    if piece.endswith("**") or "*" in piece.rstrip("*") or "?" in piece:
        raise _misplaced_star()


# --- building the tree: None stands for a part with no words left --------------------------


def _word(typed: str) -> Node | None:
    if typed.endswith("*"):
        if query_input.is_empty_word(typed):
            return None
        prefix = prefix_form(typed.rstrip("*"))
        if len(prefix) < MIN_PREFIX_CHARS:
            raise short_prefix()
        return Prefix(prefix)
    if query_input.is_empty_word(typed):
        return None
    terms = [t for t in analyze(typed) if query_input.has_letters(t)]
    if not terms:
        return None
    return Term(terms[0]) if len(terms) == 1 else And(tuple(Term(t) for t in terms))


def _phrase(quoted: str) -> Node | None:
    terms = [
        term
        for typed in quoted.strip('"').split()
        if not query_input.is_empty_word(typed)
        for term in analyze(typed)
    ]
    if not terms:
        return None
    return Term(terms[0]) if len(terms) == 1 else Phrase(tuple(terms))


def _and(children: list[Node | None]) -> Node | None:
    """AND-ed parts without the empty ones; None if nothing is left, or if a dropped word
    leaves only NOT parts (never "every article but …")."""
    kept = [c for c in children if c is not None]
    dropped_positive = len(kept) < len(children)
    if not kept or (dropped_positive and all(isinstance(c, Not) for c in kept)):
        return None
    return kept[0] if len(kept) == 1 else And(tuple(kept))


def _or(children: list[Node | None]) -> Node | None:
    kept = [c for c in children if c is not None]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else Or(tuple(kept))


class _Reader:
    def __init__(self, pieces: list[str]) -> None:
        self.pieces = pieces
        self.at = 0

    def peek(self) -> str | None:
        return self.pieces[self.at] if self.at < len(self.pieces) else None

    def take(self) -> str:
        self.at += 1
        return self.pieces[self.at - 1]

    def sequence(self) -> Node | None:
        """Parts side by side, AND-ed (up to a closing parenthesis or the end)."""
        parts = []
        while self.peek() not in (None, ")"):
            parts.append(self.either())
        return _and(parts)

    def either(self) -> Node | None:
        parts = [self.both()]
        while self.peek() == "OR":
            self.take()
            parts.append(self.both())
        return _or(parts)

    def both(self) -> Node | None:
        parts = [self.unary()]
        while self.peek() == "AND":
            self.take()
            parts.append(self.unary())
        return _and(parts)

    def unary(self) -> Node | None:
        piece = self.take()
        if piece == "NOT":
            inner = self.unary()
            return None if inner is None else Not(inner)
        if piece == "(":
            inner = self.sequence()
            if self.peek() == ")":
                self.take()
            return inner
        if piece.startswith('"'):
            return _phrase(piece)
        return _word(piece)


def parse(text: str) -> Node | None:
    """The tree of ``text`` (None: no searchable word); QuerySyntaxError when unreadable."""
    text = query_input.prepare(text)
    reader = _Reader(check_syntax(text))
    node = reader.sequence()
    while reader.peek() is not None:  # a stray ")" already refused; defensive for the rest
        reader.take()
    return node
