from __future__ import annotations

from rest_framework.permissions import BasePermission

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

    def has_permission(self, request, view) -> bool:  # type: ignore[no-untyped-def]
        return bool(request.user and request.user.is_authenticated and request.user.is_active)

    def has_object_permission(self, request, view, obj) -> bool:  # type: ignore[no-untyped-def]
        action = _ACTION.get(request.method, "change")
        if action == "view":
            return True
        model = type(obj)
        if action == "add":
            action = "change"
        return model.objects.visible_to(request.user, action).filter(pk=obj.pk).exists()  # type: ignore[attr-defined]
