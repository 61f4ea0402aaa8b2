"""Local development and `make demo`: SQLite, DEBUG on, emails printed to the console."""

from safeboard.config import env
from safeboard.config.settings.base import *  # noqa: F403

DEBUG = env.flag("DEBUG", True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# Serve static files straight from the build folder; no collectstatic needed outside production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = VAR_DIR / "static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
