"""JSON errors for every API failure: field messages on 400, and never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger("safeboard.api")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("You do not have permission to do this.")
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        return Response(
            {"detail": "Something went wrong on our side. It has been logged."},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if response.status_code == 400 and isinstance(response.data, dict) and "detail" not in response.data:
        response.data = {"detail": "Some of the values sent are not valid.", "errors": response.data}
    return response
