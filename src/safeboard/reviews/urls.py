"""Learning from case reviews: the register, a review's steps, the clocks, types and settings."""

from django.urls import path

from safeboard.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.ReviewListView.as_view(), name="review-list"),
    path("new/", views.ReviewCreateView.as_view(), name="review-new"),
    path("clocks/", views.ClockListView.as_view(), name="clock-list"),
    path("figures/", views.ReviewFiguresView.as_view(), name="figures"),
    path("types/", views.ReviewTypeListView.as_view(), name="type-list"),
    path("types/new/", views.ReviewTypeCreateView.as_view(), name="type-new"),
    path("types/<id:pk>/edit/", views.ReviewTypeUpdateView.as_view(), name="type-edit"),
    path("settings/", views.ReviewSettingsView.as_view(), name="settings"),
    path("<id:pk>/", views.ReviewDetailView.as_view(), name="review-detail"),
    path("<id:pk>/edit/", views.ReviewUpdateView.as_view(), name="review-edit"),
    path("<id:pk>/children/new/", views.ChildCreateView.as_view(), name="child-new"),
    path("<id:pk>/summaries/new/", views.SummaryCreateView.as_view(), name="summary-new"),
    path("<id:pk>/notify/", views.NotifyView.as_view(), name="review-notify"),
    path("<id:pk>/rapid-review/", views.RapidReviewView.as_view(), name="review-rapid"),
    path("<id:pk>/rapid-review/sign-off/", views.RapidSignOffView.as_view(), name="rapid-sign-off"),
    path("<id:pk>/rapid-review/sent/", views.RapidSendView.as_view(), name="rapid-send"),
    path("<id:pk>/rapid-review/panel-response/", views.PanelResponseView.as_view(), name="panel-response"),
    path("<id:pk>/decision/", views.DecideView.as_view(), name="review-decide"),
    path("<id:pk>/declare/", views.DeclareView.as_view(), name="review-declare"),
    path("<id:pk>/publication/", views.PublicationView.as_view(), name="review-publication"),
]
