from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from safeboard.accounts.api import PersonViewSet
from safeboard.core.api.views import AgencyViewSet, AreaViewSet, LocalityViewSet, PartnershipViewSet

router = DefaultRouter()
router.include_format_suffixes = False
router.register("partnerships", PartnershipViewSet, basename="partnership")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("areas", AreaViewSet, basename="area")
router.register("localities", LocalityViewSet, basename="locality")
router.register("people", PersonViewSet, basename="person")

app_name = "api"

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
