"""Base serializer of every record: compact relations, brief form, field selection,
and validation through the model's ``full_clean()`` (so the API refuses what the
admin refuses, in the same words)."""

import copy

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from apps.core import dates, selectors, services
from apps.core.models import withhold_hidden

from .fields import CompactRelatedField, PartialDateField, TimestampField, api_url, compact, record_name, viewer
from .preconditions import stale_precondition

BOOLEAN_VALUES = {"true": True, "false": False}


def strict_boolean(query_params, name) -> bool:
    """A boolean query parameter as the schema declares it: true or false (or left out, or
    empty: false); any other spelling is a 400 rather than a guess."""
    value = query_params.get(name, "")
    if value == "":
        return False
    try:
        return BOOLEAN_VALUES[value]
    except KeyError:
        raise serializers.ValidationError({name: [f"Give true or false, not “{value}”."]}) from None


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The record changed while you were editing it."
    default_code = "stale_edit"

    def __init__(self, detail):
        self.detail = detail  # kept as given: version numbers stay numbers in the 409 body


def as_drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    """Django's ValidationError → DRF's, with per-field messages ("non_field_errors" for the rest)."""
    if hasattr(error, "error_dict"):
        detail = {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): [str(m) for e in errors for m in e]
            for field, errors in error.error_dict.items()
        }
    else:
        detail = {"non_field_errors": [str(message) for message in error.messages]}
    return serializers.ValidationError(detail)


@extend_schema_field({"type": "string", "format": "uri", "nullable": True, "readOnly": True})
class RecordUrlField(serializers.Field):
    """The record's own API URL."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return api_url(value, self.context.get("request"))


@extend_schema_field({"type": "string", "readOnly": True})
class RecordNameField(serializers.Field):
    """What a reader calls the record (its name, short title or title)."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return record_name(value)


class CitedSourceSerializer(serializers.Serializer):
    """A cited source in brief: who, what, when, and how reliable."""

    slug = serializers.CharField(read_only=True)
    name = RecordNameField(help_text="Title of the source.")
    kind = serializers.CharField(read_only=True)
    url = RecordUrlField(help_text="API URL of the source.")
    reference = serializers.CharField(source="short_reference", read_only=True, help_text="Author: title, date.")
    reliability = serializers.CharField(read_only=True, help_text="Admiralty grade of the source, A–F.")


class RecordCitationSerializer(serializers.Serializer):
    """A citation as shown inside the record it supports (the citations app's model,
    read by field name so the core depends on no app)."""

    slug = serializers.CharField(read_only=True)
    source = CitedSourceSerializer(read_only=True)
    locator = serializers.CharField(read_only=True, help_text="Page or section (p. 46, n. 87).")
    passage = serializers.CharField(read_only=True, help_text="The statement the source supports.")
    stance = serializers.CharField(read_only=True, help_text="supports, qualifies or disputes.")
    credibility = serializers.IntegerField(read_only=True, help_text="Admiralty scale, 1 (confirmed) to 6.")


def column_range(model_field):
    """The (lowest, highest) value an integer model field's column holds on every database
    Casefile runs on: PostgreSQL's, narrower than SQLite's 64 bits, so a value SQLite
    would take is refused there too, and a case file moves between the two."""
    return BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]


class ColumnRangeMixin:
    """Bounds every writable integer field that stores into an integer column by what the
    column holds: beyond it, a database refuses the write (PostgreSQL) or the driver
    cannot bind the number (SQLite), which would be a 500 instead of a 400 naming the field."""

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if isinstance(field, serializers.IntegerField) and not field.read_only:
                model_field = self.integer_model_field(field.source or name)  # source is set on binding
                if model_field is not None:
                    bound_to_column(field, *column_range(model_field))
        return fields

    def integer_model_field(self, source):
        if not source or "." in source or source == "*":
            return None
        try:
            model_field = self.Meta.model._meta.get_field(source)
        except FieldDoesNotExist:
            return None
        return model_field if isinstance(model_field, models.IntegerField) else None


