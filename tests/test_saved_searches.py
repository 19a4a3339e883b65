"""Saved searches: save from the search page's state, "N new since your last visit" after an
import, opening resets it, rename/delete, owners only, and the per-search Atom feed."""

import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from articles.models import SavedSearch
from tests.workbench_support import import_article

pytestmark = pytest.mark.django_db(transaction=True)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def researcher(client, seeded):
    user = get_user_model().objects.create_user("huda", "huda@example.org", "pw-123456")
    client.force_login(user)
    return user


def save(client, name, query):
    return client.post(reverse("articles:saved_list"), {"name": name, "query": query})


def test_search_page_offers_saving_to_a_signed_in_researcher_only(client, seeded):
    html = client.get(reverse("articles:search") + "?q=بوتين").content.decode()
    assert "?next=" in html and 'name="query"' not in html
    user = get_user_model().objects.create_user("huda", "", "pw-123456")
    client.force_login(user)
    html = client.get(reverse("articles:search") + "?q=بوتين&sort=date").content.decode()
    assert 'name="query" value="q=%D8%A8%D9%88%D8%AA%D9%8A%D9%86&amp;sort=date"' in html


def test_saved_list_counts_what_an_import_added_and_opening_resets_it(client, researcher):
    assert save(client, "بوتين", "?q=بوتين&page=3").status_code == 302
    saved = SavedSearch.objects.get(user=researcher)
    assert saved.query == "q=%D8%A8%D9%88%D8%AA%D9%8A%D9%86"  # page dropped
    page = client.get(reverse("articles:saved_list")).content.decode()
    assert 'data-new="0">0 جديد منذ زيارتك الأخيرة<' in page
    import_article(title="بوتين في بكين", body="وصل الرئيس بوتين إلى بكين أمس.", date="2025-06-12")
    import_article(title="طقس", body="أمطار غزيرة على الساحل.", date="2025-06-12")
    page = client.get(reverse("articles:saved_list")).content.decode()
    assert 'data-new="1">1 جديد منذ زيارتك الأخيرة<' in page
    opened = client.get(reverse("articles:saved_open", args=[saved.pk]))
    assert opened.status_code == 302 and opened["Location"] == "/search/?" + saved.query
    page = client.get(reverse("articles:saved_list")).content.decode()
    assert 'data-new="0">0 جديد منذ زيارتك الأخيرة<' in page


def test_rename_delete_and_other_users(client, researcher):
    save(client, "old", "?q=الصين")
    saved = SavedSearch.objects.get()
    client.post(reverse("articles:saved_rename", args=[saved.pk]), {"name": "  الصين  اليوم "})
    assert SavedSearch.objects.get().name == "الصين اليوم"
    assert (
        client.post(reverse("articles:saved_rename", args=[saved.pk]), {"name": " "}).status_code
        == 400
    )
    other = get_user_model().objects.create_user("sami", "", "pw-123456")
    client.force_login(other)
    assert client.get(reverse("articles:saved_open", args=[saved.pk])).status_code == 404
    assert client.post(reverse("articles:saved_delete", args=[saved.pk])).status_code == 404
    client.force_login(researcher)
    client.post(reverse("articles:saved_delete", args=[saved.pk]))
    assert not SavedSearch.objects.exists()


def test_a_search_the_page_refuses_is_not_saved(client, researcher):
    response = save(client, "bad", "?q=%22unclosed&from=2025-13-01")
    assert response.status_code == 400
    assert not SavedSearch.objects.exists()


def test_saved_searches_need_a_login(client, seeded):
    response = client.get(reverse("articles:saved_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_feed_by_token_for_readers_and_404_without(client, researcher):
    save(client, "بوتين", "?q=بوتين")
    saved = SavedSearch.objects.get()
    new = import_article(title="بوتين & جديد", body="قال بوتين اليوم.", date="2030-01-02")
    url = reverse("articles:saved_feed", args=[saved.pk])
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(url + "?token=wrong").status_code == 404
    response = client.get(url + "?token=" + saved.feed_token)
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    assert "بوتين" in feed.find(f"{ATOM}title").text
    first = feed.findall(f"{ATOM}entry")[0]
    assert first.find(f"{ATOM}title").text == new.title  # newest first
    assert first.find(f"{ATOM}summary").get("type") == "text"
    client.force_login(researcher)
    page = client.get(reverse("articles:saved_list")).content.decode()
    assert f"/saved/{saved.pk}/feed/?token={saved.feed_token}" in page


def test_send_digests_mails_what_is_new_once(client, researcher):
    save(client, "بوتين", "?q=بوتين")
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert out.getvalue().strip() == "digests sent 0, saved searches with news 0"
    import_article(title="بوتين في بكين", body="وصل الرئيس بوتين إلى بكين.", date="2025-06-12")
    out = StringIO()
    call_command("send_digests", "--base-url", "https://marsad.example.org/", stdout=out)
    assert out.getvalue().strip() == "digests sent 1, saved searches with news 1"
    assert mail.outbox[-1].to == ["huda@example.org"]
    assert "بوتين في بكين" in mail.outbox[-1].body
    assert "https://marsad.example.org/articles/" in mail.outbox[-1].body
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert out.getvalue().strip() == "digests sent 0, saved searches with news 0"


def test_feed_token_works_when_every_page_needs_a_login(client, researcher):
    from django.test import Client, modify_settings

    save(client, "بوتين", "?q=بوتين")
    saved = SavedSearch.objects.get()
    client.logout()
    url = reverse("articles:saved_feed", args=[saved.pk])
    with modify_settings(MIDDLEWARE={"append": "portal.middleware.PortalLoginRequiredMiddleware"}):
        reader = Client()  # a fresh client loads the middleware anew
        assert reader.get(reverse("articles:batch")).status_code == 302
        assert reader.get(url).status_code == 404
        assert reader.get(url + "?token=" + saved.feed_token).status_code == 200
