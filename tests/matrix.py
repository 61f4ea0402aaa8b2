"""The shape of a permission matrix row, and the helpers the row files share.

A row says, for one URL name, what each persona gets on GET and on POST, in the order of
``tests.conftest.PERSONAS``::

    #                                         anon prA  prB  lead adm  oth  scr  sys
    "actions:action-close": Row(pk("action"), "302 403 404 403 200 404 404 404",
                                              "302 403 404 403 200 404 404 404",
                                shows=text("action", "title")),

- ``url``: the URL's keyword arguments, from the world (``none``, ``pk(name)``, or your own function).
- ``get``: the status each persona gets on GET.
- ``post``: the status each persona gets on POST (or on ``method``, for an API that writes with PUT or
  PATCH). The matrix POSTs ``data`` (empty by default): someone with the right gets the form back with
  its errors (200) or, for a step with nothing to fill in, the step done (302); anyone else gets the
  refusal they get on GET (a 404 outside their scope, a 403 in scope without the permission) and the
  test checks that nothing in the database changed. 405 means the URL does not take that method.
- ``data``, ``method``, ``query``, ``headers``: what to send (a form's fields; "patch" or "put" for
  an API; a query string for both requests; ``If-Match``), when an empty POST is not the request
  that matters.
- ``shows``: text every 200 GET answer must hold (the record's title or reference), so that a page
  that answers 200 with the wrong record, or none, fails. Required when the URL names a record.

A key ``name@variant`` is a further row for the URL ``name`` that points at other records (a
members-only group's meeting, a confidential paper).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

World = Any  # tests.conftest.World; Any keeps this module free of the test fixtures' imports
Kwargs = Callable[[World], dict[str, Any]]
Text = Callable[[World], str]
Data = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Row:
    url: Kwargs
    get: str
    post: str
    shows: Text | None = None
    data: Data | None = None
    method: str = "post"
    query: Callable[[World], str] | None = None
    headers: Callable[[World], dict[str, str]] | None = None


def record(w: World, name: str) -> Any:
    """A record of the world: one of its attributes (``agency_a``) or something a module built (``w.extras``)."""
    return w.extras[name] if name in w.extras else getattr(w, name)


def none(w: World) -> dict[str, Any]:
    return {}


def pk(name: str) -> Kwargs:
    """``{"pk": <the record's primary key>}`` for a world attribute or an entry of ``world.extras``."""
    return lambda w: {"pk": record(w, name).pk}


def text(name: str, attribute: str) -> Text:
    """What a page about the record shows: one of its fields, as text."""
    return lambda w: str(getattr(record(w, name), attribute))


#              anon prA  prB  lead adm  oth  scr  sys
POST_ONLY = "302 405 405 405 405 405 405 405"  # a GET of a URL that only takes POST
NO_POST = "302 405 405 405 405 405 405 405"  # a POST to a page that only answers GET
API_NO_POST = "401 405 405 405 405 405 405 405"  # the same for a read-only API address


def api_id(name: str) -> Text:
    """What an API answer about the record holds: its id (the JSON is written without spaces)."""
    return lambda w: f'"id":{record(w, name).pk}'
