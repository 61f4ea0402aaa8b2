"""The partnership's documents and sign-off, seat criteria and induction."""

from django.urls import path

from safeboard.governance.arrangements import views

urlpatterns: list = [
    path("arrangements/", views.DocumentListView.as_view(), name="document-list"),
    path("arrangements/new/", views.DocumentCreateView.as_view(), name="document-new"),
    path("arrangements/statutory-partners/", views.StatutoryPartnersView.as_view(), name="statutory-partners"),
    path("arrangements/<id:pk>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path("arrangements/<id:pk>/versions/new/", views.VersionCreateView.as_view(), name="version-new"),
    path("versions/<id:pk>/sign-off/", views.VersionSignOffView.as_view(), name="version-sign-off"),
    path("versions/<id:pk>/publish/", views.VersionPublishView.as_view(), name="version-publish"),
    path("plans/<id:pk>/sign-off/", views.PlanSignOffView.as_view(), name="plan-sign-off"),
    path("budgets/<id:pk>/sign-off/", views.BudgetSignOffView.as_view(), name="budget-sign-off"),
    path("members/<id:pk>/criteria/", views.SeatCriteriaView.as_view(), name="member-criteria"),
    path("members/<id:pk>/induction/", views.InductionView.as_view(), name="member-induction"),
    path("induction-steps/<id:pk>/done/", views.StepDoneView.as_view(), name="induction-step-done"),
]
