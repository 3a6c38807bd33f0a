"""The one list of record types a case file holds.

Navigation, the overview, search, the timeline, the API root and its URL
configuration, roles, integrity checks and backups are all derived from
``RECORD_TYPES`` and ``CASEFILE_MODELS``. Adding a kind of record is its own app
(models, views, urls, api/, and timeline.py if it is dated) and one ``RecordType``
here (and its model labels in ``CASEFILE_MODELS``, in loading order).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import resolve, reverse
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class RecordType:
    """A kind of record readers browse and integrators read.

    ``key`` names the kind in search results and the API root (plural, as in URLs);
    ``app`` is the Django app holding it, whose ``urls`` (namespace ``app``) and
    ``api.urls`` (namespace ``<app>-api``) are included under ``/<key>/`` and ``/api/v1/``;
    ``timeline`` is the dotted path of the kind's ``core.timeline.TimelineSource``, for
    the kinds whose dates make timeline entries; ``network`` that of its
    ``core.network.TieSource``, for the kinds that tie actors together.
    """

    key: str
    model_label: str
    blurb: str = ""
    in_navigation: bool = True
    on_overview: bool = True
    searchable: bool = True
    timeline: str = ""
    network: str = ""

    @property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def app(self) -> str:
        return self.model_label.split(".")[0]

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural).capitalize()

    @property
    def list_url_name(self) -> str:
        return f"{self.app}:list"

    @property
    def api_list_url_name(self) -> str:
        return f"{self.app}-api:{self.model._meta.model_name}-list"


# In the order the site shows them.
RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType("actors", "actors.actor", "States, organisations, units, chambers and people."),
    RecordType(
        "affiliations",
        "actors.affiliation",
        in_navigation=False,
        on_overview=False,
        timeline="apps.actors.timeline.AFFILIATIONS",
        network="apps.actors.network.AFFILIATION_TIES",
    ),
    RecordType(
        "agreements",
        "agreements.agreement",
        "Treaties, memoranda and laws with their dated lifecycle.",
        timeline="apps.agreements.timeline.AGREEMENT_STEPS",
        network="apps.agreements.network.AGREEMENT_TIES",
    ),
    RecordType(
        "deployments",
        "deployments.deployment",
        "Personnel sent or proposed, with head counts as stated.",
        timeline="apps.deployments.timeline.DEPLOYMENTS",
        network="apps.deployments.network.DEPLOYMENT_TIES",
    ),
    RecordType(
        "exercises",
        "exercises.exercise",
        "Exercises such as Steppe Eagle, edition by edition.",
        timeline="apps.exercises.timeline.EXERCISES",
        network="apps.exercises.network.EXERCISE_TIES",
    ),
    RecordType(
        "events",
        "events.event",
        "Visits, speeches, votes, openings and flights.",
        timeline="apps.events.timeline.EVENTS",
        network="apps.events.network.EVENT_TIES",
    ),
    RecordType("routes", "routes.route", "Supply routes and air lines of communication, leg by leg."),
    RecordType("places", "places.place", "Cities, bases, airfields and training centres."),
    RecordType("sources", "sources.source", "Every work cited, graded for reliability."),
    RecordType("citations", "citations.citation", in_navigation=False, on_overview=False, searchable=False),
)

# Every model a case file holds, in loading order (a row's foreign keys point up the list):
# what backups export, loading checks and the editorial roles cover.
CASEFILE_MODELS: tuple[str, ...] = (
    "sources.source",
    "sources.note",
    "places.place",
    "actors.actor",
    "actors.affiliation",
    "agreements.agreement",
    "agreements.agreementparty",
    "agreements.agreementstep",
    "deployments.deployment",
    "deployments.deploymentrole",
    "exercises.exerciseseries",
    "exercises.exercise",
    "exercises.exerciseparticipant",
    "events.event",
    "events.eventparticipant",
    "routes.route",
    "routes.leg",
    "routes.routeconstraint",
    "citations.citation",
    "whole_case.collection",
    "whole_case.collectionentry",
)


def casefile_models():
    """The models of ``CASEFILE_MODELS``, in loading order."""
    return [apps.get_model(label) for label in CASEFILE_MODELS]


def record_apps() -> list[str]:
    """The apps holding record types, each once, in the registry's order."""
    return list(dict.fromkeys(record_type.app for record_type in RECORD_TYPES))


def navigation_types():
    return [record_type for record_type in RECORD_TYPES if record_type.in_navigation]


def overview_types():
    return [record_type for record_type in RECORD_TYPES if record_type.on_overview]


def searchable_types():
    return [record_type for record_type in RECORD_TYPES if record_type.searchable]


def timeline_sources():
    """The ``TimelineSource`` of every dated kind, in the registry's order (the order
    entries of one date sort in)."""
    return [import_string(record_type.timeline) for record_type in RECORD_TYPES if record_type.timeline]


def network_sources():
    """The ``TieSource`` of every kind that ties actors, in the registry's order."""
    return [import_string(record_type.network) for record_type in RECORD_TYPES if record_type.network]


def readers_list_facets():
    """(key, counts) of every list page's facets, unfiltered, as an anonymous reader is shown
    them: computed after each write (``core.caching.store_after_writes``), so that the first
    reader of a list after a write does not wait for its counts."""
    for record_type in navigation_types():
        view = resolve(reverse(record_type.list_url_name)).func
        if view.view_class.facets:
            yield view.view_class.readers_facets(**view.view_initkwargs)
