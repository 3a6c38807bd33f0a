"""No change reaches what readers see without an editor — asked of every kind of the
registry, through every way the admin and the API write it.

Six roles (anonymous, Reader, Analyst, Editor, staff without a group, a member of the
Editor group without staff status) × draft / in review / published × add / change /
delete, for every model of ``CASEFILE_MODELS``: records and sub-records alike (notes,
steps, parties, roles, participants, affiliations, citations). The ways to write each
kind are found, not listed: its admin page, the inlines that edit it under another
record, its API endpoint, the nested lists that carry it. A kind added to the registry
is in the matrix at once (it only needs a maker in ``MAKERS``).

What is expected is written here from the roles, not read from the rule it checks:
editors may do anything; analysts add, change and delete what readers do not see yet,
but never touch a published record or anything of one, never publish (a record they
create is a draft) and never delete a record; nobody else writes at all.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import resolve, reverse
from rest_framework.test import APIClient

from apps.core import services
from apps.core.models import Record
from apps.whole_case.registry import RECORD_TYPES, casefile_models
from tests import factories
from tests.admin.test_admin import form_data
from tests.api.fixtures import as_input

ROLES = ["anonymous", "reader", "staff_without_group", "editor_without_staff", "analyst", "editor"]
STATUSES = ["draft", "in_review", "published"]
ACTIONS = ["add", "change", "delete"]
CHANGED = "Changed by the matrix."


def _actor(status):
    return factories.ActorFactory(publication_status=status)


def _agreement(status):
    return factories.AgreementFactory(publication_status=status)


# A row of each kind whose status — its own, or that of the record it belongs to — is ``status``.
MAKERS = {
    "sources.source": lambda s: factories.SourceFactory(publication_status=s),
    "sources.note": lambda s: factories.NoteFactory(document=factories.SourceFactory(publication_status=s)),
    "places.place": lambda s: factories.PlaceFactory(publication_status=s),
    "actors.actor": _actor,
    "actors.affiliation": lambda s: factories.AffiliationFactory(publication_status=s, member=_actor(s)),
    "agreements.agreement": _agreement,
    "agreements.agreementparty": lambda s: factories.AgreementPartyFactory(agreement=_agreement(s)),
    "agreements.agreementstep": lambda s: factories.AgreementStepFactory(agreement=_agreement(s)),
    "deployments.deployment": lambda s: factories.DeploymentFactory(publication_status=s),
    "deployments.deploymentrole": lambda s: factories.DeploymentRoleFactory(
        deployment=factories.DeploymentFactory(publication_status=s)
    ),
    "exercises.exerciseseries": lambda s: factories.ExerciseSeriesFactory(publication_status=s),
    "exercises.exercise": lambda s: factories.ExerciseFactory(publication_status=s),
    "exercises.exerciseparticipant": lambda s: factories.ExerciseParticipantFactory(
        exercise=factories.ExerciseFactory(publication_status=s)
    ),
    "events.event": lambda s: factories.EventFactory(publication_status=s),
    "events.eventparticipant": lambda s: factories.EventParticipantFactory(
        event=factories.EventFactory(publication_status=s)
    ),
    "routes.route": lambda s: factories.RouteFactory(publication_status=s),
    "routes.leg": lambda s: factories.LegFactory(route=factories.RouteFactory(publication_status=s)),
    "routes.routeconstraint": lambda s: factories.RouteConstraintFactory(
        route=factories.RouteFactory(publication_status=s)
    ),
    "citations.citation": lambda s: factories.CitationFactory(actor=_actor(s)),
    "whole_case.collection": lambda s: factories.CollectionFactory(publication_status=s),
    "whole_case.collectionentry": lambda s: factories.CollectionEntryFactory(
        collection=factories.CollectionFactory(publication_status=s)
    ),
}


def make(model, status, *, under=None):
    """A row for ``MAKERS``; ``under`` names the record field a path edits it under (the
    citations inline of the agreement steps' admin: ``agreement_step``), where it has several."""
    label = model._meta.label_lower
    assert label in MAKERS, f"{label} is in the registry: give it a maker in MAKERS"
    row = MAKERS[label](status)
    if under is None or getattr(row, f"{under}_id") is not None:
        return row
    # A citation of another kind of record: the same, citing a fresh one of this kind.
    target = model._meta.get_field(under).related_model
    for field in model._meta.get_fields():
        if field.many_to_one and field.null and getattr(row, field.attname) is not None:
            setattr(row, field.name, None)
    setattr(row, under, make(target, status))
    row.save()
    return row


def text_field(model):
    """A plain text field of the model that every form and serializer of it shows."""
    fields = [
        field.name
        for field in model._meta.concrete_fields
        if type(field) in (models.CharField, models.TextField) and not field.choices and field.name != "slug"
    ]
    preferred = [name for name in ("description", "summary", "locator", "role", "notes", "text") if name in fields]
    return (preferred or fields)[0]


def is_record(model):
    return issubclass(model, Record)


def allowed(role, model, action, status, kind):
    """Whether ``role`` may ``action`` a row of ``model`` at ``status`` through a path of ``kind``."""
    if role == "editor":
        return True
    if role != "analyst":
        return False
    if action == "delete" and is_record(model):
        return False  # deleting a record is an editor's decision
    if action == "add" and is_record(model) and kind == "admin page":
        return True  # the status is not in an analyst's form: the new record is a draft
    if action == "add" and is_record(model) and kind == "api endpoint":
        return status == "draft"  # the status sent is the new record's own
    return status != "published"


# --- the ways to write a kind -----------------------------------------------------------------


def without_inline_rows(data, page):
    """A change form's data with no inline rows: the record's own fields only."""
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def remove(row):
    """Take the row away behind everyone's back, so that adding it again can be tried."""
    type(row)._base_manager.filter(pk=row.pk).delete()


class AdminPage:
    kind = "admin page"

    def __init__(self, model):
        self.model = model
        self.label = f"{model._meta.label_lower} admin page"

    def url(self, name, *args):
        return reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_{name}", args=args)

    def prepare(self, root, row, action):
        state = {"row": row}
        if action in ("add", "change"):
            page = root.get(self.url("change", row.pk))
            state["data"] = without_inline_rows(form_data(page), page)
            assert "slug" in state["data"], f"{self.label}: the form has no slug to find the new row by"
        if action == "add":
            remove(row)
        return state

    def attempt(self, client, state, action):
        row = state["row"]
        if action == "delete":
            return client.post(self.url("delete", row.pk), {"post": "yes"})
        data = dict(state["data"])
        if action == "change":
            data[text_field(self.model)] = CHANGED
            return client.post(self.url("change", row.pk), data)
        return client.post(self.url("add"), data)

    def written(self, state, action):
        """The row as the attempt left it (None: there is none), and whether it changed."""
        row = state["row"]
        stored = self.model._default_manager.filter(slug=row.slug).first()
        if action == "add":
            return stored, stored is not None
        if action == "delete":
            return stored, stored is None
        return stored, getattr(stored, text_field(self.model)) == CHANGED


class AdminInline:
    kind = "admin inline"

    def __init__(self, model, parent_model, inline):
        self.model, self.parent_model = model, parent_model
        self.fk = inline.fk_name or next(
            f.name for f in model._meta.get_fields() if f.many_to_one and f.related_model is parent_model
        )
        self.label = f"{model._meta.label_lower} inline of the {parent_model._meta.label_lower} admin"

    def prepare(self, root, row, action):
        parent = getattr(row, self.fk)
        opts = self.parent_model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[parent.pk])
        page = root.get(url)
        data = form_data(page)
        [formset] = [
            inline.formset
            for inline in page.context["inline_admin_formsets"]
            if inline.formset.model is self.model and inline.formset.fk.name == self.fk
        ]
        prefix = formset.prefix
        index = next(i for i, form in enumerate(formset.initial_forms) if form.instance.pk == row.pk)
        siblings = self.model._default_manager.filter(**{self.fk: parent})
        state = {"row": row, "parent": parent, "url": url, "data": data, "siblings": siblings}
        state["before"] = siblings.count()
        if action == "change":
            data[f"{prefix}-{index}-{text_field(self.model)}"] = CHANGED
        elif action == "delete":
            data[f"{prefix}-{index}-DELETE"] = "on"
        else:  # the row's values in a new row of the form, the row itself gone
            own = f"{prefix}-{index}-"
            values = {key[len(own):]: value for key, value in data.items() if key.startswith(own)}
            for key in [key for key in data if key.startswith(f"{prefix}-") and key[len(prefix) + 1].isdigit()]:
                del data[key]
            data.update({f"{prefix}-0-{name}": value for name, value in values.items() if name not in ("id", self.fk)})
            data[f"{prefix}-TOTAL_FORMS"], data[f"{prefix}-INITIAL_FORMS"] = "1", "0"
            remove(row)
        return state

    def attempt(self, client, state, action):
        # An analyst refused a row may still have saved the record around it: the form is
        # sent as opened now, so that the next role meets no stale-edit refusal.
        parent = state["parent"]
        current = type(parent)._default_manager.filter(pk=parent.pk).values_list("version", flat=True).get()
        return client.post(state["url"], {**state["data"], "expected_version": current})

    def written(self, state, action):
        row, siblings = state["row"], state["siblings"]
        if action == "add":
            new = siblings.exclude(pk=row.pk).order_by("-pk").first() if siblings.count() == state["before"] else None
            return new, new is not None
        stored = self.model._default_manager.filter(pk=row.pk).first()
        if action == "delete":
            return stored, stored is None
        return stored, getattr(stored, text_field(self.model)) == CHANGED


