"""Headless Chromium under the strict Content-Security-Policy (issue 12): every page, the admin's
included, runs its scripts and styles with no violation reported, neither as a console message
nor as a `securitypolicyviolation` event, and a script URL never reaches a link."""

from __future__ import annotations

from urllib.parse import quote

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "csp-admin-password-1"  # noqa: S105 - a throwaway test account
# Collects violations from the first script that runs (Playwright injects it, the CSP allows it).
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def admin_user(seeded_server, django_db_blocker):
    from django.contrib.auth.models import User

    with django_db_blocker.unblock():
        User.objects.create_superuser("csp-admin", password=PASSWORD)
    return "csp-admin"


def violations(page, console: list[str]) -> list[str]:
    page.wait_for_load_state("networkidle")
    found = page.evaluate("window.__cspViolations")
    return found + [m for m in console if "Content Security Policy" in m or "CSP" in m]


def test_no_page_violates_the_csp(seeded_server, admin_user, browser, screenshot):
    from articles.models import Article, Entity

    article = Article.objects.order_by("pk").first()
    actor = Entity.objects.filter(mentions__isnull=False).first()
    context = browser.new_context(viewport=DESKTOP, locale="ar")
    context.add_init_script(WATCH)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    pages = {
        "home": "/",
        "search": "/search/?q=" + quote("بوتين"),
        "article": f"/articles/{article.pk}/?q=" + quote("الصين"),
        "actors": "/actors/",
        "actor": f"/actors/{actor.slug}/",
        "kwic": "/kwic/?q=" + quote("الصين"),
        "archive": "/archive/",
        "sources": "/sources/",
        "compare": "/actors/compare/?actor=vladimir-putin&actor=xi-jinping",
        "network": "/search/network/?q=" + quote("بوتين"),
        "admin-login": "/admin/login/",
    }
    for name, path in pages.items():
        console.clear()
        response = page.goto(seeded_server + path)
        assert response.status == 200, name
        assert "script-src 'self'" in response.headers["content-security-policy"], name
        assert violations(page, console) == [], name
    # the suggestions script and the article page's highlight toggle still work under the CSP
    page.goto(f"{seeded_server}/articles/{article.pk}/")
    if page.locator("#toggle-highlights").count():
        page.locator("#toggle-highlights").uncheck()
    page.fill("#site-q", "بوت")
    page.wait_for_selector("#site-q-suggestions li")

    page.goto(f"{seeded_server}/admin/login/")
    page.fill("#id_username", admin_user)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{seeded_server}/admin/")
    admin_pages = {
        "admin-index": "/admin/",
        "admin-changelist": "/admin/articles/article/",
        "admin-change": f"/admin/articles/article/{article.pk}/change/",
        "admin-upload": "/admin/articles/article/upload/",
    }
    for name, path in admin_pages.items():
        console.clear()
        response = page.goto(seeded_server + path)
        assert response.status == 200, name
        assert violations(page, console) == [], name
    console.clear()
    page.fill("textarea[name=text]", "عنوان تجريبي\n\nنص تجريبي عن زيارة لافروف إلى بكين.\n")
    page.locator("input[type=submit]").click()
    page.wait_for_selector("#preview-summary")
    assert violations(page, console) == [], "admin-upload-preview"
    screenshot(page, "csp-upload-preview.png")
    context.close()
