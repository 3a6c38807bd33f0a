from rest_framework import serializers

from apps.core.api.serializers import ChildSerializer, RecordCitationSerializer, RecordSerializer
from apps.deployments.models import Deployment, DeploymentRole


class DeploymentRoleSerializer(ChildSerializer):
    class Meta:
        model = DeploymentRole
        fields = ["slug", "title", "count", "account", "notes"]


class DeploymentSerializer(RecordSerializer):
    """A deployment with its roles; ``roles`` given on a write are what its roles become, matched by slug."""

    personnel = serializers.CharField(
        source="personnel_display", read_only=True, help_text="The head count in words (“at most 27”)."
    )
    roles = DeploymentRoleSerializer(source="role_list", many=True, required=False)
    citations = RecordCitationSerializer(
        many=True, read_only=True, help_text="Sources for this deployment (detail only)."
    )

    class Meta:
        model = Deployment
        fields = [
            "url",
            "slug",
            "name",
            "contributor",
            "unit",
            "mission",
            "location",
            "status",
            "start",
            "end",
            "personnel",
            "personnel_qualifier",
            "personnel_min",
            "personnel_max",
            "personnel_text",
            "legal_basis",
            "rotation",
            "description",
            "roles",
            "publication_status",
            "version",
            "created",
            "updated",
            "citations",
        ]
        brief_fields = ["slug", "name", "url"]
        nested = {"roles": "deployment"}
