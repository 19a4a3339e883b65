"""The normalizer's fast path (frequent characters by ``str.replace``, the rest by one regex)
gives exactly what one pass of ``str.translate`` over the table gives."""

from __future__ import annotations

import random
from pathlib import Path

from articles.arabic.normalize import DEFAULT_NORMALIZER, FREQUENT, CharNormalizer

SEED_DIR = Path(__file__).resolve().parent.parent / "articles" / "seed_corpus"
TABLE = DEFAULT_NORMALIZER.table


def translated(text: str, table: dict[str, str] = TABLE) -> str:
    return text.translate(str.maketrans(table))


def test_every_character_of_the_table_alone_and_between_letters():
    for char in TABLE:
        for text in (char, f"ب{char}ت", f"{char}{char} {char}ة"):
            assert DEFAULT_NORMALIZER.normalize(text) == translated(text)


def test_random_mixtures_of_table_characters_letters_and_others():
    rng = random.Random(11)
    alphabet = [*TABLE, *"ابتثجحخدذرزسشصضطظعغفقكلمنهوي", " ", "\n", "a", "Z", "7", "_", "😀"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert DEFAULT_NORMALIZER.normalize(text) == translated(text)
        normalized = DEFAULT_NORMALIZER.normalize_with_offsets(text)
        assert normalized.text == translated(text)
        assert len(normalized.offsets) == len(normalized.text) + 1


def test_news_texts():
    for path in sorted(SEED_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert DEFAULT_NORMALIZER.normalize(text) == translated(text)


def test_the_frequent_characters_are_in_the_table_and_replaced_one_by_one():
    assert set(FREQUENT) <= TABLE.keys()
    assert [char for char, _ in DEFAULT_NORMALIZER._replace] == list(FREQUENT)


def test_a_table_whose_replacements_hold_its_own_characters_is_applied_in_one_pass():
    """Replacing ا with ب and then ب with ت one after another would give ت for ا; one pass
    gives ب, and so must the normalizer."""
    table = {"ا": "ب", "ب": "ت", "أ": "ا", "ـ": ""}
    normalizer = CharNormalizer(table, frequent="اأ")
    for text in ("ا", "اب", "أاب", "ثـج"):
        assert normalizer.normalize(text) == translated(text, table)
