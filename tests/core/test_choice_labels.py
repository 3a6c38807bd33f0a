"""``ChoiceLabel``: list rows read a choice's label from a table built once, and it must say
exactly what Django's ``get_FOO_display()`` says, for every model, field and value."""

import pytest
from django.apps import apps

from apps.core.choices import ChoiceLabel


def declared_labels():
    """(model, attribute name, field name) of every ChoiceLabel on a concrete model."""
    found = []
    for model in apps.get_models():
        for klass in model.__mro__:
            for name, attribute in vars(klass).items():
                if isinstance(attribute, ChoiceLabel):
                    found.append((model, name, attribute.field_name))
    return sorted(set(found), key=lambda item: (item[0]._meta.label, item[1]))


def test_the_list_rows_labels_are_declared_where_the_rows_read_them():
    declared = {(model._meta.label_lower, name) for model, name, _ in declared_labels()}
    assert {
        ("actors.actor", "kind_label"),
        ("sources.source", "reliability_label"),
        ("routes.leg", "mode_label"),
        ("deployments.deployment", "status_label"),
        ("places.place", "publication_status_label"),  # from the abstract Record, on each kind
    } <= declared


@pytest.mark.parametrize(("model", "name", "field_name"), declared_labels(), ids=lambda v: getattr(v, "__name__", v))
def test_a_choice_label_says_what_get_display_says(model, name, field_name):
    field = model._meta.get_field(field_name)
    record = model()
    for value, _ in [*field.flatchoices, ("not-a-choice", None)]:
        setattr(record, field.attname, value)
        assert getattr(record, name) == getattr(record, f"get_{field_name}_display")()
