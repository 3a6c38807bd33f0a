"""OpenAPI descriptions for the shared fields (loaded by ``apps.core.apps`` via the views)."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField
from rest_framework.settings import api_settings

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


class ApiError(serializers.Serializer):
    """Every refusal of the API (4xx, 5xx) has this shape (``apps.core.api.errors``): a
    message and a code; a refusal of given fields or query parameters adds, under each
    one's name, its messages (a list of strings; an object by item index for the items of
    a nested list), and ``non_field_errors`` for messages about the request as a whole.
    Some refusals add keys of their own, named in their description."""

    detail = serializers.CharField(help_text="What was refused and why, in words.")
    code = serializers.CharField(
        help_text="A stable word a client can act on: invalid, unknown_parameter, not_authenticated, "
        "authentication_failed, permission_denied, not_found, gone, method_not_allowed, not_acceptable, "
        "unsupported_media_type, stale_edit, precondition_failed, precondition_required, throttled, database_busy …"
    )
    non_field_errors = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Messages about the request as a whole."
    )
    unknown = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="unknown_parameter: the query parameters refused."
    )
    accepted = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="unknown_parameter: those the operation takes."
    )


class FieldChange(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class StaleEditError(ApiError):
    """The record changed since the version the write was based on (schema only)."""

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


class GoneRecord(ApiError):
    """410: the record under this slug was deleted."""

    kind = serializers.CharField(help_text="The kind of record removed (agreement, place …).")
    name = serializers.CharField(help_text="Its name as it was, from its history.")
    removed = serializers.DateTimeField(help_text="When it was deleted, in UTC.")


class MovedRecord(serializers.Serializer):
    """301: the record has another slug now; ``Location`` and ``url`` give its address."""

    detail = serializers.CharField()
    slug = serializers.SlugField()
    url = serializers.URLField()


SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
RETRY_AFTER_STATUSES = {429, 503}
RETRY_AFTER = {
    "schema": {"type": "integer", "minimum": 0},
    "required": True,
    "description": "Seconds to wait before sending the request again.",
}
ERROR_DESCRIPTIONS = {
    400: "Refused input: messages under each field or query parameter named (code “invalid”), or a query "
    "parameter this operation does not take (code “unknown_parameter”, with `unknown` and `accepted`). "
    "Some rules hold between values and cannot be stated in this schema: a date range must not end before "
    "it begins; a write must keep the record valid as a whole and name related records that exist.",
    401: "Credentials that are not valid (an unknown token), or none where the operation needs them.",
    403: "Signed in, but not allowed: writing needs staff status and the model permission; changing what "
    "readers see (a published record, a publication status) needs the Editor role.",
    404: "No such record, or one you may not see; a page beyond the last; a `format` this operation does "
    "not offer.",
    409: "The record changed since the version you edited (`version`): what changed meanwhile is listed; "
    "or it cannot be deleted while other records refer to it.",
    410: "The record under this slug was deleted: what it was, and when.",
    412: "If-Match names a version of the record that is no longer current: what changed meanwhile is listed.",
    406: "No representation for the Accept header.",
    415: "A request body in a media type the API does not read (send application/json).",
    428: "Neither `version` in the body nor If-Match: say which version of the record you edited.",
    429: "Too many requests: wait as long as Retry-After says.",
    503: "The case file is busy with other writes: nothing was saved; send it again after Retry-After seconds.",
}


DATE_RANGE_RULE = "date_to must not come before date_from: a range that ends before it begins is refused with 400."
ERROR_BODIES = {409: StaleEditError, 412: StaleEditError, 410: GoneRecord}


class CasefileAutoSchema(AutoSchema):
    """The schema of every API operation (settings' DEFAULT_SCHEMA_CLASS).

    - Every operation declares each error status it can answer, all with the one error
      body (``ApiError``): 400, 401, 404, 406 and 429 everywhere; 403, 415 and 503 for
      writes; 409, 412 and 428 for writes to an existing record; 301 and 410 for a record's
      detail.
    - Reads that anonymous clients may make list anonymous access (``{}``) beside the token
      and session schemes; writes need one of those.
    - Record responses may be cut down by ``?brief=true`` or ``?fields=``, so no property
      of a record response is required. Writes to an existing record declare their
      precondition (If-Match or ``version``).
    """

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

    def needs_sign_in(self):
        """Writes, and reads a view reserves for signed-in users (``signed_in_actions``)."""
        if self.method not in SAFE_METHODS:
            return True
        return getattr(self.view, "action", None) in getattr(self.view, "signed_in_actions", ())

    def get_auth(self):
        auths = super().get_auth()
        if auths and not self.needs_sign_in() and {} not in auths:
            auths.append({})  # published records are public: no credentials needed to read them
        return auths

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        return [*parameters, IF_MATCH] if self.writes_existing_record() else parameters

    def error_statuses(self):
        statuses = {400, 401, 404, 406, 429}
        if self.needs_sign_in():
            statuses.add(403)
        if self.method not in SAFE_METHODS:
            statuses |= {415, 503}
        if self.writes_existing_record():
            statuses |= {409, 412, 428}
        if self.reads_one_record():
            statuses.add(410)
        return statuses

    def fields_parameter_schema(self):
        """``fields``: a comma-separated list of the record's field names (others are a 400)."""
        names = list(self.view.get_serializer_class()().fields)
        return {"schema": {"type": "array", "items": {"type": "string", "enum": names}}, "style": "form",
                "explode": False}

    def get_response_serializers(self):
        responses = super().get_response_serializers()
        if isinstance(responses, dict):
            return responses
        if self.reads_one_record():
            return {200: responses, 301: MovedRecord}
        if self.writes_existing_record():
            return {204: None} if self.method == "DELETE" else {200: responses}
        return responses

    def get_operation(self, *args, **kwargs):
        """Every error status the operation can answer, with the one error body: added here,
        after the responses an ``extend_schema`` may have given, so that none is left out."""
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        media_types = self.map_renderers("media_type")
        for status in self.error_statuses():
            declared = responses.get(str(status), {})
            if declared.get("content"):
                continue
            body = ERROR_BODIES.get(status, ApiError)
            response = {
                "description": declared.get("description") or ERROR_DESCRIPTIONS[status],
                "content": {media_type: {"schema": self.resolve_serializer(body, "response").ref}
                            for media_type in media_types},
            }
            if status in RETRY_AFTER_STATUSES:
                response["headers"] = {"Retry-After": RETRY_AFTER}
            responses[str(status)] = response
        operation["responses"] = dict(sorted(responses.items()))
        query = {parameter["name"] for parameter in operation.get("parameters", []) if parameter["in"] == "query"}
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] == "fields":
                parameter.update(self.fields_parameter_schema())
            if parameter["in"] == "query" and not parameter.get("required"):
                # An empty value is read as the parameter left out (as the pages' forms send them).
                parameter["allowEmptyValue"] = True
        if {"date_from", "date_to"} <= query:
            # A rule between two parameters, which JSON Schema cannot state: said here for clients and tools.
            operation["x-date-range"] = {"from": "date_from", "to": "date_to", "rule": DATE_RANGE_RULE}
        return operation

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
                pattern = getattr(self.view, "lookup_value_regex", None)
                if pattern:
                    parameter["schema"] = {**parameter["schema"], "pattern": f"^{pattern}$"}
        return parameters

    def _get_format_parameters(self):
        # Declared even where JSON is the only format: the API takes ``format`` everywhere
        # (``filtering.KnownParametersMixin``), and the schema says so.
        formats = self.map_renderers("format")
        if not api_settings.URL_FORMAT_OVERRIDE or not formats:
            return []
        if len(formats) > 1:
            description = (
                "Response format, json by default. A list exported in another format (csv; for sources also "
                "csl-json and bibtex) holds every record matching the filters, unpaginated."
            )
        else:
            description = f"Response format: {formats[0]}, the only one here."
        parameter = build_parameter_type(
            name=api_settings.URL_FORMAT_OVERRIDE,
            schema=build_basic_type(OpenApiTypes.STR),
            location=OpenApiParameter.QUERY,
            enum=formats,
            description=description,
        )
        return [parameter]


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