class ApiEndpoint:
    kind = "api endpoint"

    def __init__(self, model, key):
        self.model, self.key = model, key
        self.label = f"{model._meta.label_lower} at /api/v1/{key}/"

    def prepare(self, root, row, action):
        state = {"row": row}
        if action == "add":
            response = root.get(f"/api/v1/{self.key}/{row.slug}/")
            assert response.status_code == 200
            state["document"] = as_input(response.json())
            remove(row)
        return state

    def attempt(self, client, state, action):
        url = f"/api/v1/{self.key}/{state['row'].slug}/"
        if action == "delete":
            return client.delete(url)
        if action == "change":
            return client.patch(url, {text_field(self.model): CHANGED}, format="json")
        return client.post(f"/api/v1/{self.key}/", state["document"], format="json")

    written = AdminPage.written


class ApiNested:
    kind = "api nested"

    def __init__(self, model, key, field, parent_field):
        self.model, self.key, self.field, self.parent_field = model, key, field, parent_field
        self.label = f"{model._meta.label_lower} as {key}' {field}"

    def prepare(self, root, row, action):
        parent = getattr(row, self.parent_field)
        url = f"/api/v1/{self.key}/{parent.slug}/"
        items = as_input(root.get(url).json()[self.field])
        mine = next(i for i, item in enumerate(items) if item["slug"] == row.slug)
        siblings = self.model._default_manager.filter(**{self.parent_field: parent})
        state = {"row": row, "url": url, "items": items, "siblings": siblings, "before": siblings.count()}
        if action == "change":
            items[mine][text_field(self.model)] = CHANGED
        elif action == "delete":
            del items[mine]
        else:
            del items[mine]["slug"]
            remove(row)
        return state

    def attempt(self, client, state, action):
        return client.patch(state["url"], {self.field: state["items"]}, format="json")

    written = AdminInline.written


