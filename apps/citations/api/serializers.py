from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers

from apps.citations.choices import CITABLE, CITABLE_FIELDS
from apps.citations.models import Citation
from apps.core.api.fields import CompactRelatedField, compact, is_slug
from apps.core.api.schema import CompactRecord
from apps.core.api.serializers import RecordNameField, RecordSerializer
from apps.sources.models import Note, Source


def target_field(citation):
    return next((name for name in CITABLE_FIELDS if getattr(citation, f"{name}_id") is not None), None)


class TargetTypeField(serializers.ChoiceField):
    """Which kind of record the citation supports (actor, agreement, agreement_step …)."""

    def __init__(self, **kwargs):
        super().__init__(choices=CITABLE, source="*", **kwargs)

    def to_representation(self, citation):
        return target_field(citation)

    def to_internal_value(self, data):
        return {"target_type": super().to_internal_value(data)}


class TargetField(serializers.Field):
    """The cited record: written as its slug (with ``target_type``), read in compact form."""

    csv_suffixes = CompactRelatedField.csv_suffixes

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, citation):
        return compact(citation.target, self.context.get("request"))

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data.strip():
            raise serializers.ValidationError("Give the slug of the cited record, as text.")
        return {"target": data.strip()}


class TargetFieldExtension(OpenApiSerializerFieldExtension):
    target_class = TargetField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {**build_basic_type(OpenApiTypes.STR), "description": "Slug of the cited record."}
        return auto_schema.resolve_serializer(CompactRecord, direction).ref


class CitationSerializer(RecordSerializer):
    """A citation: one source supporting one record. Write ``target_type`` and ``target`` (a slug)."""

    name = RecordNameField(help_text="Source reference and locator.")
    source = CompactRelatedField(queryset=Source.objects.all(), help_text="Slug of the cited source.")
    note = CompactRelatedField(
        queryset=Note.objects.all(),
        required=False,
        allow_null=True,
        help_text="Slug of the footnote through which the case document gives this source.",
    )
    target_type = TargetTypeField(help_text="Kind of record cited.")
    target = TargetField(help_text="The cited record (its slug when writing).")

    class Meta:
        model = Citation
        fields = [
            "url",
            "slug",
            "name",
            "source",
            "note",
            "locator",
            "passage",
            "stance",
            "credibility",
            "target_type",
            "target",
            "version",
            "created",
            "updated",
        ]
        brief_fields = ["slug", "name", "url"]

    def validate(self, attrs):
        kind = attrs.pop("target_type", None) or (target_field(self.instance) if self.instance else None)
        slug = attrs.pop("target", None)
        if slug is None and self.instance is None:
            raise serializers.ValidationError({"target": ["Give the slug of the cited record."]})
        if slug is not None:
            if kind is None:
                raise serializers.ValidationError({"target_type": ["Say which kind of record the slug names."]})
            model = Citation._meta.get_field(kind).related_model
            record = model.objects.filter(slug=slug).first() if is_slug(slug) else None
            if record is None:
                raise serializers.ValidationError(
                    {"target": [f"No {model._meta.verbose_name} with the slug “{slug[:120]}”."]}
                )
            attrs.update({name: record if name == kind else None for name in CITABLE_FIELDS})
        return super().validate(attrs)
