from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from apps.core.api.serializers import RecordNameField, RecordSerializer
from apps.sources.models import Source


class SourceSerializer(RecordSerializer):
    name = RecordNameField(help_text="The title.")
    web_url = serializers.URLField(
        source="url", max_length=500, required=False, allow_blank=True, help_text="Where the work is online."
    )
    reference = serializers.CharField(source="short_reference", read_only=True, help_text="Author: title, date.")

    class Meta:
        model = Source
        fields = [
            "url",
            "slug",
            "name",
            "kind",
            "reference",
            "authors",
            "editors",
            "title",
            "container_title",
            "publisher",
            "publisher_place",
            "volume",
            "issue",
            "pages",
            "number",
            "date",
            "place",
            "web_url",
            "accessed",
            "language",
            "reliability",
            "notes",
            "publication_status",
            "version",
            "created",
            "updated",
        ]
        brief_fields = ["slug", "name", "url"]


@extend_schema_serializer(many=False)
class CSLItemsSchema(serializers.Serializer):
    """The CSL-JSON export: an array of CSL items, unpaginated (schema only)."""


class CSLItemsSchemaExtension(OpenApiSerializerExtension):
    target_class = CSLItemsSchema

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "array",
            "description": "CSL-JSON items, valid against the CSL-JSON schema (apps/sources/csl-data.json).",
            "items": {"type": "object", "required": ["id", "type"], "additionalProperties": True},
        }
