"""The seed corpus through `import_articles`, as `make run` loads it: clean, idempotent, indexed."""

import datetime
import io

import pytest
from django.core.management import call_command
from haystack.query import SearchQuerySet

from articles.models import Article, UploadedFile
from tests.conftest import SEED_DIR

EXPECTED = {
    "000_577327ae98173724.txt": (
        "واشنطن تعلن معارضتها لدعوات وقف النار فى أوكرانيا",
        "الدستور",
        datetime.date(2023, 3, 17),
    ),
    "001_aa184c3cf74723ce.txt": (
        "روسيا وأوكرانيا: وزير الخارجية الصيني يزور موسكو على وقع اتهامات لبكين بدعم المجهود الحربي الروسي",
        "بي بي سي عربي",
        datetime.date(2023, 2, 22),
    ),
    "002_2b0a31d376df4e44.txt": (
        "لافروف يزور الصين الإثنين والثلاثاء",
        "إيلاف",
        datetime.date(2024, 4, 7),
    ),
    "003_eaf3ae8403d3c001.txt": (
        "بعد مغادرة كيم أون.. وزير الخارجية الصيني يزور روسيا",
        "الخليج الجديد",
        datetime.date(2023, 9, 18),
    ),
    "004_7d6114e92663cbab.txt": (
        "شي يلتقي بوتين ويتعهد بالدفاع عن مصالح الصين وروسيا",
        "الجزيرة",
        datetime.date(2025, 5, 8),
    ),
}


def run_import(*paths) -> tuple[str, int]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return out.getvalue(), code


@pytest.fixture
def gazetteer_tx(transactional_db):
    call_command("load_gazetteer", stdout=io.StringIO())


def test_seed_import_gives_clean_titles_outlets_and_dates(gazetteer_tx):
    output, code = run_import(SEED_DIR)
    assert code == 0
    assert output.strip().splitlines()[-1] == "imported 5, duplicates 0, failed 0"
    for name, (title, outlet, published_on) in EXPECTED.items():
        article = Article.objects.get(original_name=name)
        assert (article.title, article.source.name, article.published_on) == (
            title,
            outlet,
            published_on,
        )
        assert article.body and title not in article.body.split("\n\n")[0]


def test_original_bytes_are_kept_verbatim(gazetteer_tx):
    run_import(SEED_DIR)
    for name in EXPECTED:
        article = Article.objects.get(original_name=name)
        raw = (SEED_DIR / name).read_bytes()
        with article.original_file.stored.open("rb") as stored:
            assert stored.read() == raw
        assert article.original == raw.decode("utf-8")


def test_importing_twice_creates_no_duplicate_and_says_so(gazetteer_tx):
    run_import(SEED_DIR)
    output, code = run_import(SEED_DIR)
    assert code == 0
    assert Article.objects.count() == 5
    assert output.count("duplicate: ") == 5
    assert output.strip().splitlines()[-1] == "imported 0, duplicates 5, failed 0"


def test_import_indexes_after_commit(gazetteer_tx):
    run_import(SEED_DIR)
    assert SearchQuerySet().models(Article).count() == 5
    found = {int(r.pk) for r in SearchQuerySet().models(Article).auto_query("لافروف")}
    assert Article.objects.get(original_name="002_2b0a31d376df4e44.txt").pk in found


def test_bad_files_are_reported_by_name_and_the_rest_still_import(gazetteer_tx, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"   \n\n ")
    (tmp_path / "latin1.txt").write_bytes("Café crème brûlée à la française".encode("latin-1"))
    (tmp_path / "good.txt").write_bytes((SEED_DIR / "004_7d6114e92663cbab.txt").read_bytes())
    output, code = run_import(tmp_path)
    assert code == 1
    lines = output.strip().splitlines()
    assert any(line.startswith("failed: empty.txt:") for line in lines)
    assert any(line.startswith("failed: latin1.txt:") for line in lines)
    assert lines[-1] == "imported 1, duplicates 0, failed 2"
    assert list(Article.objects.values_list("original_name", flat=True)) == ["good.txt"]
    failed = UploadedFile.objects.filter(outcome=UploadedFile.Outcome.FAILED)
    assert sorted(failed.values_list("name", flat=True)) == ["empty.txt", "latin1.txt"]
    assert not Article.objects.filter(original_file__in=failed).exists()


def test_text_without_a_headline_is_refused(gazetteer_tx, tmp_path):
    (tmp_path / "no-headline.txt").write_text("..." + "\n" + "؟؟؟", encoding="utf-8")
    output, code = run_import(tmp_path)
    assert code == 1
    assert "failed: no-headline.txt:" in output
    assert Article.objects.count() == 0
