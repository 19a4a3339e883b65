"""The actor gazetteer: plain dataclasses, the shipped JSON loader and its validators.

Pure Python (no Django): the Django models mirror these dataclasses and are converted back into
them before matching, so the matcher has one input type whatever the storage.

Terms of office are half-open, ``[valid_from, valid_to)``: ``valid_to`` is the first day the
holder no longer holds the office, usually the successor's first day. So Trump (…–2021-01-20) and
Biden (2021-01-20–…) share an end point without overlapping. ``None`` means open-ended.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any, Literal

from articles.arabic.normalize import normalize

try:  # the shared list, when the Arabic package ships one
    from articles.arabic.stopwords import STOP_WORDS as _SHARED_STOP_WORDS
except ImportError:  # pragma: no cover - fallback for a tree without it
    _SHARED_STOP_WORDS = frozenset()

EntityKind = Literal["person", "organization", "country", "place"]
ENTITY_KINDS: tuple[str, ...] = ("person", "organization", "country", "place")

GAZETTEER_PATH: Path = Path(__file__).with_name("gazetteer.json")

# Function words that must never be an alias on their own (normalized). The shared analyzer list
# is added when present; this small list keeps validation working without it.
_LOCAL_STOP_TEXT = """
في فى من الى الي علي على عن مع بين منذ حتى حتي عند لدى لدي ثم او أو ام بل لكن ان إن أن
قد لا لم لن ما كما اذا إذا لو كي هو هي هم هذا هذه ذلك تلك الذي التي الذين كل بعض غير
و ف ب ل ك يا ال
"""
STOP_WORDS: frozenset[str] = frozenset(
    normalize(word) for word in _LOCAL_STOP_TEXT.split()
) | frozenset(_SHARED_STOP_WORDS)


@dataclass(frozen=True, slots=True)
class AliasSpec:
    """One written form of an entity's name.

    ``ambiguous`` marks a short form (the bare "شي") that only counts in an article that also
    names the entity in full.

    ``valid_from``/``valid_to`` make a *dated* alias: a form several entities share (the bare
    "بوش" is George H. W. Bush before 1993-01-20 and George W. Bush after), read as this entity
    for articles published in ``[valid_from, valid_to)``. The same text may be a dated alias of
    several entities when their periods do not overlap; see the matcher for how one is chosen.
    """

    text: str
    ambiguous: bool = False
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None

    @property
    def dated(self) -> bool:
        return self.valid_from is not None or self.valid_to is not None

    def covers(self, day: datetime.date) -> bool:
        """True when ``day`` falls inside the alias's (half-open) period."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day < self.valid_to


