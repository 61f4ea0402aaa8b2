"""Settings shared by every profile (development, demo, test, production).

Every value that differs between installs comes from an environment variable read through
``safeboard.config.env``; see docs/deployment.md for the full list.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from safeboard.config import env

# Lets our classes name the types of Django's generic classes (``FormView[JoinDecisionForm]``,
# ``ModelChoiceField[User]``) for mypy: Django's own classes cannot be subscripted at run time.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/safeboard
BASE_DIR = PACKAGE_DIR.parents[1]  # the repository
VAR_DIR = Path(env.text("SAFEBOARD_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env.text("SECRET_KEY", "insecure-development-key-do-not-use-in-production-0123456789")
DEBUG = env.flag("DEBUG", False)
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.listing("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django.forms",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "django_tasks_db",
    "safeboard.core",
    "safeboard.accounts",
    # The partnership action log, shared by every module.
    "safeboard.actions",
    # Domain modules. Each is its own app with the same layout (docs/adding-a-module.md).
    "safeboard.governance",
    "safeboard.assurance",
    "safeboard.reviews",
    "safeboard.childdeath",
    "safeboard.training",
    "safeboard.exploitation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "safeboard.core.middleware.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "safeboard.accounts.middleware.SessionLifetimeMiddleware",
    "safeboard.accounts.middleware.TwoFactorRequiredMiddleware",
    "safeboard.core.middleware.CurrentPartnershipMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "safeboard.core.middleware.NoStoreForSignedInMiddleware",
    # Last, so that it sees the user the earlier middleware attached.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safeboard.config.urls"
WSGI_APPLICATION = "safeboard.config.wsgi.application"
ASGI_APPLICATION = "safeboard.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safeboard.core.context_processors.layout",
            ],
            # {{ value|day }}, {{ value|day_time }}, {{ value|money }} in every template.
            "builtins": ["safeboard.core.templatetags.text"],
        },
    }
]
FORM_RENDERER = "safeboard.core.forms.GovukFormRenderer"

# --- Database -----------------------------------------------------------------------------------
# SQLite by default (one file under var/); PostgreSQL when DATABASE_URL is set.
_database_url = env.text("DATABASE_URL", "")
if _database_url:
    try:
        _db = dj_database_url.parse(_database_url, conn_max_age=env.integer("DB_CONN_MAX_AGE", 0))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database address Safeboard understands: {exc}") from None
    if _db["ENGINE"] not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://…) or SQLite (sqlite:///…).")
    if _db["ENGINE"] == "django.db.backends.postgresql" and env.flag("DB_POOL", False):
        # psycopg's pool: one per process; see docs/deployment.md for sizing.
        _db["CONN_MAX_AGE"] = 0
        _db.setdefault("OPTIONS", {})["pool"] = {"min_size": 2, "max_size": env.integer("DB_POOL_MAX", 10, 1)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "safeboard.sqlite3")}
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so two writers queue rather than
    # fail, and the audit hash chain reads its head under the lock.
    _db.setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
_db["ATOMIC_REQUESTS"] = True  # a request's changes and their audit entries commit together
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared state lives in the database, never in one process's memory: any app server may answer.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "safeboard_cache"}}

# --- People and sign-in ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

# Two-factor authentication is mandatory for every role that can see personal data. Only the
# demo profile may relax it; production refuses to start with it off.
SAFEBOARD_REQUIRE_2FA = env.flag("SAFEBOARD_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = env.text("OTP_TOTP_ISSUER", "Safeboard")

# Sessions: idle timeout (refreshed on every request) and an absolute lifetime from sign-in.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.integer("SESSION_IDLE_MINUTES", 30, 1))
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=env.integer("SESSION_ABSOLUTE_HOURS", 12, 1))
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT.total_seconds())
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Throttling, counted per account and per IP address separately: the sixth failure inside a minute
# locks sign-in for a minute, so a seventh attempt is refused even with the right password.
AXES_FAILURE_LIMIT = 6
AXES_COOLOFF_TIME = timedelta(minutes=1)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
# The sign-in form's field is "email", but Django reports failures as {"username": …}: one callable
# reads both and lower-cases them, so every failure is counted against its account.
AXES_USERNAME_FORM_FIELD = "email"
AXES_USERNAME_CALLABLE = "safeboard.accounts.lockout.username_for_lockout"
# The address the audit trail records (X-Forwarded-For behind TRUSTED_PROXY_COUNT proxies).
AXES_CLIENT_IP_CALLABLE = "safeboard.core.middleware.client_ip"
# A success clears that account's failures only, never its address's (see accounts/lockout.py).
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "safeboard.accounts.lockout.AccountLockoutHandler"
AXES_LOCKOUT_CALLABLE = "safeboard.accounts.views.sign_in_locked_out"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.integer("TRUSTED_PROXY_COUNT", 0)

# Password reset requests: at most this many an hour for one account, and from one address, whatever
# the accounts. Over the limit the page answers exactly as usual and sends nothing.
SAFEBOARD_PASSWORD_RESETS_PER_ACCOUNT = env.integer("PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR", 3, 1)
SAFEBOARD_PASSWORD_RESETS_PER_ADDRESS = env.integer("PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", 20, 1)
# How long a link to confirm a new email address works.
SAFEBOARD_EMAIL_CHANGE_TIMEOUT = timedelta(days=1)

# --- Security headers -------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.text("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [PACKAGE_DIR / "static_build"]
MEDIA_ROOT = Path(env.text("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Email and background work ----------------------------------------------------------------------
# Email goes through Django's mail framework (MAILERS). SMTP options apply to the SMTP backend only.
EMAIL_BACKEND_PATH = env.text("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")


def mailers(backend: str) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": env.text("EMAIL_HOST", "localhost"),
            "port": env.integer("EMAIL_PORT", 25),
            "username": env.text("EMAIL_HOST_USER", ""),
            "password": env.text("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env.flag("EMAIL_USE_TLS", False),
            "timeout": 20,
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers(EMAIL_BACKEND_PATH)
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", "Safeboard <no-reply@safeboard.invalid>")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- API --------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "safeboard.accounts.authentication.PersonalAPITokenAuthentication",
        "safeboard.accounts.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["safeboard.core.api.permissions.ScopedObjectPermission"],
    "DEFAULT_PAGINATION_CLASS": "safeboard.core.api.pagination.KeysetCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["safeboard.core.api.filters.ApiFilterBackend"],
    # JSON nested deeper than a record ever is gets a 400 (core/api/parsers.py), not a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "safeboard.core.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "safeboard.core.api.schema.SafeboardAutoSchema",
    "EXCEPTION_HANDLER": "safeboard.core.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safeboard API",
    "DESCRIPTION": "Read and update a safeguarding partnership's records with a personal API token. "
    "Every call sees only what the token's owner may see. A change (PATCH or PUT) sends the record's "
    "`version` as `If-Match`: without it the answer is 428, and if the record changed since, 412. Lists come "
    "in pages: follow `next`, or give `page_size` (1 to 200).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": [
        "safeboard.accounts.authentication.PersonalAPITokenAuthentication",
        "safeboard.accounts.authentication.VerifiedSessionAuthentication",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files: no CDN, so the docs work on a closed network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # ``<id:pk>`` (core/ids.py) in every record's path: a positive 64-bit integer.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}},
}

# --- Tables -------------------------------------------------------------------------------------------
DJANGO_TABLES2_TEMPLATE = "core/includes/table.html"

# --- Locale -------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
# One date format everywhere, "7 December 2026" (safeboard/config/formats/).
FORMAT_MODULE_PATH = ["safeboard.config.formats"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Logging ------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "safeboard.core.middleware.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The audit trail's signed checkpoints, copied out of the database (docs/deployment.md).
        "safeboard.audit.checkpoints": {"level": "INFO"},
    },
}

# The public address, for every link in an email (never the request's Host header).
SAFEBOARD_SITE_URL = env.site_url("SAFEBOARD_SITE_URL", "http://127.0.0.1:8000")

# Published figures: counts from 1 to this number minus one are never shown (core/suppression.py).
SAFEBOARD_SUPPRESSION_THRESHOLD = env.integer("SAFEBOARD_SUPPRESSION_THRESHOLD", 5, 2)

# --- Audit trail ---------------------------------------------------------------------------------------
# The key that signs the audit trail's checkpoints (HMAC-SHA256). It is held outside the database, in
# the environment or a file, so that whoever can rewrite the database cannot sign a rewritten chain.
# Development and tests use this fixed key; production refuses to start without a real one.
DEV_AUDIT_KEY = "insecure-development-audit-key-do-not-use-in-production"
SAFEBOARD_AUDIT_KEY = env.secret("SAFEBOARD_AUDIT_KEY", DEV_AUDIT_KEY)
# A chain is checkpointed after this many new entries, or on its first entry this many minutes
# after its last checkpoint, whichever comes first (and by `manage.py audit_checkpoint`).
SAFEBOARD_AUDIT_CHECKPOINT_EVERY = env.integer("SAFEBOARD_AUDIT_CHECKPOINT_EVERY", 100, 1)
SAFEBOARD_AUDIT_CHECKPOINT_MINUTES = env.integer("SAFEBOARD_AUDIT_CHECKPOINT_MINUTES", 10, 1)
# For the concurrency benchmark only (to measure what the access log costs): production refuses it.
SAFEBOARD_ACCESS_LOG = env.flag("SAFEBOARD_ACCESS_LOG", True)
