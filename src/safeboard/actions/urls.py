from django.urls import path

from safeboard.actions import views

app_name = "actions"

urlpatterns = [
    path("", views.ActionListView.as_view(), name="action-list"),
    path("export.csv", views.ActionExportCSVView.as_view(), name="action-export-csv"),
    path("export.xlsx", views.ActionExportXLSXView.as_view(), name="action-export-xlsx"),
    path("report/", views.QuarterlyReportView.as_view(), name="quarterly-report"),
    path("report.pdf", views.QuarterlyReportPDFView.as_view(), name="quarterly-report-pdf"),
    path("new/", views.ActionCreateView.as_view(), name="action-new"),
    path("<id:pk>/", views.ActionDetailView.as_view(), name="action-detail"),
    path("<id:pk>/edit/", views.ActionEditView.as_view(), name="action-edit"),
    path("<id:pk>/updates/new/", views.ProgressUpdateCreateView.as_view(), name="action-update-new"),
    path("<id:pk>/evidence/new/", views.EvidenceCreateView.as_view(), name="action-evidence-new"),
    path("<id:pk>/close/", views.ActionCloseView.as_view(), name="action-close"),
    path("<id:pk>/cancel/", views.ActionCancelView.as_view(), name="action-cancel"),
    path("<id:pk>/reopen/", views.ActionReopenView.as_view(), name="action-reopen"),
    path("evidence/<id:pk>/", views.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("evidence/<id:pk>/review/", views.EvidenceReviewView.as_view(), name="evidence-review"),
]
