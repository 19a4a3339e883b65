"""The admin reads in Arabic when the portal does (Django's own catalogue plus ours), the upload
result is one translated sentence with its numbers, batch times are in the site's zone, and the
compiled catalogue matches its source."""

import datetime
import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from articles.models import Article, UploadBatch
from tests.upload_support import ARTICLE, confirm, upload

pytestmark = pytest.mark.django_db
LOCALE = Path(settings.BASE_DIR) / "locale" / "ar" / "LC_MESSAGES"


def test_the_committed_mo_is_compiled_from_the_po():
    with open(LOCALE / "django.po", "rb") as source:
        catalogue = read_po(source)
    with open(LOCALE / "django.mo", "rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)
    stale = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id
            got = tuple(compiled.ngettext(singular, plural, n) for n in (0, 1, 2, 3, 11, 100))
            forms = message.string
            want = tuple(forms[i] for i in (0, 1, 2, 3, 4, 5))
        else:
            got, want = compiled.gettext(message.id), message.string
        if got != want:
            stale.append(message.id)
    assert not stale, f"run `manage.py compilemessages` (msgfmt): stale in django.mo: {stale[:5]}"


def visible_text(html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_the_admin_index_and_lists_are_arabic(admin_client):
    text = visible_text(admin_client.get("/admin/").content.decode())
    for arabic in ("إدارة مرصد", "المقالات", "المصادر", "الفاعلون", "دفعات الرفع"):
        assert arabic in text
    assert "تقييد محاولات الدخول" in text  # django-axes under our name
    for english in ("Marsad administration", "Articles", "Sources", "Actors", "Upload batches"):
        assert english not in text
    Article.objects.create(title="عنوان", body="نص.", content_hash="h1")
    headers = visible_text(admin_client.get("/admin/articles/article/").content.decode())
    assert "العنوان" in headers and "تاريخ النشر" in headers and "أُنشئ في" in headers
    assert "created at" not in headers.lower() and "published on" not in headers.lower()


def test_the_upload_result_is_one_arabic_sentence_with_its_numbers(admin_client, gazetteer):
    result = confirm(admin_client, upload(admin_client, text=ARTICLE))
    page = result.content.decode()
    summary = re.search(r'<p id="upload-summary">(.*?)</p>', page, re.S).group(1)
    assert " ".join(summary.split()) == "المستوردة: 1، المكررة: 0، الفاشلة: 0"
    assert "المستوردة: 1، المكررة: 0، الفاشلة: 0" in page  # the message above the page, too
    assert "imported" not in visible_text(page).lower()


def test_batch_times_are_in_the_sites_zone(settings):
    assert settings.TIME_ZONE == "Asia/Riyadh" and settings.USE_TZ
    batch = UploadBatch.objects.create(channel=UploadBatch.Channel.ADMIN)
    UploadBatch.objects.filter(pk=batch.pk).update(
        created_at=datetime.datetime(2025, 6, 12, 11, 5, tzinfo=datetime.UTC)
    )
    batch.refresh_from_db()
    assert str(batch).endswith("2025-06-12 14:05")  # 11:05 UTC is 14:05 in Riyadh
