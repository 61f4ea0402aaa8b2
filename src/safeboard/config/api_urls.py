from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from safeboard.accounts.api import PersonViewSet
from safeboard.actions.api import ActionViewSet
from safeboard.core.api.routers import IdRouter
from safeboard.core.api.views import AgencyViewSet, AreaViewSet, LocalityViewSet, PartnershipViewSet
from safeboard.core.questionnaires.api import (
    QuestionnaireResponseViewSet,
    QuestionnaireVersionViewSet,
    QuestionnaireViewSet,
)
from safeboard.governance.meetings.api import AttendanceViewSet, GroupViewSet, MeetingViewSet
from safeboard.governance.oversight.api import BusinessPlanViewSet
from safeboard.reviews.api import ReviewViewSet

router = IdRouter()
router.register("partnerships", PartnershipViewSet, basename="partnership")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("areas", AreaViewSet, basename="area")
router.register("localities", LocalityViewSet, basename="locality")
router.register("people", PersonViewSet, basename="person")
router.register("actions", ActionViewSet, basename="action")
router.register("questionnaires", QuestionnaireViewSet, basename="questionnaire")
router.register("questionnaire-versions", QuestionnaireVersionViewSet, basename="questionnaireversion")
router.register("questionnaire-responses", QuestionnaireResponseViewSet, basename="questionnaireresponse")
router.register("board/groups", GroupViewSet, basename="board-group")
router.register("board/meetings", MeetingViewSet, basename="board-meeting")
router.register("board/attendance", AttendanceViewSet, basename="board-attendance")
router.register("board/business-plans", BusinessPlanViewSet, basename="board-business-plan")
router.register("reviews", ReviewViewSet, basename="review")

app_name = "api"

# Swagger UI from local files (drf-spectacular-sidecar) under the site's one Content Security Policy: the
# template keeps no inline style, and the split view serves its start-up script as a file.
api_docs = SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="core/api/swagger_ui.html")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="docs"),
]
