"""Drafts never leak through the published records that refer to them.

A draft of every kind with a publication status (from the registry, so a new kind is
covered by default) gets an unguessable name and slug; then every relation any model of
the case file has to that kind is filled from a published record (or a sub-record of
one) pointing at the draft. Every reader path — each page the URL configuration serves,
every API list and detail in every format its view renders, search, the timeline and
``removed/`` — must then answer without the draft's name or slug, for anonymous readers
and for staff without permission to view the draft's kind; and a filter naming a
draft's slug answers exactly as for a slug that names nothing.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from apps.actors.models import Actor
from apps.agreements.choices import StepKind
from apps.citations.choices import CITABLE_FIELDS
from apps.citations.models import Citation
from apps.core.models import readable_by, sees_drafts
from apps.whole_case.registry import casefile_models
from tests import factories

pytestmark = pytest.mark.django_db

NAME_MARK = "Vorquelle"  # in every draft's name; no other text in Casefile holds it
SLUG_MARK = "zintrabek"  # in every draft's slug
UNKNOWN_SLUG = "no-record-has-this-slug"
SINCE = "2000-01-01T00:00:00Z"
SKIPPED_PREFIXES = ("admin/", "api/schema/", "api/docs/")


def draft_kinds():
    """Every model whose records can be drafts."""
    return [model for model in casefile_models() if any(f.name == "publication_status" for f in model._meta.fields)]


def factory_for(model):
    # A new kind needs a factory (tests/factories.py) before this module can cover it.
    return getattr(factories, f"{model.__name__}Factory")


def naming_field(model):
    names = {field.name for field in model._meta.fields}
    return next((name for name in ("name", "title") if name in names), None)


def make_drafts():
    drafts = {}
    for model in draft_kinds():
        label = model._meta.model_name
        values = {"publication_status": "draft", "slug": f"{SLUG_MARK}-{label}"}
        if field := naming_field(model):
            values[field] = f"{NAME_MARK} {label}"
        drafts[model] = factory_for(model)(**values)
    return drafts


def relations_to_drafts(drafts):
    """(model, field) of every foreign key and plain many-to-many of the case file that can
    point at a draft kind."""
    for model in casefile_models():
        for field in model._meta.get_fields():
            if not field.concrete or field.related_model not in drafts:
                continue
            if field.many_to_one or (field.many_to_many and field.remote_field.through._meta.auto_created):
                yield model, field


def tie_published_records(drafts):
    """A published record (or a sub-record of one) for every relation that can name a draft."""
    tied = []
    for model, field in relations_to_drafts(drafts):
        # Its own slug, not one derived from a name that may hold the draft's (an affiliation's).
        values = {"slug": f"tied-{len(tied)}"}
        if any(f.name == "publication_status" for f in model._meta.fields):
            values["publication_status"] = "published"
        targets = [name for name, _ in getattr(model, "targets", [])]
        if field.name in targets:  # a citation or a collection entry points to one record
            values.update({name: None for name in targets})
        if field.many_to_one:
            values[field.name] = drafts[field.related_model]
            record = factory_for(model)(**values)
        else:
            record = factory_for(model)(**values)
            getattr(record, field.name).add(drafts[field.related_model])
        tied.append(record)
    # Cited from a published source, each is read again two steps from the draft (a
    # source's page lists what cites it, by name).
    citable = {Citation._meta.get_field(name).related_model: name for name in CITABLE_FIELDS}
    for record in list(tied):
        if type(record) in citable and readable_by(None, record):
            targets = {name: None for name in CITABLE_FIELDS} | {citable[type(record)]: record}
            tied.append(factories.CitationFactory(**targets))
    return tied


@pytest.fixture
def case(db):
    drafts = make_drafts()
    tied = tie_published_records(drafts)
    # A name computed from a related record: the agreement's status and the timeline say
    # "Approved by <chamber>"; the latest step, so the agreement's status is named by it.
    tied.append(
        factories.AgreementStepFactory(
            kind=StepKind.APPROVED_BY_CHAMBER, acting_body=drafts[Actor], date="1 January 2030", slug="tied-vote"
        )
    )
    # What an anonymous reader may read: the records tied to drafts and those the factories made on the way.
    published = [
        record
        for model in casefile_models()
        if hasattr(model._default_manager, "visible_to")
        for record in model._default_manager.visible_to(AnonymousUser())
    ]
    return drafts, tied, published


# --- the reader paths, from the URL configuration --------------------------------------


def url_patterns():
    """(route, view class, actions) of every pattern outside the admin and the schema."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if route.startswith(SKIPPED_PREFIXES) or "(?P<format>" in route or pattern.name == "api-unknown":
                    continue  # the admin, the schema, format suffixes, the API's catch-all 404
                callback = pattern.callback
                view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
                yield route, view, getattr(callback, "actions", None) or {}

    return list(walk(get_resolver().url_patterns, ""))


def fill(route, slug=None):
    path = route.replace("^", "").replace("$", "")
    path = re.sub(r"\(\?P<slug>[^)]*\)|<slug:slug>", slug or "", path)
    return "/" + path


def view_model(view):
    queryset = getattr(view, "queryset", None)
    return queryset.model if queryset is not None else getattr(view, "model", None)


def renderer_formats(view):
    return [renderer.format for renderer in getattr(view, "renderer_classes", ())]


def reader_paths(published):
    """Every GET a reader can make: each page and API endpoint, every published record's
    detail, each in every format its view renders."""
    by_model = {}
    for record in published:
        by_model.setdefault(type(record), []).append(record.slug)
    paths = []
    for route, view, actions in url_patterns():
        takes_slug = "slug" in route
        if actions and actions.get("get") not in {"list", "retrieve", "removed"}:
            continue  # writes and the proposal queues (staff only)
        slugs = by_model.get(view_model(view), []) if takes_slug else [None]
        if takes_slug and not slugs:
            continue
        for slug in slugs:
            path = fill(route, slug)
            if actions.get("get") == "removed":
                paths.append(f"{path}?since={SINCE}")
                continue
            paths.append(path)
            for format_name in renderer_formats(view):
                paths.append(f"{path}?format={format_name}")
    # Searches that find the published records (their names' first words), to read their snippets.
    words = {
        getattr(record, naming_field(type(record))).split()[0] for record in published if naming_field(type(record))
    }
    for search in ("/search/", "/api/v1/search/"):
        paths += [f"{search}?q={word}" for word in words]
    return sorted(set(paths))


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def traces_in(response):
    text = body(response).decode("utf-8", "replace")
    return [mark for mark in (NAME_MARK, SLUG_MARK) if mark.lower() in text.lower()]


def assert_no_trace(client, paths):
    leaks = {}
    for path in paths:
        response = client.get(path)
        # Every path names a published record or a list: a refusal would hide a leak (the
        # API's search refuses a request without words).
        assert response.status_code == 200 or (response.status_code == 400 and "/search/" in path), (
            path,
            response.status_code,
        )
        if found := traces_in(response):
            leaks[path] = found
    assert not leaks, f"drafts show through: {leaks}"


def test_the_walk_covers_every_kind_and_format(case):
    drafts, tied, published = case
    paths = reader_paths(published)
    assert {field.related_model for _, field in relations_to_drafts(drafts)} == set(draft_kinds())
    assert any("format=csv" in path for path in paths)
    assert any("format=bibtex" in path for path in paths)
    assert any("/removed/" in path for path in paths)


def on_side(paths, side):
    return [path for path in paths if path.startswith("/api/") == (side == "api")]


@pytest.mark.parametrize("side", ["api", "pages"])
def test_anonymous_readers_see_no_trace_of_a_draft(case, side):
    drafts, tied, published = case
    assert_no_trace(Client(), on_side(reader_paths(published), side))


def staff_without_view_permission():
    """Staff allowed to view everything except the draft kinds: they read public pages as
    anyone does, and must not see drafts of a kind they may not view."""
    user = factories.UserFactory(username="staff-without-view", is_staff=True)
    denied = {
        f"{action}_{model._meta.model_name}" for model in draft_kinds() for action in ("view", "change")
    }
    user.user_permissions.set(Permission.objects.exclude(codename__in=denied))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("side", ["api", "pages"])
def test_staff_without_view_permission_see_no_drafts(case, side):
    drafts, tied, published = case
    assert_no_trace(staff_without_view_permission(), on_side(reader_paths(published), side))


# --- filters by a draft's slug ------------------------------------------------------------


# Slug parameters read by views without a FilterSet.
OTHER_SLUG_PARAMETERS = [("/timeline/", "actor"), ("/api/v1/timeline/", "actor")]


def slug_filters():
    """(list path, parameter) of every API filter and page filter that takes the slug of a
    related record (its label says so), and the timeline's actor."""
    found = list(OTHER_SLUG_PARAMETERS)
    for route, view, actions in url_patterns():
        filterset = getattr(view, "filterset_class", None)
        if filterset is None or "slug" in route or actions.get("get", "list") != "list":
            continue
        for name, declared in filterset.base_filters.items():
            if "slug" in str(declared.label).lower():
                found.append((fill(route), name))
    return found


def answer(client, path):
    response = client.get(path)
    return response.status_code, body(response).decode().replace(UNKNOWN_SLUG, "{slug}")


def test_a_filter_naming_a_draft_answers_as_for_an_unknown_slug(case):
    drafts, tied, published = case
    client = Client()
    filters = slug_filters()
    assert {name for _, name in filters} >= {"party", "actor", "unit", "participant", "contributor", "place"}
    mismatches = []
    for path, name in filters:
        unknown = answer(client, f"{path}?{name}={UNKNOWN_SLUG}")
        for draft in drafts.values():
            status, text = answer(client, f"{path}?{name}={draft.slug}")
            if (status, text.replace(draft.slug, "{slug}")) != unknown:
                mismatches.append(f"{path}?{name}={draft.slug}")
    assert not mismatches, mismatches


def test_staff_allowed_to_view_do_see_the_drafts(case):
    """The walk would find a leak: staff who may view drafts see them on the same paths."""
    drafts, tied, published = case
    client = Client()
    client.force_login(factories.StaffUserFactory())
    seen = [path for path in reader_paths(published) if traces_in(client.get(path))]
    assert any(path.startswith("/api/v1/") for path in seen)
    assert any(not path.startswith("/api/") for path in seen)
    assert any("format=csv" in path for path in seen)


def test_staff_see_drafts_only_of_the_kinds_they_may_view(db):
    may_view_actors = factories.UserFactory(username="actors-only", is_staff=True)
    may_view_actors.user_permissions.set(Permission.objects.filter(codename="view_actor"))
    not_staff = factories.UserFactory(username="not-staff", is_staff=False)
    not_staff.user_permissions.set(Permission.objects.filter(codename="view_actor"))
    drafts = make_drafts()
    assert sees_drafts(may_view_actors, Actor)
    assert not any(sees_drafts(may_view_actors, model) for model in drafts if model is not Actor)
    assert not sees_drafts(not_staff, Actor)
    client = Client()
    client.force_login(may_view_actors)
    assert drafts[Actor].slug in client.get("/api/v1/actors/").content.decode()
    assert SLUG_MARK not in client.get("/api/v1/places/").content.decode()


def test_the_schema_says_a_reference_may_be_null(client):
    schema = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    parent = schema["Actor"]["properties"]["parent"]
    assert parent.get("nullable") is True, parent
    supersedes = schema["Agreement"]["properties"]["supersedes"]["items"]
    assert "nullable" not in supersedes, supersedes  # a list leaves hidden records out
