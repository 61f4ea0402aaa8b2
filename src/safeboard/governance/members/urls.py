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
    path("mine/", views.MyBoardView.as_view(), name="my-board"),
    path("meetings/<int:pk>/apologies/", views.ApologiesView.as_view(), name="meeting-apologies"),
    path("meetings/<int:pk>/draft-minutes/", views.DraftMinutesView.as_view(), name="draft-minutes"),
    path("meetings/<int:pk>/read-receipts/", views.ReadReceiptsView.as_view(), name="read-receipts"),
]
