from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from rest_framework.permissions import BasePermission

from safeboard.core.querysets import scoped

if TYPE_CHECKING:  # DRF loads this module while rest_framework.views is half imported
    from rest_framework.request import Request
    from rest_framework.views import APIView

_ACTION = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ScopedObjectPermission(BasePermission):
    """Signed in, then the same rules as the web pages.

    Viewsets fetch objects from ``visible_to(user, "view")`` (so out of scope is a 404). Writing
    needs the object inside ``visible_to(user, "change")`` too, or a 403.
    """

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_active)

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        action = _ACTION.get(request.method or "", "change")
        if action == "view":
            return True
        model: type[models.Model] = type(obj)
        if action == "add":
            action = "change"
        return scoped(model).visible_to(request.user, action).filter(pk=obj.pk).exists()
