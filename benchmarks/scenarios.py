"""The measured scenarios: a page or API call, who asks for it, and the main list query behind it.

Each scenario is a function registered with ``@scenario(name)`` that returns a ``Prepared``
request: a ``django.test.Client`` signed in as a realistic persona, the path to fetch, text the
response must contain (proof that we timed the page, not a redirect to the sign-in page), and the
queryset the view builds for its main list. ``run.py`` times the request through the whole stack
and, separately, that queryset's SQL on a bare cursor.

A module adds scenarios the same way from its own benchmark file (see ``EXTENSIONS`` in
``generate.py``). Build the queryset exactly as the view does: ``run.py`` checks that its SQL is
one the page really ran, and flags the row when it is not.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models
from django.http import HttpResponse, QueryDict
from django.test import Client
from django.urls import clear_url_caches, path, reverse
from django.views.generic import TemplateView
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeboard.accounts.forms import PersonFilter
from safeboard.accounts.models import APIToken, User
from safeboard.accounts.views import PersonListView
from safeboard.core.audit import ChangeLogEntry
from safeboard.core.context import acting_as
from safeboard.core.filters import ChangeLogFilter
from safeboard.core.middleware import CURRENT_PARTNERSHIP
from safeboard.core.models import Agency, Partnership

# The list views' own keyset helpers, so that the raw query for a later page is the view's query.
from safeboard.core.pagination import _SALT as KEYSET_SALT
from safeboard.core.pagination import _after as keyset_condition
from safeboard.core.views_base import PartnershipView

PAGE_ROWS = 50  # the web lists and the API both show 50 and fetch one more to know if there is a next page
NEXT_LINK = re.compile(r'href="(\?[^"]*)" rel="next"')


@dataclass
class Prepared:
    client: Client
    path: str
    expect: str  # text the response must contain
    queryset: models.QuerySet | None = None  # the page's main list query, sliced as the page slices it
    headers: dict[str, str] = field(default_factory=dict)
    note: str = ""  # printed under the results table

    def get(self) -> HttpResponse:
        return self.client.get(self.path, headers=self.headers)

    def check(self, response: HttpResponse) -> None:
        if response.status_code != 200:
            where = response.get("Location", "")
            raise RuntimeError(f"GET {self.path} answered {response.status_code} {where}".strip())
        if self.expect.encode() not in response.content:
            raise RuntimeError(f"GET {self.path} did not contain {self.expect!r}")


class World:
    """The personas and records the scenarios use, found again from the generator's marks."""

    def __init__(self, marks: dict[str, Any]) -> None:
        self.marks = marks
        self.partnership = Partnership.objects.get(pk=marks["partnership"])
        self.partnership_admin = User.objects.get(pk=marks["partnership_admin"])
        self.system_admin = User.objects.get(pk=marks["system_admin"])
        self.history_agency = Agency.objects.get(pk=marks["history_agency"])
        self.history_person = User.objects.get(pk=marks["history_person"])
        self._browsers: dict[int, Client] = {}
        self._tokens: dict[int, str] = {}

    def browser(self, user: User) -> Client:
        """A client signed in as ``user``, password and authenticator code done, in the partnership."""
        if user.pk not in self._browsers:
            client = Client()
            client.force_login(user)
            device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Benchmark app"})
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session[CURRENT_PARTNERSHIP] = self.partnership.pk
            session.save()
            self._browsers[user.pk] = client
        return self._browsers[user.pk]

    def api_headers(self, user: User) -> dict[str, str]:
        """A personal API token for ``user`` (one per run; the secret is never stored)."""
        if user.pk not in self._tokens:
            with acting_as("benchmark harness"):
                _, self._tokens[user.pk] = APIToken.issue(user, "Benchmark run", days=1)
        return {"Authorization": f"Bearer {self._tokens[user.pk]}"}


@dataclass(frozen=True)
class Scenario:
    name: str
    prepare: Callable[[World], Prepared]
    # A web page held to the page-time budget: p50 at most BUDGET × the shell's p50. API calls
    # render no frame, so they are timed but not compared with the shell.
    budget: bool = True


SCENARIOS: list[Scenario] = []
SHELL = "shell (lightest signed-in page)"
BUDGET = 2.0  # every list page and dashboard at most twice the shell's p50 (issue 8, section 5)


def scenario(name: str, *, budget: bool = True) -> Callable[[Callable[[World], Prepared]], Callable[[World], Prepared]]:
    def register(function: Callable[[World], Prepared]) -> Callable[[World], Prepared]:
        SCENARIOS.append(Scenario(name, function, budget=budget and name != SHELL))
        return function

    return register


# --- The shell: the fixed cost of every signed-in page --------------------------------------------------


class ShellView(PartnershipView, TemplateView):
    """The page frame alone: header with the partnership switcher, navigation, messages and footer,
    and no content. It goes through every middleware and the same base view as the list pages, so
    its time is what any signed-in page costs before its content. Mounted by the benchmark only."""

    template_name = "core/base.html"
    extra_context = {"title": "Shell"}


SHELL_PATH = "bench/shell/"


def install_shell_page() -> str:
    """Append the shell's URL to the site's URLs (last, so resolving it costs no less than a real
    page) for this process only; the site itself has no such page."""
    urlconf = import_module(settings.ROOT_URLCONF)
    if not any(getattr(p, "name", None) == "bench-shell" for p in urlconf.urlpatterns):
        urlconf.urlpatterns.append(path(SHELL_PATH, ShellView.as_view(), name="bench-shell"))
        clear_url_caches()
    return reverse("bench-shell")


