"""The annual cycle: forward plans, meeting series, standing items, the paper pipeline and decisions."""

from django.urls import path

from safeboard.governance.cycle import views

urlpatterns: list = [
    path("groups/<id:pk>/forward-plan/", views.ForwardPlanView.as_view(), name="forward-plan"),
    path("groups/<id:pk>/forward-plan/new/", views.ForwardPlanCreateView.as_view(), name="forward-plan-new"),
    path("groups/<id:pk>/build-agendas/", views.BuildAgendasView.as_view(), name="build-agendas"),
    path("groups/<id:pk>/series/new/", views.SeriesCreateView.as_view(), name="series-new"),
    path("groups/<id:pk>/standing-items/new/", views.StandingItemCreateView.as_view(), name="standing-item-new"),
    path("groups/<id:pk>/decisions/", views.DecisionListView.as_view(), name="decision-list"),
    path("groups/<id:pk>/decisions/new/", views.DecisionCreateView.as_view(), name="decision-new"),
    path("forward-plan/<id:pk>/edit/", views.ForwardPlanUpdateView.as_view(), name="forward-plan-edit"),
    path("series/<id:pk>/edit/", views.SeriesUpdateView.as_view(), name="series-edit"),
    path("series/<id:pk>/meetings/", views.SeriesGenerateView.as_view(), name="series-generate"),
    path("standing-items/<id:pk>/edit/", views.StandingItemUpdateView.as_view(), name="standing-item-edit"),
    path("items/<id:pk>/paper-requests/new/", views.PaperRequestCreateView.as_view(), name="paper-request-new"),
    path("paper-requests/<id:pk>/", views.PaperRequestView.as_view(), name="paper-request"),
    path("paper-requests/<id:pk>/submit/", views.PaperSubmitView.as_view(), name="paper-request-submit"),
    path("paper-requests/<id:pk>/check/", views.PaperCheckView.as_view(), name="paper-request-check"),
    path(
        "meetings/<id:pk>/agenda-pack-supplementary.pdf",
        views.SupplementaryPackView.as_view(),
        name="meeting-pack-supplementary",
    ),
    path("meetings/<id:pk>/minutes/chairs-action/", views.FinalMinutesView.as_view(), name="minutes-chairs-action"),
    path("decisions/<id:pk>/edit/", views.DecisionUpdateView.as_view(), name="decision-edit"),
    path("decisions/<id:pk>/ratify/", views.DecisionRatifyView.as_view(), name="decision-ratify"),
]