@dataclass(frozen=True, slots=True)
class RoleSpec:
    """An office phrase held by the owning entity over ``[valid_from, valid_to)``.

    ``note`` records sources/uncertainty of the dates; it does not affect matching.
    """

    phrase: str
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    note: str = ""

    def covers(self, day: datetime.date) -> bool:
        """True when ``day`` falls inside the (half-open) term."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day < self.valid_to


@dataclass(frozen=True, slots=True)
class EntitySpec:
    """A gazetteer entry. ``name_ar`` always counts as a (non-ambiguous) alias too."""

    slug: str
    kind: EntityKind
    name_ar: str
    name_en: str
    aliases: tuple[AliasSpec, ...] = ()
    roles: tuple[RoleSpec, ...] = field(default=())

    def all_aliases(self) -> tuple[AliasSpec, ...]:
        """``name_ar`` first, then the listed aliases, without normalized duplicates."""
        seen: set[str] = set()
        result: list[AliasSpec] = []
        for alias in (AliasSpec(self.name_ar), *self.aliases):
            key = normalize(alias.text).strip()
            if key not in seen:
                seen.add(key)
                result.append(alias)
        return tuple(result)


# --- validation -------------------------------------------------------------------------------


def _letters(text: str) -> str:
    return "".join(ch for ch in normalize(text) if ch.isalpha())


def validate_alias(text: str) -> str | None:
    """Why ``text`` cannot be an alias (empty, one letter, a function word), or None if fine.

    Such aliases would tag thousands of unrelated words in every article.
    """
    if not text or not text.strip():
        return "alias is empty"
    letters = _letters(text)
    if len(letters) <= 1:
        return f"alias {text!r} has fewer than two letters"
    if " ".join(normalize(text).split()) in STOP_WORDS:
        return f"alias {text!r} is a stop word"
    return None


def _overlap(a: RoleSpec | AliasSpec, b: RoleSpec | AliasSpec) -> bool:
    """Half-open terms overlap when each starts before the other ends."""
    a_starts_before_b_ends = b.valid_to is None or a.valid_from is None or a.valid_from < b.valid_to
    b_starts_before_a_ends = a.valid_to is None or b.valid_from is None or b.valid_from < a.valid_to
    return a_starts_before_b_ends and b_starts_before_a_ends


def validate_roles(roles: Iterable[tuple[str, RoleSpec]]) -> list[str]:
    """Errors in (holder_slug, role) pairs: bad terms, and overlapping terms of one phrase.

    An office phrase must resolve to at most one holder on any date, whether the overlapping
    terms belong to different holders or to the same one.
    """
    errors: list[str] = []
    by_phrase: dict[str, list[tuple[str, RoleSpec]]] = {}
    for slug, role in roles:
        if validate_alias(role.phrase) is not None:
            errors.append(f"{slug}: role phrase {role.phrase!r} is unusable")
        if (
            role.valid_from is not None
            and role.valid_to is not None
            and role.valid_to <= role.valid_from
        ):
            errors.append(
                f"{slug}: role {role.phrase!r} ends ({role.valid_to}) "
                f"before it starts ({role.valid_from})"
            )
        key = " ".join(normalize(role.phrase).split())
        by_phrase.setdefault(key, []).append((slug, role))
    for holders in by_phrase.values():
        for (slug_a, a), (slug_b, b) in combinations(holders, 2):
            if _overlap(a, b):
                who = slug_a if slug_a == slug_b else f"{slug_a} and {slug_b}"
                errors.append(
                    f"role {a.phrase!r}: overlapping terms for {who}: "
                    f"{a.valid_from}..{a.valid_to} / {b.valid_from}..{b.valid_to}"
                )
    return errors


def validate_gazetteer(entities: Iterable[EntitySpec]) -> list[str]:
    """All errors of a gazetteer: slugs, kinds, aliases, alias clashes and role terms.

    Two entities may share an alias only when both copies are dated and their periods do not
    overlap (the bare "بوش"), so that any date reads it as one of them.
    """
    errors: list[str] = []
    owner: dict[str, str] = {}
    dated: dict[str, list[tuple[str, AliasSpec]]] = {}
    slugs: set[str] = set()
    roles: list[tuple[str, RoleSpec]] = []
    for entity in entities:
        if entity.slug in slugs:
            errors.append(f"duplicate slug {entity.slug!r}")
        slugs.add(entity.slug)
        if entity.kind not in ENTITY_KINDS:
            errors.append(f"{entity.slug}: unknown kind {entity.kind!r}")
        for alias in entity.all_aliases():
            problem = validate_alias(alias.text)
            if problem:
                errors.append(f"{entity.slug}: {problem}")
                continue
            key = " ".join(normalize(alias.text).split())
            if alias.dated:
                dated.setdefault(key, []).append((entity.slug, alias))
                continue
            if owner.setdefault(key, entity.slug) != entity.slug:
                errors.append(f"alias {alias.text!r} of {entity.slug} also belongs to {owner[key]}")
        roles.extend((entity.slug, role) for role in entity.roles)
    for key, copies in dated.items():
        if key in owner:
            errors.append(
                f"dated alias {copies[0][1].text!r} is also an undated alias of {owner[key]}"
            )
        for (slug_a, a), (slug_b, b) in combinations(copies, 2):
            if _overlap(a, b):
                errors.append(
                    f"dated alias {a.text!r}: overlapping periods for {slug_a} and {slug_b}: "
                    f"{a.valid_from}..{a.valid_to} / {b.valid_from}..{b.valid_to}"
                )
    errors.extend(validate_roles(roles))
    return errors


# --- loading ----------------------------------------------------------------------------------


def _date(value: Any, where: str) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: bad date {value!r}") from exc


def entity_from_dict(data: Mapping[str, Any]) -> EntitySpec:
    """Build one :class:`EntitySpec` from its JSON object; raises ValueError on bad shape."""
    slug = data.get("slug")
    if not isinstance(slug, str) or not slug:
        raise ValueError(f"entity without a slug: {data!r}")
    for key in ("kind", "name_ar", "name_en"):
        if not isinstance(data.get(key), str):
            raise ValueError(f"{slug}: missing or non-string {key!r}")
    aliases = []
    for item in data.get("aliases", []):
        if isinstance(item, str):
            aliases.append(AliasSpec(item))
        else:
            aliases.append(
                AliasSpec(
                    item["text"],
                    bool(item.get("ambiguous", False)),
                    valid_from=_date(item.get("valid_from"), f"{slug} alias {item['text']}"),
                    valid_to=_date(item.get("valid_to"), f"{slug} alias {item['text']}"),
                )
            )
    roles = tuple(
        RoleSpec(
            phrase=item["phrase"],
            valid_from=_date(item.get("valid_from"), f"{slug} {item['phrase']}"),
            valid_to=_date(item.get("valid_to"), f"{slug} {item['phrase']}"),
            note=item.get("note", ""),
        )
        for item in data.get("roles", [])
    )
    return EntitySpec(
        slug=slug,
        kind=data["kind"],
        name_ar=data["name_ar"],
        name_en=data["name_en"],
        aliases=tuple(aliases),
        roles=roles,
    )


def _alias_to_dict(alias: AliasSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"text": alias.text}
    if alias.ambiguous:
        data["ambiguous"] = True
    if alias.dated:
        data["valid_from"] = alias.valid_from.isoformat() if alias.valid_from else None
        data["valid_to"] = alias.valid_to.isoformat() if alias.valid_to else None
    return data


def entity_to_dict(entity: EntitySpec) -> dict[str, Any]:
    """The JSON object for ``entity`` (inverse of :func:`entity_from_dict`)."""
    return {
        "slug": entity.slug,
        "kind": entity.kind,
        "name_ar": entity.name_ar,
        "name_en": entity.name_en,
        "aliases": [_alias_to_dict(a) for a in entity.aliases],
        "roles": [
            {
                "phrase": r.phrase,
                "valid_from": r.valid_from.isoformat() if r.valid_from else None,
                "valid_to": r.valid_to.isoformat() if r.valid_to else None,
                **({"note": r.note} if r.note else {}),
            }
            for r in entity.roles
        ],
    }


def load_gazetteer(path: str | Path | None = None, *, validate: bool = True) -> list[EntitySpec]:
    """Load the gazetteer JSON (default: the shipped ``gazetteer.json``).

    With ``validate`` (the default) a gazetteer with any error raises ValueError listing them all,
    so bad data never reaches the matcher silently.
    """
    source = Path(path) if path is not None else GAZETTEER_PATH
    with source.open(encoding="utf-8") as handle:
        data = json.load(handle)
    items = data["entities"] if isinstance(data, dict) else data
    entities = [entity_from_dict(item) for item in items]
    if validate:
        errors = validate_gazetteer(entities)
        if errors:
            raise ValueError(f"invalid gazetteer {source}:\n" + "\n".join(errors))
    return entities
