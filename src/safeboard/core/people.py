"""Picking a person: one field, one widget and one search, for owners, presenters, chairs, deputies…

- ``PersonField`` is a ``ModelChoiceField`` of people. Its queryset is the people the form allows
  (an action's possible owners, a seat's named deputies); the field always narrows it to the people
  the person filling in the form may pick (``User.objects.visible_to(user, "pick")``, the
  ``accounts.pick_user`` permission), so nobody can be chosen by posting a number.
- ``PersonPicker`` draws it. Every choice reads "Name (Agency, role)", so two people with the same
  name can be told apart. With up to ``PersonPicker.list_limit`` people it is a plain select; with
  more, a search box above a select of the matches: a person who types a name and saves gets the
  form back (nothing saved) with the people found in the select and a message to choose one, so it
  works without JavaScript. With JavaScript, ``person-picker.mjs`` turns it
  into an accessible autocomplete (the npm package ``accessible-autocomplete``) that asks
  ``core:people-search`` as the person types.
- ``core:people-search`` (``PeopleSearchView``) answers JSON for the autocomplete and an HTML page
  otherwise; it searches the same people as the field: its ``scope`` names one of ``PERSON_SCOPES``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django_stubs_ext import StrOrPromise

from safeboard.accounts.models import Membership, User
from safeboard.core.ids import parse_id
from safeboard.core.models import Partnership
from safeboard.core.permissions import Role

SEARCH_SUFFIX = "-search"
RESULTS_LIMIT = 20

PersonScope = Callable[[Partnership], QuerySet[User]]


def people_of(partnership: Partnership) -> QuerySet[User]:
    """Active people with an active role in the partnership."""
    people: QuerySet[User] = User.objects.filter(
        is_active=True, memberships__partnership=partnership, memberships__is_active=True
    ).distinct()
    return people


# Named sets of people a picker may offer; a module adds its own (``register_person_scope``).
PERSON_SCOPES: dict[str, PersonScope] = {"people": people_of}


def register_person_scope(name: str, scope: PersonScope) -> None:
    PERSON_SCOPES[name] = scope


def pickable(user: Any, partnership: Partnership, people: QuerySet[User] | None = None) -> QuerySet[User]:
    """``people`` (by default everyone in the partnership) narrowed to those ``user`` may pick, with
    their agency and their roles here loaded for the labels (two queries however many)."""
    base = people if people is not None else people_of(partnership)
    allowed = User.objects.visible_to(user, "pick", partnership=partnership).in_partnership(partnership)
    roles = Membership.objects.filter(partnership=partnership, is_active=True).order_by("role")
    return (
        base.filter(pk__in=allowed.values("pk"))
        .select_related("agency")
        .prefetch_related(Prefetch("memberships", queryset=roles, to_attr="roles_here"))
        .order_by("full_name", "id")
    )


def search(people: QuerySet[User], text: str) -> QuerySet[User]:
    """People whose name, email, agency or job title contains each word typed."""
    for word in text.split()[:5]:
        people = people.filter(
            Q(full_name__icontains=word)
            | Q(email__icontains=word)
            | Q(agency__name__icontains=word)
            | Q(job_title__icontains=word)
        )
    return people


_ROLE_LABELS = dict(Role.choices)


def role_text(person: User) -> str:
    """The person's roles in the partnership (loaded by ``pickable``), else their job title."""
    roles = [str(_ROLE_LABELS.get(m.role, m.role)) for m in getattr(person, "roles_here", [])]
    text = ", ".join(dict.fromkeys(roles))
    return text or person.job_title


def person_label(person: User) -> str:
    """ "Sam Patel (Riverside Constabulary, Board member)"."""
    details = [str(person.agency) if getattr(person, "agency_id", None) else "", role_text(person)]
    details = [d for d in details if d]
    return f"{person.full_name} ({', '.join(details)})" if details else person.full_name


def as_json(person: User) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.full_name,
        "agency": str(person.agency) if getattr(person, "agency_id", None) else "",
        "role": role_text(person),
        "label": person_label(person),
    }


