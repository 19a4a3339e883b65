"""The variant-group dev set (``tests/data/variant_groups.tsv``) and how an analyzer fares on it.

A ``same`` group is handled when every form gives one and the same non-empty list of terms (so
each form finds the same articles); an ``apart`` pair when the two forms share no term.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from articles.arabic.stem import snowball_stem
from articles.arabic.stopwords import STOP_WORDS
from articles.arabic.tokenize import words

DEV_SET = Path(__file__).resolve().parent.parent.parent / "tests" / "data" / "variant_groups.tsv"

Analyzer = Callable[[str], list[str]]


@dataclass(frozen=True)
class VariantGroup:
    kind: str  # "same" or "apart"
    category: str
    forms: tuple[str, ...]


def load_groups(path: Path = DEV_SET) -> list[VariantGroup]:
    groups = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, category, forms = line.split("\t")
            groups.append(VariantGroup(kind, category, tuple(forms.split())))
    return groups


def handled(group: VariantGroup, terms: list[list[str]]) -> bool:
    """Whether the terms an analyzer gave for each form satisfy the group."""
    if group.kind == "same":
        return bool(terms[0]) and all(t == terms[0] for t in terms)
    return not set(terms[0]) & set(terms[1])


def failures(groups: Iterable[VariantGroup], analyzer: Analyzer) -> list[tuple[VariantGroup, list]]:
    """The groups ``analyzer`` does not handle, each with the terms it gave per form."""
    missed = []
    for group in groups:
        terms = [analyzer(form) for form in group.forms]
        if not handled(group, terms):
            missed.append((group, terms))
    return missed


def snowball_analyze(text: str) -> list[str]:
    """The portal's analyzer with Snowball in place of the light suffix stage (for comparison)."""
    return [snowball_stem(w) for w in words(text) if w not in STOP_WORDS]
