"""From the words of a query to actors and synonyms: alias expansion, Latin names, the synonym
table, and the actor filter offer.

* **Every alias.** A query word or run of words that is an actor's alias (شي جين بينغ, ترمب, وانج يي)
  is replaced by all of that actor's aliases OR-ed together, each multi-word alias as a phrase, so
  ``ترامب`` also finds articles that only write ``ترمب``, and the marks cover each form found.
* **Latin names.** An actor's English name (``Entity.name_en``) and the Latin aliases of the
  shipped gazetteer (``aliases_en``) are aliases too: ``Putin`` or ``xi jinping`` search the
  Arabic forms. Case does not matter, and neither does spacing (``XiJinping``, ``xi jin ping``):
  a run of query words is recognized by its terms joined without spaces.
* **Office titles.** Unquoted words that are an office title of the gazetteer (وزير الخارجية الروسي,
  any of its periods) name its holders: they are replaced by the title as a phrase OR-ed with every
  alias of each holder, so a story that says only «لافروف» is found. A quoted title stays the
  phrase typed, and a name never expands to its holder's titles.
* **Synonyms.** Unquoted words that are a phrase of the synonym table (``articles/arabic/data/
  synonyms.tsv``: المونديال and كأس العالم) are OR-ed with the other phrases of their group.
* **The actor filter offer.** The actors a query names (outside its NOT parts) are offered as a
  filter, with the number of articles that mention them (``?actor=<slug>``).

Aliases are read from the database (the curated gazetteer), rebuilt when it changes. Their words
go through ``articles.arabic.analyze``, the index's own analyzer, so a recognized alias and the
phrases it expands to are in exactly the index's terms. Ambiguous aliases (the bare "شي") neither
trigger an expansion nor are added by one.
"""

from __future__ import annotations

import functools
import json
import threading
from dataclasses import dataclass

from articles import selectors
from articles.arabic import analyze as index_terms
from articles.arabic.synonyms import longest_synonym, synonym_groups
from articles.engines.base import And, Node, Not, Or, Phrase, Term
from articles.entities.gazetteer import GAZETTEER_PATH
from articles.models import Alias, Entity, Role

Seq = tuple[str, ...]


@functools.cache
def latin_aliases() -> dict[str, tuple[str, ...]]:
    """Latin-script aliases by slug, from the shipped gazetteer's ``aliases_en`` (besides
    ``name_en``, which the database holds)."""
    with GAZETTEER_PATH.open(encoding="utf-8") as handle:
        data = json.load(handle)
    items = data["entities"] if isinstance(data, dict) else data
    return {item["slug"]: tuple(item.get("aliases_en", ())) for item in items}


def _key(seq: Seq) -> str:
    return "".join(seq)


@dataclass(frozen=True)
class AliasIndex:
    """Actors by the joined index terms of each alias, each actor's aliases as term runs, and the
    holders of each office title by its joined terms."""

    by_key: dict[str, frozenset[str]]
    forms: dict[str, tuple[Seq, ...]]
    longest: int  # the most query words one alias or title may span
    holders: dict[str, frozenset[str]]

    @classmethod
    def build(cls, names: dict[str, list[str]], titles: dict[str, list[str]]) -> AliasIndex:
        by_key: dict[str, set[str]] = {}
        forms: dict[str, tuple[Seq, ...]] = {}
        longest = 1
        for slug, texts in names.items():
            seqs: dict[Seq, None] = {}
            for text in texts:
                seq = tuple(index_terms(text))
                if not seq:
                    continue
                seqs[seq] = None
                longest = max(longest, len(seq))
                by_key.setdefault(_key(seq), set()).add(slug)
                joined = tuple(index_terms("".join(text.split())))  # "XiJinping", "جينبينغ"
                if joined:
                    by_key.setdefault(_key(joined), set()).add(slug)
            forms[slug] = tuple(seqs)
        holders: dict[str, set[str]] = {}
        for slug, texts in titles.items():
            for text in texts:
                seq = tuple(index_terms(text))
                if seq:
                    longest = max(longest, len(seq))
                    holders.setdefault(_key(seq), set()).add(slug)
        return cls(
            {k: frozenset(v) for k, v in by_key.items()},
            forms,
            longest,
            {k: frozenset(v) for k, v in holders.items()},
        )

    def actors(self, seq: Seq, *, titles: bool = False) -> frozenset[str]:
        """The actors ``seq`` is an alias of; with ``titles``, else the holders of the office
        title it is."""
        found = self.by_key.get(_key(seq), frozenset())
        return found or (self.holders.get(_key(seq), frozenset()) if titles else found)

    def alternatives(self, slugs, typed: Seq) -> tuple[Seq, ...]:
        """Every alias of these actors (the typed form first), without duplicates."""
        found: dict[Seq, None] = {typed: None}
        for slug in sorted(slugs):
            found.update(dict.fromkeys(self.forms.get(slug, ())))
        return tuple(found)


