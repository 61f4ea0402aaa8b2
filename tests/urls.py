"""The site's URLs plus the test-only module's (the suite's ROOT_URLCONF)."""

from django.urls import include, path

from safeboard.config.urls import handler403, handler404, handler500
from safeboard.config.urls import urlpatterns as site_urlpatterns

urlpatterns = [*site_urlpatterns, path("test-notes/", include("tests.sealedapp.urls"))]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
