"""Title, outlet and date of each seed, curated metadata, and the finders on their own."""

import datetime
import json
from pathlib import Path

import pytest

from articles.ingest.cleaning import split_lines
from articles.ingest.drafts import draft_from_text
from articles.ingest.errors import IngestFailure
from articles.ingest.metadata import (
    curated_facts,
    find_publication_date,
    find_signature_outlet,
    find_source_name,
    parse_curated_file,
    source_from_line,
    split_headline,
)

SEED_DIR = Path(__file__).resolve().parents[1] / "articles" / "seed_corpus"
SHARED_SEEDS = Path("/work/shared/seeds")
CURATED = json.loads((SEED_DIR / "marsad-metadata.json").read_text(encoding="utf-8"))


def seed_path(prefix: str) -> Path:
    return next(SEED_DIR.glob(f"{prefix}_*.txt"))


def seed_draft(prefix: str, *, curated: bool):
    path = seed_path(prefix)
    entry = CURATED[path.name] if curated else None
    return draft_from_text(
        path.read_text(encoding="utf-8"),
        name=path.name,
        original_bytes=path.read_bytes(),
        curated=entry,
    )


SEEDS = {
    # prefix: (title, outlet, date from the text, date after curated metadata)
    "000": (
        "واشنطن تعلن معارضتها لدعوات وقف النار فى أوكرانيا",
        "الدستور",
        None,
        datetime.date(2023, 3, 17),
    ),
    "001": (
        "روسيا وأوكرانيا: وزير الخارجية الصيني يزور موسكو على وقع اتهامات لبكين بدعم المجهود الحربي الروسي",
        "بي بي سي عربي",
        None,
        datetime.date(2023, 2, 22),
    ),
    "002": (
        "لافروف يزور الصين الإثنين والثلاثاء",
        "إيلاف",
        None,
        datetime.date(2024, 4, 7),
    ),
    "003": (
        "بعد مغادرة كيم أون.. وزير الخارجية الصيني يزور روسيا",
        "الخليج الجديد",
        datetime.date(2023, 9, 18),
        datetime.date(2023, 9, 18),
    ),
    "004": (
        "شي يلتقي بوتين ويتعهد بالدفاع عن مصالح الصين وروسيا",
        "الجزيرة",
        datetime.date(2025, 5, 8),
        datetime.date(2025, 5, 8),
    ),
}


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seed_metadata_from_the_text_alone(prefix):
    title, outlet, text_date, _ = SEEDS[prefix]
    draft = seed_draft(prefix, curated=False)
    assert draft.title == title
    assert draft.source_name == outlet
    assert draft.published_on == text_date
    expected_origin = {"title": "text", "source": "text"}
    if text_date:
        expected_origin["date"] = "text"
        assert draft.warnings == []
    else:
        assert draft.warnings == ["date not found"]
    assert draft.metadata_origin == expected_origin
    assert not draft.body.startswith(title)


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seed_metadata_with_curated_sidecar(prefix):
    title, outlet, text_date, final_date = SEEDS[prefix]
    draft = seed_draft(prefix, curated=True)
    assert (draft.title, draft.source_name, draft.published_on) == (title, outlet, final_date)
    assert draft.metadata_origin["date"] == ("text" if text_date else "curated")
    assert draft.metadata_origin["source"] == "text"  # every seed names its outlet somehow
    assert draft.warnings == []


def test_seed_draft_keeps_the_original_verbatim():
    path = seed_path("002")
    draft = seed_draft("002", curated=True)
    assert draft.original == path.read_text(encoding="utf-8")
    assert draft.original_bytes == path.read_bytes()
    assert draft.original_name == path.name
    assert draft.encoding == "utf-8"


def test_curated_sidecar_covers_every_seed_with_a_note():
    seeds = sorted(path.name for path in SEED_DIR.glob("*.txt"))
    assert sorted(CURATED) == seeds
    for entry in CURATED.values():
        datetime.date.fromisoformat(entry["published_on"])
        assert entry["note"].startswith("curated from SEEDS.md")


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="shared seed folder not present")
def test_seed_corpus_is_a_byte_for_byte_copy():
    for shared in sorted(SHARED_SEEDS.glob("*.txt")):
        assert (SEED_DIR / shared.name).read_bytes() == shared.read_bytes()


def test_caption_date_is_not_a_publication_date():
    lines = split_lines(seed_path("002").read_text(encoding="utf-8"))
    assert find_publication_date(lines) is None


def test_publication_date_line_is_read():
    lines = ["عنوان", "تاريخ النشر: 18th, September 2023 GMT", "نص."]
    assert find_publication_date(lines) == datetime.date(2023, 9, 18)
    assert find_publication_date(["عنوان", "نشر بتاريخ 28 شباط (فبراير) 2024"]) == datetime.date(
        2024, 2, 28
    )


