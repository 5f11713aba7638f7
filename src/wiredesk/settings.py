"""Django settings: everything comes from the environment through wiredesk.config.

The embedded default needs nothing set: SQLite in WAL mode under WIREDESK_DATA_DIR and a secret
key generated once and kept beside it.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url

from wiredesk.config import read_settings

CONFIG = read_settings()
DATA_DIR: Path = CONFIG["WIREDESK_DATA_DIR"]
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use the configured key, else one generated on first start and kept in the data folder."""
    if CONFIG["WIREDESK_SECRET_KEY"]:
        return str(CONFIG["WIREDESK_SECRET_KEY"])
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database() -> dict[str, object]:
    url = CONFIG["DATABASE_URL"]
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "wiredesk.sqlite3"),
            "OPTIONS": {
                # WAL lets the site read while a worker writes; IMMEDIATE takes the write lock at
                # BEGIN so two writers queue instead of failing with "database is locked" mid-way.
                # The page cache: see WIREDESK_SQLITE_CACHE_MB (negative: in KiB, not pages).
                # A checkpoint every 10,000 pages (40 MB) of WAL, not SQLite's 1,000: story placement
                # dirties index pages all over the file, and each checkpoint writes the ones changed
                # since the last and syncs; ten times fewer, the same hot pages are written fewer times.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                f"PRAGMA cache_size=-{CONFIG['WIREDESK_SQLITE_CACHE_MB'] * 1024}; "
                                "PRAGMA wal_autocheckpoint=10000;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    return dict(dj_database_url.parse(url, conn_max_age=60))


SECRET_KEY = _secret_key()
DEBUG = CONFIG["WIREDESK_DEBUG"]
ALLOWED_HOSTS = CONFIG["WIREDESK_ALLOWED_HOSTS"]
DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "wiredesk.sections",
    "wiredesk.sources",
    "wiredesk.articles",
    "wiredesk.stories",
    "wiredesk.takedowns",
    "wiredesk.editorial",
    "wiredesk.comments",
    "wiredesk.roles",
    "wiredesk.api",
    "wiredesk.metrics",
    "wiredesk.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, auth, CSRF and messages: a cached page needs none of them (it is served
    # only to requests without a session cookie), and a hit should cost as little as a file.
    "wiredesk.web.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Rendered pages (web.page_cache): per-process memory by default, Redis when configured.
if CONFIG["WIREDESK_CACHE_URL"]:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": CONFIG["WIREDESK_CACHE_URL"], "KEY_PREFIX": "wiredesk"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "wiredesk-pages",
                          "OPTIONS": {"MAX_ENTRIES": 2000}}}

ROOT_URLCONF = "wiredesk.urls"
WSGI_APPLICATION = "wiredesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wiredesk.web.context.site",
            ],
        },
    },
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = str(DATA_DIR / "static")
(DATA_DIR / "static").mkdir(exist_ok=True)  # WhiteNoise reads it on start, collected into or not
# Hashed names, served for a year once collected (web.static_files); the app's own folders as well,
# so a desk that never collected still has its stylesheet.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "wiredesk.web.static_files.HashedStaticStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"kv": {"format": "time=%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kv"}},
    "loggers": {
        "wiredesk": {"handlers": ["console"], "level": "INFO"},
        "trafilatura": {"handlers": ["console"], "level": "ERROR"},
    },
}

EMAIL_BACKEND = CONFIG["WIREDESK_EMAIL_BACKEND"]
DEFAULT_FROM_EMAIL = CONFIG["WIREDESK_EMAIL_FROM"]
EMAIL_HOST, EMAIL_PORT = CONFIG["WIREDESK_SMTP_HOST"], CONFIG["WIREDESK_SMTP_PORT"]
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = CONFIG["WIREDESK_SMTP_USER"], CONFIG["WIREDESK_SMTP_PASSWORD"]
EMAIL_USE_TLS = CONFIG["WIREDESK_SMTP_TLS"]
EMAIL_TIMEOUT = 20

WIREDESK = CONFIG
