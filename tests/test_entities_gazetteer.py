"""The shipped gazetteer and its validators (articles.entities.gazetteer)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from articles.arabic.normalize import normalize
from articles.entities import (
    AliasSpec,
    EntitySpec,
    RoleSpec,
    load_gazetteer,
    validate_alias,
    validate_gazetteer,
    validate_roles,
)
from articles.entities.gazetteer import GAZETTEER_PATH, entity_to_dict
from articles.entities.matcher import EntityMatcher

REQUIRED: dict[str, str] = {
    **dict.fromkeys(
        [
            "vladimir-putin", "xi-jinping", "sergey-lavrov", "wang-yi", "nikolai-patrushev",
            "dmitry-peskov", "wang-wenbin", "mao-ning", "antony-blinken", "joe-biden",
            "donald-trump", "volodymyr-zelensky", "kim-jong-un", "mikhail-mishustin",
            "yuri-ushakov", "qin-gang", "marco-rubio",
        ],
        "person",
    ),
    **dict.fromkeys(["russia", "china", "ukraine", "united-states"], "country"),
    **dict.fromkeys(
        ["kremlin", "nato", "sco", "brics", "european-union", "russian-security-council"],
        "organization",
    ),
    **dict.fromkeys(["moscow", "beijing", "kyiv", "washington"], "place"),
}  # fmt: skip


@pytest.fixture(scope="module")
def entities() -> dict[str, EntitySpec]:
    return {e.slug: e for e in load_gazetteer()}


@pytest.fixture(scope="module")
def matcher() -> EntityMatcher:
    return EntityMatcher.from_gazetteer()


def aliases_of(entity: EntitySpec) -> set[str]:
    return {normalize(a.text) for a in entity.all_aliases()}


def test_required_slugs_with_kinds(entities: dict[str, EntitySpec]) -> None:
    for slug, kind in REQUIRED.items():
        assert slug in entities, slug
        assert entities[slug].kind == kind, slug


def test_shipped_gazetteer_is_valid(entities: dict[str, EntitySpec]) -> None:
    assert validate_gazetteer(entities.values()) == []
    for entity in entities.values():
        assert entity.name_ar and entity.name_en
        for alias in entity.all_aliases():
            assert validate_alias(alias.text) is None, (entity.slug, alias)


def test_shipped_roles_do_not_overlap(entities: dict[str, EntitySpec]) -> None:
    pairs = [(e.slug, r) for e in entities.values() for r in e.roles]
    assert len(pairs) > 50
    assert validate_roles(pairs) == []
    assert all(r.note for _, r in pairs), "every term carries a note on its source/uncertainty"


@pytest.mark.parametrize(
    ("slug", "variants"),
    [
        ("xi-jinping", ["شي جين بينج", "شي جين بينغ", "شي جينبينغ", "جينبينغ", "جين بينج", "جين بينغ"]),
        ("vladimir-putin", ["بوتين", "فلاديمير بوتين", "فلاديمير فلاديميروفيتش بوتين", "بوتن"]),
        ("sergey-lavrov", ["لافروف", "سيرغي لافروف", "سيرجي لافروف"]),
        ("wang-yi", ["وانغ يي", "وانج يي"]),
        ("dmitry-peskov", ["بيسكوف", "ديمتري بيسكوف", "دميتري بيسكوف"]),
        ("russia", ["روسيا", "روسيا الاتحادية", "الاتحاد الروسي"]),
        ("china", ["الصين", "جمهورية الصين الشعبية"]),
        ("united-states", ["الولايات المتحدة", "الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية", "أمريكا", "أميركا"]),
        ("ukraine", ["أوكرانيا"]),
        ("sco", ["منظمة شنغهاي للتعاون"]),
        ("nato", ["حلف الناتو", "الناتو"]),
    ],
)  # fmt: skip
def test_spelling_variants(entities: dict[str, EntitySpec], slug: str, variants: list[str]) -> None:
    have = aliases_of(entities[slug])
    for variant in variants:
        assert normalize(variant) in have, (slug, variant)


def test_bare_shi_is_the_only_ambiguous_xi_alias(entities: dict[str, EntitySpec]) -> None:
    ambiguous = [a.text for a in entities["xi-jinping"].all_aliases() if a.ambiguous]
    assert ambiguous == ["شي"]


def test_country_adjectives_are_not_aliases(entities: dict[str, EntitySpec]) -> None:
    every_alias = set().union(*(aliases_of(e) for e in entities.values()))
    for adjective in ["الروسي", "الروسية", "الصيني", "الصينية", "الأمريكي", "الأوكراني", "روسي"]:
        assert normalize(adjective) not in every_alias
    assert "كيف" not in every_alias  # "how": a common misspelling of Kyiv, never an alias


@pytest.mark.parametrize(
    ("phrase", "day", "holder"),
    [
        ("الرئيس الصيني", date(2023, 3, 17), "xi-jinping"),
        ("الزعيم الصيني", date(2023, 2, 22), "xi-jinping"),
        ("الرئيس الروسي", date(2024, 4, 7), "vladimir-putin"),
        ("الرئيس الروسي", date(2010, 1, 1), "dmitry-medvedev"),
        ("الرئيس الروسي", date(1990, 1, 1), None),
        ("زعيم الكرملين", date(2025, 5, 8), "vladimir-putin"),
        ("زعيم الكرملين", date(2010, 1, 1), None),
        ("وزير الخارجية الروسي", date(2023, 9, 18), "sergey-lavrov"),
        ("وزير الخارجية الصيني", date(2022, 12, 29), "wang-yi"),
        ("وزير الخارجية الصيني", date(2022, 12, 30), "qin-gang"),
        ("وزير الخارجية الصيني", date(2023, 7, 24), "qin-gang"),
        ("وزير الخارجية الصيني", date(2023, 7, 25), "wang-yi"),
        ("كبير الدبلوماسيين الصيني", date(2023, 2, 22), "wang-yi"),
        ("كبير الدبلوماسيين الصيني", date(2020, 1, 1), None),
        ("الرئيس الأمريكي", date(2021, 1, 19), "donald-trump"),
        ("الرئيس الأمريكي", date(2021, 1, 20), "joe-biden"),
        ("الرئيس الأميركي", date(2025, 1, 19), "joe-biden"),
        ("الرئيس الأميركي", date(2025, 1, 20), "donald-trump"),
        ("وزير الخارجية الأمريكي", date(2023, 2, 22), "antony-blinken"),
        ("وزير الخارجية الأميركي", date(2025, 3, 1), "marco-rubio"),
        ("الرئيس الأوكراني", date(2023, 1, 1), "volodymyr-zelensky"),
        ("رئيس الوزراء الروسي", date(2025, 5, 8), "mikhail-mishustin"),
        ("سكرتير مجلس الأمن الروسي", date(2023, 9, 18), "nikolai-patrushev"),
        ("سكرتير مجلس الأمن الروسي", date(2024, 6, 1), None),
        ("المتحدث باسم الكرملين", date(2023, 3, 17), "dmitry-peskov"),
        ("الناطق باسم الكرملين", date(2023, 3, 17), "dmitry-peskov"),
    ],
)
def test_role_terms(matcher: EntityMatcher, phrase: str, day: date, holder: str | None) -> None:
    assert matcher.resolve_role(phrase, published_on=day) == holder


def test_shared_spokesperson_office_is_not_a_role(matcher: EntityMatcher) -> None:
    # Several MFA spokespeople serve at once: the phrase cannot name one of them by date.
    phrase = "المتحدث باسم وزارة الخارجية الصينية"
    assert matcher.resolve_role(phrase, published_on=date(2023, 3, 17)) is None


@pytest.mark.parametrize("bad", ["", "   ", "ا", "و", "في", "فى", "من", "على", "ُ"])
def test_validate_alias_refuses(bad: str) -> None:
    assert validate_alias(bad) is not None


@pytest.mark.parametrize("good", ["بوتين", "شي", "الصين", "وانغ يي", "كيم جونغ-أون"])
def test_validate_alias_accepts(good: str) -> None:
    assert validate_alias(good) is None


def test_validate_roles_refuses_overlaps_and_bad_terms() -> None:
    a = RoleSpec("الرئيس الأمريكي", date(2017, 1, 20), date(2021, 1, 20))
    b = RoleSpec("الرئيس الأميركي", date(2021, 1, 20), None)  # touching, other spelling: fine
    assert validate_roles([("donald-trump", a), ("joe-biden", b)]) == []
    overlapping = RoleSpec("الرئيس الأمريكي", date(2020, 6, 1), date(2022, 1, 1))
    assert validate_roles([("donald-trump", a), ("joe-biden", overlapping)])
    # the same holder twice, and a spelling variant that normalizes to the same phrase
    assert validate_roles([("donald-trump", a), ("donald-trump", a)])
    assert validate_roles([("x", RoleSpec("الرئيس الامريكي", date(2018, 1, 1))), ("y", a)])
    # open-ended terms overlap anything later
    assert validate_roles(
        [("x", RoleSpec("الرئيس الروسي")), ("y", RoleSpec("الرئيس الروسي", date(2000, 1, 1)))]
    )
    backwards = RoleSpec("الرئيس الروسي", date(2010, 1, 1), date(2009, 1, 1))
    assert any("before it starts" in e for e in validate_roles([("x", backwards)]))


def test_validate_gazetteer_catches_clashes() -> None:
    one = EntitySpec("a", "person", "بوتين", "A", (AliasSpec("في"),))
    two = EntitySpec("b", "person", "بُوتِين", "B")
    errors = validate_gazetteer([one, two, EntitySpec("a", "planet", "مريخ", "Mars")])
    text = "\n".join(errors)
    assert "stop word" in text and "also belongs to a" in text
    assert "duplicate slug" in text and "unknown kind" in text


def test_round_trip_and_invalid_file(tmp_path: Path, entities: dict[str, EntitySpec]) -> None:
    path = tmp_path / "g.json"
    data = {"entities": [entity_to_dict(e) for e in entities.values()]}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert {e.slug: e for e in load_gazetteer(path)} == entities

    data["entities"][0]["aliases"].append({"text": "في"})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="stop word"):
        load_gazetteer(path)
    assert load_gazetteer(path, validate=False)


def test_default_path_is_the_shipped_json() -> None:
    assert GAZETTEER_PATH.name == "gazetteer.json" and GAZETTEER_PATH.is_file()
    raw = json.loads(GAZETTEER_PATH.read_text(encoding="utf-8"))
    assert len(raw["entities"]) == len(load_gazetteer())


def test_entities_package_does_not_import_django() -> None:
    package = Path(GAZETTEER_PATH).parent
    for source in package.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+django", text, re.MULTILINE), source.name
