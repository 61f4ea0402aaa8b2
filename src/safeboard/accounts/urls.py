from django.urls import path

from safeboard.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/code/", views.SignInCodeView.as_view(), name="sign-in-code"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("account/", views.MyAccountView.as_view(), name="my-account"),
    path("account/details/", views.MyDetailsView.as_view(), name="my-details"),
    path("account/email/", views.MyEmailView.as_view(), name="email-change"),
    path("account/email/confirm/<str:token>/", views.EmailConfirmView.as_view(), name="email-confirm"),
    path("account/two-factor/", views.TwoFactorSetupView.as_view(), name="two-factor-setup"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("account/tokens/new/", views.APITokenCreateView.as_view(), name="token-new"),
    path("account/tokens/<id:pk>/revoke/", views.APITokenRevokeView.as_view(), name="token-revoke"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path("password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/new/", views.PersonCreateView.as_view(), name="person-new"),
    path("people/<id:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("people/<id:pk>/edit/", views.PersonUpdateView.as_view(), name="person-edit"),
    path("people/<id:pk>/status/", views.PersonDeactivateView.as_view(), name="person-status"),
    path("people/<id:pk>/roles/new/", views.MembershipCreateView.as_view(), name="membership-new"),
    path("roles/<id:pk>/remove/", views.MembershipRemoveView.as_view(), name="membership-remove"),
]