def test_publication_date_after_the_footer_does_not_count():
    lines = ["عنوان", "نص.", "كلمات دلالية: الصين", "قصة أخرى", "تاريخ النشر: 8th, May 2025 GMT"]
    assert find_publication_date(lines) is None


def test_source_line_glued_attributions_last_one_wins():
    assert source_from_line("المصدر | فرانس برسالمصدر: الخليج الجديد") == "الخليج الجديد"
    assert source_from_line("إعلانالمصدر: الجزيرة") == "الجزيرة"
    assert source_from_line("المصدر | فرانس برس") == "فرانس برس"
    assert source_from_line("المصدر: قال مسؤول كبير في الوزارة إن الوفد سيصل غداً") == ""
    assert source_from_line("قال المصدر: لا تعليق") == ""


def test_source_line_beats_signature_and_signature_needs_no_line():
    assert find_source_name(["عنوان", "صدر الصورة، EPA", "المصدر: الجزيرة"]) == "الجزيرة"
    assert find_source_name(["عنوان", "صدر الصورة، EPA", "نص."]) == "بي بي سي عربي"
    assert find_source_name(["عنوان", "نص."]) == ""


def test_signature_matches_a_masthead_split_over_lines():
    assert find_signature_outlet("رئيس مجلسى الإدارة والتحرير\nمحمد الباز") == "الدستور"
    assert find_signature_outlet("عنوان\nنص عادي.") == ""


def test_split_headline_with_kicker_and_caption():
    lines = ["كلمة فوق العنوان", "العنوان الحقيقي", "صورة الوزير في موسكو بتاريخ 28 شباط 2024"]
    title, body = split_headline([*lines, "", "النص الأول."])
    assert title == "العنوان الحقيقي"
    assert body == ["", "النص الأول."]


def test_split_headline_without_caption_takes_the_first_line_and_keeps_the_subtitle():
    title, body = split_headline(["العنوان", "عنوان فرعي قصير", "النص."])
    assert (title, body) == ("العنوان", ["عنوان فرعي قصير", "النص."])


def test_split_headline_needs_a_short_unpunctuated_first_line():
    assert split_headline(["قال الوزير إن الزيارة ستتم الأسبوع المقبل.", "نص."]) is None
    assert split_headline([]) is None


def test_text_without_headline_or_body_raises():
    with pytest.raises(IngestFailure, match="empty"):
        draft_from_text(" \n\u00a0\n", name="blank.txt")
    with pytest.raises(IngestFailure, match="No headline") as caught:
        draft_from_text("قال الوزير إن الزيارة ستتم.\nنص آخر.", name="x.txt")
    assert caught.value.error.name == "x.txt"
    with pytest.raises(IngestFailure, match="No article text"):
        draft_from_text("عنوان وحيد", name="t.txt")


def test_curated_title_is_used_when_the_text_has_no_headline():
    draft = draft_from_text(
        "قال الوزير إن الزيارة ستتم.", name="x.txt", curated={"title": "زيارة الوزير"}
    )
    assert draft.title == "زيارة الوزير"
    assert draft.body == "قال الوزير إن الزيارة ستتم."
    assert draft.metadata_origin["title"] == "curated"


def test_curated_values_only_fill_gaps():
    text = "عنوان\nتاريخ النشر: 8th, May 2025 GMT\nنص.\nالمصدر: الجزيرة"
    curated = {"source": "مصدر آخر", "published_on": "2020-01-01"}
    draft = draft_from_text(text, name="x.txt", curated=curated)
    assert (draft.source_name, draft.published_on) == ("الجزيرة", datetime.date(2025, 5, 8))
    assert draft.metadata_origin == {"title": "text", "source": "text", "date": "text"}


def test_unparseable_date_is_flagged_not_guessed():
    draft = draft_from_text("عنوان\nتاريخ النشر: قبل ساعتين\nنص.", name="x.txt")
    assert draft.published_on is None
    assert draft.warnings == ["date could not be parsed: قبل ساعتين"]
    assert "date" not in draft.metadata_origin


def test_bad_curated_date_is_a_warning():
    facts = curated_facts({"published_on": "17/03/2023", "source": " الدستور "})
    assert facts.published_on is None
    assert facts.source == "الدستور"
    assert facts.warnings == ("curated date could not be parsed: 17/03/2023",)


def test_parse_curated_file_rejects_malformed_sidecars():
    assert parse_curated_file(b'{"a.txt": {"source": "x"}}', name="m.json") == {
        "a.txt": {"source": "x"}
    }
    with pytest.raises(IngestFailure, match="not valid JSON"):
        parse_curated_file(b"{oops", name="m.json")
    with pytest.raises(IngestFailure, match="must map file names"):
        parse_curated_file(b'["a.txt"]', name="m.json")
