"""Production: refuses to start without a real secret key, allowed hosts and PostgreSQL."""

from django.core.exceptions import ImproperlyConfigured

from safeboard.config import env
from safeboard.config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env.text("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure") or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names Safeboard is served on.")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":  # noqa: F405
    raise ImproperlyConfigured("Production needs PostgreSQL: set DATABASE_URL=postgres://…")
if not SAFEBOARD_REQUIRE_2FA:  # noqa: F405
    raise ImproperlyConfigured("SAFEBOARD_REQUIRE_2FA cannot be turned off in production.")
# Password and email-confirmation links are built from it: required, and over HTTPS.
SAFEBOARD_SITE_URL = env.site_url("SAFEBOARD_SITE_URL", require_https=True)
SAFEBOARD_AUDIT_KEY = env.secret("SAFEBOARD_AUDIT_KEY")
if SAFEBOARD_AUDIT_KEY == DEV_AUDIT_KEY or len(SAFEBOARD_AUDIT_KEY) < 32 or len(set(SAFEBOARD_AUDIT_KEY)) < 5:  # noqa: F405
    raise ImproperlyConfigured("SAFEBOARD_AUDIT_KEY must be a random value of at least 32 characters.")
if not SAFEBOARD_ACCESS_LOG:  # noqa: F405
    raise ImproperlyConfigured("SAFEBOARD_ACCESS_LOG cannot be turned off in production.")

SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31536000, 1)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
MAILERS = mailers(env.text("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"))  # noqa: F405
REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = ["rest_framework.renderers.JSONRenderer"]  # noqa: F405