@dataclass(frozen=True)
class Gazetteer:
    """What searches read of the curated gazetteer: the alias index and each actor's Arabic name
    and kind by slug, as of ``stamp`` (``selectors.gazetteer_stamp``)."""

    stamp: tuple
    aliases: AliasIndex
    actors: dict[str, tuple[str, str]]


_lock = threading.Lock()
_cached: list[Gazetteer] = []


def gazetteer() -> Gazetteer:
    """The gazetteer kept per process (shared by its threads), rebuilt when an actor, alias or
    role changed: one query checks."""
    stamp = selectors.gazetteer_stamp()
    with _lock:
        if not _cached or _cached[0].stamp != stamp:
            actors = {
                slug: (name_ar, kind)
                for slug, name_ar, kind in Entity.objects.values_list("slug", "name_ar", "kind")
            }
            _cached[:] = [Gazetteer(stamp, AliasIndex.build(_names(), _titles()), actors)]
        return _cached[0]


def alias_index() -> AliasIndex:
    """The aliases of the curated gazetteer, rebuilt when an actor or alias changed."""
    return gazetteer().aliases


def actor_names(slugs) -> dict[str, str]:
    """The Arabic name of each of these actors that exists, by slug."""
    actors = gazetteer().actors
    return {slug: actors[slug][0] for slug in slugs if slug in actors}


def _names() -> dict[str, list[str]]:
    latin = latin_aliases()
    names: dict[str, list[str]] = {}
    for slug, name_ar, name_en in Entity.objects.values_list("slug", "name_ar", "name_en"):
        names[slug] = [name_ar, name_en, *latin.get(slug, ())]
    for slug, text in Alias.objects.filter(ambiguous=False).values_list("entity__slug", "text"):
        names.setdefault(slug, []).append(text)
    return names


def _titles() -> dict[str, list[str]]:
    titles: dict[str, list[str]] = {}
    for slug, phrase in Role.objects.values_list("holder__slug", "phrase"):
        titles.setdefault(slug, []).append(phrase)
    return titles


# --- expanding a parsed query -------------------------------------------------------------------


@dataclass(frozen=True)
class Expanded:
    """The query to match (aliases OR-ed, runs contained in a shorter alias left out), the query
    to mark (every alias, so the longest written form is marked) and the actors it names."""

    query: Node
    marks: Node
    actors: tuple[str, ...]


def _node(seq: Seq) -> Node:
    return Term(seq[0]) if len(seq) == 1 else Phrase(tuple(seq))


def _contains(longer: Seq, shorter: Seq) -> bool:
    n = len(shorter)
    return n < len(longer) and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _either(seqs: tuple[Seq, ...], *, prune: bool) -> Node:
    if prune:  # "دونالد ترامب" finds nothing that "ترامب" does not
        seqs = tuple(s for s in seqs if not any(_contains(s, other) for other in seqs))
    nodes = [_node(seq) for seq in seqs]
    return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))


def _plain(node: Node) -> bool:
    return isinstance(node, Term) and not node.fields


def expand_actor_aliases(parsed: Node, index: AliasIndex | None = None) -> Expanded:
    """``parsed`` with every actor alias it names replaced by all of that actor's aliases."""
    index = alias_index() if index is None else index
    found: dict[str, None] = {}
    matched = _expand(parsed, index, prune=True, positive=True, found={})
    marks = _expand(parsed, index, prune=False, positive=True, found=found)
    return Expanded(query=matched, marks=marks, actors=tuple(found))


