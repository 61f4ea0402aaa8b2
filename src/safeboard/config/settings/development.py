"""Local development and `make demo`: SQLite, DEBUG on, emails printed to the console."""

from safeboard.config import env
from safeboard.config.settings.base import *  # noqa: F403

DEBUG = env.flag("DEBUG", True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
