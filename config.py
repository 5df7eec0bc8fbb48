"""Configuration classes read from the environment (see the README's configuration table)."""

from __future__ import annotations

import os
import tempfile


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def database_url() -> str | None:
    """DATABASE_URL, with Heroku-style postgres:// rewritten for SQLAlchemy + psycopg 3."""
    url = os.environ.get("DATABASE_URL")
    if url and url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


class Config:
    """Production defaults; every value can come from the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url()  # None -> instance/mesatic.db
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "es_MX"
    BABEL_DEFAULT_TIMEZONE = "America/Mexico_City"
    TICKETS_TIMEZONE = "America/Mexico_City"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = _int("SESSION_HOURS", 12) * 3600
    WTF_CSRF_TIME_LIMIT = None  # the session's lifetime bounds the token; long shifts keep forms
    BOOTSTRAP_SERVE_LOCAL = True
    MAX_CONTENT_LENGTH = _int("MAX_UPLOAD_MB", 20) * 1024 * 1024
    ATTACHMENT_MAX_BYTES = _int("ATTACHMENT_MAX_MB", 10) * 1024 * 1024
    ATTACHMENT_EXTENSIONS = frozenset(
        os.environ.get(
            "ATTACHMENT_EXTENSIONS",
            "pdf,png,jpg,jpeg,gif,txt,csv,log,xlsx,xls,docx,doc,odt,ods,zip,xml,json",
        ).split(",")
    )
    ATTACHMENT_DIR = os.environ.get("ATTACHMENT_DIR")  # None -> instance/attachments
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    PASSWORD_HASH_METHOD = "scrypt"
    QUEUE_PAGE_SIZE = _int("QUEUE_PAGE_SIZE", 50)
    DASHBOARD_REFRESH_SECONDS = _int("DASHBOARD_REFRESH_SECONDS", 30)  # the wall screen's refresh
    # Open tickets an admin's SLA change recomputes in its own request; more go to the scheduler.
    SLA_RECOMPUTE_INLINE_MAX = _int("SLA_RECOMPUTE_INLINE_MAX", 2000)
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")  # links in e-mails
    MAIL_SERVER = os.environ.get("MAIL_SERVER")  # None: mails are written to the log
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Mesa TIC <mesatic@ine.mx>")
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 10)
    INVITATION_DAYS = _int("INVITATION_DAYS", 7)
    JOBS_KEEP_RUNS_DAYS = _int("JOBS_KEEP_RUNS_DAYS", 30)
    BACKUP_DIR = os.environ.get("BACKUP_DIR")  # None -> instance/backups (SQLite copies)
    BACKUP_KEEP = _int("BACKUP_KEEP", 14)
    # Reverse proxies in front that append X-Forwarded-For / set X-Forwarded-Proto (nginx: 1).
    # 0 trusts no header: a client could otherwise pick its own address for the rate limits.
    PROXY_FIX_X_FOR = _int("PROXY_FIX_X_FOR", 0)
    PROXY_FIX_X_PROTO = _int("PROXY_FIX_X_PROTO", 0)
    PASSWORD_RESET_HOURS = _int("PASSWORD_RESET_HOURS", 2)
    PASSWORD_RESET_ADDRESS_LIMIT = os.environ.get("PASSWORD_RESET_ADDRESS_LIMIT", "5 per hour")
    LOOKUP_RATE_LIMIT = os.environ.get("LOOKUP_RATE_LIMIT", "20 per minute;100 per hour")
    LOOKUP_FOLIO_RATE_LIMIT = os.environ.get("LOOKUP_FOLIO_RATE_LIMIT", "10 per hour")


class DevelopmentConfig(Config):
    """`make run`: local SQLite, cookies over plain http."""

    DEBUG = False
    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


class ProductionConfig(Config):
    """gunicorn behind a TLS proxy; SECRET_KEY must be set."""


class TestingConfig(Config):
    """pytest: in-memory SQLite unless TEST_DATABASE_URL names a PostgreSQL database."""

    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False  # tests/test_app.py re-enables it to prove CSRF is on
    SESSION_COOKIE_SECURE = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    RATELIMIT_STORAGE_URI = "memory://"
    # Jobs caught up in tests include the nightly copy: never into the checkout's instance/.
    BACKUP_DIR = os.path.join(tempfile.gettempdir(), "mesatic-test-backups")


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def config_from_env() -> type[Config]:
    """The class named by TICKETS_CONFIG (development, production; default production)."""
    return CONFIGS[os.environ.get("TICKETS_CONFIG", "production")]
