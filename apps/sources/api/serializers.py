from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from apps.core.api.serializers import RecordNameField, RecordSerializer
from apps.sources import references
from apps.sources.forms import MAX_IMPORT_BYTES
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


class ReferenceImportSerializer(serializers.Serializer):
    """A file of references to add to the case file as draft sources."""

    file = serializers.FileField(help_text="BibTeX (.bib), RIS (.ris) or CSL-JSON (.json), UTF-8.")
    reference_format = serializers.ChoiceField(
        choices=references.FORMATS,
        required=False,
        help_text="The file's format; by default told from its name's ending, else from its first characters.",
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="true: check every entry and report what would happen, but write nothing."
    )

    def validate_file(self, upload):
        if upload.size > MAX_IMPORT_BYTES:
            raise serializers.ValidationError("The file is larger than 5 MB: split it into smaller files.")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise serializers.ValidationError(f"The file is not UTF-8 text (byte {error.start}).") from None


class ImportedEntrySerializer(serializers.Serializer):
    entry = serializers.CharField(help_text="The entry as the file names it (its key or position).")
    source = SourceSerializer(help_text="The source created, or the one already there that it matched.")


class ReferenceImportResultSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What was done, in words.")
    reference_format = serializers.ChoiceField(choices=references.FORMATS)
    dry_run = serializers.BooleanField()
    created = ImportedEntrySerializer(many=True, help_text="New draft sources (for a dry run: not written).")
    matched = ImportedEntrySerializer(many=True, help_text="Entries left out: the case file holds the work.")
