"""schemathesis over the API's own schema: no 5xx, and every answer as the schema says (issue 6).

Bounded to run in ``make test`` on SQLite: for every operation a few generated requests within the
schema and a few outside it, as the partnership administrator of the standard test world (with a
token, so writes need no CSRF). Record operations run once with made-up ids (mostly 404, which the
schema documents) and once with the world's real records, whose writes send the current version in
``If-Match``.

The checks are those that compare answers with the schema: no server error, every status code,
content type, header and body as documented. schemathesis's two acceptance heuristics are left
out: ``positive_data_acceptance`` (a request within the schema must succeed) cannot hold for an opaque
cursor that we did not issue (400), a stale ``If-Match`` (412) or a record out of sight (404), and
``negative_data_rejection`` (a request outside it must fail) quarrels with filters that read an
empty value as "no filter", as django-filter does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
)

from safeboard.accounts.models import APIToken
from tests.conftest import World

EXAMPLES = 3
LEFT_OUT = [positive_data_acceptance, negative_data_rejection, ignored_auth]  # ignored_auth: the matrix tests 401s

# The world's record for each resource, to reach past the 404 with real ids.
REAL_RECORDS: dict[str, Callable[[World], Any]] = {
    "/api/v1/agencies/{id}/": lambda w: w.agency_a,
    "/api/v1/people/{id}/": lambda w: w.practitioner_a,
    "/api/v1/partnerships/{id}/": lambda w: w.alpha,
    "/api/v1/areas/{id}/": lambda w: w.area,
    "/api/v1/localities/{id}/": lambda w: w.locality,
}


class KeepConnectionApp:
    """Django as a WSGI app that keeps the test's database connection (and so its transaction) open,
    as Django's test client does."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return [body]


def api_spec() -> dict[str, Any]:
    spec = SchemaGenerator().get_schema(request=None, public=True)
    spec["paths"] = {path: item for path, item in spec["paths"].items() if path.startswith("/api/v1/")}
    return json.loads(json.dumps(spec, cls=DjangoJSONEncoder))  # type: ignore[no-any-return]


def run(operation: Any, mode: GenerationMode, headers: dict[str, str], **strategy: Any) -> str | None:
    @given(case=operation.as_strategy(generation_mode=mode, **strategy))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        case.call_and_validate(headers=headers, excluded_checks=LEFT_OUT)

    try:
        check()
    except (Exception, BaseExceptionGroup) as failure:  # every failure is collected and reported together
        return f"{operation.label} ({mode.value}, {strategy or 'made-up ids'}):\n{failure}"
    return None


@pytest.mark.skipif(connection.vendor != "sqlite", reason="bounded to the SQLite run of make test")
def test_the_api_answers_as_its_schema_says(world):  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_dict(api_spec())
    schema.app = KeepConnectionApp()
    _, secret = APIToken.issue(world.partnership_admin, "schemathesis")
    auth = {"Authorization": f"Bearer {secret}"}
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures.append(run(operation, mode, auth))
        real = REAL_RECORDS.get(operation.path)
        if real is not None:
            record = real(world)
            record.refresh_from_db()
            headers = {**auth, "If-Match": str(record.version)}
            failures.append(run(operation, GenerationMode.POSITIVE, headers, path_parameters={"id": record.pk}))
    found = [failure for failure in failures if failure]
    assert operations > 25
    assert not found, "\n\n".join(found)
