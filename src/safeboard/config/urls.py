from django.urls import include, path

urlpatterns = [
    path("", include("safeboard.core.urls")),
    path("", include("safeboard.accounts.urls")),
    path("actions/", include("safeboard.actions.urls")),
    path("board/", include("safeboard.governance.urls")),
    path("reviews/", include("safeboard.reviews.urls")),
    path("api/", include("safeboard.config.api_urls")),
]

handler404 = "safeboard.core.views.not_found"
handler403 = "safeboard.core.views.forbidden"
handler500 = "safeboard.core.views.server_error"