class PersonPicker(forms.Select):
    """A select of people, limited to a sensible size: see the module's docstring."""

    template_name = "core/forms/widgets/person_picker.html"
    list_limit = 150
    # A search box whatever the number of people (a filter over everyone who owns something: counting
    # them costs more than the rest of the page).
    always_search = False
    field: PersonField | None = None

    def __init__(self, attrs: dict[str, Any] | None = None, scope: str = "people") -> None:
        super().__init__({"class": "govuk-select", **(attrs or {})})
        self.scope = scope
        self.search_text = ""
        self.empty_label: StrOrPromise = "Not chosen"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        field: PersonField | None = getattr(self, "field", None)
        people = field.people() if field is not None else User.objects.none()
        # Ids first (one light query): a long list becomes a search, and its people are never loaded.
        big = self.always_search or (
            len(people.order_by().values_list("pk", flat=True)[: self.list_limit + 1]) > self.list_limit
        )
        listed = [] if big else list(people)  # one query (and one for the roles) when small
        chosen = [str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")]
        matches: list[User] = []
        if big:
            ids = [pk for pk in (parse_id(c) for c in chosen) if pk is not None]
            shown = list(people.filter(pk__in=ids)) if ids else []
            if self.search_text.strip():
                matches = list(search(people, self.search_text)[: RESULTS_LIMIT + 1])
            listed = list(dict.fromkeys([*shown, *matches[:RESULTS_LIMIT]]))
        self.choices = [("", self.empty_label)] + [(p.pk, person_label(p)) for p in listed]
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget.update(
            big=big,
            search_name=f"{name}{SEARCH_SUFFIX}",
            search_id=f"{widget['attrs'].get('id', 'id_' + name)}{SEARCH_SUFFIX}",
            search_text=self.search_text,
            match_count=min(len(matches), RESULTS_LIMIT),
            more_matches=len(matches) > RESULTS_LIMIT,
            search_url=f"{reverse('core:people-search')}?scope={self.scope}",
        )
        return context


class PersonField(forms.ModelChoiceField[User]):
    """A person picked with ``PersonPicker``; call ``limit_to(people, user, partnership)`` in the
    form's ``__init__`` (``PersonFormMixin`` does it for every person field)."""

    widget = PersonPicker

    def __init__(self, *, scope: str = "people", queryset: QuerySet[User] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", "Not chosen")
        super().__init__(queryset=queryset if queryset is not None else User.objects.none(), **kwargs)
        self.scope = scope
        picker = self.picker()
        picker.scope = scope
        picker.empty_label = str(self.empty_label or "Not chosen")
        picker.field = self

    def picker(self) -> PersonPicker:
        widget = self.widget
        if not isinstance(widget, PersonPicker):
            raise TypeError("A PersonField is drawn with a PersonPicker")
        return widget

    def people(self) -> QuerySet[User]:
        return self.queryset if self.queryset is not None else User.objects.none()

    def __deepcopy__(self, memo: dict[int, Any]) -> PersonField:
        result = super().__deepcopy__(memo)
        result.picker().field = result
        return result

    default_error_messages = {
        "search": "Select someone in the list of people found",
        "no_match": "No one matches ‘{text}’: check the spelling, or search by agency or email",
    }

    def clean(self, value: Any) -> Any:
        text = self.picker().search_text.strip()
        if value in self.empty_values and text:
            # The search step without JavaScript: the form comes back with the matches to choose from.
            if not search(self.people(), text).exists():
                raise forms.ValidationError(self.error_messages["no_match"].format(text=text[:60]), code="no_match")
            raise forms.ValidationError(self.error_messages["search"], code="search")
        return super().clean(value)

    def to_python(self, value: Any) -> User | None:
        """The chosen person, in one query (without loading the roles the labels need)."""
        if value in self.empty_values:
            return None
        if isinstance(value, User):
            value = value.pk
        try:
            person: User = self.people().prefetch_related(None).get(pk=value)
            return person
        except (ValueError, TypeError, User.DoesNotExist):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None

    def limit_to(self, people: QuerySet[User], user: Any, partnership: Partnership) -> None:
        self.queryset = pickable(user, partnership, people)

    def label_from_instance(self, obj: User) -> str:
        return person_label(obj)


def read_search_text(form: forms.BaseForm) -> None:
    """Give each person picker of a bound form the text typed in its search box."""
    if not form.is_bound:
        return
    for name, field in form.fields.items():
        if isinstance(field, PersonField):
            field.picker().search_text = str(form.data.get(f"{form.add_prefix(name)}{SEARCH_SUFFIX}", ""))[:100]
