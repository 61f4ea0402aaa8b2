"""Members' own business: the register of interests and declarations."""

from django.urls import path

from safeboard.governance.members import views

urlpatterns: list = [
    path("interests/", views.InterestListView.as_view(), name="interest-list"),
    path("interests/new/", views.InterestCreateView.as_view(), name="interest-new"),
    path("interests/<id:pk>/edit/", views.InterestUpdateView.as_view(), name="interest-edit"),
    path("interests/<id:pk>/review/", views.InterestReviewView.as_view(), name="interest-review"),
    path("items/<id:pk>/declare/", views.ItemDeclareView.as_view(), name="item-declare"),
    path("meetings/<id:pk>/declare/", views.MeetingDeclareView.as_view(), name="meeting-declare"),
    path("mine/", views.MyBoardView.as_view(), name="my-board"),
    path("meetings/<id:pk>/apologies/", views.ApologiesView.as_view(), name="meeting-apologies"),
    path("meetings/<id:pk>/draft-minutes/", views.DraftMinutesView.as_view(), name="draft-minutes"),
    path("meetings/<id:pk>/read-receipts/", views.ReadReceiptsView.as_view(), name="read-receipts"),
]
