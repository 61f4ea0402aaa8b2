"""The board's effectiveness: the yearly self-assessment and the chair's annual review."""

from django.urls import path

from safeboard.governance.effectiveness import views

urlpatterns: list = [
    path("self-assessment/", views.SelfAssessmentListView.as_view(), name="selfassessment-list"),
    path("self-assessment/new/", views.SelfAssessmentCreateView.as_view(), name="selfassessment-new"),
    path("self-assessment/<id:pk>/", views.SelfAssessmentDetailView.as_view(), name="selfassessment-detail"),
    path("self-assessment/<id:pk>/answer/", views.SelfAssessmentAnswerView.as_view(), name="selfassessment-answer"),
    path("chair-review/", views.ChairReviewListView.as_view(), name="chairreview-list"),
    path("chair-review/new/", views.ChairReviewCreateView.as_view(), name="chairreview-new"),
    path("chair-review/<id:pk>/", views.ChairReviewDetailView.as_view(), name="chairreview-detail"),
    path("chair-review/<id:pk>/edit/", views.ChairReviewUpdateView.as_view(), name="chairreview-edit"),
    path("chair-review/<id:pk>/sign-off/", views.ChairReviewSignOffView.as_view(), name="chairreview-sign-off"),
]
