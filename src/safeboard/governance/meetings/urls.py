"""Board business: the start page, groups and members, meetings, agenda, papers, attendance, minutes."""

from django.urls import path

from safeboard.governance.meetings import views

urlpatterns: list = [
    path("", views.HomeView.as_view(), name="home"),
    path("groups/", views.GroupListView.as_view(), name="group-list"),
    path("groups/new/", views.GroupCreateView.as_view(), name="group-new"),
    path("groups/<int:pk>/", views.GroupDetailView.as_view(), name="group-detail"),
    path("groups/<int:pk>/edit/", views.GroupUpdateView.as_view(), name="group-edit"),
    path("groups/<int:pk>/terms-of-reference/", views.GroupDocumentView.as_view(), name="group-document"),
    path("groups/<int:pk>/members/new/", views.MemberCreateView.as_view(), name="member-new"),
    path("groups/<int:pk>/meetings/new/", views.MeetingCreateView.as_view(), name="meeting-new"),
    path("members/<int:pk>/edit/", views.MemberUpdateView.as_view(), name="member-edit"),
    path("members/<int:pk>/agreement/", views.MemberAgreementView.as_view(), name="member-agreement"),
    path("inductions/<int:pk>/edit/", views.InductionUpdateView.as_view(), name="induction-edit"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting-edit"),
    path("meetings/<int:pk>/cancel/", views.MeetingCancelView.as_view(), name="meeting-cancel"),
    path("meetings/<int:pk>/invite/", views.MeetingInviteView.as_view(), name="meeting-invite"),
    path("meetings/<int:pk>/calendar.ics", views.MeetingCalendarView.as_view(), name="meeting-ics"),
    path("meetings/<int:pk>/circulate/", views.MeetingCirculateView.as_view(), name="meeting-circulate"),
    path("meetings/<int:pk>/agenda-pack.pdf", views.MeetingPackView.as_view(), name="meeting-pack"),
    path(
        "meetings/<int:pk>/agenda-pack-confidential.pdf",
        views.ConfidentialPackView.as_view(),
        name="meeting-pack-confidential",
    ),
    path("meetings/<int:pk>/attendance/", views.AttendanceView.as_view(), name="meeting-attendance"),
    path("meetings/<int:pk>/minutes/", views.MinutesView.as_view(), name="meeting-minutes"),
    path("meetings/<int:pk>/minutes/approve/", views.MinutesApproveView.as_view(), name="minutes-approve"),
    path("meetings/<int:pk>/minutes/publish/", views.MinutesPublishView.as_view(), name="minutes-publish"),
    path("meetings/<int:pk>/items/new/", views.ItemCreateView.as_view(), name="item-new"),
    path("items/<int:pk>/edit/", views.ItemUpdateView.as_view(), name="item-edit"),
    path("items/<int:pk>/actions/new/", views.ItemActionCreateView.as_view(), name="item-action-new"),
    path("items/<int:pk>/papers/new/", views.PaperCreateView.as_view(), name="paper-new"),
    path("papers/<int:pk>/download/", views.PaperDownloadView.as_view(), name="paper-download"),
    path("follow-ups/<int:pk>/done/", views.FollowUpDoneView.as_view(), name="followup-done"),
]
