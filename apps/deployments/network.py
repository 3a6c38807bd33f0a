"""Deployments in the case file's network: contributor, unit and mission tied."""

from apps.core.network import from_timeline, start_end

from .timeline import DEPLOYMENTS

DEPLOYMENT_TIES = from_timeline(
    DEPLOYMENTS, key="deployment", label="Deployments", title=lambda deployment: deployment.name, period=start_end
)
