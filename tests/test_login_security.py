"""Logins are throttled and cookies carry their flags (issue 12): at the fifth wrong password the
admin and the researcher logins lock that user out with a message, even for the right password;
every cookie the portal sets is HttpOnly and SameSite=Lax, and Secure in production; every page,
the admin included, carries a strict Content-Security-Policy."""

import os

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.test_foundation_settings import manage

pytestmark = pytest.mark.django_db
LOCKED = "Signing in with this user name is blocked for a while"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    User.objects.create_superuser("editor", password="right-password-123")
    return client


@pytest.mark.parametrize("url", ["/admin/login/", "/accounts/login/"])
def test_repeated_failures_lock_the_user_out(english, url):
    for _ in range(4):
        response = english.post(url, {"username": "editor", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    for password in ("wrong", "right-password-123"):  # the fifth failure locks, then even the
        response = english.post(url, {"username": "editor", "password": password})  # right one
        assert response.status_code == 429
        assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in english.session
    assert Client().get("/admin/").status_code == 302  # still not signed in anywhere


def test_a_success_before_the_limit_resets_the_count(english):
    for _ in range(4):
        english.post("/admin/login/", {"username": "editor", "password": "wrong"})
    response = english.post(
        "/admin/login/", {"username": "editor", "password": "right-password-123"}
    )
    assert response.status_code == 302 and "_auth_user_id" in english.session


def test_the_language_cookie_has_its_flags(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    cookie = response.cookies["django_language"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_production_cookies_are_secure(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.LANGUAGE_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_SAMESITE)"
    )
    result = manage(
        "shell", "--no-imports", "-c", code,
        DEBUG="0", SECRET_KEY="k3Y-" + os.urandom(32).hex(), MARSAD_DATA_DIR=str(tmp_path),
    )  # fmt: skip
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "Lax"], result.stderr


@pytest.mark.parametrize("url", ["/", "/search/?q=x", "/admin/login/", "/accounts/login/"])
def test_every_page_has_a_strict_csp(client, url):
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["font-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