def bound_to_column(field, lowest, highest):
    """Narrows a DRF IntegerField to [lowest, highest], as its own min_value/max_value would."""
    if field.min_value is None or field.min_value < lowest:
        field.min_value = lowest
        message = field.error_messages["min_value"].format(min_value=lowest)
        field.validators.append(MinValueValidator(lowest, message=message))
    if field.max_value is None or field.max_value > highest:
        field.max_value = highest
        message = field.error_messages["max_value"].format(max_value=highest)
        field.validators.append(MaxValueValidator(highest, message=message))


class RecordSerializer(ColumnRangeMixin, serializers.ModelSerializer):
    """Base of every record serializer.

    - ``?brief=true`` gives only slug, name and url (``Meta.brief_fields``);
    - ``?fields=a,b`` keeps only the named fields;
    - writes run the model's ``full_clean()``; a ValidationError becomes a 400 with
      per-field messages;
    - ``Meta.nested`` names the to-many children written with the record, as
      {field: parent field of the child}; a list given is what the record's children
      become: matched by slug, changed in place, added, deleted
      (``services.record_children_sync``).
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        dates.PartialDateField: PartialDateField,
        models.DateTimeField: TimestampField,
    }
    serializer_related_field = CompactRelatedField

    url = RecordUrlField(help_text="API URL of this record.")
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Raised by one on every save. An update must say which version it edited: this field, or the "
        "record's ETag in an If-Match header (428 without either). If someone saved the record since, the update "
        "is refused (409 for a stale version, 412 for a stale If-Match) with a list of what changed.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        known = list(self.fields)
        view = self.context.get("view")
        if "citations" in self.fields and getattr(view, "action", None) == "list":
            self.fields.pop("citations")  # prefetched for one record only; lists stay lean
        request = self.context.get("request")
        if request is None or request.method != "GET":
            return
        wanted = None
        if strict_boolean(request.query_params, "brief"):
            wanted = set(getattr(self.Meta, "brief_fields", ("slug", "url")))
        elif request.query_params.get("fields"):
            wanted = {name.strip() for name in request.query_params["fields"].split(",") if name.strip()}
            unknown = sorted(wanted - set(known))
            if unknown:
                raise serializers.ValidationError(
                    {"fields": [f"No such field: {', '.join(unknown)}. Fields: {', '.join(known)}."]}
                )
        if wanted is not None:
            for name in list(self.fields):
                if name not in wanted:
                    self.fields.pop(name)

    def to_representation(self, instance):
        # What the reader may not see of the records this one refers to is withheld before
        # any field reads it, names computed from them included.
        withhold_hidden([instance], viewer(self.context.get("request")))
        return super().to_representation(instance)

    # --- writing -----------------------------------------------------------
    def nested_fields(self):
        return getattr(self.Meta, "nested", {})

    def nested_by_source(self):
        """{validated-data key (the child relation's name): API field name}."""
        return {self.fields[name].source: name for name in self.nested_fields() if name in self.fields}

    def many_to_many_by_source(self):
        """{validated-data key (a field's source): API field name, the model's relation} of the many-to-many fields."""
        return {
            field.source: name for name, field in self.fields.items() if isinstance(field, serializers.ManyRelatedField)
        }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        given = attrs.pop("version", None)
        # The body's version, else the one an If-Match header named (RecordViewSet.update).
        self.expected_version = given if given is not None else self.context.get("if_match_version")
        if self.instance is None:
            self.expected_version = None
        attrs.pop("version", None)
        nested = {key: attrs.pop(key) for key in self.nested_by_source() if key in attrs}
        # Validate a copy, so a refused update leaves the instance as it was.
        instance = copy.copy(self.instance) if self.instance is not None else self.Meta.model()
        many = self.many_to_many_by_source()
        for name, value in attrs.items():
            if name not in many:
                setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise as_drf_error(error) from None
        attrs.update(nested)
        return attrs

    def pop_relations(self, validated_data):
        """(children by source, many-to-many values by API field name), taken out of ``validated_data``."""
        nested = {key: validated_data.pop(key) for key in self.nested_by_source() if key in validated_data}
        many = {
            name: validated_data.pop(key)
            for key, name in self.many_to_many_by_source().items()
            if key in validated_data
        }
        return nested, many

    def create(self, validated_data):
        nested, many = self.pop_relations(validated_data)
        instance = self.Meta.model(**validated_data)
        with transaction.atomic():
            self.save_record(instance)
            self.write_relations(instance, nested, many, change_message="Saved through the API")
        return instance

    def update(self, instance, validated_data):
        nested, many = self.pop_relations(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        with transaction.atomic():
            self.save_record(instance, expected_version=getattr(self, "expected_version", None))
            self.write_relations(instance, nested, many, change_message="Changed through the API")
        if nested or many:
            # The record came with its lists prefetched as they were: the response shows
            # them (and what they decide, such as an agreement's status) as now stored.
            instance = type(instance)._default_manager.with_related().get(pk=instance.pk)
        return instance

    def acting_user(self):
        return getattr(self.context.get("request"), "user", None)

    def save_record(self, instance, expected_version=None):
        """Save through ``record_save``, as the admin does: the same version check and
        editorial rules (only editors change published records or publication status)."""
        try:
            services.record_save(
                instance,
                expected_version=expected_version,
                user=self.acting_user(),
                change_message=api_change_message(instance, expected_version),
                validate=False,  # validate() ran full_clean() already
            )
        except services.StaleEdit as stale:
            if self.context.get("if_match_version") is not None and self.initial_data.get("version") is None:
                raise stale_precondition(stale) from None
            raise Conflict(stale.as_dict()) from None
        except DjangoValidationError as error:
            raise as_drf_error(error) from None

    def write_relations(self, instance, nested, many, *, change_message):
        """Links and children through the services, each under the editorial rule, inside
        the record's transaction: a refused child leaves nothing of the write behind."""
        user = self.acting_user()
        for name, value in many.items():
            services.record_links_set(instance, relation=name, targets=value, user=user)
        for source, items in nested.items():
            name = self.nested_by_source()[source]
            try:
                services.record_children_sync(
                    instance,
                    model=self.fields[name].child.Meta.model,
                    parent_field=self.nested_fields()[name],
                    items=items,
                    user=user,
                    change_message=change_message,
                )
            except services.ChildrenInvalid as invalid:
                # By item index, like DRF's own errors for a list of objects.
                detail = {str(index): as_drf_error(error).detail for index, error in invalid.errors.items()}
                raise serializers.ValidationError({name: detail}) from None
            except services.StaleEdit as stale:
                raise Conflict(stale.as_dict()) from None
            except DjangoValidationError as error:
                raise serializers.ValidationError({name: as_drf_error(error).detail}) from None


class ChildSerializer(ColumnRangeMixin, serializers.ModelSerializer):
    """A to-many child written with its record (a party, step, role, participant).

    Subclasses list ``slug`` in their fields: written, it names the child to change in
    place (its citations and history stay); left out, the child is new."""

    serializer_field_mapping = RecordSerializer.serializer_field_mapping
    serializer_related_field = CompactRelatedField

    # Declared, not derived from the model: DRF would add a uniqueness check that
    # refuses the child's own slug when it is sent back to keep the child.
    slug = serializers.SlugField(
        required=False,
        max_length=120,
        help_text="Keeps this child when writing its record (its citations stay with it); leave it out to add one.",
    )


__all__ = [
    "ChildSerializer",
    "CompactRelatedField",
    "PartialDateField",
    "RecordCitationSerializer",
    "RecordNameField",
    "RecordSerializer",
    "RecordUrlField",
    "as_drf_error",
    "compact",
]


def api_change_message(instance, expected_version):
    """The history's reason for a save over the API: a creation is named for its path
    (``core.selectors.entry_words``)."""
    if instance._state.adding or instance.pk is None:
        return selectors.CREATED_OVER_API
    return "Changed through the API" if expected_version else "Saved through the API"
