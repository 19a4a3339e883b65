"""Settings for the Marsad portal, read from the environment.

Defaults are safe for production: DEBUG is off unless asked for (DEBUG=1). The secret key is
SECRET_KEY from the environment, else the one kept in the data dir (`secret_key`, made on first
use, readable by its owner only), so `manage.py` works as written without any variable.
"""

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, *, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, *, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_flag("DEBUG", default=False)

DATA_DIR = Path(os.environ.get("MARSAD_DATA_DIR") or BASE_DIR / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def kept_secret_key(path: Path) -> str:
    """The secret key stored at `path`, created there (mode 0600) on first use."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if not key:
            raise ImproperlyConfigured(f"{path} is empty: delete it to make a new key.") from None
        return key
    key = secrets.token_urlsafe(50)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key


SECRET_KEY = os.environ.get("SECRET_KEY") or kept_secret_key(DATA_DIR / "secret_key")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] + (["testserver"] if DEBUG else [])
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "articles",  # before haystack: its rebuild_index command builds beside and swaps
    "haystack",
    "portal.apps.LoginThrottlingConfig",  # django-axes
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.StripControlsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "articles.middleware.EngineUnavailableMiddleware",  # engine down: a 503 with a message
    # django-axes after the others: it turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

LOGIN_REQUIRED = env_flag("MARSAD_LOGIN_REQUIRED", default=False)
if LOGIN_REQUIRED:
    # Licensed corpora: every page, the API included, needs a signed-in user.
    MIDDLEWARE.append("portal.middleware.PortalLoginRequiredMiddleware")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "marsad.sqlite3",
            # Concurrent writers (imports, uploads, edits): every transaction takes the write lock
            # when it begins (no deferred read-then-write deadlock), readers never wait (WAL), and
            # a writer waits up to 30 s for another's batch (one batch commits in well under 1 s).
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login throttling (admin and researcher logins alike): after AXES_FAILURE_LIMIT wrong passwords
# for one user name from one address, that pair is locked out for AXES_COOLOFF_TIME.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("MARSAD_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("MARSAD_LOGIN_COOLOFF_MINUTES", 15))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Content-Security-Policy on every response, the admin included: scripts, styles and fonts only
# from our own static files (no inline script or style, no 'unsafe-inline').
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "font-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Riyadh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
MEDIA_ROOT = DATA_DIR / "originals"
MEDIA_URL = "originals/"
STORAGES = {
    "default": {"BACKEND": "articles.storage.WholeFileStorage"},  # no partial originals
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The search engine (articles.engines.get_backend): unset, the embedded Whoosh index below;
# http(s)://host:port/name, an OpenSearch node or cluster with index alias "name".
MARSAD_SEARCH_URL = os.environ.get("MARSAD_SEARCH_URL", "")
MARSAD_SEARCH_TIMEOUT = float(os.environ.get("MARSAD_SEARCH_TIMEOUT", "5"))  # OpenSearch, seconds
MARSAD_WHOOSH_PATH = str(DATA_DIR / "whoosh_index")
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "articles.engines.whoosh.haystack.ArabicWhooshEngine",
        "PATH": MARSAD_WHOOSH_PATH,
    }
}
# Article writes queue index operations (articles.signals); the indexer applies them after commit.
HAYSTACK_SIGNAL_PROCESSOR = "articles.signals.OutboxSignalProcessor"

# Background jobs (articles.jobs): django-tasks' database backend, run by `manage.py worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Uploads and imports of more articles than this run as a job, not inside the request.
MARSAD_JOB_MIN_ARTICLES = int(os.environ.get("MARSAD_JOB_MIN_ARTICLES", 200))
# A running job whose worker has not reported for this long is taken over by the next worker.
MARSAD_JOB_STALE_SECONDS = int(os.environ.get("MARSAD_JOB_STALE_SECONDS", 60))
# Articles per page of the upload preview.
MARSAD_PREVIEW_PAGE_SIZE = int(os.environ.get("MARSAD_PREVIEW_PAGE_SIZE", 50))

# Upload limits (bytes / counts); see articles.ingest.readers.UploadLimits.
MARSAD_MAX_FILE_BYTES = int(os.environ.get("MARSAD_MAX_FILE_BYTES", 20 * 1024 * 1024))
MARSAD_MAX_ZIP_TOTAL_BYTES = int(os.environ.get("MARSAD_MAX_ZIP_TOTAL_BYTES", 200 * 1024 * 1024))
MARSAD_MAX_ZIP_ENTRIES = int(os.environ.get("MARSAD_MAX_ZIP_ENTRIES", 5000))
# Characters of text in one article: longer ones are refused by name (pages and PDFs stay cheap).
MARSAD_MAX_ARTICLE_CHARS = int(os.environ.get("MARSAD_MAX_ARTICLE_CHARS", 1_000_000))
# Articles in one PDF dossier (a search's result set); the cover says when the cap was reached.
MARSAD_DOSSIER_MAX_ARTICLES = int(os.environ.get("MARSAD_DOSSIER_MAX_ARTICLES", 500))
DATA_UPLOAD_MAX_MEMORY_SIZE = MARSAD_MAX_FILE_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 1000
# The admin upload preview posts 5 fields per article found (a zip may hold
# MARSAD_MAX_ZIP_ENTRIES articles); Django's default of 1,000 would refuse ~200.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5 * MARSAD_MAX_ZIP_ENTRIES + 100

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

# Served over HTTPS (production behind a proxy): redirect to it, cookies Secure, HSTS. `make run`
# serves plain HTTP on 127.0.0.1 with MARSAD_HTTPS=0 (DEBUG still off).
HTTPS = env_flag("MARSAD_HTTPS", default=not DEBUG)

# The language cookie is read by the server only; Secure like the session cookie in production.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"

if HTTPS:
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Saved-search digests (manage.py send_digests) go through Django's mail settings; by default
# they are printed on the console. MARSAD_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
# with Django's EMAIL_HOST/EMAIL_PORT/EMAIL_HOST_USER/EMAIL_HOST_PASSWORD variables sends them.
EMAIL_BACKEND = os.environ.get(
    "MARSAD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "marsad@localhost")