def _expand(node: Node, index: AliasIndex, *, prune: bool, positive: bool, found: dict) -> Node:
    def again(child, positive=positive):
        return _expand(child, index, prune=prune, positive=positive, found=found)

    def replaced(seq: Seq, *, titles: bool = True):
        slugs = index.actors(seq, titles=titles)
        if not slugs:
            return None
        if positive:
            found.update(dict.fromkeys(sorted(slugs)))
        return _either(index.alternatives(slugs, seq), prune=prune)

    if _plain(node):
        return replaced((node.text,)) or node
    if isinstance(node, Phrase) and not node.fields and node.terms:
        return replaced(tuple(node.terms), titles=False) or node
    if isinstance(node, And):
        return _joined(And, _unique(_runs(node.children, index.longest, replaced, again)))
    if isinstance(node, Not):
        return Not(again(node.child, positive=False))
    if isinstance(node, Or):
        return _joined(Or, _unique([again(child) for child in node.children]))
    return node


def _joined(kind, nodes: list) -> Node:
    return nodes[0] if len(nodes) == 1 else kind(tuple(nodes))


def _unique(nodes: list) -> list:
    """AND-ed or OR-ed parts without repeats (a name typed ten times is matched once)."""
    kept: list = []
    for node in nodes:
        if node not in kept:
            kept.append(node)
    return kept


def _runs(children, longest: int, replaced, again) -> list:
    """AND-ed words: the longest run (up to ``longest`` words, two more for the words a name may
    span in the query) of consecutive plain words that ``replaced`` replaces, left to right."""
    out = []
    i = 0
    while i < len(children):
        for j in range(min(len(children), i + longest + 2), i + 1, -1):
            run = children[i:j]
            if all(_plain(c) for c in run):
                node = replaced(tuple(c.text for c in run))
                if node is not None:
                    out.append(node)
                    i = j
                    break
        else:
            out.append(again(children[i]))
            i += 1
    return out


# --- synonyms ------------------------------------------------------------------------------------


def expand_synonyms(node: Node) -> Node:
    """``node`` with every unquoted word or run of words that is a phrase of the synonym table
    (``articles.arabic.synonyms``) OR-ed with the other phrases of its group: the typed words
    stay as typed (AND-ed), each other phrase is a phrase. A quoted phrase is what was typed."""
    groups = synonym_groups()

    def replaced(seq: Seq) -> Node | None:
        phrases = groups.get(seq)
        if phrases is None:
            return None
        typed = _node(seq) if len(seq) == 1 else And(tuple(Term(term) for term in seq))
        return Or((typed, *(_node(phrase) for phrase in phrases[1:])))

    def again(child: Node) -> Node:
        return expand_synonyms(child)

    if _plain(node):
        return replaced((node.text,)) or node
    if isinstance(node, And):
        return _joined(And, _runs(node.children, longest_synonym(), replaced, again))
    if isinstance(node, Or):
        return Or(tuple(again(child) for child in node.children))
    if isinstance(node, Not):
        return Not(again(node.child))
    return node


# --- the actor filter offer ---------------------------------------------------------------------


@dataclass(frozen=True)
class ActorOffer:
    slug: str
    name: str
    kind: str
    count: int
    url: str  # this search's other filters, the actor instead of the words


def actor_offers(params, slugs, *, count_for) -> list[ActorOffer]:
    """The actors a query names as filters, each with the number of articles mentioning it under
    the search's other filters (``count_for(slug)``); those already filtered on are left out."""
    wanted = [slug for slug in slugs if slug not in params.actors]
    if not wanted:
        return []
    actors = gazetteer().actors
    return [
        ActorOffer(
            slug=slug,
            name=actors[slug][0],
            kind=actors[slug][1],
            count=count_for(slug),
            url=params.url(q="", actors=(*params.actors, slug)),
        )
        for slug in wanted
        if slug in actors
    ]


def actor_named(text: str) -> str | None:
    """The slug of the one actor ``text`` names whole (an unambiguous alias, Arabic or Latin, any
    clitic or spelling form the index folds), else None (no actor, or several share it)."""
    terms = tuple(index_terms(text))
    if not terms:
        return None
    slugs = alias_index().by_key.get(_key(terms), frozenset())
    return next(iter(slugs)) if len(slugs) == 1 else None
