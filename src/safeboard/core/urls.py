from django.urls import path

from safeboard.core import views
from safeboard.core.questionnaires import views as questionnaire_views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("switch-partnership/", views.SwitchPartnershipView.as_view(), name="switch-partnership"),
    path("partnerships/", views.PartnershipListView.as_view(), name="partnership-list"),
    path("partnerships/new/", views.PartnershipCreateView.as_view(), name="partnership-new"),
    path("partnerships/<id:pk>/", views.PartnershipDetailView.as_view(), name="partnership-detail"),
    path("partnerships/<id:pk>/edit/", views.PartnershipUpdateView.as_view(), name="partnership-edit"),
    path("agencies/", views.AgencyListView.as_view(), name="agency-list"),
    path("agencies/new/", views.AgencyCreateView.as_view(), name="agency-new"),
    path("agencies/join/", views.AgencyJoinView.as_view(), name="agency-join"),
    path("agencies/<id:pk>/", views.AgencyDetailView.as_view(), name="agency-detail"),
    path("agencies/<id:pk>/edit/", views.AgencyUpdateView.as_view(), name="agency-edit"),
    path("agencies/<id:pk>/remove/", views.AgencyRemoveView.as_view(), name="agency-remove"),
    path("agencies/requests/", views.AgencyJoinRequestListView.as_view(), name="agency-requests"),
    path("agencies/requests/<id:pk>/", views.AgencyJoinRequestView.as_view(), name="agency-request"),
    path("localities/", views.LocalityListView.as_view(), name="locality-list"),
    path("localities/new/", views.LocalityCreateView.as_view(), name="locality-new"),
    path("localities/<id:pk>/edit/", views.LocalityUpdateView.as_view(), name="locality-edit"),
    path("areas/new/", views.AreaCreateView.as_view(), name="area-new"),
    path("areas/<id:pk>/edit/", views.AreaUpdateView.as_view(), name="area-edit"),
    path("history/<str:app_label>/<str:model_name>/<id:pk>/", views.RecordHistoryView.as_view(), name="record-history"),
    path("audit/", views.AuditLogView.as_view(log="changes"), name="audit-changes"),
    path("audit/views/", views.AuditLogView.as_view(log="access"), name="audit-access"),
    path("questionnaires/", questionnaire_views.QuestionnaireListView.as_view(), name="questionnaire-list"),
    path("questionnaires/<id:pk>/", questionnaire_views.QuestionnaireDetailView.as_view(), name="questionnaire-detail"),
    path(
        "questionnaires/versions/<id:pk>/preview/",
        questionnaire_views.VersionPreviewView.as_view(),
        name="questionnaire-version-preview",
    ),
    path(
        "questionnaires/versions/<id:pk>/publish/",
        questionnaire_views.VersionPublishView.as_view(),
        name="questionnaire-version-publish",
    ),
    path(
        "questionnaires/responses/<id:pk>/",
        questionnaire_views.ResponseDetailView.as_view(),
        name="questionnaire-response-detail",
    ),
    path("people/search/", views.PeopleSearchView.as_view(), name="people-search"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