@scenario(SHELL)
def shell(world: World) -> Prepared:
    return Prepared(world.browser(world.partnership_admin), install_shell_page(), expect="govuk-footer")


# --- People ----------------------------------------------------------------------------------------------


def people_query(world: World, search: str = "", cursor: str = "") -> models.QuerySet:
    """What ``PersonListView`` (through ``ScopedListView``) asks the database for its rows."""
    user, partnership = world.partnership_admin, world.partnership
    queryset = User.objects.visible_to(user).in_partnership(partnership).select_related(*PersonListView.select_related)
    if search:
        filterset = PersonFilter(
            QueryDict(urlencode({"search": search})),
            queryset=queryset,
            request=SimpleNamespace(partnership=partnership),
        )
        assert filterset.is_valid(), filterset.errors
        queryset = filterset.qs
    if cursor:
        values = signing.loads(cursor, salt=KEYSET_SALT)["v"]
        queryset = queryset.filter(keyset_condition(PersonListView.ordering, values, False))
    return queryset.order_by(*PersonListView.ordering)[: PAGE_ROWS + 1]


@scenario("people list (first page)")
def people_first_page(world: World) -> Prepared:
    return Prepared(
        world.browser(world.partnership_admin),
        reverse("accounts:person-list"),
        expect="govuk-table",
        queryset=people_query(world),
    )


@scenario("people list (filtered by name)")
def people_search_common(world: World) -> Prepared:
    search = world.marks["search_common"]
    path = f"{reverse('accounts:person-list')}?{urlencode({'search': search})}"
    return Prepared(
        world.browser(world.partnership_admin), path, expect="govuk-table", queryset=people_query(world, search=search)
    )


@scenario("people list (search for one person)")
def people_search_rare(world: World) -> Prepared:
    search = world.marks["search_rare"]
    path = f"{reverse('accounts:person-list')}?{urlencode({'search': search})}"
    return Prepared(
        world.browser(world.partnership_admin), path, expect=search, queryset=people_query(world, search=search)
    )


@scenario("people list (page 50 via keyset cursor)")
def people_page_50(world: World) -> Prepared:
    client = world.browser(world.partnership_admin)
    base = reverse("accounts:person-list")
    path, page = base, 1
    while page < 50:  # follow "Next" from page 1 to page 50, as a person would
        found = NEXT_LINK.search(client.get(path).content.decode())
        if found is None:
            break
        path, page = base + html.unescape(found.group(1)), page + 1
    if page == 1:
        raise RuntimeError("The people list has a single page at this scale: nothing to page through.")
    cursor = parse_qs(urlsplit(path).query)["cursor"][0]
    note = "" if page == 50 else f"the list has only {page} pages at this scale: page {page} was timed"
    return Prepared(client, path, expect="govuk-table", queryset=people_query(world, cursor=cursor), note=note)


@scenario("API people list (personal token)", budget=False)
def api_people(world: World) -> Prepared:
    # PersonViewSet.get_queryset, then the cursor pagination's ordering (the filters are empty).
    queryset = User.objects.visible_to(world.partnership_admin).order_by("id")[: PAGE_ROWS + 1]
    return Prepared(
        Client(),
        reverse("api:person-list"),
        expect='"results"',
        queryset=queryset,
        headers=world.api_headers(world.partnership_admin),
    )


# --- Record history and the audit trail ----------------------------------------------------------------


def history_query(record: models.Model) -> models.QuerySet:
    """What ``RecordHistoryView`` asks for its first page of changes."""
    content_type = ContentType.objects.get_for_model(type(record))
    changes = ChangeLogEntry.objects.filter(content_type_id=content_type.pk, object_id=str(record.pk))
    return changes.order_by("-id")[: PAGE_ROWS + 1]


@scenario("audit history page (agency, ~200 changes)")
def agency_history(world: World) -> Prepared:
    agency = world.history_agency
    path = reverse("core:record-history", args=["core", "agency", agency.pk])
    return Prepared(
        world.browser(world.system_admin), path, expect="govuk-summary-card", queryset=history_query(agency)
    )


@scenario("audit history page (person)")
def person_history(world: World) -> Prepared:
    person = world.history_person
    path = reverse("core:record-history", args=["accounts", "user", person.pk])
    # Few changes to one person, but ~150 views of their record: the "who has viewed this" table.
    return Prepared(world.browser(world.system_admin), path, expect="govuk-table", queryset=history_query(person))


@scenario("audit trail (system admin)")
def audit_trail(world: World) -> Prepared:
    queryset = ChangeLogEntry.objects.all().order_by("-id")[: PAGE_ROWS + 1]
    return Prepared(
        world.browser(world.system_admin), reverse("core:audit-changes"), expect="govuk-table", queryset=queryset
    )


@scenario("audit trail (filtered by person)")
def audit_trail_by_person(world: World) -> Prepared:
    # An investigation: everything one practitioner changed. They changed little, so most of the log is read.
    actor = world.history_person.email
    filterset = ChangeLogFilter(QueryDict(urlencode({"actor": actor})), queryset=ChangeLogEntry.objects.all())
    assert filterset.is_valid(), filterset.errors
    path = f"{reverse('core:audit-changes')}?{urlencode({'actor': actor})}"
    return Prepared(
        world.browser(world.system_admin),
        path,
        expect="Audit trail",
        queryset=filterset.qs.order_by("-id")[: PAGE_ROWS + 1],
    )
