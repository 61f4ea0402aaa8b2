"""``If-Match`` on the API: no write to a versioned record without the version it was read at.

Every ``AuditedModel`` carries ``version`` (it rises with each edit). The web forms send it back hidden
(``VersionedFormMixin``); API clients send it as ``If-Match: <version>`` on PATCH and PUT. Without it
the answer is 428 Precondition Required, and with a version that is no longer current it is 412
Precondition Failed: the client reads the record again and resends, so no one's change is lost
silently. ``IfMatchUpdateMixin`` is the one way every writable viewset does this.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

IF_MATCH_HELP = (
    "The record's `version` as you read it. Required: without it the answer is 428; if the record has "
    "changed since, the answer is 412 and nothing is saved."
)


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = "Send If-Match with the version you read (the record's ‘version’), so no change is lost."
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = "This record was changed since you read it. Read it again, then resend your change."
    default_code = "precondition_failed"


def if_match_version(request: Request) -> int:
    """The version named by ``If-Match`` (``5``, ``"5"`` or ``W/"5"``); 428 if absent, 412 if no version."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        raise PreconditionRequired()
    if raw.startswith("W/"):
        raw = raw[2:]
    raw = raw.strip('"')
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise PreconditionFailed()
    return int(raw)


def is_versioned(model: type[models.Model]) -> bool:
    return any(field.name == "version" for field in model._meta.concrete_fields)


class IfMatchUpdateMixin:
    """PATCH and PUT for a viewset of versioned records, guarded by ``If-Match``.

    The order of refusals: 404 out of sight, 403 not allowed (``check_update_allowed`` adds a
    viewset's own rule), 428 without ``If-Match``, 400 invalid values, 412 stale. The version is
    compared with the row locked, and the save moves it on by one.
    """

    get_object: Any
    get_serializer: Any
    request: Request

    def check_update_allowed(self, instance: Any) -> None:
        """Raise ``PermissionDenied`` if this caller may not change this record (beyond the scope check)."""

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        self.check_update_allowed(instance)
        expected = if_match_version(request)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            current = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
            if current.version != expected:
                raise PreconditionFailed()
            self.perform_update(serializer, next_version=current.version + 1)
        return Response(serializer.data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    def perform_update(self, serializer: serializers.BaseSerializer[Any], next_version: int) -> None:
        serializer.save(version=next_version)
