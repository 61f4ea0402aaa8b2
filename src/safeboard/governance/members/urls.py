"""Members' own business: the register of interests and declarations."""

from django.urls import path

from safeboard.governance.members import views

urlpatterns: list = [
    path("interests/", views.InterestListView.as_view(), name="interest-list"),
    path("interests/new/", views.InterestCreateView.as_view(), name="interest-new"),
    path("interests/<int:pk>/edit/", views.InterestUpdateView.as_view(), name="interest-edit"),
    path("interests/<int:pk>/review/", views.InterestReviewView.as_view(), name="interest-review"),
    path("items/<int:pk>/declare/", views.ItemDeclareView.as_view(), name="item-declare"),
    path("meetings/<int:pk>/declare/", views.MeetingDeclareView.as_view(), name="meeting-declare"),
]
