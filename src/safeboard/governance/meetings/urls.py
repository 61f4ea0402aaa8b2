"""Board business: the start page, groups and members, meetings, agenda, papers, attendance, minutes."""

from django.urls import path

from safeboard.governance.meetings import views

urlpatterns: list = [
    path("", views.HomeView.as_view(), name="home"),
    path("groups/", views.GroupListView.as_view(), name="group-list"),
    path("groups/new/", views.GroupCreateView.as_view(), name="group-new"),
    path("groups/<id:pk>/", views.GroupDetailView.as_view(), name="group-detail"),
    path("groups/<id:pk>/edit/", views.GroupUpdateView.as_view(), name="group-edit"),
    path("groups/<id:pk>/terms-of-reference/", views.GroupDocumentView.as_view(), name="group-document"),
    path("groups/<id:pk>/members/new/", views.MemberCreateView.as_view(), name="member-new"),
    path("groups/<id:pk>/meetings/new/", views.MeetingCreateView.as_view(), name="meeting-new"),
    path("members/<id:pk>/edit/", views.MemberUpdateView.as_view(), name="member-edit"),
    path("members/<id:pk>/agreement/", views.MemberAgreementView.as_view(), name="member-agreement"),
    path("inductions/<id:pk>/edit/", views.InductionUpdateView.as_view(), name="induction-edit"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/<id:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<id:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting-edit"),
    path("meetings/<id:pk>/cancel/", views.MeetingCancelView.as_view(), name="meeting-cancel"),
    path("meetings/<id:pk>/invite/", views.MeetingInviteView.as_view(), name="meeting-invite"),
    path("meetings/<id:pk>/calendar.ics", views.MeetingCalendarView.as_view(), name="meeting-ics"),
    path("meetings/<id:pk>/circulate/", views.MeetingCirculateView.as_view(), name="meeting-circulate"),
    path("meetings/<id:pk>/agenda-pack.pdf", views.MeetingPackView.as_view(), name="meeting-pack"),
    path("meetings/<id:pk>/attendance/", views.AttendanceView.as_view(), name="meeting-attendance"),
    path("meetings/<id:pk>/minutes/", views.MinutesView.as_view(), name="meeting-minutes"),
    path("meetings/<id:pk>/minutes/approve/", views.MinutesApproveView.as_view(), name="minutes-approve"),
    path("meetings/<id:pk>/minutes/sign-off/", views.MinutesSignOffView.as_view(), name="minutes-sign-off"),
    path("meetings/<id:pk>/minutes.pdf", views.MinutesPdfView.as_view(), name="minutes-pdf"),
    path("meetings/<id:pk>/minutes/publish/", views.MinutesPublishView.as_view(), name="minutes-publish"),
    path("meetings/<id:pk>/items/new/", views.ItemCreateView.as_view(), name="item-new"),
    path("items/<id:pk>/edit/", views.ItemUpdateView.as_view(), name="item-edit"),
    path("items/<id:pk>/actions/new/", views.ItemActionCreateView.as_view(), name="item-action-new"),
    path("items/<id:pk>/papers/new/", views.PaperCreateView.as_view(), name="paper-new"),
    path("papers/<id:pk>/download/", views.PaperDownloadView.as_view(), name="paper-download"),
    path("follow-ups/<id:pk>/done/", views.FollowUpDoneView.as_view(), name="followup-done"),
    path(
        "meetings/<id:pk>/agenda-pack-confidential.pdf",
        views.ConfidentialPackView.as_view(),
        name="meeting-pack-confidential",
    ),
]
