"""Settings come from the environment with safe production defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "DATABASE_URL",
            "MARSAD_LOGIN_REQUIRED",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY="k3Y-" + os.urandom(32).hex(), MARSAD_DATA_DIR=str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_without_secret_key_one_is_made_in_the_data_dir_and_kept(tmp_path):
    code = "from django.conf import settings as s; print(s.SECRET_KEY); print(s.DEBUG)"
    first = manage("shell", "--no-imports", "-c", code, MARSAD_DATA_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    key, debug = first.stdout.split()
    stored = tmp_path / "secret_key"
    assert stored.read_text().strip() == key and len(key) >= 50
    assert stored.stat().st_mode & 0o777 == 0o600  # its owner's only
    assert debug == "False"  # DEBUG is off unless asked for
    again = manage("shell", "--no-imports", "-c", code, MARSAD_DATA_DIR=str(tmp_path))
    assert again.stdout.split()[0] == key  # sessions survive a restart
    given = manage(
        "shell", "--no-imports", "-c", code, SECRET_KEY="from-env", MARSAD_DATA_DIR=str(tmp_path)
    )
    assert given.stdout.split()[0] == "from-env"


def test_the_secret_key_file_is_never_committed():
    tracked = subprocess.run(
        ["git", "ls-files", "--", "secret_key", "*/secret_key"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert tracked.stdout == ""
    ignored = subprocess.run(["git", "check-ignore", "-q", "var/secret_key"], cwd=ROOT)
    assert ignored.returncode == 0


def test_data_dir_and_database_url_are_read_from_the_environment(tmp_path):
    code = "from django.conf import settings as s; print(s.DATABASES['default']['NAME']); print(s.HAYSTACK_CONNECTIONS['default']['PATH']); print(s.LANGUAGE_CODE, s.USE_TZ)"
    local = manage("shell", "--no-imports", "-c", code, DEBUG="1", MARSAD_DATA_DIR=str(tmp_path))
    assert local.stdout.splitlines() == [
        str(tmp_path / "marsad.sqlite3"),
        str(tmp_path / "whoosh_index"),
        "ar True",
    ]
    pg = manage(
        "shell", "--no-imports", "-c", "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'])",
        DEBUG="1", MARSAD_DATA_DIR=str(tmp_path), DATABASE_URL="postgres://u@127.0.0.1:5432/marsad",
    )  # fmt: skip
    assert pg.stdout.strip() == "django.db.backends.postgresql"


def test_login_required_flag_adds_the_middleware(tmp_path):
    code = "from django.conf import settings as s; print(s.MIDDLEWARE[-1])"
    on = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DEBUG="1",
        MARSAD_LOGIN_REQUIRED="1",
        MARSAD_DATA_DIR=str(tmp_path),
    )
    assert on.stdout.strip() == "portal.middleware.PortalLoginRequiredMiddleware"
    off = manage("shell", "--no-imports", "-c", code, DEBUG="1", MARSAD_DATA_DIR=str(tmp_path))
    assert off.stdout.strip() != "portal.middleware.PortalLoginRequiredMiddleware"


@pytest.fixture
def login_wall(settings):
    with override_settings(
        MIDDLEWARE=[*settings.MIDDLEWARE, "portal.middleware.PortalLoginRequiredMiddleware"]
    ):
        yield


@pytest.mark.django_db
def test_with_login_required_a_researcher_signs_in_to_read(client, login_wall, django_user_model):
    response = client.get("/search/?q=x")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/search/%3Fq%3Dx"
    form = client.get(response["Location"]).content.decode()
    assert "تسجيل الدخول" in form and 'name="password"' in form
    django_user_model.objects.create_user("reader", password="pw-long-enough")  # not staff
    signed_in = client.post(
        "/accounts/login/", {"username": "reader", "password": "pw-long-enough", "next": "/"}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_with_login_required_the_api_answers_401_in_json(client, login_wall):
    response = client.get("/api/search/?q=x")
    assert response.status_code == 401
    assert "Login required" in response.json()["error"]
