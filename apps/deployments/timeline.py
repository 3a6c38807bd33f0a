"""Deployments on the case file's timeline: an entry where one begins and where it ends."""

from django.db.models import F, Q

from apps.core.timeline import START_AND_END, TimelineSource, actors_seen, span_entries

from .models import Deployment


def visible_deployments(user, actor_slug):
    deployments = Deployment.objects.visible_to(user)
    if actor_slug:
        deployments = deployments.filter(
            Q(contributor__slug=actor_slug) | Q(unit__slug=actor_slug) | Q(mission__slug=actor_slug)
        )
    return deployments


def deployment_entries(deployment, drafts):
    return span_entries(
        "deployment", deployment, begins=f"{deployment.name} begins", ends=f"{deployment.name} ends"
    )


def deployment_actors(deployment, drafts):
    return actors_seen(
        [(deployment.contributor, "contributor"), (deployment.unit, "unit"), (deployment.mission, "mission")], drafts
    )


DEPLOYMENTS = TimelineSource(
    "deployment",
    "Deployments",
    Deployment,
    visible_deployments,
    dates=START_AND_END,
    name=F("name"),
    full=lambda deployments: deployments.with_related(),
    entries=deployment_entries,
    actors=deployment_actors,
)
