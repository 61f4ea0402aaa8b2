"""The test suite: fast hashing, emails kept in memory, background tasks run at once."""

from safeboard.config.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = mailers("django.core.mail.backends.locmem.EmailBackend")  # noqa: F405
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
SAFEBOARD_REQUIRE_2FA = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405

# Serve static files straight from the build folder; no collectstatic needed outside production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = VAR_DIR / "static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [*INSTALLED_APPS, "tests.sealedapp"]  # noqa: F405  (a test-only module exercising every scope)
ROOT_URLCONF = "tests.urls"  # the site's URLs plus the test-only module's pages (tests/sealedapp/urls.py)

# PostgreSQL: Django's test runner empties tables with TRUNCATE between transactional tests. The
# audit tables' trigger lets it through only for this setting AND a database named test_… (core
# migration 0008), so no other database is opened by it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c safeboard.allow_audit_truncate=on"  # noqa: F405
