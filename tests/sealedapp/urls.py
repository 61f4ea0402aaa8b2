from django.urls import path

from tests.sealedapp import views

app_name = "sealedapp"

urlpatterns = [
    path(
        "<int:pk>/questionnaires/<int:version_pk>/",
        views.NoteQuestionnaireView.as_view(),
        name="note-questionnaire",
    ),
    path("api/<int:pk>/responses/", views.NoteResponsesAPIView.as_view(), name="note-responses-api"),
]
