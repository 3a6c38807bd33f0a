"""Reading records into their API representation at list speed.

DRF's ``Serializer.to_representation`` asks every field, for every record, to find
its attribute (``Field.get_attribute``: source lookup, callable checks, error
handling) and to convert it, even when the attribute is a plain text or number
column that needs no conversion at all. On a page of 100 agreements with their
parties and steps that is some 15,000 calls, and most of a list request's time.

``ReadPlanMixin`` works out once per serializer instance (so after ``?brief`` and
``?fields`` have cut the fields down) how each readable field is read:

- a plain column (text, choice, integer, boolean) is read with ``getattr`` and
  passed through as it is, when it already has its JSON type;
- another column or a foreign key is read with ``getattr`` and converted by the
  field's own ``to_representation``;
- a property or a prefetched list (``party_list``, ``supersedes_list``), read by a
  field that finds its value as DRF's ``Field`` or ``ManyRelatedField`` does, is read
  with ``getattr`` and converted by the field (a callable value, which DRF would call,
  goes DRF's way);
- a field of the whole record (``source="*"``: URL, name, method fields) is given
  the record;
- everything else (dotted sources, fields that find their value their own way)
  goes through DRF's own path, unchanged.

The output is the same as DRF's: the tests compare both on every serializer.
"""

import copy

from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from django.db.models.query_utils import DeferredAttribute
from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from .fields import CompactRelatedField

AS_STORED, CONVERTED, COMPUTED, LINKED, WHOLE_RECORD, GENERIC = range(6)

# Exact classes: a subclass may convert differently (MultipleChoiceField returns a list).
_PASS_THROUGH_FIELDS = {
    serializers.CharField,
    serializers.SlugField,
    serializers.EmailField,
    serializers.URLField,
    serializers.ChoiceField,
    serializers.IntegerField,
    serializers.BooleanField,
}
_JSON_SCALARS = {str, int, bool}
_UNREAD = object()


def read_step(field, model):
    """(how, field name, attribute, field) for one readable field of a serializer of ``model``."""
    attrs = field.source_attrs
    descriptor = getattr(model, attrs[0], None) if model is not None and len(attrs) == 1 else None
    plain_lookup = type(field).get_attribute is serializers.Field.get_attribute
    if isinstance(descriptor, DeferredAttribute) and plain_lookup:
        how = AS_STORED if type(field) in _PASS_THROUGH_FIELDS else CONVERTED
        return (how, field.field_name, attrs[0], field)
    if isinstance(descriptor, ForwardManyToOneDescriptor) and isinstance(field, CompactRelatedField):
        return (CONVERTED, field.field_name, attrs[0], field)
    if isinstance(descriptor, property | cached_property):
        if plain_lookup:
            return (COMPUTED, field.field_name, attrs[0], field)
        # A many-related field reads a list as it is (``.all()`` is for a manager, which a
        # prefetched list is not); a record not yet saved has no links.
        if type(field) is serializers.ManyRelatedField:
            return (LINKED, field.field_name, attrs[0], field)
    if not attrs and plain_lookup:
        return (WHOLE_RECORD, field.field_name, None, field)
    return (GENERIC, field.field_name, None, field)


def own_copy(field):
    """A copy of an unbound field that can be bound on its own.

    Binding sets attributes on the field itself (name, parent, source), so a shallow copy
    is enough for a plain field (its validators list copied too, as a list it may add to);
    a nested serializer or a many-related field holds bound fields of its own, and is
    copied deeply, as DRF copies declared fields."""
    if isinstance(field, serializers.BaseSerializer | serializers.ManyRelatedField):
        return copy.deepcopy(field)
    duplicate = copy.copy(field)
    if "_validators" in field.__dict__:
        duplicate._validators = list(field._validators)
    return duplicate


class ReadPlanMixin:
    """``to_representation`` through a plan made once per serializer instance, and fields
    built once per serializer class."""

    def get_fields(self):
        # ModelSerializer works out every field from the model's metadata on each request
        # (and a nested serializer's on each request that shows it); the result depends on
        # the class alone, so it is built once and each instance gets its own copies, which
        # it may cut down (``?fields=``) and bind without touching the others'.
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._built_fields = built
        return {name: own_copy(field) for name, field in built.items()}

    def read_plan(self):
        plan = self.__dict__.get("_read_plan")
        if plan is None:
            model = getattr(getattr(self, "Meta", None), "model", None)
            plan = self.__dict__["_read_plan"] = [read_step(field, model) for field in self._readable_fields]
        return plan

    def to_representation(self, instance):
        representation = {}
        for how, name, attr, field in self.read_plan():
            if how == WHOLE_RECORD:
                representation[name] = field.to_representation(instance)
                continue
            if how != GENERIC and (how != LINKED or instance.pk is not None):
                value = getattr(instance, attr, _UNREAD)  # unreadable: DRF's path decides (default, skip)
                if value is None or (how == AS_STORED and type(value) in _JSON_SCALARS):
                    representation[name] = value
                    continue
                if value is not _UNREAD and (how <= CONVERTED or not callable(value)):
                    representation[name] = field.to_representation(value)
                    continue
            # DRF's Serializer.to_representation, for one field (and for what DRF treats
            # specially: a callable attribute, which it calls; links of an unsaved record).
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            representation[name] = None if check_for_none is None else field.to_representation(attribute)
        return representation
