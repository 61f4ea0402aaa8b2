from django.urls import path

from tests.sealedapp import views

app_name = "sealedapp"

urlpatterns = [
    path(
        "<id:pk>/questionnaires/<id:version_pk>/",
        views.NoteQuestionnaireView.as_view(),
        name="note-questionnaire",
    ),
    path("api/<id:pk>/responses/", views.NoteResponsesAPIView.as_view(), name="note-responses-api"),
]