def paths():
    """Every way the admin and the API write each kind of the registry."""
    found = []
    serializers = {
        record_type.key: resolve(reverse(record_type.api_list_url_name)).func.cls.serializer_class
        for record_type in RECORD_TYPES
    }
    for model in casefile_models():
        if admin.site.is_registered(model):
            found.append(AdminPage(model))
        for parent_model in casefile_models():
            if admin.site.is_registered(parent_model):
                for inline in admin.site.get_model_admin(parent_model).inlines:
                    if inline.model is model:
                        found.append(AdminInline(model, parent_model, inline))
        for record_type in RECORD_TYPES:
            serializer = serializers[record_type.key]
            if record_type.model is model:
                found.append(ApiEndpoint(model, record_type.key))
            for field, parent_field in getattr(serializer.Meta, "nested", {}).items():
                if serializer().fields[field].child.Meta.model is model:
                    found.append(ApiNested(model, record_type.key, field, parent_field))
    return found


PATHS = paths()


def test_every_kind_can_be_written_somewhere_and_is_in_the_matrix():
    for model in casefile_models():
        assert model._meta.label_lower in MAKERS
        assert any(path.model is model for path in PATHS), f"{model._meta.label_lower}: no way to write it"


@pytest.fixture
def clients(roles):
    users = {
        "reader": factories.UserFactory(groups=["Reader"]),
        "analyst": factories.UserFactory(groups=["Analyst"]),
        "editor": factories.UserFactory(groups=["Editor"]),
        "staff_without_group": factories.UserFactory(),
        "editor_without_staff": factories.UserFactory(is_staff=False, groups=["Editor"]),
        "root": User.objects.create_superuser("matrix-root", password=None),
    }
    found = {"anonymous": APIClient()}
    for role, user in users.items():
        client = APIClient()
        client.force_login(user)  # the admin
        client.force_authenticate(user)  # the API
        # The matrix is about who may write, not about preconditions (tests/api/test_preconditions.py).
        client.credentials(HTTP_IF_MATCH="*")
        found[role] = client
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.label)
def test_no_change_reaches_what_readers_see_without_an_editor(path, clients):
    wrong = []
    for status in STATUSES:
        for action in ACTIONS:
            state = None
            for role in ROLES:
                if state is None:  # a fresh row, as long as nobody has changed the last one
                    row = make(path.model, status, under=getattr(path, "fk", None))
                    state = path.prepare(clients["root"], row, action)
                response = path.attempt(clients[role], state, action)
                stored, changed = path.written(state, action)
                expected = allowed(role, path.model, action, status, path.kind)
                if changed != expected:
                    outcome = "done" if changed else "refused"
                    wrong.append(f"{role} {action} {status}: {outcome} ({response.status_code})")
                if not changed and path.kind.startswith("api"):
                    # 404: a user who may not see drafts is not told that this one exists.
                    refusals = (401, 403, 404) if status != "published" else (401, 403)
                    assert response.status_code in refusals, f"{role} {action} {status}: {response.content[:300]}"
                if changed and role != "editor" and stored is not None:
                    published = getattr(stored, "publication_status", None) == "published"
                    assert not published, f"{role} {action} {status}: published a row"
                    if action == "add" and is_record(path.model):
                        assert stored.publication_status == "draft", f"{role} {status}: added a record not as a draft"
                if changed:
                    state = None
    assert not wrong, f"{path.label}:\n" + "\n".join(wrong)


