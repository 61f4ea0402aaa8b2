"""Board oversight: attendance figures, agency accountability, the business plan, the challenge log, funding."""

from django.urls import path

from safeboard.governance.oversight import views

urlpatterns = [
    path("attendance/", views.AttendanceDashboardView.as_view(), name="attendance"),
    path("attendance/seats/<id:pk>/", views.AttendanceMemberView.as_view(), name="attendance-member"),
    path("accountability/", views.AccountabilityListView.as_view(), name="accountability-list"),
    path("accountability/new/", views.AccountabilityCreateView.as_view(), name="accountability-new"),
    path("accountability/<id:pk>/", views.AccountabilityDetailView.as_view(), name="accountability-detail"),
    path("accountability/<id:pk>/edit/", views.AccountabilityUpdateView.as_view(), name="accountability-edit"),
    path(
        "accountability/<id:pk>/document/", views.AccountabilityDocumentView.as_view(), name="accountability-document"
    ),
    path("plans/", views.PlanListView.as_view(), name="plan-list"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan-new"),
    path("plans/<id:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<id:pk>/edit/", views.PlanUpdateView.as_view(), name="plan-edit"),
    path("plans/<id:pk>/pdf/", views.PlanPdfView.as_view(), name="plan-pdf"),
    path("plans/<id:pk>/priorities/new/", views.PriorityCreateView.as_view(), name="priority-new"),
    path("priorities/<id:pk>/edit/", views.PriorityUpdateView.as_view(), name="priority-edit"),
    path("priorities/<id:pk>/objectives/new/", views.ObjectiveCreateView.as_view(), name="objective-new"),
    path("objectives/<id:pk>/edit/", views.ObjectiveUpdateView.as_view(), name="objective-edit"),
    path("objectives/<id:pk>/actions/new/", views.ObjectiveActionCreateView.as_view(), name="objective-action-new"),
    path("plan-actions/<id:pk>/measures/new/", views.MeasureCreateView.as_view(), name="measure-new"),
    path("measures/<id:pk>/edit/", views.MeasureUpdateView.as_view(), name="measure-edit"),
    path("challenges/", views.ChallengeListView.as_view(), name="challenge-list"),
    path("challenges/new/", views.ChallengeCreateView.as_view(), name="challenge-new"),
    path("challenges/<id:pk>/", views.ChallengeDetailView.as_view(), name="challenge-detail"),
    path("challenges/<id:pk>/edit/", views.ChallengeUpdateView.as_view(), name="challenge-edit"),
    path("challenges/<id:pk>/actions/new/", views.ChallengeActionCreateView.as_view(), name="challenge-action-new"),
    path("challenges/<id:pk>/respond/", views.ChallengeRespondView.as_view(), name="challenge-respond"),
    path("funding/", views.FundingView.as_view(), name="funding"),
    path("funding/new/", views.FundingCreateView.as_view(), name="funding-new"),
    path("funding/<id:pk>/edit/", views.FundingUpdateView.as_view(), name="funding-edit"),
    path("funding/agreements/new/", views.AgreementCreateView.as_view(), name="agreement-new"),
    path("funding/agreements/<id:pk>/edit/", views.AgreementUpdateView.as_view(), name="agreement-edit"),
    path("funding/agreements/<id:pk>/document/", views.AgreementDocumentView.as_view(), name="agreement-document"),
    path("budgets/", views.BudgetListView.as_view(), name="budget-list"),
    path("budgets/new/", views.BudgetCreateView.as_view(), name="budget-new"),
    path("budgets/<id:pk>/", views.BudgetDetailView.as_view(), name="budget-detail"),
    path("budgets/<id:pk>/edit/", views.BudgetUpdateView.as_view(), name="budget-edit"),
    path("budgets/<id:pk>/export/", views.BudgetExportView.as_view(), name="budget-export"),
    path("budgets/<id:pk>/pdf/", views.BudgetPdfView.as_view(), name="budget-pdf"),
    path("budgets/<id:pk>/lines/new/", views.BudgetLineCreateView.as_view(), name="budget-line-new"),
    path("budget-lines/<id:pk>/edit/", views.BudgetLineUpdateView.as_view(), name="budget-line-edit"),
]
