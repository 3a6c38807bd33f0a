"""OpenAPI descriptions for the shared fields (loaded by ``apps.core.apps`` via the views)."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField

from apps.core.dates import PRECISIONS


class PartialDate(serializers.Serializer):
    """A date as precisely as the source gives it (schema only)."""

    value = serializers.CharField(help_text="Stored form: earliest/latest/precision[/c].")
    precision = serializers.ChoiceField(choices=PRECISIONS)
    display = serializers.CharField(help_text="As a reader writes it: “May 2009”, “c. 2007”.")
    earliest = serializers.DateField(help_text="First day the date allows.")
    latest = serializers.DateField(help_text="Last day the date allows.")
    circa = serializers.BooleanField(help_text="Approximate (“c.”).")


class CompactRecord(serializers.Serializer):
    """A related record in compact form (schema only)."""

    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField(allow_null=True, help_text="The record's kind, where it has one.")
    url = serializers.URLField(allow_null=True, help_text="API URL of the record.")


class ErrorDetail(serializers.Serializer):
    """A refusal in words (schema only)."""

    detail = serializers.CharField()


class FieldChange(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class StaleEditError(serializers.Serializer):
    """The record changed since the version the write was based on (schema only)."""

    detail = serializers.CharField()
    expected_version = serializers.IntegerField(required=False)
    current_version = serializers.IntegerField()
    changed = FieldChange(many=True, required=False, help_text="Fields changed meanwhile, before → after.")
    related_changes = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Sub-records changed meanwhile."
    )


# Writes to an existing record: what RecordViewSet checks before them (apps.core.api.preconditions).
TRANSITION_ACTIONS = {"submit_for_review", "publish", "unpublish", "return_to_draft"}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The record's ETag (from GET on it) for the version you edited; or send `version` in the body. "
    "One of the two is required (428 without). `*` overwrites whatever is stored.",
)


class PartialDateFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "apps.core.api.fields.PartialDateField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {
                **build_basic_type(OpenApiTypes.STR),
                "description": "As precisely as the source: 2011-06-09, 9 June 2011, May 2009, spring 2011, "
                "late 2005, 2011, 2006–2008; prefix “c.” for approximate.",
            }
        return auto_schema.resolve_serializer(PartialDate, direction).ref


class CompactRelatedFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "apps.core.api.fields.CompactRelatedField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {**build_basic_type(OpenApiTypes.STR), "description": "Slug of the related record."}
        return compact_reference(auto_schema, direction, in_list=isinstance(self.target.parent, ManyRelatedField))


def compact_reference(auto_schema, direction, *, in_list=False):
    """A compact reference: null where the reader may not see the record it names (a
    draft), except in a list, which leaves such records out."""
    reference = auto_schema.resolve_serializer(CompactRecord, direction).ref
    if in_list:
        return reference
    return {
        "allOf": [reference],
        "nullable": True,
        "description": "Null when the related record is not visible to you (a draft, unless you may view drafts).",
    }


class GoneRecord(serializers.Serializer):
    """410: the record under this slug was deleted."""

    detail = serializers.CharField()
    kind = serializers.CharField(help_text="The kind of record removed (agreement, place …).")
    name = serializers.CharField(help_text="Its name as it was, from its history.")
    removed = serializers.DateTimeField(help_text="When it was deleted, in UTC.")


class MovedRecord(serializers.Serializer):
    """301: the record has another slug now; ``Location`` and ``url`` give its address."""

    detail = serializers.CharField()
    slug = serializers.SlugField()
    url = serializers.URLField()


class CasefileAutoSchema(AutoSchema):
    """Record responses may be cut down by ``?brief=true`` or ``?fields=``, so no property
    of a record response is required. Writes to an existing record declare their
    precondition (If-Match or ``version``) and its answers: 409, 412, 428."""

    def writes_existing_record(self):
        action = getattr(self.view, "action", None)
        return self.method in {"PUT", "PATCH", "DELETE"} or (self.method == "POST" and action in TRANSITION_ACTIONS)

    def reads_one_record(self):
        """A record's detail, which answers 301 for a renamed record's old slug and 410 for a
        deleted record's (records with a publication status: the others have no history of slugs)."""
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        return (
            self.method == "GET"
            and getattr(self.view, "action", None) == "retrieve"
            and hasattr(model, "publication_status")
        )

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        return [*parameters, IF_MATCH] if self.writes_existing_record() else parameters

    def get_response_serializers(self):
        responses = super().get_response_serializers()
        if self.reads_one_record() and not isinstance(responses, dict):
            return {200: responses, 301: MovedRecord, 410: GoneRecord}
        if not self.writes_existing_record() or isinstance(responses, dict):
            return responses
        success = {204: None} if self.method == "DELETE" else {200: responses}
        return {
            **success,
            409: StaleEditError,
            412: StaleEditError,
            428: ErrorDetail,
        }

    def _map_basic_serializer(self, serializer, direction):
        from .serializers import RecordSerializer

        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "response" and isinstance(serializer, RecordSerializer):
            schema.pop("required", None)
        return schema

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["name"] == "slug":
                parameter["description"] = "The record's slug: its stable identifier in URLs, the API and backups."
        return parameters

    def _get_format_parameters(self):
        parameters = super()._get_format_parameters()
        for parameter in parameters:
            parameter["description"] = (
                "Response format, json by default. A list exported in another format (csv; for sources also "
                "csl-json and bibtex) holds every record matching the filters, unpaginated."
            )
        return parameters


BRIEF_PARAMETERS = [
    OpenApiParameter(
        "brief", OpenApiTypes.BOOL, description="true: only slug, name and url of each record (small payloads)."
    ),
    OpenApiParameter(
        "fields",
        OpenApiTypes.STR,
        description="Comma-separated field names to keep (e.g. slug,name,kind); others are left out.",
    ),
]