# --- the rule's edges ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_editor_group_without_staff_status_neither_publishes_nor_deletes_over_the_api(roles):
    client = APIClient()
    client.force_authenticate(factories.UserFactory(is_staff=False, groups=["Editor"]))
    client.credentials(HTTP_IF_MATCH="*")
    actor = factories.ActorFactory(publication_status="in_review")
    published = factories.ActorFactory()
    refused = client.post(f"/api/v1/actors/{published.slug}/unpublish/")
    assert refused.status_code == 403 and "staff" in refused.json()["detail"]
    assert client.delete(f"/api/v1/actors/{published.slug}/").status_code == 403
    # Refused at the door, before the record is looked up: a record in review (which they
    # may not see) gets the same answer as a slug that does not exist.
    in_review = client.post(f"/api/v1/actors/{actor.slug}/publish/")
    assert in_review.status_code == 403
    assert in_review.json() == client.post("/api/v1/actors/no-such-actor/publish/").json() == refused.json()
    actor.refresh_from_db()
    published.refresh_from_db()
    assert (actor.publication_status, published.publication_status) == ("in_review", "published")


@pytest.mark.django_db
def test_deleting_a_record_may_not_take_a_published_record_with_it(roles):
    analyst = factories.UserFactory(groups=["Analyst"])
    analyst.user_permissions.add(Permission.objects.get(codename="delete_actor"))
    draft = factories.ActorFactory(publication_status="draft")
    factories.AffiliationFactory(member=draft, publication_status="published")
    refusal = services.editorial_refusal(analyst, draft, services.DELETE)
    assert refusal.startswith("Deleting this actor would delete the published affiliation")
    editor = factories.UserFactory(groups=["Editor"])
    services.record_delete(draft, user=editor)


@pytest.mark.django_db
def test_the_system_saves_and_deletes_but_never_publishes():
    event = factories.EventFactory(publication_status="draft")
    event.title = "Renamed by a script"
    services.record_save(event, user=None)
    with pytest.raises(PermissionDenied, match="Only an editor can publish records."):
        services.record_publish(event, user=None)
    services.record_delete(event, user=None)
